#include "schema/ledger.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>

#include "reconcile/bounded_json.hpp"
#include "schema/audit_anchor.hpp"
#include "schema/audit_fold.hpp"
#include "schema/audit_records.hpp"
#include "schema/event_chain.hpp"
#include "schema/ledger_impl.hpp"
#include "schema/migrations.hpp"
#include "schema/sha256.hpp"

namespace dvc {

std::string_view run_mode_name(run_mode m) { return m == run_mode::offline ? "offline" : "service"; }

std::string_view run_status_name(run_status s) {
  switch (s) {
    case run_status::running:
      return "running";
    case run_status::ok:
      return "ok";
    case run_status::partial:
      return "partial";
    case run_status::failed:
      return "failed";
  }
  return "failed";
}

namespace {

run_mode run_mode_from_text(std::string_view text) {
  if (text == "offline") return run_mode::offline;
  if (text == "service") return run_mode::service;
  throw ledger_error("runs.mode holds an unknown value '" + std::string(text) + "'");
}

run_status run_status_from_text(std::string_view text) {
  for (auto s : {run_status::running, run_status::ok, run_status::partial, run_status::failed}) {
    if (run_status_name(s) == text) return s;
  }
  throw ledger_error("runs.status holds an unknown value '" + std::string(text) + "'");
}

std::optional<int> optional_int(const sqlite::statement& st, int column) {
  if (st.is_null(column)) return std::nullopt;
  return static_cast<int>(st.get_int(column));
}

std::optional<bool> optional_bool(const sqlite::statement& st, int column) {
  if (st.is_null(column)) return std::nullopt;
  return st.get_int(column) != 0;
}

}  // namespace

statement_use ledger::impl::use(std::string_view sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    it = cache_.emplace(std::string(sql), std::make_unique<sqlite::statement>(db, sql)).first;
  }
  return statement_use(*it->second);
}

side side_from_text(std::string_view text) {
  if (text == "provincial") return side::provincial;
  if (text == "national") return side::national;
  throw ledger_error("ledger holds an unknown side '" + std::string(text) + "'");
}

dossier_facts read_facts(const sqlite::statement& st, int c) {
  dossier_facts f;
  f.key = st.get_text(c + 0);
  f.origin = side_from_text(st.get_text_view(c + 1));
  f.code = st.get_text(c + 2);
  f.unit_code = st.get_text(c + 3);
  f.procedure_code = st.get_text(c + 4);
  f.status_code = st.get_text(c + 5);
  f.status = optional_int(st, c + 6);
  f.channel = optional_int(st, c + 7);
  f.online_payment = optional_bool(st, c + 8);
  f.digitized = optional_bool(st, c + 9);
  f.received = st.get_optional_int(c + 10);
  f.due = st.get_optional_int(c + 11);
  f.completed = st.get_optional_int(c + 12);
  f.updated = st.get_optional_int(c + 13);
  f.result_count = static_cast<std::uint32_t>(st.get_int(c + 14));
  f.steps_ended = static_cast<std::uint32_t>(st.get_int(c + 15));
  f.step_open = st.get_int(c + 16) != 0;
  f.last_step_end = st.get_optional_int(c + 17);
  f.registered = st.get_int(c + 18) != 0;
  f.unknown = canonical_set::from_bits(static_cast<std::uint32_t>(st.get_int(c + 19)));
  return f;
}

finding_row read_finding(const sqlite::statement& st) {
  finding_row r;
  r.id = st.get_int(0);
  r.key = st.get_text(1);
  const auto kind_text = st.get_text_view(2);
  const auto kind = kind_from_name(kind_text);
  if (!kind) {
    throw ledger_error("finding " + std::to_string(r.id) + " has an unknown kind '" + std::string(kind_text) + "'");
  }
  r.kind = *kind;
  r.reason = st.get_text(3);
  r.unit_code = st.get_text(4);
  r.state = st.get_text(5);
  r.first_seen = st.get_int(6);
  r.last_seen = st.get_int(7);
  try {
    r.details = parse_bounded(st.get_text_view(8));
  } catch (const json_error& e) {
    throw ledger_error("finding " + std::to_string(r.id) + ": details are not valid JSON: " + e.what());
  }
  r.ack_note = st.get_optional_text(9);
  r.ack_by = st.get_optional_text(10);
  r.ack_at = st.get_optional_int(11);
  return r;
}

