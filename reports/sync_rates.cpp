#include "reports/sync_rates.hpp"

#include <cstdio>
#include <map>

#include "reports/csv_cell.hpp"

namespace dvc {

evaluation_basis evaluation_basis_of(const ledger& db, const config& cfg, instant now) {
  if (const auto evaluated = db.latest_evaluated_run()) return {evaluated->as_of, evaluated->grace_s, evaluated->id};
  return {now, cfg.sync_grace_s, std::nullopt};
}

namespace {

std::vector<sync_rate_row> named_rows(const sync_rate_calculator& calc, const config& cfg) {
  auto rows = calc.rows();
  std::map<std::string, std::string> configured;
  for (const auto& u : cfg.units) configured[u.code] = u.name;
  for (auto& r : rows)
    if (const auto it = configured.find(r.unit_code); !r.province && it != configured.end() && !it->second.empty())
      r.unit_name = it->second;
  return rows;
}

sync_targets targets_of(const config& cfg) {
  sync_targets targets;
  targets.by_quarter = cfg.targets;
  return targets;
}

}  // namespace

std::vector<sync_rate_row> compute_sync_rates(const ledger& db, const config& cfg, std::optional<period> only,
                                              period::granularity g, instant now) {
  const evaluation_basis basis = evaluation_basis_of(db, cfg, now);
  sync_rate_calculator calc(basis.as_of, basis.grace_s, g, only, targets_of(cfg));
  db.each_sync_subject(basis.run_id, [&](const sync_subject& s) { calc.add(s); });
  return named_rows(calc, cfg);
}

sync_rates_by_granularity compute_sync_rates_by_month_and_quarter(const ledger& db, const config& cfg, instant now) {
  const evaluation_basis basis = evaluation_basis_of(db, cfg, now);
  sync_rate_calculator months(basis.as_of, basis.grace_s, period::granularity::month, std::nullopt, targets_of(cfg));
  sync_rate_calculator quarters(basis.as_of, basis.grace_s, period::granularity::quarter, std::nullopt,
                                targets_of(cfg));
  db.each_sync_subject(basis.run_id, [&](const sync_subject& s) {
    months.add(s);
    quarters.add(s);
  });
  return {named_rows(months, cfg), named_rows(quarters, cfg)};
}

nlohmann::json sync_rates_json(const std::vector<sync_rate_row>& rows) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& r : rows)
    out.push_back({{"unit_code", r.province ? nlohmann::json(nullptr) : nlohmann::json(r.unit_code)},
                   {"unit_name", r.unit_name},
                   {"period", r.period},
                   {"total", r.total},
                   {"fully_synced", r.fully_synced},
                   {"not_evaluated", r.not_evaluated},
                   {"rate", r.rate ? nlohmann::json(*r.rate) : nlohmann::json(nullptr)},
                   {"target", r.target}});
  return out;
}

namespace {
std::string fixed(double v, int decimals) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}
}  // namespace

void write_sync_rates_csv(std::ostream& out, const std::vector<sync_rate_row>& rows) {
  out << "\xEF\xBB\xBF"
      << "unit_code,unit_name,period,total,fully_synced,rate,target,not_evaluated\r\n";
  for (const auto& r : rows)
    out << csv_field(r.unit_code) << ',' << csv_field(r.unit_name) << ',' << csv_field(r.period) << ',' << r.total
        << ',' << r.fully_synced << ',' << (r.rate ? fixed(*r.rate, 6) : "") << ',' << fixed(r.target, 2) << ','
        << r.not_evaluated << "\r\n";
}

}  // namespace dvc
