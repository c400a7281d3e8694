#pragma once
// The sync-rate rows of the report, the API and /metrics, computed from the ledger with the configuration's
// unit names and targets.
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "reconcile/sync_rate.hpp"
#include "reports/table_export.hpp"
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
  bool evaluated = false;  // a complete evaluation has run: false during the first sync
};

// The rows of period `p` when no dossier of it counts and no complete evaluation has run: every configured unit
// and the province, not yet evaluated (what compute_sync_rates gives for `p` on a brand-new ledger).
std::vector<sync_rate_row> unevaluated_rows(const config& cfg, const period& p);
sync_rates_by_granularity compute_sync_rates_by_month_and_quarter(const ledger& db, const config& cfg, instant now);

// What every view of the sync rate (report, API, dashboard, CSV) shows in place of a rate no complete evaluation
// has computed (docs/rules.md#sync-rate), from the label table's `messages.rate_not_evaluated`.
const std::string& not_evaluated_label();
// What precedes the former names of a unit ("formerly …") wherever a row names them: `messages.formerly`.
const std::string& formerly_label();

// True when no complete evaluation has computed the row's rate: none has run yet, or none has covered the
// dossiers it would count. Such a row has no rate and no colour, never a rate nobody computed.
bool not_yet_evaluated(const sync_rate_row& r);
// not_evaluated_label for a row not yet evaluated; nothing otherwise.
std::optional<std::string_view> rate_note(const sync_rate_row& r);

// `[{"unit_code","unit_name","period","current_code","former_codes","formerly","total","fully_synced","not_evaluated","rate","target","evaluated",
// "rate_note"}]`: rate a fraction, or null when no evaluated dossier counts; target in percent; unit_code null on
// the province row; current_code the unit unit_code resolves to today (null when unit_code is current), former_codes
// the codes the row's unit had before, formerly their names after "trước đây: " (null without); evaluated false and rate_note "chưa đánh giá" on a row not yet evaluated (rate_note null
// otherwise), so the dashboard shows the API's words.
nlohmann::json sync_rates_json(const std::vector<sync_rate_row>& rows);

// The rows as the sync-rate export writes them (docs/cli.md#report-sync-rate): unit_code, unit_name, period, total,
// synced, not_synced, not_evaluated, rate_percent, target_percent, rate_note, current_code, former_codes
// (space-separated), formerly — the rate and the target both in percent with two decimals (75.00 and 100.00), the
// rate empty and rate_note "chưa đánh giá" on a row not yet evaluated; the province row has no unit code.
std::vector<export_column> sync_rate_export_columns();
void export_sync_rates(const std::vector<sync_rate_row>& rows, table_export& out);

}  // namespace dvc
