// The simulator's data: the built-in province and vocabulary, a province given as a file, and errors that name
// the file and key at fault.
#include "sim/catalog.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <set>

#include "reconcile/unit_successions.hpp"
#include "sim/data_reader.hpp"
#include "sim/render.hpp"
#include "sim/vocabulary.hpp"
#include "sim/world.hpp"
#include "tests/support/temp_dir.hpp"

using namespace dvc::sim;

namespace {

// A province after the 2025 reorganisation, in miniature: a merged province's departments and new communes.
constexpr const char* merged_province = R"({
  // comments are allowed
  "province": {"code": "000.00.00.H27", "name": "Tỉnh Đồng Nai", "portal_host": "dichvucong.dongnai.gov.vn"},
  "units": [
    {"code": "000.00.12.H27", "name": "Sở Xây dựng", "level": "department", "desk": "Trung tâm Phục vụ hành chính công tỉnh", "leader": "Phó Giám đốc Sở", "weight": 3},
    {"code": "000.00.04.H27", "name": "Sở Tư pháp", "level": "department", "desk": "Trung tâm Phục vụ hành chính công tỉnh", "leader": "Phó Giám đốc Sở", "weight": 2},
    {"code": "000.55.31.H27", "name": "UBND phường Đồng Xoài", "level": "commune", "desk": "Trung tâm Phục vụ hành chính công phường Đồng Xoài", "leader": "Phó Chủ tịch UBND phường", "weight": 4},
    {"code": "000.57.33.H27", "name": "UBND xã Phú Riềng", "level": "commune", "desk": "Trung tâm Phục vụ hành chính công xã Phú Riềng", "leader": "Phó Chủ tịch UBND xã", "weight": 2}
  ],
  "procedures": [
    {"code": "1.002804", "name": {"vi": "Đổi giấy phép lái xe", "en": "Renewal of a driving licence"}, "sector": {"code": "G12-DB", "name": "Đường bộ"}, "levels": ["department"], "department": "Phòng Quản lý vận tải", "result": "Giấy phép lái xe", "days": 5},
    {"code": "2.000488", "name": {"vi": "Cấp Phiếu lý lịch tư pháp", "en": "Judicial record certificate"}, "sector": {"code": "G04-LLTP", "name": "Lý lịch tư pháp"}, "levels": ["department"], "department": "Phòng Hành chính tư pháp", "result": "Phiếu lý lịch tư pháp", "days": 10},
    {"code": "2.000815", "name": {"vi": "Chứng thực bản sao từ bản chính", "en": "Certified copies"}, "sector": {"code": "H04-CT", "name": "Chứng thực"}, "levels": ["commune"], "department": "Bộ phận Tư pháp", "result": "Bản sao chứng thực điện tử", "days": 1},
    {"code": "1.001022", "name": {"vi": "Đăng ký kết hôn", "en": "Marriage registration"}, "sector": {"code": "H04-HT", "name": "Hộ tịch"}, "levels": ["commune"], "department": "Bộ phận Tư pháp", "result": "Giấy chứng nhận kết hôn", "days": 5}
  ],
  "people": {
    "family": [{"text": "Nguyễn", "ascii": "nguyen"}, {"text": "Điểu", "ascii": "dieu"}],
    "middle": ["Văn", "Thị"],
    "given": [{"text": "An", "ascii": "an"}, {"text": "Bình", "ascii": "binh"}],
    "businesses": ["Công ty TNHH Long Thành"],
    "organisations": ["Hội Nông dân xã Phú Riềng"]
  }
})";

std::string error_of(const std::string& text) {
  try {
    catalog::from_text(text, "p.json");
  } catch (const data_error& e) {
    return e.what();
  }
  return "(accepted)";
}

