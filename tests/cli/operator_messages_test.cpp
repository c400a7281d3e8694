// What the operators' commands say when an option is wrong (docs/cli.md#exit-status-and-errors): what is allowed,
// in words; and the filters and periods they take (--kind, --unit, --state, --year, --from/--to).
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "cli/demo_command.hpp"
#include "cli/mismatches_command.hpp"
#include "cli/reconcile_command.hpp"
#include "cli/report_command.hpp"
#include "service/exit_codes.hpp"
#include "tests/support/ops_fixtures.hpp"

using namespace dvc;
using namespace dvc::ops_test;

namespace {

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("a number out of range is said in words, never as the bounds of a type") {
  commands_fixture f;
  struct usage {
    int (*command)(const std::vector<std::string>&);
    std::vector<std::string> args;
    std::string says;
  };
  const std::vector<usage> cases = {
      {mismatches_command,
       {"list", "--config", f.config_path, "--limit", "0"},
       "--limit: must be a whole number from 1 to 10000, not \"0\""},
      {mismatches_command,
       {"list", "--config", f.config_path, "--limit", "99999999999999999999999"},
       "--limit: must be a whole number from 1 to 10000, not \"99999999999999999999999\""},
      {mismatches_command,
       {"list", "--config", f.config_path, "--limit", "ten"},
       "--limit: must be a whole number from 1 to 10000, not \"ten\""},
      {mismatches_command,
       {"ack", "0", "--note", "x", "--config", f.config_path},
       "ID: must be a whole number, 1 or more, not \"0\""},
      {reconcile_command,
       {"--provincial", "p.jsonl", "--national", "n.jsonl", "--grace", "-5"},
       "--grace: must be a whole number, 0 or more, not \"-5\""},
      {demo_command, {"--dossiers", "0"}, "--dossiers: must be a whole number from 1 to 200000, not \"0\""},
      {mismatches_command,
       {"list", "--config", f.config_path, "--format", "xml"},
       "--format: must be one of table, jsonl, csv, not \"xml\""},
      {report_command,
       {"sync-rate", "--config", f.config_path, "--year", "99"},
       "--year: must be a whole number from 2000 to 2100, not \"99\""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.says);
    const auto r = run(c.command, c.args);
    CHECK(r.status == exit_code::usage);
    CHECK(r.err.find(c.says) != std::string::npos);
    CHECK(r.err.find("179769313486") == std::string::npos);
    CHECK(r.err.find("0.000000") == std::string::npos);
  }
}

TEST_CASE("a wrong --kind lists every valid kind") {
  commands_fixture f;
  for (const std::string sub : {"list", "export"}) {
    CAPTURE(sub);
    std::vector<std::string> args = {sub, "--config", f.config_path, "--kind", "falsly_closed"};
    if (sub == "export") args.insert(args.end(), {"--format", "csv"});
    const auto r = run(mismatches_command, args);
    CHECK(r.status == exit_code::usage);
    CHECK(r.err.find("--kind \"falsly_closed\" is not a finding kind; the kinds are missing_on_national, "
                     "missing_on_provincial, falsely_closed, status_mismatch, deadline_mismatch, overdue_hidden, "
                     "field_mismatch, progress_not_synced") != std::string::npos);
    CHECK(r.out.empty());
  }
}

TEST_CASE("--unit must name a configured unit or one the ledger holds; an unknown one is an error naming it") {
  commands_fixture f;
  const std::vector<std::vector<std::string>> commands = {
      {"list", "--config", f.config_path},
      {"export", "--format", "csv", "--config", f.config_path},
  };
  for (auto args : commands) {
    args.insert(args.end(), {"--unit", "000.00.99.H10"});
    const auto r = run(mismatches_command, args);
    CHECK(r.status == exit_code::usage);
    CHECK(r.err.find("--unit \"000.00.99.H10\" is neither a unit of the configuration nor a unit of any dossier or "
                     "finding in the ledger") != std::string::npos);
  }
  auto r = run(report_command, {"sync-rate", "--config", f.config_path, "--unit", "000.00.99.H10"});
  CHECK(r.status == exit_code::usage);
  CHECK(r.err.find("--unit \"000.00.99.H10\" is neither") != std::string::npos);

  // A unit the configuration no longer lists but the ledger holds is still a unit (lower case is normalised).
  {
    auto cfg = nlohmann::json::parse(std::ifstream(f.config_path));
    cfg.erase("units");
    std::ofstream(f.config_path) << cfg.dump();
  }
  r = run(mismatches_command, {"list", "--config", f.config_path, "--format", "jsonl", "--unit", "000.00.13.h10"});
  CHECK(r.status == exit_code::ok);
  CHECK(count_of(r.out, "\n") == 2);
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) CHECK(nlohmann::json::parse(line)["unit_code"] == unit_b);
}

