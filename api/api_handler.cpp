#include "api/api_handler.hpp"

#include <algorithm>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/verb.hpp>
#include <charconv>
#include <cstdio>
#include <filesystem>

#include "api/api_access.hpp"
#include "api/api_query.hpp"
#include "api/dashboard_assets.hpp"
#include "api/metrics.hpp"
#include "reconcile/bounded_json.hpp"
#include "reconcile/normalize.hpp"
#include "reports/data_notice.hpp"
#include "reports/finding_export.hpp"
#include "reports/finding_views.hpp"
#include "reports/indicators.hpp"
#include "reports/known_unit.hpp"
#include "reports/labels.hpp"
#include "reports/sync_rates.hpp"
#include "service/log.hpp"
#include "service/recheck.hpp"

namespace dvc {
namespace http = boost::beast::http;
namespace {

api_response respond(const api_request& req, http::status code, std::string body, std::string_view type) {
  api_response res{code, req.version()};
  res.set(http::field::server, "dvcrecon");
  res.set(http::field::content_type, type);
  res.set("X-Content-Type-Options", "nosniff");
  res.set(http::field::cache_control, "no-store");
  res.keep_alive(req.keep_alive());
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

api_response json_response(const api_request& req, http::status code, const nlohmann::json& j) {
  return respond(req, code, j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                 "application/json; charset=utf-8");
}

api_response error(const api_request& req, http::status code, std::string message) {
  return json_response(req, code, {{"error", std::move(message)}});
}

api_response method_not_allowed(const api_request& req, std::string_view allowed) {
  auto res = error(req, http::status::method_not_allowed,
                   "method " + std::string(req.method_string()) + " is not allowed on " +
                       std::string(req.target().substr(0, req.target().find('?'))) + "; use " + std::string(allowed));
  res.set(http::field::allow, allowed);
  return res;
}

struct bad_parameter : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::optional<std::int64_t> to_int(std::string_view text) {
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return v;
}

std::int64_t int_param(const std::map<std::string, std::string>& params, const std::string& name, std::int64_t fallback,
                       std::int64_t lo, std::int64_t hi) {
  const auto it = params.find(name);
  if (it == params.end() || it->second.empty()) return fallback;
  const auto v = to_int(it->second);
  if (!v || *v < lo || *v > hi)
    throw bad_parameter("parameter " + name + " must be an integer from " + std::to_string(lo) + " to " +
                        std::to_string(hi) + ", not \"" + it->second + "\"");
  return *v;
}

std::string text_param(const std::map<std::string, std::string>& params, const std::string& name) {
  const auto it = params.find(name);
  if (it == params.end()) return "";
  if (it->second.size() > 200) throw bad_parameter("parameter " + name + " is longer than 200 bytes");
  return it->second;
}

// The rate table is computed off the API's thread after each run (api/api_sync_rates.hpp); until the first one is
// ready, a client is told when to ask again.
api_response rates_not_ready(const api_request& req) {
  auto res = error(req, http::status::service_unavailable,
                   "the sync rates and indicators are being computed from the ledger; try again in a few seconds");
  res.set(http::field::retry_after, "5");
  return res;
}

// `period`: a month or a quarter; absent, every quarter.
std::optional<period> period_param(const std::map<std::string, std::string>& params) {
  const auto text = text_param(params, "period");
  if (text.empty()) return std::nullopt;
  auto only = period::parse(text);
  if (!only) throw bad_parameter("parameter period must be a month like 2024-07 or a quarter like 2024-Q3");
  return only;
}

std::string_view header_of(const api_request& req, http::field name) {
  const auto it = req.find(name);
  return it == req.end() ? std::string_view() : std::string_view(it->value().data(), it->value().size());
}

api_response unauthorized(const api_request& req, std::string message) {
  auto res = error(req, http::status::unauthorized, std::move(message));
  res.set(http::field::www_authenticate, "Bearer realm=\"dvcrecon\"");
  return res;
}

std::vector<std::string> path_segments(std::string_view path) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < path.size()) {
    while (i < path.size() && path[i] == '/') ++i;
    if (i >= path.size()) break;
    const auto end = path.find('/', i);
    out.emplace_back(path.substr(i, end == std::string_view::npos ? std::string_view::npos : end - i));
    i = end == std::string_view::npos ? path.size() : end;
  }
  return out;
}

// `unit`: a unit the configuration lists or the ledger knows (reports/known_unit.hpp), else a 400 naming it; "" when
// absent.
std::string unit_param(const std::map<std::string, std::string>& params, const config& cfg, const ledger& db) {
  const auto text = text_param(params, "unit");
  if (text.empty()) return "";
  auto code = known_unit_code(cfg, db, text);
  if (!code) throw bad_parameter("parameter unit: " + unknown_unit_message(text));
  return std::move(*code);
}

// The filters /api/findings and /api/findings/export share: kind (one, or several separated by commas), unit,
// state, since, q.
finding_filter filter_of(const std::map<std::string, std::string>& params, const config& cfg, const ledger& db) {
  finding_filter f;
  // kind=a,b: either kind (the command line repeats --kind instead).
  const std::string kinds = text_param(params, "kind");
  for (std::size_t i = 0; i < kinds.size();) {
    const std::size_t comma = std::min(kinds.find(',', i), kinds.size());
    const std::string kind = kinds.substr(i, comma - i);
    i = comma + 1;
    if (kind.empty()) continue;
    const auto k = kind_from_name(kind);
    if (!k) {
      std::string names;
      for (const auto each : all_kinds()) names += (names.empty() ? "" : ", ") + std::string(kind_name(each));
      throw bad_parameter("parameter kind: \"" + kind + "\" is not a finding kind; the kinds are " + names);
    }
    f.kinds.push_back(*k);
  }
  if (auto unit = unit_param(params, cfg, db); !unit.empty()) f.unit_code = std::move(unit);
  const auto state = text_param(params, "state");
  if (state.empty() || state == "open")
    f.states = {std::string(state::open), std::string(state::reopened)};
  else if (state == "resolved" || state == "reopened")
    f.states = {state};
  else if (state != "all")
    throw bad_parameter("parameter state must be open, resolved, reopened or all, not \"" + state + "\"");
  if (const auto since = text_param(params, "since"); !since.empty()) {
    try {
      f.since = parse_iso_time(since);
    } catch (const std::invalid_argument& e) {
      throw bad_parameter("parameter since is not an ISO 8601 time: " + std::string(e.what()));
    }
  }
  f.search = normalize_text(text_param(params, "q"));
  return f;
}

// GET /api/findings/export (docs/cli.md#exports): the file `mismatches export` writes, as an attachment. The file is
// built in memory, since the answer is one body: more than max_export_rows findings are refused with the count and
// the way round it (narrower filters, or the command line, which streams).
constexpr std::int64_t max_export_rows = 100'000;

api_response findings_export(const api_request& req, const ledger& db, const config& cfg, instant now,
                             const std::map<std::string, std::string>& params, bool search_applicant) {
  finding_filter f = filter_of(params, cfg, db);
  f.search_applicant = search_applicant;  // as for /api/findings: an applicant's name is searched for a token holder
  const auto format_text = text_param(params, "format");
  const auto format = export_format_from(format_text.empty() ? "csv" : format_text);
  if (!format) throw bad_parameter("parameter format must be csv or xlsx, not \"" + format_text + "\"");
  const auto lang_text = text_param(params, "lang");
  const auto lang = export_language_from(lang_text.empty() ? "vi" : lang_text);
  if (!lang) throw bad_parameter("parameter lang must be vi or en, not \"" + lang_text + "\"");
  f.limit = 1;
  const std::int64_t count = db.list_findings(f).total;
  if (count > max_export_rows)
    return error(req, http::status::payload_too_large,
                 std::to_string(count) + " findings match; an export over the API holds at most " +
                     std::to_string(max_export_rows) + ": narrow the filters, or use dvcrecon mismatches export");
  std::map<std::string, std::string> names;
  for (const auto& u : cfg.units) names[u.code] = u.name;
  const bool xlsx = *format == export_format::xlsx;
  std::string body = export_bytes(
      *format, [&](table_export& out) { export_findings(db, f, names, *lang, out); }, finding_export_columns(*lang),
      *lang, vi_label("messages", "export_findings_sheet"));
  auto res =
      respond(req, http::status::ok, std::move(body),
              xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv; charset=utf-8");
  const civil_date d = vietnam_date(now);
  char name[64];
  std::snprintf(name, sizeof name, "dvcrecon-findings-%04d%02u%02u.%s", d.year, d.month, d.day, xlsx ? "xlsx" : "csv");
  res.set(http::field::content_disposition, std::string("attachment; filename=\"") + name + "\"");
  return res;
}

}  // namespace

api_handler::api_handler(const config& cfg, const status_board& status, std::function<instant()> clock,
                         std::size_t body_limit, std::chrono::milliseconds sync_rate_check)
    : cfg_(cfg), status_(status), clock_(clock), body_limit_(body_limit), rates_(cfg, clock, sync_rate_check) {}

ledger* api_handler::reader() {
  if (reader_) return &*reader_;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(cfg_.ledger, ec)) {
    ledger_problem_ = "ledger " + cfg_.ledger.string() + " does not exist yet";
    return nullptr;
  }
  try {
    reader_.emplace(ledger::open(cfg_.ledger.string()));
    ledger_problem_.clear();
    return &*reader_;
  } catch (const std::exception& e) {
    ledger_problem_ = "ledger " + cfg_.ledger.string() + ": " + e.what();
    return nullptr;
  }
}

