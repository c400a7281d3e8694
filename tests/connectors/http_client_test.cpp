// The production client over real loopback sockets: refused connections, the TCP stream's own read deadline,
// and one request at a time.
#include "connectors/http_client.hpp"

#include <doctest/doctest.h>

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>

#include "tests/connectors/loopback_server.hpp"

using namespace dvc;
namespace asio = boost::asio;
using std::chrono::milliseconds;

namespace {

std::unique_ptr<http_client> make_client(asio::io_context& io, const std::string& url, http_client_config config = {}) {
  auto origin = parse_endpoint_url(url);
  REQUIRE(origin.ok());
  auto client = http_client::create(io.get_executor(), origin.value(), config);
  REQUIRE(client.ok());
  return std::move(client).value();
}

http_call get(const std::string& target) {
  http_call call;
  call.target = target;
  return call;
}

}  // namespace

TEST_CASE("http_client: a refused connection is a connect error naming the origin") {
  asio::io_context io;
  // Take a free port, then close it, so nothing listens there.
  std::uint16_t port = 0;
  {
    asio::ip::tcp::acceptor probe(io, asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    port = probe.local_endpoint().port();
  }
  auto client = make_client(io, "http://127.0.0.1:" + std::to_string(port) + "/");
  std::optional<result<http_response>> out;
  test::run_until_done(io, [&]() -> asio::awaitable<void> { out = co_await client->send(get("/x")); }());
  REQUIRE_FALSE(out->ok());
  CHECK(out->error().kind == error_kind::connect);
  CHECK(out->error().message.find("http://127.0.0.1:" + std::to_string(port)) != std::string::npos);
}

TEST_CASE("http_client: a server that stalls hits the read deadline of the TCP stream") {
  asio::io_context io;
  test::loopback_server server(io, [](const test::request&) {
    test::reply r;
    r.how = test::reply::mode::stall;
    return r;
  });
  http_client_config config;
  config.read_timeout = milliseconds(100);
  auto client = make_client(io, server.base(), config);
  std::optional<result<http_response>> out;
  const auto started = std::chrono::steady_clock::now();
  test::run_until_done(io, [&]() -> asio::awaitable<void> { out = co_await client->send(get("/slow")); }());
  REQUIRE_FALSE(out->ok());
  CHECK(out->error().kind == error_kind::timeout);
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
  CHECK_FALSE(client->connected());  // a timed-out connection is never reused
}

TEST_CASE("http_client: a second request while one is in flight is refused, not interleaved") {
  asio::io_context io;
  test::loopback_server server(io, [](const test::request& req) {
    return test::json_reply(200, {{"target", std::string(req.target())}});
  });
  auto client = make_client(io, server.base());
  std::optional<result<http_response>> first, second;
  test::run_until_done(io, [&]() -> asio::awaitable<void> {
    using namespace asio::experimental::awaitable_operators;
    co_await ([&]() -> asio::awaitable<void> { first = co_await client->send(get("/one")); }() &&
                           [&]() -> asio::awaitable<void> { second = co_await client->send(get("/two")); }());
  }());
  REQUIRE(first->ok());
  CHECK(first->value().body == R"({"target":"/one"})");
  REQUIRE_FALSE(second->ok());
  CHECK(second->error().message.find("already in flight") != std::string::npos);
}

TEST_CASE("http_client: requests reuse one connection") {
  asio::io_context io;
  test::loopback_server server(io, [](const test::request&) { return test::json_reply(200, {}); });
  auto client = make_client(io, server.base());
  test::run_until_done(io, [&]() -> asio::awaitable<void> {
    for (int i = 0; i < 5; ++i) {
      auto answer = co_await client->send(get("/again"));
      REQUIRE(answer.ok());
    }
  }());
  CHECK(server.connections() == 1);
  CHECK(client->connections_opened() == 1);
}

TEST_CASE("http_client: a header value with CR, LF or another control character is refused, never sent") {
  asio::io_context io;
  int requests = 0;
  test::loopback_server server(io, [&](const test::request&) {
    ++requests;
    return test::json_reply(200, {});
  });
  auto client = make_client(io, server.base());
  for (const std::string& value :
       {std::string("a\r\nX-Injected: 1"), std::string("a\nb"), std::string("a\0b", 3), std::string("a\x7f")}) {
    CAPTURE(value);
    http_call call = get("/x");
    call.headers.emplace_back("Authorization", "Bearer " + value);
    std::optional<result<http_response>> out;
    test::run_until_done(io, [&]() -> asio::awaitable<void> { out = co_await client->send(call); }());
    REQUIRE_FALSE(out->ok());
    CHECK(out->error().kind == error_kind::protocol);
    CHECK(out->error().message.find("header Authorization") != std::string::npos);
    CHECK(out->error().message.find("X-Injected") == std::string::npos);
  }
  CHECK(requests == 0);
}
