#pragma once
// Internals shared by the ledger's .cpp files: the connection, a cache of prepared statements, and the
// conversions between rows and the model types. Not part of the public API.
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "schema/ledger.hpp"
#include "schema/sqlite.hpp"

namespace dvc {

// A cached statement handed out for one use: reset (cursor and bindings) when it goes out of scope, even when
// an exception leaves mid-step, so the next user finds it clean.
class statement_use {
 public:
  explicit statement_use(sqlite::statement& st) : st_(st) {}
  ~statement_use() { st_.reset(); }
  statement_use(const statement_use&) = delete;
  statement_use& operator=(const statement_use&) = delete;
  sqlite::statement* operator->() const { return &st_; }
  sqlite::statement& operator*() const { return st_; }

 private:
  sqlite::statement& st_;
};

struct ledger::impl {
  explicit impl(const std::string& path) : db(path) {}

  sqlite::database db;
  int version = 0;
  std::optional<audit_key> key;  // given at open: this connection may key and write a keyed chain
  bool keyed = false;            // the chain is keyed, as of the last prepare_chain_for_write

  // The digest of a stored dossier body and its named source (audit_records.hpp): HMAC with the key once the chain
  // is keyed, SHA-256 before.
  std::string record_digest(std::string_view body, std::string_view source) const;

  // Statements prepared once and reused, which is what makes a million upserts cheap. Streaming reads that
  // call back into user code prepare their own statement instead, so a callback may use the ledger freely.
  statement_use use(std::string_view sql);

  // Totals of list_findings by query text and values, valid while (`PRAGMA data_version`, total_changes()) stays
  // at `counts_version`: the pair moves with every commit of another connection and every write of this one, so a
  // cached total is never stale, and paging through a million findings does not count them all on every request.
  std::pair<std::int64_t, std::int64_t> counts_version{-1, -1};
  std::unordered_map<std::string, std::int64_t> counts;

 private:
  std::map<std::string, std::unique_ptr<sqlite::statement>, std::less<>> cache_;
};

side side_from_text(std::string_view text);

// Columns of the facts, in this order, after whatever leading columns a query selects.
inline constexpr std::string_view facts_columns =
    "key, side, code, unit_code, procedure_code, status_code, status, channel, online_payment, digitized,"
    " received, due, completed, updated, result_count, steps_ended, step_open, last_step_end, registered, unknown";
inline constexpr int facts_column_count = 20;
dossier_facts read_facts(const sqlite::statement& st, int first_column);

inline constexpr std::string_view finding_columns =
    "id, key, kind, reason, unit_code, state, first_seen, last_seen, details, ack_note, ack_by, ack_at";
finding_row read_finding(const sqlite::statement& st);

inline constexpr std::string_view run_columns =
    "id, mode, started_at, ended_at, as_of, grace_s, provincial_read, national_read, raised, resolved, reopened,"
    " errors, status, message, recheck_key, successions";
run_row read_run(const sqlite::statement& st);

}  // namespace dvc
