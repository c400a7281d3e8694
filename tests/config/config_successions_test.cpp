// `successions` and `sync_rate` (docs/configuration.md#successions): read, resolved, and refused with the key and
// the codes at fault.
#include <doctest/doctest.h>

#include "config/config.hpp"
#include "tests/support/config_test_support.hpp"

using namespace dvc;
using dvc::test::has_problem;
using dvc::test::temp_dir;

namespace {

const std::string bp_old = "000.00.01.H10", dn_old = "000.00.02.H19", merged = "000.00.10.H19";

nlohmann::json merged_province(const temp_dir& dir) {
  auto j = test::valid_config(dir);
  j["units"] = {{{"code", merged}, {"name", "Sở Y tế Đồng Nai"}}, {{"code", bp_old}, {"name", "Sở Y tế Bình Phước"}}};
  j["successions"] = {{{"from", bp_old}, {"to", merged}, {"since", "2025-07-01"}},
                      {{"from", " 000.00.02.h19 "}, {"to", merged}, {"since", "2025-07-01"}}};
  return j;
}

}  // namespace

TEST_CASE("successions many to one are read; predecessors of listed units are read too") {
  temp_dir dir;
  const auto loaded = test::parse(merged_province(dir), dir);
  INFO(test::all_messages(loaded.problems));
  REQUIRE(loaded.value);
  const config& c = *loaded.value;
  CHECK(c.successions.current(bp_old) == merged);
  CHECK(c.successions.current(dn_old) == merged);  // normalised
  CHECK(c.successions.at(bp_old, *parse_iso_time("2025-06-30T23:59:59+07:00")) == bp_old);
  CHECK(c.successions.at(bp_old, *parse_iso_time("2025-07-01T00:00:00+07:00")) == merged);
  CHECK(c.attribute_to == unit_attribution::successor);
  // The old Đồng Nai code is not listed, yet its records are read: it resolves to a listed unit.
  CHECK(c.unit_codes_read() == std::vector<std::string>{merged, bp_old, dn_old});
  CHECK(c.unit_name(bp_old) == "Sở Y tế Bình Phước");
  CHECK(c.unit_name(dn_old).empty());
}

TEST_CASE("sync_rate.attribute_to is receiving or successor") {
  temp_dir dir;
  auto j = merged_province(dir);
  j["sync_rate"] = {{"attribute_to", "receiving"}};
  const auto ok = test::parse(j, dir);
  REQUIRE(ok.value);
  CHECK(ok.value->attribute_to == unit_attribution::receiving);

  j["sync_rate"] = {{"attribute_to", "newest"}, {"by", "x"}};
  const auto bad = test::parse(j, dir);
  INFO(test::all_messages(bad.problems));
  CHECK(has_problem(bad.problems, "sync_rate.attribute_to", "must be receiving or successor (got newest)"));
  CHECK(has_problem(bad.problems, "sync_rate.by", "unknown key"));
  CHECK(bad.problems.size() == 2);
}

TEST_CASE("a cycle of successions is refused naming its codes; so are a second successor and an unlisted one") {
  struct bad_case {
    const char* name;
    nlohmann::json successions;
    std::string path, message;
  };
  const std::vector<bad_case> cases = {
      {"a cycle",
       {{{"from", bp_old}, {"to", merged}, {"since", "2025-07-01"}},
        {{"from", merged}, {"to", bp_old}, {"since", "2026-01-01"}}},
       "successions",
       "successions form a cycle: 000.00.01.H10 → 000.00.10.H19 → 000.00.01.H10"},
      {"two successors",
       {{{"from", dn_old}, {"to", merged}, {"since", "2025-07-01"}},
        {{"from", dn_old}, {"to", bp_old}, {"since", "2025-07-01"}}},
       "successions",
       "unit 000.00.02.H19 is given two successors, 000.00.10.H19 and 000.00.01.H10"},
      {"a successor not among the listed units",
       {{{"from", bp_old}, {"to", "000.00.99.H19"}, {"since", "2025-07-01"}}},
       "successions[0].to",
       "unit 000.00.99.H19 is not among the listed units"},
      {"a code that is not a unit code",
       {{{"from", "BP"}, {"to", merged}, {"since", "2025-07-01"}}},
       "successions[0].from",
       "is not a unit code such as 000.00.12.H10 (got BP)"},
      {"a date that is not a date",
       {{{"from", bp_old}, {"to", merged}, {"since", "1/7/2025"}}},
       "successions[0].since",
       "is not a date such as 2025-07-01 (got 1/7/2025)"},
      {"a missing key", {{{"from", bp_old}, {"to", merged}}}, "successions[0].since", "required key is missing"},
      {"not an array", "000.00.01.H10", "successions", "expected an array"},
  };
  for (const auto& c : cases) {
    INFO("case: ", std::string(c.name));
    temp_dir dir;
    auto j = merged_province(dir);
    j["successions"] = c.successions;
    const auto loaded = test::parse(j, dir);
    INFO(test::all_messages(loaded.problems));
    CHECK_FALSE(loaded.value);
    CHECK(has_problem(loaded.problems, c.path, c.message));
    CHECK(loaded.problems.size() == 1);
  }
}
