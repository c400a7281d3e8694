#include "config/config.hpp"

#include <doctest/doctest.h>
#include <sys/stat.h>

#include <random>
#include <sstream>

#include "tests/support/config_test_support.hpp"

using namespace dvc;
using dvc::test::has_problem;
using dvc::test::temp_dir;

TEST_CASE("a valid configuration loads with its values and the defaults of docs/configuration.md") {
  temp_dir dir;
  auto j = test::valid_config(dir);
  j["status_map"] = {{"DONE_ELSEWHERE", 10}, {"completed", 10}};
  j["targets"] = {{"Q3", 97.5}};
  const auto loaded = test::parse(j, dir);
  INFO(test::all_messages(loaded.problems));
  REQUIRE(loaded.value);
  const config& c = *loaded.value;
  CHECK(c.ledger == dir.path() / "ledger.db");
  CHECK(c.poll_interval_s == 300);
  CHECK(c.sync_grace_s == 1800);
  CHECK(c.lookback_s == 600);
  CHECK(c.progress_interval_s == 10);
  CHECK(c.ready_max_age_s() == 900);
  REQUIRE(c.units.size() == 1);
  CHECK(c.units[0].code == "000.00.12.H10");
  CHECK(c.provincial.front().portal.base_url == "https://motcua.example.gov.vn/api");
  CHECK(c.provincial.front().portal.token_url == "https://motcua.example.gov.vn/oauth/token");
  CHECK(c.provincial.front().portal.client_id == "dvcrecon");
  CHECK(c.national.portal.dstcode == "H10");
  CHECK(c.national.portal.madonvi == "000.00.00.H10");
  CHECK(c.national.portal.username == "dvcrecon");
  CHECK(c.provincial.front().client_secret.reveal() == std::string(test::canary) + "-p");
  CHECK(c.national.password.reveal() == std::string(test::canary) + "-n");
  CHECK(c.provincial.front().portal.client_secret.empty());
  CHECK(c.national.portal.password.empty());
  CHECK(c.provincial.front().client_config().client_secret == std::string(test::canary) + "-p");
  CHECK(c.national.client_config().password == std::string(test::canary) + "-n");
  CHECK(c.national.portal.page_size == 500);
  CHECK(c.national.portal.http.ca_file.empty());
  CHECK(c.http.listen.host == "127.0.0.1");
  CHECK(c.http.listen.port == 8470);
  CHECK(c.http.tokens.empty());
  CHECK_FALSE(c.http.tokens_file);
  CHECK(c.http.reads == read_access::open);
  CHECK(c.http.allowed_hosts.empty());
  REQUIRE(c.audit.key);
  CHECK(c.audit.key->reveal() == std::string(test::canary) + "-audit-key-0123456789abcdef");
  CHECK(loaded.warnings.empty());
  CHECK(c.statuses.map("COMPLETED") == 10);
  CHECK(c.statuses.map("DONE_ELSEWHERE") == 10);
  CHECK(c.statuses.map("PROCESSING") == 4);
  CHECK(c.targets == std::array<double, 4>{90, 95, 97.5, 100});
  CHECK(c.log == log_level::info);
  CHECK(c.since_or_default(1'000'000'000) == 1'000'000'000 - 400 * 86400);
}

TEST_CASE("optional keys are read") {
  temp_dir dir;
  auto j = test::valid_config(dir);
  const std::string hash(64, 'a');
  const auto tokens = dir.write("tokens.json", R"({"tokens": [{"name": "Lê Văn Cường", "scope": "ack", "sha256": ")" +
                                                   hash + R"("}, {"name": "viewer", "scope": "read", "sha256": ")" +
                                                   std::string(64, 'b') + R"("}]})");
  j["since"] = "2024-01-01T00:00:00+07:00";
  j["log_level"] = "debug";
  j["poll_interval_s"] = 60;
  j["progress_interval_s"] = 2;
  j["http"] = {{"listen", "[::1]:9000"},
               {"tokens_file", tokens.string()},
               {"read_access", "token"},
               {"allowed_hosts", {"DVCRecon.example.vn", "10.0.0.5"}},
               {"ready_max_age_s", 120}};
  j["national"]["ca_file"] = dir.write("ca.pem", "-----BEGIN CERTIFICATE-----\n").string();
  j["national"]["timeout_s"] = 5;
  j["national"]["max_body_bytes"] = 1 << 20;
  j["national"]["max_pages"] = 7;
  j["provincial"]["page_size"] = 1000;
  j["provincial"]["base_url"] = "http://127.0.0.1:8471/prov";
  j["national"]["base_url"] = "http://localhost";
  const auto loaded = test::parse(j, dir);
  INFO(test::all_messages(loaded.problems));
  REQUIRE(loaded.value);
  const config& c = *loaded.value;
  CHECK(c.since == 1704042000);
  CHECK(c.log == log_level::debug);
  CHECK(c.progress_interval_s == 2);
  CHECK(c.ready_max_age_s() == 120);
  CHECK(c.http.listen.host == "::1");
  CHECK(c.http.listen.port == 9000);
  REQUIRE(c.http.tokens.size() == 2);
  CHECK(c.http.tokens[0].name == "Lê Văn Cường");
  CHECK(c.http.tokens[0].sha256 == hash);
  CHECK(c.http.tokens[0].scope == token_scope::ack);
  CHECK(c.http.tokens[1].scope == token_scope::read);
  CHECK(c.http.tokens_file == tokens.string());
  CHECK(c.http.reads == read_access::token);
  CHECK(c.http.allowed_hosts == std::vector<std::string>{"dvcrecon.example.vn", "10.0.0.5"});
  CHECK(c.national.portal.http.ca_file == (dir.path() / "ca.pem").string());
  CHECK(c.national.portal.http.connect_timeout == std::chrono::seconds(5));
  CHECK(c.national.portal.http.read_timeout == std::chrono::seconds(5));
  CHECK(c.provincial.front().portal.http.read_timeout == http_client_config{}.read_timeout);
  CHECK(c.national.portal.http.body_limit == (1u << 20));
  CHECK(c.national.portal.max_pages == 7);
  CHECK(c.provincial.front().portal.page_size == 1000);
  CHECK(c.provincial.front().portal.base_url == "http://127.0.0.1:8471/prov");
  CHECK(c.national.portal.base_url == "http://localhost");
}

