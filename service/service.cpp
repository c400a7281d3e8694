#include "service/service.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/system_error.hpp>
#include <exception>
#include <iostream>
#include <optional>
#include <thread>

#include "connectors/wall_clock.hpp"
#include "reconcile/printable.hpp"
#include "schema/sqlite.hpp"
#include "service/exit_codes.hpp"
#include "service/ledger_lock.hpp"
#include "service/log.hpp"
#include "service/notify.hpp"
#include "service/retention.hpp"
#include "service/signals.hpp"
#include "service/watchdog.hpp"

namespace dvc {
namespace {

namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;

struct service_state {
  const config& cfg;
  const service_options& options;
  ledger& db;
  portal_clients& clients;
  service_status& status;
  status_board& board;  // what the API thread reads: `status` as of the end of the last cycle
  notifier& notify;
  int exit = exit_code::ok;
  maybe_instant last_retention;  // when retention last ran in this process
};

// The chain head leaves the ledger once a cycle: in the log (journald keeps it apart from the ledger file) and in
// /metrics (a Prometheus server keeps its history). An editor of the ledger cannot reach either.
void anchor_chain_head(service_state& s, std::int64_t run_id) {
  const chain_head_ref head = s.db.chain_head();
  s.status.audit_head_event_id = head.event_id;
  s.status.audit_head_hash = head.hash;
  s.status.audit_keyed = s.db.audit_keyed();
  log::info("audit_chain_head",
            {{"run", std::to_string(run_id)}, {"head", head.text()}, {"keyed", s.status.audit_keyed ? "yes" : "no"}});
}

// One sentence on stderr, with the priority the journal files it under; a portal's or a file's words in it cannot
// forge a line.
void say(std::string_view sentence) {
  std::cerr << log::line_start(log_level::error) << "dvcrecon run: " << printable(sentence) << '\n';
}

void status_line(notifier& notify, const cycle_report& r) {
  notify.status("run " + std::to_string(r.run_id) + " " + std::string(run_status_name(r.status)) + ": provincial " +
                std::to_string(r.provincial.records) + ", national " + std::to_string(r.national.records) +
                " records; " + std::to_string(r.totals.lifecycle.raised) + " raised, " +
                std::to_string(r.totals.lifecycle.resolved) + " resolved");
}

asio::awaitable<void> cycle_loop(service_state& s) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  for (;;) {
    const auto started = asio::steady_timer::clock_type::now();
    std::exception_ptr failure;
    try {
      const cycle_report r = co_await run_cycle(s.cfg, s.db, s.clients, s.status, wall_clock_now(),
                                                [&s](const service_status& current) { s.board.publish(current); });
      anchor_chain_head(s, r.run_id);
      s.board.publish(s.status);
      status_line(s.notify, r);
      // After a complete cycle only: its evaluation is what says a dossier is finding-free as it stands.
      if (r.status == run_status::ok && retention_due(s.cfg, s.last_retention, r.as_of)) {
        s.last_retention = r.as_of;
        try {
          co_await apply_retention(s.db, s.cfg, r.run_id, r.as_of);
        } catch (const sqlite::error& e) {
          if (e.fatal()) throw;
          log::error("retention_failed", {{"error", e.what()}});
        } catch (const ledger_error& e) {
          log::error("retention_failed", {{"error", e.what()}});
        }
      }
      if (s.options.after_cycle) {
        try {
          co_await s.options.after_cycle(s.db, s.status, r);
        } catch (const sqlite::error& e) {
          if (e.fatal()) throw;
          log::error("alerts_failed", {{"run", std::to_string(r.run_id)}, {"error", e.what()}});
        } catch (const ledger_error&) {
          throw;
        } catch (const boost::system::system_error& e) {
          if (e.code() == asio::error::operation_aborted) throw;
          log::error("alerts_failed", {{"run", std::to_string(r.run_id)}, {"error", e.what()}});
        } catch (const std::exception& e) {
          log::error("alerts_failed", {{"run", std::to_string(r.run_id)}, {"error", e.what()}});
        }
      }
      if (s.options.on_cycle) s.options.on_cycle(r);
      if (s.options.once) {
        // One cycle is all --once gets: a side that was not read in full is a failure to report, even when the
        // cycle could evaluate what it had (stopped look-ups).
        if (r.status != run_status::ok || !r.provincial.ok() || !r.national.ok()) {
          say(r.message);
          s.exit = exit_code::runtime;
        }
        co_return;
      }
    } catch (...) {
      failure = std::current_exception();
    }
    s.board.publish(s.status);
    if (failure) {
      // A stop, a fatal ledger error (disk gone, I/O error on commit) or --once: end the service. Any other
      // failure is logged by the cycle and the next cycle tries again.
      if (is_cancellation(failure) || s.options.once) std::rethrow_exception(failure);
      try {
        std::rethrow_exception(failure);
      } catch (const sqlite::error& e) {
        if (e.fatal()) throw;
      } catch (const ledger_error&) {
        throw;
      } catch (const std::exception&) {
      }
    }
    timer.expires_at(started + std::chrono::seconds(s.cfg.poll_interval_s));
    co_await timer.async_wait(asio::use_awaitable);
  }
}

// `||` waits for one branch to *succeed* (wait_for_one_success): a branch that fails would leave the others
// running and the service hanging. So a failure of the cycle loop (a full disk) or of the API (port taken) is
// carried out of its branch as a value, ending the group like a success, and rethrown once the rest is cancelled.
// The first real failure is kept: the cancellation the other branches then end with must not replace it.
template <class T>
asio::awaitable<void> until_error(asio::awaitable<T> branch, std::exception_ptr& failure) {
  try {
    co_await std::move(branch);
  } catch (...) {
    if (!failure || is_cancellation(failure)) failure = std::current_exception();
  }
}

// The API on a thread of its own, so a cycle's polling and evaluation never hold up an answer: it shares nothing
// with the service but the published status and the ledger file (its own connections). Ends when the server fails
// (its exception is rethrown here) or when this coroutine is cancelled, which stops the server and joins its thread.
asio::awaitable<void> companion_on_own_thread(const service_options& options, const status_board& board) {
  // Lives in this coroutine's frame, which outlives the API thread: the frame is only left after joining it.
  struct {
    asio::io_context io;
    asio::cancellation_signal stop;
    std::exception_ptr failure;  // written on the API thread before it ends, read here after joining it
  } api;
  // Woken (cancelled) from the API thread when the server ends on its own.
  auto ended =
      std::make_shared<asio::steady_timer>(co_await asio::this_coro::executor, asio::steady_timer::time_point::max());
  asio::co_spawn(api.io, options.companion.run(board),
                 asio::bind_cancellation_slot(api.stop.slot(), [&api, ended](std::exception_ptr e) {
                   api.failure = e;
                   asio::post(ended->get_executor(), [ended] { ended->cancel(); });
                 }));
  std::thread thread([&api] { api.io.run(); });
  co_await ended->async_wait(asio::as_tuple(asio::use_awaitable));  // the server ended, or we were cancelled
  asio::post(api.io, [&api] { api.stop.emit(asio::cancellation_type::terminal); });
  thread.join();  // the server closes its connections and returns at once when stopped
  if (api.failure && !is_cancellation(api.failure)) std::rethrow_exception(api.failure);
}

asio::awaitable<void> service_main(service_state& s, stop_signals& signals) {
  std::exception_ptr failure;
  if (s.options.companion.run) {
    co_await (until_error(cycle_loop(s), failure) || signals.wait(s.notify) || watchdog_loop(s.notify) ||
              until_error(companion_on_own_thread(s.options, s.board), failure));
  } else {
    co_await (until_error(cycle_loop(s), failure) || signals.wait(s.notify) || watchdog_loop(s.notify));
  }
  if (failure) std::rethrow_exception(failure);
}

}  // namespace

