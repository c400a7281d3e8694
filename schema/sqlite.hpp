#pragma once
// Small owning wrappers over the SQLite C API: a connection, a prepared statement, and a transaction that rolls
// back unless committed. Every failure throws sqlite::error carrying SQLite's own message and result code, so a
// caller can tell a busy database from a full disk.
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace dvc::sqlite {

class error : public std::runtime_error {
 public:
  error(int code, const std::string& what) : std::runtime_error(what), code_(code) {}
  // Extended result code (sqlite3_extended_errcode); primary_code() masks it to SQLITE_BUSY, SQLITE_IOERR, …
  int code() const { return code_; }
  int primary_code() const { return code_ & 0xff; }
  // I/O error, full disk or corruption: whatever was being written is lost. The writer must stop and report,
  // never carry on as if the data were stored.
  bool fatal() const;

 private:
  int code_;
};

class database {
 public:
  // Opens (creating if absent) a read-write database; ":memory:" gives a private in-memory one.
  explicit database(const std::string& path);

  // Runs one or more statements that return no rows needed by the caller (DDL, PRAGMA, BEGIN/COMMIT).
  void exec(std::string_view sql);
  // The single value of a one-row, one-column query such as `PRAGMA user_version`.
  std::int64_t query_int(std::string_view sql);
  std::string query_text(std::string_view sql);

  std::int64_t last_insert_rowid() const;
  int changes() const;
  const std::string& path() const { return path_; }
  sqlite3* handle() const { return db_.get(); }

  // The current error of this connection as an exception, prefixed with what was being done.
  [[noreturn]] void fail(std::string_view doing) const;

 private:
  struct closer {
    void operator()(sqlite3* db) const;
  };
  std::string path_;
  std::unique_ptr<sqlite3, closer> db_;
};

class statement {
 public:
  statement(database& db, std::string_view sql);

  // Parameters are 1-based, as in SQLite.
  statement& bind(int index, std::int64_t value);
  statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
  statement& bind(int index, double value);
  statement& bind(int index, std::string_view text);
  statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
  statement& bind(int index, std::span<const std::byte> blob);
  statement& bind_null(int index);
  template <class T>
  statement& bind(int index, const std::optional<T>& value) {
    return value ? bind(index, *value) : bind_null(index);
  }

  // Advances to the next row: true while a row is available, false when done. Throws on error.
  bool step();
  // Runs a statement that returns no rows (INSERT/UPDATE/DELETE), then resets it for reuse.
  void run();
  // Ready to run again: clears the cursor and all bindings.
  void reset();

  // Columns are 0-based, as in SQLite.
  bool is_null(int column) const;
  std::int64_t get_int(int column) const;
  double get_double(int column) const;
  std::string get_text(int column) const;
  std::string_view get_text_view(int column) const;  // valid until the next step/reset
  std::string get_blob(int column) const;
  std::optional<std::int64_t> get_optional_int(int column) const;
  std::optional<std::string> get_optional_text(int column) const;

  sqlite3_stmt* handle() const { return stmt_.get(); }

 private:
  struct finalizer {
    void operator()(sqlite3_stmt* stmt) const;
  };
  database* db_;
  std::unique_ptr<sqlite3_stmt, finalizer> stmt_;
};

// `BEGIN IMMEDIATE` on construction: the write lock is taken up front, so a second writer waits for
// busy_timeout instead of failing half-way through. Rolls back in the destructor unless commit() succeeded.
class transaction {
 public:
  explicit transaction(database& db);
  ~transaction();
  transaction(const transaction&) = delete;
  transaction& operator=(const transaction&) = delete;

  // Throws sqlite::error when the commit fails; with fatal() true the transaction's writes are lost.
  void commit();
  bool committed() const { return done_; }

 private:
  database& db_;
  bool done_ = false;
};

}  // namespace dvc::sqlite
