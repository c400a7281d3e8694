// Values an attacker controls through a portal (dossier codes, unit names, statuses) or an operator types (notes)
// reach every output of the commands: CSV cells must not run as spreadsheet formulas, and terminal output must not
// carry control characters that forge lines or rewrite the screen.
#include <doctest/doctest.h>

#include <iostream>
#include <sstream>

#include "cli/mismatches_command.hpp"
#include "cli/reconcile_command.hpp"
#include "cli/report_command.hpp"
#include "service/exit_codes.hpp"
#include "tests/support/ops_fixtures.hpp"

using namespace dvc;
using namespace dvc::ops_test;

namespace {

bool has_control(const std::string& text, bool allow_line_ends) {
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (allow_line_ends && (c == '\n' || c == '\r')) continue;
    if (u < 0x20 || u == 0x7F) return true;
  }
  return false;
}

// A provincial record whose code, unit and status carry a formula and control characters.
std::string hostile_provincial_line(const std::string& code, const std::string& applied) {
  nlohmann::json j = {{"id", 1},
                      {"code", code},
                      {"procedure", {{"code", "1.003560"}, {"name", "Cấp giấy phép lái xe"}}},
                      {"agency", {{"code", "-000.00.12.H10"}, {"name", "@SUM(1)\x1b[31m đỏ"}}},
                      {"status", {{"code", "PROCESSING"}}},
                      {"appliedDate", applied},
                      {"appointmentDate", "2024-07-30T17:00:00+07:00"},
                      {"updatedDate", "2024-07-16T10:00:00+07:00"},
                      {"applyMethod", {{"id", 2}}},
                      {"results", nlohmann::json::array()},
                      {"steps", nlohmann::json::array()}};
  return j.dump() + "\n";
}

}  // namespace

TEST_CASE("reconcile: csv neutralises formula cells, the table and stderr show control characters escaped") {
  temp_dir dir;
  const auto provincial =
      dir.write("p.jsonl", hostile_provincial_line("\t=HYPERLINK(\"http://evil\",\"x\")", "2024-07-15T08:00:00+07:00") +
                               hostile_provincial_line("000.00.12.H10-240716-0002", "soon\n\x1b[2Jinfo forged ok"));
  const auto national = dir.write("n.jsonl", "");
  const std::vector<std::string> base = {"--provincial",    provincial.string(), "--national",
                                         national.string(), "--as-of",           "2024-07-25T10:00:00+07:00"};

  auto args = base;
  args.insert(args.end(), {"--format", "csv"});
  auto r = run(reconcile_command, args);
  REQUIRE(r.status == exit_code::ok);
  // The key was trimmed of its tab and upper-cased, and still starts a formula: neutralised all the same.
  CHECK(r.out.find(",\"'=HYPERLINK(\"\"HTTP://EVIL\"\",\"\"X\"\")\",") != std::string::npos);
  CHECK(r.out.find(",\"'-000.00.12.H10\",") != std::string::npos);
  CHECK(r.out.find(",=HYPERLINK") == std::string::npos);
  CHECK(r.out.find("{\"") == std::string::npos);                    // the export's plain columns, no JSON in a cell
  CHECK(r.out.find(",missing_on_national,") != std::string::npos);  // the code beside its Vietnamese label

  // The malformed second record is reported on stderr with its bad value escaped: one line, no escape sequence.
  CHECK(r.err.find("soon\\n\\x1b[2Jinfo forged ok") != std::string::npos);
  CHECK_FALSE(has_control(r.err, true));
  CHECK(r.err.find("\ninfo forged") == std::string::npos);

  args = base;
  args.insert(args.end(), {"--format", "table"});
  r = run(reconcile_command, args);
  REQUIRE(r.status == exit_code::ok);
  CHECK(r.out.find("@SUM(1)\\x1b[31m đỏ") != std::string::npos);
  CHECK_FALSE(has_control(r.out, true));
}

TEST_CASE("mismatches list, export and show, and report sync-rate: formula cells neutralised, controls escaped") {
  temp_dir dir;
  const std::string config_path = write_config_file(dir);
  const std::string evil_key = "=HYPERLINK(\"HTTP://EVIL\")";
  const std::string evil_unit = "+000.00.14.H10";
  {
    auto db = ledger::open(make_config(dir).ledger.string());
    auto world = first_world();
    world.push_back(make(side::provincial, evil_key, evil_unit, "@SUM(A1)\n\x1b[2J"));
    reconcile_into(db, world, as_of);
    const auto id = db.findings_for_key(evil_key).at(0).id;
    db.ack(id, "đã xử lý\r\n2024-07-25  ack  forged  (admin)", "Lê\x1b[8m Văn", as_of + 10);
  }
  auto r = run(mismatches_command, {"export", "--format", "csv", "--all", "--config", config_path});
  REQUIRE(r.status == exit_code::ok);
  CHECK(r.out.find(",\"'=HYPERLINK(\"\"HTTP://EVIL\"\")\",") != std::string::npos);
  CHECK(r.out.find(",\"'+000.00.14.H10\",") != std::string::npos);

  r = run(mismatches_command, {"list", "--format", "csv", "--config", config_path});
  REQUIRE(r.status == exit_code::ok);
  CHECK(r.out.find(",\"'=HYPERLINK(") != std::string::npos);

  r = run(mismatches_command, {"list", "--config", config_path});
  REQUIRE(r.status == exit_code::ok);
  CHECK(r.out.find("@SUM(A1)\\n\\x1b[2J") != std::string::npos);
  CHECK_FALSE(has_control(r.out, true));

  r = run(mismatches_command, {"show", evil_key, "--config", config_path});
  REQUIRE(r.status == exit_code::ok);
  CHECK_FALSE(has_control(r.out, true));
  CHECK(r.out.find("đã xử lý\\r\\n2024-07-25  ack  forged  (admin)") != std::string::npos);
  CHECK(r.out.find("Lê\\x1b[8m Văn") != std::string::npos);

  r = run(report_command, {"sync-rate", "--config", config_path, "--format", "csv"});
  REQUIRE(r.status == exit_code::ok);
  CHECK(r.out.find("\"'+000.00.14.H10\",\"'@SUM(A1)\n\x1b[2J\"") != std::string::npos);
  r = run(report_command, {"sync-rate", "--config", config_path});
  REQUIRE(r.status == exit_code::ok);
  CHECK_FALSE(has_control(r.out, true));
}
