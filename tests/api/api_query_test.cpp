#include "api/api_query.hpp"

#include <doctest/doctest.h>

#include "api/metrics.hpp"
#include "connectors/endpoint_url.hpp"

using namespace dvc;

TEST_CASE("request targets split into a decoded path and parameters") {
  const auto t = parse_target("/api/dossiers/000.00.12.H10-240715-0001?q=S%E1%BB%9F+GTVT&limit=5&&flag");
  REQUIRE(t);
  CHECK(t->path == "/api/dossiers/000.00.12.H10-240715-0001");
  CHECK(t->params.at("q") == "Sở GTVT");
  CHECK(t->params.at("limit") == "5");
  CHECK(t->params.at("flag").empty());
}

TEST_CASE("malformed escapes and broken UTF-8 are refused") {
  CHECK_FALSE(parse_target("/a?x=%4"));  // escape cut short at the end
  CHECK_FALSE(parse_target("/a?x=%G1"));
  CHECK_FALSE(parse_target("/a%FF"));
  CHECK_FALSE(parse_target("/a?x=%C0%AF"));     // overlong '/'
  CHECK_FALSE(parse_target("/a?x=%ED%A0%80"));  // surrogate
  CHECK(valid_utf8("Sở Tư pháp"));
  CHECK_FALSE(valid_utf8("\xE1\xBB"));
}

TEST_CASE("percent-encoding round-trips any text") {
  const std::string s = "000.00.12.H10-240715-0001 /?&=#Sở";
  CHECK(percent_decode(percent_encode(s), false) == s);
  CHECK(percent_encode("a b") == "a%20b");
}

TEST_CASE("label values are escaped for the exposition format") {
  CHECK(escape_label("a\"b\\c\nd") == "a\\\"b\\\\c\\nd");
}
