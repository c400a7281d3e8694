#include "reports/indicators.hpp"

#include <cstdio>

#include "reports/csv_cell.hpp"

namespace dvc {
namespace {

// Each side's record counts toward the unit its own code is attributed to (docs/rules.md#unit-successions).
indicator_subject subject_of(const dossier_facts& f, const config& cfg) {
  indicator_subject s;
  s.origin = f.origin;
  s.unit_code = cfg.successions.attribute(f.unit_code, f.received, cfg.attribute_to);
  s.unit_name = cfg.unit_name(s.unit_code);
  if (s.unit_name.empty()) s.unit_name = s.unit_code;
  s.received = f.received;
  s.due = f.due;
  s.completed = f.completed;
  s.registered = f.registered;
  return s;
}

template <class Add>
void each_subject(const ledger& db, const config& cfg, Add add) {
  db.each_dossier_pair([&](const dossier_facts* p, const dossier_facts* n) {
    if (p) add(subject_of(*p, cfg));
    if (n) add(subject_of(*n, cfg));
  });
}

nlohmann::json fraction(const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); }

nlohmann::json on_time_json(const on_time_tally& t) {
  return {{"on_time", t.on_time}, {"late", t.late}, {"unknown", t.unknown}, {"rate", fraction(t.rate())}};
}

std::string fixed(const std::optional<double>& v) {
  if (!v) return "";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.6f", *v);
  return buf;
}

}  // namespace

std::vector<indicator_row> compute_indicators(const ledger& db, const config& cfg,
                                              const std::vector<sync_rate_row>& strict, std::optional<period> only,
                                              period::granularity g, instant as_of) {
  indicator_calculator calc(as_of, g, only);
  each_subject(db, cfg, [&](const indicator_subject& s) { calc.add(s); });
  return calc.rows(strict);
}

indicators_by_granularity compute_indicators_by_month_and_quarter(const ledger& db, const config& cfg,
                                                                  const std::vector<sync_rate_row>& strict_months,
                                                                  const std::vector<sync_rate_row>& strict_quarters,
                                                                  instant as_of) {
  indicator_calculator months(as_of, period::granularity::month, std::nullopt);
  indicator_calculator quarters(as_of, period::granularity::quarter, std::nullopt);
  each_subject(db, cfg, [&](const indicator_subject& s) {
    months.add(s);
    quarters.add(s);
  });
  return {months.rows(strict_months), quarters.rows(strict_quarters)};
}

nlohmann::json indicators_json(const std::vector<indicator_row>& rows) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& r : rows)
    out.push_back({{"unit_code", r.province ? nlohmann::json(nullptr) : nlohmann::json(r.unit_code)},
                   {"unit_name", r.unit_name},
                   {"formerly", r.formerly.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.formerly)},
                   {"period", r.period},
                   {"provincial", r.provincial},
                   {"national", r.national},
                   {"synced", fraction(r.synced)},
                   {"strict", fraction(r.strict)},
                   {"gap", fraction(r.gap)},
                   {"on_time_national", on_time_json(r.on_time_national)},
                   {"on_time_provincial", on_time_json(r.on_time_provincial)},
                   {"on_time_gap", fraction(r.on_time_gap)}});
  return out;
}

void write_indicators_csv(std::ostream& out, const std::vector<indicator_row>& rows) {
  out << "\xEF\xBB\xBF"
      << "unit_code,unit_name,formerly,period,provincial,national,synced,strict,gap,on_time_national,late_national,"
         "on_time_unknown_national,on_time_rate_national,on_time_provincial,late_provincial,"
         "on_time_unknown_provincial,on_time_rate_provincial,on_time_gap\r\n";
  const auto tally = [&out](const on_time_tally& t) {
    out << t.on_time << ',' << t.late << ',' << t.unknown << ',' << fixed(t.rate()) << ',';
  };
  for (const auto& r : rows) {
    out << csv_field(r.unit_code) << ',' << csv_field(r.unit_name) << ',' << csv_field(r.formerly) << ','
        << csv_field(r.period) << ',' << r.provincial << ',' << r.national << ',' << fixed(r.synced) << ','
        << fixed(r.strict) << ',' << fixed(r.gap) << ',';
    tally(r.on_time_national);
    tally(r.on_time_provincial);
    out << fixed(r.on_time_gap) << "\r\n";
  }
}

}  // namespace dvc