std::string with(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("the built-in province and vocabulary load") {
  const auto province = catalog::builtin();
  CHECK(province->province().code == "000.00.00.H10");
  CHECK(province->units().size() == 18);
  CHECK(province->procedures().size() == 26);
  CHECK(province->unit_index("000.00.12.H10").has_value());
  CHECK_FALSE(province->unit_index("000.00.99.H10").has_value());
  for (std::uint16_t u = 0; u < province->units().size(); ++u) {
    CHECK(province->procedures_of(u).size() >= 10);
    CHECK(province->has_peer(u));
  }
  const auto& words = vocabulary::get();
  CHECK(words.status(national_status::processing).contract_code == "PROCESSING");
  CHECK(words.status(national_status::processing).shape_b.size() == 2);
  CHECK(words.status(national_status::returned).label == "Đã trả kết quả");
  CHECK(words.channel_of(channel::online).shape_b == 0);
  CHECK(words.channel_of(channel::in_person).contract == 0);
  CHECK(words.paid() == std::vector<std::string>{"1", "2"});
  CHECK(words.not_paid() == std::vector<std::string>{"0", "3"});
  CHECK(words.language_vi() == 228);
}

TEST_CASE("a province described by a file: its units, levels and codes are what the portals serve") {
  dvc::test::temp_dir dir("dvc-sim-province");
  const auto file = dir.path() / "dong-nai.json";
  std::ofstream(file) << merged_province;
  const world w({.seed = 4, .dossiers = 3000, .clock_start = 1751331600, .province = catalog::from_file(file)});
  std::set<std::string> units, procedures;
  for (std::uint32_t idx = 0; idx < w.count(); ++idx) {
    if (!w.present(idx, portal::provincial)) continue;
    std::string text;
    render(w, idx, portal::provincial, wire_shape::b, text);
    const auto record = nlohmann::json::parse(text);
    units.insert(record["agency"]["code"].get<std::string>());
    const auto unit = record["agency"]["code"].get<std::string>();
    const auto procedure = record["procedure"]["code"].get<std::string>();
    procedures.insert(procedure);
    // Communes handle the commune procedures only.
    if (unit.starts_with("000.5")) CHECK((procedure == "2.000815" || procedure == "1.001022"));
    CHECK(record["code"].get<std::string>().starts_with(unit + "-"));
    REQUIRE(w.find(record["code"].get<std::string>()) == idx);
  }
  CHECK(units.size() == 4);
  CHECK(procedures.size() == 4);
}

TEST_CASE("a province file with a mistake is refused, naming the file and the key") {
  CHECK(error_of(merged_province) == "(accepted)");
  CHECK(error_of("{").starts_with("p.json: not valid JSON"));
  CHECK(error_of(with(merged_province, R"("weight": 3)", R"("weight": 0)")) ==
        "p.json: units[0].weight: a whole number from 1 to 10000 is expected");
  CHECK(error_of(with(merged_province, R"("weight": 3)", R"("weight": 3, "colour": "red")")) ==
        "p.json: units[0].colour: unknown key");
  CHECK(error_of(with(merged_province, "000.00.04.H27", "000.00.12.H27")) ==
        "p.json: units[1].code: '000.00.12.H27' is given to two units");
  CHECK(error_of(with(merged_province, "000.00.04.H27", "000.00.04.h27")) ==
        "p.json: units[1].code: upper-case letters, digits and dots are expected");
  CHECK(error_of(with(merged_province, R"("code": "1.002804")", R"("code": "1.002804.000.00.00.H27")")) ==
        "p.json: procedures[0].code: two groups of digits separated by a dot, e.g. 1.003560");
  CHECK(error_of(with(merged_province, R"("levels": ["commune"], "department": "Bộ phận Tư pháp", "result": "Bản)",
                      R"("levels": ["ward"], "department": "Bộ phận Tư pháp", "result": "Bản)")) ==
        "p.json: procedures[2].levels: no unit has the level 'ward'");
  const auto commune_without_procedures =
      with(with(merged_province, R"(["commune"], "department": "Bộ phận Tư pháp", "result": "Bản)",
                R"(["department"], "department": "Bộ phận Tư pháp", "result": "Bản)"),
           R"(["commune"], "department": "Bộ phận Tư pháp", "result": "Giấy)",
           R"(["department"], "department": "Bộ phận Tư pháp", "result": "Giấy)");
  CHECK(error_of(commune_without_procedures) == "p.json: procedures: no procedure for the units of level 'commune'");
  CHECK(error_of(with(merged_province, R"("middle": ["Văn", "Thị"])", R"("middle": [])")) ==
        "p.json: people.middle: a list of strings, not empty, is expected");
  CHECK_THROWS_WITH_AS(catalog::from_file("/nonexistent/p.json"), "/nonexistent/p.json: cannot read the file",
                       data_error);
}

