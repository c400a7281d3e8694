// A service cycle against the in-process simulator on loopback: what it records must equal the offline engine on
// the simulator's own dump, a side that is down must leave findings alone, and re-reading must change nothing.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>

#include "tests/support/service_fixtures.hpp"

namespace dvc::test {
namespace {

constexpr std::int64_t grace = 1800;

std::vector<finding_row> all_findings(const ledger& db) {
  std::vector<finding_row> out;
  db.each_finding({}, [&](const finding_row& r) { out.push_back(r); });
  return out;
}

bool same_rows(const std::vector<finding_row>& a, const std::vector<finding_row>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].id != b[i].id || a[i].state != b[i].state || a[i].reason != b[i].reason ||
        a[i].last_seen != b[i].last_seen)
      return false;
  }
  return true;
}

}  // namespace

TEST_CASE("a cycle records every record and the findings of the offline evaluation of the same data") {
  running_simulator sim(1500);
  temp_dir dir;
  const config cfg = service_config(sim.get());
  auto db = ledger::open(":memory:");
  service_status status;
  // Live changes are stamped with the simulator's present (sim_clock_start): at T ten minutes later they are
  // within the grace period, so the pending rule is exercised too.
  std::size_t touched = 0;
  for (int i = 0; i < 5; ++i) touched += sim.get().tick();
  REQUIRE(touched > 0);
  const instant t = sim_clock_start + 600;

  const cycle_report r = run_one_cycle(cfg, db, status, t);
  const offline_result expected = offline_evaluation(sim.get(), dir.path(), t, grace);

  CHECK(r.status == run_status::ok);
  CHECK(r.evaluated);
  CHECK(r.full);
  CHECK(r.provincial.records == static_cast<std::int64_t>(expected.provincial));
  CHECK(r.national.records == static_cast<std::int64_t>(expected.national));
  CHECK(r.totals.pending == expected.pending);
  CHECK(expected.pending > 0);
  REQUIRE(expected.findings.size() > 100);
  CHECK(open_findings(db) == expected.findings);
  CHECK(r.totals.lifecycle.raised == static_cast<std::int64_t>(expected.findings.size()));

  const auto run = db.get_run(r.run_id);
  REQUIRE(run.has_value());
  CHECK(run->status == run_status::ok);
  CHECK(run->provincial_read == r.provincial.records);
  CHECK(run->as_of == t);
  CHECK(db.get_cursor(side::provincial).has_value());
  REQUIRE(r.national.latest.has_value());
  CHECK(*r.national.latest <= t);
  CHECK(db.get_cursor(side::national) == cursor_text(*r.national.latest));
  CHECK(status.provincial.last_success.has_value());
  CHECK(status.national.records_read_total == r.national.records);
  CHECK(status.findings_raised_total == r.totals.lifecycle.raised);
  CHECK(status.cycles_total == 1);
}

TEST_CASE("while the polls run, the status the API reads moves page by page, not only when a poll ends") {
  running_simulator sim(1500);
  config cfg = service_config(sim.get());
  cfg.provincial.front().portal.page_size = 100;
  cfg.national.portal.page_size = 100;
  auto db = ledger::open(":memory:");
  service_status status;
  std::vector<service_status> published;
  const cycle_report r =
      run_one_cycle(cfg, db, status, sim_clock_start + 600, [&](const service_status& s) { published.push_back(s); });
  REQUIRE(r.status == run_status::ok);
  REQUIRE(r.provincial.pages > 3);
  for (const side s : {side::provincial, side::national}) {
    const std::string name(side_name(s));
    CAPTURE(name);
    const std::int64_t read = s == side::provincial ? r.provincial.records : r.national.records;
    // Published during the poll: running, with part of the records counted, and what the portal's totals say
    // is left.
    std::vector<std::int64_t> totals;
    bool estimated = false;
    for (const auto& p : published) {
      const side_status& st = p.of(s);
      if (!st.poll.running) continue;
      totals.push_back(st.records_read_total);
      CHECK(st.poll.records == st.records_read_total);  // the first poll of this status
      if (st.poll.remaining && *st.poll.remaining > 0 && st.poll.eta_s) estimated = true;
    }
    CHECK(std::is_sorted(totals.begin(), totals.end()));
    CHECK(std::count_if(totals.begin(), totals.end(), [&](std::int64_t n) { return n > 0 && n < read; }) >= 3);
    CHECK(estimated);
    // After the poll: its final figures, not running.
    CHECK_FALSE(status.of(s).poll.running);
    CHECK(status.of(s).records_read_total == read);
    CHECK(status.of(s).poll.remaining == 0);
  }
  CHECK(status.provincial.pages_total == r.provincial.pages);
}

