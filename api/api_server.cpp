#include "api/api_server.hpp"

#include <unistd.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <chrono>
#include <iostream>
#include <list>
#include <memory>
#include <set>
#include <unordered_map>
#include <utility>

#include "api/api_handler.hpp"
#include "api/rate_limiter.hpp"
#include "connectors/wall_clock.hpp"
#include "service/exit_codes.hpp"
#include "service/log.hpp"

namespace dvc {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

// One open connection, as the admission of new ones sees it.
struct connection {
  beast::tcp_stream* stream = nullptr;
  std::string client;
  bool idle = true;  // waiting for the first byte of a request
  std::chrono::steady_clock::time_point idle_since = std::chrono::steady_clock::now();
  bool evicted = false;  // closed to make room; no longer counted
};

// The connections of one server, counted in all and per client. Everything runs on the server's one thread.
class connection_table {
 public:
  using handle = std::list<connection>::iterator;

  handle add(beast::tcp_stream& stream, std::string client) {
    ++per_client_[client];
    ++live_;
    return all_.insert(all_.end(), connection{&stream, std::move(client)});
  }
  void remove(handle h) {
    if (!h->evicted) release(*h);
    all_.erase(h);
  }
  std::size_t live() const { return live_; }
  std::size_t of(const std::string& client) const {
    const auto it = per_client_.find(client);
    return it == per_client_.end() ? 0 : it->second;
  }
  // Closes the longest-idle connection (of `client` when given) to make room for a new one; false when every
  // candidate is busy with a request.
  bool evict_idle(const std::string* client) {
    handle oldest = all_.end();
    for (auto it = all_.begin(); it != all_.end(); ++it) {
      if (it->evicted || !it->idle || (client && it->client != *client)) continue;
      if (oldest == all_.end() || it->idle_since < oldest->idle_since) oldest = it;
    }
    if (oldest == all_.end()) return false;
    oldest->evicted = true;
    release(*oldest);
    oldest->stream->cancel();
    return true;
  }
  void cancel_all() {
    for (auto& c : all_) c.stream->cancel();
  }

 private:
  void release(const connection& c) {
    --live_;
    if (const auto it = per_client_.find(c.client); it != per_client_.end() && --it->second == 0) per_client_.erase(it);
  }
  std::list<connection> all_;
  std::unordered_map<std::string, std::size_t> per_client_;
  std::size_t live_ = 0;
};

// What every connection of one server shares; connections hold it so it outlives the accept loop.
struct server_state {
  server_state(const config& cfg, const status_board& status, const api_server_limits& l)
      : limits(l),
        handler(cfg, status, wall_clock_now, l.body_limit, l.sync_rate_check),
        limiter(static_cast<double>(l.requests_per_second), static_cast<double>(l.burst),
                l.clock ? l.clock : rate_limiter::clock(std::chrono::steady_clock::now)) {}
  api_server_limits limits;
  api_handler handler;
  rate_limiter limiter;
  connection_table connections;  // cancelled when the server stops
  bool stopping = false;
};

// The client a connection counts against: its IPv4 address, or the /64 of an IPv6 one (one site's hosts usually
// share a /64, and an attacker holding one has 2^64 addresses in it).
std::string client_of(const tcp::endpoint& peer) {
  auto address = peer.address();
  if (address.is_v6() && address.to_v6().is_v4_mapped())
    address = asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6());
  if (address.is_v4()) return address.to_string();
  auto bytes = address.to_v6().to_bytes();
  std::fill(bytes.begin() + 8, bytes.end(), 0);
  return asio::ip::address_v6(bytes).to_string() + "/64";
}

api_response plain_error(unsigned version, http::status code, std::string_view message) {
  api_response res{code, version};
  res.set(http::field::server, "dvcrecon");
  res.set(http::field::content_type, "application/json; charset=utf-8");
  res.body() = nlohmann::json({{"error", message}}).dump();
  res.keep_alive(false);
  res.prepare_payload();
  return res;
}

asio::awaitable<void> serve_connection(tcp::socket socket, std::string client_key,
                                       std::shared_ptr<server_state> state) {
  beast::tcp_stream stream(std::move(socket));
  const auto entry = state->connections.add(stream, std::move(client_key));
  const std::string client = [&] {
    boost::system::error_code ec;
    const auto ep = stream.socket().remote_endpoint(ec);
    return ec ? std::string("unknown") : ep.address().to_string();
  }();
  const auto& limits = state->limits;
  beast::flat_buffer buffer;
  bool first = true;
  while (!state->stopping && !entry->evicted) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(limits.body_limit);
    parser.header_limit(static_cast<std::uint32_t>(limits.header_limit));
    if (buffer.size() == 0) {
      // Idle until the request's first byte: short for a new connection, so one opened and left silent goes
      // soon; either way another client may take its place meanwhile.
      entry->idle = true;
      entry->idle_since = std::chrono::steady_clock::now();
      stream.expires_after(std::chrono::seconds(first ? limits.first_byte_timeout_s : limits.idle_timeout_s));
      auto [wait_ec, got] = co_await stream.async_read_some(buffer.prepare(8192), asio::as_tuple(asio::use_awaitable));
      entry->idle = false;
      if (wait_ec || entry->evicted) break;
      buffer.commit(got);
    }
    first = false;
    stream.expires_after(std::chrono::seconds(limits.io_timeout_s));  // the whole request
    auto [read_ec, n] = co_await http::async_read(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
    std::optional<api_response> res;
    if (read_ec == http::error::body_limit) {
      res = plain_error(parser.get().version(), http::status::payload_too_large,
                        "request body exceeds the limit of " + std::to_string(limits.body_limit) + " bytes");
    } else if (read_ec == http::error::header_limit) {
      res = plain_error(11, http::status::request_header_fields_too_large,
                        "request headers exceed " + std::to_string(limits.header_limit) + " bytes");
    } else if (read_ec && read_ec.category() == http::make_error_code(http::error::bad_method).category() &&
               read_ec != http::error::end_of_stream && read_ec != http::error::partial_message) {
      res = plain_error(11, http::status::bad_request, "malformed HTTP request: " + read_ec.message());
    } else if (read_ec) {
      break;  // closed, reset, timed out, or the server stopping: nothing to answer
    } else if (!state->limiter.allow(client)) {
      res = plain_error(parser.get().version(), http::status::too_many_requests,
                        "too many requests from " + client + "; slow down");
      res->set(http::field::retry_after, "1");
      res->keep_alive(parser.get().keep_alive());
    } else {
      res = state->handler(parser.get(), client);
    }
    stream.expires_after(std::chrono::seconds(limits.io_timeout_s));
    const bool keep = res->keep_alive();
    auto [write_ec, w] = co_await http::async_write(stream, *res, asio::as_tuple(asio::use_awaitable));
    if (write_ec || !keep) break;
  }
  boost::system::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  state->connections.remove(entry);
}

}  // namespace

