#include "reconcile/sync_rate.hpp"

#include <cstdio>

#include "reconcile/status.hpp"

namespace dvc {

std::optional<period> period::parse(std::string_view text) {
  const auto num = [](std::string_view s, int& out) {
    if (s.empty()) return false;
    out = 0;
    for (const char c : s) {
      if (c < '0' || c > '9') return false;
      out = out * 10 + (c - '0');
    }
    return true;
  };
  if (text.size() < 6 || text[4] != '-') return std::nullopt;
  period p;
  if (!num(text.substr(0, 4), p.year)) return std::nullopt;
  const std::string_view rest = text.substr(5);
  if (rest.size() == 2 && (rest[0] == 'Q' || rest[0] == 'q')) {
    p.unit = granularity::quarter;
    if (!num(rest.substr(1), p.index) || p.index < 1 || p.index > 4) return std::nullopt;
    return p;
  }
  p.unit = granularity::month;
  if (rest.size() != 2 || !num(rest, p.index) || p.index < 1 || p.index > 12) return std::nullopt;
  return p;
}

period period::of(instant t, granularity g) {
  const civil_date d = vietnam_date(t);
  period p;
  p.unit = g;
  p.year = d.year;
  p.index = g == granularity::month     ? static_cast<int>(d.month)
            : g == granularity::quarter ? static_cast<int>((d.month - 1) / 3 + 1)
                                        : 0;
  return p;
}

period period::of_year(int y) {
  period p;
  p.unit = granularity::year;
  p.year = y;
  return p;
}

period period::of_days(std::int64_t first, std::int64_t last) {
  period p;
  p.unit = granularity::days;
  p.year = civil_from_days(last).year;
  p.first_day = first;
  p.last_day = last;
  return p;
}

bool period::contains(instant t) const {
  if (unit != granularity::days) return of(t, unit) == *this;
  const civil_date d = vietnam_date(t);
  const std::int64_t day = days_from_civil(d.year, d.month, d.day);
  return day >= first_day && day <= last_day;
}

int period::quarter() const {
  switch (unit) {
    case granularity::quarter:
      return index;
    case granularity::month:
      return (index - 1) / 3 + 1;
    case granularity::year:
      return 4;
    case granularity::days:
      return static_cast<int>((civil_from_days(last_day).month - 1) / 3 + 1);
  }
  return 4;
}

std::string period::to_string() const {
  char buf[40];
  const auto day_text = [](std::int64_t days, char* out, std::size_t size) {
    const civil_date d = civil_from_days(days);
    std::snprintf(out, size, "%04d-%02u-%02u", d.year, d.month, d.day);
  };
  switch (unit) {
    case granularity::month:
      std::snprintf(buf, sizeof buf, "%04d-%02d", year, index);
      break;
    case granularity::quarter:
      std::snprintf(buf, sizeof buf, "%04d-Q%d", year, index);
      break;
    case granularity::year:
      std::snprintf(buf, sizeof buf, "%04d", year);
      break;
    case granularity::days: {
      char first[16], last[16];
      day_text(first_day, first, sizeof first);
      day_text(last_day, last, sizeof last);
      std::snprintf(buf, sizeof buf, "%s..%s", first, last);
      break;
    }
  }
  return buf;
}

instant period::end() const {
  if (unit == granularity::days) return (last_day + 1) * 86400 - vietnam_offset_s;
  if (unit == granularity::year) return days_from_civil(year + 1, 1, 1) * 86400 - vietnam_offset_s;
  const int last_month = unit == granularity::month ? index : index * 3;
  const int next_year = last_month == 12 ? year + 1 : year;
  const auto next_month = static_cast<unsigned>(last_month == 12 ? 1 : last_month + 1);
  return days_from_civil(next_year, next_month, 1) * 86400 - vietnam_offset_s;
}

sync_rate_calculator::sync_rate_calculator(instant as_of, std::int64_t grace_s, period::granularity g,
                                           std::optional<period> only, sync_targets targets)
    : horizon_(as_of - grace_s), granularity_(only ? only->unit : g), only_(only), targets_(targets) {}

void sync_rate_calculator::add(const sync_subject& s) {
  if (s.registered) return;
  if (s.updated && *s.updated > horizon_) return;  // pending
  if (!s.applied) {
    ++no_date_;
    return;
  }
  if (only_ && !only_->contains(*s.applied)) return;
  const period p = only_ ? *only_ : period::of(*s.applied, granularity_);
  tally& t = tallies_[p][s.unit_code];
  const bool renamed = !s.received_code.empty() && s.received_code != s.unit_code;
  // A predecessor's records carry the predecessor's name, not the unit's.
  if (renamed)
    t.received_as.insert(s.received_code);
  else if (t.name.empty())
    t.name = s.unit_name;
  if (!s.evaluated) {
    ++t.not_evaluated;  // its findings are not known: counting it as synced would be a guess
    return;
  }
  ++t.total;
  if (!s.has_open_finding) ++t.synced;
}

void sync_rate_calculator::include(const period& p, const std::string& unit_code, const std::string& unit_name) {
  if (p.unit != granularity_ || (only_ && p != *only_)) return;
  auto& units = tallies_[p];
  if (unit_code.empty()) return;
  tally& t = units[unit_code];
  if (t.name.empty()) t.name = unit_name.empty() ? unit_code : unit_name;
}

std::vector<period> sync_rate_calculator::periods() const {
  std::vector<period> out;
  for (const auto& [p, units] : tallies_) out.push_back(p);
  return out;
}

std::vector<sync_rate_row> sync_rate_calculator::rows() const {
  std::vector<sync_rate_row> out;
  const auto row = [&](const period& p, std::string code, std::string name, const tally& t, bool province) {
    sync_rate_row r;
    r.unit_code = std::move(code);
    r.unit_name = std::move(name);
    r.period = p.to_string();
    r.received_codes.assign(t.received_as.begin(), t.received_as.end());
    const std::int64_t total = t.total, synced = t.synced;
    r.total = total;
    r.fully_synced = synced;
    r.not_evaluated = t.not_evaluated;
    if (total > 0) r.rate = static_cast<double>(synced) / static_cast<double>(total);
    r.target = targets_.for_period(p);
    r.province = province;
    out.push_back(std::move(r));
  };
  for (const auto& [p, units] : tallies_) {
    tally province;
    for (const auto& [code, t] : units) {
      row(p, code, t.name, t, false);
      province.total += t.total;
      province.synced += t.synced;
      province.not_evaluated += t.not_evaluated;
    }
    row(p, "", std::string(province_row_name), province, true);
  }
  return out;
}

}  // namespace dvc
