#pragma once
// Versioned schema migrations. Each lives in schema/migrations/NNN_name.sql and is compiled into the binary;
// applying one runs its SQL, records it in `schema_migrations` and sets `PRAGMA user_version`, all in one
// transaction, so a crash leaves the ledger at the previous version or the next, never in between.
#include <span>
#include <string>
#include <string_view>

#include "schema/sqlite.hpp"

namespace dvc {

struct migration {
  int version;
  std::string_view name;
  std::string_view sql;
};

// Every migration, in increasing version order (1, 2, …, perhaps with a gap where a number handed out has not
// landed yet); generated from the .sql files at build time.
std::span<const migration> embedded_migrations();

// The newest schema version this binary knows.
int latest_schema_version();

// Applies, in version order, every migration the database has not recorded in `schema_migrations` (so one that
// lands after a higher number was applied still is), and returns its version, latest_schema_version(). A database
// whose version is newer than this binary knows throws ledger_error ("ledger X has schema version N; this
// dvcrecon knows up to M"); nothing is changed then.
int apply_migrations(sqlite::database& db);
// The same with another list (tests).
int apply_migrations(sqlite::database& db, std::span<const migration> all);

}  // namespace dvc
