#include "schema/migrations.hpp"

#include "schema/ledger.hpp"

namespace dvc {

int latest_schema_version() {
  const auto all = embedded_migrations();
  return all.empty() ? 0 : all.back().version;
}

namespace {

void refuse_if_newer(const sqlite::database& db, std::int64_t version, int latest) {
  if (version > latest) {
    throw ledger_error("ledger " + db.path() + " has schema version " + std::to_string(version) +
                       "; this dvcrecon knows up to " + std::to_string(latest));
  }
}

}  // namespace

int apply_migrations(sqlite::database& db) { return apply_migrations(db, embedded_migrations()); }

int apply_migrations(sqlite::database& db, std::span<const migration> all) {
  const int latest = all.empty() ? 0 : all.back().version;
  const auto initial = db.query_int("PRAGMA user_version");
  refuse_if_newer(db, initial, latest);
  const auto recorded = [&] {
    return db.query_int("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
               ? db.query_int("SELECT COUNT(*) FROM schema_migrations")
               : 0;
  };
  // Up to date: take no write lock, so readers (API, verify-ledger) open a busy ledger without waiting.
  if (initial == latest && recorded() == static_cast<std::int64_t>(all.size())) return latest;
  // The bookkeeping table predates every numbered migration, so even version 1 can be recorded in it.
  db.exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)");
  for (const migration& m : all) {
    sqlite::transaction tx(db);
    // Read again inside the write lock: two processes opening the same new ledger must not both apply it.
    refuse_if_newer(db, db.query_int("PRAGMA user_version"), latest);
    if (db.query_int("SELECT COUNT(*) FROM schema_migrations WHERE version = " + std::to_string(m.version)) > 0)
      continue;
    // No statement of ours may be left open here: a migration that drops a table (004 rebuilds events) fails
    // with "database table is locked" while one is.
    db.exec(m.sql);
    sqlite::statement record(db,
                             "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, unixepoch())");
    record.bind(1, m.version).bind(2, m.name).run();
    db.exec("PRAGMA user_version = " + std::to_string(db.query_int("SELECT MAX(version) FROM schema_migrations")));
    tx.commit();
  }
  return static_cast<int>(db.query_int("PRAGMA user_version"));
}

}  // namespace dvc
