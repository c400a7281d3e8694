#include <doctest/doctest.h>

#include "reconcile/matcher.hpp"
#include "reconcile/sync_rate.hpp"

using namespace dvc;

namespace {
dossier_facts facts(side s, std::string key, maybe_instant updated) {
  dossier_facts f;
  f.origin = s;
  f.key = std::move(key);
  f.updated = updated;
  return f;
}
}  // namespace

TEST_CASE("matching pairs by key in key order; duplicates reported, the latest kept") {
  matcher m;
  m.add(facts(side::provincial, "B", 10), 1);
  m.add(facts(side::provincial, "A", 10), 2);
  m.add(facts(side::provincial, "B", 20), 3);
  m.add(facts(side::national, "C", 5), 1);
  m.add(facts(side::national, "B", 5), 2);
  std::vector<std::string> seen;
  m.match([&](const dossier_facts* p, const dossier_facts* n) {
    seen.push_back((p ? p->key : "-") + "/" + (n ? n->key : "-") + (p && p->updated == 20 ? "@20" : ""));
  });
  CHECK(seen == std::vector<std::string>{"A/-", "B/B@20", "-/C"});
  REQUIRE(m.duplicates().size() == 1);
  CHECK(m.duplicates()[0].key == "B");
  CHECK(m.duplicates()[0].kept_source == 3);
  CHECK(m.duplicates()[0].other_source == 1);
}

TEST_CASE("periods parse and contain instants in Vietnam time") {
  CHECK(period::parse("2024-07")->to_string() == "2024-07");
  CHECK(period::parse("2024-Q3")->to_string() == "2024-Q3");
  CHECK(period::parse("2024-q3")->quarter() == 3);
  CHECK(period::parse("2024-07")->quarter() == 3);
  CHECK_FALSE(period::parse("2024-13"));
  CHECK_FALSE(period::parse("2024-Q5"));
  CHECK_FALSE(period::parse("24-07"));
  const instant first_of_july_vn = *parse_iso_time("2024-06-30T17:00:00Z");
  CHECK(period::of(first_of_july_vn, period::granularity::quarter).to_string() == "2024-Q3");
  CHECK(period::of(first_of_july_vn - 1, period::granularity::month).to_string() == "2024-06");
}

TEST_CASE("sync rate per unit and province, NEW and pending excluded") {
  const instant T = *parse_iso_time("2024-10-01T00:00:00+07:00");
  sync_rate_calculator calc(T, 1800, period::granularity::quarter, std::nullopt, {});
  const maybe_instant july = parse_iso_time("2024-07-10T09:00:00+07:00");
  const maybe_instant old = parse_iso_time("2024-08-01T00:00:00+07:00");
  calc.add({"U1", "Sở A", "RECEIVED", july, old, false});
  calc.add({"U1", "Sở A", "RECEIVED", july, old, true});
  calc.add({"U1", "Sở A", "RECEIVED", july, old, false});
  calc.add({"U1", "Sở A", "NEW", july, old, true, true, true});  // registered: not expected on national
  calc.add({"U1", "Sở A", "RECEIVED", july, T - 10, true});      // pending
  calc.add({"U2", "Huyện B", "COMPLETED", july, old, true});
  calc.add({"U2", "Huyện B", "COMPLETED", std::nullopt, old, false});  // no appliedDate: no period
  calc.add({"U2", "Huyện B", "COMPLETED", parse_iso_time("2024-04-01T00:00:00+07:00"), old, false});
  const auto rows = calc.rows();
  REQUIRE(rows.size() == 5);  // Q2: U2, province; Q3: U1, U2, province
  CHECK(rows[0].period == "2024-Q2");
  CHECK(rows[0].unit_code == "U2");
  CHECK(rows[0].rate == 1.0);
  CHECK(rows[0].target == 95);
  CHECK(rows[2].unit_code == "U1");
  CHECK(rows[2].total == 3);
  CHECK(rows[2].fully_synced == 2);
  CHECK(*rows[2].rate == doctest::Approx(2.0 / 3.0));
  CHECK(rows[2].target == 100);
  CHECK(rows[3].unit_code == "U2");
  CHECK(rows[3].rate == 0.0);
  CHECK(rows[4].province);
  CHECK(rows[4].total == 4);
  CHECK(rows[4].fully_synced == 2);
  CHECK(calc.skipped_without_date() == 1);
}

