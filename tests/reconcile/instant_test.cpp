#include "reconcile/instant.hpp"

#include <doctest/doctest.h>

#include <stdexcept>

using namespace dvc;

TEST_CASE("national and provincial forms of one instant are equal") {
  const auto nat = parse_national_time("20240715080000");
  REQUIRE(nat);
  CHECK(parse_iso_time("2024-07-15T08:00:00+07:00") == nat);
  CHECK(parse_iso_time("2024-07-15T01:00:00Z") == nat);
  CHECK(parse_iso_time("2024-07-15T01:00:00.999Z") == nat);  // one-second precision
  CHECK(parse_iso_time("2024-07-15T03:00:00+02:00") == nat);
  CHECK(parse_iso_time("2024-07-15T08:00:00+0700") == nat);
  CHECK(parse_iso_time("2024-07-15T08:00:00") == nat);  // no offset: Vietnam time
  CHECK(parse_iso_time("2024-07-15 08:00:00+07:00") == nat);
  CHECK(*nat == 1721005200);
}

TEST_CASE("absent times") {
  CHECK_FALSE(parse_national_time(""));
  CHECK_FALSE(parse_national_time("   "));
  CHECK_FALSE(parse_iso_time(""));
}

TEST_CASE("malformed times are rejected with the text quoted") {
  for (const char* bad : {"2024071508000", "202407150800000", "2024-07-15", "20241315080000", "20240230080000",
                          "20240715250000", "2024071508000x"}) {
    CAPTURE(bad);
    CHECK_THROWS_AS(parse_national_time(bad), std::invalid_argument);
  }
  for (const char* bad : {"15/07/2024", "2024-07-15T08", "2024-07-15T08:00:00+07:00x", "2024-02-30T00:00:00Z",
                          "2024-07-15T08:00:00.Z", "2024-07-15T08:00:00+25:00", "yesterday"}) {
    CAPTURE(bad);
    CHECK_THROWS_AS(parse_iso_time(bad), std::invalid_argument);
  }
  try {
    parse_iso_time("15/07/2024");
  } catch (const std::invalid_argument& e) {
    CHECK(std::string(e.what()).find("15/07/2024") != std::string::npos);
  }
}

TEST_CASE("leap days and formatting round trips") {
  const auto t = parse_iso_time("2024-02-29T23:59:59+07:00");
  REQUIRE(t);
  CHECK(format_vietnam_iso(*t) == "2024-02-29T23:59:59+07:00");
  CHECK(format_national_time(*t) == "20240229235959");
  CHECK(format_utc_iso(*t) == "2024-02-29T16:59:59Z");
  CHECK(parse_national_time(format_national_time(*t)) == t);
  const civil_date d = vietnam_date(*parse_iso_time("2024-06-30T17:30:00Z"));  // already 1 July in Vietnam
  CHECK(d.year == 2024);
  CHECK(d.month == 7u);
  CHECK(d.day == 1u);
}
