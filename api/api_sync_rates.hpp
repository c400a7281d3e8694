#pragma once
// Sync rates for the API and /metrics without stalling it: the rate scans every provincial record (about 1.5 s
// at 100,000 dossiers), and the API serves every connection on one thread. Rows are served from the last
// computation; one older than `max_age_s` is recomputed on a worker thread, over its own ledger connection,
// while the old rows are still served. Only the very first request for a period waits for the scan.
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "reconcile/sync_rate.hpp"

namespace dvc {

class sync_rate_cache {
 public:
  static constexpr std::int64_t max_age_s = 30;

  explicit sync_rate_cache(const config& cfg) : cfg_(cfg) {}
  ~sync_rate_cache();  // waits for a refresh under way
  sync_rate_cache(const sync_rate_cache&) = delete;
  sync_rate_cache& operator=(const sync_rate_cache&) = delete;

  // Rows for `only`, or for every quarter when absent, as of `now`. Throws what the ledger throws on a first scan.
  std::vector<sync_rate_row> get(const std::optional<period>& only, instant now);

 private:
  struct slot {
    instant computed_at = 0;
    std::vector<sync_rate_row> rows;
    bool refreshing = false;
  };
  std::vector<sync_rate_row> compute(const std::optional<period>& only, instant now) const;

  const config& cfg_;
  std::mutex mutex_;
  std::map<std::string, slot> slots_;  // by period text; "" for every quarter
  std::vector<std::future<void>> refreshes_;
};

}  // namespace dvc
