#include <doctest/doctest.h>
#include <sqlite3.h>

#include "schema/event_chain.hpp"
#include "schema/ledger.hpp"
#include "schema/sha256.hpp"
#include "tests/support/ledger_fixtures.hpp"

using namespace dvc;
using test::make_finding;
using test::raised;

namespace {

using evaluations = std::vector<std::pair<std::string, evaluation>>;

// Five events on one file: opened K-1, opened K-2, ack K-1, resolved K-2, reopened K-2.
std::int64_t build_history(ledger& l) {
  const auto run = l.begin_run(run_mode::service, 100, 100, 1800);
  l.apply_evaluations(
      run, 100,
      evaluations{raised("K-1", {make_finding("K-1", finding_kind::status_mismatch, reason::differs)}),
                  raised("K-2", {make_finding("K-2", finding_kind::missing_on_national, reason::not_pushed)})});
  l.ack(l.findings_for_key("K-1").at(0).id, "checked", "ops", 110);
  l.apply_evaluations(run, 120, evaluations{raised("K-2", {})});
  l.apply_evaluations(
      run, 130,
      evaluations{raised("K-2", {make_finding("K-2", finding_kind::missing_on_national, reason::not_pushed)})});
  return run;
}

// What an operator could do with the sqlite3 shell, behind the ledger's back.
void tamper(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  char* err = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  const std::string message = err ? err : "";
  sqlite3_free(err);
  sqlite3_close(db);
  REQUIRE_MESSAGE(rc == SQLITE_OK, message);
}

std::vector<std::int64_t> event_ids(const std::string& path) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, "SELECT id FROM events ORDER BY id", -1, &st, nullptr) == SQLITE_OK);
  std::vector<std::int64_t> ids;
  while (sqlite3_step(st) == SQLITE_ROW) ids.push_back(sqlite3_column_int64(st, 0));
  sqlite3_finalize(st);
  sqlite3_close(db);
  return ids;
}

}  // namespace

TEST_CASE("event hashes chain from 64 zeros, and the hash covers every column") {
  auto l = ledger::open(":memory:");
  build_history(l);
  const auto k1 = l.events_for_finding(l.findings_for_key("K-1").at(0).id);
  REQUIRE(k1.size() == 2);
  CHECK(k1[0].prev_hash == std::string(genesis_hash));
  CHECK(k1[0].hash == event_hash(k1[0]));
  event_row altered = k1[1];
  altered.actor = "someone else";
  CHECK(event_hash(altered) != k1[1].hash);
  altered = k1[1];
  altered.at += 1;
  CHECK(event_hash(altered) != k1[1].hash);
  altered = k1[1];
  altered.from_state.reset();
  CHECK(event_hash(altered) != k1[1].hash);
}

TEST_CASE("an untampered ledger verifies, including after re-opening") {
  test::temp_dir dir;
  const auto path = dir.file("chain.db");
  {
    auto l = ledger::open(path);
    CHECK(l.verify_chain().ok);  // empty chain
    build_history(l);
  }
  auto l = ledger::open(path);
  const auto report = l.verify_chain();
  CHECK(report.ok);
  CHECK(report.events_checked == 5);
  CHECK_FALSE(report.first_broken_event_id.has_value());
  CHECK(report.message.starts_with("event chain intact: 5 events verified (not keyed"));
}

TEST_CASE("an UPDATE of an event is found at that event") {
  test::temp_dir dir;
  const auto path = dir.file("chain.db");
  auto l = ledger::open(path);
  build_history(l);
  const auto ids = event_ids(path);
  tamper(path, "UPDATE events SET cause = 'nothing to see' WHERE id = " + std::to_string(ids[2]));
  const auto report = l.verify_chain();
  CHECK_FALSE(report.ok);
  CHECK(report.first_broken_event_id == ids[2]);
  CHECK(report.message == "event " + std::to_string(ids[2]) + " was altered: its content does not match its hash");
}

TEST_CASE("a DELETE of a middle event is found at the event after it") {
  test::temp_dir dir;
  const auto path = dir.file("chain.db");
  auto l = ledger::open(path);
  build_history(l);
  const auto ids = event_ids(path);
  tamper(path, "DELETE FROM events WHERE id = " + std::to_string(ids[1]));
  const auto report = l.verify_chain();
  CHECK_FALSE(report.ok);
  CHECK(report.first_broken_event_id == ids[2]);
  CHECK(report.message.find("does not link to the event before it") != std::string::npos);
}

TEST_CASE("a DELETE of the newest events is found through the chain head, and stays found after new events") {
  test::temp_dir dir;
  const auto path = dir.file("chain.db");
  auto l = ledger::open(path);
  const auto run = build_history(l);
  const auto ids = event_ids(path);
  tamper(path, "DELETE FROM events WHERE id = " + std::to_string(ids.back()));
  auto report = l.verify_chain();
  CHECK_FALSE(report.ok);
  CHECK(report.first_broken_event_id == ids.back());
  CHECK(report.message.find("were deleted at the end") != std::string::npos);

  // The service carries on writing: the gap must not heal.
  l.apply_evaluations(
      run, 200,
      evaluations{raised("K-3", {make_finding("K-3", finding_kind::missing_on_national, reason::not_pushed)})});
  const auto after = event_ids(path);
  CHECK(after.back() > ids.back());  // ids of deleted rows are never reused
  report = l.verify_chain();
  CHECK_FALSE(report.ok);
  CHECK(report.first_broken_event_id == after.back());
}

TEST_CASE("rewriting an event's hash to match its new content still breaks the link to the next event") {
  test::temp_dir dir;
  const auto path = dir.file("chain.db");
  auto l = ledger::open(path);
  build_history(l);
  const auto ids = event_ids(path);
  auto events = l.events_for_finding(l.findings_for_key("K-1").at(0).id);
  event_row forged = events.at(0);
  forged.cause = "forged";
  tamper(path, "UPDATE events SET cause = 'forged', hash = '" + event_hash(forged) +
                   "' WHERE id = " + std::to_string(forged.id));
  const auto report = l.verify_chain();
  CHECK_FALSE(report.ok);
  CHECK(report.first_broken_event_id == ids[1]);
}

TEST_CASE("sha256_hex matches the FIPS 180-2 test vectors") {
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_CASE("verify_records finds a dossier body edited or deleted behind the ledger's back") {
  test::temp_dir dir;
  const auto path = dir.file("records.db");
  auto l = ledger::open(path);
  const auto run = l.begin_run(run_mode::service, 10, 10, 1800);
  {
    auto b = l.begin_batch(run, 10);
    for (const char* key : {"K-1", "K-2", "K-3"}) {
      const auto d = test::make_dossier(side::provincial, key);
      b.upsert_record(d, facts_of(d));
    }
    b.commit();
  }
  auto report = l.verify_records();
  CHECK(report.ok);
  CHECK(report.records_checked == 3);
  CHECK(report.mismatched == 0);

  tamper(path,
         "UPDATE record_bodies SET body = replace(body, 'PROCESSING', 'COMPLETED') WHERE record_id ="
         " (SELECT id FROM records WHERE key = 'K-2')");
  tamper(path, "DELETE FROM record_bodies WHERE record_id = (SELECT id FROM records WHERE key = 'K-3')");
  report = l.verify_records();
  CHECK_FALSE(report.ok);
  CHECK(report.mismatched == 2);
  CHECK(report.first_mismatch == "provincial K-2");
}
