#include "service/recheck.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>
#include <span>

#include "connectors/wall_clock.hpp"
#include "reconcile/normalize.hpp"
#include "service/evaluation_pass.hpp"
#include "service/log.hpp"
#include "service/poll_side.hpp"
#include "service/poll_writer.hpp"

namespace dvc {
namespace {

// Looks `code` up on one side and hands a record found to the poll's record path.
boost::asio::awaitable<side_recheck> fetch_side(side s, const portal_settings& settings, portal_client& client,
                                                const std::string& code, poll_writer& writer, const config& cfg,
                                                const provincial_settings* source = nullptr) {
  side_recheck out;
  out.code = code;
  if (source) out.source = source->name;
  if (!settings.profile.transport->lookup) {
    out.result = side_recheck::outcome::unsupported;
    out.message = "the " + std::string(side_name(s)) +
                  " profile has no look-up (its `lookup` section), so one dossier cannot be fetched from it; the "
                  "record the last poll stored is used";
    co_return out;
  }
  if (const auto problem = portal_client::validate(*settings.profile.transport, settings.client_config())) {
    out.message = problem->message;
    co_return out;
  }
  auto answer = co_await client.lookup(code);
  if (!answer) {
    out.message = answer.error().message;
    co_return out;
  }
  if (!answer.value()) {
    out.result = side_recheck::outcome::not_found;
    out.message = "the portal has no dossier " + code;
    co_return out;
  }
  poll_outcome taken;
  taken.origin = s;
  record_taker_for(s, cfg, writer, taken, source)(page_record{std::move(*answer.value()), {}, code, 0},
                                                  "recheck " + code);
  out.result = side_recheck::outcome::found;
  if (taken.stored == 0)
    out.message = taken.other_units ? "the record belongs to a unit outside the configured units: not stored"
                                    : "the record could not be read: see the data errors of the run";
  co_return out;
}

nlohmann::json findings_json(const std::vector<finding_row>& rows) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& f : rows)
    out.push_back({{"id", f.id}, {"kind", kind_name(f.kind)}, {"reason", f.reason}, {"state", f.state}});
  return out;
}

nlohmann::json side_json(const side_recheck& s) {
  nlohmann::json out{{"result", outcome_name(s.result)}, {"code", s.code}, {"message", s.message}};
  if (!s.source.empty()) out["source"] = s.source;
  return out;
}

// docs/sources.md: the source holding the stored record first, then the others in the configuration's order.
std::vector<std::size_t> sources_to_ask(const config& cfg, const ledger& db, const std::string& key) {
  std::vector<std::size_t> order;
  const auto held = db.provincial_source_of(key);
  for (std::size_t i = 0; i < cfg.provincial.size(); ++i)
    if (held && !held->empty() && cfg.provincial[i].name == *held) order.push_back(i);
  for (std::size_t i = 0; i < cfg.provincial.size(); ++i)
    if (order.empty() || order.front() != i) order.push_back(i);
  return order;
}

}  // namespace

std::string_view outcome_name(side_recheck::outcome o) {
  switch (o) {
    case side_recheck::outcome::found:
      return "found";
    case side_recheck::outcome::not_found:
      return "not_found";
    case side_recheck::outcome::unsupported:
      return "unsupported";
    case side_recheck::outcome::failed:
      break;
  }
  return "failed";
}

