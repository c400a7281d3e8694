#include "service/poll_writer.hpp"

#include <string>

#include "service/log.hpp"

namespace dvc {

poll_writer::poll_writer(ledger& db, std::int64_t run_id, instant now, std::size_t records_per_batch)
    : db_(db), run_id_(run_id), now_(now), per_batch_(records_per_batch == 0 ? 1 : records_per_batch) {}

ledger::batch& poll_writer::open() {
  if (!batch_) batch_.emplace(db_.begin_batch(run_id_, now_));
  return *batch_;
}

void poll_writer::count_one() {
  if (++in_batch_ >= per_batch_) flush();
}

bool poll_writer::upsert(const dossier& d, std::string* duplicate_of, record_source* source) {
  const bool changed = open().upsert_record(d, facts_of(d), duplicate_of, source);
  if (changed) ++changed_;
  count_one();
  return changed;
}

void poll_writer::add_data_error(const data_error& e) {
  open().add_data_error(e);
  count_one();
}

void poll_writer::note_lookup(std::string_view key, bool found, std::int64_t covered_run) {
  open().note_lookup(key, found, covered_run);
  count_one();
}

void poll_writer::commit_cursor(side s, std::string_view source, std::string_view value) {
  note_cursor(s, source, value);
  flush();
}

void poll_writer::note_cursor(side s, std::string_view source, std::string_view value) {
  open().set_cursor(s, source, value);
}

void poll_writer::flush() {
  if (!batch_) return;
  batch_->commit();
  batch_.reset();
  committed_ += in_batch_;
  // At debug level, how far a long poll has got: what is committed is safe from a crash or a stop.
  log::debug("batch_committed", {{"run", std::to_string(run_id_)},
                                 {"items", std::to_string(in_batch_)},
                                 {"committed", std::to_string(committed_)}});
  in_batch_ = 0;
}

}  // namespace dvc