TEST_CASE("relative paths are taken relative to the configuration's directory") {
  temp_dir dir;
  auto j = test::valid_config(dir);
  j["ledger"] = "ledger.db";
  j["provincial"]["client_secret_file"] = "provincial.secret";
  const auto loaded = test::parse(j, dir);
  INFO(test::all_messages(loaded.problems));
  REQUIRE(loaded.value);
  CHECK(loaded.value->ledger == dir.path() / "ledger.db");
  CHECK(loaded.value->provincial.front().client_secret_file == (dir.path() / "provincial.secret").string());
}

TEST_CASE("unknown keys are named at every level") {
  temp_dir dir;
  auto j = test::valid_config(dir);
  j["colour"] = "blue";
  j["provincial"]["client_secret"] = "inline";
  j["national"]["pasword_file"] = "x";
  j["units"][0]["kind"] = 1;
  j["http"] = {{"port", 1}};
  const auto loaded = test::parse(j, dir);
  CHECK_FALSE(loaded.value);
  const auto& p = loaded.problems;
  INFO(test::all_messages(p));
  CHECK(has_problem(p, "colour", "unknown key"));
  CHECK(has_problem(p, "provincial.client_secret", "unknown key"));
  CHECK(has_problem(p, "national.pasword_file", "unknown key"));
  CHECK(has_problem(p, "units[0].kind", "unknown key"));
  CHECK(has_problem(p, "http.port", "unknown key"));
  CHECK(p.size() == 5);
}

TEST_CASE("wrong types name the key and the type found") {
  temp_dir dir;
  auto j = test::valid_config(dir);
  j["poll_interval_s"] = "300";
  j["sync_grace_s"] = 1.5;
  j["units"] = {{"code", "000.00.12.H10"}};
  j["http"] = {{"listen", 8470}};
  j["national"]["username"] = nullptr;
  j["status_map"] = {"COMPLETED", 9};
  const auto loaded = test::parse(j, dir);
  const auto& p = loaded.problems;
  INFO(test::all_messages(p));
  CHECK(has_problem(p, "poll_interval_s", "expected an integer, got string"));
  CHECK(has_problem(p, "sync_grace_s", "expected an integer, got number"));
  CHECK(has_problem(p, "units", "expected an array, got object"));
  CHECK(has_problem(p, "http.listen", "expected a string, got number"));
  CHECK(has_problem(p, "national.username", "expected a string, got null"));
  CHECK(has_problem(p, "status_map", "expected an object, got array"));
  CHECK(p.size() == 6);

  temp_dir other;
  auto k = test::valid_config(other);
  k["provincial"] = "https://motcua";
  const auto second = test::parse(k, other);
  CHECK(has_problem(second.problems, "provincial", "expected an object, got string"));
}

