#pragma once
// The two wire time formats the simulator writes and reads. The simulator keeps its own small formatter and
// parser rather than the engine's so that it checks the client's output independently; the calendar arithmetic
// underneath is the project's one copy (reconcile/instant.hpp).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "reconcile/instant.hpp"

namespace dvc::sim {

using dvc::days_from_civil;

inline constexpr std::int64_t vn_offset_s = 7 * 3600;

struct civil {
  std::int64_t year;
  unsigned month, day, hour, minute, second;
};
civil civil_from_unix(std::int64_t t);

// `2024-07-15T08:00:00+07:00` or, with zulu, `2024-07-15T01:00:00Z`.
void append_iso(std::string& out, std::int64_t t, bool zulu);
// `2024-07-15T08:00:00.123+0700`: Vietnam time with milliseconds and an offset without a colon.
void append_iso_millis(std::string& out, std::int64_t t, unsigned millis);
// `20240715080000`, Vietnam time.
void append_national(std::string& out, std::int64_t t);
// `15/07/2024 08:00:00`, Vietnam time.
void append_day_first(std::string& out, std::int64_t t);
// `Mon, 15 Jul 2024 01:00:00 GMT` (RFC 7231 IMF-fixdate), for Retry-After.
std::string http_date(std::int64_t t);

// Readers for query parameters and tests. nullopt when the text is not in the format. read_iso takes an offset
// with or without a colon, or Z, and drops fractions of a second.
std::optional<std::int64_t> read_iso(std::string_view text);
std::optional<std::int64_t> read_national(std::string_view text);
std::optional<std::int64_t> read_day_first(std::string_view text);

}  // namespace dvc::sim
