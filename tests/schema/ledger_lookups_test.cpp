// docs/lookups.md: which keys are due for a look-up, in which pass, and what the stored answers say.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "schema/ledger.hpp"
#include "tests/support/ledger_fixtures.hpp"

using namespace dvc;
using test::make_dossier;
using test::make_finding;
using test::raised;

namespace {

void store(ledger& l, std::int64_t run, instant now, const std::vector<dossier>& records) {
  auto b = l.begin_batch(run, now);
  for (const auto& d : records) b.upsert_record(d, facts_of(d));
  b.commit();
}

void answer(ledger& l, std::int64_t run, instant now, const std::string& key, bool found, std::int64_t covered) {
  auto b = l.begin_batch(run, now);
  b.note_lookup(key, found, covered);
  b.commit();
}

std::vector<std::string> due(const ledger& l, const lookup_due_query& q) {
  std::vector<std::string> out;
  for (const auto& c : l.lookups_due(q)) out.push_back(c.key + "/" + std::string(lookup_reason_name(c.reason)));
  return out;
}

dossier provincial(const std::string& key, instant updated) {
  auto d = make_dossier(side::provincial, key);
  d.updated = updated;
  return d;
}

}  // namespace

TEST_CASE("changed dossiers out of grace are due first; an answer covers the version it was for") {
  auto l = ledger::open(":memory:");
  const auto run1 = l.begin_run(run_mode::service, 1000, 1000, 100);
  store(l, run1, 1000, {provincial("A", 800), provincial("B", 950)});  // B still in grace at horizon 900

  lookup_due_query q{.horizon = 900, .recheck_before = 0, .rolling_before = 0, .limit = 10};
  CHECK(due(l, q) == std::vector<std::string>{"A/changed"});
  const auto candidates = l.lookups_due(q);
  REQUIRE(candidates.size() == 1);
  CHECK(candidates[0].covered_run == run1);

  answer(l, run1, 1000, "A", false, run1);
  CHECK(due(l, q).empty());
  CHECK(l.keys_looked_up_in_run(run1) == std::vector<std::string>{"A"});

  // A changes in a later run: due again once out of grace.
  const auto run2 = l.begin_run(run_mode::service, 2000, 2000, 100);
  auto a2 = provincial("A", 1500);
  a2.status = 9;
  a2.status_code = "COMPLETED";
  store(l, run2, 2000, {a2});
  q.horizon = 1900;
  CHECK(due(l, q) == std::vector<std::string>{"A/changed", "B/changed"});
  // Seen again unchanged: not due.
  answer(l, run2, 2000, "A", true, run2);
  store(l, run2, 2000, {a2});
  CHECK(due(l, q) == std::vector<std::string>{"B/changed"});
}

TEST_CASE("open findings are re-checked after their interval, everything else in the rolling pass, oldest first") {
  auto l = ledger::open(":memory:");
  const auto run = l.begin_run(run_mode::service, 100, 100, 0);
  store(l, run, 100, {provincial("A", 10), provincial("B", 10), provincial("C", 10)});
  answer(l, run, 300, "C", true, run);
  answer(l, run, 200, "A", false, run);
  answer(l, run, 400, "B", true, run);
  const std::vector<std::pair<std::string, evaluation>> evaluated{
      raised("B", {make_finding("B", finding_kind::status_mismatch, "differs")})};
  l.apply_evaluations(run, 100, evaluated);

  lookup_due_query q{.horizon = 1000, .recheck_before = 400, .rolling_before = 0, .limit = 10};
  CHECK(due(l, q) == std::vector<std::string>{"B/open_finding"});
  q.rolling_before = 350;
  CHECK(due(l, q) == std::vector<std::string>{"B/open_finding", "A/rolling", "C/rolling"});
  q.limit = 2;
  CHECK(due(l, q) == std::vector<std::string>{"B/open_finding", "A/rolling"});

  const auto cov = l.lookup_coverage_at(250);
  CHECK(cov.provincial_keys == 3);
  CHECK(cov.looked_up == 3);
  CHECK(cov.rolling_due == 1);  // A, looked up at 200
}

TEST_CASE("stored answers by key, and the sync rate knows an absence only from a look-up") {
  auto l = ledger::open(":memory:");
  const auto run = l.begin_run(run_mode::service, 100, 100, 0);
  store(l, run, 100, {provincial("A", 10), provincial("B", 10), provincial("C", 10)});
  answer(l, run, 100, "B", false, run);
  answer(l, run, 100, "C", true, run);  // found, but its record could not be read: still unknown
  const std::vector<std::string> keys{"A", "B", "C", "D"};
  const auto results = l.lookup_results(keys);
  REQUIRE(results.size() == 2);
  CHECK(results[0] == std::pair<std::string, bool>{"B", false});
  CHECK(results[1] == std::pair<std::string, bool>{"C", true});

  const auto evaluated_keys = [&](bool needs_lookup) {
    int n = 0;
    l.each_sync_subject(
        run, [&](const sync_subject& s) { n += s.evaluated ? 1 : 0; }, needs_lookup);
    return n;
  };
  CHECK(evaluated_keys(false) == 3);
  CHECK(evaluated_keys(true) == 1);
}