TEST_CASE("missing required keys are named, nested ones with their parent") {
  temp_dir dir;
  auto j = test::valid_config(dir);
  j.erase("ledger");
  j["provincial"].erase("token_url");
  j["national"].erase("dstcode");
  j["national"].erase("password_file");
  j["units"][0].erase("code");
  const auto loaded = test::parse(j, dir);
  const auto& p = loaded.problems;
  INFO(test::all_messages(p));
  CHECK(has_problem(p, "ledger", "required key is missing"));
  CHECK(has_problem(p, "provincial.token_url", "required key is missing"));
  CHECK(has_problem(p, "national.dstcode", "required key is missing"));
  CHECK(has_problem(p, "national.password_file", "required key is missing"));
  CHECK(has_problem(p, "units[0].code", "required key is missing"));
  CHECK(p.size() == 5);

  const auto empty = parse_config("{}", dir.path());
  CHECK(has_problem(empty.problems, "provincial", "required key is missing"));
  CHECK(has_problem(empty.problems, "national", "required key is missing"));
  CHECK(empty.problems.size() == 3);
}

TEST_CASE("base URLs must be absolute https, or http to a loopback host") {
  temp_dir dir;
  const auto problem_for = [&](const std::string& url) {
    auto j = test::valid_config(dir);
    j["national"]["base_url"] = url;
    const auto loaded = test::parse(j, dir);
    return loaded.problems.empty() ? std::string() : describe(loaded.problems.at(0));
  };
  CHECK(problem_for("http://portal.gov.vn/api") ==
        "national.base_url: plain http:// is allowed only for loopback hosts (got portal.gov.vn)");
  CHECK(problem_for("http://127.0.0.1.evil.example/") ==
        "national.base_url: plain http:// is allowed only for loopback hosts (got 127.0.0.1.evil.example)");
  CHECK(problem_for("portal.gov.vn/api") ==
        "national.base_url: URL 'portal.gov.vn/api' has no scheme (expected https:// or http://).");
  CHECK(problem_for("ftp://portal.gov.vn/").find("scheme other than https or http") != std::string::npos);
  CHECK(problem_for("https://:443/").find("has no host") != std::string::npos);
  CHECK(problem_for("https://portal.gov.vn:99999/").find("port outside 1..65535") != std::string::npos);
  CHECK(problem_for("https://portal.gov.vn:0/").find("port outside 1..65535") != std::string::npos);
  CHECK(problem_for("https://por tal.gov.vn/").find("whitespace") != std::string::npos);
  CHECK(problem_for("https://-portal.gov.vn/").find("malformed host") != std::string::npos);
  CHECK(problem_for("https://[::1/").find("unterminated IPv6") != std::string::npos);
  CHECK(problem_for("https://portal.gov.vn/#x").find("fragment") != std::string::npos);
  CHECK(problem_for("http://[::1/").find("unterminated IPv6") != std::string::npos);
  const auto userinfo = problem_for("https://admin:hunter2@portal.gov.vn/");
  CHECK(userinfo.find("credentials") != std::string::npos);
  CHECK(userinfo.find("hunter2") == std::string::npos);

  CHECK(problem_for("http://127.0.0.1:8471/national") == "");
  CHECK(problem_for("http://127.9.8.7/") == "");
  CHECK(problem_for("http://[::1]:8471/") == "");
  CHECK(problem_for("http://LOCALHOST:8471/") == "");
  CHECK(problem_for("HTTPS://Portal.gov.vn:8443/a?b=c") == "");
}

TEST_CASE("secret files are read, trimmed, and never shown") {
  temp_dir dir;
  auto j = test::valid_config(dir);
  j["provincial"]["client_secret_file"] = (dir.path() / "absent.secret").string();
  j["national"]["password_file"] = dir.path().string();
  j["audit"] = {{"key_file", dir.write("empty.secret", "\n").string()}};
  const auto loaded = test::parse(j, dir);
  const auto& p = loaded.problems;
  INFO(test::all_messages(p));
  CHECK(has_problem(p, "provincial.client_secret_file", "absent.secret: No such file or directory"));
  CHECK(has_problem(p, "national.password_file", "cannot read " + dir.path().string() + ": not a regular file"));
  CHECK(has_problem(p, "audit.key_file", "is empty"));
  CHECK(p.size() == 3);

  temp_dir fifo;
  auto f = test::valid_config(fifo);
  const auto pipe = fifo.path() / "pipe.secret";
  REQUIRE(::mkfifo(pipe.c_str(), 0600) == 0);
  f["national"]["password_file"] = pipe.string();
  CHECK(has_problem(test::parse(f, fifo).problems, "national.password_file", "pipe.secret: not a regular file"));

  temp_dir big;
  auto k = test::valid_config(big);
  k["provincial"]["client_secret_file"] = big.write("big.secret", std::string(max_secret_bytes + 1, 'x')).string();
  CHECK(has_problem(test::parse(k, big).problems, "provincial.client_secret_file",
                    "big.secret: larger than 65536 bytes"));
}

