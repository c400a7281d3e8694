#pragma once
// One service cycle (docs/rules.md#cycles-and-cursors): poll both portals concurrently into the ledger, then evaluate
// what changed. A side whose poll failed means no evaluation at all this cycle — a portal that is down must not resolve
// findings it could not see — and the run is recorded as 'partial'; the next complete cycle evaluates everything
// changed since the last evaluated run.
//
// Everything runs on the caller's io_context thread, ledger writes included: SQLite commits of the chunk sizes
// used here take milliseconds, and the evaluation yields between chunks so the watchdog and a stop signal, which
// share that thread, are served while it runs.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "connectors/connector_env.hpp"
#include "connectors/portal_client.hpp"
#include "connectors/wall_clock.hpp"
#include "schema/ledger.hpp"
#include "service/evaluation_pass.hpp"
#include "service/poll_progress.hpp"
#include "service/poll_side.hpp"
#include "service/service_status.hpp"

namespace dvc {

// Both portal clients, kept across cycles so tokens and sessions are reused, each reading its side's profile: one per
// provincial source (docs/sources.md), in the configuration's order. A national side read by look-ups has
// `national.lookup.concurrency` clients, `national` the first of them.
struct portal_clients {
  portal_clients(boost::asio::any_io_executor executor, const config& cfg, connector_env env = default_connector_env());
  connector_env env;
  std::vector<std::unique_ptr<portal_client>> provincial;
  portal_client national;
  std::vector<std::unique_ptr<portal_client>> more_national;

  std::vector<portal_client*> national_lookups();
  // Closes every client's connection: the end of a command that used them once.
  boost::asio::awaitable<void> close();
};

struct cycle_report {
  std::int64_t run_id = 0;
  instant as_of = 0;  // T
  run_status status = run_status::running;
  poll_outcome provincial, national;             // provincial: its sources' outcomes combined
  std::vector<poll_outcome> provincial_sources;  // one per source, in the configuration's order
  bool evaluated = false;                        // false when a side failed
  bool full = false;                             // every key evaluated (no earlier evaluated run)
  std::int64_t keys = 0;                         // keys considered for evaluation
  evaluation_totals totals;
  double duration_s = 0;
  std::string message;  // one sentence saying why the run is partial; empty when ok

  std::int64_t data_errors() const { return provincial.data_errors + national.data_errors; }
};

// Runs one cycle at T = `now` and records it as a service run; updates `status`, and hands it to `publish` (when
// given) after every page the polls read, so what the API shows moves during a long poll (service/poll_progress.hpp).
// Throws on ledger failures and on cancellation, after marking the run 'failed' (its committed batches stay: the
// cursors they carry cover them).
boost::asio::awaitable<cycle_report> run_cycle(const config& cfg, ledger& db, portal_clients& clients,
                                               service_status& status, instant now,
                                               const poll_progress::publisher& publish = {});

// True when `e` is the operation_aborted with which a cancelled coroutine ends (a stop, or `&&` / `||` ending a
// branch), as opposed to a failure of its own.
bool is_cancellation(const std::exception_ptr& e);

}  // namespace dvc
