#include "connectors/retry_policy.hpp"

#include <doctest/doctest.h>

using namespace dvc;
using std::chrono::milliseconds;
using std::chrono::seconds;

namespace {

connector_error status(unsigned code, std::string retry_after = {}) {
  return {error_kind::http_status, "GET x: HTTP " + std::to_string(code) + ".", code, std::move(retry_after)};
}

}  // namespace

TEST_CASE("IMF-fixdate parses to Unix seconds and anything else does not") {
  CHECK(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT") == 784111777);
  CHECK(parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT") == 0);
  CHECK(parse_http_date("Thu, 29 Feb 2024 12:00:00 GMT") == 1709208000);
  CHECK_FALSE(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"));  // RFC 850: obsolete, not accepted
  CHECK_FALSE(parse_http_date("Sun Nov  6 08:49:37 1994"));
  CHECK_FALSE(parse_http_date("Mon, 06 Nov 1994 08:49:37 GMT"));  // wrong weekday
  CHECK_FALSE(parse_http_date("Sun, 06 Nov 1994 08:49:37 UTC"));
  CHECK_FALSE(parse_http_date("Fri, 29 Feb 2023 12:00:00 GMT"));  // not a leap year
  CHECK_FALSE(parse_http_date("Sun, 06 Foo 1994 08:49:37 GMT"));
  CHECK_FALSE(parse_http_date("Sun, 06 Nov 1994 24:49:37 GMT"));
  CHECK_FALSE(parse_http_date(""));
}

TEST_CASE("Retry-After in seconds, as an HTTP-date, and garbage") {
  const std::int64_t now = 784111777;  // Sun, 06 Nov 1994 08:49:37 GMT
  CHECK(parse_retry_after("120", now) == seconds(120));
  CHECK(parse_retry_after(" 0 ", now) == seconds(0));
  CHECK(parse_retry_after("Sun, 06 Nov 1994 08:50:07 GMT", now) == seconds(30));
  CHECK(parse_retry_after("Sun, 06 Nov 1994 08:00:00 GMT", now) == seconds(0));  // already past
  CHECK(parse_retry_after("99999999999999999999999", now) == seconds::max());
  CHECK_FALSE(parse_retry_after("-5", now));
  CHECK_FALSE(parse_retry_after("1.5", now));
  CHECK_FALSE(parse_retry_after("soon", now));
  CHECK_FALSE(parse_retry_after("", now));
}

TEST_CASE("backoff is capped exponential with full jitter") {
  retry_config config;
  config.base_delay = milliseconds(500);
  config.max_delay = milliseconds(8000);
  // The top of the draw is the ceiling: 500, 1000, 2000, 4000, 8000, then capped.
  CHECK(backoff_delay(config, 1, 1.0) == milliseconds(500));
  CHECK(backoff_delay(config, 2, 1.0) == milliseconds(1000));
  CHECK(backoff_delay(config, 4, 1.0) == milliseconds(4000));
  CHECK(backoff_delay(config, 5, 1.0) == milliseconds(8000));
  CHECK(backoff_delay(config, 60, 1.0) == milliseconds(8000));
  CHECK(backoff_delay(config, 3, 0.0) == milliseconds(0));
  CHECK(backoff_delay(config, 3, 0.25) == milliseconds(500));
  for (unsigned attempt = 1; attempt < 40; ++attempt) {
    for (double r : {0.0, 0.1, 0.5, 0.999}) {
      const auto d = backoff_delay(config, attempt, r);
      CHECK(d >= milliseconds(0));
      CHECK(d <= config.max_delay);
    }
  }
}

TEST_CASE("which failures are retried, and for how long") {
  retry_config config;
  config.max_attempts = 3;
  config.base_delay = milliseconds(1000);
  config.max_retry_after = seconds(60);
  const std::int64_t now = 784111777;

  CHECK(retry_delay(config, 1, status(503), 0.5, now) == milliseconds(500));
  CHECK(retry_delay(config, 2, status(500), 0.5, now) == milliseconds(1000));
  CHECK_FALSE(retry_delay(config, 3, status(500), 0.5, now));  // attempts used up
  CHECK(retry_delay(config, 1, status(429, "7"), 0.5, now) == milliseconds(7000));
  CHECK(retry_delay(config, 1, status(429, "Sun, 06 Nov 1994 08:49:47 GMT"), 0.5, now) == milliseconds(10000));
  CHECK(retry_delay(config, 1, status(429, "86400"), 0.5, now) == milliseconds(60000));   // capped
  CHECK(retry_delay(config, 1, status(429, "whenever"), 0.5, now) == milliseconds(500));  // garbage: backoff
  CHECK(retry_delay(config, 1, status(503, "3"), 0.5, now) == milliseconds(3000));

  CHECK_FALSE(retry_delay(config, 1, status(404), 0.5, now));
  CHECK_FALSE(retry_delay(config, 1, status(401), 0.5, now));
  for (error_kind kind :
       {error_kind::timeout, error_kind::connect, error_kind::truncated, error_kind::malformed, error_kind::portal}) {
    CAPTURE(error_kind_name(kind));
    CHECK(retry_delay(config, 1, {kind, "x"}, 0.5, now));
  }
  for (error_kind kind : {error_kind::config, error_kind::tls, error_kind::too_large, error_kind::protocol,
                          error_kind::auth, error_kind::rejected, error_kind::paging_limit}) {
    CAPTURE(error_kind_name(kind));
    CHECK_FALSE(retry_delay(config, 1, {kind, "x"}, 0.5, now));
  }
}
