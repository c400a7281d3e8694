#include "connectors/retry_policy.hpp"

#include <algorithm>
#include <array>
#include <charconv>

#include "reconcile/instant.hpp"

namespace dvc {
namespace {

bool read_digits(std::string_view s, std::size_t pos, std::size_t count, unsigned& out) {
  if (pos + count > s.size()) return false;
  out = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + static_cast<unsigned>(s[i] - '0');
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

bool is_transient(const connector_error& error) {
  switch (error.kind) {
    case error_kind::timeout:
    case error_kind::connect:
    case error_kind::truncated:
    case error_kind::malformed:
    case error_kind::portal:
      return true;
    case error_kind::http_status:
      return error.http_status == 429 || (error.http_status >= 500 && error.http_status <= 599);
    case error_kind::config:
    case error_kind::tls:
    case error_kind::too_large:
    case error_kind::protocol:
    case error_kind::auth:
    case error_kind::rejected:
    case error_kind::paging_limit:
      return false;
  }
  return false;
}

std::optional<std::int64_t> parse_http_date(std::string_view s) {
  // IMF-fixdate: exactly `Sun, 06 Nov 1994 08:49:37 GMT`, 29 characters.
  static constexpr std::array<std::string_view, 7> days{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr std::array<std::string_view, 12> months{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (s.size() != 29 || s.substr(3, 2) != ", " || s[7] != ' ' || s[11] != ' ' || s[16] != ' ' || s[19] != ':' ||
      s[22] != ':' || s.substr(25) != " GMT")
    return std::nullopt;
  const auto weekday = std::find(days.begin(), days.end(), s.substr(0, 3));
  const auto month = std::find(months.begin(), months.end(), s.substr(8, 3));
  if (weekday == days.end() || month == months.end()) return std::nullopt;
  unsigned day = 0, year = 0, hour = 0, minute = 0, second = 0;
  if (!read_digits(s, 5, 2, day) || !read_digits(s, 12, 4, year) || !read_digits(s, 17, 2, hour) ||
      !read_digits(s, 20, 2, minute) || !read_digits(s, 23, 2, second))
    return std::nullopt;
  const auto m = static_cast<unsigned>(month - months.begin()) + 1;
  static constexpr std::array<unsigned, 12> month_days{31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (day == 0 || day > month_days[m - 1] || (m == 2 && day == 29 && !leap)) return std::nullopt;
  if (hour > 23 || minute > 59 || second > 60) return std::nullopt;  // 60: a leap second, as RFC 5322 allows
  const std::int64_t days_since_epoch = days_from_civil(year, m, day);
  // 1970-01-01 was a Thursday; a date whose weekday disagrees is not trusted.
  const auto expected_weekday = static_cast<std::size_t>(((days_since_epoch % 7) + 11) % 7);
  if (static_cast<std::size_t>(weekday - days.begin()) != expected_weekday) return std::nullopt;
  return days_since_epoch * 86400 + hour * 3600 + minute * 60 + second;
}

std::optional<std::chrono::seconds> parse_retry_after(std::string_view value, std::int64_t now_unix) {
  value = trim(value);
  if (value.empty()) return std::nullopt;
  if (std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    std::int64_t seconds = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (ec == std::errc::result_out_of_range) return std::chrono::seconds::max();
    if (ec != std::errc{} || end != value.data() + value.size()) return std::nullopt;
    return std::chrono::seconds(seconds);
  }
  const auto date = parse_http_date(value);
  if (!date) return std::nullopt;
  return std::chrono::seconds(std::max<std::int64_t>(0, *date - now_unix));
}

std::chrono::milliseconds backoff_delay(const retry_config& config, unsigned failed_attempts, double unit_random) {
  using std::chrono::milliseconds;
  const auto base = std::max<milliseconds::rep>(0, config.base_delay.count());
  const auto cap = std::max<milliseconds::rep>(0, config.max_delay.count());
  milliseconds::rep ceiling = base;
  for (unsigned i = 1; i < failed_attempts && ceiling < cap; ++i) ceiling *= 2;
  ceiling = std::min(ceiling, cap);
  const double unit = std::clamp(unit_random, 0.0, 1.0);
  return milliseconds(static_cast<milliseconds::rep>(unit * static_cast<double>(ceiling)));
}

std::optional<std::chrono::milliseconds> retry_delay(const retry_config& config, unsigned failed_attempts,
                                                     const connector_error& error, double unit_random,
                                                     std::int64_t now_unix) {
  if (!is_transient(error) || failed_attempts >= config.max_attempts) return std::nullopt;
  if (error.kind == error_kind::http_status && (error.http_status == 429 || error.http_status == 503) &&
      !error.retry_after.empty()) {
    if (const auto asked = parse_retry_after(error.retry_after, now_unix)) {
      return std::chrono::duration_cast<std::chrono::milliseconds>(std::min(*asked, config.max_retry_after));
    }
  }
  return backoff_delay(config, failed_attempts, unit_random);
}

}  // namespace dvc
