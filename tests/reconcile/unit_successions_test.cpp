// Unit successions (docs/rules.md#unit-successions): building the table, resolving chains, the since-date, and
// unit codes compared as resolved units by field_mismatch.
#include "reconcile/unit_successions.hpp"

#include <doctest/doctest.h>

#include "tests/reconcile/fixtures.hpp"

using namespace dvc;
using namespace dvc::test;

namespace {

// Bình Phước's and Đồng Nai's old departments merged into one new department from 1 July 2025; the new one was
// renamed again from 1 January 2026.
const std::string bp_old = "000.00.01.H10", dn_old = "000.00.02.H19", merged = "000.00.10.H19",
                  renamed = "000.00.11.H19", other = "000.00.12.H10";
const instant july = *parse_iso_time("2025-07-01"), january = *parse_iso_time("2026-01-01");

unit_successions table() {
  auto built = unit_successions::build({{bp_old, merged, july}, {dn_old, merged, july}, {merged, renamed, january}});
  REQUIRE(built.problems.empty());
  return built.value;
}

struct build_case {
  const char* name;
  std::vector<unit_succession> list;
  std::vector<std::string> problems;
};

}  // namespace

TEST_CASE("successions are built, or refused with a message per problem") {
  const std::vector<build_case> cases = {
      {"many to one", {{bp_old, merged, july}, {dn_old, merged, july}}, {}},
      {"a chain", {{bp_old, merged, july}, {merged, renamed, january}}, {}},
      {"a unit succeeding itself", {{bp_old, bp_old, july}}, {"unit 000.00.01.H10 cannot succeed itself"}},
      {"one unit to two",
       {{bp_old, merged, july}, {bp_old, renamed, july}},
       {"unit 000.00.01.H10 is given two successors, 000.00.10.H19 and 000.00.11.H19; a unit has one successor "
        "(many units may share it)"}},
      {"a cycle of two, named from its smallest code",
       {{merged, bp_old, july}, {bp_old, merged, january}},
       {"successions form a cycle: 000.00.01.H10 → 000.00.10.H19 → 000.00.01.H10"}},
      {"a cycle of three reached from a chain is reported once",
       {{other, bp_old, july}, {bp_old, dn_old, july}, {dn_old, merged, july}, {merged, bp_old, july}},
       {"successions form a cycle: 000.00.01.H10 → 000.00.02.H19 → 000.00.10.H19 → 000.00.01.H10"}},
  };
  for (const auto& c : cases) {
    INFO("case: ", std::string(c.name));
    const auto built = unit_successions::build(c.list);
    CHECK(built.problems == c.problems);
    CHECK(built.value.empty() == !c.problems.empty());
  }
}

TEST_CASE("a code resolves to the end of its chain, and at a date only through successions then in force") {
  const auto t = table();
  struct resolve_case {
    std::string code;
    std::string current;
    instant when;
    std::string at;
  };
  const std::vector<resolve_case> cases = {
      {bp_old, renamed, july - 1, bp_old},  // the day before the merger: still its own unit
      {bp_old, renamed, july, merged},      // from 00:00 Vietnam time on the day given
      {dn_old, renamed, january - 1, merged},
      {dn_old, renamed, january, renamed},  // through the whole chain once the rename is in force
      {merged, renamed, july, merged},
      {renamed, renamed, july, renamed},  // a current unit is its own
      {other, other, january, other},     // a code no succession names is its own
  };
  for (const auto& c : cases) {
    INFO(c.code, " at ", c.when);
    CHECK(t.current(c.code) == c.current);
    CHECK(t.at(c.code, c.when) == c.at);
  }
  CHECK(t.predecessors(renamed) == std::vector<std::string>{bp_old, dn_old, merged});
  CHECK(t.predecessors(merged).empty());  // merged resolves further, so nothing resolves to it
  CHECK(t.predecessors(other).empty());
}

TEST_CASE("attribution: to the unit in charge on the receipt day, or to the successor") {
  const auto t = table();
  CHECK(t.attribute(bp_old, july - 86400, unit_attribution::receiving) == bp_old);
  // An old code still used after the merger was received by the merged unit.
  CHECK(t.attribute(bp_old, july + 86400, unit_attribution::receiving) == merged);
  CHECK(t.attribute(bp_old, std::nullopt, unit_attribution::receiving) == bp_old);
  CHECK(t.attribute(bp_old, july - 86400, unit_attribution::successor) == renamed);
  CHECK(t.attribute(bp_old, std::nullopt, unit_attribution::successor) == renamed);
}

TEST_CASE("field_mismatch compares unit codes as resolved units; keys are not rewritten") {
  const auto t = table();
  struct mismatch_case {
    const char* name;
    std::string provincial_unit, national_unit;
    bool with_successions;
    bool unit_differs;
  };
  const std::vector<mismatch_case> cases = {
      {"old code on provincial, successor on national", bp_old, merged, true, false},
      {"successor on provincial, old code on national", merged, bp_old, true, false},
      {"two old codes merged into one unit", bp_old, dn_old, true, false},
      {"old code and the end of its chain", dn_old, renamed, true, false},
      {"a code that is no predecessor still differs", bp_old, other, true, true},
      {"without successions an old and a new code differ", bp_old, merged, false, true},
  };
  for (const auto& c : cases) {
    INFO("case: ", std::string(c.name));
    auto p = facts_of(parse_provincial(provincial_base(), {}).value);
    auto n = facts_of(parse_national(national_base()).value);
    p.unit_code = c.provincial_unit;
    n.unit_code = c.national_unit;
    evaluation_context ctx{case_as_of(), 1800, c.with_successions ? &t : nullptr};
    const auto ev = evaluate(&p, &n, ctx);
    bool unit_differs = false;
    for (const auto& f : ev.findings) {
      CHECK(f.key == p.key);
      if (f.kind == finding_kind::field_mismatch)
        for (const auto& name : f.details["fields"]) unit_differs = unit_differs || name == "unit_code";
    }
    CHECK(unit_differs == c.unit_differs);
    // A finding names the code the provincial record carries, not a resolved one.
    if (c.unit_differs) CHECK(ev.findings.front().unit_code == c.provincial_unit);
  }
}