ledger* api_handler::writer() {
  if (writer_) return &*writer_;
  if (!reader()) return nullptr;
  // With the audit key: an ack is an event of the keyed chain.
  std::optional<audit_key> key;
  if (cfg_.audit.key) key.emplace(cfg_.audit.key->reveal());
  writer_.emplace(ledger::open(cfg_.ledger.string(), std::move(key)));
  return &*writer_;
}

api_response api_handler::operator()(const api_request& req, std::string_view client) {
  if (req.body().size() > body_limit_)
    return error(req, http::status::payload_too_large,
                 "request body of " + std::to_string(req.body().size()) + " bytes exceeds the limit of " +
                     std::to_string(body_limit_));
  // A browser sends the name it resolved: a page of another site whose name now points here is refused before
  // anything is read for it. HTTP/1.0 clients may omit the header; browsers never do.
  const std::string_view host = header_of(req, http::field::host);
  if (host.empty() ? req.version() >= 11 : !host_allowed(cfg_.http, host))
    return error(req, http::status::misdirected_request,
                 "this API answers to localhost, its listen address and http.allowed_hosts only; add the name you "
                 "use to http.allowed_hosts");
  const auto target = parse_target(req.target());
  if (!target) return error(req, http::status::bad_request, "request target is not valid percent-encoded UTF-8");
  const auto seg = path_segments(target->path);
  const bool get = req.method() == http::verb::get;
  request_context ctx{client, target->path, authenticate(cfg_.http.tokens, header_of(req, http::field::authorization))};
  try {
    if (!seg.empty() && seg[0] == "api") {
      // A token that was sent must be valid, whatever the route: a typo'd token is said, not silently ignored.
      if (ctx.auth.presented && !ctx.auth.token) {
        log_refusal(ctx, seg.size() >= 3 && seg[1] == "findings" ? seg[2] : "", ctx.auth.failure);
        return unauthorized(req, ctx.auth.failure);
      }
      if (cfg_.http.reads == read_access::token && !ctx.auth.token) {
        log_refusal(ctx, seg.size() >= 3 && seg[1] == "findings" ? seg[2] : "", "no token");
        return unauthorized(req, "this API needs a token (Authorization: Bearer <token>) for every /api/ request");
      }
    }
    if (seg.size() == 2 && seg[0] == "api" && seg[1] == "findings")
      return get ? findings(req, ctx, target->params) : method_not_allowed(req, "GET");
    if (seg.size() == 3 && seg[0] == "api" && seg[1] == "findings" && seg[2] == "export") {
      if (!get) return method_not_allowed(req, "GET");
      ledger* db = reader();
      if (!db) return error(req, http::status::service_unavailable, ledger_problem_);
      return findings_export(req, *db, cfg_, clock_(), target->params, ctx.auth.token != nullptr);
    }
    if (seg.size() == 3 && seg[0] == "api" && seg[1] == "findings")
      return get ? finding(req, seg[2]) : method_not_allowed(req, "GET");
    if (seg.size() == 4 && seg[0] == "api" && seg[1] == "findings" && seg[3] == "ack")
      return req.method() == http::verb::post ? ack(req, ctx, seg[2]) : method_not_allowed(req, "POST");
    if (seg.size() == 4 && seg[0] == "api" && seg[1] == "dossiers" && seg[3] == "recheck")
      return req.method() == http::verb::post ? recheck(req, ctx, seg[2]) : method_not_allowed(req, "POST");
    if (seg.size() == 3 && seg[0] == "api" && seg[1] == "dossiers")
      return get ? dossier(req, ctx, seg[2]) : method_not_allowed(req, "GET");
    if (seg.size() == 2 && seg[0] == "api" && seg[1] == "sync-rates")
      return get ? sync_rates(req, target->params) : method_not_allowed(req, "GET");
    if (seg.size() == 3 && seg[0] == "api" && seg[1] == "sync-rates" && seg[2] == "monthly")
      return get ? sync_rate_trend(req, target->params) : method_not_allowed(req, "GET");
    if (seg.size() == 2 && seg[0] == "api" && seg[1] == "indicators")
      return get ? indicators(req, target->params) : method_not_allowed(req, "GET");
    if (seg.size() == 2 && seg[0] == "api" && seg[1] == "alerts")
      return get ? alerts(req, target->params) : method_not_allowed(req, "GET");
    if (seg.size() == 2 && seg[0] == "api" && seg[1] == "runs")
      return get ? runs(req, target->params) : method_not_allowed(req, "GET");
    if (seg.size() == 2 && seg[0] == "api" && seg[1] == "status")
      return get ? freshness(req) : method_not_allowed(req, "GET");
    // docs/dashboard.md#labels: the dashboard's words, from the one table the program carries.
    if (seg.size() == 2 && seg[0] == "api" && seg[1] == "labels")
      return get ? json_response(req, http::status::ok, vi_labels()) : method_not_allowed(req, "GET");
    if (target->path == "/healthz") {
      if (!get) return method_not_allowed(req, "GET");
      return json_response(req, http::status::ok,
                           {{"status", "ok"}, {"uptime_s", clock_() - status_.snapshot().started_at}});
    }
    if (target->path == "/readyz") return get ? readyz(req) : method_not_allowed(req, "GET");
    if (target->path == "/metrics") return get ? metrics(req) : method_not_allowed(req, "GET");
    if (const auto* asset = find_dashboard_asset(target->path)) {
      if (!get) return method_not_allowed(req, "GET");
      auto res = respond(req, http::status::ok, std::string(asset->body), asset->content_type);
      res.set(http::field::cache_control, "no-cache");
      if (asset->content_type.starts_with("text/html"))
        res.set("Content-Security-Policy",
                "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'");
      return res;
    }
    return error(req, http::status::not_found, "no such resource: " + target->path);
  } catch (const bad_parameter& e) {
    return error(req, http::status::bad_request, e.what());
  } catch (const std::exception& e) {
    return error(req, http::status::internal_server_error, std::string("ledger query failed: ") + e.what());
  }
}

