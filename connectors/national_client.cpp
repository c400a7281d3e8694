#include "connectors/national_client.hpp"

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

constexpr std::size_t max_page_size = 1000;  // `sobanghi` at most (docs/wire-formats.md#calls)
constexpr std::size_t max_quoted_message = 200;

// `error_code` as text whether the adapter sent a string or a number; nullopt when absent or of another type.
std::optional<std::string> error_code_of(const nlohmann::json& body) {
  const auto it = body.find("error_code");
  if (it == body.end()) return std::nullopt;
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_integer()) return std::to_string(it->get<std::int64_t>());
  return std::nullopt;
}

// The adapter's own `message`, shortened, for error text.
std::string server_message(const nlohmann::json& body) {
  std::string text = string_field(body, "message");
  if (text.size() > max_quoted_message) text = text.substr(0, max_quoted_message) + "…";
  return text.empty() ? std::string{} : " ('" + text + "')";
}

maybe_instant updated_of(const nlohmann::json& record) {
  try {
    return parse_national_time(string_field(record, "NgayCapNhat"));
  } catch (const std::invalid_argument&) {
    return std::nullopt;  // handed out anyway; the caller's mapping reports the bad field
  }
}

}  // namespace

national_client::national_client(asio::any_io_executor executor, national_config config, connector_env env)
    : executor_(std::move(executor)), config_(std::move(config)), env_(std::move(env)) {}

std::optional<connector_error> national_client::validate(const national_config& config) {
  const auto base = parse_endpoint_url(config.base_url);
  if (!base) return config_error("national.base_url", base.error().message);
  if (config.dstcode.empty()) return config_error("national.dstcode", "is empty.");
  if (config.madonvi.empty()) return config_error("national.madonvi", "is empty.");
  if (config.username.empty()) return config_error("national.username", "is empty.");
  if (config.password.empty()) return config_error("national.password", "is empty.");
  if (config.page_size == 0 || config.page_size > max_page_size)
    return config_error("national.page_size", "must be within 1..1000, not " + std::to_string(config.page_size) + ".");
  if (config.max_pages == 0) return config_error("national.max_pages", "must be at least 1.");
  if (config.retry.max_attempts == 0) return config_error("national.retry.max_attempts", "must be at least 1.");
  return check_ca_file("national.ca_file", config.http.ca_file);
}

asio::awaitable<std::optional<connector_error>> national_client::ensure_setup() {
  if (http_) co_return std::nullopt;
  if (auto problem = validate(config_)) co_return problem;
  base_ = parse_endpoint_url(config_.base_url).value();
  auto client = http_client::create(executor_, *base_, config_.http);
  if (!client) co_return client.error();
  http_ = std::move(client).value();
  co_return std::nullopt;
}

asio::awaitable<result<parsed_page>> national_client::post(const nlohmann::json& body, const std::string& description,
                                                           const char* records) {
  http_call call;
  call.method = http::verb::post;
  call.target = base_->target;
  call.body = body.dump();
  call.content_type = "application/json";
  call.headers.emplace_back("dstcode", config_.dstcode);
  call.description = description;
  auto answer = co_await http_->send(call);
  if (!answer) co_return answer.error();
  if (answer.value().status != 200) co_return status_error(answer.value(), description);
  parsed_page parsed;
  if (records) {
    auto page = parse_page(answer.value().body, records, "MaHoSo", config_.http, description);
    if (!page) co_return page.error();
    parsed = std::move(page).value();
  } else {
    auto whole = parse_body(answer.value().body, config_.http, description);
    if (!whole) co_return whole.error();
    parsed.page.envelope = std::move(whole).value();
  }
  if (!parsed.page.envelope.is_object() || !error_code_of(parsed.page.envelope))
    co_return connector_error{error_kind::malformed, description + ": the answer has no `error_code`."};
  co_return parsed;
}

asio::awaitable<std::optional<connector_error>> national_client::login() {
  const std::string description = "POST " + base_->text() + " DangNhap as '" + config_.username + "'";
  const nlohmann::json body = {{"service", "DangNhap"}, {"username", config_.username}, {"password", config_.password}};
  auto answer = co_await post(body, description, nullptr);
  if (!answer) co_return answer.error();
  const nlohmann::json& reply = answer.value().page.envelope;
  const std::string code = *error_code_of(reply);
  const std::string session = string_field(reply, "session");
  if (code == "0" && !session.empty() && !is_b64token(session))
    co_return connector_error{error_kind::auth, description +
                                                    ": the session has characters outside the RFC 6750 token "
                                                    "alphabet; refused, never sent."};
  if (code == "0" && !session.empty()) {
    session_ = session;
    ++logins_;
    co_return std::nullopt;
  }
  if (code == "0") co_return connector_error{error_kind::malformed, description + ": the answer has no `session`."};
  co_return connector_error{error_kind::auth,
                            description + ": log-in refused (error_code " + code + ")" + server_message(reply) + "."};
}