run_row read_run(const sqlite::statement& st) {
  run_row r;
  r.id = st.get_int(0);
  r.mode = run_mode_from_text(st.get_text_view(1));
  r.started_at = st.get_int(2);
  r.ended_at = st.get_optional_int(3);
  r.as_of = st.get_int(4);
  r.grace_s = st.get_int(5);
  r.provincial_read = st.get_int(6);
  r.national_read = st.get_int(7);
  r.raised = st.get_int(8);
  r.resolved = st.get_int(9);
  r.reopened = st.get_int(10);
  r.errors = st.get_int(11);
  r.status = run_status_from_text(st.get_text_view(12));
  r.message = st.get_text(13);
  r.recheck_key = st.get_optional_text(14);
  r.successions = st.get_optional_text(15).value_or("");
  return r;
}

ledger::ledger(std::unique_ptr<impl> p) : p_(std::move(p)) {}
ledger::ledger(ledger&&) noexcept = default;
ledger& ledger::operator=(ledger&&) noexcept = default;
ledger::~ledger() = default;

ledger ledger::open(const std::string& path, std::optional<audit_key> key) {
  // A new ledger is created readable by its owner only, whatever the umask: it holds applicants' names. SQLite
  // gives the WAL and shared-memory files the database file's mode.
  if (path != ":memory:" && !path.empty()) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd >= 0) ::close(fd);  // otherwise it exists, or SQLite's own open names the problem
  }
  auto p = std::make_unique<impl>(path);
  p->key = std::move(key);
  auto& db = p->db;
  // Wait for another writer (the service while an operator acks) instead of failing at once.
  db.exec("PRAGMA busy_timeout = 5000");
  // WAL: readers never block the writer. An in-memory database answers "memory" and stays so.
  const auto mode = db.query_text("PRAGMA journal_mode = WAL");
  if (mode != "wal" && mode != "memory") {
    throw ledger_error("ledger " + path + " cannot use write-ahead logging (journal mode is " + mode + ")");
  }
  // FULL: a committed transaction survives power loss, which the cursor-with-records promise relies on.
  db.exec("PRAGMA synchronous = FULL");
  db.exec("PRAGMA foreign_keys = ON");
  // 32 MiB of page cache (default 2 MiB): key lookups during a million upserts hit memory, not read(2), while
  // the whole process stays well inside its memory budget.
  db.exec("PRAGMA cache_size = -32768");
  p->version = apply_migrations(db);
  p->keyed = keying_event_id(db).has_value();
  return ledger(std::move(p));
}

const std::string& ledger::path() const { return p_->db.path(); }
int ledger::schema_version() const { return p_->version; }

std::int64_t ledger::begin_run(run_mode mode, instant started_at, instant as_of, std::int64_t grace_s) {
  auto st = p_->use("INSERT INTO runs (mode, started_at, as_of, grace_s) VALUES (?, ?, ?, ?)");
  st->bind(1, run_mode_name(mode)).bind(2, started_at).bind(3, as_of).bind(4, grace_s);
  st->step();
  return p_->db.last_insert_rowid();
}

void ledger::finish_run(std::int64_t run_id, const run_summary& s) {
  auto st = p_->use(
      "UPDATE runs SET ended_at = ?, provincial_read = ?, national_read = ?, raised = ?, resolved = ?,"
      " reopened = ?, errors = ?, status = ?, message = ?, successions = ? WHERE id = ?");
  st->bind(1, s.ended_at).bind(2, s.provincial_read).bind(3, s.national_read).bind(4, s.raised);
  st->bind(5, s.resolved).bind(6, s.reopened).bind(7, s.errors).bind(8, run_status_name(s.status));
  st->bind(9, s.message).bind(10, s.successions).bind(11, run_id);
  st->step();
  if (p_->db.changes() != 1) throw ledger_error("cannot finish run " + std::to_string(run_id) + ": no such run");
}