TEST_CASE("a secret file must hold one line of printable text; the message gives a position, not the content") {
  struct bad {
    std::string bytes;
    std::size_t at;
  };
  // Each starts with a marker that must not show in any message.
  for (const auto& [bytes, at] :
       {bad{"Zq9two\nlines\n", 7}, bad{"Zq9tab\there", 7}, bad{std::string("Zq9nul\0x", 8), 7}, bad{"Zq9cr\rmid", 6},
        bad{"Zq9del\x7f", 7}, bad{"Zq9\x01start", 4}}) {
    const auto& shown_bytes = bytes;  // CAPTURE's lambda cannot capture a structured binding (clang 14)
    CAPTURE(shown_bytes);
    temp_dir dir;
    auto j = test::valid_config(dir);
    j["national"]["password_file"] = dir.write("n.secret", bytes).string();
    const auto p = test::parse(j, dir).problems;
    INFO(test::all_messages(p));
    CHECK(p.size() == 1);
    CHECK(has_problem(p, "national.password_file", "has a control character at byte " + std::to_string(at)));
    CHECK(test::all_messages(p).find("Zq9") == std::string::npos);
  }
  // Trailing line ends are trimmed, and non-ASCII text is allowed.
  for (const std::string ok : {"pass word\r\n", "mật-khẩu\n\n"}) {
    temp_dir dir;
    auto j = test::valid_config(dir);
    j["national"]["password_file"] = dir.write("n.secret", ok).string();
    CHECK(test::parse(j, dir).problems.empty());
  }
}

TEST_CASE("a secret prints as *** whichever way it is printed") {
  const secret s{std::string(test::canary)};
  std::ostringstream out;
  out << s;
  CHECK(out.str() == "***");
  CHECK(to_string(s) == "***");
  CHECK(s.reveal() == test::canary);
}

TEST_CASE("no problem message ever contains a secret") {
  temp_dir dir;
  auto j = test::valid_config(dir);
  // Secrets misplaced into the file itself, under unknown keys and as wrongly typed values.
  j["password"] = test::canary;
  j["provincial"]["client_secret"] = test::canary;
  j["national"]["username"] = {{"value", test::canary}};
  j["poll_interval_s"] = test::canary;
  j["units"][0]["code"] = 5;
  j["national"]["base_url"] = "https://user:" + std::string(test::canary) + "@portal.gov.vn/";
  j["provincial"]["base_url"] = "http://portal.gov.vn/";
  const auto loaded = test::parse(j, dir);
  REQUIRE(loaded.problems.size() >= 7);
  for (const auto& p : loaded.problems) {
    INFO(describe(p));
    CHECK(describe(p).find(test::canary) == std::string::npos);
  }
}

TEST_CASE("ca_file must be readable") {
  temp_dir dir;
  auto j = test::valid_config(dir);
  j["provincial"]["ca_file"] = (dir.path() / "missing-ca.pem").string();
  const auto loaded = test::parse(j, dir);
  INFO(test::all_messages(loaded.problems));
  CHECK(has_problem(loaded.problems, "provincial.ca_file", "missing-ca.pem: No such file or directory"));
  CHECK(loaded.problems.size() == 1);
}

TEST_CASE("the ledger's directory must exist and be a writable directory") {
  temp_dir dir;
  auto j = test::valid_config(dir);
  j["ledger"] = (dir.path() / "no-such-dir" / "ledger.db").string();
  CHECK(has_problem(test::parse(j, dir).problems, "ledger", "no-such-dir does not exist"));

  j["ledger"] = (dir.path() / "provincial.secret" / "ledger.db").string();
  CHECK(has_problem(test::parse(j, dir).problems, "ledger", "is not a directory"));

  std::filesystem::create_directory(dir.path() / "sub");
  std::filesystem::create_directory(dir.path() / "sub" / "ledger.db");
  j["ledger"] = (dir.path() / "sub" / "ledger.db").string();
  CHECK(has_problem(test::parse(j, dir).problems, "ledger", "is not a regular file"));
}

