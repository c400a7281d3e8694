#include "reconcile/instant.hpp"

#include <cctype>
#include <cstdio>
#include <stdexcept>

namespace dvc {
namespace {}  // namespace

std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

civil_date civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<int>(static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2)), m, d};
}

namespace {

bool leap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned days_in_month(std::int64_t y, unsigned m) {
  static constexpr unsigned days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : days[m - 1];
}

[[noreturn]] void bad(std::string_view text, const char* why) {
  throw std::invalid_argument("invalid time \"" + std::string(text.substr(0, 64)) + "\": " + why);
}

// Reads exactly `n` digits at `pos`.
int digits(std::string_view text, std::size_t pos, std::size_t n, std::string_view whole) {
  if (pos + n > text.size()) bad(whole, "too short");
  int v = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const char c = text[pos + i];
    if (c < '0' || c > '9') bad(whole, "expected a digit");
    v = v * 10 + (c - '0');
  }
  return v;
}

instant compose(std::string_view whole, int y, int mo, int d, int h, int mi, int s, std::int64_t offset_s) {
  if (mo < 1 || mo > 12) bad(whole, "month out of range");
  if (d < 1 || static_cast<unsigned>(d) > days_in_month(y, static_cast<unsigned>(mo))) bad(whole, "day out of range");
  if (h > 23 || mi > 59 || s > 60) bad(whole, "time of day out of range");
  // A leap second (:60) is read as the next second's start, as most systems do.
  return days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 + h * 3600 + mi * 60 + s -
         offset_s;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace

maybe_instant parse_national_time(std::string_view text) {
  const std::string_view t = trim(text);
  if (t.empty()) return std::nullopt;
  if (t.size() != 14) bad(text, "expected yyyyMMddHHmmss");
  return compose(text, digits(t, 0, 4, text), digits(t, 4, 2, text), digits(t, 6, 2, text), digits(t, 8, 2, text),
                 digits(t, 10, 2, text), digits(t, 12, 2, text), vietnam_offset_s);
}

maybe_instant parse_iso_time(std::string_view text) {
  const std::string_view t = trim(text);
  if (t.empty()) return std::nullopt;
  const int y = digits(t, 0, 4, text);
  if (t.size() < 10 || t[4] != '-' || t[7] != '-') bad(text, "expected YYYY-MM-DD");
  const int mo = digits(t, 5, 2, text);
  const int d = digits(t, 8, 2, text);
  if (t.size() == 10) return compose(text, y, mo, d, 0, 0, 0, vietnam_offset_s);
  if (t[10] != 'T' && t[10] != 't' && t[10] != ' ') bad(text, "expected 'T' between date and time");
  const int h = digits(t, 11, 2, text);
  if (t.size() < 16 || t[13] != ':') bad(text, "expected HH:MM");
  const int mi = digits(t, 14, 2, text);
  std::size_t pos = 16;
  int s = 0;
  if (pos < t.size() && t[pos] == ':') {
    s = digits(t, pos + 1, 2, text);
    pos += 3;
    if (pos < t.size() && (t[pos] == '.' || t[pos] == ',')) {
      // Fractional seconds: compared at one-second precision, so truncated.
      ++pos;
      const std::size_t start = pos;
      while (pos < t.size() && t[pos] >= '0' && t[pos] <= '9') ++pos;
      if (pos == start) bad(text, "empty fraction of a second");
    }
  }
  std::int64_t offset = vietnam_offset_s;  // no offset: provincial local time
  if (pos < t.size()) {
    const char z = t[pos];
    if (z == 'Z' || z == 'z') {
      offset = 0;
      ++pos;
    } else if (z == '+' || z == '-') {
      const int oh = digits(t, pos + 1, 2, text);
      pos += 3;
      int om = 0;
      if (pos < t.size() && t[pos] == ':') {
        om = digits(t, pos + 1, 2, text);
        pos += 3;
      } else if (pos + 2 <= t.size()) {
        om = digits(t, pos, 2, text);
        pos += 2;
      }
      if (oh > 14 || om > 59) bad(text, "offset out of range");
      offset = (z == '+' ? 1 : -1) * (oh * 3600 + om * 60);
    } else {
      bad(text, "unexpected characters after the time");
    }
  }
  if (pos != t.size()) bad(text, "unexpected characters after the offset");
  return compose(text, y, mo, d, h, mi, s, offset);
}

namespace {
struct split_time {
  civil_date date;
  int h, mi, s;
};
split_time split(instant t) {
  const std::int64_t days = (t >= 0 ? t : t - 86399) / 86400;
  const auto secs = static_cast<int>(t - days * 86400);
  return {civil_from_days(days), secs / 3600, secs / 60 % 60, secs % 60};
}
}  // namespace

std::string format_vietnam_iso(instant t) {
  const auto p = split(t + vietnam_offset_s);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d+07:00", p.date.year, p.date.month, p.date.day, p.h,
                p.mi, p.s);
  return buf;
}

std::string format_national_time(instant t) {
  const auto p = split(t + vietnam_offset_s);
  char buf[24];
  std::snprintf(buf, sizeof buf, "%04d%02u%02u%02d%02d%02d", p.date.year, p.date.month, p.date.day, p.h, p.mi, p.s);
  return buf;
}

std::string format_utc_iso(instant t) {
  const auto p = split(t);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", p.date.year, p.date.month, p.date.day, p.h, p.mi,
                p.s);
  return buf;
}

civil_date vietnam_date(instant t) { return split(t + vietnam_offset_s).date; }

}  // namespace dvc
