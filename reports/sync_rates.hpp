#pragma once
// The sync-rate rows of the report, the API and /metrics, computed from the ledger with the configuration's
// unit names and targets.
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <vector>

#include "config/config.hpp"
#include "reconcile/sync_rate.hpp"
#include "schema/ledger.hpp"

namespace dvc {

// The last complete evaluation (the latest run recorded ok, of either mode): its instant and grace, so "pending"
// in the rate means what it meant for the findings, and its run, so that what changed since counts as not yet
// evaluated. Without one (during the first sync), `now`, the configured grace and no run: nothing is evaluated.
struct evaluation_basis {
  instant as_of = 0;
  std::int64_t grace_s = 0;
  std::optional<std::int64_t> run_id;
};
evaluation_basis evaluation_basis_of(const ledger& db, const config& cfg, instant now);

// Rows per unit and the province row (unit names from the configuration, else from the records) for `only`,
// or for every period present at granularity `g` when `only` is absent.
std::vector<sync_rate_row> compute_sync_rates(const ledger& db, const config& cfg, std::optional<period> only,
                                              period::granularity g, instant now);

// Every month and every quarter present, in one scan of the ledger (the API's table of api/api_sync_rates.hpp).
struct sync_rates_by_granularity {
  std::vector<sync_rate_row> months, quarters;
};
sync_rates_by_granularity compute_sync_rates_by_month_and_quarter(const ledger& db, const config& cfg, instant now);

// `[{"unit_code","unit_name","period","total","fully_synced","not_evaluated","rate","target"}]`: rate a fraction,
// or null when no evaluated dossier counts (then "not yet evaluated" if not_evaluated > 0), target in percent,
// unit_code null on the province row.
nlohmann::json sync_rates_json(const std::vector<sync_rate_row>& rows);

// The same rows as CSV in UTF-8 with a byte-order mark: unit_code,unit_name,period,total,fully_synced,rate,target
// (rate a fraction with six decimals, empty when total is 0; target in percent).
void write_sync_rates_csv(std::ostream& out, const std::vector<sync_rate_row>& rows);

}  // namespace dvc
