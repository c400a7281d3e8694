#pragma once
// Where both sides' polls put what they read: one ledger batch shared by the two concurrent polls (one SQLite
// connection allows one open write), committed every `records_per_batch` records. A side's cursor is written
// into the open batch and committed at once, so the cursor and the last records it covers land in the same
// transaction: a crash before that commit re-reads from the old cursor, and the upserts make the re-read a no-op.
//
// Runs on the service's io_context thread: the portal clients call their sinks there, and SQLite commits of a few
// thousand rows take milliseconds, short enough not to hold up the watchdog pings that share the thread.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "reconcile/dossier.hpp"
#include "schema/ledger.hpp"

namespace dvc {

class poll_writer {
 public:
  static constexpr std::size_t default_records_per_batch = 2000;

  poll_writer(ledger& db, std::int64_t run_id, instant now, std::size_t records_per_batch = default_records_per_batch);

  // Returns true when the record is new or changed in the ledger; `duplicate_of` and `source` as in
  // ledger::batch::upsert_record.
  bool upsert(const dossier& d, std::string* duplicate_of = nullptr, record_source* source = nullptr);
  void add_data_error(const data_error& e);
  // ledger::batch::note_lookup, in the open batch with the record the look-up found (docs/lookups.md#state).
  void note_lookup(std::string_view key, bool found, std::int64_t covered_run);
  // Writes the cursor (of the side, or of its named provincial source) with everything still uncommitted and
  // commits.
  void commit_cursor(side s, std::string_view source, std::string_view value);
  // Writes the cursor into the open batch, to be committed with it: how far a listing still under way has got.
  void note_cursor(side s, std::string_view source, std::string_view value);
  // Commits what is pending (the records of a side whose poll failed are kept: upserts are idempotent), and logs
  // `batch_committed` at debug level.
  void flush();

  std::int64_t changed() const { return changed_; }
  std::int64_t run_id() const { return run_id_; }

 private:
  ledger::batch& open();
  void count_one();

  ledger& db_;
  std::int64_t run_id_;
  instant now_;
  std::size_t per_batch_;
  std::optional<ledger::batch> batch_;  // rolled back by its destructor if the poll is cancelled mid-batch
  std::size_t in_batch_ = 0;
  std::size_t committed_ = 0;  // records and data errors committed by this writer
  std::int64_t changed_ = 0;
};

}  // namespace dvc
