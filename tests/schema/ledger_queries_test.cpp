#include <doctest/doctest.h>

#include "schema/ledger.hpp"
#include "tests/support/ledger_fixtures.hpp"

using namespace dvc;
using test::make_dossier;
using test::make_finding;
using test::raised;

namespace {

using evaluations = std::vector<std::pair<std::string, evaluation>>;

void store(ledger& l, std::int64_t run, const std::vector<dossier>& records) {
  auto b = l.begin_batch(run, 10);
  for (const auto& d : records) b.upsert_record(d, facts_of(d));
  b.commit();
}

std::vector<std::string> keys_of(const finding_page& page) {
  std::vector<std::string> out;
  for (const auto& r : page.rows) out.push_back(r.key + "/" + std::string(kind_name(r.kind)));
  return out;
}

}  // namespace

TEST_CASE("reads for evaluation: facts by key, due and updated windows, all keys, pairs in key order") {
  auto l = ledger::open(":memory:");
  const auto run = l.begin_run(run_mode::service, 10, 10, 1800);
  auto a_p = make_dossier(side::provincial, "A");
  a_p.due = 1000;
  a_p.updated = 500;
  auto a_n = make_dossier(side::national, "A");
  a_n.due = 1000;
  a_n.updated = 2000;
  auto b_p = make_dossier(side::provincial, "B", 9);  // done: its due date no longer matters
  b_p.due = 1500;
  b_p.updated = 600;
  auto c_n = make_dossier(side::national, "C");
  c_n.due = 3000;
  c_n.updated = 1500;
  store(l, run, {c_n, b_p, a_n, a_p});

  const std::vector<std::string> wanted{"C", "A", "Z"};
  const auto national = l.load_facts(side::national, wanted);
  REQUIRE(national.size() == 2);
  CHECK(national[0].key == "A");
  CHECK(national[0].origin == side::national);
  CHECK(national[0].updated == 2000);
  CHECK(national[1].key == "C");
  CHECK(national[1].due == 3000);

  CHECK(l.keys_due_between(999, 2000) == std::vector<std::string>{"A"});   // B is done
  CHECK(l.keys_due_between(1000, 5000) == std::vector<std::string>{"C"});  // (t0, t1]: 1000 excluded
  CHECK(l.keys_updated_between(499, 600) == std::vector<std::string>{"A", "B"});
  CHECK(l.keys_updated_between(1500, 2000) == std::vector<std::string>{"A"});

  CHECK(l.keys_after("", 10) == std::vector<std::string>{"A", "B", "C"});  // A has both sides, listed once
  CHECK(l.keys_after("", 2) == std::vector<std::string>{"A", "B"});
  CHECK(l.keys_after("B", 2) == std::vector<std::string>{"C"});
  CHECK(l.keys_after("A0", 10) == std::vector<std::string>{"B", "C"});  // strictly after, not necessarily a key
  CHECK(l.keys_after("C", 10).empty());

  std::vector<std::string> pairs;
  l.each_dossier_pair([&](const dossier_facts* p, const dossier_facts* n) {
    const auto& key = p ? p->key : n->key;
    if (p && n) CHECK(p->key == n->key);
    pairs.push_back(key + (p ? "+p" : "") + (n ? "+n" : ""));
  });
  CHECK(pairs == std::vector<std::string>{"A+p+n", "B+p", "C+n"});
}