boost::asio::awaitable<recheck_report> recheck_dossier(const config& cfg, ledger& db, portal_clients& clients,
                                                       std::string_view key_text, instant now) {
  recheck_report r;
  r.key = normalize_code(key_text);
  r.before = db.findings_for_key(r.key);
  // Provincial is looked up by its own code, which differs from the key when the dossier carries a nationCode.
  const auto stored = db.load_facts(side::provincial, std::span<const std::string>(&r.key, 1));
  const std::string provincial_code = stored.empty() ? r.key : stored.front().code;
  r.run_id = db.begin_recheck_run(r.key, now, cfg.sync_grace_s);
  try {
    {
      poll_writer writer(db, r.run_id, now);
      // A dossier not in one source may be in another; a source that fails is not passed over, so a failure is told.
      for (const std::size_t i : sources_to_ask(cfg, db, r.key)) {
        r.provincial = co_await fetch_side(side::provincial, cfg.provincial[i], *clients.provincial[i], provincial_code,
                                           writer, cfg, &cfg.provincial[i]);
        if (r.provincial.result != side_recheck::outcome::not_found) break;
      }
      r.national = co_await fetch_side(side::national, cfg.national, clients.national, r.key, writer, cfg);
      // A look-up-only national side knows a dossier's absence only from a look-up (docs/lookups.md#state).
      const bool answered =
          r.national.result == side_recheck::outcome::found || r.national.result == side_recheck::outcome::not_found;
      if (cfg.national.profile.lookup_only() && answered)
        writer.note_lookup(r.key, r.national.result == side_recheck::outcome::found, r.run_id);
      writer.flush();
    }
    const auto failed = [](const side_recheck& s) { return s.result == side_recheck::outcome::failed; };
    run_summary summary;
    summary.provincial_read = r.provincial.result == side_recheck::outcome::found;
    summary.national_read = r.national.result == side_recheck::outcome::found;
    summary.message = "recheck of " + r.key;
    if (failed(r.provincial) || failed(r.national)) {
      summary.status = run_status::partial;
      summary.message += ": a portal could not be read, nothing was evaluated";
    } else {
      bool handed = false;
      const key_source one = [&](std::size_t) {
        if (handed) return std::vector<std::string>{};
        handed = true;
        return std::vector<std::string>{r.key};
      };
      const auto totals = co_await evaluate_keys(
          db, one, r.run_id, {now, cfg.sync_grace_s}, evaluation_chunk,
          cfg.national.profile.lookup_only() ? national_reading::looked_up : national_reading::listed);
      r.evaluated = true;
      r.pending = totals.pending > 0;
      r.counts = totals.lifecycle;
      summary.status = run_status::ok;
    }
    summary.raised = r.counts.raised;
    summary.resolved = r.counts.resolved;
    summary.reopened = r.counts.reopened;
    summary.ended_at = wall_clock_now();
    db.finish_run(r.run_id, summary);
  } catch (...) {
    run_summary failed;
    failed.ended_at = wall_clock_now();
    failed.status = run_status::failed;
    failed.message = "recheck of " + r.key + " failed";
    try {
      db.finish_run(r.run_id, failed);
    } catch (const std::exception&) {
    }
    throw;
  }
  r.after = db.findings_for_key(r.key);
  log::info("recheck_done", {{"key", r.key},
                             {"run", std::to_string(r.run_id)},
                             {"provincial", std::string(outcome_name(r.provincial.result))},
                             {"national", std::string(outcome_name(r.national.result))},
                             {"evaluated", r.evaluated ? "yes" : "no"}});
  co_return r;
}

recheck_report recheck_now(const config& cfg, ledger& db, std::string_view key, instant now, connector_env env) {
  boost::asio::io_context io;
  portal_clients clients(io.get_executor(), cfg, std::move(env));
  recheck_report report;
  std::exception_ptr failure;
  boost::asio::co_spawn(
      io,
      [&]() -> boost::asio::awaitable<void> {
        report = co_await recheck_dossier(cfg, db, clients, key, now);
        co_await clients.close();
      },
      [&](std::exception_ptr e) { failure = e; });
  io.run();
  if (failure) std::rethrow_exception(failure);
  return report;
}

nlohmann::json recheck_json(const recheck_report& r) {
  return {{"key", r.key},
          {"run_id", r.run_id},
          {"evaluated", r.evaluated},
          {"pending", r.pending},
          {"provincial", side_json(r.provincial)},
          {"national", side_json(r.national)},
          {"before", findings_json(r.before)},
          {"after", findings_json(r.after)},
          {"raised", r.counts.raised},
          {"resolved", r.counts.resolved},
          {"reopened", r.counts.reopened}};
}

}  // namespace dvc
