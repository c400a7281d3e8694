// Every (kind, reason) of docs/rules.md#findings: a positive case and near-miss negatives, asserting the exact finding
// set.
#include <doctest/doctest.h>

#include <functional>

#include "tests/reconcile/fixtures.hpp"

using namespace dvc;
using namespace dvc::test;

namespace {

struct rule_case {
  const char* name;
  std::function<void(json& p, json& n)> mutate;
  std::set<std::string> expected;
  bool drop_provincial = false;
  bool drop_national = false;
  const char* as_of = "2024-07-19T12:00:00+07:00";
};

void check(const rule_case& c) {
  json p = provincial_base(), n = national_base();
  if (c.mutate) c.mutate(p, n);
  const auto out = run_case(c.drop_provincial ? std::nullopt : std::optional<json>(p),
                            c.drop_national ? std::nullopt : std::optional<json>(n), *parse_iso_time(c.as_of));
  const auto join = [](const std::set<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += x + " ";
    return s;
  };
  INFO("case: ", std::string(c.name));
  CHECK(join(out.raised) == join(c.expected));
}

const std::vector<rule_case> cases = {
    {"consistent pair raises nothing", nullptr, {}},

    // missing_on_national / not_pushed
    {"provincial only", nullptr, {"missing_on_national/not_pushed"}, false, true},
    {"provincial only, status NEW: not expected on national",
     [](json& p, json&) {
       p["status"]["code"] = "NEW";
       p["completedDate"] = nullptr;
       p["results"] = json::array();
     },
     {},
     false,
     true},
    {"nationCode null: code is the key and matches", [](json& p, json&) { p["nationCode"] = nullptr; }, {}},
    {"nationCode empty string: code is the key", [](json& p, json&) { p["nationCode"] = ""; }, {}},
    {"nationCode differs from code: nationCode is the key",
     [](json& p, json&) { p["code"] = "000.00.12.H10-240715-9999"; },
     {}},
    {"keys differ only by case and spaces",
     [](json& p, json& n) {
       p["nationCode"] = "  000.00.12.h10-240715-0001 ";
       n["MaHoSo"] = "000.00.12.H10-240715-0001\t";
     },
     {}},

    // missing_on_provincial / unknown_code
    {"national only", nullptr, {"missing_on_provincial/unknown_code"}, true, false},
    {"different keys: one finding each side",
     [](json& p, json&) { p["nationCode"] = "000.00.12.H10-240715-0002"; },
     {"missing_on_national/not_pushed", "missing_on_provincial/unknown_code"}},

    // falsely_closed / closed_on_national_only
    {"national done, provincial processing",
     [](json& p, json&) { p["status"]["code"] = "PROCESSING"; },
     {"falsely_closed/closed_on_national_only"}},
    {"national done as a number, provincial received",
     [](json& p, json& n) {
       p["status"]["code"] = "received";
       n["TrangThaiHoSo"] = 9;
     },
     {"falsely_closed/closed_on_national_only"}},
    {"both processing: not closed on national",
     [](json& p, json& n) {
       p["status"]["code"] = "PROCESSING";
       n["TrangThaiHoSo"] = "4";
     },
     {}},
    {"both done with different done codes: status differs only",
     [](json& p, json& n) {
       p["status"]["code"] = "COMPLETED";
       n["TrangThaiHoSo"] = "10";
     },
     {"status_mismatch/national_behind"}},

    // falsely_closed / no_result_document
    {"provincial done without results",
     [](json& p, json&) { p["results"] = json::array(); },
     {"falsely_closed/no_result_document"}},
    {"national done without results (missing key)",
     [](json&, json& n) { n.erase("DanhSachGiayToKetQua"); },
     {"falsely_closed/no_result_document"}},
    {"national results as empty string",
     [](json&, json& n) { n["DanhSachGiayToKetQua"] = ""; },
     {"falsely_closed/no_result_document"}},
    {"not done without results: nothing",
     [](json& p, json& n) {
       p["status"]["code"] = "PROCESSING";
       n["TrangThaiHoSo"] = "4";
       p["results"] = json::array();
       n["DanhSachGiayToKetQua"] = json::array();
     },
     {}},
    {"single side: provincial only, done, no results",
     [](json& p, json&) { p["results"] = nullptr; },
     {"missing_on_national/not_pushed", "falsely_closed/no_result_document"},
     false,
     true},
    {"single side: national only, done, no results",
     [](json&, json& n) { n["DanhSachGiayToKetQua"] = json::array(); },
     {"missing_on_provincial/unknown_code", "falsely_closed/no_result_document"},
     true,
     false},
    {"no results outranks steps after completion",
     [](json& p, json&) {
       p["results"] = json::array();
       p["steps"][1]["endDate"] = nullptr;
     },
     {"falsely_closed/no_result_document"}},

    // falsely_closed / steps_after_completion
    {"provincial done with an open step",
     [](json& p, json&) {
       p["steps"].push_back(
           {{"name", "Trả kết quả"}, {"startDate", "2024-07-18T10:00:00+07:00"}, {"endDate", nullptr}});
     },
     {"falsely_closed/steps_after_completion"}},
    {"national step ended one second after completion",
     [](json&, json& n) { n["QuaTrinhXuLy"][1]["ThoiDiemXuLy"] = "20240718100001"; },
     {"falsely_closed/steps_after_completion"}},
    {"step ending exactly at completion is not after",
     [](json& p, json&) { p["steps"][1]["endDate"] = "2024-07-18T03:00:00Z"; },
     {}},
    {"open step on a dossier not done: nothing",
     [](json& p, json& n) {
       p["status"]["code"] = "PROCESSING";
       n["TrangThaiHoSo"] = "4";
       p["steps"].push_back({{"name", "Thẩm định"}, {"endDate", nullptr}});
     },
     {}},
    {"national open step as empty string",
     [](json&, json& n) {
       n["QuaTrinhXuLy"].push_back({{"NoiDungXuLy", "Trả kết quả"}, {"ThoiDiemXuLy", ""}});
     },
     {"falsely_closed/steps_after_completion"}},

    // falsely_closed / completed_before_receipt
    {"completion before receipt on both sides, not done",
     [](json& p, json& n) {
       p["status"]["code"] = "PROCESSING";
       n["TrangThaiHoSo"] = "4";
       p["completedDate"] = "2024-07-14T08:00:00+07:00";
       n["NgayKetThucXuLy"] = "20240714080000";
     },
     {"falsely_closed/completed_before_receipt"}},
    {"completion equal to receipt is not before",
     [](json& p, json& n) {
       p["status"]["code"] = "PROCESSING";
       n["TrangThaiHoSo"] = "4";
       p["completedDate"] = "2024-07-15T01:00:00Z";
       n["NgayKetThucXuLy"] = "20240715080000";
     },
     {}},
    {"single side: national only, completion before receipt",
     [](json&, json& n) {
       n["TrangThaiHoSo"] = "4";
       n["NgayKetThucXuLy"] = "20240714080000";
     },
     {"missing_on_provincial/unknown_code", "falsely_closed/completed_before_receipt"},
     true,
     false},

    // status_mismatch
    {"provincial done, national processing: national behind",
     [](json&, json& n) { n["TrangThaiHoSo"] = "4"; },
     {"status_mismatch/national_behind"}},
    {"provincial processing, national received: differs",
     [](json& p, json& n) {
       p["status"]["code"] = "PROCESSING";
       n["TrangThaiHoSo"] = "2";
     },
     {"status_mismatch/differs"}},
    {"status given as a number on national matches", [](json&, json& n) { n["TrangThaiHoSo"] = 10; }, {}},
    {"status code in lower case with spaces matches", [](json& p, json&) { p["status"]["code"] = " returned "; }, {}},

    // deadline_mismatch
    {"due dates an hour apart",
     [](json&, json& n) { n["NgayHenTra"] = "20240720180000"; },
     {"deadline_mismatch/differs"}},
    {"same due instant in Z and national local time",
     [](json& p, json&) { p["appointmentDate"] = "2024-07-20T10:00:00Z"; },
     {}},
    {"due date missing on national", [](json&, json& n) { n["NgayHenTra"] = ""; }, {"deadline_mismatch/differs"}},
    {"due date as a number on national matches", [](json&, json& n) { n["NgayHenTra"] = 20240720170000LL; }, {}},

    // overdue_hidden
    {"provincial completed after its due, national due later",
     [](json& p, json&) { p["appointmentDate"] = "2024-07-17T17:00:00+07:00"; },
     {"deadline_mismatch/differs", "overdue_hidden/on_time_on_national"}},
    {"completion exactly at due is on time",
     [](json& p, json&) { p["appointmentDate"] = "2024-07-18T10:00:00+07:00"; },
     {"deadline_mismatch/differs"}},
    {"not done and T past provincial due, national due later",
     [](json& p, json& n) {
       p["status"]["code"] = "PROCESSING";
       n["TrangThaiHoSo"] = "4";
       p["completedDate"] = nullptr;
       n["NgayKetThucXuLy"] = "";
       p["appointmentDate"] = "2024-07-19T11:00:00+07:00";
     },
     {"deadline_mismatch/differs", "overdue_hidden/on_time_on_national"}},
    {"not done and T exactly at due is not overdue",
     [](json& p, json& n) {
       p["status"]["code"] = "PROCESSING";
       n["TrangThaiHoSo"] = "4";
       p["completedDate"] = nullptr;
       n["NgayKetThucXuLy"] = "";
       p["appointmentDate"] = "2024-07-19T12:00:00+07:00";
     },
     {"deadline_mismatch/differs"}},
    {"overdue on both sides: not hidden",
     [](json& p, json& n) {
       p["status"]["code"] = "PROCESSING";
       n["TrangThaiHoSo"] = "4";
       p["completedDate"] = nullptr;
       n["NgayKetThucXuLy"] = "";
     },
     {},
     false,
     false,
     "2024-07-25T00:00:00+07:00"},
    {"provincial overdue, national done on time (closed on national only as well)",
     [](json& p, json&) {
       p["status"]["code"] = "PROCESSING";
       p["completedDate"] = nullptr;
     },
     {"falsely_closed/closed_on_national_only", "overdue_hidden/on_time_on_national", "field_mismatch/differs"},
     false,
     false,
     "2024-07-25T00:00:00+07:00"},

    // field_mismatch
    {"procedure code differs", [](json&, json& n) { n["MaTTHC"] = "1.003561"; }, {"field_mismatch/differs"}},
    {"procedure code with spaces and number type",
     [](json& p, json& n) {
       p["procedure"]["code"] = " 1.003560 ";
       n["MaTTHC"] = "1.003560";
     },
     {}},
    {"unit code differs", [](json&, json& n) { n["DonViXuLy"] = "000.00.13.H10"; }, {"field_mismatch/differs"}},
    {"unit code in lower case matches", [](json& p, json&) { p["agency"]["code"] = "000.00.12.h10"; }, {}},
    {"channel differs", [](json&, json& n) { n["KenhThucHien"] = "1"; }, {"field_mismatch/differs"}},
    {"channel as a number matches",
     [](json& p, json& n) {
       p["applyMethod"]["id"] = "1";
       n["KenhThucHien"] = 2;
     },
     {}},
    {"procedure code with the agency appended matches",
     [](json&, json& n) { n["MaTTHC"] = "1.003560.000.00.00.H10"; },
     {}},
    {"procedure code differing in its second segment differs",
     [](json&, json& n) { n["MaTTHC"] = "1.003561.000.00.00.H10"; },
     {"field_mismatch/differs"}},
    {"procedure code differing after its second segment only matches",
     [](json& p, json& n) {
       p["procedure"]["code"] = "1.003560.000.00.00.H10";
       n["MaTTHC"] = "1.003560.000.00.00.H11";
     },
     {}},
    {"online payment differs", [](json&, json& n) { n["DuocThanhToanTrucTuyen"] = "1"; }, {"field_mismatch/differs"}},
    {"online payment through a provincial gateway (2) is paid online",
     [](json&, json& n) { n["DuocThanhToanTrucTuyen"] = "2"; },
     {"field_mismatch/differs"}},
    {"online payment 0 is not paid", [](json&, json& n) { n["DuocThanhToanTrucTuyen"] = 0; }, {}},
    {"online payment empty is unknown and not compared", [](json&, json& n) { n["DuocThanhToanTrucTuyen"] = ""; }, {}},
    {"online payment absent on the provincial side is unknown and not compared",
     [](json& p, json& n) {
       p.erase("onlinePayment");
       n["DuocThanhToanTrucTuyen"] = "1";
     },
     {}},
    {"digitised differs", [](json&, json& n) { n["HoSoCoThanhPhanSoHoa"] = "0"; }, {"field_mismatch/differs"}},
    {"digitised as a number matches", [](json&, json& n) { n["HoSoCoThanhPhanSoHoa"] = 1; }, {}},
    {"receipt time differs by a second",
     [](json&, json& n) { n["NgayTiepNhan"] = "20240715080001"; },
     {"field_mismatch/differs"}},
    {"receipt time in Z with fraction equals national local",
     [](json& p, json&) { p["appliedDate"] = "2024-07-15T01:00:00.750Z"; },
     {}},
    {"completion time differs",
     [](json&, json& n) { n["NgayKetThucXuLy"] = "20240718110000"; },
     {"field_mismatch/differs"}},
    {"national completion before its last step ended",
     [](json&, json& n) { n["NgayKetThucXuLy"] = "20240718090000"; },
     {"falsely_closed/steps_after_completion", "field_mismatch/differs"}},
    {"completion missing on national only",
     [](json&, json& n) { n["NgayKetThucXuLy"] = ""; },
     {"field_mismatch/differs"}},

    // progress_not_synced
    {"national lacks an ended step",
     [](json&, json& n) { n["QuaTrinhXuLy"].erase(1); },
     {"progress_not_synced/missing_steps"}},
    {"national has more ended steps: not flagged",
     [](json&, json& n) { n["QuaTrinhXuLy"].push_back(n["QuaTrinhXuLy"][0]); },
     {}},

    // pending (grace period) and several kinds at once
    {"provincial updated within the grace period: pending",
     [](json& p, json& n) {
       p["updatedDate"] = "2024-07-19T11:30:01+07:00";
       n["TrangThaiHoSo"] = "4";
     },
     {}},
    {"provincial updated exactly at T - G: not pending",
     [](json& p, json& n) {
       p["updatedDate"] = "2024-07-19T11:30:00+07:00";
       n["TrangThaiHoSo"] = "4";
     },
     {"status_mismatch/national_behind"}},
    {"national updated within the grace period: pending",
     [](json&, json& n) {
       n["NgayCapNhat"] = "20240719113001";
       n["TrangThaiHoSo"] = "4";
     },
     {}},
    {"pending provincial-only record raises nothing",
     [](json& p, json&) { p["updatedDate"] = "2024-07-19T12:00:00+07:00"; },
     {},
     false,
     true},
    {"several kinds at once, one per kind",
     [](json& p, json& n) {
       n["TrangThaiHoSo"] = "4";
       n["NgayHenTra"] = "20240721170000";
       n["KenhThucHien"] = "1";
       n["QuaTrinhXuLy"].erase(1);
       p["results"] = json::array();
     },
     {"falsely_closed/no_result_document", "status_mismatch/national_behind", "deadline_mismatch/differs",
      "field_mismatch/differs", "progress_not_synced/missing_steps"}},

    // unknown status codes are never guessed: status rules skipped, others still apply
    {"unknown provincial status: status rules skipped",
     [](json& p, json& n) {
       p["status"]["code"] = "ARCHIVED";
       n["TrangThaiHoSo"] = "4";
     },
     {}},
    {"unknown national status with a differing due date",
     [](json&, json& n) {
       n["TrangThaiHoSo"] = "11";
       n["NgayHenTra"] = "20240721170000";
     },
     {"deadline_mismatch/differs"}},
};

}  // namespace