int run_service(const config& cfg, const service_options& options) {
  log::set_level(cfg.log);
  asio::io_context io;
  stop_signals signals(io);
  notifier notify;
  service_status status;
  status.started_at = wall_clock_now();
  std::optional<ledger_lock> lock;
  std::optional<ledger> db;
  std::int64_t interrupted = 0;
  std::optional<keying_report> keyed;
  try {
    lock.emplace(ledger_lock::acquire(cfg.ledger));
  } catch (const ledger_in_use& e) {
    say(e.what());
    return exit_code::usage;
  } catch (const std::exception& e) {
    say(e.what());
    return exit_code::runtime;
  }
  try {
    std::optional<audit_key> key;
    if (cfg.audit.key) key.emplace(cfg.audit.key->reveal());
    db.emplace(ledger::open(cfg.ledger.string(), std::move(key)));
    // Before the first cycle, so a ledger whose history does not verify is refused at start, not mid-cycle.
    keyed = db->key_audit_chain(wall_clock_now());
    // The lock keeps other services off this ledger, so a run of ours still 'running' is a dead one.
    interrupted = db->close_interrupted_runs(run_mode::service, wall_clock_now());
  } catch (const std::exception& e) {
    say("ledger " + cfg.ledger.string() + ": " + e.what());
    return exit_code::runtime;
  }
  if (options.companion.prepare) {
    try {
      options.companion.prepare();
    } catch (const startup_error& e) {
      say(e.what());
      return exit_code::usage;
    } catch (const std::exception& e) {
      say(e.what());
      return exit_code::runtime;
    }
  }
  status.ledger_open = true;
  status_board board(status);
  notify.ready();
  if (keyed)
    log::warning("audit_chain_keyed",
                 {{"event", std::to_string(keyed->anchor_event_id)},
                  {"events_before", std::to_string(keyed->events_before)},
                  {"findings", std::to_string(keyed->findings_bound)},
                  {"records_rehashed", std::to_string(keyed->records_rehashed)},
                  {"message", "the audit chain is keyed from now on; what it held before was verified first"}});
  if (!cfg.audit.key)
    log::warning("audit_chain_unkeyed", {{"message",
                                          "no audit.key_file: whoever can write the ledger file can "
                                          "rewrite its history and recompute the chain"}});
  if (interrupted > 0)
    log::warning("runs_interrupted", {{"count", std::to_string(interrupted)},
                                      {"message", "runs left 'running' by a process that ended are marked failed"}});
  log::info("started", {{"ledger", cfg.ledger.string()},
                        {"poll_interval_s", std::to_string(cfg.poll_interval_s)},
                        {"once", options.once ? "yes" : "no"}});
  if (options.on_ready) options.on_ready();

  portal_clients clients(io.get_executor(), cfg);
  service_state state{cfg, options, *db, clients, status, board, notify, exit_code::ok, std::nullopt};
  std::exception_ptr failure;
  asio::co_spawn(io, service_main(state, signals), [&](std::exception_ptr e) { failure = e; });
  io.run();
  status.stopping = true;
  try {
    db->checkpoint();
  } catch (const std::exception& e) {
    log::warning("checkpoint_failed", {{"error", e.what()}});
  }
  if (failure && !is_cancellation(failure)) {
    try {
      std::rethrow_exception(failure);
    } catch (const std::exception& e) {
      say(e.what());
    }
    return exit_code::runtime;
  }
  log::info("stopped", {{"exit", std::to_string(state.exit)}});
  return state.exit;
}

}  // namespace dvc
