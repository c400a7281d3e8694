#include "schema/migrations.hpp"

#include <doctest/doctest.h>

#include <fstream>

#include "schema/ledger.hpp"
#include "schema/sqlite.hpp"
#include "tests/support/ledger_fixtures.hpp"

using namespace dvc;

TEST_CASE("embedded migrations are numbered from 1, increasing, and carry their SQL") {
  const auto all = embedded_migrations();
  REQUIRE_FALSE(all.empty());
  CHECK(all.front().version == 1);
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (i > 0) CHECK(all[i].version > all[i - 1].version);
    CHECK_FALSE(all[i].sql.empty());
  }
  CHECK(all.front().name == "initial");
  CHECK(all.front().sql.find("CREATE TABLE findings") != std::string_view::npos);
  CHECK(latest_schema_version() == all.back().version);
}

TEST_CASE("a fresh database gets every migration, recorded with user_version") {
  sqlite::database db(":memory:");
  CHECK(apply_migrations(db) == latest_schema_version());
  CHECK(db.query_int("PRAGMA user_version") == latest_schema_version());
  CHECK(db.query_int("SELECT COUNT(*) FROM schema_migrations") ==
        static_cast<std::int64_t>(embedded_migrations().size()));
  CHECK(db.query_text("SELECT name FROM schema_migrations WHERE version = 1") == "initial");
  CHECK(db.query_int("SELECT applied_at FROM schema_migrations WHERE version = 1") > 1'700'000'000);
  for (const char* table : {"runs", "records", "findings", "events", "chain_head", "cursors", "data_errors"}) {
    CAPTURE(table);
    CHECK(db.query_int("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '" + std::string(table) +
                       "'") == 1);
  }
}

TEST_CASE("re-opening a ledger applies nothing again and keeps its data") {
  test::temp_dir dir;
  const auto path = dir.file("ledger.db");
  {
    auto l = ledger::open(path);
    CHECK(l.schema_version() == latest_schema_version());
    l.begin_run(run_mode::offline, 100, 100, 1800);
  }
  {
    auto l = ledger::open(path);
    CHECK(l.schema_version() == latest_schema_version());
    REQUIRE(l.last_run(run_mode::offline).has_value());
    CHECK(l.last_run(run_mode::offline)->started_at == 100);
  }
  sqlite::database raw(path);
  CHECK(raw.query_int("SELECT COUNT(*) FROM schema_migrations") ==
        static_cast<std::int64_t>(embedded_migrations().size()));
}

TEST_CASE("a migration that lands below one already applied is applied when the ledger next opens") {
  // Numbers are handed out ahead: a ledger may have 1 and 3 when 2 arrives in a later binary.
  const migration first{1, "initial", "CREATE TABLE a (x INTEGER);"};
  const migration second{2, "second", "CREATE TABLE b (x INTEGER);"};
  const migration third{3, "third", "ALTER TABLE a ADD COLUMN y INTEGER;"};
  sqlite::database db(":memory:");
  const migration with_gap[] = {first, third};
  CHECK(apply_migrations(db, with_gap) == 3);
  CHECK(db.query_int("SELECT COUNT(*) FROM sqlite_master WHERE name = 'b'") == 0);
  const migration all[] = {first, second, third};
  CHECK(apply_migrations(db, all) == 3);
  CHECK(db.query_int("SELECT COUNT(*) FROM sqlite_master WHERE name = 'b'") == 1);
  CHECK(db.query_int("SELECT COUNT(*) FROM schema_migrations") == 3);
  CHECK(db.query_text("SELECT name FROM schema_migrations WHERE version = 2") == "second");
  // Nothing is applied twice.
  CHECK(apply_migrations(db, all) == 3);
  CHECK(db.query_int("SELECT COUNT(*) FROM schema_migrations") == 3);
}

TEST_CASE("a ledger newer than this binary is refused with a message naming it, and left unchanged") {
  test::temp_dir dir;
  const auto path = dir.file("future.db");
  const int newer = latest_schema_version() + 5;
  {
    sqlite::database raw(path);
    raw.exec("PRAGMA user_version = " + std::to_string(newer));
  }
  const std::string expected = "ledger " + path + " has schema version " + std::to_string(newer) +
                               "; this dvcrecon knows up to " + std::to_string(latest_schema_version());
  CHECK_THROWS_WITH_AS(ledger::open(path), expected.c_str(), ledger_error);
  sqlite::database raw(path);
  CHECK(raw.query_int("SELECT COUNT(*) FROM sqlite_master WHERE name = 'schema_migrations'") == 0);
  CHECK(raw.query_int("PRAGMA user_version") == newer);
}

TEST_CASE("a file ledger runs in WAL mode; checkpoint empties the WAL") {
  test::temp_dir dir;
  auto l = ledger::open(dir.file("wal.db"));
  sqlite::database raw(dir.file("wal.db"));
  CHECK(raw.query_text("PRAGMA journal_mode") == "wal");
  l.begin_run(run_mode::service, 1, 1, 0);
  CHECK(l.file_sizes().db_bytes > 0);
  CHECK(l.file_sizes().wal_bytes > 0);
  l.checkpoint();
  CHECK(l.file_sizes().wal_bytes == 0);
  CHECK(l.integrity_check().ok);
  CHECK(l.integrity_check().message == "ok");
}

TEST_CASE("a file that is not a database is refused with an error naming it") {
  test::temp_dir dir;
  const auto path = dir.file("notes.txt");
  {
    std::ofstream out(path);
    out << "this is not an SQLite database, just some operator's notes that are long enough to read a header\n";
  }
  try {
    ledger::open(path);
    FAIL("opening a non-database must throw");
  } catch (const sqlite::error& e) {
    CHECK(std::string(e.what()).find(path) != std::string::npos);
    CHECK(std::string(e.what()).find("file is not a database") != std::string::npos);
    CHECK(e.fatal());
  }
}
