#include "api/api_server.hpp"

#include <doctest/doctest.h>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <future>
#include <thread>

#include "tests/support/ops_fixtures.hpp"

using namespace dvc;
using namespace dvc::ops_test;
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

// The real server on a kernel-chosen loopback port, run on its own thread until the test ends.
class running_server {
 public:
  explicit running_server(const config& cfg, api_server_limits limits = {}) {
    std::promise<std::uint16_t> port;
    auto port_ready = port.get_future();
    asio::co_spawn(
        io_,
        run_api_server(cfg, status_, limits,
                       [&port](const std::string& bound) {
                         port.set_value(static_cast<std::uint16_t>(std::stoi(bound.substr(bound.rfind(':') + 1))));
                       }),
        asio::bind_cancellation_slot(stop_.slot(), [this](std::exception_ptr e) { failure_ = e; }));
    thread_ = std::thread([this] { io_.run(); });
    port_ = port_ready.get();
  }
  ~running_server() {
    asio::post(io_, [this] { stop_.emit(asio::cancellation_type::terminal); });
    thread_.join();
  }
  std::uint16_t port() const { return port_; }
  bool failed() const { return failure_ != nullptr; }

 private:
  asio::io_context io_;
  status_board status_;
  asio::cancellation_signal stop_;
  std::exception_ptr failure_;
  std::thread thread_;
  std::uint16_t port_ = 0;
};

struct client {
  asio::io_context io;
  beast::tcp_stream stream{io};
  beast::flat_buffer buffer;

  // Connects from `from`: any address of 127.0.0.0/8 is this machine, so tests can be several clients.
  explicit client(std::uint16_t port, const char* from = "127.0.0.1") {
    stream.socket().open(tcp::v4());
    stream.socket().bind(tcp::endpoint(asio::ip::make_address(from), 0));
    stream.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  }

  http::response<http::string_body> exchange(http::request<http::string_body> req) {
    req.set(http::field::host, "127.0.0.1");
    req.prepare_payload();
    stream.expires_after(std::chrono::seconds(10));
    http::write(stream, req);
    http::response<http::string_body> res;
    http::read(stream, buffer, res);
    return res;
  }
  http::response<http::string_body> get(const std::string& target) { return exchange({http::verb::get, target, 11}); }
  // True when the server has closed its side: a read gets end of stream.
  bool closed_by_peer() {
    char byte;
    beast::error_code ec;
    stream.expires_after(std::chrono::seconds(10));
    stream.socket().read_some(asio::buffer(&byte, 1), ec);
    return ec == asio::error::eof || ec == asio::error::connection_reset;
  }
};

}  // namespace

TEST_CASE("loopback: two requests on one keep-alive connection, then an oversized body is refused with 413") {
  temp_dir dir;
  const config cfg = make_config(dir);
  build_ledger(cfg);
  running_server server(cfg);
  client c(server.port());
  auto res = c.get("/healthz");
  CHECK(res.result() == http::status::ok);
  CHECK(res.keep_alive());
  res = c.get("/api/findings?limit=2");
  REQUIRE(res.result() == http::status::ok);
  CHECK(nlohmann::json::parse(res.body())["total"] == 3);

  http::request<http::string_body> big{http::verb::post, "/api/findings/1/ack", 11};
  big.set(http::field::authorization, std::string("Bearer ") + token);
  big.body() = std::string(200 * 1024, 'x');
  res = c.exchange(std::move(big));
  CHECK(res.result() == http::status::payload_too_large);
  CHECK_FALSE(res.keep_alive());
  CHECK(c.closed_by_peer());
  CHECK_FALSE(server.failed());
}

TEST_CASE("loopback: a client over its request budget gets 429") {
  temp_dir dir;
  const config cfg = make_config(dir);
  build_ledger(cfg);
  api_server_limits limits;
  limits.requests_per_second = 1;
  limits.burst = 3;
  const auto frozen = std::chrono::steady_clock::now();  // no token refills while the requests are made
  limits.clock = [frozen] { return frozen; };
  running_server server(cfg, limits);
  client c(server.port());
  int ok = 0, limited = 0;
  for (int i = 0; i < 6; ++i) {
    const auto res = c.get("/healthz");
    if (res.result() == http::status::ok) ++ok;
    if (res.result() == http::status::too_many_requests) {
      ++limited;
      CHECK(res[http::field::retry_after] == "1");
    }
  }
  CHECK(ok == 3);
  CHECK(limited == 3);
}

TEST_CASE(
    "loopback: a connection in the middle of a request is never closed for a newcomer; a garbage request gets 400") {
  temp_dir dir;
  const config cfg = make_config(dir);
  build_ledger(cfg);
  api_server_limits limits;
  limits.max_connections_per_client = 1;
  running_server server(cfg, limits);
  client first(server.port(), "127.0.0.2");
  CHECK(first.get("/healthz").result() == http::status::ok);
  // `first` is sending a request (its headers are not complete): busy, not idle, so a newcomer is refused.
  first.stream.expires_after(std::chrono::seconds(10));
  asio::write(first.stream, asio::buffer(std::string("GET /healthz HTTP/1.1\r\n")));
  // The server handles ready sockets in the order they became ready, on one thread: once a request from another
  // address made after those bytes is answered, the server has read them and counts `first` as busy.
  client probe(server.port(), "127.0.0.3");
  CHECK(probe.get("/healthz").result() == http::status::ok);
  client second(server.port(), "127.0.0.2");
  CHECK(second.closed_by_peer());
  asio::write(first.stream, asio::buffer(std::string("Host: localhost\r\n\r\n")));
  http::response<http::string_body> done;
  http::read(first.stream, first.buffer, done);
  CHECK(done.result() == http::status::ok);

  // Now `first` waits idle for its next request: a newcomer takes its place.
  client fresh(server.port(), "127.0.0.2");
  fresh.stream.expires_after(std::chrono::seconds(10));
  asio::write(fresh.stream, asio::buffer(std::string("NOT HTTP AT ALL\r\n\r\n")));
  http::response<http::string_body> res;
  http::read(fresh.stream, fresh.buffer, res);
  CHECK(res.result() == http::status::bad_request);
  CHECK(first.closed_by_peer());
}

TEST_CASE("loopback: 70 idle connections from one address lock no one out; /healthz keeps answering") {
  temp_dir dir;
  const config cfg = make_config(dir);
  build_ledger(cfg);
  running_server server(cfg);
  std::vector<std::unique_ptr<client>> idle;
  for (int i = 0; i < 70; ++i) idle.push_back(std::make_unique<client>(server.port(), "127.0.0.2"));
  client other(server.port(), "127.0.0.3");
  CHECK(other.get("/healthz").result() == http::status::ok);
  client same(server.port(), "127.0.0.2");  // even from the address holding them all
  CHECK(same.get("/healthz").result() == http::status::ok);
  CHECK(other.get("/api/findings?limit=1").result() == http::status::ok);
  CHECK_FALSE(server.failed());
}

TEST_CASE("loopback: a connection that sends nothing is closed after the first-byte deadline") {
  temp_dir dir;
  const config cfg = make_config(dir);
  build_ledger(cfg);
  api_server_limits limits;
  limits.first_byte_timeout_s = 1;
  running_server server(cfg, limits);
  client silent(server.port());
  const auto started = std::chrono::steady_clock::now();
  CHECK(silent.closed_by_peer());  // waits at most its own 10 s
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
}