TEST_CASE("numbers out of range name the key and the allowed range") {
  temp_dir dir;
  auto j = test::valid_config(dir);
  j["poll_interval_s"] = 5;
  j["sync_grace_s"] = -1;
  j["lookback_s"] = 18446744073709551615u;
  j["progress_interval_s"] = 0;
  j["provincial"]["page_size"] = 0;
  j["national"]["page_size"] = 1001;
  j["national"]["timeout_s"] = 0;
  j["provincial"]["max_body_bytes"] = 10;
  j["provincial"]["max_pages"] = 0;
  j["http"] = {{"ready_max_age_s", 0}};
  const auto loaded = test::parse(j, dir);
  const auto& p = loaded.problems;
  INFO(test::all_messages(p));
  CHECK(has_problem(p, "poll_interval_s", "must be within 10..86400 (got 5)"));
  CHECK(has_problem(p, "sync_grace_s", "must be within 0..604800 (got -1)"));
  CHECK(has_problem(p, "lookback_s", "(got 18446744073709551615)"));
  CHECK(has_problem(p, "progress_interval_s", "must be within 1..3600 (got 0)"));
  CHECK(has_problem(p, "provincial.page_size", "must be within 1..1000 (got 0)"));
  CHECK(has_problem(p, "national.page_size", "must be within 1..1000 (got 1001)"));
  CHECK(has_problem(p, "national.timeout_s", "must be within 1..600"));
  CHECK(has_problem(p, "provincial.max_body_bytes", "must be within 4096.."));
  CHECK(has_problem(p, "provincial.max_pages", "must be within 1.."));
  CHECK(has_problem(p, "http.ready_max_age_s", "must be within 1.."));
  CHECK(p.size() == 10);
}

TEST_CASE("unit codes are checked and normalised") {
  temp_dir dir;
  auto j = test::valid_config(dir);
  j["units"] = {{{"code", " 000.00.12.h10 "}},
                {{"code", "ABC"}},
                {{"code", "000.00.12.H10"}, {"name", "again"}},
                {{"code", "000.0.12.H10"}},
                "000.00.13.H10"};
  const auto loaded = test::parse(j, dir);
  const auto& p = loaded.problems;
  INFO(test::all_messages(p));
  CHECK(has_problem(p, "units[1].code", "is not a unit code such as 000.00.12.H10 (got ABC)"));
  CHECK(has_problem(p, "units[2].code", "listed twice"));
  CHECK(has_problem(p, "units[3].code", "is not a unit code"));
  CHECK(has_problem(p, "units[4]", "expected an object, got string"));
  CHECK(p.size() == 4);

  j["units"] = nlohmann::json::array({{{"code", " 000.00.12.h10 "}}});
  const auto ok = test::parse(j, dir);
  REQUIRE(ok.value);
  CHECK(ok.value->units.at(0).code == "000.00.12.H10");
}

TEST_CASE("status_map overrides must name national statuses 1..10") {
  temp_dir dir;
  auto j = test::valid_config(dir);
  j["status_map"] = {{"COMPLETED", 11}, {"ARCHIVED", 0}, {"PAUSED", "8"}, {"  ", 4}, {"RETURNED", 10}};
  const auto loaded = test::parse(j, dir);
  const auto& p = loaded.problems;
  INFO(test::all_messages(p));
  CHECK(has_problem(p, "status_map.COMPLETED", "must be within 1..10 (got 11)"));
  CHECK(has_problem(p, "status_map.ARCHIVED", "must be within 1..10 (got 0)"));
  CHECK(has_problem(p, "status_map.PAUSED", "expected an integer, got string"));
  CHECK(has_problem(p, "status_map.  ", "must not be empty"));
  CHECK(p.size() == 4);
}

TEST_CASE("targets accept only Q1..Q4 with percentages") {
  temp_dir dir;
  auto j = test::valid_config(dir);
  j["targets"] = {{"Q1", 101}, {"Q2", -0.5}, {"Q3", "100"}, {"Q5", 90}, {"2024-Q1", 90}};
  const auto loaded = test::parse(j, dir);
  const auto& p = loaded.problems;
  INFO(test::all_messages(p));
  CHECK(has_problem(p, "targets.Q1", "within 0..100 (got 101)"));
  CHECK(has_problem(p, "targets.Q2", "within 0..100 (got -0.5)"));
  CHECK(has_problem(p, "targets.Q3", "expected a number, got string"));
  CHECK(has_problem(p, "targets.Q5", "unknown key (expected Q1, Q2, Q3 or Q4)"));
  CHECK(has_problem(p, "targets.2024-Q1", "unknown key"));
  CHECK(p.size() == 5);
}

