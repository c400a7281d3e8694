#pragma once
// Instants on both portals reduced to whole seconds since the Unix epoch (UTC), so a provincial `Z` time and a
// national Vietnam-local time that denote the same moment compare equal (docs/wire-formats.md#times).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dvc {

using instant = std::int64_t;
using maybe_instant = std::optional<instant>;

// Vietnam time: UTC+07:00, no daylight saving.
inline constexpr std::int64_t vietnam_offset_s = 7 * 3600;

// National `yyyyMMddHHmmss` in Vietnam time; "" is absent. Throws std::invalid_argument on anything else.
maybe_instant parse_national_time(std::string_view text);
// Provincial ISO 8601: `2024-07-15T08:00:00+07:00`, `…Z`, optional fractional seconds (truncated). A date-time
// without an offset, or a bare date, is read as Vietnam time (the provincial system's own zone).
// Throws std::invalid_argument on anything else.
maybe_instant parse_iso_time(std::string_view text);

// `2024-07-15T08:00:00+07:00`: how instants are shown to people and written to reports.
std::string format_vietnam_iso(instant t);
// `20240715080000`: the national wire form, used when querying LayDanhSachHoSo windows.
std::string format_national_time(instant t);
// `2024-07-15T01:00:00Z`: the provincial query form.
std::string format_utc_iso(instant t);

// Civil date in Vietnam time, for sync-rate periods.
struct civil_date {
  int year;
  unsigned month;
  unsigned day;
};
civil_date vietnam_date(instant t);

// Calendar arithmetic shared by every time format the project reads or writes (Howard Hinnant's algorithms,
// exact for the proleptic Gregorian calendar): days since 1970-01-01 of a date, and the date of such a day.
std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day);
civil_date civil_from_days(std::int64_t days);

}  // namespace dvc
