#pragma once
// The ledger: one SQLite file holding the latest record of each side per key, the findings and their lifecycle
// (docs/rules.md#lifecycle), an append-only hash-chained audit trail of every state change and ack, poll cursors, runs
// and data errors. All multi-row writes happen in one `BEGIN IMMEDIATE` transaction each.
//
// One `ledger` is one connection and is not thread-safe: give each thread (or strand) its own `ledger` on the
// same file. WAL mode lets readers (API, reports) run while the service writes. On one ledger, one write
// (batch, apply_evaluations, ack) is open at a time; a second one throws sqlite::error. Streaming reads
// (each_…) may call apply_evaluations from their callback, but must not write records: the scan
// would see its own writes. A long scan keeps the WAL from being checkpointed; call checkpoint() after it.
//
// Times are Unix seconds (dvc::instant) passed in by the caller; the ledger does not read the clock, except that
// SQLite stamps `schema_migrations.applied_at` when a migration is applied.
//
// Errors: sqlite::error (schema/sqlite.hpp) for database failures — check fatal() and stop writing when set —
// and ledger_error for misuse such as an unknown finding id or a ledger too new for this binary.
//
// Audit: every state change and ack is an event of a hash chain (schema/event_chain.hpp). A ledger opened with an
// audit key keys the chain the first time it writes (HMAC-SHA-256 from then on, stored records re-hashed with
// the key); once keyed, writing without the key is refused, since the events could not be chained.
#include <array>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <limits>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "reconcile/dossier.hpp"
#include "reconcile/finding.hpp"
#include "reconcile/instant.hpp"
#include "reconcile/provincial_sources.hpp"
#include "reconcile/sync_rate.hpp"
#include "schema/alert_records.hpp"
#include "schema/audit_key.hpp"

