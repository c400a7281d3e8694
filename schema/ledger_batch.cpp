// Writes of records, cursors and data errors, grouped in one transaction per batch.
#include "reconcile/wire.hpp"
#include "schema/ledger.hpp"
#include "schema/ledger_impl.hpp"
#include "schema/sha256.hpp"

namespace dvc {

struct ledger::batch::writer {
  writer(ledger::impl& ledger_impl, std::int64_t run, instant at) : p(ledger_impl), tx(p.db), run_id(run), now(at) {}
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

std::optional<std::int64_t> as_int(std::optional<int> v) {
  return v ? std::optional<std::int64_t>(*v) : std::nullopt;
}
std::optional<std::int64_t> as_int(std::optional<bool> v) {
  return v ? std::optional<std::int64_t>(*v ? 1 : 0) : std::nullopt;
}

}  // namespace

bool ledger::batch::upsert_record(const dossier& d, const dossier_facts& facts) {
  if (d.origin != facts.origin || d.key != facts.key) {
    throw ledger_error("record " + d.key + ": the facts given belong to another record (" + facts.key + ")");
  }
  // Replacement instead of an exception for invalid UTF-8: a record is stored as received, never dropped here.
  const auto body = to_json(d).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return upsert_record(facts, d.unit_name, body);
}

bool ledger::batch::upsert_record(const dossier_facts& f, std::string_view unit_name, std::string_view body) {
  if (!w_) throw ledger_error("batch used after commit or move");
  if (f.key.empty()) {
    throw ledger_error("a " + std::string(side_name(f.origin)) + " record with code '" + f.code +
                       "' has no key and cannot be stored");
  }
  const auto side_text = side_name(f.origin);
  const auto hash = sha256_hex(body);
  {
    auto st = w_->p.use("SELECT hash, seen_run FROM records WHERE key = ? AND side = ?");
    st->bind(1, f.key).bind(2, side_text);
    if (st->step() && st->get_text_view(0) == hash) {
      if (st->get_int(1) != w_->run_id) {
        auto seen = w_->p.use("UPDATE records SET seen_run = ? WHERE key = ? AND side = ?");
        seen->bind(1, w_->run_id).bind(2, f.key).bind(3, side_text);
        seen->step();
      }
      return false;
    }
  }
  auto st = w_->p.use(
      "INSERT INTO records (key, side, code, unit_code, unit_name, procedure_code, status_code, status, channel,"
      " online_payment, digitized, received, due, completed, updated, result_count, steps_ended, step_open,"
      " last_step_end, body, hash, seen_run, changed_run)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
      " ON CONFLICT (key, side) DO UPDATE SET code = excluded.code, unit_code = excluded.unit_code,"
      " unit_name = excluded.unit_name, procedure_code = excluded.procedure_code,"
      " status_code = excluded.status_code, status = excluded.status, channel = excluded.channel,"
      " online_payment = excluded.online_payment, digitized = excluded.digitized, received = excluded.received,"
      " due = excluded.due, completed = excluded.completed, updated = excluded.updated,"
      " result_count = excluded.result_count, steps_ended = excluded.steps_ended, step_open = excluded.step_open,"
      " last_step_end = excluded.last_step_end, body = excluded.body, hash = excluded.hash,"
      " seen_run = excluded.seen_run, changed_run = excluded.changed_run");
  st->bind(1, f.key).bind(2, side_text).bind(3, f.code).bind(4, f.unit_code).bind(5, unit_name);
  st->bind(6, f.procedure_code).bind(7, f.status_code).bind(8, as_int(f.status)).bind(9, as_int(f.channel));
  st->bind(10, as_int(f.online_payment)).bind(11, as_int(f.digitized)).bind(12, f.received).bind(13, f.due);
  st->bind(14, f.completed).bind(15, f.updated).bind(16, static_cast<std::int64_t>(f.result_count));
  st->bind(17, static_cast<std::int64_t>(f.steps_ended)).bind(18, f.step_open ? 1 : 0).bind(19, f.last_step_end);
  st->bind(20, body).bind(21, hash).bind(22, w_->run_id).bind(23, w_->run_id);
  st->step();
  return true;
}

void ledger::batch::set_cursor(side s, std::string_view value) {
  if (!w_) throw ledger_error("batch used after commit or move");
  auto st = w_->p.use(
      "INSERT INTO cursors (side, value, updated_at) VALUES (?, ?, ?)"
      " ON CONFLICT (side) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at");
  st->bind(1, side_name(s)).bind(2, value).bind(3, w_->now);
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