TEST_CASE("list_findings filters by kind, state, unit, time, key prefix and search, and pages with a total") {
  auto l = ledger::open(":memory:");
  const auto run = l.begin_run(run_mode::service, 10, 10, 1800);
  auto other_unit = make_finding("000.00.20.H10-240101-0001", finding_kind::status_mismatch, reason::differs);
  other_unit.unit_code = "000.00.20.H10";
  l.apply_evaluations(
      run, 100,
      evaluations{
          raised("000.00.12.H10-240715-0001",
                 {make_finding("000.00.12.H10-240715-0001", finding_kind::missing_on_national, reason::not_pushed),
                  make_finding("000.00.12.H10-240715-0001", finding_kind::deadline_mismatch, reason::differs)}),
          raised("000.00.12.H10-240715-0002",
                 {make_finding("000.00.12.H10-240715-0002", finding_kind::falsely_closed, reason::no_result_document)}),
          raised("000.00.20.H10-240101-0001", {other_unit})});
  // Later: one resolves, one is seen again.
  l.apply_evaluations(
      run, 200,
      evaluations{raised("000.00.12.H10-240715-0002", {}), raised("000.00.20.H10-240101-0001", {other_unit})});

  auto page = l.list_findings({});
  CHECK(page.total == 4);
  CHECK(keys_of(page) == std::vector<std::string>{"000.00.20.H10-240101-0001/status_mismatch",
                                                  "000.00.12.H10-240715-0002/falsely_closed",
                                                  "000.00.12.H10-240715-0001/deadline_mismatch",
                                                  "000.00.12.H10-240715-0001/missing_on_national"});

  finding_filter open_only;
  open_only.states = {"open", "reopened"};
  CHECK(l.list_findings(open_only).total == 3);

  finding_filter by_kind;
  by_kind.kinds = {finding_kind::deadline_mismatch, finding_kind::falsely_closed};
  CHECK(keys_of(l.list_findings(by_kind)) == std::vector<std::string>{"000.00.12.H10-240715-0002/falsely_closed",
                                                                      "000.00.12.H10-240715-0001/deadline_mismatch"});

  finding_filter by_unit;
  by_unit.unit_code = "000.00.20.H10";
  CHECK(keys_of(l.list_findings(by_unit)) == std::vector<std::string>{"000.00.20.H10-240101-0001/status_mismatch"});

  finding_filter recent;
  recent.since = 150;
  CHECK(l.list_findings(recent).total == 1);

  finding_filter prefix;
  prefix.key_prefix = "000.00.12.H10-240715-000";
  CHECK(l.list_findings(prefix).total == 3);
  prefix.key_prefix = "000.00.12.H10-240715-0002";
  CHECK(l.list_findings(prefix).total == 1);

  finding_filter search;
  search.search = "result_doc";  // matches the reason; '_' is literal, not a LIKE wildcard
  CHECK(keys_of(l.list_findings(search)) == std::vector<std::string>{"000.00.12.H10-240715-0002/falsely_closed"});
  search.search = "resultXdoc";
  CHECK(l.list_findings(search).total == 0);

  finding_filter paged;
  paged.limit = 2;
  paged.offset = 1;
  page = l.list_findings(paged);
  CHECK(page.total == 4);
  CHECK(keys_of(page) == std::vector<std::string>{"000.00.12.H10-240715-0002/falsely_closed",
                                                  "000.00.12.H10-240715-0001/deadline_mismatch"});

  std::vector<std::string> exported;
  l.each_finding(open_only, [&](const finding_row& r) { exported.push_back(r.key + "/" + r.state); });
  CHECK(exported == std::vector<std::string>{"000.00.12.H10-240715-0001/open", "000.00.12.H10-240715-0001/open",
                                             "000.00.20.H10-240101-0001/open"});

  finding_filter bad;
  bad.states = {"closed"};
  CHECK_THROWS_WITH_AS(l.list_findings(bad), "unknown finding state 'closed' (expected open, resolved or reopened)",
                       ledger_error);
  CHECK_FALSE(l.get_finding(987654).has_value());
  CHECK(l.events_for_finding(987654).empty());
}

