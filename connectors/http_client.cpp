#include "connectors/http_client.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/field.hpp>

#include "connectors/header_value.hpp"
#include "connectors/http_exchange.hpp"
#include "connectors/tls_setup.hpp"

namespace dvc {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

// Marks a call as in flight for its duration, so a second concurrent call is refused rather than interleaved.
class busy_guard {
 public:
  explicit busy_guard(bool& flag) : flag_(flag) { flag_ = true; }
  ~busy_guard() { flag_ = false; }
  busy_guard(const busy_guard&) = delete;
  busy_guard& operator=(const busy_guard&) = delete;

 private:
  bool& flag_;
};

}  // namespace

result<std::unique_ptr<http_client>> http_client::create(asio::any_io_executor executor, endpoint_url origin,
                                                         http_client_config config) {
  std::optional<asio::ssl::context> tls;
  if (origin.tls()) {
    auto context = client_tls_context(config.ca_file, origin.origin());
    if (!context) return context.error();
    tls.emplace(std::move(context).value());
  }
  return std::unique_ptr<http_client>(
      new http_client(std::move(executor), std::move(origin), std::move(config), std::move(tls)));
}

http_client::http_client(asio::any_io_executor executor, endpoint_url origin, http_client_config config,
                         std::optional<asio::ssl::context> tls_context)
    : executor_(std::move(executor)),
      origin_(std::move(origin)),
      config_(std::move(config)),
      tls_context_(std::move(tls_context)) {}

asio::awaitable<std::optional<connector_error>> http_client::open() {
  using asio::as_tuple;
  using asio::use_awaitable;
  const std::string where = origin_.origin();

  // The resolver ignores stream deadlines; a watchdog cancels it.
  asio::ip::tcp::resolver resolver(executor_);
  asio::ip::tcp::resolver::results_type endpoints;
  {
    watchdog dog(executor_, config_.resolve_timeout, [&resolver] { resolver.cancel(); });
    auto [ec, found] =
        co_await resolver.async_resolve(origin_.host, std::to_string(origin_.port), as_tuple(use_awaitable));
    if (dog.fired()) co_return connector_error{error_kind::timeout, "Resolving " + where + " timed out."};
    if (ec) co_return connector_error{error_kind::connect, "Resolving " + where + " failed: " + ec.message() + "."};
    endpoints = std::move(found);
  }

  beast::tcp_stream tcp(executor_);
  tcp.expires_after(config_.connect_timeout);
  {
    auto [ec, ep] = co_await tcp.async_connect(endpoints, as_tuple(use_awaitable));
    if (ec == beast::error::timeout)
      co_return connector_error{error_kind::timeout, "Connecting to " + where + " timed out."};
    if (ec) co_return connector_error{error_kind::connect, "Connecting to " + where + " failed: " + ec.message() + "."};
  }
  tcp.socket().set_option(asio::ip::tcp::no_delay(true));
  ++connections_opened_;

  if (!origin_.tls()) {
    tcp.expires_never();
    plain_.emplace(std::move(tcp));
    co_return std::nullopt;
  }

  asio::ssl::stream<beast::tcp_stream> stream(std::move(tcp), *tls_context_);
  if (auto failure = prepare_tls_stream(stream, origin_.host, where)) co_return std::move(*failure);
  beast::get_lowest_layer(stream).expires_after(config_.handshake_timeout);
  auto [ec] = co_await stream.async_handshake(asio::ssl::stream_base::client, as_tuple(use_awaitable));
  if (ec == beast::error::timeout)
    co_return connector_error{error_kind::timeout, "The TLS handshake with " + where + " timed out."};
  if (ec)
    co_return connector_error{error_kind::tls, "The TLS handshake with " + where + " failed (" +
                                                   handshake_failure(stream.native_handle(), ec) + ")."};
  beast::get_lowest_layer(stream).expires_never();
  tls_.emplace(std::move(stream));
  co_return std::nullopt;
}

asio::awaitable<void> http_client::drop(bool graceful) {
  buffer_.clear();
  if (tls_) {
    if (graceful) {
      beast::get_lowest_layer(*tls_).expires_after(config_.shutdown_timeout);
      // A peer that already closed answers with eof or stream_truncated: nothing is left to protect here.
      co_await tls_->async_shutdown(asio::as_tuple(asio::use_awaitable));
    }
    boost::system::error_code ignored;
    beast::get_lowest_layer(*tls_).socket().close(ignored);
    tls_.reset();
  }
  if (plain_) {
    boost::system::error_code ignored;
    plain_->socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    plain_->socket().close(ignored);
    plain_.reset();
  }
}

asio::awaitable<void> http_client::close() { co_await drop(true); }

asio::awaitable<result<http_response>> http_client::send(http_call call) {
  const std::string description = call.description.empty() ? origin_.origin() + call.target : call.description;
  if (busy_)
    co_return connector_error{error_kind::protocol, description +
                                                        ": another request is already in flight on this "
                                                        "connection."};
  busy_guard guard(busy_);
  // Names only, never values: a refused value may be a secret.
  for (const auto& [name, value] : call.headers) {
    if (!is_header_name(name))
      co_return connector_error{error_kind::protocol, description + ": a header name is not an HTTP token; not sent."};
    if (!is_header_value(value))
      co_return connector_error{error_kind::protocol, description + ": the value of header " + name +
                                                          " holds a control character (CR, LF, NUL…); not sent."};
  }

  http::request<http::string_body> request{call.method, call.target, 11};
  request.set(http::field::host, origin_.host_header());
  request.set(http::field::user_agent, "dvcrecon");
  request.set(http::field::accept, "application/json");
  for (const auto& [name, value] : call.headers) request.set(name, value);
  if (!call.body.empty() || call.method == http::verb::post) {
    if (!call.content_type.empty()) request.set(http::field::content_type, call.content_type);
    request.body() = call.body;
  }
  request.keep_alive(true);
  request.prepare_payload();

  for (int round = 0;; ++round) {
    const bool reused = connected();
    if (!reused) {
      if (auto failure = co_await open()) co_return std::move(*failure);
    }
    std::variant<http_response, exchange_failure> outcome;
    if (tls_)
      outcome = co_await exchange(*tls_, buffer_, request, config_, description);
    else
      outcome = co_await exchange(*plain_, buffer_, request, config_, description);
    if (auto* response = std::get_if<http_response>(&outcome)) {
      if (!response->keep_alive) co_await drop(true);
      co_return std::move(*response);
    }
    auto& failure = std::get<exchange_failure>(outcome);
    co_await drop(false);
    // A keep-alive connection the server closed while idle fails before any answer: one fresh connection.
    if (reused && round == 0 && failure.nothing_received && failure.error.kind == error_kind::connect) continue;
    co_return std::move(failure.error);
  }
}

}  // namespace dvc
