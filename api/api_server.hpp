#pragma once
// The operators' HTTP surface (README.md, HTTP API and dashboard): /healthz, /readyz, /metrics, /api/… and the
// dashboard at /, served by Beast with one coroutine per connection. The routing itself is the pure function in
// api/api_handler.hpp; this file owns sockets, limits and deadlines.
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "service/service.hpp"
#include "service/service_status.hpp"

namespace dvc {

// Bounds of the server, so a client cannot hold the service's memory or sockets. A connection waiting for a request
// (a new one before its first byte, a keep-alive one between requests) is idle: when the bounds are reached, the
// longest-idle connection of the same client (or, over the total, of anyone) is closed to make room, so idle
// connections, however many, never lock anyone out. A client is an IPv4 address or an IPv6 /64.
struct api_server_limits {
  std::size_t max_connections = 64;             // in all; beyond it, with none idle, new ones are closed at once
  std::size_t max_connections_per_client = 16;  // from one client
  std::size_t body_limit = 64 * 1024;           // request body; larger → 413
  std::size_t header_limit = 16 * 1024;         // request line and headers; larger → 431 and close
  std::int64_t first_byte_timeout_s = 5;        // a new connection must start its request within this
  std::int64_t io_timeout_s = 15;               // deadline for reading a whole request, and for each write
  std::int64_t idle_timeout_s = 60;             // keep-alive connection waiting for its next request
  // Per client address (token bucket); over → 429. Generous enough that one monitoring host or load generator
  // at the 200 requests/s the API is sized for is not throttled, low enough to cap a runaway client loop.
  std::size_t requests_per_second = 400;
  std::size_t burst = 800;
  std::chrono::milliseconds sync_rate_check{2000};  // how often the sync-rate worker looks for a finished run
  // The clock that budget is counted on; empty: the steady clock (tests fix it).
  std::function<std::chrono::steady_clock::time_point()> clock;
};

// The API's listening socket, bound to http.listen before the server runs, so that the service can refuse to
// start on an address in use instead of finding out after its first cycle began.
class api_listener {
 public:
  // Resolves and binds cfg.http.listen now. Throws startup_error ("http.listen 127.0.0.1:8470: Address already in
  // use") when it cannot.
  static api_listener bind(const config& cfg);

  api_listener(api_listener&& other) noexcept;
  api_listener& operator=(api_listener&&) = delete;
  ~api_listener();

  const std::string& address() const { return address_; }  // as bound: "127.0.0.1:41234", "[::1]:8470"
  // Hands the socket over (once) to whoever serves on it.
  int release();
  bool v6() const { return v6_; }

 private:
  api_listener(int fd, bool v6, std::string address) : fd_(fd), v6_(v6), address_(std::move(address)) {}
  int fd_;
  bool v6_;
  std::string address_;
};

// Serves on `listener` until cancelled (co_spawn with a cancellation slot: the coroutine then closes its
// connections and returns normally; or stop the io_context). Opens its own read connection to config.ledger
// and, for acks, its own write connection, so it can run on a thread of its own; `status` is what the service
// publishes (a snapshot per request). `cfg` and `status` must outlive it. `on_listening` gets the bound address
// ("127.0.0.1:41234"), which tells tests the port the kernel chose for port 0.
boost::asio::awaitable<void> serve_api(api_listener listener, const config& cfg, const status_board& status,
                                       api_server_limits limits = {},
                                       std::function<void(const std::string& bound)> on_listening = {});
// serve_api on config.http.listen, bound first; throws startup_error when it cannot be bound.
boost::asio::awaitable<void> run_api_server(const config& cfg, const status_board& status,
                                            api_server_limits limits = {},
                                            std::function<void(const std::string& bound)> on_listening = {});

// The API over `cfg` as the service's companion: binds http.listen in `prepare`, before the service's first cycle.
// `on_listening` as for serve_api. `cfg` must outlive it.
service_companion api_companion(const config& cfg, std::function<void(const std::string& bound)> on_listening = {});

}  // namespace dvc