std::int64_t ledger::begin_recheck_run(std::string_view key, instant started_at, std::int64_t grace_s) {
  auto st = p_->use("INSERT INTO runs (mode, started_at, as_of, grace_s, recheck_key) VALUES ('service', ?, ?, ?, ?)");
  st->bind(1, started_at).bind(2, started_at).bind(3, grace_s).bind(4, key);
  st->step();
  return p_->db.last_insert_rowid();
}

std::int64_t ledger::close_interrupted_runs(run_mode mode, instant now) {
  sqlite::transaction tx(p_->db);
  auto st = p_->use(
      "UPDATE runs SET status = 'failed', ended_at = ?, message = 'interrupted: the process ended before the run"
      " finished (killed, crashed or power lost); what it committed is kept' WHERE status = 'running' AND mode = ?");
  st->bind(1, now).bind(2, run_mode_name(mode));
  st->step();
  const std::int64_t closed = p_->db.changes();
  tx.commit();
  return closed;
}

std::optional<run_row> ledger::last_run(run_mode mode) const {
  auto st = p_->use("SELECT " + std::string(run_columns) +
                    " FROM runs WHERE mode = ? AND recheck_key IS NULL ORDER BY id DESC LIMIT 1");
  st->bind(1, run_mode_name(mode));
  if (!st->step()) return std::nullopt;
  return read_run(*st);
}

std::optional<run_row> ledger::latest_run(std::initializer_list<run_status> statuses) const {
  std::string sql = "SELECT " + std::string(run_columns) + " FROM runs WHERE recheck_key IS NULL";
  if (statuses.size()) {
    sql += " AND status IN (";
    for (std::size_t i = 0; i < statuses.size(); ++i) sql += i ? ", ?" : "?";
    sql += ")";
  }
  auto st = p_->use(sql + " ORDER BY id DESC LIMIT 1");
  int i = 1;
  for (const run_status s : statuses) st->bind(i++, run_status_name(s));
  if (!st->step()) return std::nullopt;
  return read_run(*st);
}

std::optional<run_row> ledger::latest_evaluated_run() const {
  auto st = p_->use("SELECT " + std::string(run_columns) +
                    " FROM runs WHERE recheck_key IS NULL AND ((mode = 'service' AND status = 'ok')"
                    " OR (mode = 'offline' AND status IN ('ok', 'partial'))) ORDER BY id DESC LIMIT 1");
  if (!st->step()) return std::nullopt;
  return read_run(*st);
}

std::optional<run_row> ledger::get_run(std::int64_t run_id) const {
  auto st = p_->use("SELECT " + std::string(run_columns) + " FROM runs WHERE id = ?");
  st->bind(1, run_id);
  if (!st->step()) return std::nullopt;
  return read_run(*st);
}

std::optional<run_row> ledger::last_finished_run() const {
  auto st =
      p_->use("SELECT " + std::string(run_columns) + " FROM runs WHERE ended_at IS NOT NULL ORDER BY id DESC LIMIT 1");
  if (!st->step()) return std::nullopt;
  return read_run(*st);
}

std::optional<std::string> ledger::get_cursor(side s) const {
  auto st = p_->use("SELECT value FROM cursors WHERE side = ?");
  st->bind(1, side_name(s));
  if (!st->step()) return std::nullopt;
  return st->get_text(0);
}

std::optional<std::string> ledger::get_cursor(side s, std::string_view source) const {
  if (source.empty()) return get_cursor(s);
  auto st = p_->use("SELECT value FROM source_cursors WHERE source = ?");
  st->bind(1, source);
  if (!st->step()) return std::nullopt;
  return st->get_text(0);
}