TEST_CASE("sync subjects: provincial records only, the later updated time of both sides, open findings") {
  auto l = ledger::open(":memory:");
  const auto run = l.begin_run(run_mode::service, 10, 10, 1800);
  auto a_p = make_dossier(side::provincial, "A");
  a_p.updated = 500;
  auto a_n = make_dossier(side::national, "A");
  a_n.updated = 900;
  auto b_p = make_dossier(side::provincial, "B");
  b_p.status_code = "NEW";
  b_p.unit_code = "000.00.20.H10";
  b_p.unit_name = "Sở Y tế";
  b_p.updated = 700;
  auto c_n = make_dossier(side::national, "C");
  store(l, run, {a_p, a_n, b_p, c_n});
  l.apply_evaluations(
      run, 100,
      evaluations{raised("A", {make_finding("A", finding_kind::status_mismatch, reason::differs)}),
                  raised("C", {make_finding("C", finding_kind::missing_on_provincial, reason::unknown_code)})});

  std::vector<sync_subject> subjects;
  l.each_sync_subject(run, [&](const sync_subject& s) { subjects.push_back(s); });
  REQUIRE(subjects.size() == 2);
  CHECK(subjects[0].unit_code == "000.00.12.H10");
  CHECK(subjects[0].updated == 900);
  CHECK(subjects[0].applied == 1'720'000'000);
  CHECK(subjects[0].has_open_finding);
  CHECK(subjects[1].unit_code == "000.00.20.H10");
  CHECK(subjects[1].unit_name == "Sở Y tế");
  CHECK(subjects[1].status_code == "NEW");
  CHECK(subjects[1].updated == 700);
  CHECK_FALSE(subjects[1].has_open_finding);

  l.apply_evaluations(run, 200, evaluations{raised("A", {})});
  subjects.clear();
  l.each_sync_subject(run, [&](const sync_subject& s) { subjects.push_back(s); });
  CHECK_FALSE(subjects.at(0).has_open_finding);
}

TEST_CASE("sync subjects: evaluated only when both sides last changed in the last complete evaluation or before") {
  auto l = ledger::open(":memory:");
  const auto first = l.begin_run(run_mode::service, 10, 10, 1800);
  store(
      l, first,
      {make_dossier(side::provincial, "A"), make_dossier(side::provincial, "B"), make_dossier(side::provincial, "C")});
  const auto second = l.begin_run(run_mode::service, 20, 20, 1800);
  auto b_changed = make_dossier(side::provincial, "B");
  b_changed.status_code = "COMPLETED";
  store(l, second, {b_changed, make_dossier(side::national, "C"), make_dossier(side::provincial, "D")});
  const auto evaluated_of = [&](std::optional<std::int64_t> through) {
    std::string out;
    l.each_sync_subject(through, [&](const sync_subject& s) { out += s.evaluated ? 'y' : 'n'; });
    return out;
  };
  CHECK(evaluated_of(std::nullopt) == "nnnn");  // the first sync, before any evaluation
  CHECK(evaluated_of(first) == "ynnn");         // B changed, C's national side and D arrived since
  CHECK(evaluated_of(second) == "yyyy");
}

TEST_CASE("latest run of either mode, by status") {
  auto l = ledger::open(":memory:");
  CHECK_FALSE(l.latest_run());
  const auto offline = l.begin_run(run_mode::offline, 10, 10, 0);
  run_summary s;
  s.ended_at = 11;
  l.finish_run(offline, s);
  const auto partial = l.begin_run(run_mode::service, 20, 20, 0);
  s.ended_at = 21;
  s.status = run_status::partial;
  l.finish_run(partial, s);
  const auto running = l.begin_run(run_mode::service, 30, 30, 0);
  CHECK(l.latest_run()->id == running);
  CHECK(l.latest_run({run_status::ok})->id == offline);
  CHECK(l.latest_run({run_status::ok, run_status::partial, run_status::failed})->id == partial);
  CHECK_FALSE(l.latest_run({run_status::failed}));
}

TEST_CASE("the latest evaluated run: a service run recorded ok, an offline run recorded ok or partial") {
  auto l = ledger::open(":memory:");
  CHECK_FALSE(l.latest_evaluated_run());
  run_summary s;
  s.status = run_status::partial;  // malformed records skipped: the offline run still evaluated what it read
  const auto offline = l.begin_run(run_mode::offline, 10, 10, 0);
  l.finish_run(offline, s);
  CHECK(l.latest_evaluated_run()->id == offline);
  const auto service_partial = l.begin_run(run_mode::service, 20, 20, 0);  // a side unread: nothing evaluated
  l.finish_run(service_partial, s);
  CHECK(l.latest_evaluated_run()->id == offline);
  const auto failed = l.begin_run(run_mode::offline, 30, 30, 0);
  s.status = run_status::failed;
  l.finish_run(failed, s);
  l.begin_run(run_mode::service, 40, 40, 0);  // running
  CHECK(l.latest_evaluated_run()->id == offline);
  const auto service_ok = l.begin_run(run_mode::service, 50, 50, 0);
  s.status = run_status::ok;
  l.finish_run(service_ok, s);
  CHECK(l.latest_evaluated_run()->id == service_ok);
}

TEST_CASE("a full evaluation may apply findings from inside each_dossier_pair, on the same ledger") {
  test::temp_dir dir;
  auto l = ledger::open(dir.file("nested.db"));
  const auto run = l.begin_run(run_mode::service, 10, 10, 1800);
  store(l, run, {make_dossier(side::provincial, "A"), make_dossier(side::provincial, "B")});
  std::vector<std::pair<std::string, evaluation>> chunk;
  l.each_dossier_pair([&](const dossier_facts* p, const dossier_facts*) {
    chunk.push_back(raised(p->key, {make_finding(p->key, finding_kind::missing_on_national, reason::not_pushed)}));
    l.apply_evaluations(run, 100, chunk);  // as a service flushing a chunk mid-scan would
    chunk.clear();
  });
  CHECK(l.open_finding_keys() == std::vector<std::string>{"A", "B"});
  CHECK(l.verify_chain().ok);
}

TEST_CASE("count_findings groups every finding by kind and state") {
  auto l = ledger::open(":memory:");
  const auto run = l.begin_run(run_mode::offline, 100, 100, 0);
  evaluation a, b;
  a.findings = {test::make_finding("K-A", finding_kind::status_mismatch, reason::differs),
                test::make_finding("K-A", finding_kind::field_mismatch, reason::differs)};
  b.findings = {test::make_finding("K-B", finding_kind::status_mismatch, reason::differs)};
  const std::vector<std::pair<std::string, evaluation>> first = {{"K-A", a}, {"K-B", b}};
  l.apply_evaluations(run, 100, first);
  const std::vector<std::pair<std::string, evaluation>> second = {{"K-B", evaluation{}}};
  l.apply_evaluations(run, 200, second);
  const auto counts = l.count_findings();
  CHECK(counts.size() == 3);
  CHECK(counts.at({finding_kind::status_mismatch, "open"}) == 1);
  CHECK(counts.at({finding_kind::status_mismatch, "resolved"}) == 1);
  CHECK(counts.at({finding_kind::field_mismatch, "open"}) == 1);
}

TEST_CASE("a list's total follows this connection's writes and other connections' commits") {
  test::temp_dir dir;
  const auto path = dir.file("totals.db");
  auto reader = ledger::open(path);
  auto writer = ledger::open(path);
  const auto run = writer.begin_run(run_mode::service, 10, 10, 1800);
  finding_filter open_only;
  open_only.states = {std::string(state::open), std::string(state::reopened)};
  CHECK(reader.list_findings(open_only).total == 0);
  CHECK(reader.list_findings(open_only).total == 0);  // answered again, now from the cached total

  // Another connection commits: the reader's total moves with it.
  writer.apply_evaluations(
      run, 100,
      evaluations{raised("K-1", {make_finding("K-1", finding_kind::missing_on_national, reason::not_pushed)}),
                  raised("K-2", {make_finding("K-2", finding_kind::missing_on_national, reason::not_pushed)})});
  CHECK(reader.list_findings(open_only).total == 2);
  writer.apply_evaluations(run, 200, evaluations{raised("K-1", {})});  // K-1 resolves
  CHECK(reader.list_findings(open_only).total == 1);

  // The same connection writes: its own cached total moves too.
  CHECK(writer.list_findings(open_only).total == 1);
  writer.apply_evaluations(
      run, 300,
      evaluations{raised("K-3", {make_finding("K-3", finding_kind::falsely_closed, reason::no_result_document)})});
  CHECK(writer.list_findings(open_only).total == 2);
  CHECK(reader.list_findings(open_only).total == 2);
  CHECK(reader.list_findings({}).total == 3);  // another filter, its own total
}
