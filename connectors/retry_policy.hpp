#pragma once
// When to try a failed request again and how long to wait first. Pure functions of their inputs (the random
// draw and "now" are passed in) so tests check the bounds without waiting or guessing.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

#include "connectors/connector_error.hpp"
#include "connectors/portal_config.hpp"

namespace dvc {

// Worth another attempt: timeouts, refused/reset connections, truncated bodies, malformed pages, national
// failures other than bad parameters, HTTP 429 and 5xx. Not: configuration, TLS, auth, rejected, too large,
// other 4xx, paging_limit.
bool is_transient(const connector_error& error);

// RFC 7231 IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`) as Unix seconds; nullopt for anything else.
std::optional<std::int64_t> parse_http_date(std::string_view text);

// `Retry-After` as delta-seconds or an HTTP-date relative to `now_unix`; a date in the past is zero.
// nullopt when the value is neither.
std::optional<std::chrono::seconds> parse_retry_after(std::string_view value, std::int64_t now_unix);

// Full jitter: uniform in [0, min(max_delay, base_delay · 2^(failed_attempts − 1))], drawn from
// `unit_random` ∈ [0, 1).
std::chrono::milliseconds backoff_delay(const retry_config& config, unsigned failed_attempts, double unit_random);

// The wait before the next attempt after `failed_attempts` attempts have failed, the last with `error`;
// nullopt when the error is not transient or the attempts are used up. A 429/503 with a usable Retry-After
// waits that long, capped at `max_retry_after`.
std::optional<std::chrono::milliseconds> retry_delay(const retry_config& config, unsigned failed_attempts,
                                                     const connector_error& error, double unit_random,
                                                     std::int64_t now_unix);

}  // namespace dvc
