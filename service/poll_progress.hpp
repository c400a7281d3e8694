#pragma once
// How far the polls of a cycle have got (docs/cli.md#poll_progress): after every page the service status the API
// reads is updated and published — each side's live figures and its records and pages read so far — so /metrics
// moves during a long first sync instead of only when a poll ends; every `progress_interval_s` the polls still
// running are logged as `poll_progress` lines. Times come from the caller, so tests give them by hand.
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>

#include "service/poll_side.hpp"
#include "service/service_status.hpp"

namespace dvc {

// The figures of a poll that has read `records` in `pages` over `seconds`, with `remaining` left by the portal's
// totals: its rate, and the time left at that rate when the portal gave totals and records have come.
poll_live poll_figures(std::int64_t records, std::int64_t pages, double seconds, std::optional<std::int64_t> remaining);

class poll_progress {
 public:
  using clock = std::chrono::steady_clock;
  using publisher = std::function<void(const service_status&)>;

  // Both sides' polls start at `started`; `publish` (may be empty) is handed the status after every change.
  poll_progress(service_status& status, publisher publish, clock::time_point started);
  // However the polls ended (a stop, a failed ledger write), neither is running any more.
  ~poll_progress();
  poll_progress(const poll_progress&) = delete;
  poll_progress& operator=(const poll_progress&) = delete;

  // A page of `s`'s poll was read: `so_far` counts everything the poll read until now.
  void page(side s, const poll_outcome& so_far, std::optional<std::int64_t> remaining, clock::time_point now);
  // `s`'s poll ended with `outcome` (complete or not): its figures stay, it is no longer logged.
  void end(side s, const poll_outcome& outcome, clock::time_point now);
  // A `poll_progress` log line for each poll still running, its figures brought to `now`.
  void log_running(clock::time_point now);

 private:
  struct base {
    std::int64_t records = 0, pages = 0;  // the side's totals before this cycle's poll
  };
  void update(side s, const poll_outcome& so_far, std::optional<std::int64_t> remaining, clock::time_point now);
  base& base_of(side s) { return s == side::provincial ? provincial_ : national_; }

  service_status& status_;
  publisher publish_;
  clock::time_point started_;
  base provincial_, national_;
};

}  // namespace dvc
