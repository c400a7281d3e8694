#include "service/cycle.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/multiple_exceptions.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/system_error.hpp>
#include <chrono>
#include <cstdio>
#include <exception>
#include <memory>
#include <tuple>

#include "connectors/wall_clock.hpp"
#include "service/log.hpp"
#include "service/national_lookups.hpp"

namespace dvc {
namespace {

using namespace boost::asio::experimental::awaitable_operators;

std::string seconds_text(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", s);
  return buf;
}

void record_poll(side_status& s, const poll_outcome& o, instant started, instant ended) {
  s.last_attempt = started;
  s.last_duration_s = o.duration_s;  // records and pages read were counted page by page (poll_progress)
  ++s.polls_total;
  if (o.ok()) {
    s.last_success = ended;
    s.last_error.clear();
  } else {
    ++s.poll_failures_total;
    s.last_error = o.error->message;
    ++s.http_errors_by_kind[std::string(error_kind_name(o.error->kind))];
  }
}

void log_poll(const poll_outcome& o) {
  log::field_list f{{"side", std::string(side_name(o.origin))}};
  if (!o.source.empty()) f.emplace_back("provincial_source", o.source);
  if (o.ok()) {
    f.insert(f.end(), {{"from", format_utc_iso(o.from)},
                       {"records", std::to_string(o.records)},
                       {"pages", std::to_string(o.pages)},
                       {"other_units", std::to_string(o.other_units)},
                       {"data_errors", std::to_string(o.data_errors)}});
    // docs/sources.md#moves-and-duplicates
    if (o.moved || o.legacy_copies)
      f.insert(f.end(), {{"moved", std::to_string(o.moved)}, {"legacy_copies", std::to_string(o.legacy_copies)}});
    f.emplace_back("seconds", seconds_text(o.duration_s));
    log::write(log_level::info, "poll_done", f);
  } else {
    f.insert(f.end(), {{"kind", std::string(error_kind_name(o.error->kind))},
                       {"records", std::to_string(o.records)},
                       {"kept_cursor", o.kept ? format_utc_iso(*o.kept) : "unchanged"},
                       {"seconds", seconds_text(o.duration_s)},
                       {"error", o.error->message}});
    log::write(log_level::error, "poll_failed", f);
  }
}

void record_lookups(service_status& status, const lookup_counts& c) {
  status.national_looked_up = true;
  status.lookups_by_outcome["found"] += c.found;
  status.lookups_by_outcome["not_found"] += c.not_found;
  status.lookups_by_outcome["rejected"] += c.rejected;
  status.lookups_by_outcome["failed"] += c.failed;
  status.lookup_provincial_dossiers = c.coverage.provincial_keys;
  status.lookup_looked_up = c.coverage.looked_up;
  status.lookup_rolling_due = c.coverage.rolling_due;
}

std::string partial_message(const cycle_report& r) {
  std::string failed;
  for (const poll_outcome* o : {&r.provincial, &r.national}) {
    if (o->ok()) continue;
    if (!failed.empty()) failed += "; ";
    failed += std::string(side_name(o->origin)) + " poll failed: " + o->error->message;
  }
  return failed + " — nothing was evaluated this cycle; the next complete cycle catches up.";
}

run_summary summary_of(const cycle_report& r) {
  run_summary s;
  s.ended_at = wall_clock_now();
  s.provincial_read = r.provincial.records;
  s.national_read = r.national.records;
  s.raised = r.totals.lifecycle.raised;
  s.resolved = r.totals.lifecycle.resolved;
  s.reopened = r.totals.lifecycle.reopened;
  s.errors = r.data_errors();
  s.status = r.status;
  s.message = r.message;
  return s;
}

// Marks an interrupted run failed; a second failure (the ledger itself is gone) must not hide the first.
void finish_failed(ledger& db, std::int64_t run_id, const std::string& why) {
  try {
    run_summary s;
    s.ended_at = wall_clock_now();
    s.status = run_status::failed;
    s.message = why;
    db.finish_run(run_id, s);
  } catch (const std::exception& e) {
    log::error("run_not_finished", {{"run", std::to_string(run_id)}, {"error", e.what()}});
  }
}

std::string describe_exception(std::exception_ptr e) {
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    return ex.what();
  } catch (...) {
    return "unknown exception";
  }
}

// `&&` cancels the other poll when one throws, and then reports the first *operand's* exception, which may be
// that cancellation rather than the failure behind it (a full disk met by the national poll). Each poll passes
// its own failure through here, so the first real one is known whichever operand it came from.
template <class T>
boost::asio::awaitable<T> noting_failure(boost::asio::awaitable<T> poll, std::exception_ptr& first) {
  try {
    co_return co_await std::move(poll);
  } catch (...) {
    if (!first && !is_cancellation(std::current_exception())) first = std::current_exception();
    throw;
  }
}

// A poll whose end is told to the progress as soon as it comes, so it is no longer logged as running.
boost::asio::awaitable<poll_outcome> ended(boost::asio::awaitable<poll_outcome> poll, poll_progress& progress) {
  poll_outcome out = co_await std::move(poll);
  progress.end(out.origin, out, poll_progress::clock::now());
  co_return out;
}

// The provincial sources' progress as one side's (docs/sources.md): what each has read so far, combined, and what is
// left once every source has said.
class sources_progress {
 public:
  sources_progress(std::size_t sources, poll_progress& progress)
      : so_far_(sources), remaining_(sources), progress_(progress) {}

