#include "sim/faults.hpp"

#include <charconv>
#include <cmath>

namespace dvc::sim {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<double> number(std::string_view s) {
  double v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || end != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::optional<std::uint32_t> whole(std::string_view s) {
  std::uint32_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
  return v;
}

bool ends_with(std::string_view s, std::string_view suffix, std::string_view& head) {
  if (s.size() <= suffix.size() || s.substr(s.size() - suffix.size()) != suffix) return false;
  head = s.substr(0, s.size() - suffix.size());
  return true;
}

}  // namespace

fault_parse parse_faults(std::string_view text) {
  fault_spec spec;
  text = trim(text);
  while (!text.empty()) {
    const auto comma = text.find(',');
    const auto item = trim(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
    const auto fail = [&](std::string_view why) {
      return fault_parse{std::nullopt, "fault spec item '" + std::string(item) + "': " + std::string(why)};
    };
    if (item.empty()) return fail("empty item");
    const auto eq = item.find('=');
    if (eq == std::string_view::npos) return fail("expected name=value");
    const auto name = trim(item.substr(0, eq));
    const auto value = trim(item.substr(eq + 1));
    if (name == "latency") {
      std::string_view head;
      std::optional<double> ms;
      if (ends_with(value, "ms", head)) {
        ms = number(head);
      } else if (ends_with(value, "s", head)) {
        if (auto s = number(head)) ms = *s * 1000;
      } else {
        ms = number(value);
      }
      if (!ms || *ms < 0 || *ms > 600000) return fail("latency must be a duration such as 50ms or 1s, at most 600s");
      spec.latency = std::chrono::milliseconds(static_cast<std::int64_t>(*ms));
    } else if (name == "error5xx" || name == "rate429" || name == "truncate" || name == "drift" || name == "hang") {
      const auto p = number(value);
      if (!p || *p < 0 || *p > 1) return fail("a probability between 0 and 1 is expected");
      (name == "error5xx"   ? spec.error5xx
       : name == "rate429"  ? spec.rate429
       : name == "truncate" ? spec.truncate
       : name == "drift"    ? spec.drift
                            : spec.hang) = *p;
    } else if (name == "retry_after") {
      std::string_view head = value;
      ends_with(value, "s", head);
      const auto s = whole(head);
      if (!s || *s > 3600) return fail("retry_after must be whole seconds, at most 3600");
      spec.retry_after_s = *s;
    } else if (name == "token_ttl" || name == "session_ttl") {
      lifetime life;
      std::string_view head = value;
      if (ends_with(value, "req", head) || ends_with(value, "r", head)) {
        life.by = lifetime::measure::requests;
      } else {
        ends_with(value, "s", head);
      }
      const auto n = whole(head);
      if (!n || *n == 0) return fail("a lifetime such as 5 (seconds), 5s or 5r (requests) is expected");
      life.amount = *n;
      (name == "token_ttl" ? spec.token_ttl : spec.session_ttl) = life;
    } else {
      return fail("unknown fault '" + std::string(name) +
                  "' (known: latency, error5xx, rate429, retry_after, truncate, token_ttl, session_ttl, drift, hang)");
    }
  }
  return {spec, {}};
}

}  // namespace dvc::sim
