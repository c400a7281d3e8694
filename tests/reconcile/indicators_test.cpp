// Indicators as national computes them (docs/rules.md#indicators), against values worked out by hand.
#include "reconcile/indicators.hpp"

#include <doctest/doctest.h>

using namespace dvc;

namespace {

maybe_instant at(const char* iso) { return iso ? parse_iso_time(iso) : std::nullopt; }

const std::string unit_a = "000.00.10.H19", unit_b = "000.00.11.H19";

indicator_subject subject(side s, const std::string& unit, const char* received, const char* due, const char* completed,
                          bool registered = false) {
  return {s, unit, "", at(received), at(due), at(completed), registered};
}

}  // namespace

TEST_CASE("on time is decided by calendar day in Vietnam time") {
  struct day_case {
    const char* name;
    const char* due;
    const char* completed;
    const char* reference;
    std::optional<bool> on_time;
  };
  const std::vector<day_case> cases = {
      {"completed late in the evening of the due day", "2025-07-10T08:00:00+07:00", "2025-07-10T23:30:00+07:00",
       "2025-09-30T00:00:00+07:00", true},
      {"completed half an hour into the next day, given in UTC", "2025-07-15T17:00:00+07:00", "2025-07-15T17:30:00Z",
       "2025-09-30T00:00:00+07:00", false},
      {"unfinished, the reference on the due day: not yet late", "2025-10-05T00:00:00+07:00", nullptr,
       "2025-10-05T23:59:59+07:00", std::nullopt},
      {"unfinished, the reference the day after the due day", "2025-10-05T00:00:00+07:00", nullptr,
       "2025-10-06T00:00:00+07:00", false},
      {"no due date: unknown, never a guess", nullptr, "2025-07-10T08:00:00+07:00", "2025-09-30T00:00:00+07:00",
       std::nullopt},
  };
  for (const auto& c : cases) {
    INFO("case: ", std::string(c.name));
    CHECK(on_time_by_day(at(c.due), at(c.completed), *at(c.reference)) == c.on_time);
  }
}