namespace dvc {

struct ledger_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

enum class run_mode : std::uint8_t { offline, service };
std::string_view run_mode_name(run_mode m);  // "offline" / "service"

enum class run_status : std::uint8_t { running, ok, partial, failed };
std::string_view run_status_name(run_status s);  // "running" / "ok" / "partial" / "failed"

// Figures of a run, written by finish_run.
struct run_summary {
  instant ended_at = 0;
  std::int64_t provincial_read = 0;
  std::int64_t national_read = 0;
  std::int64_t raised = 0;
  std::int64_t resolved = 0;
  std::int64_t reopened = 0;
  std::int64_t errors = 0;
  run_status status = run_status::ok;
  std::string message;
  std::string successions;  // the fingerprint of the successions the evaluation used; "" for none
};

struct run_row {
  std::int64_t id = 0;
  run_mode mode = run_mode::service;
  instant started_at = 0;
  maybe_instant ended_at;  // absent while running; set when a restart closes a run its process did not finish
  instant as_of = 0;
  std::int64_t grace_s = 0;
  std::int64_t provincial_read = 0, national_read = 0;
  std::int64_t raised = 0, resolved = 0, reopened = 0, errors = 0;
  run_status status = run_status::running;
  std::string message;
  // Set on the run of a recheck (docs/cli.md#recheck): the one dossier it fetched and re-evaluated. Such a run is
  // no complete evaluation and no poll: latest_run, latest_evaluated_run, last_run and the cycle's windows skip it.
  std::optional<std::string> recheck_key;
  std::string successions;  // as in run_summary; "" also for a run recorded before fingerprints were kept
};

// A record that could not be used, or a problem with one (unknown status code, duplicate key): kept for
// operators, counted in the run.
// A provincial record of one of several sources (docs/sources.md): the source's name, the rule deciding which source
// holds a key two of them give, and — filled in by the upsert — what the rule decided about the stored record's
// source `other`, for the caller to report.
struct record_source {
  std::string_view name;
  const provincial_sources* sources = nullptr;
  source_claim claim = source_claim::same;
  std::string other;
};

struct data_error {
  std::optional<side> origin;      // absent when no side is involved
  std::string source;              // `file:line` or `URL page N`
  std::optional<std::string> key;  // the dossier key, when known
  std::string message;
};

struct data_error_row {
  std::int64_t id = 0;
  std::int64_t run_id = 0;
  data_error error;
};

// A record as stored: the facts the rules read, the display name, and the canonical dossier JSON.
struct stored_record {
  dossier_facts facts;
  std::string unit_name;
  // dvc::to_json(dossier); dvc::dossier_from_json gives the dossier back. Null when retention removed it
  // (body_removed_at says when): the facts stay.
  nlohmann::json body;
  maybe_instant body_removed_at;
  std::string hash;  // SHA-256 hex of the body text
  std::int64_t seen_run = 0;
  std::int64_t changed_run = 0;
};

struct finding_row {
  std::int64_t id = 0;
  std::string key;
  finding_kind kind{};
  std::string reason;
  std::string unit_code;
  std::string state;  // state::open / resolved / reopened
  instant first_seen = 0;
  instant last_seen = 0;
  nlohmann::json details = nlohmann::json::object();
  std::optional<std::string> ack_note, ack_by;
  maybe_instant ack_at;
};

// Audit event types.
namespace event_type {
inline constexpr std::string_view opened = "opened";
inline constexpr std::string_view seen_changed = "seen_changed";  // still open, reason changed
inline constexpr std::string_view resolved = "resolved";
inline constexpr std::string_view reopened = "reopened";
inline constexpr std::string_view ack = "ack";
// Not about a finding: the point from which the chain is keyed (its cause says with which key and binds the
// findings that existed then). Its finding_id is NULL.
inline constexpr std::string_view chain_keyed = "chain_keyed";
inline constexpr std::array<std::string_view, 6> all = {opened, seen_changed, resolved, reopened, ack, chain_keyed};
}  // namespace event_type

struct event_row {
  std::int64_t id = 0;
  std::int64_t finding_id = 0;  // 0 on chain_keyed
  instant at = 0;
  std::optional<std::int64_t> run_id;     // absent for acks
  std::string type;                       // event_type::…
  std::optional<std::string> from_state;  // absent on 'opened'
  std::string to_state;
  std::string cause;                 // reason raised, "not raised", ack note, …
  std::optional<std::string> actor;  // who acked
  std::string prev_hash;
  std::string hash;
};

struct finding_filter {
  std::vector<finding_kind> kinds;  // empty: all kinds
  std::vector<std::string> states;  // empty: all states; use {"open","reopened"} for open findings
  std::optional<std::string> unit_code;
  maybe_instant since;     // last_seen ≥ since
  std::string key_prefix;  // keys starting with this (already normalised by the caller)
  // Substring of the key, reason or unit code, or of a side's unit name, procedure code or procedure name
  // (docs/dashboard.md#search); with search_applicant, of an applicant's name too (personal data: only for readers
  // allowed to see it).
  std::string search;
  bool search_applicant = false;
  std::int64_t limit = 100;  // clamped to 1..max_page
  std::int64_t offset = 0;
  static constexpr std::int64_t max_page = 10000;
};

struct finding_page {
  std::vector<finding_row> rows;  // ordered by last_seen descending, then id
  std::int64_t total = 0;         // rows matching the filter, ignoring limit/offset
};

// Counts of one apply_evaluations call.
struct lifecycle_counts {
  std::int64_t raised = 0;  // findings opened for the first time
  std::int64_t resolved = 0;
  std::int64_t reopened = 0;
  lifecycle_counts& operator+=(const lifecycle_counts& o) {
    raised += o.raised;
    resolved += o.resolved;
    reopened += o.reopened;
    return *this;
  }
};

// What apply_evaluations did to one finding, for callers that print or notify about changes.
struct finding_transition {
  std::int64_t finding_id = 0;
  std::string key;
  finding_kind kind{};
  std::string type;  // event_type::opened / seen_changed / resolved / reopened, or "seen" (still open, same reason)
  std::optional<std::string> from_state;  // absent on 'opened'
  std::string to_state;
};

struct chain_report {
  bool ok = true;
  std::optional<std::int64_t> first_broken_event_id;    // the first event whose hash or link does not hold
  std::optional<std::int64_t> first_broken_finding_id;  // the first finding that differs from its events
  std::string message;                                  // one sentence, for `verify-ledger`
  std::int64_t events_checked = 0;
  std::int64_t findings_checked = 0;
  bool keyed = false;      // the chain has been keyed (it holds a chain_keyed event)
  bool needs_key = false;  // keyed, and no key was given: nothing after the keying point could be checked
};

// The newest event of the chain as the ledger records it: what to keep elsewhere and give `verify-ledger
// --expect-head` later. Its text form is `ID:HASH`.
struct chain_head_ref {
  std::int64_t event_id = 0;  // 0 for an empty chain
  std::string hash;
  std::string text() const { return std::to_string(event_id) + ":" + hash; }
  static std::optional<chain_head_ref> parse(std::string_view text);
};

// Why a key is looked up on a look-up-only national side (docs/lookups.md#passes).
enum class lookup_reason : std::uint8_t { changed, open_finding, rolling };
std::string_view lookup_reason_name(lookup_reason r);  // "changed" / "open_finding" / "rolling"

struct lookup_candidate {
  std::string key;
  std::int64_t covered_run = 0;  // the provincial record's changed_run
  lookup_reason reason = lookup_reason::changed;
};

struct lookup_due_query {
  instant horizon = 0;         // T − G: a provincial record updated after it is still in its grace period
  instant recheck_before = 0;  // keys with open findings looked up at or before this are re-checked
  instant rolling_before = 0;  // any key looked up at or before this is due in the rolling pass
  std::int64_t run_id = 0;     // the run looking up: a key it has looked up is not due again
  std::size_t limit = 0;       // how many keys a cycle looks up at most (count_lookups_due)
};

// Where a walk through the due keys has got (ledger::next_lookups_due): the pass, and the place of the last key
// taken in it. A walk holds no list of keys, so a pass over a million dossiers takes them a chunk at a time.
struct lookup_walk {
  lookup_reason reason = lookup_reason::changed;
  std::int64_t after = std::numeric_limits<std::int64_t>::min();  // the changed pass: record id; else looked_up_at
  std::string after_key;                                          // the later passes: the key, after `after`
  bool done = false;
};

// How many keys each pass has due, together at most the query's limit, taken in pass order.
struct lookup_due_counts {
  std::int64_t changed = 0, open_finding = 0, rolling = 0;
  std::int64_t total() const { return changed + open_finding + rolling; }
};

// How far the look-ups have got over the provincial keys: for progress in the log and metrics.
struct lookup_coverage {
  std::int64_t provincial_keys = 0;  // keys with a provincial record
  std::int64_t looked_up = 0;        // of those, looked up at least once
  std::int64_t rolling_due = 0;      // of those, looked up at or before the rolling pass's limit (or never)
};

// What keying an existing chain did (ledger::key_audit_chain).
struct keying_report {
  std::int64_t anchor_event_id = 0;
  std::int64_t events_before = 0;     // unkeyed events it vouches for
  std::int64_t findings_bound = 0;    // findings whose key and kind it fixes
  std::int64_t records_rehashed = 0;  // stored records whose hash became keyed
};

struct records_report {
  bool ok = true;
  std::int64_t records_checked = 0;
  std::int64_t bodies_removed = 0;  // by retention, marked as such: nothing to rehash
  std::int64_t mismatched = 0;
  std::optional<std::string> first_mismatch;  // "side key" of the first record whose body does not match its hash
  std::string first_reason;                   // what did not match: the hash, or which fact
  bool needs_key = false;                     // the records are keyed and no key was given
};

struct integrity_report {
  bool ok = true;
  std::string message;  // "ok", or SQLite's first complaints
};

// Which stored bodies retention may remove: those of dossiers closed (national status 9 or 10 on every side),
// with no finding in any state, whose every record was last completed or updated before `closed_before`, and
// last changed in run `evaluated_through` or before (the last complete evaluation saw them as they are).
struct retention_rule {
  instant closed_before = 0;
  std::int64_t evaluated_through = 0;
  instant now = 0;  // stamps body_removed_at
};

struct retention_batch {
  std::int64_t keys_examined = 0;
  std::int64_t bodies_removed = 0;
  std::string last_key;  // where the next batch starts
  bool done = false;     // no key after last_key
};

struct backup_report {
  std::int64_t pages = 0;
  std::uint64_t bytes = 0;
};

struct ledger_file_sizes {
  std::uint64_t db_bytes = 0;
  std::uint64_t wal_bytes = 0;
};

class ledger {
 public:
  // Opens or creates the ledger and applies pending migrations. ":memory:" gives a private in-memory ledger.
  // With `key`, writes key the chain (see the top of this file). Throws ledger_error when the file's schema is
  // newer than this binary knows, sqlite::error otherwise.
  static ledger open(const std::string& path, std::optional<audit_key> key = std::nullopt);

