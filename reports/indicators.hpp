#pragma once
// The indicators of docs/rules.md#indicators for the report and the API, computed from the ledger beside the strict
// sync rate, with the configuration's unit names and successions.
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <vector>

#include "config/config.hpp"
#include "reconcile/indicators.hpp"
#include "schema/ledger.hpp"

namespace dvc {

// Rows for `only`, or every period present at granularity `g`; `strict` the sync-rate rows of the same question
// (compute_sync_rates); `as_of` ends a period not yet over (the last complete evaluation's instant).
std::vector<indicator_row> compute_indicators(const ledger& db, const config& cfg,
                                              const std::vector<sync_rate_row>& strict, std::optional<period> only,
                                              period::granularity g, instant as_of);

// Every month and every quarter, in one scan of the ledger (the API's table, api/api_sync_rates.hpp).
struct indicators_by_granularity {
  std::vector<indicator_row> months, quarters;
};
indicators_by_granularity compute_indicators_by_month_and_quarter(const ledger& db, const config& cfg,
                                                                  const std::vector<sync_rate_row>& strict_months,
                                                                  const std::vector<sync_rate_row>& strict_quarters,
                                                                  instant as_of);

// `[{"unit_code","unit_name","formerly","period","provincial","national","synced","strict","gap",
// "on_time_national":{"on_time","late","unknown","rate"},"on_time_provincial":{…},"on_time_gap"}]`: rates and
// gaps fractions (gap −1..1), null when undefined; unit_code and formerly null on the province row or without one.
nlohmann::json indicators_json(const std::vector<indicator_row>& rows);

// The same as CSV in UTF-8 with a byte-order mark: unit_code,unit_name,formerly,period,provincial,national,synced,
// strict,gap,on_time_national,late_national,on_time_unknown_national,on_time_rate_national,on_time_provincial,
// late_provincial,on_time_unknown_provincial,on_time_rate_provincial,on_time_gap (fractions with six decimals, empty
// when null).
void write_indicators_csv(std::ostream& out, const std::vector<indicator_row>& rows);

}  // namespace dvc
