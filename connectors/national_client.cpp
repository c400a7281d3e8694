#include "connectors/national_client.hpp"

#include <stdexcept>

#include "connectors/header_value.hpp"
#include "connectors/keyset_pager.hpp"
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

asio::awaitable<result<nlohmann::json>> national_client::post(const nlohmann::json& body,
                                                              const std::string& description) {
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
  auto parsed = parse_body(answer.value().body, config_.http, description);
  if (!parsed) co_return parsed;
  if (!parsed.value().is_object() || !error_code_of(parsed.value()))
    co_return connector_error{error_kind::malformed, description + ": the answer has no `error_code`."};
  co_return parsed;
}

asio::awaitable<std::optional<connector_error>> national_client::login() {
  const std::string description = "POST " + base_->text() + " DangNhap as '" + config_.username + "'";
  const nlohmann::json body = {{"service", "DangNhap"}, {"username", config_.username}, {"password", config_.password}};
  auto answer = co_await post(body, description);
  if (!answer) co_return answer.error();
  const std::string code = *error_code_of(answer.value());
  const std::string session = string_field(answer.value(), "session");
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
  co_return connector_error{error_kind::auth, description + ": log-in refused (error_code " + code + ")" +
                                                  server_message(answer.value()) + "."};
}

asio::awaitable<result<nlohmann::json>> national_client::call(nlohmann::json body, const std::string& description) {
  for (int renewal = 0;; ++renewal) {
    if (session_.empty()) {
      if (auto failure = co_await login()) co_return std::move(*failure);
    }
    body["session"] = session_;
    auto answer = co_await post(body, description);
    if (!answer) co_return answer;
    const std::string code = *error_code_of(answer.value());
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
          description + ": the portal rejected the parameters (error_code 3)" + server_message(answer.value()) + "."};
    co_return connector_error{error_kind::portal, description + ": the portal reported a failure (error_code " + code +
                                                      ")" + server_message(answer.value()) + "."};
  }
}

asio::awaitable<result<poll_result>> national_client::list_changed(instant from, instant to, record_sink sink,
                                                                   progress_sink progress) {
  if (auto problem = co_await ensure_setup()) co_return std::move(*problem);
  if (from > to)
    co_return connector_error{error_kind::config, "National listing window starts (" + format_national_time(from) +
                                                      ") after it ends (" + format_national_time(to) + ")."};
  keyset_pager pager(from, config_.page_size);
  poll_result out;
  const std::string denngay = format_national_time(to);
  while (!pager.done()) {
    if (out.pages >= config_.max_pages)
      co_return connector_error{error_kind::paging_limit, "Listing national dossiers from " + base_->origin() +
                                                              " took more than " + std::to_string(config_.max_pages) +
                                                              " pages (national.max_pages); stopped."};
    const page_query query = pager.next();
    const std::string tungay = format_national_time(query.from);
    const std::size_t trang = query.page + 1;
    const nlohmann::json body = {{"service", "LayDanhSachHoSo"},
                                 {"madonvi", config_.madonvi},
                                 {"tungay", tungay},
                                 {"denngay", denngay},
                                 {"trang", trang},
                                 {"sobanghi", config_.page_size}};
    const std::string description = "POST " + base_->text() + " LayDanhSachHoSo tungay=" + tungay +
                                    " denngay=" + denngay + " trang=" + std::to_string(trang);

    auto page =
        co_await with_retry<nlohmann::json>(config_.retry, env_, [&]() -> asio::awaitable<result<nlohmann::json>> {
          auto answer = co_await call(body, description);
          if (!answer) co_return answer;
          if (!answer.value().contains("result") || !answer.value()["result"].is_array())
            co_return connector_error{error_kind::malformed, description + ": the answer has no `result` array."};
          co_return answer;
        });
    if (!page) co_return page.error();
    ++out.pages;

    const nlohmann::json& records = page.value()["result"];
    std::vector<keyset_pager::entry> entries;
    entries.reserve(records.size());
    for (const auto& record : records) entries.push_back({record_identity(record, "MaHoSo"), updated_of(record)});
    const std::vector<bool> fresh = pager.accept(entries);
    for (std::size_t i = 0; i < records.size(); ++i) {
      if (!fresh[i]) {
        ++out.duplicates;
        continue;
      }
      sink(records[i], description + " #" + std::to_string(i));
      ++out.records;
    }
    if (progress && !pager.done()) progress(pager.next().from);
  }
  out.cursor = to;
  co_return out;
}

asio::awaitable<result<std::optional<nlohmann::json>>> national_client::lookup(std::string code) {
  if (auto problem = co_await ensure_setup()) co_return std::move(*problem);
  const nlohmann::json body = {{"service", "TraCuuHoSo"}, {"madonvi", config_.madonvi}, {"mahoso", code}};
  const std::string description = "POST " + base_->text() + " TraCuuHoSo mahoso=" + code;
  auto answer = co_await with_retry<nlohmann::json>(config_.retry, env_, [&]() { return call(body, description); });
  if (!answer) co_return answer.error();
  const auto it = answer.value().find("result");
  if (it == answer.value().end() || !it->is_array())
    co_return connector_error{error_kind::malformed, description + ": the answer has no `result` array."};
  if (it->empty()) co_return std::optional<nlohmann::json>{};
  co_return std::optional<nlohmann::json>((*it)[0]);
}

asio::awaitable<void> national_client::close() {
  if (http_) co_await http_->close();
}

}  // namespace dvc
