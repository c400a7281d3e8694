#include "schema/sqlite.hpp"

#include <sqlite3.h>

#include <climits>

namespace dvc::sqlite {

bool error::fatal() const {
  const int primary = primary_code();
  return primary == SQLITE_IOERR || primary == SQLITE_FULL || primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB ||
         primary == SQLITE_CANTOPEN;
}

void database::closer::operator()(sqlite3* db) const { sqlite3_close_v2(db); }

database::database(const std::string& path) : path_(path) {
  sqlite3* raw = nullptr;
  const int rc =
      sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  db_.reset(raw);  // sqlite3_open_v2 may hand back a handle even on failure; it must still be closed
  if (rc != SQLITE_OK) {
    const std::string msg = raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
    throw error(rc, "cannot open SQLite database " + path + ": " + msg);
  }
  sqlite3_extended_result_codes(raw, 1);
}

void database::fail(std::string_view doing) const {
  const int code = sqlite3_extended_errcode(db_.get());
  throw error(code, std::string(doing) + " on " + path_ + ": " + sqlite3_errmsg(db_.get()));
}

void database::exec(std::string_view sql) {
  const std::string text(sql);
  if (sqlite3_exec(db_.get(), text.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
    fail("executing `" + text.substr(0, 60) + "`");
  }
}

std::int64_t database::query_int(std::string_view sql) {
  statement st(*this, sql);
  if (!st.step()) throw error(SQLITE_ERROR, "query returned no row on " + path_ + ": " + std::string(sql));
  return st.get_int(0);
}

std::string database::query_text(std::string_view sql) {
  statement st(*this, sql);
  if (!st.step()) throw error(SQLITE_ERROR, "query returned no row on " + path_ + ": " + std::string(sql));
  return st.get_text(0);
}

std::int64_t database::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_.get()); }
int database::changes() const { return sqlite3_changes(db_.get()); }

void statement::finalizer::operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }

statement::statement(database& db, std::string_view sql) : db_(&db) {
  sqlite3_stmt* raw = nullptr;
  if (sql.size() > INT_MAX) throw error(SQLITE_TOOBIG, "SQL text too long");
  if (sqlite3_prepare_v3(db.handle(), sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &raw,
                         nullptr) != SQLITE_OK) {
    db.fail("preparing `" + std::string(sql.substr(0, 80)) + "`");
  }
  stmt_.reset(raw);
}

namespace {
void check_bind(database& db, int rc, int index) {
  if (rc != SQLITE_OK) db.fail("binding parameter " + std::to_string(index));
}
}  // namespace

statement& statement::bind(int index, std::int64_t value) {
  check_bind(*db_, sqlite3_bind_int64(stmt_.get(), index, value), index);
  return *this;
}

statement& statement::bind(int index, double value) {
  check_bind(*db_, sqlite3_bind_double(stmt_.get(), index, value), index);
  return *this;
}

statement& statement::bind(int index, std::string_view text) {
  if (text.size() > INT_MAX) throw error(SQLITE_TOOBIG, "text parameter too long");
  // SQLITE_TRANSIENT: SQLite copies, so the caller's buffer may go away before step().
  check_bind(*db_, sqlite3_bind_text(stmt_.get(), index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT),
             index);
  return *this;
}

statement& statement::bind(int index, std::span<const std::byte> blob) {
  if (blob.size() > INT_MAX) throw error(SQLITE_TOOBIG, "blob parameter too long");
  check_bind(*db_, sqlite3_bind_blob(stmt_.get(), index, blob.data(), static_cast<int>(blob.size()), SQLITE_TRANSIENT),
             index);
  return *this;
}

statement& statement::bind_null(int index) {
  check_bind(*db_, sqlite3_bind_null(stmt_.get(), index), index);
  return *this;
}

bool statement::step() {
  const int rc = sqlite3_step(stmt_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  const std::string sql = sqlite3_sql(stmt_.get()) ? sqlite3_sql(stmt_.get()) : "";
  sqlite3_reset(stmt_.get());  // leaves the statement reusable; the error stays on the connection
  db_->fail("running `" + sql.substr(0, 80) + "`");
}

void statement::run() {
  while (step()) {
  }
  reset();
}

void statement::reset() {
  sqlite3_reset(stmt_.get());
  sqlite3_clear_bindings(stmt_.get());
}

bool statement::is_null(int column) const { return sqlite3_column_type(stmt_.get(), column) == SQLITE_NULL; }
std::int64_t statement::get_int(int column) const { return sqlite3_column_int64(stmt_.get(), column); }
double statement::get_double(int column) const { return sqlite3_column_double(stmt_.get(), column); }

std::string_view statement::get_text_view(int column) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_.get(), column));
  const int n = sqlite3_column_bytes(stmt_.get(), column);  // after column_text, as the SQLite docs require
  return p ? std::string_view(p, static_cast<std::size_t>(n)) : std::string_view();
}

std::string statement::get_text(int column) const { return std::string(get_text_view(column)); }

std::string statement::get_blob(int column) const {
  const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_.get(), column));
  const int n = sqlite3_column_bytes(stmt_.get(), column);
  return p ? std::string(p, static_cast<std::size_t>(n)) : std::string();
}

std::optional<std::int64_t> statement::get_optional_int(int column) const {
  if (is_null(column)) return std::nullopt;
  return get_int(column);
}

std::optional<std::string> statement::get_optional_text(int column) const {
  if (is_null(column)) return std::nullopt;
  return get_text(column);
}

transaction::transaction(database& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }

transaction::~transaction() {
  // After a failed COMMIT (I/O error, full disk) SQLite may already have rolled back; a second ROLLBACK would
  // fail, so only roll back while a transaction is actually open.
  if (!done_ && !sqlite3_get_autocommit(db_.handle())) {
    sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
  }
}

void transaction::commit() {
  if (sqlite3_exec(db_.handle(), "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
    db_.fail("committing a transaction (its writes are not stored)");
  }
  done_ = true;
}

}  // namespace dvc::sqlite
