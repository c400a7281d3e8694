#pragma once
// The polling service behind `dvcrecon run` and `dvcrecon demo`: opens the ledger, tells systemd READY=1, then on
// one io_context thread runs the cycle loop (a cycle every poll_interval_s), the watchdog pings and the signal wait
// as one coroutine group. A companion (the HTTP API) runs beside them on a thread of its own, with its own io_context
// and ledger connections, so a long cycle never holds up an answer; it sees the service only through the status the
// service publishes after each cycle (status_board). SIGINT/SIGTERM cancel the group: the ledger batch in flight
// rolls back (committed batches carry their own cursors), the companion is stopped and its thread joined, STOPPING=1
// is sent, and the service returns 0.
//
// Ledger writes and service_status updates happen on the service's thread only; the evaluation yields between
// chunks so the watchdog keeps pinging during a long cycle.
#include <boost/asio/awaitable.hpp>
#include <functional>
#include <stdexcept>

#include "config/config.hpp"
#include "service/cycle.hpp"
#include "service/service_status.hpp"

namespace dvc {

// What stops the service before its first cycle and is for the administrator to fix: the ledger held by another
// service, http.listen in use. Exit 2, with this sentence.
struct startup_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Runs on a thread of its own for as long as the service (the HTTP API): it reads what the service publishes
// after each cycle and shares nothing else with it.
struct service_companion {
  // Called on the service's thread once the ledger is open and before the first cycle: takes what the companion
  // must have to itself (the API binds http.listen), so that a startup_error ends the service before it polls.
  std::function<void()> prepare;
  // Its failure once running ends the service with exit 3.
  std::function<boost::asio::awaitable<void>(const status_board&)> run;
};

struct service_options {
  bool once = false;            // one complete cycle, then return: 0 when both sides were read, 3 otherwise
  service_companion companion;  // none when `run` is empty
  std::function<void(const cycle_report&)> on_cycle;  // after each cycle (the demo prints a summary)
  std::function<void()> on_ready;                     // after the ledger is open, before the first cycle
  // After each cycle that ended, complete or partial, on the service's thread (the alerts: cli/run_command.cpp).
  // A failure is logged and the service goes on, unless the ledger itself failed.
  std::function<boost::asio::awaitable<void>(ledger&, const service_status&, const cycle_report&)> after_cycle;
};

// Runs until a stop signal (or one cycle with `once`). Returns the exit status (docs/cli.md#run): a startup_error
// (another service on the ledger, http.listen in use) is one sentence on stderr and 2; another failure to start
// (the ledger will not open) or a fatal ledger error is one sentence and 3. The ledger is locked (ledger_lock)
// for as long as this runs.
int run_service(const config& cfg, const service_options& options);

}  // namespace dvc