asio::awaitable<result<parsed_page>> national_client::call(nlohmann::json body, const std::string& description,
                                                           const char* records) {
  for (int renewal = 0;; ++renewal) {
    if (session_.empty()) {
      if (auto failure = co_await login()) co_return std::move(*failure);
    }
    body["session"] = session_;
    auto answer = co_await post(body, description, records);
    if (!answer) co_return answer;
    const nlohmann::json& reply = answer.value().page.envelope;
    const std::string code = *error_code_of(reply);
    if (code == "0") co_return answer;
    if (code == "2") {
      session_.clear();  // expired or invalid: log in again once
      if (renewal == 0) continue;
      co_return connector_error{error_kind::auth,
                                description + ": the session was refused again right after logging in (error_code 2)."};
    }
    if (code == "3")
      co_return connector_error{
          error_kind::rejected,
          description + ": the portal rejected the parameters (error_code 3)" + server_message(reply) + "."};
    co_return connector_error{error_kind::portal, description + ": the portal reported a failure (error_code " + code +
                                                      ")" + server_message(reply) + "."};
  }
}

asio::awaitable<result<poll_result>> national_client::list_changed(instant from, instant to, record_sink sink,
                                                                   progress_sink progress) {
  if (auto problem = co_await ensure_setup()) co_return std::move(*problem);
  if (from > to)
    co_return connector_error{error_kind::config, "National listing window starts (" + format_national_time(from) +
                                                      ") after it ends (" + format_national_time(to) + ")."};
  keyset_pager pager(from, config_.page_size);
  const std::string denngay = format_national_time(to);
  const auto body_of = [&](const page_query& query) {
    return nlohmann::json{
        {"service", "LayDanhSachHoSo"}, {"madonvi", config_.madonvi}, {"tungay", format_national_time(query.from)},
        {"denngay", denngay},           {"trang", query.page + 1},    {"sobanghi", config_.page_size}};
  };
  page_source source{"national", base_->origin(), config_.max_pages, "MaHoSo", updated_of, "tongso", {}, {}};
  source.describe = [&](const page_query& query) {
    return "POST " + base_->text() + " LayDanhSachHoSo tungay=" + format_national_time(query.from) +
           " denngay=" + denngay + " trang=" + std::to_string(query.page + 1);
  };
  source.fetch = [&](const page_query& query, const std::string& description) {
    return with_retry<parsed_page>(
        config_.retry, env_, [this, body = body_of(query), &description]() -> asio::awaitable<result<parsed_page>> {
          auto answer = co_await call(body, description, "result");
          if (!answer) co_return answer;
          if (!answer.value().records_found)
            co_return connector_error{error_kind::malformed, description + ": the answer has no `result` array."};
          co_return answer;
        });
  };
  auto out = co_await read_pages(pager, source, sink, progress);
  if (!out) co_return out;
  out.value().cursor = to;
  co_return out;
}

asio::awaitable<result<std::optional<nlohmann::json>>> national_client::lookup(std::string code) {
  if (auto problem = co_await ensure_setup()) co_return std::move(*problem);
  const nlohmann::json body = {{"service", "TraCuuHoSo"}, {"madonvi", config_.madonvi}, {"mahoso", code}};
  const std::string description = "POST " + base_->text() + " TraCuuHoSo mahoso=" + code;
  auto answer = co_await with_retry<parsed_page>(config_.retry, env_, [&]() { return call(body, description); });
  if (!answer) co_return answer.error();
  const nlohmann::json& reply = answer.value().page.envelope;
  const auto it = reply.find("result");
  if (it == reply.end() || !it->is_array())
    co_return connector_error{error_kind::malformed, description + ": the answer has no `result` array."};
  if (it->empty()) co_return std::optional<nlohmann::json>{};
  co_return std::optional<nlohmann::json>((*it)[0]);
}

asio::awaitable<void> national_client::close() {
  if (http_) co_await http_->close();
}

}  // namespace dvc
