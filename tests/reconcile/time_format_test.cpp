#include "reconcile/time_format.hpp"

#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

using namespace dvc;

namespace {
constexpr instant july_15_0800_vn = 1721005200;  // 2024-07-15T08:00:00+07:00
}

TEST_CASE("every read format names the same instant") {
  struct row {
    const char* format;
    const char* text;
  };
  const row rows[] = {
      {"iso8601", "2024-07-15T08:00:00+07:00"},
      {"iso8601", "2024-07-15T08:00:00.000+0700"},
      {"iso8601", "2024-07-15T01:00:00Z"},
      {"yyyyMMddHHmmss", "20240715080000"},
      {"dd/MM/yyyy HH:mm:ss", "15/07/2024 08:00:00"},
      {"epoch_ms", "1721005200000"},
      {"epoch_ms", "1721005200999"},
  };
  for (const auto& r : rows) {
    CAPTURE(r.format);
    CAPTURE(r.text);
    const auto f = read_format_named(r.format);
    REQUIRE(f);
    CHECK(parse_time(r.text, *f) == july_15_0800_vn);
    CHECK_FALSE(parse_time("", *f));
    CHECK_FALSE(parse_time("  ", *f));
  }
}

TEST_CASE("a time the format does not accept names the text and why") {
  struct row {
    read_format format;
    const char* text;
    const char* why;
  };
  const row rows[] = {
      {read_format::day_first, "2024-07-15 08:00:00", "expected dd/MM/yyyy HH:mm:ss"},
      {read_format::day_first, "31/02/2024 08:00:00", "day out of range"},
      {read_format::day_first, "15/13/2024 08:00:00", "month out of range"},
      {read_format::day_first, "15/07/2024 24:00:00", "time of day out of range"},
      {read_format::epoch_ms, "17210052000x", "expected milliseconds since 1970 as digits"},
      {read_format::epoch_ms, "99999999999999999999999", "expected milliseconds since 1970 as digits"},
      {read_format::compact, "2024071508", "expected yyyyMMddHHmmss"},
  };
  for (const auto& r : rows) {
    CAPTURE(r.text);
    try {
      parse_time(r.text, r.format);
      FAIL("accepted");
    } catch (const std::invalid_argument& e) {
      const std::string what = e.what();
      CHECK(what.find(r.text) != std::string::npos);
      CHECK(what.find(r.why) != std::string::npos);
    }
  }
}

TEST_CASE("epoch milliseconds before 1970 round down to the second before") {
  CHECK(parse_time("-1", read_format::epoch_ms) == -1);
  CHECK(parse_time("-1000", read_format::epoch_ms) == -1);
  CHECK(parse_time("-1001", read_format::epoch_ms) == -2);
}

TEST_CASE("write formats") {
  const auto w = [](const char* name) {
    const auto f = write_format_named(name);
    REQUIRE(f);
    return format_time(july_15_0800_vn, *f);
  };
  CHECK(w("iso8601_utc") == "2024-07-15T01:00:00Z");
  CHECK(w("iso8601_vn") == "2024-07-15T08:00:00+07:00");
  CHECK(w("yyyyMMddHHmmss") == "20240715080000");
  CHECK(w("epoch_ms") == "1721005200000");
  CHECK_FALSE(write_format_named("iso8601"));
  CHECK_FALSE(read_format_named("iso8601_utc"));
}
