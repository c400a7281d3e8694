#pragma once
// What the running service knows about itself, read by /healthz, /readyz, /metrics and the dashboard. The
// service updates its own copy on its thread; the API, on a thread of its own, reads what was last published.
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "reconcile/finding.hpp"
#include "reconcile/instant.hpp"

namespace dvc {

// A side's poll as it runs (docs/cli.md#poll_progress), updated after every page. Between polls `running` is false
// and the figures are those of the latest poll.
struct poll_live {
  bool running = false;
  std::int64_t records = 0;               // records read by the poll so far
  std::int64_t pages = 0;                 // pages read by the poll so far
  double seconds = 0;                     // since the poll started
  double records_per_s = 0;               // records / seconds
  std::optional<std::int64_t> remaining;  // what the portal's totals say is left; unknown without totals
  std::optional<double> eta_s;            // remaining / records_per_s, when both are known
};

struct side_status {
  maybe_instant last_attempt;           // start of the latest poll of this side
  maybe_instant last_success;           // end of the latest poll that read every page
  std::string last_error;               // one sentence, never a secret; empty after a success
  double last_duration_s = 0;           // of the latest poll
  std::int64_t records_read_total = 0;  // grows page by page while a poll runs
  std::int64_t pages_total = 0;
  poll_live poll;
  std::int64_t polls_total = 0;
  std::int64_t poll_failures_total = 0;
  std::map<std::string, std::int64_t> http_errors_by_kind;  // connector_error kind name → count
};

struct service_status {
  instant started_at = 0;
  bool ledger_open = false;
  bool stopping = false;
  side_status provincial;
  side_status national;
  std::int64_t cycles_total = 0;
  std::int64_t cycle_failures_total = 0;
  double last_cycle_duration_s = 0;
  maybe_instant last_cycle_end;
  std::int64_t findings_raised_total = 0;
  std::int64_t findings_resolved_total = 0;
  std::int64_t findings_reopened_total = 0;
  std::int64_t data_errors_total = 0;
  // A look-up-only national side (docs/lookups.md#progress): answers by outcome since start, and the coverage the
  // latest pass left.
  bool national_looked_up = false;
  std::map<std::string, std::int64_t> lookups_by_outcome;
  std::int64_t lookup_provincial_dossiers = 0, lookup_looked_up = 0, lookup_rolling_due = 0;
  // The audit chain's head after the last cycle, kept outside the ledger (the log, /metrics): `verify-ledger
  // --expect-head` checks later that the chain still holds it.
  std::int64_t audit_head_event_id = 0;
  std::string audit_head_hash;
  bool audit_keyed = false;

  side_status& of(side s) { return s == side::provincial ? provincial : national; }
  const side_status& of(side s) const { return s == side::provincial ? provincial : national; }
};

// Where the service publishes its status and the API reads it, across their two threads: a copy under a lock, so
// a reader never sees a half-written update and neither thread waits on the other for longer than a copy.
class status_board {
 public:
  status_board() = default;
  explicit status_board(service_status initial) : current_(std::move(initial)) {}

  void publish(const service_status& s) {
    std::lock_guard lock(mutex_);
    current_ = s;
  }
  service_status snapshot() const {
    std::lock_guard lock(mutex_);
    return current_;
  }

 private:
  mutable std::mutex mutex_;
  service_status current_;
};

}  // namespace dvc