TEST_CASE("re-reading through cursor and look-back changes nothing") {
  running_simulator sim(800);
  config cfg = service_config(sim.get());
  cfg.lookback_s = 3 * 86400;  // a wide overlap: many records are read again
  auto db = ledger::open(":memory:");
  service_status status;
  const instant t = sim_clock_start + 3600;
  const cycle_report first = run_one_cycle(cfg, db, status, t);
  REQUIRE(first.status == run_status::ok);
  const auto before = all_findings(db);

  const cycle_report second = run_one_cycle(cfg, db, status, t + 10);
  CHECK(second.status == run_status::ok);
  CHECK_FALSE(second.full);
  CHECK(second.provincial.records > 0);  // the look-back window was read again …
  CHECK(second.national.records > 0);
  CHECK(db.keys_changed_in_run(second.run_id).empty());  // … and stored nothing new
  CHECK(second.totals.lifecycle.raised == 0);
  CHECK(second.totals.lifecycle.resolved == 0);
  CHECK(second.totals.lifecycle.reopened == 0);
  const auto after = all_findings(db);
  REQUIRE(after.size() == before.size());
  for (std::size_t i = 0; i < after.size(); ++i) {
    CHECK(after[i].id == before[i].id);
    CHECK(after[i].state == before[i].state);
  }
}

TEST_CASE("a side that is down resolves nothing; the next complete cycle catches up") {
  running_simulator sim(1200);
  temp_dir dir;
  const config good = service_config(sim.get());
  auto db = ledger::open(":memory:");
  service_status status;
  const instant t1 = sim_clock_start + 600;
  REQUIRE(run_one_cycle(good, db, status, t1).status == run_status::ok);
  const auto before = all_findings(db);
  REQUIRE_FALSE(before.empty());

  // Dossiers progress on both portals (findings would open and resolve), but national cannot be reached.
  std::size_t touched = 0;
  for (int i = 0; i < 30; ++i) touched += sim.get().tick();
  REQUIRE(touched > 0);
  config national_down = good;
  national_down.national.portal.base_url = "http://127.0.0.1:" + std::to_string(closed_port()) + "/national";
  national_down.national.portal.retry.max_attempts = 2;
  const instant t2 = sim_clock_start + 3600;
  const cycle_report down = run_one_cycle(national_down, db, status, t2);
  CHECK(down.status == run_status::partial);
  CHECK_FALSE(down.evaluated);
  CHECK(down.provincial.ok());
  CHECK_FALSE(down.national.ok());
  CHECK(down.message.find("national poll failed") != std::string::npos);
  CHECK(db.get_run(down.run_id)->status == run_status::partial);
  CHECK(same_rows(all_findings(db), before));
  CHECK(status.national.poll_failures_total == 1);
  CHECK_FALSE(status.national.last_error.empty());
  CHECK(status.national.http_errors_by_kind.count("connect") == 1);

  const instant t3 = sim_clock_start + 7200;
  const cycle_report caught_up = run_one_cycle(good, db, status, t3);
  CHECK(caught_up.status == run_status::ok);
  CHECK_FALSE(caught_up.full);
  const auto& changes = caught_up.totals.lifecycle;
  CHECK(changes.raised + changes.resolved + changes.reopened > 0);
  const offline_result expected = offline_evaluation(sim.get(), dir.path(), t3, grace);
  CHECK(open_findings(db) == expected.findings);
}