TEST_CASE("indicators of a small quarter, with the strict rate and the gaps beside them") {
  // Asked on 15 October 2025 for 2025-Q3 (which ended 30 September 23:59:59 Vietnam time).
  indicator_calculator calc(*at("2025-10-15T09:00:00+07:00"), period::granularity::quarter, period::parse("2025-Q3"));
  const auto p = side::provincial;
  const auto n = side::national;
  // Unit A, provincial records:
  calc.add(subject(p, unit_a, "2025-07-02T08:00:00+07:00", "2025-07-10T17:00:00+07:00",
                   "2025-07-10T23:00:00+07:00"));  // on time: completed on the due day
  calc.add(subject(p, unit_a, "2025-07-05T08:00:00+07:00", "2025-07-15T17:00:00+07:00",
                   "2025-07-15T17:30:00Z"));  // late: 16 July 00:30 Vietnam time
  calc.add(subject(p, unit_a, "2025-08-01T08:00:00+07:00", "2025-08-20T17:00:00+07:00",
                   nullptr));  // late: unfinished, 30 September is after 20 August
  calc.add(subject(p, unit_a, "2025-09-25T08:00:00+07:00", "2025-10-05T17:00:00+07:00",
                   nullptr));  // undecided: unfinished, not due by the end of the quarter
  calc.add(subject(p, unit_a, "2025-09-28T08:00:00+07:00", nullptr, nullptr));        // on-time unknown: no due date
  calc.add(subject(p, unit_a, "2025-09-29T08:00:00+07:00", nullptr, nullptr, true));  // registered only: not counted
  calc.add(subject(p, unit_a, "2025-10-01T08:00:00+07:00", "2025-10-09T17:00:00+07:00", nullptr));  // Q4: not asked
  // Unit A, national records (the first three provincial ones; national moved the second's due date):
  calc.add(subject(n, unit_a, "2025-07-02T08:00:00+07:00", "2025-07-10T17:00:00+07:00", "2025-07-10T23:00:00+07:00"));
  calc.add(subject(n, unit_a, "2025-07-05T08:00:00+07:00", "2025-07-16T17:00:00+07:00", "2025-07-16T00:30:00+07:00"));
  calc.add(subject(n, unit_a, "2025-08-01T08:00:00+07:00", "2025-08-20T17:00:00+07:00", "2025-08-20T10:00:00+07:00"));
  calc.add(subject(n, unit_a, nullptr, "2025-08-20T17:00:00+07:00", nullptr));  // no receipt time: in no period
  // Unit B: one dossier national holds and the province does not, unfinished past due.
  calc.add(subject(n, unit_b, "2025-07-20T08:00:00+07:00", "2025-07-25T17:00:00+07:00", nullptr));

  std::vector<sync_rate_row> strict(3);
  strict[0].unit_code = unit_a, strict[0].unit_name = "Sở A", strict[0].period = "2025-Q3", strict[0].rate = 0.4;
  strict[0].formerly = "trước đây: 000.00.01.H10";
  strict[1].unit_code = unit_b, strict[1].period = "2025-Q3";  // no rate: nothing counted on the province's side
  strict[2].province = true, strict[2].period = "2025-Q3", strict[2].rate = 0.5;

  const auto rows = calc.rows(strict);
  REQUIRE(rows.size() == 3);
  CHECK(calc.skipped_without_date() == 1);

  const auto& a = rows[0];
  CHECK(a.unit_code == unit_a);
  CHECK(a.unit_name == "Sở A");
  CHECK(a.formerly == "trước đây: 000.00.01.H10");
  CHECK(a.provincial == 5);  // 7 records − 1 registered only − 1 in Q4
  CHECK(a.national == 3);
  CHECK(*a.synced == doctest::Approx(0.6));  // 3 / max(5, 3)
  CHECK(*a.strict == doctest::Approx(0.4));
  CHECK(*a.gap == doctest::Approx(0.2));   // 0.6 − 0.4
  CHECK(a.on_time_national.on_time == 3);  // national: all three completed by their due days
  CHECK(a.on_time_national.late == 0);
  CHECK(*a.on_time_national.rate() == doctest::Approx(1.0));  // 3 / 3
  CHECK(a.on_time_provincial.on_time == 1);
  CHECK(a.on_time_provincial.late == 2);
  CHECK(a.on_time_provincial.unknown == 1);
  CHECK(*a.on_time_provincial.rate() == doctest::Approx(1.0 / 3));  // 1 / (1 + 2)
  CHECK(*a.on_time_gap == doctest::Approx(2.0 / 3));                // 1 − 1/3

  const auto& b = rows[1];
  CHECK(b.unit_code == unit_b);
  CHECK(b.provincial == 0);
  CHECK(b.national == 1);
  CHECK(*b.synced == doctest::Approx(1.0));  // 1 / max(0, 1)
  CHECK_FALSE(b.strict);
  CHECK_FALSE(b.gap);                                         // no strict rate to compare with
  CHECK(*b.on_time_national.rate() == doctest::Approx(0.0));  // 0 / (0 + 1): past due on 30 September
  CHECK_FALSE(b.on_time_provincial.rate());
  CHECK_FALSE(b.on_time_gap);

  const auto& province = rows[2];
  CHECK(province.province);
  CHECK(province.unit_name == std::string(province_row_name));
  CHECK(province.provincial == 5);
  CHECK(province.national == 4);
  CHECK(*province.synced == doctest::Approx(0.8));                    // 4 / max(5, 4)
  CHECK(*province.gap == doctest::Approx(0.3));                       // 0.8 − 0.5
  CHECK(*province.on_time_national.rate() == doctest::Approx(0.75));  // 3 / (3 + 1)
  CHECK(*province.on_time_gap == doctest::Approx(0.75 - 1.0 / 3));    // 3/4 − 1/3 = 5/12
}

TEST_CASE("for a period not yet over, an unfinished dossier is late once today is after its due day") {
  indicator_calculator calc(*at("2025-08-21T09:00:00+07:00"), period::granularity::month, std::nullopt);
  calc.add(subject(side::national, unit_a, "2025-08-01T08:00:00+07:00", "2025-08-20T17:00:00+07:00", nullptr));
  calc.add(subject(side::national, unit_a, "2025-08-02T08:00:00+07:00", "2025-08-21T17:00:00+07:00", nullptr));
  const auto rows = calc.rows({});
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].period == "2025-08");
  CHECK(rows[0].on_time_national.late == 1);                        // due 20 August, today 21 August
  CHECK(rows[0].on_time_national.on_time == 0);                     // due today: undecided
  CHECK(*rows[0].on_time_national.rate() == doctest::Approx(0.0));  // 0 / (0 + 1)
}