TEST_CASE("http.listen must be host:port") {
  temp_dir dir;
  // With tokens to read with, so that only the address's syntax is judged.
  const auto tokens = dir.write(
      "tokens.json", R"({"tokens": [{"name": "viewer", "scope": "read", "sha256": ")" + std::string(64, 'a') + "\"}]}");
  const auto problem_for = [&](const std::string& listen) {
    auto j = test::valid_config(dir);
    j["http"] = {{"listen", listen}, {"read_access", "token"}, {"tokens_file", tokens.string()}};
    const auto loaded = test::parse(j, dir);
    return loaded.problems.empty() ? std::string() : describe(loaded.problems.at(0));
  };
  CHECK(problem_for("8470").find("http.listen: is not a valid host:port") == 0);
  CHECK(problem_for("localhost").find("no :port") != std::string::npos);
  CHECK(problem_for("127.0.0.1:99999").find("within 0..65535") != std::string::npos);
  CHECK(problem_for("[::1:8470").find("closing ]") != std::string::npos);
  CHECK(problem_for("0.0.0.0:8470") == "");
  CHECK(problem_for("[::]:0") == "");
  CHECK(problem_for("dvc.internal:8470") == "");
}

TEST_CASE("since and log_level are checked") {
  temp_dir dir;
  auto j = test::valid_config(dir);
  j["since"] = "last tuesday";
  j["log_level"] = "verbose";
  const auto loaded = test::parse(j, dir);
  const auto& p = loaded.problems;
  INFO(test::all_messages(p));
  CHECK(has_problem(p, "since", "is not an ISO 8601 time"));
  CHECK(has_problem(p, "log_level", "must be one of error, warning, info, debug (got verbose)"));
  CHECK(p.size() == 2);
}

TEST_CASE("every problem of a file is reported in one pass") {
  temp_dir dir;
  auto j = test::valid_config(dir);
  j["poll_interval_s"] = 1;
  j["extra"] = true;
  j["provincial"]["base_url"] = "http://motcua.example.gov.vn";
  j["national"].erase("madonvi");
  j["units"][0]["code"] = "X";
  j["targets"] = {{"Q4", 200}};
  j["http"] = {{"listen", "nowhere"}};
  const auto loaded = test::parse(j, dir);
  const auto& p = loaded.problems;
  INFO(test::all_messages(p));
  CHECK_FALSE(loaded.value);
  CHECK(has_problem(p, "poll_interval_s", "must be within"));
  CHECK(has_problem(p, "extra", "unknown key"));
  CHECK(has_problem(p, "provincial.base_url", "loopback"));
  CHECK(has_problem(p, "national.madonvi", "required key is missing"));
  CHECK(has_problem(p, "units[0].code", "not a unit code"));
  CHECK(has_problem(p, "targets.Q4", "within 0..100"));
  CHECK(has_problem(p, "http.listen", "host:port"));
  CHECK(p.size() == 7);
}

TEST_CASE("text that is not a JSON object is one problem for the whole file") {
  temp_dir dir;
  const auto broken = parse_config("{\"ledger\": ", dir.path());
  REQUIRE(broken.problems.size() == 1);
  CHECK(broken.problems[0].path.empty());
  CHECK(broken.problems[0].message.find("is not valid JSON") == 0);

  const auto array = parse_config("[1, 2]", dir.path());
  REQUIRE(array.problems.size() == 1);
  CHECK(array.problems[0].message == "expected an object, got array");

  const auto comment = parse_config("{ /* never closed", dir.path());
  REQUIRE(comment.problems.size() == 1);
  CHECK(comment.problems[0].message == "unterminated /* comment starting on line 1");
}

TEST_CASE("load_config names a missing file and reads comments") {
  temp_dir dir;
  const auto missing = load_config(dir.path() / "nope.json");
  REQUIRE(missing.problems.size() == 1);
  CHECK(missing.problems[0].message == "cannot read the configuration file: No such file or directory");

  const auto j = test::valid_config(dir);
  std::string text = j.dump(2);
  text.insert(1, "\n  // the province's service \"config\"\n  /* block\n comment */\n");
  const auto file = dir.write("config.json", text);
  const auto loaded = load_config(file);
  INFO(test::all_messages(loaded.problems));
  REQUIRE(loaded.value);
  CHECK(loaded.value->file == file);
}

TEST_CASE("the sample configuration passes with its secrets as credentials and its ledger in a real directory") {
  temp_dir dir;
  // ctest runs the suites in tests/.
  const std::filesystem::path sample_path = "../systemd/config.sample.json";
  std::ifstream in(sample_path);
  REQUIRE(in);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto replace_all = [&](std::string_view from, const std::string& to) {
    std::size_t replaced = 0;
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
      text.replace(at, from.size(), to);
      ++replaced;
    }
    return replaced;
  };
  CHECK(replace_all("/var/lib/dvcrecon/", dir.path().string() + "/") == 1);
  dir.write("provincial", test::canary);
  dir.write("national", test::canary);
  dir.write("api-tokens",
            R"({"tokens": [{"name": "le.van.cuong", "scope": "ack", "sha256": ")" + std::string(64, '0') + R"("}]})");
  dir.write("audit-key", std::string(64, 'k'));
  // The secrets are where systemd puts the unit's credentials.
  config_options options;
  options.variable = [&](std::string_view name) -> std::optional<std::string> {
    if (name == "CREDENTIALS_DIRECTORY") return dir.path().string();
    return std::nullopt;
  };
  const auto loaded = parse_config(text, dir.path(), options);
  INFO(test::all_messages(loaded.problems));
  REQUIRE(loaded.value);
  CHECK(loaded.warnings.empty());
  CHECK(loaded.value->units.empty());  // every unit unless narrowed
  CHECK(loaded.value->http.tokens.size() == 1);
  CHECK(loaded.value->audit.key);
  CHECK(loaded.value->since);
}

