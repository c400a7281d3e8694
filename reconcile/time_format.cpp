#include "reconcile/time_format.hpp"

#include <array>
#include <cctype>
#include <charconv>
#include <stdexcept>
#include <utility>

namespace dvc {
namespace {

constexpr std::array<std::pair<std::string_view, read_format>, 4> read_names{{
    {"iso8601", read_format::iso8601},
    {"yyyyMMddHHmmss", read_format::compact},
    {"dd/MM/yyyy HH:mm:ss", read_format::day_first},
    {"epoch_ms", read_format::epoch_ms},
}};

constexpr std::array<std::pair<std::string_view, write_format>, 4> write_names{{
    {"iso8601_utc", write_format::iso8601_utc},
    {"iso8601_vn", write_format::iso8601_vn},
    {"yyyyMMddHHmmss", write_format::compact},
    {"epoch_ms", write_format::epoch_ms},
}};

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

[[noreturn]] void bad(std::string_view text, std::string_view why) {
  throw std::invalid_argument("invalid time \"" + std::string(text.substr(0, 64)) + "\": " + std::string(why));
}

// `dd/MM/yyyy HH:mm:ss` rearranged into the compact form, whose reader checks every range.
maybe_instant parse_day_first(std::string_view text) {
  const std::string_view t = trim(text);
  if (t.empty()) return std::nullopt;
  if (t.size() != 19 || t[2] != '/' || t[5] != '/' || t[10] != ' ' || t[13] != ':' || t[16] != ':')
    bad(text, "expected dd/MM/yyyy HH:mm:ss");
  std::string compact;
  compact.reserve(14);
  compact.append(t.substr(6, 4)).append(t.substr(3, 2)).append(t.substr(0, 2));
  compact.append(t.substr(11, 2)).append(t.substr(14, 2)).append(t.substr(17, 2));
  try {
    return parse_national_time(compact);
  } catch (const std::invalid_argument& e) {
    // The compact reader names what is out of range after its own quote of the rearranged text.
    const std::string_view why = e.what();
    const auto colon = why.rfind(": ");
    bad(text, colon == std::string_view::npos ? why : why.substr(colon + 2));
  }
}

maybe_instant parse_epoch_ms(std::string_view text) {
  const std::string_view t = trim(text);
  if (t.empty()) return std::nullopt;
  std::int64_t ms = 0;
  const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), ms);
  if (ec != std::errc() || end != t.data() + t.size()) bad(text, "expected milliseconds since 1970 as digits");
  // Floor division: -1 ms is the second before the epoch, not the epoch.
  return ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
}

}  // namespace

std::optional<read_format> read_format_named(std::string_view name) {
  for (const auto& [n, f] : read_names)
    if (n == name) return f;
  return std::nullopt;
}

std::optional<write_format> write_format_named(std::string_view name) {
  for (const auto& [n, f] : write_names)
    if (n == name) return f;
  return std::nullopt;
}

std::string_view read_format_names() { return "iso8601, yyyyMMddHHmmss, dd/MM/yyyy HH:mm:ss, epoch_ms"; }
std::string_view write_format_names() { return "iso8601_utc, iso8601_vn, yyyyMMddHHmmss, epoch_ms"; }

maybe_instant parse_time(std::string_view text, read_format format) {
  switch (format) {
    case read_format::iso8601:
      return parse_iso_time(text);
    case read_format::compact:
      return parse_national_time(text);
    case read_format::day_first:
      return parse_day_first(text);
    case read_format::epoch_ms:
      return parse_epoch_ms(text);
  }
  return std::nullopt;
}

std::string format_time(instant t, write_format format) {
  switch (format) {
    case write_format::iso8601_utc:
      return format_utc_iso(t);
    case write_format::iso8601_vn:
      return format_vietnam_iso(t);
    case write_format::compact:
      return format_national_time(t);
    case write_format::epoch_ms:
      return std::to_string(t * 1000);
  }
  return {};
}

}  // namespace dvc
