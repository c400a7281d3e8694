#include <doctest/doctest.h>

#include "reconcile/wire.hpp"
#include "schema/ledger.hpp"
#include "schema/sqlite.hpp"
#include "tests/support/ledger_fixtures.hpp"

using namespace dvc;

TEST_CASE("upserting an identical record changes nothing but seen_run") {
  auto l = ledger::open(":memory:");
  const auto run1 = l.begin_run(run_mode::service, 10, 10, 1800);
  const auto run2 = l.begin_run(run_mode::service, 20, 20, 1800);
  const auto d = test::make_dossier(side::provincial, "000.00.12.H10-240715-0001");
  {
    auto b = l.begin_batch(run1, 10);
    CHECK(b.upsert_record(d, facts_of(d)));
    CHECK_FALSE(b.upsert_record(d, facts_of(d)));  // the same page read twice in one run
    b.commit();
  }
  const auto first = l.get_record(side::provincial, d.key);
  REQUIRE(first.has_value());
  CHECK(first->seen_run == run1);
  CHECK(first->changed_run == run1);
  CHECK(first->body == to_json(d));
  CHECK(first->hash.size() == 64);
  CHECK(first->unit_name == "Sở Giao thông vận tải");
  CHECK(first->facts.status == 4);
  CHECK(first->facts.channel == 2);
  CHECK(first->facts.online_payment == false);
  CHECK(first->facts.digitized == true);
  CHECK(first->facts.due == 1'721'000'000);
  CHECK_FALSE(first->facts.completed.has_value());

  {
    auto b = l.begin_batch(run2, 20);
    CHECK_FALSE(b.upsert_record(d, facts_of(d)));
    b.commit();
  }
  const auto again = l.get_record(side::provincial, d.key);
  CHECK(again->seen_run == run2);
  CHECK(again->changed_run == run1);
  CHECK(again->hash == first->hash);
  CHECK(l.keys_changed_in_run(run2).empty());
  CHECK(l.keys_changed_in_run(run1) == std::vector<std::string>{d.key});
}

TEST_CASE("a changed record replaces the stored one and is marked changed in that run") {
  auto l = ledger::open(":memory:");
  const auto run1 = l.begin_run(run_mode::service, 10, 10, 1800);
  const auto run2 = l.begin_run(run_mode::service, 20, 20, 1800);
  auto d = test::make_dossier(side::national, "K-1");
  {
    auto b = l.begin_batch(run1, 10);
    b.upsert_record(d, facts_of(d));
    b.commit();
  }
  d.status = 10;
  d.status_code = "10";
  d.completed = 1'720'900'000;
  d.results.push_back({"GP-1", "Giấy phép", "https://example.invalid/gp-1.pdf"});
  {
    auto b = l.begin_batch(run2, 20);
    CHECK(b.upsert_record(d, facts_of(d)));
    b.commit();
  }
  const auto r = l.get_record(side::national, "K-1");
  REQUIRE(r.has_value());
  CHECK(r->facts.status == 10);
  CHECK(r->facts.completed == 1'720'900'000);
  CHECK(r->facts.result_count == 1);
  CHECK(r->changed_run == run2);
  CHECK(dossier_from_json(r->body).results.at(0).name == "Giấy phép");
  CHECK(l.keys_changed_in_run(run2) == std::vector<std::string>{"K-1"});
  CHECK_FALSE(l.get_record(side::provincial, "K-1").has_value());
}

TEST_CASE("records and cursor of an uncommitted batch are both absent; committed, both present") {
  test::temp_dir dir;
  const auto path = dir.file("atomic.db");
  auto l = ledger::open(path);
  const auto run = l.begin_run(run_mode::service, 10, 10, 1800);
  const auto d = test::make_dossier(side::provincial, "K-1");
  {
    auto b = l.begin_batch(run, 10);
    b.upsert_record(d, facts_of(d));
    b.set_cursor(side::provincial, "2024-07-15T08:00:00+07:00|id-9");
    b.add_data_error({side::provincial, "https://p.invalid page 0", "K-2", "unknown status code 'X'"});
  }  // dropped without commit, as when the process dies mid-page
  CHECK_FALSE(l.get_record(side::provincial, "K-1").has_value());
  CHECK_FALSE(l.get_cursor(side::provincial).has_value());
  CHECK(l.data_errors_of_run(run).empty());

  {
    auto b = l.begin_batch(run, 11);
    b.upsert_record(d, facts_of(d));
    b.set_cursor(side::provincial, "2024-07-15T08:00:00+07:00|id-9");
    b.add_data_error({side::provincial, "https://p.invalid page 0", "K-2", "unknown status code 'X'"});
    b.commit();
  }
  auto reopened = ledger::open(path);  // what another process sees
  CHECK(reopened.get_record(side::provincial, "K-1").has_value());
  CHECK(reopened.get_cursor(side::provincial) == "2024-07-15T08:00:00+07:00|id-9");
  CHECK_FALSE(reopened.get_cursor(side::national).has_value());
  const auto errors = reopened.data_errors_of_run(run);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].error.origin == side::provincial);
  CHECK(errors[0].error.source == "https://p.invalid page 0");
  CHECK(errors[0].error.key == "K-2");
  CHECK(errors[0].error.message == "unknown status code 'X'");
}