api_listener api_listener::bind(const config& cfg) {
  const auto& listen = cfg.http.listen;
  const auto fail = [&](const std::string& why) {
    return startup_error("http.listen " + listen.host + ":" + std::to_string(listen.port) + ": " + why);
  };
  asio::io_context io;
  tcp::resolver resolver(io);
  boost::system::error_code ec;
  const auto endpoints = resolver.resolve(listen.host, std::to_string(listen.port), tcp::resolver::passive, ec);
  if (ec) throw fail(ec.message());
  if (endpoints.empty()) throw fail("resolves to no address");
  const tcp::endpoint where = endpoints.begin()->endpoint();
  tcp::acceptor acceptor(io);
  acceptor.open(where.protocol(), ec);
  if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor.bind(where, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) throw fail(ec.message());
  const auto bound = acceptor.local_endpoint();
  std::string address =
      (bound.address().is_v6() ? "[" + bound.address().to_string() + "]" : bound.address().to_string()) + ":" +
      std::to_string(bound.port());
  const int fd = acceptor.release(ec);
  if (ec) throw fail(ec.message());
  return api_listener(fd, bound.address().is_v6(), std::move(address));
}

api_listener::api_listener(api_listener&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), v6_(other.v6_), address_(std::move(other.address_)) {}

api_listener::~api_listener() {
  if (fd_ >= 0) ::close(fd_);
}

int api_listener::release() { return std::exchange(fd_, -1); }

asio::awaitable<void> run_api_server(const config& cfg, const status_board& status, api_server_limits limits,
                                     std::function<void(const std::string& bound)> on_listening) {
  co_await serve_api(api_listener::bind(cfg), cfg, status, limits, std::move(on_listening));
}

asio::awaitable<void> serve_api(api_listener listener, const config& cfg, const status_board& status,
                                api_server_limits limits, std::function<void(const std::string& bound)> on_listening) {
  auto executor = co_await asio::this_coro::executor;
  const bool v6 = listener.v6();
  tcp::acceptor acceptor(executor, v6 ? tcp::v6() : tcp::v4(), listener.release());
  log::info("api_listening", {{"address", listener.address()}});
  if (on_listening) on_listening(listener.address());

  auto state = std::make_shared<server_state>(cfg, status, limits);
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
    if (ec == asio::error::operation_aborted) break;
    if (ec) {
      // Out of descriptors or a client that left during the handshake: the listener itself is fine, but
      // retrying at once would spin while descriptors stay exhausted.
      log::warning("api_accept_failed", {{"error", ec.message()}});
      asio::steady_timer pause(executor, std::chrono::milliseconds(100));
      const auto [wait_ec] = co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
      if (wait_ec == asio::error::operation_aborted) break;
      continue;
    }
    boost::system::error_code peer_ec;
    const auto peer = socket.remote_endpoint(peer_ec);
    if (peer_ec) continue;  // gone already
    std::string client = client_of(peer);
    auto& table = state->connections;
    const bool room = (table.of(client) < limits.max_connections_per_client || table.evict_idle(&client)) &&
                      (table.live() < limits.max_connections || table.evict_idle(nullptr));
    if (!room) {
      boost::system::error_code ignored;
      socket.close(ignored);
      continue;
    }
    asio::co_spawn(executor, serve_connection(std::move(socket), std::move(client), state), [](std::exception_ptr e) {
      if (!e) return;
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& ex) {
        log::error("api_connection_failed", {{"error", ex.what()}});
      }
    });
  }
  state->stopping = true;
  state->connections.cancel_all();
}

service_companion api_companion(const config& cfg, std::function<void(const std::string& bound)> on_listening) {
  // Bound by `prepare` on the service's thread, handed to the server when `run` is called.
  auto listener = std::make_shared<std::optional<api_listener>>();
  return {[&cfg, listener] { listener->emplace(api_listener::bind(cfg)); },
          [&cfg, listener, on_listening = std::move(on_listening)](const status_board& board) {
            if (!*listener) listener->emplace(api_listener::bind(cfg));
            api_listener taken = std::move(**listener);
            listener->reset();
            return serve_api(std::move(taken), cfg, board, {}, on_listening);
          }};
}

}  // namespace dvc
