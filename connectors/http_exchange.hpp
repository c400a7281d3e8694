#pragma once
// One request/response exchange on an already connected stream, templated on the stream so tests drive it
// with `beast::test::stream` and production with TCP or TLS. Each phase gets its own deadline: streams built
// on `beast::basic_stream` use `expires_after`; others get a watchdog timer that closes the stream.
// A partial message is never returned: a connection that ends mid-body is `truncated`.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/basic_stream.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <type_traits>
#include <variant>

#include "connectors/connector_error.hpp"
#include "connectors/http_types.hpp"
#include "connectors/portal_config.hpp"

namespace dvc {

namespace detail {

template <class T>
struct is_beast_basic_stream : std::false_type {};
template <class Protocol, class Executor, class RatePolicy>
struct is_beast_basic_stream<boost::beast::basic_stream<Protocol, Executor, RatePolicy>> : std::true_type {};

}  // namespace detail

// Runs `on_expiry` if not disarmed within `timeout`. Disarmed by destruction; the timer's late completion
// touches only the shared flag, so the guarded object may be gone by then. One thread (or strand) per client.
class watchdog {
 public:
  template <class Executor>
  watchdog(const Executor& ex, std::chrono::milliseconds timeout, std::function<void()> on_expiry)
      : timer_(ex, timeout), state_(std::make_shared<state>()) {
    state_->on_expiry = std::move(on_expiry);
    timer_.async_wait([s = state_](const boost::system::error_code& ec) {
      if (!ec && s->armed) {
        s->fired = true;
        s->on_expiry();
      }
    });
  }
  ~watchdog() {
    state_->armed = false;
    timer_.cancel();
  }
  watchdog(const watchdog&) = delete;
  watchdog& operator=(const watchdog&) = delete;

  bool fired() const { return state_->fired; }

 private:
  struct state {
    bool armed = true;
    bool fired = false;
    std::function<void()> on_expiry;
  };
  boost::asio::steady_timer timer_;
  std::shared_ptr<state> state_;
};

// A deadline for one phase on `Stream`: `expires_after` on a beast::basic_stream lowest layer, a watchdog that
// closes the lowest layer otherwise. `expired()` tells a timeout from other failures.
template <class Stream>
class phase_deadline {
  using lowest = std::remove_cvref_t<decltype(boost::beast::get_lowest_layer(std::declval<Stream&>()))>;
  static constexpr bool native = detail::is_beast_basic_stream<lowest>::value;

 public:
  phase_deadline(Stream& stream, std::chrono::milliseconds timeout) : stream_(stream) {
    if constexpr (native) {
      boost::beast::get_lowest_layer(stream).expires_after(timeout);
    } else {
      dog_ = std::make_unique<watchdog>(stream.get_executor(), timeout,
                                        [&stream] { boost::beast::get_lowest_layer(stream).close(); });
    }
  }
  ~phase_deadline() {
    if constexpr (native) boost::beast::get_lowest_layer(stream_).expires_never();
  }
  phase_deadline(const phase_deadline&) = delete;
  phase_deadline& operator=(const phase_deadline&) = delete;

  bool expired(const boost::system::error_code& ec) const {
    if constexpr (native)
      return ec == boost::beast::error::timeout;
    else
      return dog_->fired();
  }

 private:
  Stream& stream_;
  std::unique_ptr<watchdog> dog_;
};

// What went wrong in an exchange, and whether it happened before the server sent a single byte of its answer:
// on a reused keep-alive connection that means the server had closed it, and the request may be sent again on
// a fresh connection.
struct exchange_failure {
  connector_error error;
  bool nothing_received = false;
};

connector_error classify_read_error(const boost::system::error_code& ec, bool timed_out, bool got_some,
                                    const std::string& description);
connector_error classify_write_error(const boost::system::error_code& ec, bool timed_out,
                                     const std::string& description);

// The capacity a connection's read buffer keeps, which bounds the bytes one read takes from the socket.
inline constexpr std::size_t read_capacity = 64 * 1024;

// Writes `request`, reads one complete response into a string body bounded by `config`. `buffer` belongs to
// the connection (bytes past one response stay for the next). On failure the stream must not be reused.
// Arguments that are references must outlive the returned awaitable; `description` is copied.
template <class Stream>
boost::asio::awaitable<std::variant<http_response, exchange_failure>> exchange(
    Stream& stream, boost::beast::flat_buffer& buffer,
    boost::beast::http::request<boost::beast::http::string_body>& request, const http_client_config& config,
    std::string description) {
  namespace http = boost::beast::http;
  using boost::asio::as_tuple;
  using boost::asio::use_awaitable;
  {
    phase_deadline<Stream> deadline(stream, config.write_timeout);
    auto [ec, n] = co_await http::async_write(stream, request, as_tuple(use_awaitable));
    if (ec) co_return exchange_failure{classify_write_error(ec, deadline.expired(ec), description), true};
  }
  // Beast reads as much as the buffer's free capacity, but at least 512 bytes, and the body parser empties the
  // buffer after every read, so an unreserved buffer stays small: a 2 MB page took about 4,000 reads, each with
  // its own wake-up and timer re-arm. 64 KiB per connection lets one read take what the socket holds.
  buffer.reserve(read_capacity);
  http::response_parser<http::string_body> parser;
  parser.body_limit(config.body_limit);
  parser.header_limit(static_cast<std::uint32_t>(config.header_limit));
  {
    phase_deadline<Stream> deadline(stream, config.read_timeout);
    auto [ec, n] = co_await http::async_read(stream, buffer, parser, as_tuple(use_awaitable));
    if (ec || !parser.is_done()) {
      const bool got_some = parser.got_some() || buffer.size() > 0;
      co_return exchange_failure{classify_read_error(ec, deadline.expired(ec), got_some, description), !got_some};
    }
  }
  auto response = parser.release();
  http_response out;
  out.status = response.result_int();
  out.keep_alive = response.keep_alive();
  if (auto it = response.find(http::field::retry_after); it != response.end()) out.retry_after = it->value();
  out.body = std::move(response.body());
  co_return out;
}

}  // namespace dvc