  ledger(ledger&&) noexcept;
  ledger& operator=(ledger&&) noexcept;
  ~ledger();

  const std::string& path() const;
  int schema_version() const;

  // ---- alerts (schema/migrations/008_alerts.sql) ----
  // In one transaction: opens an episode for each active condition without an open one, resolves the open episode
  // of each inactive condition (and of each rule of `complete_rules` whose subject is not listed), and owes each
  // opening and resolution to every target of `update`. Running it again with the same update changes nothing.
  alert_changes apply_alert_conditions(const alert_update& update, instant now);
  // Messages owed to `target`, oldest first, at most `limit`.
  std::vector<owed_alert> owed_alerts(std::string_view target, std::size_t limit) const;
  // How many messages are owed to `target`.
  std::int64_t owed_alert_count(std::string_view target) const;
  void mark_alerts_delivered(const std::vector<owed_alert>& sent, instant now);
  void mark_alerts_failed(const std::vector<owed_alert>& tried, std::string_view error);
  // Episodes, newest first; open ones only when `open_only`.
  std::vector<alert_episode_row> alert_episodes(bool open_only) const;
  // The `limit` episodes resolved last, the latest first.
  std::vector<alert_episode_row> resolved_alert_episodes(std::size_t limit) const;

  // ---- runs ----
  std::int64_t begin_run(run_mode mode, instant started_at, instant as_of, std::int64_t grace_s);
  // A service-mode run that rechecks the dossier `key` alone (docs/cli.md#recheck).
  std::int64_t begin_recheck_run(std::string_view key, instant started_at, std::int64_t grace_s);
  void finish_run(std::int64_t run_id, const run_summary& summary);
  // Marks every run of `mode` still 'running' as 'failed' at `now`: a process starting in that mode knows none of
  // them is in progress (the one before it was killed, crashed or lost power). Their committed batches stay.
  // Returns how many were closed.
  std::int64_t close_interrupted_runs(run_mode mode, instant now);
  std::optional<run_row> last_run(run_mode mode) const;
  // The latest run of either mode whose status is one of `statuses` (of any status when empty).
  std::optional<run_row> latest_run(std::initializer_list<run_status> statuses = {}) const;
  // The latest run whose evaluation completed, what the figures operators see are as of: a service run recorded
  // 'ok' (a 'partial' cycle evaluates nothing), or an offline run recorded 'ok' or 'partial' (it evaluates every
  // record it read; 'partial' says malformed ones were skipped). docs/rules.md#sync-rate.
  std::optional<run_row> latest_evaluated_run() const;
  std::optional<run_row> get_run(std::int64_t run_id) const;
  // The newest run of any mode that has ended (finished, or closed as interrupted): what derived figures such as
  // the sync rate reflect.
  std::optional<run_row> last_finished_run() const;