api_response api_handler::findings(const api_request& req, const request_context& ctx,
                                   const std::map<std::string, std::string>& params) {
  ledger* db = reader();
  if (!db) return error(req, http::status::service_unavailable, ledger_problem_);
  finding_filter f = filter_of(params, cfg_, *db);
  // An applicant's name is personal data: searched only for a token holder, who is shown contact details too
  // (reports/personal_data.hpp); without a token a name finds nothing rather than confirming who applied.
  f.search_applicant = ctx.auth.token != nullptr;
  f.limit = int_param(params, "limit", 100, 1, max_limit);
  f.offset = int_param(params, "offset", 0, 0, std::int64_t{1} << 40);
  const finding_page page = db->list_findings(f);
  nlohmann::json items = nlohmann::json::array();
  for (const auto& row : page.rows) items.push_back(to_json(view_of(*db, row)));
  return json_response(req, http::status::ok, {{"total", page.total}, {"items", std::move(items)}});
}

api_response api_handler::finding(const api_request& req, const std::string& id_text) {
  const auto id = to_int(id_text);
  if (!id || *id <= 0) throw bad_parameter("finding id \"" + id_text + "\" is not a positive integer");
  ledger* db = reader();
  if (!db) return error(req, http::status::service_unavailable, ledger_problem_);
  const auto row = db->get_finding(*id);
  if (!row) return error(req, http::status::not_found, "no finding with id " + id_text);
  nlohmann::json j = to_json(view_of(*db, *row));
  j["events"] = nlohmann::json::array();
  for (const auto& e : db->events_for_finding(*id)) j["events"].push_back(event_json(e));
  return json_response(req, http::status::ok, j);
}