TEST_CASE("control characters in values are refused, so a NUL cannot cut a path short") {
  temp_dir dir;
  auto j = test::valid_config(dir);
  j["provincial"]["client_secret_file"] =
      j["provincial"]["client_secret_file"].get<std::string>() + std::string(1, '\0') + "x";
  j["national"]["username"] = "dvc\nrecon";
  const auto loaded = test::parse(j, dir);
  const auto& p = loaded.problems;
  INFO(test::all_messages(p));
  CHECK(has_problem(p, "provincial.client_secret_file", "must not contain control characters"));
  CHECK(has_problem(p, "national.username", "must not contain control characters"));
  CHECK(p.size() == 2);
}

TEST_CASE("randomly damaged configuration text yields problems, never an exception") {
  temp_dir dir;
  const std::string good = "// sample\n" + test::valid_config(dir).dump(2);
  static constexpr std::string_view alphabet = "{}[]\":,/*\\ \n0123456789-.eEtrufalsnhps:xQ";
  std::mt19937 rng(20240715);
  std::size_t rejected = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string text = good;
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits && !text.empty(); ++e) {
      const std::size_t at = rng() % text.size();
      switch (rng() % 3) {
        case 0:
          text[at] = alphabet[rng() % alphabet.size()];
          break;
        case 1:
          text.erase(at, 1 + rng() % 8);
          break;
        default:
          text.insert(at, 1, alphabet[rng() % alphabet.size()]);
          break;
      }
    }
    config_load loaded;
    CHECK_NOTHROW(loaded = parse_config(text, dir.path()));
    CHECK(loaded.value.has_value() == loaded.problems.empty());
    for (const auto& p : loaded.problems) {
      CHECK_FALSE(p.message.empty());
      CHECK(p.message.find(test::canary) == std::string::npos);
    }
    rejected += loaded.problems.empty() ? 0 : 1;
  }
  // Most damage breaks the file; if nearly none is caught, the checks are not running.
  CHECK(rejected > 1500);
}

TEST_CASE("a secret or tokens file others may write is refused; one others may read is kept with a warning") {
  temp_dir dir;
  auto j = test::valid_config(dir);
  const auto writable = dir.write("national.secret", "a password\n");
  REQUIRE(::chmod(writable.c_str(), 0620) == 0);
  const auto readable = dir.write("provincial.secret", "a client secret\n");
  REQUIRE(::chmod(readable.c_str(), 0644) == 0);
  const auto tokens = dir.write("tokens.json", R"({"tokens": []})");
  REQUIRE(::chmod(tokens.c_str(), 0602) == 0);
  j["national"]["password_file"] = writable.string();
  j["provincial"]["client_secret_file"] = readable.string();
  j["http"] = {{"tokens_file", tokens.string()}};
  const auto loaded = test::parse(j, dir);
  INFO(test::all_messages(loaded.problems));
  CHECK(has_problem(loaded.problems, "national.password_file", "may be written by its group or by others (mode 0620)"));
  CHECK(has_problem(loaded.problems, "http.tokens_file", "may be written by its group or by others (mode 0602)"));
  CHECK(loaded.problems.size() == 2);
  CHECK(has_problem(loaded.warnings, "provincial.client_secret_file",
                    "may be read by its group or by others (mode 0644)"));
  CHECK(test::all_messages(loaded.problems).find("a password") == std::string::npos);

  REQUIRE(::chmod(writable.c_str(), 0600) == 0);
  REQUIRE(::chmod(tokens.c_str(), 0640) == 0);
  const auto fixed = test::parse(j, dir);
  INFO(test::all_messages(fixed.problems));
  REQUIRE(fixed.value);
  CHECK(fixed.warnings.size() == 2);
  CHECK(has_problem(fixed.warnings, "http.tokens_file", "may be read by its group or by others (mode 0640)"));
}