TEST_CASE("a record without a key, or with facts of another record, is refused with a clear error") {
  auto l = ledger::open(":memory:");
  const auto run = l.begin_run(run_mode::offline, 10, 10, 1800);
  auto b = l.begin_batch(run, 10);
  auto d = test::make_dossier(side::provincial, "");
  d.code = "ABC";
  CHECK_THROWS_WITH_AS(b.upsert_record(d, facts_of(d)),
                       "a provincial record with code 'ABC' has no key and cannot be stored", ledger_error);
  const auto other = test::make_dossier(side::provincial, "K-2");
  const auto d1 = test::make_dossier(side::provincial, "K-1");
  CHECK_THROWS_AS(b.upsert_record(d1, facts_of(other)), ledger_error);
}

TEST_CASE("foreign keys are enforced: a batch for an unknown run cannot store records") {
  auto l = ledger::open(":memory:");
  auto b = l.begin_batch(999, 10);
  const auto d = test::make_dossier(side::provincial, "K-1");
  CHECK_THROWS_WITH_AS(b.upsert_record(d, facts_of(d)), doctest::Contains("FOREIGN KEY constraint failed"),
                       sqlite::error);
}

TEST_CASE("runs: begin, finish, last of a mode") {
  auto l = ledger::open(":memory:");
  CHECK_FALSE(l.last_run(run_mode::service).has_value());
  const auto a = l.begin_run(run_mode::service, 100, 90, 1800);
  const auto b = l.begin_run(run_mode::offline, 200, 190, 60);
  run_summary s;
  s.ended_at = 150;
  s.provincial_read = 7;
  s.national_read = 6;
  s.raised = 3;
  s.resolved = 2;
  s.reopened = 1;
  s.errors = 4;
  s.status = run_status::partial;
  s.message = "national: 503 after 5 attempts";
  l.finish_run(a, s);
  const auto last = l.last_run(run_mode::service);
  REQUIRE(last.has_value());
  CHECK(last->id == a);
  CHECK(last->as_of == 90);
  CHECK(last->grace_s == 1800);
  CHECK(last->ended_at == 150);
  CHECK(last->provincial_read == 7);
  CHECK(last->national_read == 6);
  CHECK(last->raised == 3);
  CHECK(last->resolved == 2);
  CHECK(last->reopened == 1);
  CHECK(last->errors == 4);
  CHECK(last->status == run_status::partial);
  CHECK(last->message == "national: 503 after 5 attempts");
  const auto running = l.get_run(b);
  REQUIRE(running.has_value());
  CHECK(running->status == run_status::running);
  CHECK_FALSE(running->ended_at.has_value());
  CHECK(running->mode == run_mode::offline);
  CHECK_THROWS_WITH_AS(l.finish_run(12345, s), "cannot finish run 12345: no such run", ledger_error);
}

