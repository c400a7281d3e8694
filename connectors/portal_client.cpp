#include "connectors/portal_client.hpp"

#include <algorithm>
#include <stdexcept>

#include "connectors/descending_pager.hpp"
#include "connectors/header_value.hpp"
#include "connectors/keyset_pager.hpp"
#include "connectors/page_loop.hpp"
#include "connectors/retry_loop.hpp"

namespace dvc {
namespace asio = boost::asio;
namespace http = boost::beast::http;

namespace {

constexpr std::size_t max_quoted_message = 200;

// `base_url`'s path without a trailing slash, so a profile's path can follow it.
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

// A code or flag as text whether the portal sent a string or a number; nullopt when absent or of another type.
std::optional<std::string> text_at(const nlohmann::json& body, const json_path& path) {
  const nlohmann::json* v = find_at(body, path);
  if (!v) return std::nullopt;
  if (v->is_string()) return v->get<std::string>();
  if (v->is_number_integer()) return std::to_string(v->get<std::int64_t>());
  return std::nullopt;
}

bool listed(const std::vector<std::string>& codes, const std::string& code) {
  return std::find(codes.begin(), codes.end(), code) != codes.end();
}

// A record's update time by the profile's `list.updated`; nullopt when absent or unreadable (the record is handed
// out anyway, and the caller's mapping reports the bad field).
updated_reader updated_of(const list_spec& list) {
  return [path = list.updated, format = list.updated_format](const nlohmann::json& record) -> maybe_instant {
    const nlohmann::json* v = find_at(record, path);
    if (!v) return std::nullopt;
    try {
      if (v->is_string()) return parse_time(v->get<std::string>(), format);
      if (v->is_number_integer()) return parse_time(v->dump(), format);
    } catch (const std::invalid_argument&) {
    }
    return std::nullopt;
  };
}

// Whether the portal marks `page` (0-based, of `size` records asked) the last one (docs/profiles.md#list, `end`);
// an error naming the member when the answer lacks it.
result<bool> is_last_page(const list_spec& list, const page_content& page, std::size_t index, std::size_t size,
                          const std::string& description) {
  if (list.end == list_end::short_page) return page.records.size() < size;
  const nlohmann::json* v = find_at(page.envelope, list.end_path);
  const auto missing = [&](const char* what) {
    return connector_error{error_kind::malformed,
                           description + ": the page has no `" + json_path_text(list.end_path) + "` " + what + "."};
  };
  if (list.end == list_end::last) {
    if (!v || !v->is_boolean()) return missing("(true or false)");
    return v->get<bool>();
  }
  if (!v || !v->is_number_integer() || v->get<std::int64_t>() < 0) return missing("(a whole number)");
  const auto total = v->get<std::uint64_t>();
  return list.end == list_end::total_pages ? index + 1 >= total : (index + 1) * size >= total;
}

}  // namespace

portal_client::portal_client(asio::any_io_executor executor, transport_profile profile, portal_config config,
                             connector_env env)
    : executor_(std::move(executor)), profile_(std::move(profile)), config_(std::move(config)), env_(std::move(env)) {}

std::optional<connector_error> portal_client::validate(const transport_profile& profile, const portal_config& config) {
  const std::string side = profile.side + ".";
  const auto base = parse_endpoint_url(config.base_url);
  if (!base) return config_error(side + "base_url", base.error().message);
  if (base.value().target.find('?') != std::string::npos)
    return config_error(side + "base_url", "must not carry a query; the profile's paths and queries follow it.");
  const bool token = profile.auth.grant != auth_grant::session;
  if (token) {
    const auto token_url = parse_endpoint_url(config.token_url);
    if (!token_url) return config_error(side + "token_url", token_url.error().message);
  }
  // What the grant sends, then what the templates name (docs/profiles.md#auth).
  const auto needs = [&](bool needed, const std::string& value, const char* key) -> std::optional<connector_error> {
    if (needed && value.empty()) return config_error(side + key, "is empty.");
    return std::nullopt;
  };
  for (const auto& problem :
       {needs(token || profile.uses(placeholder::client_id), config.client_id, "client_id"),
        needs(profile.auth.grant == auth_grant::client_credentials, config.client_secret, "client_secret"),
        needs(profile.auth.grant == auth_grant::password || profile.uses(placeholder::username), config.username,
              "username"),
        needs(profile.auth.grant == auth_grant::password || profile.uses(placeholder::password), config.password,
              "password"),
        needs(profile.uses(placeholder::dstcode), config.dstcode, "dstcode"),
        needs(profile.uses(placeholder::madonvi), config.madonvi, "madonvi")})
    if (problem) return problem;
  template_values values;
  values.username = config.username;
  values.client_id = config.client_id;
  values.dstcode = config.dstcode;
  values.madonvi = config.madonvi;
  for (const auto& [name, value] : profile.headers) {
    if (value.uses(placeholder::password)) continue;  // checked when sent, never quoted
    if (!is_header_value(value.expand(values)))
      return config_error(side + "headers", "header " + name + " would carry a control character.");
  }
  if (profile.list && (config.page_size == 0 || config.page_size > profile.list->max_page_size))
    return config_error(side + "page_size", "must be within 1.." + std::to_string(profile.list->max_page_size) +
                                                ", not " + std::to_string(config.page_size) + ".");
  if (config.max_pages == 0) return config_error(side + "max_pages", "must be at least 1.");
  if (config.retry.max_attempts == 0) return config_error(side + "retry.max_attempts", "must be at least 1.");
  return check_ca_file(side + "ca_file", config.http.ca_file);
}

asio::awaitable<std::optional<connector_error>> portal_client::ensure_setup() {
  if (api_) co_return std::nullopt;
  if (auto problem = validate(profile_, config_)) co_return problem;
  base_ = parse_endpoint_url(config_.base_url).value();
  auto api = http_client::create(executor_, *base_, config_.http);
  if (!api) co_return api.error();
  if (profile_.auth.grant != auth_grant::session) {
    token_url_ = parse_endpoint_url(config_.token_url).value();
    if (token_url_->origin() != base_->origin()) {
      auto endpoint = http_client::create(executor_, *token_url_, config_.http);
      if (!endpoint) co_return endpoint.error();
      token_endpoint_ = std::move(endpoint).value();
    }
  }
  api_ = std::move(api).value();
  co_return std::nullopt;
}

template_values portal_client::base_values() const {
  template_values v;
  v.size = config_.page_size;
  v.session = session_;
  v.username = config_.username;
  v.password = config_.password;
  v.client_id = config_.client_id;
  v.dstcode = config_.dstcode;
  v.madonvi = config_.madonvi;
  return v;
}

std::string portal_client::target_of(const request_template& request, const template_values& values) const {
  std::string target =
      request.path.text().empty() ? base_->target : base_path(*base_) + request.path.expand(values, true);
  for (const auto& [name, value] : request.query) {
    if (value.is_exactly(placeholder::unit) && values.unit.empty()) continue;  // docs/profiles.md#templates
    target += target.find('?') == std::string::npos ? '?' : '&';
    target += percent_encode(name) + "=" + value.expand(values, true);
  }
  return target;
}

http_call portal_client::build(const request_template& request, const template_values& values) const {
  http_call call;
  call.method = request.method == http_method::post ? http::verb::post : http::verb::get;
  call.target = target_of(request, values);
  if (request.body) {
    call.body = request.body->expand(values).dump();
    call.content_type = "application/json";
  }
  if (profile_.protocol == portal_protocol::rest) call.headers.emplace_back("Authorization", "Bearer " + token_);
  for (const auto& [name, value] : profile_.headers) call.headers.emplace_back(name, value.expand(values));
  return call;
}

// `GET https://host/path?query`; an adapter's call adds what its body asks for — its literal members (the service)
// and the members carrying the window, page or code — never a session or a credential.
std::string portal_client::describe(const request_template& request, const template_values& values) const {
  std::string out = std::string(request.method == http_method::post ? "POST " : "GET ") + base_->origin() +
                    target_of(request, values);
  if (!request.body) return out;
  for (const auto& [name, value] : request.body->members()) {
    if (value.literal())
      out += " " + value.text();
    else if (value.uses(placeholder::since) || value.uses(placeholder::until) || value.uses(placeholder::page) ||
             value.uses(placeholder::code))
      out += " " + name + "=" + value.expand(values);
  }
  return out;
}

asio::awaitable<std::optional<connector_error>> portal_client::fetch_token() {
  http_client& endpoint = token_endpoint_ ? *token_endpoint_ : *api_;
  http_call call;
  call.method = http::verb::post;
  call.target = token_url_->target;
  call.content_type = "application/x-www-form-urlencoded";
  if (profile_.auth.grant == auth_grant::password) {
    call.body = "grant_type=password&client_id=" + percent_encode(config_.client_id) +
                "&username=" + percent_encode(config_.username) + "&password=" + percent_encode(config_.password);
    if (!config_.client_secret.empty()) call.body += "&client_secret=" + percent_encode(config_.client_secret);
  } else {
    call.body = "grant_type=client_credentials&client_id=" + percent_encode(config_.client_id) +
                "&client_secret=" + percent_encode(config_.client_secret);
  }
  call.description = "POST " + token_url_->text() + " (token request)";
  auto answer = co_await endpoint.send(call);
  if (!answer) co_return answer.error();
  const http_response& response = answer.value();
  if (response.status == 400 || response.status == 401 || response.status == 403) {
    co_return connector_error{
        error_kind::auth,
        call.description + ": the " +
            (profile_.auth.grant == auth_grant::password ? "password grant" : "client credentials") +
            " were refused (HTTP " + std::to_string(response.status) + ").",
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
  std::int64_t lifetime = 300;  // docs/profiles.md#auth; a server that omits `expires_in` gets renewed as often
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
  ++logins_;
  co_return std::nullopt;
}

asio::awaitable<std::optional<connector_error>> portal_client::log_in() {
  const template_values values = base_values();
  http_call call = build(profile_.auth.login, values);
  call.description = describe(profile_.auth.login, values) + " as '" + config_.username + "'";
  auto answer = co_await api_->send(call);
  if (!answer) co_return answer.error();
  if (answer.value().status != 200) co_return status_error(answer.value(), call.description);
  auto body = parse_body(answer.value().body, config_.http, call.description);
  if (!body) co_return body.error();
  const nlohmann::json& reply = body.value();
  const error_spec& errors = profile_.errors;
  const auto code = text_at(reply, errors.code);
  if (!reply.is_object() || !code)
    co_return connector_error{error_kind::malformed,
                              call.description + ": the answer has no `" + json_path_text(errors.code) + "`."};
  if (!listed(errors.ok, *code)) {
    std::string message = text_at(reply, errors.message).value_or("");
    if (message.size() > max_quoted_message) message = message.substr(0, max_quoted_message) + "…";
    co_return connector_error{error_kind::auth, call.description + ": log-in refused (" + json_path_text(errors.code) +
                                                    " " + *code + ")" +
                                                    (message.empty() ? "" : " ('" + message + "')") + "."};
  }
  const std::string session = text_at(reply, profile_.auth.session).value_or("");
  if (session.empty())
    co_return connector_error{error_kind::malformed, call.description + ": the answer has no `" +
                                                         json_path_text(profile_.auth.session) + "`."};
  if (!is_b64token(session))
    co_return connector_error{error_kind::auth, call.description +
                                                    ": the session has characters outside the RFC 6750 token "
                                                    "alphabet; refused, never sent."};
  session_ = session;
  ++logins_;
  co_return std::nullopt;
}

asio::awaitable<std::optional<connector_error>> portal_client::ensure_credentials() {
  if (profile_.auth.grant == auth_grant::session) {
    if (session_.empty()) co_return co_await log_in();
  } else if (token_.empty() || env_.steady_now() >= token_renew_at_) {
    co_return co_await fetch_token();
  }
  co_return std::nullopt;
}

asio::awaitable<result<portal_client::exchanged>> portal_client::exchange(const request_template& request,
                                                                          template_values values,
                                                                          const std::string& description,
                                                                          const json_path* records, bool accept_404) {
  const bool adapter = profile_.protocol == portal_protocol::adapter;
  for (int renewal = 0;; ++renewal) {
    if (auto failure = co_await ensure_credentials()) co_return std::move(*failure);
    values.session = session_;
    http_call call = build(request, values);
    call.description = description;
    auto sent = co_await api_->send(call);
    if (!sent) co_return sent.error();
    const http_response& response = sent.value();
    if (!adapter && response.status == 401) {
      token_.clear();  // expired or revoked: renew once, then give up
      if (renewal == 1)
        co_return connector_error{error_kind::auth, description + ": HTTP 401 even with a freshly issued token.", 401};
      continue;
    }
    exchanged out;
    if (accept_404 && response.status == 404) {
      out.missing = true;
      co_return out;
    }
    if (response.status != 200) co_return status_error(response, description);
    if (records) {
      auto page = parse_page(response.body, *records, profile_.list->id, config_.http, description);
      if (!page) co_return page.error();
      out.parsed = std::move(page).value();
    } else {
      auto whole = parse_body(response.body, config_.http, description);
      if (!whole) co_return whole.error();
      out.parsed.page.envelope = std::move(whole).value();
    }
    if (!adapter) co_return out;

    // docs/profiles.md#protocols: an adapter answers HTTP 200 and says in the body what happened.
    const nlohmann::json& reply = out.parsed.page.envelope;
    const error_spec& errors = profile_.errors;
    const auto code = text_at(reply, errors.code);
    if (!reply.is_object() || !code)
      co_return connector_error{error_kind::malformed,
                                description + ": the answer has no `" + json_path_text(errors.code) + "`."};
    std::string message = text_at(reply, errors.message).value_or("");
    if (listed(errors.ok, *code) ||
        std::any_of(errors.ok_when.begin(), errors.ok_when.end(), [&](const error_spec::exception& e) {
          return e.code == *code && message.find(e.message_contains) != std::string::npos;
        }))
      co_return out;
    const std::string code_text = json_path_text(errors.code) + " " + *code;
    if (listed(errors.session_expired, *code)) {
      session_.clear();  // expired or invalid: log in again once
      if (renewal == 0) continue;
      co_return connector_error{
          error_kind::auth,
          description + ": the session was refused again right after logging in (" + code_text + ")."};
    }
    if (message.size() > max_quoted_message) message = message.substr(0, max_quoted_message) + "…";
    const std::string quoted = message.empty() ? "" : " ('" + message + "')";
    if (listed(errors.bad_request, *code))
      co_return connector_error{error_kind::rejected, description + ": the portal rejected the parameters (" +
                                                          code_text + ")" + quoted + "."};
    co_return connector_error{error_kind::portal,
                              description + ": the portal reported a failure (" + code_text + ")" + quoted + "."};
  }
}

asio::awaitable<result<poll_result>> portal_client::list_changed(instant since, instant until, record_sink sink,
                                                                 std::string unit, progress_sink progress) {
  if (!profile_.list)
    co_return connector_error{error_kind::config, profile_.side + " profile " + profile_.name +
                                                      " has no `list`: that portal can only look dossiers up."};
  if (auto problem = co_await ensure_setup()) co_return std::move(*problem);
  const list_spec& list = *profile_.list;
  if (list.filter == list_filter::window && since > until)
    co_return connector_error{error_kind::config, "The " + profile_.side + " listing window starts (" +
                                                      format_time(since, list.time_format) + ") after it ends (" +
                                                      format_time(until, list.time_format) + ")."};
  const std::string until_text = list.filter == list_filter::window ? format_time(until, list.time_format) : "";
  const auto values_of = [&](const page_query& query) {
    template_values v = base_values();
    if (list.filter != list_filter::none) v.since = format_time(query.from, list.time_format);
    v.until = until_text;
    v.page = query.page + list.page_base;
    v.unit = unit;
    return v;
  };
  page_source source{profile_.side, base_->origin(), config_.max_pages, list.id, updated_of(list), {}, {}, {}, {}};
  if (list.end == list_end::total_records) source.total_records = list.end_path;
  if (list.end == list_end::total_pages) source.total_pages = list.end_path;
  source.describe = [&](const page_query& query) { return describe(list.request, values_of(query)); };
  source.fetch = [&](const page_query& query, const std::string& description) {
    return with_retry<parsed_page>(
        config_.retry, env_,
        [this, &list, &description, query, values = values_of(query)]() -> asio::awaitable<result<parsed_page>> {
          auto answer = co_await exchange(list.request, values, description, &list.records, false);
          if (!answer) co_return answer.error();
          parsed_page& parsed = answer.value().parsed;
          if (!parsed.records_found || (!list.records.empty() && !parsed.page.envelope.is_object()))
            co_return connector_error{error_kind::malformed,
                                      description + ": the page has no `" + json_path_text(list.records) + "` array."};
          if (list.order == list_order::descending) {
            auto last = is_last_page(list, parsed.page, query.page, config_.page_size, description);
            if (!last) co_return last.error();
            parsed.last = last.value();
          }
          co_return std::move(parsed);
        });
  };
  if (list.order == list_order::descending) {
    // docs/profiles.md#list: what changes after this instant is read by the next poll.
    const instant began = env_.wall_now();
    descending_pager pager(since, config_.page_size);
    auto out = co_await read_pages(pager, source, sink, progress);
    if (!out) co_return out;
    out.value().cursor = began;
    co_return out;
  }
  keyset_pager pager(since, config_.page_size);
  auto out = co_await read_pages(pager, source, sink, progress);
  if (!out) co_return out;
  out.value().cursor = list.filter == list_filter::window ? until : pager.max_seen();
  co_return out;
}

asio::awaitable<result<std::optional<nlohmann::json>>> portal_client::lookup(std::string code) {
  if (!profile_.lookup)
    co_return connector_error{
        error_kind::config, profile_.side + " profile " + profile_.name + " has no `lookup`: look-ups are not served."};
  if (auto problem = co_await ensure_setup()) co_return std::move(*problem);
  const lookup_spec& spec = *profile_.lookup;
  template_values values = base_values();
  values.code = code;
  const std::string description = describe(spec.request, values);
  auto got = co_await with_retry<exchanged>(config_.retry, env_, [&]() {
    return exchange(spec.request, values, description, nullptr, spec.not_found == lookup_miss::status_404);
  });
  if (!got) co_return got.error();
  if (got.value().missing) co_return std::optional<nlohmann::json>{};
  nlohmann::json& reply = got.value().parsed.page.envelope;
  if (spec.records.empty()) {
    if (!reply.is_object())
      co_return connector_error{error_kind::malformed, description + ": the answer is not a JSON object."};
    co_return std::optional<nlohmann::json>(std::move(reply));
  }
  const nlohmann::json* found = find_at(reply, spec.records);
  if (!found || !found->is_array())
    co_return connector_error{error_kind::malformed,
                              description + ": the answer has no `" + json_path_text(spec.records) + "` array."};
  if (found->empty()) co_return std::optional<nlohmann::json>{};
  co_return std::optional<nlohmann::json>(found->front());
}

asio::awaitable<void> portal_client::close() {
  if (api_) co_await api_->close();
  if (token_endpoint_) co_await token_endpoint_->close();
}

}  // namespace dvc
