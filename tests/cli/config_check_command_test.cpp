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
  const std::string prefix = file.string() + ": ";
  CHECK(r.err.find(prefix + "poll_interval_s: must be within 10..86400 (got 0)\n") != std::string::npos);
  CHECK(r.err.find(prefix + "secret: unknown key\n") != std::string::npos);
  CHECK(r.err.find(prefix +
                   "national.base_url: plain http:// is allowed only for loopback hosts (got portal.gov.vn)\n") !=
        std::string::npos);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 3);
  CHECK(r.err.find(test::canary) == std::string::npos);
}

TEST_CASE("check-config names a missing file and exits 2") {
  test::temp_dir dir;
  const auto missing = (dir.path() / "absent.json").string();
  const auto r = run({"--config", missing});
  CHECK(r.status == 2);
  CHECK(r.err == missing + ": cannot read the configuration file: No such file or directory\n");
}

TEST_CASE("check-config without --config is a usage error") {
  const auto r = run({});
  CHECK(r.status == 2);
  CHECK(r.err.find("--config") != std::string::npos);
  CHECK(run({"--config", "a", "--bogus"}).status == 2);
}