void api_handler::log_refusal(const request_context& ctx, std::string_view finding, std::string_view why) const {
  log::warning("api_auth_failed", {{"client", std::string(ctx.client)},
                                   {"path", ctx.path},
                                   {"finding", std::string(finding)},
                                   {"token", ctx.auth.token ? ctx.auth.token->name : std::string()},
                                   {"reason", std::string(why)}});
}

std::optional<api_response> api_handler::refuse_unless_operator(const api_request& req, const request_context& ctx,
                                                                std::string_view subject, std::string_view what) {
  const std::string doing(what);
  if (cfg_.http.tokens.empty())
    return error(req, http::status::forbidden,
                 doing + " over the API is disabled: the configuration names no http.tokens_file");
  if (!ctx.auth.token) {
    log_refusal(ctx, subject, "no token");
    return unauthorized(req, doing + " needs an operator's token: Authorization: Bearer <token>");
  }
  if (ctx.auth.token->scope != token_scope::ack) {
    log_refusal(ctx, subject, "the token may read but not acknowledge");
    return error(req, http::status::forbidden,
                 "the token of " + ctx.auth.token->name + " may read but not acknowledge findings or recheck dossiers");
  }
  return std::nullopt;
}

// docs/dashboard.md#recheck: fetches the dossier from both portals now and re-evaluates it, under the same token as
// an acknowledgement. The answer waits for both portals (bounded by their timeouts); other requests wait meanwhile.
api_response api_handler::recheck(const api_request& req, const request_context& ctx, const std::string& key_text) {
  if (key_text.size() > 200) throw bad_parameter("dossier key is longer than 200 bytes");
  if (auto refused = refuse_unless_operator(req, ctx, key_text, "rechecking")) return std::move(*refused);
  ledger* db = writer();
  if (!db) return error(req, http::status::service_unavailable, ledger_problem_);
  const recheck_report r = recheck_now(cfg_, *db, key_text, clock_());
  log::info("api_recheck", {{"key", r.key}, {"actor", ctx.auth.token->name}, {"client", std::string(ctx.client)}});
  return json_response(req, r.evaluated ? http::status::ok : http::status::bad_gateway, recheck_json(r));
}