TEST_CASE("a listing that fails part way keeps its progress: the next cycle resumes there, not at the start") {
  running_simulator sim(1200);
  temp_dir dir;
  const config good = service_config(sim.get());
  // Both listings stop with a paging-limit error after three pages of 100: part of the backlog is read.
  config cut = good;
  cut.provincial.front().portal.page_size = cut.national.portal.page_size = 100;
  cut.provincial.front().portal.max_pages = cut.national.portal.max_pages = 3;
  auto db = ledger::open(":memory:");
  service_status status;
  const instant t1 = sim_clock_start + 600;
  const cycle_report failed = run_one_cycle(cut, db, status, t1);
  REQUIRE(failed.status == run_status::partial);
  CHECK_FALSE(failed.evaluated);
  for (const poll_outcome* o : {&failed.provincial, &failed.national}) {
    CAPTURE(side_name(o->origin));
    REQUIRE_FALSE(o->ok());
    CHECK(o->error->kind == error_kind::paging_limit);
    CHECK(o->records > 200);  // three pages, less the records each page repeats at its first timestamp
    CHECK(o->records <= 300);
    // Kept: past the start, and stored with the records before it.
    REQUIRE(o->kept.has_value());
    CHECK(*o->kept > o->from);
    CHECK(db.get_cursor(o->origin) == cursor_text(*o->kept));
  }

  const instant t2 = sim_clock_start + 700;
  const cycle_report resumed = run_one_cycle(good, db, status, t2);
  REQUIRE(resumed.status == run_status::ok);
  CHECK(resumed.full);  // no cycle was evaluated before: every key is
  CHECK(resumed.provincial.from == *failed.provincial.kept - good.lookback_s);
  CHECK(resumed.national.from == *failed.national.kept - good.lookback_s);
  const offline_result expected = offline_evaluation(sim.get(), dir.path(), t2, grace);
  // The records before the kept cursor were not read again (less the look-back overlap) …
  CHECK(resumed.provincial.records < static_cast<std::int64_t>(expected.provincial));
  CHECK(resumed.national.records < static_cast<std::int64_t>(expected.national));
  CHECK(resumed.provincial.records + failed.provincial.records >= static_cast<std::int64_t>(expected.provincial));
  // … and the findings are those of all the data.
  CHECK(open_findings(db) == expected.findings);
}

TEST_CASE("portals whose clock runs a day behind ours: their later changes are still read and evaluated") {
  running_simulator sim(1000);
  temp_dir dir;
  const config cfg = service_config(sim.get());
  auto db = ledger::open(":memory:");
  service_status status;
  const instant t1 = sim_clock_start + 86400;  // our clock; the simulator's stays near sim_clock_start
  REQUIRE(run_one_cycle(cfg, db, status, t1).status == run_status::ok);

  std::size_t touched = 0;
  for (int i = 0; i < 30; ++i) touched += sim.get().tick();  // stamped with the simulator's clock, a day "ago"
  REQUIRE(touched > 0);
  const instant t2 = t1 + 60;
  const cycle_report second = run_one_cycle(cfg, db, status, t2);
  CHECK(second.status == run_status::ok);
  CHECK(second.provincial.records > 0);
  CHECK(second.national.records > 0);
  const offline_result expected = offline_evaluation(sim.get(), dir.path(), t2, grace);
  CHECK(open_findings(db) == expected.findings);
}

TEST_CASE("a configured unit: provincial is listed for that agency, national records of other units are skipped") {
  running_simulator sim(1500);
  temp_dir dir;
  config cfg = service_config(sim.get());
  const auto& first = sim::catalog::builtin()->units()[0];
  const std::string unit = first.code;
  cfg.units = {{unit, first.name}};
  auto db = ledger::open(":memory:");
  service_status status;
  const instant t = sim_clock_start + 600;
  const cycle_report r = run_one_cycle(cfg, db, status, t);
  const offline_result expected = offline_evaluation(sim.get(), dir.path(), t, grace, unit);

  CHECK(r.status == run_status::ok);
  CHECK(r.national.other_units > 0);
  CHECK(r.provincial.stored > 0);
  CHECK(r.provincial.stored < static_cast<std::int64_t>(expected.provincial));
  REQUIRE_FALSE(expected.findings.empty());
  CHECK(open_findings(db) == expected.findings);
  bool only_that_unit = true;
  db.each_dossier_pair([&](const dossier_facts* p, const dossier_facts* n) {
    if ((p && p->unit_code != unit) || (n && n->unit_code != unit)) only_that_unit = false;
  });
  CHECK(only_that_unit);
}

TEST_CASE("key_list sorts, drops repeats and hands out slices") {
  key_list keys;
  for (const char* k : {"B-2", "A-1", "C-3", "A-1", "B-2"}) keys.add(k);
  keys.finish();
  REQUIRE(keys.size() == 3);
  CHECK(keys[0] == "A-1");
  CHECK(keys[2] == "C-3");
  CHECK(keys.slice(1, 10) == std::vector<std::string>{"B-2", "C-3"});
  CHECK(keys.slice(3, 10).empty());
}

