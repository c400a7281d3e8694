// TLS against an in-test server with certificates made at test time: the client accepts the server only with
// the right CA file, and refuses self-signed, expired and wrong-host certificates with a clear error.
#include <doctest/doctest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>

#include "connectors/http_client.hpp"
#include "tests/connectors/loopback_server.hpp"
#include "tests/connectors/test_pki.hpp"

using namespace dvc;
namespace asio = boost::asio;

namespace {

const test::test_pki& pki() {
  static const test::test_pki instance;
  return instance;
}

asio::ssl::context server_context(const test::pem_identity& identity) {
  asio::ssl::context ctx(asio::ssl::context::tls_server);
  ctx.use_certificate_chain(asio::buffer(identity.certificate));
  ctx.use_private_key(asio::buffer(identity.private_key), asio::ssl::context::pem);
  return ctx;
}

// One GET over TLS to a server presenting `identity`, trusting `ca_file`, addressed as `host`.
result<http_response> fetch(const test::pem_identity& identity, const std::string& ca_file,
                            const std::string& host = "127.0.0.1") {
  asio::io_context io;
  auto ctx = server_context(identity);
  test::loopback_server server(
      io,
      [](const test::request&) {
        return test::json_reply(200, {{"ok", true}});
      },
      &ctx);
  auto origin = parse_endpoint_url(server.base("https", host));
  REQUIRE(origin.ok());
  http_client_config config;
  config.ca_file = ca_file;
  config.handshake_timeout = std::chrono::seconds(5);
  auto client = http_client::create(io.get_executor(), origin.value(), config);
  if (!client) return client.error();
  std::optional<result<http_response>> out;
  test::run_until_done(io, [&]() -> asio::awaitable<void> {
    http_call call;
    call.target = "/";
    out = co_await client.value()->send(call);
    co_await client.value()->close();
  }());
  return std::move(*out);
}

}  // namespace

TEST_CASE("the right CA file is accepted, by IP address and by host name") {
  for (const char* host : {"127.0.0.1", "localhost"}) {
    CAPTURE(host);
    const auto answer = fetch(pki().good, pki().ca_file.string(), host);
    REQUIRE_MESSAGE(answer.ok(), (answer.ok() ? "" : answer.error().message));
    CHECK(answer.value().status == 200);
    CHECK(answer.value().body == R"({"ok":true})");
  }
}

TEST_CASE("a CA that did not sign the server's certificate is refused") {
  const auto answer = fetch(pki().good, pki().other_ca_file.string());
  REQUIRE_FALSE(answer.ok());
  CHECK(answer.error().kind == error_kind::tls);
  CHECK(answer.error().message.find("The TLS handshake with https://127.0.0.1:") == 0);
  CHECK(answer.error().message.find("unable to get local issuer certificate") != std::string::npos);
}

TEST_CASE("a self-signed certificate is refused") {
  const auto answer = fetch(pki().self_signed, pki().ca_file.string());
  REQUIRE_FALSE(answer.ok());
  CHECK(answer.error().kind == error_kind::tls);
  CHECK(answer.error().message.find("self-signed") != std::string::npos);
}

TEST_CASE("an expired certificate is refused") {
  const auto answer = fetch(pki().expired, pki().ca_file.string());
  REQUIRE_FALSE(answer.ok());
  CHECK(answer.error().kind == error_kind::tls);
  CHECK(answer.error().message.find("expired") != std::string::npos);
}

TEST_CASE("a certificate for another host is refused") {
  for (const char* host : {"127.0.0.1", "localhost"}) {
    CAPTURE(host);
    const auto answer = fetch(pki().wrong_host, pki().ca_file.string(), host);
    REQUIRE_FALSE(answer.ok());
    CHECK(answer.error().kind == error_kind::tls);
    CHECK(answer.error().message.find("mismatch") != std::string::npos);
  }
}

TEST_CASE("a certificate naming the host only in its subject CN, without a subject alternative name, is refused") {
  const auto answer = fetch(pki().common_name_only, pki().ca_file.string(), "localhost");
  REQUIRE_FALSE(answer.ok());
  CHECK(answer.error().kind == error_kind::tls);
  CHECK(answer.error().message.find("mismatch") != std::string::npos);
}

TEST_CASE("the system store does not trust a test CA") {
  const auto answer = fetch(pki().good, "");
  REQUIRE_FALSE(answer.ok());
  CHECK(answer.error().kind == error_kind::tls);
}

TEST_CASE("a CA file that cannot be read is a configuration error naming it") {
  auto origin = parse_endpoint_url("https://127.0.0.1:1/");
  REQUIRE(origin.ok());
  asio::io_context io;
  http_client_config config;
  config.ca_file = "/nonexistent/dvc-ca.pem";
  auto client = http_client::create(io.get_executor(), origin.value(), config);
  REQUIRE_FALSE(client.ok());
  CHECK(client.error().kind == error_kind::config);
  CHECK(client.error().message.find("/nonexistent/dvc-ca.pem") != std::string::npos);
}
