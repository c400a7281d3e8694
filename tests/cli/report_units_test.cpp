// Reports of a merged province (docs/rules.md#unit-successions, #indicators): a dossier on the old code on one side
// and the new code on the other, attribution to the receiving unit or the successor, and national's indicators.
#include <doctest/doctest.h>

#include "cli/report_command.hpp"
#include "reports/finding_views.hpp"
#include "reports/sync_rates.hpp"
#include "service/exit_codes.hpp"
#include "tests/support/ops_fixtures.hpp"

using namespace dvc;
using namespace dvc::ops_test;

namespace {

// Bình Phước's department merged into Đồng Nai's from 10 July 2024, a week after the dossiers were received.
const std::string old_unit = "000.00.01.H10", new_unit = "000.00.10.H19";
const std::string key_moved = "000.00.01.H10-240703-0001";    // old code on provincial, new on national; overdue
const std::string key_done = "000.00.10.H19-240703-0002";     // completed on time on both sides, channel differs
const std::string key_missing = "000.00.01.H10-240703-0003";  // provincial only; overdue
const instant since = received + 7 * 86400;

struct merged_fixture {
  temp_dir dir;
  std::string config_path;
  config cfg;

  explicit merged_fixture(const std::string& attribute_to) {
    nlohmann::json j = portals_config(dir);
    j["units"] = {{{"code", new_unit}, {"name", "Sở Y tế Đồng Nai"}},
                  {{"code", old_unit}, {"name", "Sở Y tế Bình Phước"}}};
    j["successions"] = {{{"from", old_unit}, {"to", new_unit}, {"since", format_vietnam_iso(since)}}};
    j["sync_rate"] = {{"attribute_to", attribute_to}};
    config_path = write_config_json(dir, j);
    const auto loaded = load_config(config_path, {config_use::ledger});
    REQUIRE(loaded.value);
    cfg = *loaded.value;

    auto moved_p = make(side::provincial, key_moved, old_unit, "Sở Y tế Bình Phước");
    auto moved_n = make(side::national, key_moved, new_unit, "Sở Y tế Đồng Nai");
    moved_p.due = moved_n.due = received + 86400;  // due the next day, still unfinished ten days in
    auto done_p = make(side::provincial, key_done, new_unit, "Sở Y tế Đồng Nai");
    auto done_n = make(side::national, key_done, new_unit, "Sở Y tế Đồng Nai");
    done_p.completed = done_n.completed = received + 5 * 86400;
    done_n.channel = 1;
    auto missing = make(side::provincial, key_missing, old_unit, "Sở Y tế Bình Phước");
    missing.due = received + 86400;
    auto db = ledger::open(loaded.value->ledger.string());
    reconcile_into(db, {moved_p, moved_n, done_p, done_n, missing}, as_of, &loaded.value->successions);
  }

  nlohmann::json report(const std::string& kind) const {
    const auto r = run(report_command, {kind, "--config", config_path, "--format", "json", "--period", "2024-Q3"});
    REQUIRE(r.status == exit_code::ok);
    return nlohmann::json::parse(r.out);
  }
};

}  // namespace

TEST_CASE("attributed to the successor: one row for the current unit, formerly the old one") {
  const merged_fixture f("successor");
  const auto rows = f.report("sync-rate");
  REQUIRE(rows.size() == 2);
  CHECK(rows[0]["unit_code"] == new_unit);
  CHECK(rows[0]["unit_name"] == "Sở Y tế Đồng Nai");
  CHECK(rows[0]["current_code"].is_null());
  CHECK(rows[0]["former_codes"] == nlohmann::json{old_unit});
  CHECK(rows[0]["formerly"] == "trước đây: Sở Y tế Bình Phước (000.00.01.H10)");
  // key_moved has no finding (old code against its successor is no field_mismatch); key_done's channel differs;
  // key_missing is not on national: 1 of 3.
  CHECK(rows[0]["total"] == 3);
  CHECK(rows[0]["fully_synced"] == 1);

  const auto table = run(report_command, {"sync-rate", "--config", f.config_path, "--period", "2024-Q3"});
  CHECK(table.out.find("trước đây: Sở Y tế Bình Phước (000.00.01.H10)") != std::string::npos);
  CHECK(table.out.find("Đơn vị cũ") != std::string::npos);
}

