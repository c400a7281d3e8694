// Writes of records, cursors and data errors, grouped in one transaction per batch.
#include "reconcile/wire.hpp"
#include "schema/event_chain.hpp"
#include "schema/ledger.hpp"
#include "schema/ledger_impl.hpp"
#include "schema/sha256.hpp"

namespace dvc {

struct ledger::batch::writer {
  writer(ledger::impl& ledger_impl, std::int64_t run, instant at) : p(ledger_impl), tx(p.db), run_id(run), now(at) {
    // Record digests are keyed once the chain is: settle which, inside this transaction.
    prepare_chain_for_write(p, now);
  }
  ledger::impl& p;
  sqlite::transaction tx;
  std::int64_t run_id;
  instant now;
};

ledger::batch::batch(std::unique_ptr<writer> w) : w_(std::move(w)) {}
ledger::batch::batch(batch&&) noexcept = default;
ledger::batch::~batch() = default;

ledger::batch ledger::begin_batch(std::int64_t run_id, instant now) {
  return batch(std::make_unique<batch::writer>(*p_, run_id, now));
}

namespace {

std::optional<std::int64_t> as_int(std::optional<int> v) { return v ? std::optional<std::int64_t>(*v) : std::nullopt; }
std::optional<std::int64_t> as_int(std::optional<bool> v) {
  return v ? std::optional<std::int64_t>(*v ? 1 : 0) : std::nullopt;
}

}  // namespace

bool ledger::batch::upsert_record(const dossier& d, const dossier_facts& facts, std::string* duplicate_of,
                                  record_source* source) {
  if (d.origin != facts.origin || d.key != facts.key) {
    throw ledger_error("record " + d.key + ": the facts given belong to another record (" + facts.key + ")");
  }
  // Replacement instead of an exception for invalid UTF-8: a record is stored as received, never dropped here.
  const auto body = to_json_text(d);
  return upsert_record(facts, d.unit_name, body, d.id, duplicate_of, source);
}

namespace {

// The source id in a stored canonical body; "" when it has none or cannot be read. SQLite's own JSON reader picks
// the one member out without building a tree of the whole body, which cost a twentieth of an incremental cycle.
std::string stored_source_id(ledger::impl& p, std::int64_t record_id) {
  auto st = p.use(
      "SELECT json_extract(body, '$.id') FROM record_bodies"
      " WHERE record_id = ? AND json_valid(body) AND json_type(body, '$.id') = 'text'");
  st->bind(1, record_id);
  return st->step() ? st->get_text(0) : std::string();
}

}  // namespace

bool ledger::batch::upsert_record(const dossier_facts& f, std::string_view unit_name, std::string_view body,
                                  std::string_view source_id, std::string* duplicate_of, record_source* source) {
  if (!w_) throw ledger_error("batch used after commit or move");
  if (f.key.empty()) {
    throw ledger_error("a " + std::string(side_name(f.origin)) + " record with code '" + f.code +
                       "' has no key and cannot be stored");
  }
  const auto side_text = side_name(f.origin);
  std::optional<std::int64_t> id;
  const bool named = source && f.origin == side::provincial && !source->name.empty();
  const auto hash = w_->p.record_digest(body, named ? std::string_view(source->name) : std::string_view());
  {
    auto st = w_->p.use("SELECT id, hash, seen_run, updated, source FROM records WHERE key = ? AND side = ?");
    st->bind(1, f.key).bind(2, side_text);
    if (st->step()) {
      id = st->get_int(0);
      const std::int64_t seen_run = st->get_int(2);
      const bool stored_is_newer = !st->is_null(3) && (!f.updated || *f.updated < st->get_int(3));
      // docs/sources.md#moves-and-duplicates: another source's record of this key is replaced or kept by the rule,
      // before any comparison of content.
      const std::string stored_source = st->is_null(4) ? std::string() : st->get_text(4);
      if (named && source->sources) source->claim = source->sources->claim(stored_source, source->name);
      if (named && source->claim != source_claim::same) {
        source->other = stored_source;
        if (source->claim == source_claim::moved_copy || source->claim == source_claim::duplicate_loses) return false;
      } else if (st->get_text_view(1) == hash && (!named || stored_source == source->name)) {
        if (seen_run != w_->run_id) {
          auto seen = w_->p.use("UPDATE records SET seen_run = ? WHERE id = ?");
          seen->bind(1, w_->run_id).bind(2, *id);
          seen->step();
        }
        return false;
      }
      if (!named || source->claim == source_claim::same) {
        // Another record holding this key: a duplicate if its source id differs (only a changed body can).
        std::string other = source_id.empty() ? std::string() : stored_source_id(w_->p, *id);
        if (other == source_id) other.clear();
        if (!other.empty() && duplicate_of) *duplicate_of = other;
        // Two records of one side with one key — two dossiers, or one seen twice in a run while paging: the one
        // updated last stands, as in matching (reconcile/matcher.hpp); on a tie, the later. Across runs the same
        // dossier's newer version always replaces the stored one.
        if ((seen_run == w_->run_id || !other.empty()) && stored_is_newer) return false;
      }
    }
  }
  // New or changed: the same column list either way; key and side come last so both statements bind alike. The
  // update finds its row by the id just read, not by a second search of the key index.
  auto st = w_->p.use(
      id ? "UPDATE records SET code = ?, unit_code = ?, unit_name = ?, procedure_code = ?, status_code = ?,"
           " status = ?, channel = ?, online_payment = ?, digitized = ?, received = ?, due = ?, completed = ?,"
           " updated = ?, result_count = ?, steps_ended = ?, step_open = ?, last_step_end = ?, hash = ?,"
           " seen_run = ?, changed_run = ?, registered = ?, unknown = ?, source = ?, body_removed_at = NULL"
           " WHERE key = ? AND side = ? AND id = ?"
         : "INSERT INTO records (code, unit_code, unit_name, procedure_code, status_code, status, channel,"
           " online_payment, digitized, received, due, completed, updated, result_count, steps_ended, step_open,"
           " last_step_end, hash, seen_run, changed_run, registered, unknown, source, key, side)"
           " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  st->bind(1, f.code).bind(2, f.unit_code).bind(3, unit_name).bind(4, f.procedure_code).bind(5, f.status_code);
  st->bind(6, as_int(f.status)).bind(7, as_int(f.channel)).bind(8, as_int(f.online_payment));
  st->bind(9, as_int(f.digitized)).bind(10, f.received).bind(11, f.due).bind(12, f.completed).bind(13, f.updated);
  st->bind(14, static_cast<std::int64_t>(f.result_count)).bind(15, static_cast<std::int64_t>(f.steps_ended));
  st->bind(16, f.step_open ? 1 : 0).bind(17, f.last_step_end).bind(18, hash).bind(19, w_->run_id);
  st->bind(20, w_->run_id).bind(21, f.registered ? 1 : 0).bind(22, static_cast<std::int64_t>(f.unknown.bits()));
  if (named)
    st->bind(23, source->name);
  else
    st->bind_null(23);
  st->bind(24, f.key).bind(25, side_text);
  if (id) st->bind(26, *id);
  st->step();
  if (!id) id = w_->p.db.last_insert_rowid();
  auto put_body = w_->p.use(
      "INSERT INTO record_bodies (record_id, body) VALUES (?, ?)"
      " ON CONFLICT (record_id) DO UPDATE SET body = excluded.body");
  put_body->bind(1, *id).bind(2, body);
  put_body->step();
  return true;
}

void ledger::batch::set_cursor(side s, std::string_view source, std::string_view value) {
  if (source.empty()) return set_cursor(s, value);
  if (!w_) throw ledger_error("batch used after commit or move");
  auto st = w_->p.use(
      "INSERT INTO source_cursors (source, value, updated_at) VALUES (?, ?, ?)"
      " ON CONFLICT (source) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at");
  st->bind(1, source).bind(2, value).bind(3, w_->now);
  st->step();
}

void ledger::batch::set_cursor(side s, std::string_view value) {
  if (!w_) throw ledger_error("batch used after commit or move");
  auto st = w_->p.use(
      "INSERT INTO cursors (side, value, updated_at) VALUES (?, ?, ?)"
      " ON CONFLICT (side) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at");
  st->bind(1, side_name(s)).bind(2, value).bind(3, w_->now);
  st->step();
}

// docs/lookups.md
void ledger::batch::note_lookup(std::string_view key, bool found, std::int64_t covered_run) {
  if (!w_) throw ledger_error("batch used after commit or move");
  auto st = w_->p.use(
      "INSERT INTO national_lookups (key, looked_up_at, run_id, found, covered_run) VALUES (?, ?, ?, ?, ?)"
      " ON CONFLICT (key) DO UPDATE SET looked_up_at = excluded.looked_up_at, run_id = excluded.run_id,"
      " found = excluded.found, covered_run = excluded.covered_run");
  st->bind(1, key).bind(2, w_->now).bind(3, w_->run_id).bind(4, std::int64_t{found ? 1 : 0}).bind(5, covered_run);
  st->step();
}

void ledger::batch::add_data_error(const data_error& e) {
  if (!w_) throw ledger_error("batch used after commit or move");
  auto st = w_->p.use("INSERT INTO data_errors (run_id, side, source, key, message) VALUES (?, ?, ?, ?, ?)");
  st->bind(1, w_->run_id);
  if (e.origin) {
    st->bind(2, side_name(*e.origin));
  } else {
    st->bind_null(2);
  }
  st->bind(3, e.source).bind(4, e.key).bind(5, e.message);
  st->step();
}

void ledger::batch::commit() {
  if (!w_) throw ledger_error("batch used after commit or move");
  w_->tx.commit();
  w_.reset();
}

}  // namespace dvc