  // ---- writes of records and cursors: one transaction per batch ----
  class batch {
   public:
    batch(batch&&) noexcept;
    ~batch();  // rolls back unless committed

    // Stores the latest record of a side (d.origin) under d.key. Returns true when the content is new or changed;
    // an identical body only marks the record seen in this run, so re-reading a page costs nothing.
    // A key already held by a record with another source id (provincial `id`: two dossiers of one side with one
    // key) is a duplicate: the one updated last stands, as in matching, and `duplicate_of`, when given, receives
    // the other record's id so the caller can report it.
    // With `source`, a provincial record of one of several sources: a key another source holds goes to the source
    // `source->sources` says (a legacy copy of a moved dossier is not stored; a duplicate is settled by the order of
    // the sources), and the record is stored under its source's name.
    bool upsert_record(const dossier& d, const dossier_facts& facts, std::string* duplicate_of = nullptr,
                       record_source* source = nullptr);
    // The same with the canonical body text already serialised (dvc::to_json(d).dump()); `source_id` empty skips
    // the duplicate check.
    bool upsert_record(const dossier_facts& facts, std::string_view unit_name, std::string_view body,
                       std::string_view source_id = {}, std::string* duplicate_of = nullptr,
                       record_source* source = nullptr);
    // Saved in the same transaction as the records it covers: a crash leaves both or neither. A named provincial
    // source (docs/sources.md) keeps a cursor of its own; an empty `source` is the side's.
    void set_cursor(side s, std::string_view value);
    void set_cursor(side s, std::string_view source, std::string_view value);
    void add_data_error(const data_error& e);
    // What a look-up of `key` on a look-up-only national side answered (docs/lookups.md), for the provincial record
    // as of `covered_run` (its changed_run when it was chosen); stored with the national record it found, if any.
    void note_lookup(std::string_view key, bool found, std::int64_t covered_run);
    // Throws sqlite::error; with fatal() set nothing of this batch is stored.
    void commit();

