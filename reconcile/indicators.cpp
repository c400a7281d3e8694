#include "reconcile/indicators.hpp"

#include <algorithm>

namespace dvc {
namespace {

std::int64_t vietnam_day(instant t) {
  const civil_date d = vietnam_date(t);
  return days_from_civil(d.year, d.month, d.day);
}

std::optional<double> ratio(std::int64_t part, std::int64_t whole) {
  if (whole == 0) return std::nullopt;
  return static_cast<double>(part) / static_cast<double>(whole);
}

std::optional<double> difference(const std::optional<double>& a, const std::optional<double>& b) {
  if (!a || !b) return std::nullopt;
  return *a - *b;
}

void count(on_time_tally& t, const indicator_subject& s, instant reference) {
  if (!s.due) {
    ++t.unknown;
    return;
  }
  if (const auto on_time = on_time_by_day(s.due, s.completed, reference)) ++(*on_time ? t.on_time : t.late);
}

void add_to(on_time_tally& sum, const on_time_tally& t) {
  sum.on_time += t.on_time;
  sum.late += t.late;
  sum.unknown += t.unknown;
}

}  // namespace

std::optional<double> on_time_tally::rate() const { return ratio(on_time, on_time + late); }

std::optional<bool> on_time_by_day(maybe_instant due, maybe_instant completed, instant reference) {
  if (!due) return std::nullopt;
  if (completed) return vietnam_day(*completed) <= vietnam_day(*due);
  if (vietnam_day(reference) > vietnam_day(*due)) return false;
  return std::nullopt;
}

indicator_calculator::indicator_calculator(instant as_of, period::granularity g, std::optional<period> only)
    : as_of_(as_of), granularity_(only ? only->unit : g), only_(only) {}

void indicator_calculator::add(const indicator_subject& s) {
  if (s.registered) return;
  if (!s.received) {
    ++no_date_;
    return;
  }
  // A year or a range of days is no granularity of period::of: the one period asked for holds the dossier or not.
  if (only_ && !only_->contains(*s.received)) return;
  const period p = only_ ? *only_ : period::of(*s.received, granularity_);
  tally& t = tallies_[p][s.unit_code];
  if (t.name.empty()) t.name = s.unit_name;
  // The last second of the period, or now for a period not yet over: an unfinished dossier is late once that
  // falls on a day after its due day.
  const instant reference = std::min(p.end() - 1, as_of_);
  if (s.origin == side::national) {
    ++t.national;
    count(t.on_time_national, s, reference);
  } else {
    ++t.provincial;
    count(t.on_time_provincial, s, reference);
  }
}

std::vector<indicator_row> indicator_calculator::rows(const std::vector<sync_rate_row>& strict) const {
  auto tallies = tallies_;
  std::map<std::pair<std::string, std::string>, const sync_rate_row*> strict_row;  // by (period, unit)
  for (const auto& r : strict) {
    const auto p = only_ ? (r.period == only_->to_string() ? only_ : std::nullopt) : period::parse(r.period);
    if (!p || p->unit != granularity_) continue;
    strict_row[{r.period, r.province ? std::string() : r.unit_code}] = &r;
    auto& units = tallies[*p];
    if (!r.province) units[r.unit_code].name = r.unit_name;
  }
  std::vector<indicator_row> out;
  const auto row = [&](const period& p, const std::string& code, const std::string& name, const tally& t,
                       bool province) {
    indicator_row r;
    r.unit_code = code;
    r.unit_name = name;
    r.period = p.to_string();
    r.province = province;
    r.provincial = t.provincial;
    r.national = t.national;
    r.synced = ratio(t.national, std::max(t.provincial, t.national));
    if (const auto it = strict_row.find({r.period, code}); it != strict_row.end()) {
      r.strict = it->second->rate;
      r.formerly = it->second->formerly;
    }
    r.gap = difference(r.synced, r.strict);
    r.on_time_national = t.on_time_national;
    r.on_time_provincial = t.on_time_provincial;
    r.on_time_gap = difference(t.on_time_national.rate(), t.on_time_provincial.rate());
    out.push_back(std::move(r));
  };
  for (const auto& [p, units] : tallies) {
    tally province;
    for (const auto& [code, t] : units) {
      row(p, code, t.name, t, false);
      province.provincial += t.provincial;
      province.national += t.national;
      add_to(province.on_time_national, t.on_time_national);
      add_to(province.on_time_provincial, t.on_time_provincial);
    }
    row(p, "", std::string(province_row_name), province, true);
  }
  return out;
}

}  // namespace dvc