TEST_CASE("the dossier view marks an old code against its successor as the same unit") {
  const merged_fixture f("successor");
  const auto db = ledger::open(f.cfg.ledger.string());
  const auto unit_differs = [&](const unit_successions& successions) {
    const auto c = compare_dossier(db, key_moved, successions);
    REQUIRE(c);
    for (const auto& field : c->fields)
      if (field.field == "unit_code") return field.differs;
    FAIL("no unit_code row");
    return false;
  };
  CHECK_FALSE(unit_differs(f.cfg.successions));
  CHECK(unit_differs(unit_successions{}));
}

TEST_CASE(
    "before the first evaluation, a unit listed only as a predecessor has no row when dossiers go to successors") {
  const merged_fixture successor("successor"), receiving("receiving");
  const auto codes = [](const std::vector<sync_rate_row>& rows) {
    std::vector<std::string> out;
    for (const auto& r : rows) out.push_back(r.unit_code);
    return out;
  };
  const auto q3 = *period::parse("2024-Q3");
  CHECK(codes(unevaluated_rows(successor.cfg, q3)) == std::vector<std::string>{new_unit, ""});
  CHECK(codes(unevaluated_rows(receiving.cfg, q3)) == std::vector<std::string>{old_unit, new_unit, ""});
}

TEST_CASE("attributed to the receiving unit: the old unit keeps its row, with both codes and its current name") {
  const merged_fixture f("receiving");
  const auto rows = f.report("sync-rate");
  REQUIRE(rows.size() == 3);
  CHECK(rows[0]["unit_code"] == old_unit);  // received before `since`: the old unit received them
  CHECK(rows[0]["current_code"] == new_unit);
  CHECK(rows[0]["unit_name"] == "Sở Y tế Đồng Nai");
  CHECK(rows[0]["formerly"] == "trước đây: Sở Y tế Bình Phước (000.00.01.H10)");
  CHECK(rows[0]["total"] == 2);  // key_moved, key_missing
  CHECK(rows[0]["fully_synced"] == 1);
  CHECK(rows[1]["unit_code"] == new_unit);
  CHECK(rows[1]["former_codes"].empty());
  CHECK(rows[1]["total"] == 1);  // key_done
  CHECK(rows[1]["fully_synced"] == 0);

  const auto table = run(report_command, {"sync-rate", "--config", f.config_path, "--period", "2024-Q3"});
  CHECK(table.out.find("000.00.01.H10 → 000.00.10.H19") != std::string::npos);
}

