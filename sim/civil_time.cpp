#include "sim/civil_time.hpp"

#include <array>

namespace dvc::sim {
namespace {

void append_digits(std::string& out, std::int64_t value, int width) {
  char buf[24];
  int n = 0;
  auto v = value < 0 ? -value : value;
  do {
    buf[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v > 0 || n < width);
  if (value < 0) out.push_back('-');
  while (n > 0) out.push_back(buf[--n]);
}

std::optional<int> digits(std::string_view s, std::size_t pos, std::size_t count) {
  if (pos + count > s.size()) return std::nullopt;
  int v = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

std::optional<std::int64_t> assemble(int y, int mo, int d, int h, int mi, int s) {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return std::nullopt;
  return days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 + h * 3600 + mi * 60 + s;
}

}  // namespace

civil civil_from_unix(std::int64_t t) {
  const std::int64_t z = (t >= 0 ? t : t - 86399) / 86400;
  const auto secs = static_cast<unsigned>(t - z * 86400);
  const civil_date date = civil_from_days(z);
  return {date.year, date.month, date.day, secs / 3600, secs / 60 % 60, secs % 60};
}

namespace {

void append_date_time(std::string& out, const civil& c) {
  append_digits(out, c.year, 4);
  out.push_back('-');
  append_digits(out, c.month, 2);
  out.push_back('-');
  append_digits(out, c.day, 2);
  out.push_back('T');
  append_digits(out, c.hour, 2);
  out.push_back(':');
  append_digits(out, c.minute, 2);
  out.push_back(':');
  append_digits(out, c.second, 2);
}

}  // namespace

void append_iso(std::string& out, std::int64_t t, bool zulu) {
  append_date_time(out, civil_from_unix(zulu ? t : t + vn_offset_s));
  out += zulu ? "Z" : "+07:00";
}

void append_iso_millis(std::string& out, std::int64_t t, unsigned millis) {
  append_date_time(out, civil_from_unix(t + vn_offset_s));
  out.push_back('.');
  append_digits(out, millis % 1000, 3);
  out += "+0700";
}

void append_national(std::string& out, std::int64_t t) {
  const civil c = civil_from_unix(t + vn_offset_s);
  append_digits(out, c.year, 4);
  append_digits(out, c.month, 2);
  append_digits(out, c.day, 2);
  append_digits(out, c.hour, 2);
  append_digits(out, c.minute, 2);
  append_digits(out, c.second, 2);
}

void append_day_first(std::string& out, std::int64_t t) {
  const civil c = civil_from_unix(t + vn_offset_s);
  append_digits(out, c.day, 2);
  out.push_back('/');
  append_digits(out, c.month, 2);
  out.push_back('/');
  append_digits(out, c.year, 4);
  out.push_back(' ');
  append_digits(out, c.hour, 2);
  out.push_back(':');
  append_digits(out, c.minute, 2);
  out.push_back(':');
  append_digits(out, c.second, 2);
}

std::string http_date(std::int64_t t) {
  static constexpr std::array<const char*, 7> week{"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
  static constexpr std::array<const char*, 12> months{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const civil c = civil_from_unix(t);
  const std::int64_t days = (t >= 0 ? t : t - 86399) / 86400;
  std::string out = week[static_cast<std::size_t>(((days % 7) + 7) % 7)];
  out += ", ";
  append_digits(out, c.day, 2);
  out += ' ';
  out += months[c.month - 1];
  out += ' ';
  append_digits(out, c.year, 4);
  out += ' ';
  append_digits(out, c.hour, 2);
  out += ':';
  append_digits(out, c.minute, 2);
  out += ':';
  append_digits(out, c.second, 2);
  out += " GMT";
  return out;
}

std::optional<std::int64_t> read_iso(std::string_view s) {
  const auto y = digits(s, 0, 4), mo = digits(s, 5, 2), d = digits(s, 8, 2);
  if (!y || !mo || !d || s.size() < 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  if (s.size() == 10) {
    const auto t = assemble(*y, *mo, *d, 0, 0, 0);
    return t ? std::optional(*t - vn_offset_s) : std::nullopt;
  }
  const auto h = digits(s, 11, 2), mi = digits(s, 14, 2), sec = digits(s, 17, 2);
  if ((s[10] != 'T' && s[10] != ' ') || !h || !mi || !sec || s[13] != ':' || s[16] != ':') return std::nullopt;
  std::size_t pos = 19;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
  }
  const auto local = assemble(*y, *mo, *d, *h, *mi, *sec);
  if (!local) return std::nullopt;
  const std::string_view zone = s.substr(pos);
  if (zone.empty()) return *local - vn_offset_s;
  if (zone == "Z") return *local;
  // A '+' that travelled unescaped in a query string arrives as a space.
  const bool colon = zone.size() == 6 && zone[3] == ':';
  if ((!colon && zone.size() != 5) || (zone[0] != '+' && zone[0] != '-' && zone[0] != ' ')) return std::nullopt;
  const auto oh = digits(zone, 1, 2), om = digits(zone, colon ? 4 : 3, 2);
  if (!oh || !om || *oh > 23 || *om > 59) return std::nullopt;
  const std::int64_t offset = (*oh * 3600 + *om * 60) * (zone[0] == '-' ? -1 : 1);
  return *local - offset;
}

std::optional<std::int64_t> read_national(std::string_view s) {
  if (s.size() != 14) return std::nullopt;
  const auto y = digits(s, 0, 4), mo = digits(s, 4, 2), d = digits(s, 6, 2), h = digits(s, 8, 2), mi = digits(s, 10, 2),
             sec = digits(s, 12, 2);
  if (!y || !mo || !d || !h || !mi || !sec) return std::nullopt;
  const auto local = assemble(*y, *mo, *d, *h, *mi, *sec);
  return local ? std::optional(*local - vn_offset_s) : std::nullopt;
}

std::optional<std::int64_t> read_day_first(std::string_view s) {
  if (s.size() != 19 || s[2] != '/' || s[5] != '/' || s[10] != ' ' || s[13] != ':' || s[16] != ':') return std::nullopt;
  const auto d = digits(s, 0, 2), mo = digits(s, 3, 2), y = digits(s, 6, 4), h = digits(s, 11, 2),
             mi = digits(s, 14, 2), sec = digits(s, 17, 2);
  if (!y || !mo || !d || !h || !mi || !sec) return std::nullopt;
  const auto local = assemble(*y, *mo, *d, *h, *mi, *sec);
  return local ? std::optional(*local - vn_offset_s) : std::nullopt;
}

}  // namespace dvc::sim
