// Through the contract profiles, the portal client sends byte for byte the requests docs/wire-formats.md
// describes: its targets, headers and bodies, so a portal of the contract shape sees the calls it always has.
#include <doctest/doctest.h>

#include <boost/asio/io_context.hpp>
#include <boost/beast/http/write.hpp>
#include <sstream>

#include "connectors/portal_client.hpp"
#include "tests/connectors/fake_env.hpp"
#include "tests/connectors/fake_portals.hpp"
#include "tests/connectors/shipped_profiles.hpp"

using namespace dvc;
namespace asio = boost::asio;

namespace {

// Every request as it arrived, serialised again in the order its header fields came.
struct recorder {
  std::vector<std::string> requests;
  void operator()(const test::request& r) {
    std::ostringstream out;
    out << r;
    requests.push_back(out.str());
  }
};

std::string request_text(const std::string& head, const std::string& host, const std::string& fields,
                         const std::string& body = {}, bool content_length = false) {
  std::string out =
      head + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: dvcrecon\r\nAccept: application/json\r\n" + fields;
  if (content_length) out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  return out + "\r\n" + body;
}

}  // namespace

TEST_CASE("requests: the contract provincial profile sends the token, listing and look-up calls of the contract") {
  asio::io_context io;
  test::fake_provincial portal;
  portal.records = {{"101", 1'721'000'001}, {"102", 1'721'000'002}};
  recorder seen;
  test::loopback_server server{io, [&](const test::request& r) {
                                 seen(r);
                                 return portal.handle(r);
                               }};
  portal_config config;
  config.base_url = server.base() + "/api";
  config.token_url = server.base() + "/token";
  config.client_id = "dvc recon";
  config.client_secret = portal.client_secret;
  config.page_size = 5;
  portal_client client(io.get_executor(), test::shipped_transport("contract-provincial"), config,
                       test::fake_env(std::make_shared<test::fake_world>()));
  test::run_until_done(io, [&]() -> asio::awaitable<void> {
    const auto listed = co_await client.list_changed(1'721'000'000, 0, [](const page_record&, const std::string&) {});
    REQUIRE(listed.ok());
    REQUIRE((co_await client.list_changed(
                 1'721'000'000, 0, [](const page_record&, const std::string&) {}, "H10.1"))
                .ok());
    REQUIRE((co_await client.lookup("000.00.12.H10-240715-101")).ok());
  }());
  const std::string host = "127.0.0.1:" + std::to_string(server.port());
  const std::string form = "grant_type=client_credentials&client_id=dvc%20recon&client_secret=s3cret-provincial";
  const std::string bearer = "Authorization: Bearer tok-1\r\n";
  REQUIRE(seen.requests.size() == 4);
  CHECK(seen.requests[0] ==
        request_text("POST /token", host, "Content-Type: application/x-www-form-urlencoded\r\n", form, true));
  CHECK(seen.requests[1] ==
        request_text("GET /api/dossiers?updatedFrom=2024-07-14T23%3A33%3A20Z&page=0&size=5", host, bearer));
  CHECK(seen.requests[2] ==
        request_text("GET /api/dossiers?updatedFrom=2024-07-14T23%3A33%3A20Z&page=0&size=5&agencyCode=H10.1", host,
                     bearer));
  CHECK(seen.requests[3] == request_text("GET /api/dossiers/000.00.12.H10-240715-101", host, bearer));
}

TEST_CASE("requests: the contract national profile sends the log-in, listing and look-up calls of the contract") {
  asio::io_context io;
  test::fake_national portal;
  portal.records = {{"101", 1'721'000'001}};
  recorder seen;
  test::loopback_server server{io, [&](const test::request& r) {
                                 seen(r);
                                 return portal.handle(r);
                               }};
  portal_config config;
  config.base_url = server.base() + "/dvcqg/adapter";
  config.dstcode = "DST-1";
  config.madonvi = "000.00.12.H10";
  config.username = "dvc-user";
  config.password = portal.password;
  config.page_size = 5;
  portal_client client(io.get_executor(), test::shipped_transport("contract-national"), config,
                       test::fake_env(std::make_shared<test::fake_world>()));
  test::run_until_done(io, [&]() -> asio::awaitable<void> {
    REQUIRE((co_await client.list_changed(1'721'000'000, 1'721'003'600, [](const page_record&, const std::string&) {
            })).ok());
    REQUIRE((co_await client.lookup("000.00.12.H10-240715-101")).ok());
  }());
  const std::string host = "127.0.0.1:" + std::to_string(server.port());
  const std::string fields = "dstcode: DST-1\r\nContent-Type: application/json\r\n";
  REQUIRE(seen.requests.size() == 3);
  CHECK(seen.requests[0] == request_text("POST /dvcqg/adapter", host, fields,
                                         R"({"password":"s3cret-national","service":"DangNhap","username":"dvc-user"})",
                                         true));
  CHECK(seen.requests[1] ==
        request_text("POST /dvcqg/adapter", host, fields,
                     R"({"denngay":"20240715073320","madonvi":"000.00.12.H10","service":"LayDanhSachHoSo",)"
                     R"("session":"sess-1","sobanghi":5,"trang":1,"tungay":"20240715063320"})",
                     true));
  CHECK(seen.requests[2] ==
        request_text("POST /dvcqg/adapter", host, fields,
                     R"({"madonvi":"000.00.12.H10","mahoso":"000.00.12.H10-240715-101","service":"TraCuuHoSo",)"
                     R"("session":"sess-1"})",
                     true));
}