TEST_CASE("a second ledger on the same file reads while a batch is open, and sees it only after commit") {
  test::temp_dir dir;
  const auto path = dir.file("shared.db");
  auto writer = ledger::open(path);
  auto reader = ledger::open(path);
  const auto run = writer.begin_run(run_mode::service, 10, 10, 1800);
  const auto d = test::make_dossier(side::national, "K-1");
  auto b = writer.begin_batch(run, 10);
  b.upsert_record(d, facts_of(d));
  CHECK_FALSE(reader.get_record(side::national, "K-1").has_value());  // WAL: no wait, the old snapshot
  CHECK(reader.get_run(run).has_value());
  b.commit();
  CHECK(reader.get_record(side::national, "K-1").has_value());
}

TEST_CASE("within one run the copy updated last stands; a later run always replaces") {
  auto l = ledger::open(":memory:");
  const auto run1 = l.begin_run(run_mode::offline, 10, 10, 1800);
  auto newer = test::make_dossier(side::provincial, "K-DUP");
  newer.status_code = "NEW";
  newer.updated = 1'720'600'000;
  auto older = test::make_dossier(side::provincial, "K-DUP");
  older.updated = 1'720'500'000;
  {
    auto b = l.begin_batch(run1, 10);
    CHECK(b.upsert_record(newer, facts_of(newer)));
    CHECK_FALSE(b.upsert_record(older, facts_of(older)));  // a stale duplicate later in the export
    b.commit();
  }
  CHECK(l.get_record(side::provincial, "K-DUP")->facts.status_code == "NEW");
  auto same_time = older;
  same_time.updated = newer.updated;
  {
    const auto run2 = l.begin_run(run_mode::offline, 20, 20, 1800);
    auto b = l.begin_batch(run2, 20);
    CHECK(b.upsert_record(older, facts_of(older)));          // a new run: what the portal says now
    CHECK(b.upsert_record(same_time, facts_of(same_time)));  // a tie within the run: the later one
    b.commit();
  }
  CHECK(l.get_record(side::provincial, "K-DUP")->facts.updated == newer.updated);
  CHECK(l.get_record(side::provincial, "K-DUP")->facts.status_code == "PROCESSING");
}