  poll_observer observer(std::size_t i) {
    return [this, i](const poll_outcome& so_far, std::optional<std::int64_t> remaining) {
      so_far_[i] = so_far;
      remaining_[i] = remaining;
      std::optional<std::int64_t> left = 0;
      for (const auto& r : remaining_) left = r && left ? std::optional<std::int64_t>(*left + *r) : std::nullopt;
      progress_.page(side::provincial, combined(so_far_), left, poll_progress::clock::now());
    };
  }

 private:
  std::vector<poll_outcome> so_far_;
  std::vector<std::optional<std::int64_t>> remaining_;
  poll_progress& progress_;
};

// Every provincial source at once, each by its own client into the one writer (docs/sources.md); `each` receives
// their outcomes in the configuration's order. A source that throws (a ledger failure) cancels the others.
boost::asio::awaitable<poll_outcome> poll_sources(const config& cfg, ledger& db, portal_clients& clients,
                                                  poll_writer& writer, instant now, poll_progress& progress,
                                                  std::vector<poll_outcome>& each) {
  sources_progress tracked(cfg.provincial.size(), progress);
  if (cfg.provincial.size() == 1) {
    poll_outcome one = co_await poll_provincial(*clients.provincial.front(), cfg, cfg.provincial.front(), db, writer,
                                                now, tracked.observer(0));
    each.assign(1, one);
    co_return one;
  }
  const auto executor = co_await boost::asio::this_coro::executor;
  using op = decltype(boost::asio::co_spawn(executor, boost::asio::awaitable<poll_outcome>{}, boost::asio::deferred));
  // The polls take their observer by reference and start only when the group is awaited: the observers live here.
  std::vector<poll_observer> observers;
  for (std::size_t i = 0; i < cfg.provincial.size(); ++i) observers.push_back(tracked.observer(i));
  std::vector<op> ops;
  for (std::size_t i = 0; i < cfg.provincial.size(); ++i)
    ops.push_back(boost::asio::co_spawn(
        executor, poll_provincial(*clients.provincial[i], cfg, cfg.provincial[i], db, writer, now, observers[i]),
        boost::asio::deferred));
  // (order, exceptions, outcomes)
  auto done = co_await boost::asio::experimental::make_parallel_group(std::move(ops))
                  .async_wait(boost::asio::experimental::wait_for_one_error(), boost::asio::use_awaitable);
  std::exception_ptr cancelled;
  for (const auto& e : std::get<1>(done)) {
    if (!e) continue;
    if (!is_cancellation(e)) std::rethrow_exception(e);
    cancelled = e;
  }
  if (cancelled) std::rethrow_exception(cancelled);
  each = std::move(std::get<2>(done));
  co_return combined(each);
}

// The `poll_progress` lines every `progress_interval_s` while the polls run. It runs beside the polls rather than
// in a `||` with them (which waits for a branch to succeed, and would outlive a poll that throws); the cycle
// stops it when the polls end, however they end, and it never touches the progress once stopped.
struct progress_ticker {
  explicit progress_ticker(const boost::asio::any_io_executor& executor) : timer(executor) {}
  boost::asio::steady_timer timer;
  bool stopped = false;
};

boost::asio::awaitable<void> tick_progress(std::shared_ptr<progress_ticker> ticker, poll_progress* progress,
                                           std::chrono::seconds every) {
  for (;;) {
    ticker->timer.expires_after(every);
    co_await ticker->timer.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
    if (ticker->stopped) co_return;
    progress->log_running(poll_progress::clock::now());
  }
}

struct ticker_stop {
  std::shared_ptr<progress_ticker> ticker;
  ~ticker_stop() {
    ticker->stopped = true;
    ticker->timer.cancel();
  }
};

}  // namespace

