#include <doctest/doctest.h>

#include <iostream>
#include <sstream>

#include "cli/check_config_command.hpp"
#include "tests/support/config_test_support.hpp"

using namespace dvc;

namespace {

struct captured {
  int status = -1;
  std::string out;
  std::string err;
};

captured run(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  auto* old_out = std::cout.rdbuf(out.rdbuf());
  auto* old_err = std::cerr.rdbuf(err.rdbuf());
  captured c;
  c.status = check_config_command(args);
  std::cout.rdbuf(old_out);
  std::cerr.rdbuf(old_err);
  c.out = out.str();
  c.err = err.str();
  return c;
}

}  // namespace

TEST_CASE("check-config prints a one-line summary without secrets and exits 0") {
  test::temp_dir dir;
  const auto file = dir.write("config.json", "// comment\n" + test::valid_config(dir).dump(2));
  const auto r = run({"--config", file.string()});
  INFO(r.err);
  CHECK(r.status == 0);
  CHECK(r.err.empty());
  CHECK(r.out ==
        file.string() + ": ok; 1 unit (000.00.12.H10), ledger " + (dir.path() / "ledger.db").string() +
            ", provincial https://motcua.example.gov.vn/api, national https://api.dichvucong.example.vn/adapter\n");
  CHECK(r.out.find(test::canary) == std::string::npos);
}

TEST_CASE("check-config prints every problem as FILE: key.path: message and exits 2") {
  test::temp_dir dir;
  auto j = test::valid_config(dir);
  j["poll_interval_s"] = 0;
  j["secret"] = test::canary;
  j["national"]["base_url"] = "http://portal.gov.vn";
  const auto file = dir.write("config.json", j.dump());
  const auto r = run({"--config", file.string()});
  CHECK(r.status == 2);
  CHECK(r.out.empty());
  const std::string prefix = file.string() + ": [file] ";
  CHECK(r.err.find(prefix + "poll_interval_s: must be within 10..86400 (got 0)\n") != std::string::npos);
  CHECK(r.err.find(prefix + "secret: unknown key\n") != std::string::npos);
  CHECK(r.err.find(prefix +
                   "national.base_url: plain http:// is allowed only for loopback hosts (got portal.gov.vn)\n") !=
        std::string::npos);
  CHECK(r.err.find(file.string() + ": 3 problem(s) of the file\n") != std::string::npos);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 4);
  CHECK(r.err.find(test::canary) == std::string::npos);
}

TEST_CASE("check-config names a missing file and exits 2") {
  test::temp_dir dir;
  const auto missing = (dir.path() / "absent.json").string();
  const auto r = run({"--config", missing});
  CHECK(r.status == 2);
  CHECK(r.err == missing + ": [file] cannot read the configuration file: No such file or directory\n" + missing +
                     ": 1 problem(s) of the file\n");
}

TEST_CASE("check-config without --config is a usage error") {
  const auto r = run({});
  CHECK(r.status == 2);
  CHECK(r.err.find("--config") != std::string::npos);
  CHECK(run({"--config", "a", "--bogus"}).status == 2);
}

TEST_CASE("check-config before the first start: the file passes, what the host lacks is named as the host's") {
  test::temp_dir dir;
  auto j = test::valid_config(dir);
  // As the sample has them: the state directory systemd creates at the first start, the credentials it hands
  // the service only.
  j["ledger"] = (dir.path() / "var-lib-dvcrecon" / "ledger.db").string();
  j["provincial"]["client_secret_file"] = "${CREDENTIALS_DIRECTORY}/provincial";
  j["national"]["password_file"] = "${CREDENTIALS_DIRECTORY}/national";
  const auto file = dir.write("config.json", j.dump(2));
  unsetenv("CREDENTIALS_DIRECTORY");

  auto r = run({"--config", file.string()});
  INFO(r.err);
  CHECK(r.status == 0);
  CHECK(r.out.rfind(file.string() + ": ok; 1 unit (000.00.12.H10), ledger " + dir.path().string(), 0) == 0);
  const std::string host = file.string() + ": [host] ";
  CHECK(r.err.find(host + "ledger: directory " + (dir.path() / "var-lib-dvcrecon").string() + " does not exist\n") !=
        std::string::npos);
  CHECK(r.err.find(host + "provincial.client_secret_file: CREDENTIALS_DIRECTORY is not set") != std::string::npos);
  CHECK(r.err.find(host + "national.password_file: CREDENTIALS_DIRECTORY is not set") != std::string::npos);
  CHECK(r.err.find("[file]") == std::string::npos);
  CHECK(r.err.find("the file is right; 3 problem(s) of this host remain") != std::string::npos);

  r = run({"--config", file.string(), "--strict"});
  CHECK(r.status == 2);
  CHECK(r.err.find("the file is right; 3 problem(s) of this host remain") != std::string::npos);

  // --credentials reads the secrets where LoadCredential= takes them from.
  test::temp_dir creds;
  creds.write("provincial", std::string(test::canary) + "\n");
  creds.write("national", "two\nlines\n");
  // Relative to the working directory, as paths on a command line are.
  r = run({"--config", file.string(), "--credentials", std::filesystem::relative(creds.path()).string()});
  CHECK(r.status == 0);
  CHECK(r.err.find("CREDENTIALS_DIRECTORY") == std::string::npos);
  CHECK(r.err.find(host + "national.password_file: secret file " + (creds.path() / "national").string() +
                   " has a control character at byte 4") != std::string::npos);
  CHECK(r.err.find("2 problem(s) of this host") != std::string::npos);
  CHECK((r.out + r.err).find(test::canary) == std::string::npos);

  // With a problem of the file as well, the check fails whatever the host.
  j["poll_interval_s"] = 5;
  dir.write("config.json", j.dump(2));
  r = run({"--config", file.string()});
  CHECK(r.status == 2);
  CHECK(r.out.empty());
  CHECK(r.err.find(file.string() + ": [file] poll_interval_s: must be within 10..86400 (got 5)\n") !=
        std::string::npos);
  CHECK(r.err.find(file.string() + ": 1 problem(s) of the file and 3 of this host\n") != std::string::npos);
}

TEST_CASE("check-config refuses a cycle of successions naming its codes, and an unknown successor") {
  test::temp_dir dir;
  auto j = test::valid_config(dir);
  j["units"].push_back({{"code", "000.00.10.H19"}});
  j["successions"] = {{{"from", "000.00.12.H10"}, {"to", "000.00.10.H19"}, {"since", "2025-07-01"}},
                      {{"from", "000.00.10.H19"}, {"to", "000.00.12.H10"}, {"since", "2026-01-01"}},
                      {{"from", "000.00.01.H10"}, {"to", "000.00.99.H19"}, {"since", "2025-07-01"}}};
  const auto file = dir.write("config.json", j.dump());
  const auto r = run({"--config", file.string()});
  CHECK(r.status == 2);
  const std::string prefix = file.string() + ": [file] ";
  CHECK(r.err.find(prefix + "successions[2].to: unit 000.00.99.H19 is not among the listed units") !=
        std::string::npos);
  CHECK(r.err.find(prefix + "successions: successions form a cycle: 000.00.10.H19 → 000.00.12.H10 → 000.00.10.H19\n") !=
        std::string::npos);
}