api_response api_handler::ack(const api_request& req, const request_context& ctx, const std::string& id_text) {
  const auto id = to_int(id_text);
  if (!id || *id <= 0) throw bad_parameter("finding id \"" + id_text + "\" is not a positive integer");
  if (auto refused = refuse_unless_operator(req, ctx, id_text, "acknowledging")) return std::move(*refused);
  nlohmann::json body;
  try {
    body = parse_bounded(req.body(), json_limits{body_limit_, 4, ledger::max_ack_note_bytes});
  } catch (const json_error& e) {
    throw bad_parameter(std::string("request body is not valid JSON: ") + e.what());
  }
  if (!body.is_object()) throw bad_parameter("request body must be a JSON object {\"note\": \"…\"}");
  if (!body.contains("note") || !body["note"].is_string() || body["note"].get<std::string>().empty())
    throw bad_parameter("field note must be a non-empty string");
  const std::string note = body["note"].get<std::string>();
  // Who acknowledges is who holds the token; a `by` in the body is not evidence of anything and is ignored.
  const std::string& by = ctx.auth.token->name;
  ledger* db = writer();
  if (!db) return error(req, http::status::service_unavailable, ledger_problem_);
  if (!db->get_finding(*id)) return error(req, http::status::not_found, "no finding with id " + id_text);
  try {
    db->ack(*id, note, by, clock_());
  } catch (const ledger_error& e) {
    throw bad_parameter(e.what());
  }
  log::info("api_ack", {{"finding", id_text}, {"actor", by}, {"client", std::string(ctx.client)}});
  return json_response(req, http::status::ok, to_json(view_of(*db, *db->get_finding(*id))));
}