TEST_CASE("report indicators: national's view of the merged unit beside the strict rate") {
  const merged_fixture f("successor");
  const auto rows = f.report("indicators");
  REQUIRE(rows.size() == 2);
  const auto& unit = rows[0];
  CHECK(unit["unit_code"] == new_unit);
  CHECK(unit["formerly"] == "trước đây: Sở Y tế Bình Phước (000.00.01.H10)");
  CHECK(unit["provincial"] == 3);
  CHECK(unit["national"] == 2);
  CHECK(unit["synced"].get<double>() == doctest::Approx(2.0 / 3));  // 2 / max(3, 2)
  CHECK(unit["strict"].get<double>() == doctest::Approx(1.0 / 3));  // 1 of 3 without a finding
  CHECK(unit["gap"].get<double>() == doctest::Approx(1.0 / 3));     // 2/3 − 1/3
  // National: key_done on time (day 5 of 30), key_moved late (due the day after receipt, unfinished at T): 1 / 2.
  CHECK(unit["on_time_national"] == nlohmann::json{{"on_time", 1}, {"late", 1}, {"unknown", 0}, {"rate", 0.5}});
  // Provincial: key_done on time; key_moved and key_missing due the day after receipt, unfinished: late. 1 / 3.
  CHECK(unit["on_time_provincial"]["on_time"] == 1);
  CHECK(unit["on_time_provincial"]["late"] == 2);
  CHECK(unit["on_time_provincial"]["rate"].get<double>() == doctest::Approx(1.0 / 3));
  CHECK(unit["on_time_gap"].get<double>() == doctest::Approx(1.0 / 6));  // 1/2 − 1/3
  CHECK(rows[1]["unit_code"].is_null());
  CHECK(rows[1]["synced"].get<double>() == doctest::Approx(2.0 / 3));

  auto r = run(report_command, {"indicators", "--config", f.config_path, "--format", "csv"});
  REQUIRE(r.status == exit_code::ok);
  CHECK(r.out.rfind("\xEF\xBB\xBFunit_code,unit_name,formerly,period,provincial,national,synced,strict,gap,", 0) == 0);
  CHECK(r.out.find("000.00.10.H19,Sở Y tế Đồng Nai,trước đây: Sở Y tế Bình Phước (000.00.01.H10),2024-Q3,3,2,"
                   "0.666667,0.333333,0.333333,1,1,0,0.500000,1,2,0,0.333333,0.166667\r\n") != std::string::npos);
  r = run(report_command, {"indicators", "--config", f.config_path});
  REQUIRE(r.status == exit_code::ok);
  CHECK(r.out.find("Đồng bộ (QG) %") != std::string::npos);
  CHECK(r.out.find("66.67") != std::string::npos);
  r = run(report_command, {"indicators", "--config", f.config_path, "--period", "2024-Q9"});
  CHECK(r.status == exit_code::usage);
  CHECK(r.err.find("report indicators") != std::string::npos);
}

TEST_CASE("report indicators takes the periods and --unit of report sync-rate: a year, a range of days, one unit") {
  const merged_fixture f("successor");
  const auto quarter = f.report("indicators");
  REQUIRE(quarter.size() == 2);
  for (const auto& period_args :
       std::vector<std::vector<std::string>>{{"--year", "2024"},
                                             {"--from", "2024-07-01", "--to", "2024-09-30"},
                                             {"--from", "2024-01-01", "--to", "2024-12-31"}}) {
    std::vector<std::string> args = {"indicators", "--config", f.config_path, "--format", "json"};
    args.insert(args.end(), period_args.begin(), period_args.end());
    const auto r = run(report_command, args);
    REQUIRE(r.status == exit_code::ok);
    const auto rows = nlohmann::json::parse(r.out);
    REQUIRE(rows.size() == 2);
    for (std::size_t i = 0; i < rows.size(); ++i) {
      CHECK(rows[i]["provincial"] == quarter[i]["provincial"]);  // every dossier of the fixture is in 2024-Q3
      CHECK(rows[i]["national"] == quarter[i]["national"]);
      CHECK(rows[i]["strict"] == quarter[i]["strict"]);  // the strict rate of the same period beside it
    }
    CHECK(rows[0]["period"] == (period_args[0] == "--year" ? "2024" : period_args[1] + ".." + period_args[3]));
  }
  auto r = run(report_command, {"indicators", "--config", f.config_path, "--format", "json", "--year", "2023"});
  REQUIRE(r.status == exit_code::ok);
  for (const auto& row : nlohmann::json::parse(r.out)) CHECK(row["provincial"] == 0);

  r = run(report_command, {"indicators", "--config", f.config_path, "--format", "json", "--unit", new_unit});
  REQUIRE(r.status == exit_code::ok);
  const auto one = nlohmann::json::parse(r.out);
  REQUIRE(one.size() == 1);
  CHECK(one[0]["unit_code"] == new_unit);
  r = run(report_command, {"indicators", "--config", f.config_path, "--from", "2024-07-01"});
  CHECK(r.status == exit_code::usage);
  CHECK(r.err.find("report indicators: --from and --to go together") != std::string::npos);
}