TEST_CASE("sync rate: dossiers no complete evaluation covered are counted apart and give no rate") {
  const instant T = *parse_iso_time("2024-10-01T00:00:00+07:00");
  sync_rate_calculator calc(T, 1800, period::granularity::quarter, std::nullopt, {});
  const maybe_instant july = parse_iso_time("2024-07-10T09:00:00+07:00");
  const maybe_instant old = parse_iso_time("2024-08-01T00:00:00+07:00");
  // U1: one evaluated with an open finding, one read since the last evaluation. U2: nothing evaluated yet (its
  // dossiers arrived during the first sync), so no rate at all rather than a 100 % nobody computed.
  calc.add({"U1", "Sở A", "RECEIVED", july, old, true, true});
  calc.add({"U1", "Sở A", "RECEIVED", july, old, false, false});
  calc.add({"U2", "Huyện B", "RECEIVED", july, old, false, false});
  calc.add({"U2", "Huyện B", "NEW", july, old, false, false, true});  // registered: not expected on national either way
  calc.add({"U2", "Huyện B", "RECEIVED", july, T - 10, false, false});  // pending either way
  const auto rows = calc.rows();
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].unit_code == "U1");
  CHECK(rows[0].total == 1);
  CHECK(rows[0].not_evaluated == 1);
  CHECK(rows[0].rate == 0.0);
  CHECK(rows[1].unit_code == "U2");
  CHECK(rows[1].total == 0);
  CHECK(rows[1].fully_synced == 0);
  CHECK(rows[1].not_evaluated == 1);
  CHECK_FALSE(rows[1].rate);
  CHECK(rows[2].province);
  CHECK(rows[2].total == 1);
  CHECK(rows[2].not_evaluated == 2);
  CHECK(rows[2].rate == 0.0);
}

TEST_CASE("sync rate for one month only; empty period gives no rows") {
  const instant T = *parse_iso_time("2024-10-01T00:00:00+07:00");
  sync_rate_calculator calc(T, 0, period::granularity::quarter, period::parse("2024-08"), {});
  calc.add({"U1", "", "RECEIVED", parse_iso_time("2024-07-10T09:00:00+07:00"), T - 100000, false});
  calc.add({"U1", "", "RECEIVED", parse_iso_time("2024-08-10T09:00:00+07:00"), T - 100000, false});
  const auto rows = calc.rows();
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].period == "2024-08");
  CHECK(rows[0].total == 1);
  sync_rate_calculator none(T, 0, period::granularity::month, period::parse("2023-01"), {});
  none.add({"U1", "", "RECEIVED", parse_iso_time("2024-07-10T09:00:00+07:00"), T - 100000, false});
  CHECK(none.rows().empty());
}

TEST_CASE("a year and a range of days: what they contain in Vietnam time, their names, the target they take") {
  const period year = period::of_year(2024);
  CHECK(year.to_string() == "2024");
  CHECK(year.quarter() == 4);
  CHECK(year.contains(*parse_iso_time("2023-12-31T17:00:00Z")));  // 2024-01-01 00:00 in Vietnam
  CHECK_FALSE(year.contains(*parse_iso_time("2023-12-31T16:59:59Z")));
  const period q1 = period::of_days(days_from_civil(2024, 1, 1), days_from_civil(2024, 3, 31));
  CHECK(q1.to_string() == "2024-01-01..2024-03-31");
  CHECK(q1.quarter() == 1);
  CHECK(q1.contains(*parse_iso_time("2024-03-31T23:59:59+07:00")));  // the last day is included
  CHECK_FALSE(q1.contains(*parse_iso_time("2024-04-01T00:00:00+07:00")));
  const period across = period::of_days(days_from_civil(2024, 2, 15), days_from_civil(2024, 5, 15));
  CHECK(across.quarter() == 2);  // judged by the quarter it ends in
  // The first instant after each: what an unfinished dossier's lateness is judged at (docs/rules.md#indicators).
  CHECK(year.end() == *parse_iso_time("2025-01-01T00:00:00+07:00"));
  CHECK(q1.end() == *parse_iso_time("2024-04-01T00:00:00+07:00"));
  CHECK(across.end() == *parse_iso_time("2024-05-16T00:00:00+07:00"));

  const instant T = *parse_iso_time("2024-10-01T00:00:00+07:00");
  sync_rate_calculator calc(T, 0, period::granularity::quarter, across, {});
  calc.add({"U1", "", "RECEIVED", parse_iso_time("2024-02-14T23:59:59+07:00"), T - 100000, false});
  calc.add({"U1", "", "RECEIVED", parse_iso_time("2024-02-15T00:00:00+07:00"), T - 100000, true});
  calc.add({"U1", "", "RECEIVED", parse_iso_time("2024-05-15T12:00:00+07:00"), T - 100000, false});
  const auto rows = calc.rows();
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].period == "2024-02-15..2024-05-15");
  CHECK(rows[0].total == 2);
  CHECK(rows[0].fully_synced == 1);
  CHECK(rows[0].target == 95);
}
