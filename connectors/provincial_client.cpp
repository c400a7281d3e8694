#include "connectors/provincial_client.hpp"

#include <algorithm>
#include <stdexcept>

#include "connectors/header_value.hpp"
#include "connectors/keyset_pager.hpp"
#include "connectors/page_loop.hpp"
#include "connectors/portal_support.hpp"
#include "connectors/retry_loop.hpp"

namespace dvc {
namespace asio = boost::asio;
namespace http = boost::beast::http;

namespace {

constexpr std::size_t max_page_size = 1000;  // `size` at most (docs/wire-formats.md, provincial calls)

// `base_url`'s path without a trailing slash, so `/dossiers` can follow it.
std::string base_path(const endpoint_url& base) {
  std::string path = base.target;
  while (!path.empty() && path.back() == '/') path.pop_back();
  return path;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](unsigned char x, unsigned char y) {
    return (x >= 'A' && x <= 'Z' ? x + 32 : x) == (y >= 'A' && y <= 'Z' ? y + 32 : y);
  });
}

maybe_instant updated_of(const nlohmann::json& record) {
  const std::string text = string_field(record, "updatedDate");
  if (text.empty()) return std::nullopt;
  try {
    return parse_iso_time(text);
  } catch (const std::invalid_argument&) {
    return std::nullopt;  // handed out anyway; the caller's mapping reports the bad field
  }
}

}  // namespace

provincial_client::provincial_client(asio::any_io_executor executor, provincial_config config, connector_env env)
    : executor_(std::move(executor)), config_(std::move(config)), env_(std::move(env)) {}

std::optional<connector_error> provincial_client::validate(const provincial_config& config) {
  const auto base = parse_endpoint_url(config.base_url);
  if (!base) return config_error("provincial.base_url", base.error().message);
  if (base.value().target.find('?') != std::string::npos)
    return config_error("provincial.base_url", "must not carry a query; `/dossiers?…` is appended to it.");
  const auto token = parse_endpoint_url(config.token_url);
  if (!token) return config_error("provincial.token_url", token.error().message);
  if (config.client_id.empty()) return config_error("provincial.client_id", "is empty.");
  if (config.client_secret.empty()) return config_error("provincial.client_secret", "is empty.");
  if (config.page_size == 0 || config.page_size > max_page_size)
    return config_error("provincial.page_size",
                        "must be within 1..1000, not " + std::to_string(config.page_size) + ".");
  if (config.max_pages == 0) return config_error("provincial.max_pages", "must be at least 1.");
  if (config.retry.max_attempts == 0) return config_error("provincial.retry.max_attempts", "must be at least 1.");
  return check_ca_file("provincial.ca_file", config.http.ca_file);
}

asio::awaitable<std::optional<connector_error>> provincial_client::ensure_setup() {
  if (api_) co_return std::nullopt;
  if (auto problem = validate(config_)) co_return problem;
  base_ = parse_endpoint_url(config_.base_url).value();
  token_url_ = parse_endpoint_url(config_.token_url).value();
  auto api = http_client::create(executor_, *base_, config_.http);
  if (!api) co_return api.error();
  if (token_url_->origin() != base_->origin()) {
    auto token = http_client::create(executor_, *token_url_, config_.http);
    if (!token) co_return token.error();
    token_endpoint_ = std::move(token).value();
  }
  api_ = std::move(api).value();
  co_return std::nullopt;
}

asio::awaitable<std::optional<connector_error>> provincial_client::fetch_token() {
  http_client& endpoint = token_endpoint_ ? *token_endpoint_ : *api_;
  http_call call;
  call.method = http::verb::post;
  call.target = token_url_->target;
  call.content_type = "application/x-www-form-urlencoded";
  call.body = "grant_type=client_credentials&client_id=" + percent_encode(config_.client_id) +
              "&client_secret=" + percent_encode(config_.client_secret);
  call.description = "POST " + token_url_->text() + " (token request)";
  auto answer = co_await endpoint.send(call);
  if (!answer) co_return answer.error();
  const http_response& response = answer.value();
  if (response.status == 400 || response.status == 401 || response.status == 403) {
    co_return connector_error{
        error_kind::auth,
        call.description + ": the client credentials were refused (HTTP " + std::to_string(response.status) + ").",
        response.status};
  }
  if (response.status != 200) co_return status_error(response, call.description);
  auto body = parse_body(response.body, config_.http, call.description);
  if (!body) co_return body.error();
  const nlohmann::json& token = body.value();
  const std::string access = string_field(token, "access_token");
  if (access.empty())
    co_return connector_error{error_kind::malformed, call.description + ": the answer has no `access_token`."};
  if (!is_b64token(access))
    co_return connector_error{error_kind::auth, call.description +
                                                    ": the access_token has characters outside the RFC 6750 token "
                                                    "alphabet; refused, never sent."};
  if (const std::string type = string_field(token, "token_type");
      !type.empty() && !equals_ignoring_case(type, "bearer"))
    co_return connector_error{error_kind::protocol,
                              call.description + ": token_type is '" + type + "', only Bearer is supported."};
  std::int64_t lifetime = 300;  // docs/wire-formats.md#token; a server that omits `expires_in` gets renewed as often
  if (const auto it = token.find("expires_in"); it != token.end()) {
    if (!it->is_number_integer() || it->get<std::int64_t>() <= 0)
      co_return connector_error{error_kind::malformed,
                                call.description + ": `expires_in` is not a positive whole number of seconds."};
    lifetime = it->get<std::int64_t>();
  }
  // Renew a little early, but never so early that a short-lived token is renewed before every call.
  const auto margin = std::min<std::int64_t>(config_.token_refresh_margin.count(), lifetime / 2);
  token_ = access;
  token_renew_at_ = env_.steady_now() + std::chrono::seconds(lifetime - margin);
  ++tokens_fetched_;
  co_return std::nullopt;
}