TEST_CASE("export filters by kind, unit and state, and needs --out for xlsx") {
  commands_fixture f;
  auto r = run(mismatches_command, {"export", "--format", "csv", "--lang", "en", "--config", f.config_path, "--kind",
                                    "field_mismatch", "--kind", "missing_on_provincial", "--unit", unit_b});
  REQUIRE(r.status == exit_code::ok);
  CHECK(count_of(r.out, "\r\n") == 3);  // the header and two findings
  CHECK(count_of(r.out, ",field_mismatch,") == 1);
  CHECK(count_of(r.out, ",missing_on_provincial,") == 1);
  r = run(mismatches_command, {"export", "--format", "csv", "--config", f.config_path, "--state", "resolved"});
  CHECK(r.status == exit_code::ok);
  CHECK(count_of(r.out, "\r\n") == 1);  // the header only: nothing is resolved
  r = run(mismatches_command, {"export", "--format", "xlsx", "--config", f.config_path});
  CHECK(r.status == exit_code::usage);
  CHECK(r.err.find("--format xlsx needs --out FILE") != std::string::npos);
}

TEST_CASE("report sync-rate: a year, a range of days, a unit; wrong periods say what they must be") {
  commands_fixture f;
  auto r = run(report_command, {"sync-rate", "--config", f.config_path, "--format", "json", "--year", "2024"});
  REQUIRE(r.status == exit_code::ok);
  auto rows = nlohmann::json::parse(r.out);
  REQUIRE(rows.size() == 3);
  CHECK(rows[0]["period"] == "2024");
  CHECK(rows[0]["target"] == 100.0);  // a year is judged by its last quarter's target

  r = run(report_command,
          {"sync-rate", "--config", f.config_path, "--format", "json", "--from", "2024-07-01", "--to", "2024-07-02"});
  REQUIRE(r.status == exit_code::ok);
  rows = nlohmann::json::parse(r.out);
  CHECK(rows.empty());  // the dossiers were received on 2024-07-03
  r = run(report_command, {"sync-rate", "--config", f.config_path, "--format", "json", "--from", "2024-07-03", "--to",
                           "2024-07-03", "--unit", unit_a});
  REQUIRE(r.status == exit_code::ok);
  rows = nlohmann::json::parse(r.out);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0]["period"] == "2024-07-03..2024-07-03");
  CHECK(rows[0]["unit_code"] == unit_a);
  CHECK(rows[0]["total"] == 2);

  const std::vector<std::pair<std::vector<std::string>, std::string>> wrong = {
      {{"--from", "2024-07-01"}, "--from and --to go together"},
      {{"--from", "2024-02-30", "--to", "2024-03-01"}, "--from \"2024-02-30\" is not a date like 2026-01-31"},
      {{"--from", "2024-07-02", "--to", "2024-07-01"}, "--from 2024-07-02 is after --to 2024-07-01"},
      {{"--period", "2024-Q5"}, "--period \"2024-Q5\" is neither a month like 2024-07 nor a quarter like 2024-Q3"},
      {{"--period", "2024-Q3", "--year", "2024"}, "--period excludes --year"},
  };
  for (const auto& [extra, says] : wrong) {
    const auto& shown_says = says;  // CAPTURE's lambda cannot capture a structured binding (clang 14)
    CAPTURE(shown_says);
    std::vector<std::string> args = {"sync-rate", "--config", f.config_path};
    args.insert(args.end(), extra.begin(), extra.end());
    r = run(report_command, args);
    CHECK(r.status == exit_code::usage);
    CHECK(r.err.find(says) != std::string::npos);
  }
}

TEST_CASE("report sync-rate's table right-aligns its numbers") {
  commands_fixture f;
  const auto r = run(report_command, {"sync-rate", "--config", f.config_path});
  REQUIRE(r.status == exit_code::ok);
  // "Tổng" is four columns wide and the unit counts are one digit: right-aligned, three spaces come first.
  CHECK(r.out.find("Sở Giao thông vận tải     2") != std::string::npos);
  CHECK(r.out.find("   50.00      100.00") != std::string::npos);
}