TEST_CASE("two dossiers of one side with one key: reported with the other's id, the one updated last stands") {
  auto l = ledger::open(":memory:");
  auto a = test::make_dossier(side::provincial, "K-TWO");
  a.id = "id-A";
  a.updated = 1'720'600'000;
  auto b = test::make_dossier(side::provincial, "K-TWO");
  b.id = "id-B";
  b.status_code = "NEW";
  b.updated = 1'720'500'000;
  std::string other;
  {
    auto batch = l.begin_batch(l.begin_run(run_mode::service, 10, 10, 1800), 10);
    CHECK(batch.upsert_record(a, facts_of(a), &other));
    CHECK(other.empty());  // the first holder of the key
    batch.commit();
  }
  {
    // A later run: B is older than the stored A, so A stands even though the run changed.
    auto batch = l.begin_batch(l.begin_run(run_mode::service, 20, 20, 1800), 20);
    CHECK_FALSE(batch.upsert_record(b, facts_of(b), &other));
    CHECK(other == "id-A");
    CHECK(l.get_record(side::provincial, "K-TWO")->facts.status_code == "PROCESSING");
    b.updated = 1'720'700'000;  // B moves on: now it is the one updated last
    other.clear();
    CHECK(batch.upsert_record(b, facts_of(b), &other));
    CHECK(other == "id-A");
    batch.commit();
  }
  CHECK(l.get_record(side::provincial, "K-TWO")->facts.status_code == "NEW");
  {
    auto batch = l.begin_batch(l.begin_run(run_mode::service, 30, 30, 1800), 30);
    other.clear();
    CHECK_FALSE(batch.upsert_record(a, facts_of(a), &other));  // A again, older than B: reported, not stored
    CHECK(other == "id-B");
    // One dossier's own newer version is no duplicate.
    auto b2 = b;
    b2.updated = 1'720'800'000;
    other.clear();
    CHECK(batch.upsert_record(b2, facts_of(b2), &other));
    CHECK(other.empty());
    // National records carry no source id of their own: the check does not apply.
    auto n1 = test::make_dossier(side::national, "K-TWO");
    auto n2 = n1;
    n2.status = 9;
    n2.updated = n1.updated.value_or(0) + 10;
    CHECK(batch.upsert_record(n1, facts_of(n1), &other));
    CHECK(batch.upsert_record(n2, facts_of(n2), &other));
    CHECK(other.empty());
    batch.commit();
  }
  CHECK(l.get_record(side::provincial, "K-TWO")->facts.updated == 1'720'800'000);
}

TEST_CASE("a stored body that is not JSON, or whose id is not text, has no source id: no duplicate, no error") {
  test::temp_dir dir;
  const auto path = dir.file("bodies.db");
  auto l = ledger::open(path);
  auto first = test::make_dossier(side::provincial, "K-BAD");
  first.id = "id-A";
  auto second = test::make_dossier(side::provincial, "K-NUM");
  second.id = "id-A";
  {
    auto batch = l.begin_batch(l.begin_run(run_mode::service, 10, 10, 1800), 10);
    batch.upsert_record(first, facts_of(first));
    batch.upsert_record(second, facts_of(second));
    batch.commit();
  }
  {
    // Edited by hand or damaged on disk: the duplicate check must not read an id out of it, nor fail.
    sqlite::database raw(path);
    raw.exec(
        "UPDATE record_bodies SET body = '{\"id\": ' WHERE record_id ="
        " (SELECT id FROM records WHERE key = 'K-BAD')");
    raw.exec(
        "UPDATE record_bodies SET body = '{\"id\": 7}' WHERE record_id ="
        " (SELECT id FROM records WHERE key = 'K-NUM')");
  }
  auto batch = l.begin_batch(l.begin_run(run_mode::service, 20, 20, 1800), 20);
  for (auto d : {first, second}) {
    d.id = "id-B";
    d.status_code = "NEW";
    d.updated = d.updated.value_or(0) + 10;
    std::string other;
    CHECK(batch.upsert_record(d, facts_of(d), &other));
    CHECK(other.empty());
  }
  batch.commit();
  CHECK(l.get_record(side::provincial, "K-BAD")->facts.status_code == "NEW");
  CHECK(l.get_record(side::provincial, "K-NUM")->facts.status_code == "NEW");
}

TEST_CASE("runs a killed process left 'running' are closed as failed, only for the mode that restarts") {
  auto l = ledger::open(":memory:");
  const auto killed = l.begin_run(run_mode::service, 10, 10, 1800);
  const auto offline = l.begin_run(run_mode::offline, 11, 11, 1800);
  const auto done = l.begin_run(run_mode::service, 12, 12, 1800);
  run_summary s;
  s.ended_at = 13;
  s.status = run_status::ok;
  l.finish_run(done, s);
  CHECK(l.close_interrupted_runs(run_mode::service, 20) == 1);
  const auto row = l.get_run(killed);
  REQUIRE(row.has_value());
  CHECK(row->status == run_status::failed);
  CHECK(row->message.find("interrupted") == 0);
  CHECK(l.get_run(offline)->status == run_status::running);  // another mode's process may still be at work
  CHECK(l.get_run(done)->status == run_status::ok);
  CHECK(l.close_interrupted_runs(run_mode::service, 30) == 0);
}