TEST_CASE("files systemd hands over as credentials are not warned about") {
  CHECK(is_credential_path("/run/credentials/dvcrecon.service/api-tokens"));
  CHECK_FALSE(is_credential_path("/run/credentials/../../etc/dvcrecon/api-tokens"));
  CHECK_FALSE(is_credential_path("/etc/dvcrecon/provincial.secret"));
  CHECK_FALSE(is_credential_path("/run/credentialsX/a"));
}

TEST_CASE("the audit key must hold at least 32 bytes") {
  temp_dir dir;
  auto j = test::valid_config(dir);
  j["audit"] = {{"key_file", dir.write("short.key", "only-31-bytes-of-key-0123456789").string()}};
  const auto loaded = test::parse(j, dir);
  CHECK(has_problem(loaded.problems, "audit.key_file", "holds 31 bytes; at least 32 are needed"));
  CHECK(test::all_messages(loaded.problems).find("only-31") == std::string::npos);
  j.erase("audit");
  const auto unkeyed = test::parse(j, dir);
  REQUIRE(unkeyed.value);
  CHECK(has_problem(unkeyed.warnings, "audit.key_file", "is not set"));
}

TEST_CASE("the tokens file: each problem names the entry, never a hash; the old single token_file is refused") {
  temp_dir dir;
  auto j = test::valid_config(dir);
  const std::string good(64, 'c');
  const auto tokens = dir.write("tokens.json", R"({"tokens": [
      {"name": "an", "scope": "ack", "sha256": ")" +
                                                   good + R"("},
      {"name": "an", "scope": "read", "sha256": ")" +
                                                   std::string(64, 'd') + R"("},
      {"name": "binh", "scope": "admin", "sha256": ")" +
                                                   std::string(64, 'e') + R"("},
      {"name": "cuong", "scope": "read", "sha256": ")" +
                                                   good + R"("},
      {"name": "dung", "scope": "read", "sha256": "Zq9-not-a-hash"},
      {"name": "em", "scope": "read", "sha256": ")" +
                                                   std::string(64, 'f') + R"(", "token": "x"}]})");
  j["http"] = {{"tokens_file", tokens.string()}, {"token_file", "api.token"}};
  const auto loaded = test::parse(j, dir);
  const auto& p = loaded.problems;
  INFO(test::all_messages(p));
  CHECK(has_problem(p, "http.tokens_file", "tokens[1].name: \"an\" is also tokens[0]"));
  CHECK(has_problem(p, "http.tokens_file", "tokens[2].scope: must be \"read\" or \"ack\""));
  CHECK(has_problem(p, "http.tokens_file", "tokens[3].sha256: is the same token as tokens[0]"));
  CHECK(has_problem(p, "http.tokens_file", "tokens[4].sha256: must be the SHA-256 of the token"));
  CHECK(has_problem(p, "http.tokens_file", "tokens[5].token: unknown key"));
  CHECK(has_problem(p, "http.token_file", "is replaced by http.tokens_file"));
  CHECK(test::all_messages(p).find("Zq9") == std::string::npos);
  CHECK(test::all_messages(p).find(good) == std::string::npos);
}

TEST_CASE("a listen address that is not loopback needs read_access token, and tokens to read with") {
  temp_dir dir;
  auto j = test::valid_config(dir);
  for (const char* listen : {"0.0.0.0:8470", "10.1.2.3:8470", "[::]:8470", "dvcrecon.example.vn:8470"}) {
    j["http"] = {{"listen", listen}};
    const auto loaded = test::parse(j, dir);
    CHECK_MESSAGE(has_problem(loaded.problems, "http.listen", "is not a loopback address: set http.read_access"),
                  listen);
  }
  for (const char* listen : {"127.0.0.1:8470", "127.0.1.1:8470", "[::1]:8470", "localhost:8470"}) {
    j["http"] = {{"listen", listen}};
    CHECK_MESSAGE(test::parse(j, dir).problems.empty(), listen);
  }
  j["http"] = {{"listen", "0.0.0.0:8470"}, {"read_access", "token"}};
  CHECK(has_problem(test::parse(j, dir).problems, "http.read_access", "names no token to read with"));
  const auto tokens = dir.write(
      "tokens.json", R"({"tokens": [{"name": "viewer", "scope": "read", "sha256": ")" + std::string(64, 'a') + "\"}]}");
  j["http"]["tokens_file"] = tokens.string();
  const auto ok = test::parse(j, dir);
  INFO(test::all_messages(ok.problems));
  CHECK(ok.value);
  j["http"]["read_access"] = "sometimes";
  CHECK(has_problem(test::parse(j, dir).problems, "http.read_access", "must be \"open\" or \"token\""));
}
