#pragma once
// The HTTP API and dashboard as a pure function of the request (plus the ledger and the service status it
// reads), so tests call it without sockets. Routes (README.md, HTTP API and dashboard; finding objects as in
// docs/cli.md#findings):
//   GET  /healthz, /readyz, /metrics
//   GET  /api/findings?kind=&unit=&state=&since=&q=&limit=&offset=   → {"total","items":[finding objects]}
//   GET  /api/findings/export?format=csv|xlsx&lang=vi|en&kind=&unit=&state=&since=&q=  → the findings export
//        (docs/cli.md#exports) as an attachment; at most 100 000 findings
//   GET  /api/findings/{id}                                          → finding object with "events"
//   POST /api/findings/{id}/ack  {"note"}  Authorization: Bearer <an operator's token>; the actor is its owner
//   GET  /api/dossiers/{key}                                         → both sides, compared, and findings
//   GET  /api/sync-rates?period=                                     → the `report sync-rate` JSON
//   GET  /api/indicators?period=                                     → the `report indicators` JSON
//   GET  /api/alerts?limit=                      → {"open","open_total","recent"}: alert episodes open, and resolved
//   GET  /api/runs?limit=                                            → runs with findings open after each
//   GET  /api/status                                   → whether the figures are current, and the banner if not
//   GET  / and the dashboard's files
// Errors are {"error": "..."} with 400 (naming the parameter), 401, 403, 404, 405, 413, 421 (Host not served) or
// 500. Every request's Host is checked (api/api_access.hpp); /api/ requests need a token when http.read_access is
// "token", and without one the applicant's phone and e-mail are masked.
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "api/api_access.hpp"
#include "api/api_sync_rates.hpp"
#include "api/metrics.hpp"
#include "config/config.hpp"
#include "reconcile/sync_rate.hpp"
#include "schema/ledger.hpp"
#include "service/service_status.hpp"

namespace dvc {

using api_request = boost::beast::http::request<boost::beast::http::string_body>;
using api_response = boost::beast::http::response<boost::beast::http::string_body>;

class api_handler {
 public:
  static constexpr std::size_t default_body_limit = 64 * 1024;
  static constexpr std::int64_t max_limit = 1000;  // items per page of /api/findings and /api/runs
  // /metrics' ledger figures (counts, sync rates, file sizes); scrapes within this reuse the last ones.
  static constexpr std::int64_t metrics_cache_s = 10;

  // `clock` gives the current Unix time (tests fix it). The ledger named by cfg.ledger is opened on first use,
  // once for reading and once more for acks, and not created when it does not exist.
  // `status` is read once per request that needs it (a snapshot); it may be published from another thread.
  // `sync_rate_check` is how often the sync-rate worker looks for a finished run (api/api_sync_rates.hpp); 0 runs
  // no worker, and the sync rates are computed only by refresh_sync_rates().
  api_handler(const config& cfg, const status_board& status, std::function<instant()> clock,
              std::size_t body_limit = default_body_limit, std::chrono::milliseconds sync_rate_check = {});

  // `client` is the peer's address, for the log lines of acks and refused tokens.
  api_response operator()(const api_request& req, std::string_view client = "local");

  // The sync-rate table, recomputed on this thread when a run finished since: for tests and tools without the
  // worker.
  bool refresh_sync_rates() { return rates_.refresh(); }
  std::int64_t sync_rate_computations() const { return rates_.computations(); }

 private:
  ledger* reader();
  ledger* writer();
  struct request_context {
    std::string_view client;
    std::string path;
    authentication auth;
  };
  api_response findings(const api_request& req, const request_context& ctx,
                        const std::map<std::string, std::string>& params);
  api_response finding(const api_request& req, const std::string& id_text);
  void log_refusal(const request_context& ctx, std::string_view finding, std::string_view why) const;
  api_response ack(const api_request& req, const request_context& ctx, const std::string& id_text);
  // Refuses (403, 401) unless the request carries an operator's token (scope ack); `what` names the action.
  std::optional<api_response> refuse_unless_operator(const api_request& req, const request_context& ctx,
                                                     std::string_view subject, std::string_view what);
  api_response recheck(const api_request& req, const request_context& ctx, const std::string& key);
  api_response dossier(const api_request& req, const request_context& ctx, const std::string& key);
  api_response sync_rates(const api_request& req, const std::map<std::string, std::string>& params);
  api_response sync_rate_trend(const api_request& req, const std::map<std::string, std::string>& params);
  api_response indicators(const api_request& req, const std::map<std::string, std::string>& params);
  api_response alerts(const api_request& req, const std::map<std::string, std::string>& params);
  api_response runs(const api_request& req, const std::map<std::string, std::string>& params);
  api_response freshness(const api_request& req);
  api_response readyz(const api_request& req);
  api_response metrics(const api_request& req);

  const config& cfg_;
  const status_board& status_;
  std::function<instant()> clock_;
  std::size_t body_limit_;
  std::optional<ledger> reader_, writer_;
  std::string ledger_problem_;  // why the ledger could not be opened, for /readyz
  sync_rate_snapshots rates_;
  std::optional<ledger_figures> figures_;  // /metrics' ledger part, computed at figures_at_
  instant figures_at_ = 0;
};

}  // namespace dvc