TEST_CASE("rules of docs/rules.md, table-driven") {
  for (const auto& c : cases) {
    check(c);
  }
}

TEST_CASE("field_mismatch details name the differing fields") {
  json p = provincial_base(), n = national_base();
  n["KenhThucHien"] = "1";
  n["NgayTiepNhan"] = "20240715090000";
  auto pf = facts_of(parse_provincial(p, {}).value), nf = facts_of(parse_national(n).value);
  const auto ev = evaluate(&pf, &nf, {case_as_of(), 1800});
  REQUIRE(ev.findings.size() == 1);
  CHECK(ev.findings[0].details["fields"] == json::array({"channel", "receipt_time"}));
  CHECK(ev.findings[0].details["provincial"]["channel"] == 2);
  CHECK(ev.findings[0].details["national"]["channel"] == 1);
  CHECK(ev.findings[0].unit_code == "000.00.12.H10");
}

TEST_CASE("unknown status codes are reported as warnings, the record kept") {
  json p = provincial_base();
  p["status"]["code"] = "ARCHIVED";
  const auto out = run_case(p, std::nullopt);
  REQUIRE(out.warnings.size() == 1);
  CHECK(out.warnings[0].find("ARCHIVED") != std::string::npos);
  CHECK(out.raised == std::set<std::string>{"missing_on_national/not_pushed"});
}

TEST_CASE("a status_map override changes the mapping") {
  status_map map;
  map.set("COMPLETED", 10);
  json p = provincial_base();
  p["status"]["code"] = "COMPLETED";
  CHECK(run_case(p, national_base(), case_as_of(), 1800, map).raised.empty());
  CHECK(run_case(p, national_base()).raised == std::set<std::string>{"status_mismatch/national_behind"});
  CHECK_THROWS_AS(map.set("X", 11), std::invalid_argument);
}