   private:
    friend class ledger;
    struct writer;
    explicit batch(std::unique_ptr<writer> w);
    std::unique_ptr<writer> w_;
  };
  // `run_id` is recorded as seen_run/changed_run and on data errors; `now` stamps cursors.
  batch begin_batch(std::int64_t run_id, instant now);

  std::optional<std::string> get_cursor(side s) const;
  std::optional<std::string> get_cursor(side s, std::string_view source) const;
  // The source a key's provincial record was read from: "" for the unnamed single source, nullopt without a record.
  std::optional<std::string> provincial_source_of(std::string_view key) const;

  // ---- look-ups of a look-up-only national side (docs/lookups.md) ----
  // The next at most `n` keys due for a look-up after where `walk` has got, in the order of the passes: changed
  // provincial records out of grace first, then keys with open findings due for a re-check, then the rolling pass,
  // oldest look-up first. Each key is in one pass; a key the walk has passed, answered or not, is not taken again.
  std::vector<lookup_candidate> next_lookups_due(const lookup_due_query& q, lookup_walk& walk, std::size_t n) const;
  lookup_due_counts count_lookups_due(const lookup_due_query& q) const;
  // Of `keys`, those looked up, with whether national had them, in key order.
  std::vector<std::pair<std::string, bool>> lookup_results(std::span<const std::string> keys) const;
  std::vector<std::string> keys_looked_up_in_run(std::int64_t run_id) const;
  lookup_coverage lookup_coverage_at(instant rolling_before) const;
  std::vector<data_error_row> data_errors_of_run(std::int64_t run_id) const;

  // ---- reads for evaluation ----
  // Facts of the records of one side among `keys` (absent keys are skipped), in key order.
  std::vector<dossier_facts> load_facts(side s, std::span<const std::string> keys) const;
  std::optional<stored_record> get_record(side s, std::string_view key) const;
  // Keys whose record (either side) was inserted or changed in that run.
  std::vector<std::string> keys_changed_in_run(std::int64_t run_id) const;
  // Keys with a record (either side) not done whose due date lies in (t0, t1]: overdue_hidden may now fire.
  std::vector<std::string> keys_due_between(instant t0, instant t1) const;
  // Keys with a record (either side) whose updated time lies in (t0, t1]: such a dossier leaves the grace period.
  std::vector<std::string> keys_updated_between(instant t0, instant t1) const;
  // Up to `limit` keys (either side) after `after` in ascending order, each once; "" starts at the first. Walking
  // every key page by page keeps memory flat however many dossiers the ledger holds.
  std::vector<std::string> keys_after(std::string_view after, std::size_t limit) const;
  // Every key with its facts on each side (nullptr where absent), in key order: a full evaluation in one scan.
  void each_dossier_pair(
      const std::function<void(const dossier_facts* provincial, const dossier_facts* national)>& fn) const;

  // ---- findings lifecycle (docs/rules.md#lifecycle), one transaction per call ----
  // For each non-pending evaluation: raised findings open (or stay open with last_seen = now, or reopen), open
  // findings of that key not raised now resolve. Pending evaluations are skipped. Keys absent from `evaluated`
  // are untouched.
  // When `transitions` is given, one entry per finding touched is appended to it, in the order applied.
  lifecycle_counts apply_evaluations(std::int64_t run_id, instant now,
                                     std::span<const std::pair<std::string, evaluation>> evaluated,
                                     std::vector<finding_transition>* transitions = nullptr);
  // Records an operator's note; the state does not change. Throws ledger_error for an unknown id, or a note or
  // author longer than the bounds below.
  static constexpr std::size_t max_ack_note_bytes = 4000;
  static constexpr std::size_t max_ack_by_bytes = 200;
  void ack(std::int64_t finding_id, std::string_view note, std::string_view by, instant now);

