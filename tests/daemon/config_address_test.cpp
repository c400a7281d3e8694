#include <doctest/doctest.h>

#include "daemon/config_address.hpp"

using namespace dvc;

TEST_CASE("loopback hosts are localhost, 127.0.0.0/8 and ::1 only") {
  CHECK(is_loopback_host("localhost"));
  CHECK(is_loopback_host("LocalHost"));
  CHECK(is_loopback_host("127.0.0.1"));
  CHECK(is_loopback_host("127.255.3.4"));
  CHECK(is_loopback_host("::1"));
  CHECK_FALSE(is_loopback_host("128.0.0.1"));
  CHECK_FALSE(is_loopback_host("::2"));
  CHECK_FALSE(is_loopback_host("::ffff:127.0.0.1"));
  CHECK_FALSE(is_loopback_host("localhost.example.vn"));
  CHECK_FALSE(is_loopback_host("127.0.0.1.example.vn"));
  CHECK_FALSE(is_loopback_host(""));
}

TEST_CASE("a URL splits into scheme, host, port and target and prints back") {
  const auto u = parse_http_url("https://[2001:db8::1]:8443/a/b?c=d");
  REQUIRE(u.url);
  CHECK(u.url->scheme == "https");
  CHECK(u.url->host == "2001:db8::1");
  CHECK(u.url->port == 8443);
  CHECK(u.url->target == "/a/b?c=d");
  CHECK(to_string(*u.url) == "https://[2001:db8::1]:8443/a/b?c=d");

  const auto q = parse_http_url("http://localhost?x=1");
  REQUIRE(q.url);
  CHECK(q.url->target == "/?x=1");
  CHECK(to_string(*q.url) == "http://localhost/?x=1");
}

TEST_CASE("listen addresses need a host and a port") {
  const auto a = parse_listen_address("127.0.0.1:8470");
  REQUIRE(a.address);
  CHECK(a.address->host == "127.0.0.1");
  CHECK(a.address->port == 8470);
  CHECK_FALSE(parse_listen_address(":8470").address);
  CHECK_FALSE(parse_listen_address("host:port").address);
  CHECK_FALSE(parse_listen_address("a_b:80").address);
  CHECK_FALSE(parse_listen_address("-a:80").address);
}