bool is_cancellation(const std::exception_ptr& e) {
  try {
    std::rethrow_exception(e);
  } catch (const boost::system::system_error& ex) {
    return ex.code() == boost::asio::error::operation_aborted;
  } catch (...) {
    return false;
  }
}

portal_clients::portal_clients(boost::asio::any_io_executor executor, const config& cfg, connector_env e)
    : env(std::move(e)), national(executor, *cfg.national.profile.transport, cfg.national.client_config(), env) {
  for (const auto& source : cfg.provincial)
    provincial.push_back(
        std::make_unique<portal_client>(executor, *source.profile.transport, source.client_config(), env));
  if (!cfg.national.profile.lookup_only()) return;
  for (unsigned i = 1; i < cfg.national.lookup.concurrency; ++i)
    more_national.push_back(
        std::make_unique<portal_client>(executor, *cfg.national.profile.transport, cfg.national.client_config(), env));
}

std::vector<portal_client*> portal_clients::national_lookups() {
  std::vector<portal_client*> out{&national};
  for (const auto& c : more_national) out.push_back(c.get());
  return out;
}

boost::asio::awaitable<void> portal_clients::close() {
  for (const auto& c : provincial) co_await c->close();
  for (portal_client* c : national_lookups()) co_await c->close();
}

boost::asio::awaitable<cycle_report> run_cycle(const config& cfg, ledger& db, portal_clients& clients,
                                               service_status& status, instant now,
                                               const poll_progress::publisher& publish) {
  const auto started = std::chrono::steady_clock::now();
  cycle_report r;
  r.as_of = now;
  r.run_id = db.begin_run(run_mode::service, now, now, cfg.sync_grace_s);
  log::info("cycle_start", {{"run", std::to_string(r.run_id)},
                            {"as_of", format_vietnam_iso(now)},
                            {"grace_s", std::to_string(cfg.sync_grace_s)}});
  std::exception_ptr failure, poll_failure;
  const std::string fingerprint = successions_fingerprint(cfg.successions);
  try {
    {
      poll_progress progress(status, publish, poll_progress::clock::now());
      const auto executor = co_await boost::asio::this_coro::executor;
      const ticker_stop ticking{std::make_shared<progress_ticker>(executor)};
      boost::asio::co_spawn(executor,
                            tick_progress(ticking.ticker, &progress, std::chrono::seconds(cfg.progress_interval_s)),
                            [](std::exception_ptr e) {
                              if (e) log::error("poll_progress_failed", {{"error", describe_exception(e)}});
                            });
      const auto observer = [&progress](side s) {
        return [&progress, s](const poll_outcome& so_far, std::optional<std::int64_t> remaining) {
          progress.page(s, so_far, remaining, poll_progress::clock::now());
        };
      };
      poll_writer writer(db, r.run_id, now);
      if (cfg.national.profile.lookup_only()) {
        // What is due for a look-up follows from the provincial records, so the provincial side is read first.
        r.provincial = co_await noting_failure(
            ended(poll_sources(cfg, db, clients, writer, now, progress, r.provincial_sources), progress), poll_failure);
        lookup_counts counts;
        r.national =
            co_await noting_failure(ended(poll_national_lookups(clients.national_lookups(), cfg, db, writer, now,
                                                                clients.env, counts, observer(side::national)),
                                          progress),
                                    poll_failure);
        record_lookups(status, counts);
      } else {
        std::tie(r.provincial, r.national) = co_await (
            noting_failure(ended(poll_sources(cfg, db, clients, writer, now, progress, r.provincial_sources), progress),
                           poll_failure) &&
            noting_failure(
                ended(poll_national(clients.national, cfg, db, writer, now, observer(side::national)), progress),
                poll_failure));
      }
    }
    const instant polled = wall_clock_now();
    record_poll(status.provincial, r.provincial, now, polled);
    record_poll(status.national, r.national, now, polled);
    for (const auto& source : r.provincial_sources) log_poll(source);
    log_poll(r.national);

    // A look-up pass that stopped still leaves every answer it got: a dossier it did not reach keeps national's last
    // answer, or awaits its first (docs/lookups.md#failures).
    const bool lookups_stopped = cfg.national.profile.lookup_only() && !r.national.ok();
    if (r.provincial.ok() && (r.national.ok() || lookups_stopped)) {
      const evaluation_scope scope = evaluation_keys(db, r.run_id, now, cfg.sync_grace_s, fingerprint);
      r.full = scope.full;
      if (scope.successions_changed)
        log::info("successions_changed", {{"message",
                                           "the unit successions differ from the last evaluated run's: "
                                           "every dossier is evaluated again"}});
      r.totals = co_await evaluate_keys(
          db, keys_of(db, scope), r.run_id, {now, cfg.sync_grace_s, &cfg.successions}, evaluation_chunk,
          cfg.national.profile.lookup_only() ? national_reading::looked_up : national_reading::listed);
      r.keys = r.totals.keys;
      r.evaluated = true;
      // Stopped look-ups are the budget running out early, not a side left unread: the cycle is complete for every
      // dossier it evaluated. National's last successful poll stays where it was, so /readyz and the dashboard's
      // banner tell when look-ups keep stopping.
      r.status = run_status::ok;
      if (lookups_stopped)
        r.message = "national look-ups stopped: " + r.national.error->message +
                    " — the dossiers not looked up keep national's last answer or await their first; the next "
                    "cycle goes on.";
    } else {
      r.status = run_status::partial;
      r.message = partial_message(r);
    }
    r.duration_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    run_summary summary = summary_of(r);
    summary.successions = fingerprint;
    db.finish_run(r.run_id, summary);
  } catch (const boost::asio::multiple_exceptions& e) {
    // Both polls ended by exception: a fatal ledger error must stay recognisable as one to the loop that decides
    // whether to stop, and two cancellations (a stop) as a cancellation.
    failure = poll_failure ? poll_failure : e.first_exception();
  } catch (...) {
    // The poll's own failure wins over the cancellation `&&` may carry instead.
    failure = poll_failure ? poll_failure : std::current_exception();
  }
  if (failure) {
    const std::string why = describe_exception(failure);
    finish_failed(db, r.run_id, why);
    ++status.cycles_total;
    ++status.cycle_failures_total;
    log::error("cycle_failed", {{"run", std::to_string(r.run_id)}, {"error", why}});
    std::rethrow_exception(failure);
  }

  ++status.cycles_total;
  if (r.status != run_status::ok) ++status.cycle_failures_total;
  status.last_cycle_duration_s = r.duration_s;
  // The end of the last complete cycle: a partial one evaluated nothing, so it does not count.
  if (r.status == run_status::ok) status.last_cycle_end = wall_clock_now();
  status.findings_raised_total += r.totals.lifecycle.raised;
  status.findings_resolved_total += r.totals.lifecycle.resolved;
  status.findings_reopened_total += r.totals.lifecycle.reopened;
  status.data_errors_total += r.data_errors();
  log::info("cycle_end", {{"run", std::to_string(r.run_id)},
                          {"status", std::string(run_status_name(r.status))},
                          {"provincial", std::to_string(r.provincial.records)},
                          {"national", std::to_string(r.national.records)},
                          {"data_errors", std::to_string(r.data_errors())},
                          {"keys", std::to_string(r.keys)},
                          {"evaluated", std::to_string(r.totals.evaluated)},
                          {"full", r.full ? "yes" : "no"},
                          {"pending", std::to_string(r.totals.pending)},
                          {"awaiting_lookup", std::to_string(r.totals.awaiting_lookup)},
                          {"findings", std::to_string(r.totals.findings)},
                          {"raised", std::to_string(r.totals.lifecycle.raised)},
                          {"resolved", std::to_string(r.totals.lifecycle.resolved)},
                          {"reopened", std::to_string(r.totals.lifecycle.reopened)},
                          {"seconds", seconds_text(r.duration_s)}});
  co_return r;
}

}  // namespace dvc
