// docs/lookups.md: which keys are due for a look-up, in which pass, and what the stored answers say.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <string_view>
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

// The keys due, as "key/pass", walked `chunk` at a time within the query's limit.
std::vector<std::string> walk_due(const ledger& l, const lookup_due_query& q, std::size_t chunk) {
  std::vector<std::string> out;
  lookup_walk walk;
  std::size_t left = q.limit;
  while (left > 0) {
    const auto next = l.next_lookups_due(q, walk, std::min(chunk, left));
    if (next.empty()) break;
    left -= next.size();
    for (const auto& c : next) out.push_back(c.key + "/" + std::string(lookup_reason_name(c.reason)));
  }
  return out;
}

// The keys due: the same one key at a time as all at once, and as many as count_lookups_due says.
std::vector<std::string> due(const ledger& l, const lookup_due_query& q) {
  const auto whole = walk_due(l, q, 1000);
  CHECK(walk_due(l, q, 1) == whole);
  CHECK(walk_due(l, q, 2) == whole);
  const auto counts = l.count_lookups_due(q);
  CHECK(counts.total() == static_cast<std::int64_t>(whole.size()));
  const auto in_pass = [&](std::string_view pass) {
    return std::count_if(whole.begin(), whole.end(), [&](const std::string& k) { return k.ends_with(pass); });
  };
  CHECK(counts.changed == in_pass("/changed"));
  CHECK(counts.open_finding == in_pass("/open_finding"));
  CHECK(counts.rolling == in_pass("/rolling"));
  return whole;
}

dossier provincial(const std::string& key, instant updated) {
  auto d = make_dossier(side::provincial, key);
  d.updated = updated;
  return d;
}

struct stored_answer {
  std::string key;
  instant at;
  bool found;
};

// A, B and C stored in `run`, answered as given, with an open finding on each key of `flagged`.
void looked_up(ledger& l, std::int64_t run, const std::vector<stored_answer>& answers,
               const std::vector<std::string>& flagged) {
  store(l, run, 100, {provincial("A", 10), provincial("B", 10), provincial("C", 10)});
  for (const auto& a : answers) answer(l, run, a.at, a.key, a.found, run);
  std::vector<std::pair<std::string, evaluation>> evaluated;
  for (const auto& key : flagged)
    evaluated.push_back(raised(key, {make_finding(key, finding_kind::status_mismatch, "differs")}));
  l.apply_evaluations(run, 100, evaluated);
}

}  // namespace

TEST_CASE("changed dossiers out of grace are due first; an answer covers the version it was for") {
  auto l = ledger::open(":memory:");
  const auto run1 = l.begin_run(run_mode::service, 1000, 1000, 100);
  store(l, run1, 1000, {provincial("A", 800), provincial("B", 950)});  // B still in grace at horizon 900

  lookup_due_query q{.horizon = 900, .recheck_before = 0, .rolling_before = 0, .limit = 10};
  CHECK(due(l, q) == std::vector<std::string>{"A/changed"});
  lookup_walk walk;
  const auto candidates = l.next_lookups_due(q, walk, 10);
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
  looked_up(l, run, {{"C", 300, true}, {"A", 200, false}, {"B", 400, true}}, {"B"});

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

TEST_CASE("a key is in the first pass it is due in, and is not due again in the run that looked it up") {
  auto l = ledger::open(":memory:");
  const auto run1 = l.begin_run(run_mode::service, 100, 100, 0);
  looked_up(l, run1, {{"A", 200, true}, {"B", 200, true}, {"C", 200, true}}, {"A", "B"});
  // A changes: it is due as changed, and neither its open finding nor the rolling pass takes it again.
  const auto run2 = l.begin_run(run_mode::service, 1000, 1000, 0);
  auto a2 = provincial("A", 500);
  a2.status = 9;
  a2.status_code = "COMPLETED";
  store(l, run2, 1000, {a2});

  lookup_due_query q{.horizon = 900, .recheck_before = 1000, .rolling_before = 1000, .run_id = run2, .limit = 10};
  CHECK(due(l, q) == std::vector<std::string>{"A/changed", "B/open_finding", "C/rolling"});

  // Answered while the walk is under way (rolling_before is the run's own time, so an answer of this run would be
  // due again by its age alone): what the walk passed is not taken again, what it has not reached still is.
  lookup_walk walk;
  const auto first = l.next_lookups_due(q, walk, 1);
  REQUIRE(first.size() == 1);
  CHECK(first[0].key == "A");
  answer(l, run2, 1000, "A", true, run2);
  answer(l, run2, 1000, "C", true, run2);
  const auto rest = l.next_lookups_due(q, walk, 10);
  REQUIRE(rest.size() == 1);
  CHECK(rest[0].key == "B");
  CHECK(l.next_lookups_due(q, walk, 10).empty());
  CHECK(walk.done);
  CHECK(due(l, q) == std::vector<std::string>{"B/open_finding"});
  // The next run takes the keys its intervals make due again, oldest look-up first.
  q.run_id = run2 + 1;
  CHECK(due(l, q) == std::vector<std::string>{"B/open_finding", "A/open_finding", "C/rolling"});
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