api_response api_handler::dossier(const api_request& req, const request_context& ctx, const std::string& key_text) {
  if (key_text.size() > 200) throw bad_parameter("dossier key is longer than 200 bytes");
  ledger* db = reader();
  if (!db) return error(req, http::status::service_unavailable, ledger_problem_);
  const std::string key = normalize_code(key_text);
  const auto c = compare_dossier(*db, key, cfg_.successions);
  if (!c) return error(req, http::status::not_found, "no dossier with key " + key);
  // Contact details only for a token holder; the open API shows them masked.
  return json_response(req, http::status::ok, dossier_json(*db, *c, ctx.auth.token == nullptr));
}

api_response api_handler::sync_rates(const api_request& req, const std::map<std::string, std::string>& params) {
  const auto only = period_param(params);
  if (!reader()) return error(req, http::status::service_unavailable, ledger_problem_);
  const auto table = rates_.latest();
  if (!table) return rates_not_ready(req);
  return json_response(req, http::status::ok, sync_rates_json(table->rows(only, cfg_)));
}

// docs/dashboard.md#trend: the monthly rates of one unit (or of the province without `unit`), oldest first, from the
// same table as /api/sync-rates: the rate is computed in one place (reports/sync_rates.hpp).
api_response api_handler::sync_rate_trend(const api_request& req, const std::map<std::string, std::string>& params) {
  ledger* db = reader();
  if (!db) return error(req, http::status::service_unavailable, ledger_problem_);
  const std::string unit = unit_param(params, cfg_, *db);
  const auto table = rates_.latest();
  if (!table) return rates_not_ready(req);
  std::vector<sync_rate_row> rows;
  for (const auto& r : table->months)
    if (unit.empty() ? r.province : !r.province && r.unit_code == unit) rows.push_back(r);
  return json_response(req, http::status::ok,
                       {{"unit_code", unit.empty() ? nlohmann::json(nullptr) : nlohmann::json(unit)},
                        {"months", sync_rates_json(rows)}});
}

// docs/rules.md#indicators, from the same table as the sync rates: never computed per request.
api_response api_handler::indicators(const api_request& req, const std::map<std::string, std::string>& params) {
  const auto only = period_param(params);
  if (!reader()) return error(req, http::status::service_unavailable, ledger_problem_);
  const auto table = rates_.latest();
  if (!table) return rates_not_ready(req);
  return json_response(req, http::status::ok, indicators_json(table->indicators(only)));
}

// docs/dashboard.md#alerts: the alert episodes the service recorded (docs/configuration.md#alerts), codes only; the
// dashboard words them from the label table.
api_response api_handler::alerts(const api_request& req, const std::map<std::string, std::string>& params) {
  const std::int64_t limit = int_param(params, "limit", 20, 1, max_limit);
  ledger* db = reader();
  if (!db) return error(req, http::status::service_unavailable, ledger_problem_);
  const auto episode_json = [](const alert_episode_row& e) {
    return nlohmann::json{
        {"id", e.id},
        {"rule", e.rule},
        {"subject", e.subject},
        {"opened_at", format_vietnam_iso(e.opened_at)},
        {"resolved_at", e.resolved_at ? nlohmann::json(format_vietnam_iso(*e.resolved_at)) : nlohmann::json(nullptr)},
        {"details", e.details.is_null() ? nlohmann::json::object() : e.details}};
  };
  const auto open = db->alert_episodes(true);
  nlohmann::json open_items = nlohmann::json::array(), recent = nlohmann::json::array();
  for (std::size_t i = 0; i < open.size() && static_cast<std::int64_t>(i) < limit; ++i)
    open_items.push_back(episode_json(open[i]));
  for (const auto& e : db->resolved_alert_episodes(static_cast<std::size_t>(limit))) recent.push_back(episode_json(e));
  return json_response(req, http::status::ok,
                       {{"open", std::move(open_items)},
                        {"open_total", static_cast<std::int64_t>(open.size())},
                        {"recent", std::move(recent)}});
}