  // ---- queries for operators and the API ----
  finding_page list_findings(const finding_filter& filter) const;
  // Every finding matching the filter (limit and offset ignored), ordered by key then kind name: exports of any
  // size without paging.
  void each_finding(const finding_filter& filter, const std::function<void(const finding_row&)>& fn) const;
  std::optional<finding_row> get_finding(std::int64_t id) const;
  std::vector<finding_row> findings_for_key(std::string_view key) const;     // in kind order
  std::vector<event_row> events_for_finding(std::int64_t finding_id) const;  // oldest first
  std::vector<std::string> open_finding_keys() const;                        // ascending, each once
  // Whether the ledger holds a finding or a record of this unit (code as stored, normalised): `--unit` names a unit
  // the ledger knows even when the configuration lists none.
  bool unit_known(std::string_view unit_code) const;
  // How many findings there are of each kind in each state, in one grouped scan (for /metrics).
  std::map<std::pair<finding_kind, std::string>, std::int64_t> count_findings() const;
  // Streams every provincial record for the sync rate (docs/rules.md#sync-rate), in key order, ready for
  // sync_rate_calculator::add: `updated` is the later of both sides' updated times (pending is decided on
  // either side), `has_open_finding` whether any finding of the key is open or reopened, `evaluated` whether both
  // sides' records last changed in run `evaluated_through` or before — the run of the last complete evaluation,
  // which covered them as they stand; absent, nothing is evaluated. With `absence_needs_lookup` (a look-up-only
  // national side, docs/lookups.md#evaluation) a dossier without a national record is evaluated only once a look-up
  // in that run or before answered that national has none.
  void each_sync_subject(std::optional<std::int64_t> evaluated_through,
                         const std::function<void(const sync_subject&)>& fn, bool absence_needs_lookup = false) const;

  // ---- retention ----
  // Removes the bodies `rule` allows among the `max_keys` keys after `after` ("" starts at the first), in one
  // transaction; the facts, findings and audit trail are never touched. Walk the ledger batch by batch so that
  // no transaction grows with the ledger.
  retention_batch remove_closed_bodies(std::string_view after, std::size_t max_keys, const retention_rule& rule);

  // ---- audit ----
  // Keys the chain now if this ledger was opened with a key and the chain is not keyed yet, after checking that
  // the unkeyed chain, the findings and the records verify (a ledger already tampered with is not vouched for:
  // ledger_error naming the problem). Returns nullopt when there was nothing to do. Writes do this on their own;
  // the service calls it at start so the answer comes before the first cycle.
  std::optional<keying_report> key_audit_chain(instant now);
  // Whether the chain holds its keying point.
  bool audit_keyed() const;
  chain_head_ref chain_head() const;
  // Whether the chain holds event `head.event_id` with hash `head.hash`: a head kept outside the ledger proves
  // that the history up to it is the one seen then.
  bool chain_contains(const chain_head_ref& head) const;

  // ---- health ----
  // Recomputes every event hash (with `key` from the keying point on) and link, compares the last event with the
  // stored chain head, and checks the findings bound at keying, so an UPDATE or DELETE made behind the ledger's
  // back (sqlite3 shell) is found. On a keyed chain without `key`, `needs_key` is set and ok is false.
  chain_report verify_chain(const audit_key* key = nullptr) const;
  // Folds each finding's events and compares the result with the finding's row: state, reason, first_seen and
  // the last ack must be what the events say, every finding must have events and every event a finding. The
  // first finding that differs is named.
  chain_report verify_findings() const;
  // Recomputes the hash of every stored dossier body (keyed once the chain is; `key` needed then) and the facts
  // stored beside it: a body or a fact edited behind the ledger's back is found. A body removed by retention
  // carries its mark and is counted, not rehashed.
  records_report verify_records(const audit_key* key = nullptr) const;
  integrity_report integrity_check() const;
  ledger_file_sizes file_sizes() const;
  // Moves the WAL into the database file and truncates it; call when idle so the WAL does not grow.
  void checkpoint();
  // Copies the ledger, as of one commit, to a new file `path` (mode 0600) while other connections go on writing:
  // SQLite's online backup into a temporary file beside it, checked (quick_check), synced, then renamed. Throws
  // ledger_error when `path` exists or the copy fails; nothing is left at `path` then.
  backup_report backup_to(const std::string& path) const;

  // The connection and its statement cache; defined in schema/ledger_impl.hpp for the ledger's own sources.
  struct impl;

 private:
  explicit ledger(std::unique_ptr<impl> p);
  std::unique_ptr<impl> p_;
};

}  // namespace dvc
