#pragma once
// `national.lookup` (docs/configuration.md#national-lookup): how a national side that can only look dossiers up
// by code is looked up — which passes, how often, within what request budget (docs/lookups.md).
#include <cstddef>
#include <cstdint>

namespace dvc {

struct lookup_settings {
  double requests_per_second = 5;              // across all concurrent look-ups; 0.1..1000
  unsigned concurrency = 2;                    // look-ups in flight at once; 1..32
  std::int64_t recheck_findings_s = 6 * 3600;  // a key with open findings is looked up again after this long
  std::int64_t rolling_days = 7;               // every known key is looked up at least once in this many days
  // Look-ups per cycle; 0: as many as the request rate allows in 80 % of a poll interval, so a cycle's look-ups
  // end before the next cycle is due.
  std::size_t max_per_cycle = 0;

  std::size_t per_cycle(std::int64_t poll_interval_s) const {
    if (max_per_cycle) return max_per_cycle;
    const double n = requests_per_second * static_cast<double>(poll_interval_s) * 0.8;
    return n < 1 ? 1 : static_cast<std::size_t>(n);
  }
};

}  // namespace dvc
