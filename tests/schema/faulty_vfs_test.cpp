// The ledger on a disk that fills up or fails (ENGINEERING: SQLITE_IOERR on commit is fatal for that transaction):
// a failed write or sync surfaces as a fatal sqlite::error naming the cause, the ledger file stays sound, and
// after reopening it holds exactly the batches whose commit returned — records and cursor together — never a
// batch that failed. Each case sweeps the point of failure over every write (or sync) of a short history.
#include "tests/schema/faulty_vfs.hpp"

#include <doctest/doctest.h>
#include <sqlite3.h>

#include <optional>
#include <string>

#include "schema/ledger.hpp"
#include "schema/sqlite.hpp"
#include "tests/support/ledger_fixtures.hpp"

namespace dvc {
namespace {

constexpr int batches = 4;
constexpr int records_per_batch = 30;
constexpr instant now = 1'722'000'000;

std::string key_of(int batch, int n) {
  return "000.00.12.H10-2407" + std::to_string(10 + batch) + "-" + std::to_string(1000 + n);
}

struct history {
  int committed = 0;  // batches whose commit returned
  std::optional<sqlite::error> failure;
};

// Writes up to `batches` batches, each with its records and a cursor naming it; stops at the first failure.
history write_history(ledger& db) {
  history h;
  try {
    const auto run = db.begin_run(run_mode::service, now, now, 1800);
    for (int b = 1; b <= batches; ++b) {
      auto batch = db.begin_batch(run, now);
      for (int n = 0; n < records_per_batch; ++n) {
        const auto d = test::make_dossier(side::provincial, key_of(b, n));
        batch.upsert_record(d, facts_of(d));
      }
      batch.set_cursor(side::provincial, "batch-" + std::to_string(b));
      batch.commit();
      h.committed = b;
    }
  } catch (const sqlite::error& e) {
    h.failure = e;
  }
  return h;
}

// Reopens the file with no fault armed and checks it holds exactly the committed batches.
void check_reopened(const std::string& path, int committed) {
  auto db = ledger::open(path);
  const auto integrity = db.integrity_check();
  CHECK_MESSAGE(integrity.ok, integrity.message);
  const auto cursor = db.get_cursor(side::provincial);
  if (committed == 0) {
    CHECK_FALSE(cursor.has_value());
  } else {
    REQUIRE(cursor.has_value());
    CHECK(*cursor == "batch-" + std::to_string(committed));
  }
  sqlite::database raw(path);
  CHECK(raw.query_int("SELECT count(*) FROM records") == committed * records_per_batch);
  CHECK(raw.query_int("SELECT count(*) FROM record_bodies") == committed * records_per_batch);
}

// Fails the `countdown`-th call of `what` after the ledger is open, for every countdown until a history runs
// through without reaching it; returns how many points of failure were tried.
int sweep(test::faulty_vfs::target what, int error, int primary) {
  test::faulty_vfs vfs;
  int tried = 0;
  for (int countdown = 0;; ++countdown) {
    test::temp_dir dir;
    const auto path = dir.file("ledger.db");
    history h;
    {
      auto db = ledger::open(path);
      vfs.arm(what, countdown, error);
      h = write_history(db);
      vfs.disarm();
    }
    if (!h.failure) {
      CHECK(h.committed == batches);
      return tried;
    }
    ++tried;
    CAPTURE(countdown);
    CHECK(h.failure->fatal());
    CHECK(h.failure->primary_code() == primary);
    CHECK(std::string(h.failure->what()).size() > 10);
    CHECK(h.committed < batches);
    check_reopened(path, h.committed);
    REQUIRE(countdown < 10'000);
  }
}

TEST_CASE("a full disk at any write loses only the batch being written, never the file") {
  const int tried = sweep(test::faulty_vfs::target::write, SQLITE_FULL, SQLITE_FULL);
  CHECK(tried >= batches);
  MESSAGE("SQLITE_FULL injected at ", tried, " different writes");
}

TEST_CASE("an I/O error at any write is fatal and leaves the committed batches intact") {
  const int tried = sweep(test::faulty_vfs::target::write, SQLITE_IOERR_WRITE, SQLITE_IOERR);
  CHECK(tried >= batches);
  MESSAGE("SQLITE_IOERR_WRITE injected at ", tried, " different writes");
}

TEST_CASE("a failed fsync at commit is fatal and the batch is not reported as stored") {
  const int tried = sweep(test::faulty_vfs::target::sync, SQLITE_IOERR_FSYNC, SQLITE_IOERR);
  CHECK(tried >= batches);
  MESSAGE("SQLITE_IOERR_FSYNC injected at ", tried, " different syncs");
}

TEST_CASE("a ledger that cannot be created on a full disk is an error, and a later open succeeds") {
  test::faulty_vfs vfs;
  test::temp_dir dir;
  const auto path = dir.file("ledger.db");
  vfs.arm(test::faulty_vfs::target::write, 0, SQLITE_FULL);
  try {
    auto db = ledger::open(path);
    FAIL("ledger::open succeeded although every write fails");
  } catch (const sqlite::error& e) {
    CHECK(e.fatal());
    CHECK(e.primary_code() == SQLITE_FULL);
  }
  CHECK(vfs.failures() >= 1);
  vfs.disarm();
  check_reopened(path, 0);
}

}  // namespace
}  // namespace dvc
