#pragma once
// Sync rates for /api/sync-rates and /metrics, and the indicators for /api/indicators, never computed on the API's thread nor per request. The rate scans
// every provincial record (seconds at a few hundred thousand dossiers), and it can only change when a run
// finishes: so one worker thread checks for a newly finished run (a service cycle, an offline reconcile) and then
// computes every month and every quarter in one scan, over its own ledger connection, and publishes the result as
// an immutable table. A request for any period reads that table; memory is one table, whose size is the number of
// periods in the ledger times the number of units, whatever is asked.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "config/config.hpp"
#include "reconcile/indicators.hpp"
#include "reconcile/sync_rate.hpp"

namespace dvc {

struct sync_rate_table {
  std::int64_t run_id = 0;  // the latest finished run it reflects (0: none yet)
  instant computed_at = 0;
  std::vector<sync_rate_row> months, quarters;
  // docs/rules.md#indicators, beside the strict rates above; computed in the same refresh.
  std::vector<indicator_row> indicator_months, indicator_quarters;
  bool evaluated = false;  // a complete evaluation had run when it was made

  // The rows of `only` (a month or a quarter), or of every quarter when absent: what compute_sync_rates gives
  // for the same question. A period without dossiers has no rows once a complete evaluation has run; before,
  // every configured unit and the province, not yet evaluated (`cfg` names them).
  std::vector<sync_rate_row> rows(const std::optional<period>& only, const config& cfg) const;
  // The indicator rows of `only`, or of every quarter when absent; none for a period without dossiers.
  std::vector<indicator_row> indicators(const std::optional<period>& only) const;
};

class sync_rate_snapshots {
 public:
  // With `check_every` > 0 a worker thread checks that often whether a run finished since the table was made and
  // recomputes it then; with 0 no thread is started and refresh() is the caller's to call.
  sync_rate_snapshots(const config& cfg, std::function<instant()> clock, std::chrono::milliseconds check_every);
  ~sync_rate_snapshots();  // stops the worker, waiting for a computation under way
  sync_rate_snapshots(const sync_rate_snapshots&) = delete;
  sync_rate_snapshots& operator=(const sync_rate_snapshots&) = delete;

  // The last table computed; null until the first computation ends.
  std::shared_ptr<const sync_rate_table> latest() const;
  // Computes a new table on the calling thread when a run finished since the last one (or there is none yet):
  // true when it did. Throws what the ledger throws; the worker logs that and tries again at its next check.
  bool refresh();
  // Tables computed so far: each one is one scan of the ledger.
  std::int64_t computations() const;

 private:
  void work(std::chrono::milliseconds check_every);

  const config& cfg_;
  std::function<instant()> clock_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::shared_ptr<const sync_rate_table> table_;
  std::int64_t computations_ = 0;
  std::thread worker_;  // last: started once everything above exists
};

}  // namespace dvc
