// The exchange on an in-memory stream: the peer's bytes are scripted, so limits, truncation and deadlines are
// tested exactly, without sockets.
#include "connectors/http_exchange.hpp"

#include <doctest/doctest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/beast/_experimental/test/stream.hpp>

#include "tests/connectors/loopback_server.hpp"

using namespace dvc;
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using std::chrono::milliseconds;

namespace {

struct scripted {
  asio::io_context io;
  beast::test::stream client{io};
  beast::test::stream peer{io};
  beast::flat_buffer buffer;
  http_client_config config;
  http::request<http::string_body> request{http::verb::get, "/dossiers?page=0", 11};

  scripted() {
    client.connect(peer);
    config.read_timeout = milliseconds(50);
    config.write_timeout = milliseconds(50);
  }

  std::variant<http_response, exchange_failure> run() {
    std::optional<std::variant<http_response, exchange_failure>> out;
    test::run_until_done(io, [&]() -> asio::awaitable<void> {
      out = co_await exchange(client, buffer, request, config, std::string("GET https://h/dossiers?page=0"));
    }());
    REQUIRE(out.has_value());
    return std::move(*out);
  }
};

const connector_error& failure_of(const std::variant<http_response, exchange_failure>& out) {
  REQUIRE(std::holds_alternative<exchange_failure>(out));
  return std::get<exchange_failure>(out).error;
}

}  // namespace

TEST_CASE("a complete response comes back with its status, body and Retry-After") {
  scripted s;
  s.client.append("HTTP/1.1 429 Too Many Requests\r\nRetry-After: 7\r\nContent-Length: 2\r\n\r\n{}");
  const auto out = s.run();
  REQUIRE(std::holds_alternative<http_response>(out));
  const auto& response = std::get<http_response>(out);
  CHECK(response.status == 429);
  CHECK(response.body == "{}");
  CHECK(response.retry_after == "7");
  CHECK(response.keep_alive);
  CHECK(s.peer.str().find("GET /dossiers?page=0 HTTP/1.1") == 0);  // what the client wrote
}

TEST_CASE("a large body is read in chunks of the buffer's capacity, not 512 bytes at a time") {
  scripted s;
  const std::string body(1 << 20, 'x');
  s.client.append("HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
  const auto out = s.run();
  REQUIRE(std::holds_alternative<http_response>(out));
  CHECK(std::get<http_response>(out).body.size() == body.size());
  // 1 MiB at read_capacity per read is 16 reads; unreserved, Beast took 512 bytes a read: over 2,000.
  CHECK(s.client.nread() <= body.size() / read_capacity + 2);
}

TEST_CASE("a body over the limit is too_large") {
  scripted s;
  s.config.body_limit = 10;
  s.client.append("HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n{\"a\":12345}");
  const auto out = s.run();
  const auto& error = failure_of(out);
  CHECK(error.kind == error_kind::too_large);
  CHECK_MESSAGE(error.message.find("GET https://h/dossiers?page=0") == 0, error.message);
}

TEST_CASE("a chunked body growing over the limit is too_large") {
  scripted s;
  s.config.body_limit = 8;
  s.client.append("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n12345\r\n5\r\n67890\r\n0\r\n\r\n");
  CHECK(failure_of(s.run()).kind == error_kind::too_large);
}

TEST_CASE("headers over the limit are too_large") {
  scripted s;
  s.config.header_limit = 64;
  s.client.append("HTTP/1.1 200 OK\r\nX-Padding: " + std::string(200, 'x') + "\r\nContent-Length: 0\r\n\r\n");
  CHECK(failure_of(s.run()).kind == error_kind::too_large);
}

TEST_CASE("a server closing mid-body gives truncated, never the partial body") {
  scripted s;
  s.client.append("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"content\":[");
  s.peer.close();
  const auto out = s.run();
  const auto& error = failure_of(out);
  CHECK(error.kind == error_kind::truncated);
  CHECK_FALSE(std::get<exchange_failure>(out).nothing_received);
}

TEST_CASE("a server closing before answering is a connect failure with nothing received") {
  scripted s;
  s.peer.close();
  const auto out = s.run();
  CHECK(failure_of(out).kind == error_kind::connect);
  CHECK(std::get<exchange_failure>(out).nothing_received);
}

TEST_CASE("a slow peer hits the read deadline") {
  scripted s;
  s.client.append("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"con");  // and then nothing
  const auto started = std::chrono::steady_clock::now();
  const auto out = s.run();
  const auto& error = failure_of(out);
  CHECK(error.kind == error_kind::timeout);
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
}

TEST_CASE("garbage instead of HTTP is a protocol error") {
  scripted s;
  s.client.append("SSH-2.0-OpenSSH_9.2\r\n\r\n");
  CHECK(failure_of(s.run()).kind == error_kind::protocol);
}

TEST_CASE("Connection: close is reported so the connection is not reused") {
  scripted s;
  s.client.append("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\n[]");
  const auto out = s.run();
  REQUIRE(std::holds_alternative<http_response>(out));
  CHECK_FALSE(std::get<http_response>(out).keep_alive);
}
