#pragma once
// What the running service knows about itself, read by /healthz, /readyz, /metrics and the dashboard. The
// service runs on one io_context thread and so does the API, so this is plain data without locks.
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "reconcile/finding.hpp"
#include "reconcile/instant.hpp"

namespace dvc {

struct side_status {
  maybe_instant last_attempt;      // start of the latest poll of this side
  maybe_instant last_success;      // end of the latest poll that read every page
  std::string last_error;          // one sentence, never a secret; empty after a success
  double last_duration_s = 0;      // of the latest poll
  std::int64_t records_read_total = 0;
  std::int64_t pages_total = 0;
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

  side_status& of(side s) { return s == side::provincial ? provincial : national; }
  const side_status& of(side s) const { return s == side::provincial ? provincial : national; }
};

}  // namespace dvc