TEST_CASE("a full scope walks every key of the ledger page by page, each once, in order") {
  running_simulator sim(300);
  const config cfg = service_config(sim.get());
  auto db = ledger::open(":memory:");
  service_status status;
  REQUIRE(run_one_cycle(cfg, db, status, sim_clock_start + 600).status == run_status::ok);
  const evaluation_scope full = evaluation_keys(db, 1, sim_clock_start + 600, 1800);  // no run before run 1
  REQUIRE(full.full);
  CHECK(full.keys.size() == 0);  // nothing held
  std::vector<std::string> walked;
  const key_source next = keys_of(db, full);
  for (auto slice = next(7); !slice.empty(); slice = next(7)) {
    CHECK(slice.size() <= 7);
    walked.insert(walked.end(), slice.begin(), slice.end());
  }
  CHECK(std::is_sorted(walked.begin(), walked.end()));
  CHECK(std::adjacent_find(walked.begin(), walked.end()) == walked.end());
  std::set<std::string> stored;
  db.each_dossier_pair([&](const dossier_facts* p, const dossier_facts* n) { stored.insert(p ? p->key : n->key); });
  CHECK(walked.size() == stored.size());
  CHECK(std::set<std::string>(walked.begin(), walked.end()) == stored);
  CHECK(walked.size() >= 300);
}

TEST_CASE("an unreadable cursor restarts from the configured start") {
  auto db = ledger::open(":memory:");
  config cfg;
  cfg.since = 1'700'000'000;
  cfg.lookback_s = 600;
  {
    auto b = db.begin_batch(db.begin_run(run_mode::service, 1, 1, 0), 1);
    b.set_cursor(side::provincial, "not a time");
    b.set_cursor(side::national, cursor_text(1'720'000'000));
    b.commit();
  }
  CHECK(poll_start(db, side::provincial, cfg, 1'730'000'000).from == 1'700'000'000);
  const auto national = poll_start(db, side::national, cfg, 1'730'000'000);
  CHECK(national.from == 1'720'000'000 - 600);
  CHECK(national.cursor == 1'720'000'000);
}

}  // namespace dvc::test

namespace dvc::test {

TEST_CASE("look-ups that stop leave the cycle evaluated: unanswered dossiers await a look-up, nothing is guessed") {
  running_simulator sim(600, 7, sim::wire_shape::b);
  const config good = service_config(sim.get());
  REQUIRE(good.national.profile.lookup_only());
  auto db = ledger::open(":memory:");
  service_status status;

  // National refuses the login: no look-up is answered, so no provincial dossier may be called missing there.
  config refused = good;
  refused.national.password = secret("not-the-password");
  const instant t1 = sim_clock_start + 600;
  const cycle_report stopped = run_one_cycle(refused, db, status, t1);
  CHECK(stopped.status == run_status::ok);
  CHECK(stopped.evaluated);
  CHECK(stopped.provincial.ok());
  REQUIRE_FALSE(stopped.national.ok());
  CHECK(stopped.national.error->kind == error_kind::auth);
  CHECK(stopped.message.find("national look-ups stopped") != std::string::npos);
  CHECK(stopped.totals.awaiting_lookup > 500);
  CHECK(stopped.totals.lifecycle.raised == 0);
  CHECK(status.national.poll_failures_total == 1);

  // With the login accepted the next cycle looks every dossier up, and findings are raised on answers only.
  const instant t2 = sim_clock_start + 1200;
  const cycle_report answered = run_one_cycle(good, db, status, t2);
  CHECK(answered.status == run_status::ok);
  CHECK(answered.national.ok());
  CHECK(answered.totals.awaiting_lookup == 0);
  CHECK(answered.totals.lifecycle.raised > 0);
  CHECK(status.lookups_by_outcome["found"] + status.lookups_by_outcome["not_found"] > 500);
  CHECK(status.lookup_looked_up > 500);
  CHECK(status.lookup_looked_up <= status.lookup_provincial_dossiers);
  std::set<std::string> kinds;
  for (const auto& f : open_findings(db)) kinds.insert(std::get<1>(f));
  CHECK(kinds.count("missing_on_national") == 1);
  CHECK(kinds.count("missing_on_provincial") == 0);  // a look-up-only national side cannot show it
}

}  // namespace dvc::test
