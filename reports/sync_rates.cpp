#include "reports/sync_rates.hpp"

#include <map>

namespace dvc {

evaluation_basis evaluation_basis_of(const ledger& db, const config& cfg, instant now) {
  if (const auto evaluated = db.latest_evaluated_run()) return {evaluated->as_of, evaluated->grace_s, evaluated->id};
  return {now, cfg.sync_grace_s, std::nullopt};
}

std::vector<sync_rate_row> compute_sync_rates(const ledger& db, const config& cfg, std::optional<period> only,
                                              period::granularity g, instant now) {
  const evaluation_basis basis = evaluation_basis_of(db, cfg, now);
  sync_targets targets;
  targets.by_quarter = cfg.targets;
  sync_rate_calculator calc(basis.as_of, basis.grace_s, g, only, targets);
  db.each_sync_subject(basis.run_id, [&](const sync_subject& s) { calc.add(s); });
  auto rows = calc.rows();
  std::map<std::string, std::string> configured;
  for (const auto& u : cfg.units) configured[u.code] = u.name;
  for (auto& r : rows)
    if (const auto it = configured.find(r.unit_code); !r.province && it != configured.end() && !it->second.empty())
      r.unit_name = it->second;
  return rows;
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

}  // namespace dvc