std::optional<std::string> ledger::provincial_source_of(std::string_view key) const {
  auto st = p_->use("SELECT source FROM records WHERE key = ? AND side = 'provincial'");
  st->bind(1, key);
  if (!st->step()) return std::nullopt;
  return st->is_null(0) ? std::string() : st->get_text(0);
}

std::vector<data_error_row> ledger::data_errors_of_run(std::int64_t run_id) const {
  auto st = p_->use("SELECT id, run_id, side, source, key, message FROM data_errors WHERE run_id = ? ORDER BY id");
  st->bind(1, run_id);
  std::vector<data_error_row> out;
  while (st->step()) {
    data_error_row r;
    r.id = st->get_int(0);
    r.run_id = st->get_int(1);
    if (!st->is_null(2)) r.error.origin = side_from_text(st->get_text_view(2));
    r.error.source = st->get_text(3);
    r.error.key = st->get_optional_text(4);
    r.error.message = st->get_text(5);
    out.push_back(std::move(r));
  }
  return out;
}

std::string ledger::impl::record_digest(std::string_view body, std::string_view source) const {
  return dvc::record_digest(body, source, keyed ? &*key : nullptr);
}

std::optional<chain_head_ref> chain_head_ref::parse(std::string_view text) {
  const auto colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  chain_head_ref ref;
  const std::string_view id = text.substr(0, colon);
  for (const char c : id)
    if (c < '0' || c > '9') return std::nullopt;
  try {
    ref.event_id = std::stoll(std::string(id));
  } catch (const std::exception&) {
    return std::nullopt;
  }
  ref.hash = std::string(text.substr(colon + 1));
  if (ref.hash.size() != 64) return std::nullopt;
  for (const char c : ref.hash)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return std::nullopt;
  return ref;
}

std::optional<keying_report> ledger::key_audit_chain(instant now) {
  if (!p_->key) return std::nullopt;
  sqlite::transaction tx(p_->db);
  p_->keyed = keying_event_id(p_->db).has_value();
  if (p_->keyed) return std::nullopt;
  auto report = key_chain(*p_, now);
  tx.commit();
  return report;
}

bool ledger::audit_keyed() const { return keying_event_id(p_->db).has_value(); }

chain_head_ref ledger::chain_head() const { return read_chain_head(p_->db); }

bool ledger::chain_contains(const chain_head_ref& head) const {
  if (head.event_id == 0) return head.hash == genesis_hash;
  auto st = p_->use("SELECT hash FROM events WHERE id = ?");
  st->bind(1, head.event_id);
  return st->step() && st->get_text_view(0) == head.hash;
}

chain_report ledger::verify_chain(const audit_key* key) const { return verify_event_chain(p_->db, key); }

chain_report ledger::verify_findings() const { return verify_findings_fold(p_->db); }

records_report ledger::verify_records(const audit_key* key) const {
  return verify_stored_records(p_->db, key, keying_event_id(p_->db).has_value());
}

integrity_report ledger::integrity_check() const {
  sqlite::statement st(p_->db, "PRAGMA integrity_check(20)");
  integrity_report report;
  std::string lines;
  while (st.step()) {
    if (!lines.empty()) lines += "; ";
    lines += st.get_text(0);
  }
  report.ok = lines == "ok";
  report.message = lines.empty() ? "integrity_check returned nothing" : lines;
  return report;
}

ledger_file_sizes ledger::file_sizes() const {
  ledger_file_sizes sizes;
  std::error_code ec;
  if (const auto n = std::filesystem::file_size(path(), ec); !ec) sizes.db_bytes = n;
  if (const auto n = std::filesystem::file_size(path() + "-wal", ec); !ec) sizes.wal_bytes = n;
  return sizes;
}

void ledger::checkpoint() { p_->db.exec("PRAGMA wal_checkpoint(TRUNCATE)"); }

}  // namespace dvc
