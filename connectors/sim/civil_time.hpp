#pragma once
// Calendar arithmetic and the two wire time formats the simulator writes and reads. The simulator keeps its own
// small copy rather than the engine's parser so that it checks the client's output independently.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dvc::sim {

inline constexpr std::int64_t vn_offset_s = 7 * 3600;

// Days since 1970-01-01 for a proleptic Gregorian date (H. Hinnant's algorithm).
constexpr std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct civil {
  std::int64_t year;
  unsigned month, day, hour, minute, second;
};
civil civil_from_unix(std::int64_t t);

// `2024-07-15T08:00:00+07:00` or, with zulu, `2024-07-15T01:00:00Z`.
void append_iso(std::string& out, std::int64_t t, bool zulu);
// `20240715080000`, Vietnam time.
void append_national(std::string& out, std::int64_t t);
// `Mon, 15 Jul 2024 01:00:00 GMT` (RFC 7231 IMF-fixdate), for Retry-After.
std::string http_date(std::int64_t t);

// Readers for query parameters. nullopt when the text is not in the format.
std::optional<std::int64_t> read_iso(std::string_view text);
std::optional<std::int64_t> read_national(std::string_view text);

}  // namespace dvc::sim
