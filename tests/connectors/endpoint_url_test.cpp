#include "connectors/endpoint_url.hpp"

#include <doctest/doctest.h>

using namespace dvc;

TEST_CASE("https URLs split into host, port and target") {
  auto url = parse_endpoint_url("https://DVC.Example.gov.vn/api/v1?x=1");
  REQUIRE(url.ok());
  CHECK(url.value().scheme == "https");
  CHECK(url.value().host == "dvc.example.gov.vn");
  CHECK(url.value().port == 443);
  CHECK(url.value().target == "/api/v1?x=1");
  CHECK(url.value().host_header() == "dvc.example.gov.vn");

  auto bare = parse_endpoint_url("https://portal.example:8443");
  REQUIRE(bare.ok());
  CHECK(bare.value().port == 8443);
  CHECK(bare.value().target == "/");
  CHECK(bare.value().origin() == "https://portal.example:8443");

  auto v6 = parse_endpoint_url("http://[::1]:8470/p");
  REQUIRE(v6.ok());
  CHECK(v6.value().host == "::1");
  CHECK(v6.value().host_header() == "[::1]:8470");
}

TEST_CASE("plain http only reaches loopback hosts") {
  CHECK(parse_endpoint_url("http://127.0.0.1:8470/").ok());
  CHECK(parse_endpoint_url("http://127.8.9.10/").ok());
  CHECK(parse_endpoint_url("http://localhost:1/").ok());
  CHECK(parse_endpoint_url("http://LOCALHOST/").ok());
  CHECK(parse_endpoint_url("http://[::1]/").ok());
  for (const char* outside : {"http://10.0.0.1/", "http://dvc.example.gov.vn/", "http://128.0.0.1/", "http://[::2]/",
                              "http://localhost.example/"}) {
    CAPTURE(outside);
    auto url = parse_endpoint_url(outside);
    REQUIRE_FALSE(url.ok());
    CHECK(url.error().kind == error_kind::config);
    CHECK(url.error().message.find("not loopback") != std::string::npos);
  }
}

TEST_CASE("malformed URLs are refused with a sentence naming the fault") {
  const std::pair<const char*, const char*> cases[] = {
      {"", "empty"},
      {"dvc.example.gov.vn/api", "no scheme"},
      {"ftp://dvc.example/", "scheme other"},
      {"https:///dossiers", "no host"},
      {"https://exa mple/", "whitespace"},
      {"https://example:0/", "port outside"},
      {"https://example:70000/", "port outside"},
      {"https://example:/", "empty port"},
      {"https://example:8x/", "port outside"},
      {"https://exa!mple/", "malformed host"},
      {"https://[::1/", "unterminated"},
      {"https://[zz]/", "malformed IPv6"},
      {"https://example/#top", "fragment"},
  };
  for (const auto& [text, expected] : cases) {
    const auto& shown_text = text;  // CAPTURE's lambda cannot capture a structured binding (clang 14)
    CAPTURE(shown_text);
    auto url = parse_endpoint_url(text);
    REQUIRE_FALSE(url.ok());
    CHECK(url.error().kind == error_kind::config);
    CHECK(url.error().message.find(expected) != std::string::npos);
  }
}

TEST_CASE("credentials in a URL are refused without being echoed") {
  auto url = parse_endpoint_url("https://user:hunter2@example/");
  REQUIRE_FALSE(url.ok());
  CHECK(url.error().message.find("hunter2") == std::string::npos);
  CHECK(url.error().message.find("credentials") != std::string::npos);
}

TEST_CASE("percent_encode leaves unreserved characters alone") {
  CHECK(percent_encode("000.00.12.H10-240715-0001") == "000.00.12.H10-240715-0001");
  CHECK(percent_encode("2024-07-15T01:00:00Z") == "2024-07-15T01%3A00%3A00Z");
  CHECK(percent_encode("a b&c=d/é") == "a%20b%26c%3Dd%2F%C3%A9");
}
