// The provincial portal's endpoints in both shapes: the token, the listing and one dossier by its code, for the
// current source and, under /legacy, the legacy one (docs/simulator.md#legacy-source).
#include <algorithm>
#include <cctype>

#include "reconcile/json_writer.hpp"
#include "sim/civil_time.hpp"
#include "sim/http_parts.hpp"
#include "sim/portal_service.hpp"

namespace dvc::sim {
namespace {

constexpr std::int64_t max_page_size = 1000;

reply bad_request(std::string_view message) { return rest_error(http::status::bad_request, "bad_request", message); }

// page (from 0) and size (1–1000) of a listing; nullopt with the answer when one is out of range.
struct paging {
  std::int64_t page = 0, size = 20;
  std::optional<reply> refusal;
};

paging read_paging(std::string_view query) {
  paging p;
  if (auto text = param(query, "page", false)) {
    const auto v = integer(*text);
    if (!v || *v < 0) return {0, 0, bad_request("page: a whole number from 0 is expected")};
    p.page = std::min<std::int64_t>(*v, INT32_MAX);
  }
  if (auto text = param(query, "size", false)) {
    const auto v = integer(*text);
    if (!v || *v < 1 || *v > max_page_size) return {0, 0, bad_request("size: must be between 1 and 1000")};
    p.size = *v;
  }
  return p;
}

}  // namespace

// Contract: client credentials. Shape B: a password grant, with the client secret only when the client sends it.
reply portal_service::token(const http::request<http::string_body>& request, provincial_source source) {
  const std::string_view body = request.body();
  const bool password_grant = shape_ == wire_shape::b;
  const std::string expected = password_grant ? "password" : "client_credentials";
  if (param(body, "grant_type", true) != expected) {
    return answer(http::status::bad_request, nlohmann::json{{"error", "unsupported_grant_type"},
                                                            {"error_description", "grant_type must be " + expected}}
                                                 .dump());
  }
  const auto secret = param(body, "client_secret", true);
  const bool client_ok = param(body, "client_id", true) == creds_.client_id &&
                         (password_grant && !secret ? true : secret == creds_.client_secret);
  if (!client_ok) {
    return answer(http::status::unauthorized,
                  R"({"error":"invalid_client","error_description":"unknown client or wrong secret"})");
  }
  if (password_grant && (param(body, "username", true) != creds_.provincial_username ||
                         param(body, "password", true) != creds_.provincial_password)) {
    return answer(http::status::bad_request, R"({"error":"invalid_grant","error_description":"Bad credentials"})");
  }
  const auto key = issue(tokens_of(source), faults_.token_ttl);
  const auto expires = faults_.token_ttl.by == lifetime::measure::seconds ? faults_.token_ttl.amount : 300u;
  return answer(http::status::ok, nlohmann::json{{"access_token", key},
                                                 {"token_type", password_grant ? "bearer" : "Bearer"},
                                                 {"expires_in", expires},
                                                 {"scope", "dossier.read"}}
                                      .dump());
}

// 401 unless the request carries a live token.
std::optional<reply> portal_service::refuse_token(const http::request<http::string_body>& request,
                                                  provincial_source source) {
  const auto auth = request[http::field::authorization];
  const std::string_view a(auth.data(), auth.size());
  constexpr std::string_view scheme = "Bearer ";
  const bool ok = a.size() > scheme.size() &&
                  std::equal(scheme.begin(), scheme.end(), a.begin(),
                             [](char x, char y) { return std::tolower(x) == std::tolower(y); }) &&
                  valid(tokens_of(source), std::string(a.substr(scheme.size())), faults_.token_ttl);
  if (ok) return std::nullopt;
  auto r = rest_error(http::status::unauthorized, "invalid_token", "access token missing, invalid or expired");
  r.response.set(http::field::www_authenticate, "Bearer error=\"invalid_token\"");
  return r;
}

// Contract: records updated at or after updatedFrom, oldest first, with totals.
reply portal_service::provincial_list(std::string_view query, provincial_source source) {
  page_query q;
  q.side = portal::provincial;
  q.source = source;
  if (auto from = param(query, "updatedFrom", false); from && !from->empty()) {
    const auto t = read_iso(*from);
    if (!t) return bad_request("updatedFrom: not an ISO 8601 date-time: " + *from);
    q.from = *t;
  }
  const auto p = read_paging(query);
  if (p.refusal) return *p.refusal;
  if (auto agency = param(query, "agencyCode", false); agency && !agency->empty()) {
    q.unit = world_.province().unit_index(*agency).value_or(UINT16_MAX);
  }
  return provincial_page(q, p.page, p.size);
}

// Shape B: every record, newest first, no time filter and no totals.
reply portal_service::platform_search(std::string_view query, provincial_source source) {
  if (param(query, "spec", false) != "slice") return bad_request("spec: only slice is supported");
  if (param(query, "sort", false) != "updatedDate,desc") return bad_request("sort: only updatedDate,desc is supported");
  const auto p = read_paging(query);
  if (p.refusal) return *p.refusal;
  page_query q;
  q.side = portal::provincial;
  q.source = source;
  q.descending = true;
  if (auto agency = param(query, "agency-code", false); agency && !agency->empty()) {
    q.unit = world_.province().unit_index(*agency).value_or(UINT16_MAX);
  }
  return provincial_page(q, p.page, p.size);
}

reply portal_service::provincial_page(const page_query& window, std::int64_t page, std::int64_t size) {
  page_query q = window;
  q.limit = static_cast<std::size_t>(size);
  q.offset = static_cast<std::size_t>(page) * q.limit;
  maybe_drift(q, page == 0);
  const auto result = world_.page(q);

  std::string body;
  body.reserve(result.records.size() * 2200 + 128);
  json_writer j(body);
  j.begin_object().key("content").begin_array();
  for (const auto idx : result.records) render_provincial(idx, q.source, j);
  j.end_array();
  const auto total = static_cast<std::int64_t>(result.total);
  if (shape_ == wire_shape::contract) {
    j.key("page").num(page).key("size").num(size).key("totalElements").num(total);
    j.key("totalPages").num((total + size - 1) / size);
  } else {
    const auto served = static_cast<std::int64_t>(result.records.size());
    j.key("number").num(page).key("size").num(size).key("numberOfElements").num(served);
    j.key("last").boolean(static_cast<std::int64_t>(q.offset) + served >= total);
  }
  j.end_object();
  return answer(http::status::ok, std::move(body));
}

reply portal_service::provincial_one(std::string_view code, provincial_source source) {
  const auto idx = world_.find(code);
  if (!idx || !world_.serves(*idx, source)) {
    return rest_error(http::status::not_found, "not_found", "no dossier with code " + std::string(code));
  }
  std::string body;
  json_writer j(body);
  render_provincial(*idx, source, j);
  return answer(http::status::ok, std::move(body));
}

void portal_service::render_provincial(std::uint32_t idx, provincial_source source, json_writer& j) {
  if (source == provincial_source::current) {
    render(world_, idx, portal::provincial, shape_, j);
    return;
  }
  world_.as_legacy_copy(idx, [&](const world& w) { render(w, idx, portal::provincial, shape_, j); });
}

}  // namespace dvc::sim