asio::awaitable<result<http_response>> provincial_client::authorized_get(const std::string& target,
                                                                         const std::string& description) {
  for (int renewal = 0;; ++renewal) {
    if (token_.empty() || env_.steady_now() >= token_renew_at_) {
      if (auto failure = co_await fetch_token()) co_return std::move(*failure);
    }
    http_call call;
    call.target = target;
    call.headers.emplace_back("Authorization", "Bearer " + token_);
    call.description = description;
    auto answer = co_await api_->send(call);
    if (!answer) co_return answer.error();
    if (answer.value().status != 401) co_return answer;
    token_.clear();  // expired or revoked: renew once, then give up
    if (renewal == 1)
      co_return connector_error{error_kind::auth, description + ": HTTP 401 even with a freshly issued token.", 401};
  }
}

asio::awaitable<result<nlohmann::json>> provincial_client::get_json(const std::string& target,
                                                                    const std::string& description) {
  auto answer = co_await authorized_get(target, description);
  if (!answer) co_return answer.error();
  const http_response& response = answer.value();
  if (response.status == 404) co_return nlohmann::json();
  if (response.status != 200) co_return status_error(response, description);
  co_return parse_body(response.body, config_.http, description);
}

asio::awaitable<result<poll_result>> provincial_client::list_changed(instant updated_from, record_sink sink,
                                                                     std::string agency_code, progress_sink progress) {
  if (auto problem = co_await ensure_setup()) co_return std::move(*problem);
  keyset_pager pager(updated_from, config_.page_size);
  const std::string prefix = base_path(*base_) + "/dossiers?updatedFrom=";
  const auto target_of = [&](const page_query& query) {
    std::string target = prefix + percent_encode(format_utc_iso(query.from)) + "&page=" + std::to_string(query.page) +
                         "&size=" + std::to_string(config_.page_size);
    if (!agency_code.empty()) target += "&agencyCode=" + percent_encode(agency_code);
    return target;
  };
  page_source source{"provincial", base_->origin(), config_.max_pages, "id", updated_of, "totalElements", {}, {}};
  source.describe = [&](const page_query& query) { return "GET " + base_->origin() + target_of(query); };
  source.fetch = [&](const page_query& query, const std::string& description) {
    return with_retry<parsed_page>(
        config_.retry, env_, [this, target = target_of(query), &description]() -> asio::awaitable<result<parsed_page>> {
          auto answer = co_await authorized_get(target, description);
          if (!answer) co_return answer.error();
          if (answer.value().status != 200) co_return status_error(answer.value(), description);
          auto parsed = parse_page(answer.value().body, "content", "id", config_.http, description);
          if (!parsed) co_return parsed;
          if (!parsed.value().records_found || !parsed.value().page.envelope.is_object())
            co_return connector_error{error_kind::malformed, description + ": the page has no `content` array."};
          co_return parsed;
        });
  };
  auto out = co_await read_pages(pager, source, sink, progress);
  if (!out) co_return out;
  out.value().cursor = pager.max_seen();
  co_return out;
}

asio::awaitable<result<std::optional<nlohmann::json>>> provincial_client::get(std::string code) {
  if (auto problem = co_await ensure_setup()) co_return std::move(*problem);
  const std::string target = base_path(*base_) + "/dossiers/" + percent_encode(code);
  const std::string description = "GET " + base_->origin() + target;
  auto body = co_await with_retry<nlohmann::json>(config_.retry, env_, [&]() { return get_json(target, description); });
  if (!body) co_return body.error();
  if (body.value().is_null()) co_return std::optional<nlohmann::json>{};
  if (!body.value().is_object())
    co_return connector_error{error_kind::malformed, description + ": the answer is not a JSON object."};
  co_return std::optional<nlohmann::json>(std::move(body).value());
}

asio::awaitable<void> provincial_client::close() {
  if (api_) co_await api_->close();
  if (token_endpoint_) co_await token_endpoint_->close();
}

}  // namespace dvc
