// Retention of stored bodies: only dossiers closed on every side, without any finding, closed before the cutoff
// and seen as they are by the last complete evaluation lose their bodies; the facts, findings and audit trail
// stay, verification still passes, and a record that changes again gets its body back.
#include <doctest/doctest.h>

#include <set>

#include "reconcile/finding.hpp"
#include "schema/ledger.hpp"
#include "schema/sqlite.hpp"
#include "tests/support/ledger_fixtures.hpp"

namespace dvc::test {
namespace {

constexpr instant closed_at = 1'720'600'000;
constexpr instant cutoff = closed_at + 1;

dossier closed(side s, const std::string& key, instant at = closed_at) {
  auto d = make_dossier(s, key, 9);
  d.completed = at;
  d.updated = at;
  return d;
}

void store(ledger& l, std::int64_t run, const std::vector<dossier>& records) {
  auto batch = l.begin_batch(run, 100);
  for (const auto& d : records) batch.upsert_record(d, facts_of(d));
  batch.commit();
}

// The facts of every record, as text: what the rules read must come through retention unchanged.
std::string facts_text(const ledger& l, const std::vector<std::string>& keys) {
  std::string out;
  const auto number = [](const auto& v) { return v ? std::to_string(*v) : std::string("-"); };
  for (const side s : {side::provincial, side::national})
    for (const auto& f : l.load_facts(s, keys))
      out += f.key + " " + f.code + " " + f.unit_code + " " + f.procedure_code + " " + f.status_code + " " +
             number(f.status) + " " + number(f.channel) + " " + number(f.online_payment) + " " + number(f.digitized) +
             " " + number(f.received) + " " + number(f.due) + " " + number(f.completed) + " " + number(f.updated) +
             " " + std::to_string(f.result_count) + " " + std::to_string(f.steps_ended) + " " +
             (f.step_open ? "open" : "-") + " " + number(f.last_step_end) + "\n";
  return out;
}

std::set<std::string> bodies_removed(const ledger& l, const std::vector<std::string>& keys) {
  std::set<std::string> out;
  for (const auto& k : keys)
    for (const side s : {side::provincial, side::national})
      if (const auto r = l.get_record(s, k); r && r->body_removed_at) out.insert(k + "/" + std::string(side_name(s)));
  return out;
}

}  // namespace

TEST_CASE("retention removes only the bodies of long-closed, finding-free dossiers the last evaluation saw") {
  test::temp_dir dir;
  auto l = ledger::open(dir.file("ledger.db"));
  const auto run = l.begin_run(run_mode::service, 10, 10, 1800);
  auto open_n = make_dossier(side::national, "C");
  auto unknown_status = closed(side::national, "F");
  unknown_status.status = std::nullopt;
  store(l, run,
        {closed(side::provincial, "A"), closed(side::national, "A"),          // closed, clean: removed
         closed(side::provincial, "B"), closed(side::national, "B"),          // a resolved finding: kept
         closed(side::provincial, "C"), open_n,                               // open on national: kept
         closed(side::provincial, "D", cutoff), closed(side::national, "D"),  // closed too recently: kept
         closed(side::provincial, "F"), unknown_status,                       // status unknown: kept
         closed(side::provincial, "G")});                                     // one side only, clean: removed
  using evaluations = std::vector<std::pair<std::string, evaluation>>;
  l.apply_evaluations(run, 100,
                      evaluations{raised("B", {make_finding("B", finding_kind::status_mismatch, "differs")})});
  l.apply_evaluations(run, 200, evaluations{raised("B", {})});  // resolved, yet part of the audit trail
  const auto later = l.begin_run(run_mode::service, 20, 20, 1800);
  auto e_changed = closed(side::provincial, "E");
  store(l, run, {closed(side::provincial, "E")});
  e_changed.procedure_code = "2.000001";
  store(l, later, {e_changed});  // changed after the evaluation `run`: not seen as it is

  const std::vector<std::string> keys = {"A", "B", "C", "D", "E", "F", "G"};
  const std::string facts_before = facts_text(l, keys);
  REQUIRE(!facts_before.empty());
  const auto events_before = l.verify_chain().events_checked;

  // Two keys per batch: the walk resumes after the last key of each.
  const retention_rule rule{cutoff, run, 5000};
  std::string after;
  std::int64_t examined = 0, removed = 0;
  for (int batches = 0;; ++batches) {
    REQUIRE(batches < 10);
    const auto b = l.remove_closed_bodies(after, 2, rule);
    examined += b.keys_examined;
    removed += b.bodies_removed;
    if (b.done) break;
    after = b.last_key;
  }
  CHECK(examined == 7);
  CHECK(removed == 3);
  CHECK(bodies_removed(l, keys) == std::set<std::string>{"A/provincial", "A/national", "G/provincial"});

  // The rules' facts and the audit trail are as they were; verification passes and counts what was removed.
  CHECK(facts_text(l, keys) == facts_before);
  CHECK(l.verify_chain().ok);
  CHECK(l.verify_chain().events_checked == events_before);
  const auto report = l.verify_records();
  CHECK(report.ok);
  CHECK(report.bodies_removed == 3);
  CHECK(l.integrity_check().ok);
  const auto a = l.get_record(side::provincial, "A");
  REQUIRE(a);
  CHECK(a->body.is_null());
  CHECK(a->body_removed_at == 5000);
  CHECK(a->facts.status == 9);

  // Walking again removes nothing more.
  CHECK(l.remove_closed_bodies("", 100, rule).bodies_removed == 0);

  // A record that changes again is stored whole, and loses the mark.
  auto reopened = closed(side::provincial, "A");
  reopened.status = 4;
  reopened.status_code = "PROCESSING";
  store(l, later, {reopened});
  const auto back = l.get_record(side::provincial, "A");
  CHECK_FALSE(back->body_removed_at);
  CHECK(back->body["status_code"] == "PROCESSING");
  CHECK(l.verify_records().ok);
  CHECK(l.verify_records().bodies_removed == 2);
}

TEST_CASE("a removal mark next to a body, or a body deleted without the mark, fails verification") {
  test::temp_dir dir;
  const auto path = dir.file("ledger.db");
  {
    auto l = ledger::open(path);
    const auto run = l.begin_run(run_mode::service, 10, 10, 1800);
    store(l, run, {closed(side::provincial, "A"), closed(side::provincial, "B")});
  }
  {
    sqlite::database raw(path);
    raw.exec("UPDATE records SET body_removed_at = 1 WHERE key = 'A'");
    raw.exec("DELETE FROM record_bodies WHERE record_id = (SELECT id FROM records WHERE key = 'B')");
  }
  const auto report = ledger::open(path).verify_records();
  CHECK_FALSE(report.ok);
  CHECK(report.mismatched == 2);
  CHECK(report.bodies_removed == 0);
}

}  // namespace dvc::test
