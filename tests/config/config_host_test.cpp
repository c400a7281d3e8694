// Problems of the file against problems of the host, what each kind of command needs, and the directories
// systemd gives the service (${CREDENTIALS_DIRECTORY}, ${STATE_DIRECTORY}).
#include <doctest/doctest.h>

#include <map>

#include "config/config.hpp"
#include "tests/support/config_test_support.hpp"

using namespace dvc;
using dvc::test::has_problem;
using dvc::test::temp_dir;

namespace {

config_options with_variables(std::map<std::string, std::string> vars, config_use use = config_use::service) {
  config_options o;
  o.use = use;
  o.variable = [vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
    const auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
  return o;
}

config_load parse_with(const nlohmann::json& j, const temp_dir& dir, const config_options& o) {
  return parse_config(j.dump(), dir.path(), o);
}

// The portals' secrets and ca_file where nobody can read them: the service's credentials seen from a shell.
nlohmann::json with_unreadable_files(const temp_dir& dir) {
  auto j = test::valid_config(dir);
  j["provincial"]["client_secret_file"] = "${CREDENTIALS_DIRECTORY}/provincial";
  j["national"]["password_file"] = (dir.path() / "absent" / "national").string();
  j["national"]["ca_file"] = (dir.path() / "absent" / "ca.pem").string();
  return j;
}

// A tokens file naming one operator, as http.tokens_file reads it.
std::string one_token_file() {
  return R"({"tokens": [{"name": "le.van.cuong", "scope": "ack", "sha256": ")" + std::string(64, 'a') + R"("}]})";
}

}  // namespace

TEST_CASE("secrets and the ledger may live in the directories systemd gives the service") {
  temp_dir dir, creds, state;
  creds.write("provincial", std::string(test::canary) + "-p\n");
  creds.write("api-tokens", one_token_file());
  creds.write("audit-key", std::string(64, 'k') + "\n");
  auto j = test::valid_config(dir);
  j["provincial"]["client_secret_file"] = "${CREDENTIALS_DIRECTORY}/provincial";
  j["http"] = {{"tokens_file", "${CREDENTIALS_DIRECTORY}/api-tokens"}};
  j["audit"] = {{"key_file", "${CREDENTIALS_DIRECTORY}/audit-key"}};
  j["ledger"] = "${STATE_DIRECTORY}/ledger.db";
  // Several StateDirectory= entries arrive joined by ':'; the first is the service's.
  const auto loaded = parse_with(j, dir,
                                 with_variables({{"CREDENTIALS_DIRECTORY", creds.path().string()},
                                                 {"STATE_DIRECTORY", state.path().string() + ":/var/lib/other"}}));
  INFO(test::all_messages(loaded.problems));
  REQUIRE(loaded.value);
  CHECK(loaded.value->provincial.front().client_secret.reveal() == std::string(test::canary) + "-p");
  CHECK(loaded.value->provincial.front().client_secret_file == (creds.path() / "provincial").string());
  REQUIRE(loaded.value->http.tokens.size() == 1);
  CHECK(loaded.value->http.tokens[0].name == "le.van.cuong");
  CHECK(loaded.value->http.tokens_file == (creds.path() / "api-tokens").string());
  REQUIRE(loaded.value->audit.key);
  CHECK(loaded.value->audit.key->reveal() == std::string(64, 'k'));
  CHECK(loaded.value->ledger == state.path() / "ledger.db");
}

TEST_CASE("an unset directory variable is the host's problem, an unknown one the file's") {
  temp_dir dir;
  auto j = test::valid_config(dir);
  j["provincial"]["client_secret_file"] = "${CREDENTIALS_DIRECTORY}/provincial";
  j["ledger"] = "${STATE_DIRECTORY}/ledger.db";
  j["national"]["password_file"] = "${HOME}/national";
  const auto loaded = parse_with(j, dir, with_variables({}));
  const auto& p = loaded.problems;
  INFO(test::all_messages(p));
  REQUIRE(p.size() == 3);
  CHECK(has_problem(p, "provincial.client_secret_file", "CREDENTIALS_DIRECTORY is not set"));
  CHECK(has_problem(p, "ledger", "STATE_DIRECTORY is not set; systemd sets it for the service (StateDirectory=)"));
  CHECK(has_problem(p, "national.password_file", "(got ${HOME})"));
  for (const auto& problem : p) {
    CAPTURE(describe(problem));
    CHECK(problem.origin == (problem.path == "national.password_file" ? problem_origin::file : problem_origin::host));
  }
  CHECK_FALSE(loaded.file_ok());
}

TEST_CASE("a missing state directory, an unreadable secret or ca_file are problems of the host") {
  temp_dir dir;
  auto j = with_unreadable_files(dir);
  j["ledger"] = (dir.path() / "var-lib-dvcrecon" / "ledger.db").string();
  const auto loaded = parse_with(j, dir, with_variables({}));
  const auto& p = loaded.problems;
  INFO(test::all_messages(p));
  REQUIRE(p.size() == 4);
  for (const auto& problem : p) CHECK(problem.origin == problem_origin::host);
  CHECK(has_problem(p, "ledger", "var-lib-dvcrecon does not exist"));
  CHECK(has_problem(p, "national.password_file", "No such file or directory"));
  CHECK(has_problem(p, "national.ca_file", "No such file or directory"));
  // The file itself is right: its values are there for check-config to summarise, never to run with.
  CHECK_FALSE(loaded.value);
  REQUIRE(loaded.as_written);
  CHECK(loaded.file_ok());
  CHECK(loaded.as_written->ledger == dir.path() / "var-lib-dvcrecon" / "ledger.db");
  CHECK(loaded.as_written->national.portal.base_url == "https://api.dichvucong.example.vn/adapter");

  // A secret with a control character is a wrong file on the host, not a wrong configuration.
  temp_dir other;
  auto k = test::valid_config(other);
  k["national"]["password_file"] = other.write("n.secret", "two\nlines").string();
  const auto bad = parse_with(k, other, with_variables({}));
  REQUIRE(bad.problems.size() == 1);
  CHECK(bad.problems[0].origin == problem_origin::host);
  // A problem of the file next to them: nothing to summarise.
  k["poll_interval_s"] = 1;
  CHECK_FALSE(parse_with(k, other, with_variables({})).file_ok());
}

TEST_CASE("commands that only read the ledger open no secret and never need the ledger's directory writable") {
  temp_dir dir;
  auto j = with_unreadable_files(dir);
  j["http"] = {{"tokens_file", "${CREDENTIALS_DIRECTORY}/api-tokens"}, {"read_access", "token"}};
  j["audit"] = {{"key_file", "${CREDENTIALS_DIRECTORY}/audit-key"}};
  j["ledger"] = "${STATE_DIRECTORY}/ledger.db";
  const auto loaded =
      parse_with(j, dir, with_variables({{"STATE_DIRECTORY", "/var/lib/dvcrecon"}}, config_use::ledger));
  INFO(test::all_messages(loaded.problems));
  REQUIRE(loaded.value);
  CHECK(loaded.value->ledger == "/var/lib/dvcrecon/ledger.db");
  CHECK(loaded.value->provincial.front().client_secret.empty());
  CHECK(loaded.value->http.tokens.empty());
  CHECK_FALSE(loaded.value->audit.key);
  // Named, though not read: no warning that the chain has no key.
  CHECK(loaded.value->audit.key_file == "${CREDENTIALS_DIRECTORY}/audit-key");
  CHECK(loaded.warnings.empty());

  // The ledger's own path they do need.
  const auto unset = parse_with(j, dir, with_variables({}, config_use::ledger));
  REQUIRE(unset.problems.size() == 1);
  CHECK(has_problem(unset.problems, "ledger", "STATE_DIRECTORY is not set"));

  // Problems of the file still count: the file is shared with the service.
  j["poll_interval_s"] = 0;
  CHECK(has_problem(parse_with(j, dir, with_variables({{"STATE_DIRECTORY", "/x"}}, config_use::ledger)).problems,
                    "poll_interval_s", "must be within"));
}

TEST_CASE("commands that write or check the audit chain read the audit key, and no other secret") {
  temp_dir dir, creds;
  creds.write("audit-key", std::string(64, 'k') + "\n");
  auto j = with_unreadable_files(dir);
  j["http"] = {{"tokens_file", "${CREDENTIALS_DIRECTORY}/api-tokens"}};  // absent from creds: not read
  j["audit"] = {{"key_file", "${CREDENTIALS_DIRECTORY}/audit-key"}};
  j["ledger"] = (dir.path() / "nowhere" / "ledger.db").string();  // the directory is not checked either
  const auto loaded =
      parse_with(j, dir, with_variables({{"CREDENTIALS_DIRECTORY", creds.path().string()}}, config_use::ledger_audit));
  INFO(test::all_messages(loaded.problems));
  REQUIRE(loaded.value);
  REQUIRE(loaded.value->audit.key);
  CHECK(loaded.value->audit.key->reveal() == std::string(64, 'k'));
  CHECK(loaded.value->http.tokens.empty());
  CHECK(loaded.value->provincial.front().client_secret.empty());

  // From a shell without the credentials: the key's absence is said, as the host's problem.
  const auto unset = parse_with(j, dir, with_variables({}, config_use::ledger_audit));
  REQUIRE(unset.problems.size() == 1);
  CHECK(has_problem(unset.problems, "audit.key_file", "CREDENTIALS_DIRECTORY is not set"));
  CHECK(unset.problems[0].origin == problem_origin::host);
}

TEST_CASE("the API alone reads its tokens and the audit key and checks the ledger's directory, not the portals'") {
  temp_dir dir, creds;
  creds.write("api-tokens", one_token_file());
  creds.write("audit-key", std::string(64, 'k') + "\n");
  auto j = with_unreadable_files(dir);
  j["http"] = {{"tokens_file", "${CREDENTIALS_DIRECTORY}/api-tokens"}};
  j["audit"] = {{"key_file", "${CREDENTIALS_DIRECTORY}/audit-key"}};
  const auto loaded =
      parse_with(j, dir, with_variables({{"CREDENTIALS_DIRECTORY", creds.path().string()}}, config_use::api));
  INFO(test::all_messages(loaded.problems));
  REQUIRE(loaded.value);
  CHECK(loaded.value->http.tokens.size() == 1);
  CHECK(loaded.value->audit.key);

  j["ledger"] = (dir.path() / "nowhere" / "ledger.db").string();
  const auto missing = parse_with(j, dir, with_variables({}, config_use::api));
  INFO(test::all_messages(missing.problems));
  CHECK(missing.problems.size() == 3);
  CHECK(has_problem(missing.problems, "ledger", "does not exist"));
  CHECK(has_problem(missing.problems, "http.tokens_file", "CREDENTIALS_DIRECTORY is not set"));
  CHECK(has_problem(missing.problems, "audit.key_file", "CREDENTIALS_DIRECTORY is not set"));
}

TEST_CASE("a tokens file that is missing is the host's problem; one that is wrong inside is the file's") {
  temp_dir dir, creds;
  auto j = test::valid_config(dir);
  j["http"] = {{"tokens_file", "${CREDENTIALS_DIRECTORY}/api-tokens"}};
  const auto vars = with_variables({{"CREDENTIALS_DIRECTORY", creds.path().string()}});
  const auto missing = parse_with(j, dir, vars);
  REQUIRE(missing.problems.size() == 1);
  CHECK(has_problem(missing.problems, "http.tokens_file", "No such file or directory"));
  CHECK(missing.problems[0].origin == problem_origin::host);
  CHECK(missing.file_ok());

  creds.write("api-tokens", R"({"tokens": [{"name": "a", "scope": "ack", "sha256": "short"}]})");
  const auto wrong = parse_with(j, dir, vars);
  REQUIRE_FALSE(wrong.problems.empty());
  CHECK(wrong.problems[0].path == "http.tokens_file");
  CHECK(wrong.problems[0].origin == problem_origin::file);
}