api_response api_handler::runs(const api_request& req, const std::map<std::string, std::string>& params) {
  const std::int64_t limit = int_param(params, "limit", 50, 1, max_limit);
  ledger* db = reader();
  if (!db) return error(req, http::status::service_unavailable, ledger_problem_);
  std::int64_t latest = 0;
  for (const run_mode m : {run_mode::offline, run_mode::service})
    if (const auto r = db->last_run(m)) latest = std::max(latest, r->id);
  finding_filter open;
  open.states = {std::string(state::open), std::string(state::reopened)};
  open.limit = 1;
  // Runs store what changed, not what stood: walk back from today's open count, undoing each run's changes.
  std::int64_t open_after = db->list_findings(open).total;
  std::vector<nlohmann::json> items;
  for (std::int64_t id = latest; id > 0 && static_cast<std::int64_t>(items.size()) < limit; --id) {
    const auto r = db->get_run(id);
    if (!r) continue;
    items.push_back(
        {{"id", r->id},
         {"mode", run_mode_name(r->mode)},
         {"status", run_status_name(r->status)},
         {"started_at", format_vietnam_iso(r->started_at)},
         {"ended_at", r->ended_at ? nlohmann::json(format_vietnam_iso(*r->ended_at)) : nlohmann::json(nullptr)},
         {"as_of", format_vietnam_iso(r->as_of)},
         {"provincial_read", r->provincial_read},
         {"national_read", r->national_read},
         {"raised", r->raised},
         {"resolved", r->resolved},
         {"reopened", r->reopened},
         {"errors", r->errors},
         {"open_after", open_after}});
    open_after = open_after - r->raised - r->reopened + r->resolved;
  }
  std::reverse(items.begin(), items.end());
  return json_response(req, http::status::ok, {{"items", std::move(items)}});
}

api_response api_handler::freshness(const api_request& req) {
  ledger* db = reader();
  if (!db) return error(req, http::status::service_unavailable, ledger_problem_);
  return json_response(req, http::status::ok, data_status_json(data_status_of(*db, clock_(), cfg_.ready_max_age_s())));
}

api_response api_handler::readyz(const api_request& req) {
  std::vector<std::string> why;
  if (!reader()) {
    why.push_back(ledger_problem_);
  } else {
    try {
      reader_->schema_version();
    } catch (const std::exception& e) {
      why.push_back(std::string("ledger cannot be read: ") + e.what());
    }
  }
  const instant now = clock_();
  const std::int64_t max_age = cfg_.ready_max_age_s();
  const service_status status = status_.snapshot();
  for (const side s : {side::provincial, side::national}) {
    const auto& st = status.of(s);
    const std::string name(side_name(s));
    if (!st.last_success)
      why.push_back(name + " has not been polled successfully yet");
    else if (now - *st.last_success > max_age)
      why.push_back(name + " last polled successfully " + std::to_string(now - *st.last_success) +
                    " s ago, more than " + std::to_string(max_age) + " s" +
                    (st.last_error.empty() ? "" : " (" + st.last_error + ")"));
  }
  if (status.stopping) why.push_back("the service is stopping");
  if (why.empty()) return json_response(req, http::status::ok, {{"ready", true}});
  return json_response(req, http::status::service_unavailable, {{"ready", false}, {"why", why}});
}

api_response api_handler::metrics(const api_request& req) {
  const instant now = clock_();
  ledger* db = reader();
  if (!db) {
    figures_.reset();
  } else if (!figures_ || now - figures_at_ >= metrics_cache_s || now < figures_at_) {
    try {
      ledger_figures f;
      const auto counts = db->count_findings();
      for (const auto kind : all_kinds())
        for (const auto st : {state::open, state::resolved, state::reopened}) {
          const auto it = counts.find({kind, std::string(st)});
          f.findings[{std::string(kind_name(kind)), std::string(st)}] = it == counts.end() ? 0 : it->second;
        }
      // The quarter's rows come from the table the dashboard also reads; none until it is first computed.
      if (const auto table = rates_.latest())
        f.sync_rates = table->rows(period::of(now, period::granularity::quarter), cfg_);
      f.sizes = db->file_sizes();
      figures_ = std::move(f);
      figures_at_ = now;
    } catch (const std::exception&) {
      figures_.reset();  // dvcrecon_ledger_up 0 says so; the service's own figures are still worth scraping
    }
  }
  return respond(req, http::status::ok, render_metrics(status_.snapshot(), figures_, now),
                 "text/plain; version=0.0.4; charset=utf-8");
}

}  // namespace dvc