TEST_CASE("today's Đồng Nai: units of both eras, and successions from every old unit to one of today's") {
  constexpr std::int64_t jul_2025 = 1751302800;  // 2025-07-01T00:00:00+07:00
  const auto province = catalog::merged();
  CHECK(province->province().code == "000.00.00.H19");
  REQUIRE(province->eras().size() == 2);
  const auto& before = province->eras()[0];
  const auto& today = province->era_at(jul_2025);
  CHECK(today.start == jul_2025);
  CHECK(&province->era_at(jul_2025 - 1) == &before);
  const auto in = [](const unit_era& era, std::uint16_t u) {
    return std::find(era.units.begin(), era.units.end(), u) != era.units.end();
  };
  std::set<std::string> old_provinces, levels_before, levels_today;
  for (const auto u : before.units) {
    const auto& unit = province->units()[u];
    old_provinces.insert(unit.code.substr(10));
    levels_before.insert(unit.level);
  }
  for (const auto u : today.units) levels_today.insert(province->units()[u].level);
  // Units of both former provinces before; the district level abolished after, communes and wards in its place.
  CHECK(old_provinces == std::set<std::string>{"H10", "H19"});
  CHECK(levels_before == std::set<std::string>{"department", "district"});
  CHECK(levels_today == std::set<std::string>{"commune", "department"});
  // Mã định danh shape 000.00.12.H10 (docs/configuration.md#units): digits, a letter and two digits.
  for (const auto& unit : province->units()) {
    CHECK(unit.code.size() == 13);
    for (std::size_t i = 0; i < unit.code.size(); ++i) {
      const char c = unit.code[i];
      if (i == 3 || i == 6 || i == 9) {
        CHECK(c == '.');
      } else if (i == 10) {
        CHECK((c >= 'A' && c <= 'Z'));
      } else {
        CHECK((c >= '0' && c <= '9'));
      }
    }
  }
  // The successions build with no cycle and resolve every old unit to one receiving dossiers today.
  const auto built = dvc::unit_successions::build({province->successions().begin(), province->successions().end()});
  CHECK(built.problems.empty());
  CHECK(province->successions().size() == 46);
  for (const auto& s : province->successions()) {
    CHECK(s.since == jul_2025);
    const auto from = province->unit_index(s.from), to = province->unit_index(s.to);
    REQUIRE((from && to));
    CHECK(in(before, *from));
    CHECK_FALSE(in(today, *from));
    CHECK(in(today, *province->unit_index(province->succession_table().current(s.from))));
    CHECK(province->current(*from) == *to);
  }
  for (const auto u : before.units) {
    if (!in(today, u)) CHECK(province->current(u) != u);
  }
  for (std::uint16_t u = 0; u < province->units().size(); ++u) CHECK(province->has_peer(u));
}

TEST_CASE("a province file's successions name its units, follow its eras and form no cycle") {
  const auto with_successions = [](const std::string& list) {
    return with(merged_province, R"(  "procedures": [)", R"(  "successions": [)" + list + "],\n  \"procedures\": [");
  };
  const std::string ok = R"({"from": "000.00.04.H27", "to": "000.00.12.H27", "since": "2025-07-01"})";
  const auto province = catalog::from_text(with_successions(ok), "p.json");
  REQUIRE(province->eras().size() == 2);
  CHECK(province->eras()[1].units.size() == 3);
  CHECK(province->current(*province->unit_index("000.00.04.H27")) == *province->unit_index("000.00.12.H27"));
  CHECK(error_of(with_successions(with(ok, "000.00.12.H27", "000.00.99.H27"))) ==
        "p.json: successions[0].to: '000.00.99.H27' is not one of the units");
  CHECK(error_of(with_successions(with(ok, "2025-07-01", "1 July"))) ==
        "p.json: successions[0].since: a date such as 2025-07-01 is expected");
  CHECK(
      error_of(with_successions(ok + R"(, {"from": "000.00.12.H27", "to": "000.00.04.H27", "since": "2025-07-01"})")) ==
      "p.json: successions: successions form a cycle: 000.00.04.H27 → 000.00.12.H27 → 000.00.04.H27");
  // A unit that receives dossiers from a day can succeed only from that day on.
  const auto later = with(merged_province, R"("weight": 3})", R"("weight": 3, "since": "2026-01-01"})");
  CHECK(error_of(with(later, R"(  "procedures": [)", R"(  "successions": [)" + ok + "],\n  \"procedures\": [")) ==
        "p.json: successions[0].since: '000.00.12.H27' receives no dossiers yet on that day");
}
