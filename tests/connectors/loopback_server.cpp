#include "tests/connectors/loopback_server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <chrono>

namespace dvc::test {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::as_tuple;
using asio::use_awaitable;

namespace {

void rethrow(std::exception_ptr e) {
  if (e) std::rethrow_exception(e);
}

template <class Stream>
void close_stream(Stream& stream) {
  boost::system::error_code ignored;
  beast::get_lowest_layer(stream).socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  beast::get_lowest_layer(stream).socket().close(ignored);
}

template <class Stream>
asio::awaitable<void> serve(Stream& stream, const loopback_server::handler& on_request) {
  beast::flat_buffer buffer;
  for (;;) {
    request req;
    auto [ec, n] = co_await http::async_read(stream, buffer, req, as_tuple(use_awaitable));
    if (ec) co_return;
    reply r = on_request(req);
    switch (r.how) {
      case reply::mode::send: {
        if (!req.keep_alive()) r.res.keep_alive(false);  // a reply may also close on its own
        r.res.prepare_payload();
        auto [wec, wn] = co_await http::async_write(stream, r.res, as_tuple(use_awaitable));
        if (wec || !r.res.keep_alive()) {
          close_stream(stream);
          co_return;
        }
        break;
      }
      case reply::mode::truncate_body: {
        // Announce the whole body, send half of it, hang up.
        const std::string& body = r.res.body();
        std::string wire = "HTTP/1.1 " + std::to_string(r.res.result_int()) +
                           " OK\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
                           "\r\n\r\n" + body.substr(0, body.size() / 2);
        co_await asio::async_write(stream, asio::buffer(wire), as_tuple(use_awaitable));
        close_stream(stream);
        co_return;
      }
      case reply::mode::close_silently:
        close_stream(stream);
        co_return;
      case reply::mode::stall: {
        asio::steady_timer timer(co_await asio::this_coro::executor, std::chrono::seconds(30));
        co_await timer.async_wait(as_tuple(use_awaitable));
        co_return;
      }
    }
  }
}

}  // namespace

reply json_reply(unsigned status, const nlohmann::json& body) {
  reply r;
  r.res.result(status);
  r.res.version(11);
  r.res.set(http::field::content_type, "application/json");
  r.res.body() = body.dump();
  return r;
}

reply text_reply(unsigned status, std::string body) {
  reply r;
  r.res.result(status);
  r.res.version(11);
  r.res.set(http::field::content_type, "application/json");
  r.res.body() = std::move(body);
  return r;
}

loopback_server::loopback_server(asio::io_context& io, handler on_request, asio::ssl::context* tls)
    : io_(io),
      handler_(std::make_shared<handler>(std::move(on_request))),
      tls_(tls),
      acceptor_(std::make_shared<asio::ip::tcp::acceptor>(
          io, asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0))) {
  port_ = acceptor_->local_endpoint().port();
  asio::co_spawn(io_, accept_loop(), rethrow);
}

std::string loopback_server::base(const std::string& scheme, const std::string& host) const {
  return scheme + "://" + host + ":" + std::to_string(port_);
}

asio::awaitable<void> loopback_server::accept_loop() {
  auto acceptor = acceptor_;
  for (;;) {
    auto [ec, socket] = co_await acceptor->async_accept(as_tuple(use_awaitable));
    if (ec) co_return;
    ++*connections_;
    asio::co_spawn(io_, session(std::move(socket)), rethrow);
  }
}

asio::awaitable<void> loopback_server::session(asio::ip::tcp::socket socket) {
  auto on_request = handler_;
  if (!tls_) {
    beast::tcp_stream stream(std::move(socket));
    co_await serve(stream, *on_request);
    co_return;
  }
  asio::ssl::stream<beast::tcp_stream> stream(beast::tcp_stream(std::move(socket)), *tls_);
  stream.next_layer().expires_after(std::chrono::seconds(5));
  auto [ec] = co_await stream.async_handshake(asio::ssl::stream_base::server, as_tuple(use_awaitable));
  if (ec) co_return;  // the client refused us: what the TLS tests expect
  stream.next_layer().expires_never();
  co_await serve(stream, *on_request);
}

void run_until_done(asio::io_context& io, asio::awaitable<void> task) {
  std::exception_ptr failure;
  asio::co_spawn(io, std::move(task), [&](std::exception_ptr e) {
    failure = e;
    io.stop();
  });
  io.restart();
  io.run();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace dvc::test
