#include "config/config_listen.hpp"

#include <doctest/doctest.h>

using namespace dvc;

TEST_CASE("listen addresses split into host and port") {
  const auto v4 = parse_listen_address("127.0.0.1:8470");
  REQUIRE(v4.address);
  CHECK(v4.address->host == "127.0.0.1");
  CHECK(v4.address->port == 8470);
  const auto v6 = parse_listen_address("[::1]:0");
  REQUIRE(v6.address);
  CHECK(v6.address->host == "::1");
  CHECK(v6.address->port == 0);
  const auto name = parse_listen_address("dvc.internal:80");
  REQUIRE(name.address);
  CHECK(name.address->host == "dvc.internal");
}

TEST_CASE("malformed listen addresses say what is wrong") {
  const auto error_of = [](std::string_view text) { return parse_listen_address(text).error; };
  CHECK(error_of("8470") == "is not a valid host:port (8470): no :port");
  CHECK(error_of(":8470").find("malformed host") != std::string::npos);
  CHECK(error_of("a_b:80").find("malformed host") != std::string::npos);
  CHECK(error_of("-a:80").find("malformed host") != std::string::npos);
  CHECK(error_of("host..x:80").find("malformed host") != std::string::npos);
  CHECK(error_of("999.1.1.1:80").find("malformed host") != std::string::npos);
  CHECK(error_of("host:port").find("within 0..65535") != std::string::npos);
  CHECK(error_of("host:").find("within 0..65535") != std::string::npos);
  CHECK(error_of("host:65536").find("within 0..65535") != std::string::npos);
  CHECK(error_of("[::1:80").find("closing ]") != std::string::npos);
  CHECK(error_of("[::g]:80").find("malformed IPv6") != std::string::npos);
  CHECK(error_of("[::1]80").find("no :port") != std::string::npos);
}
