#pragma once
// What operators see of the ledger, shared by `dvcrecon mismatches` and the HTTP API: a finding with both
// sides summarised, its audit events, and a dossier's two sides compared field by field.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "reconcile/unit_successions.hpp"
#include "reports/finding_output.hpp"
#include "schema/ledger.hpp"

namespace dvc {

// The finding object (docs/cli.md#findings) of a stored finding, both sides summarised from their stored records.
finding_view view_of(const ledger& db, const finding_row& row);
nlohmann::json event_json(const event_row& e);

// One compared field of a dossier. Values are display text ("" where a side lacks the record or the value).
struct field_comparison {
  std::string field;  // canonical name, e.g. "procedure_code"
  std::string label;  // Vietnamese label
  std::string provincial;
  std::string national;
  bool differs = false;  // both sides present and their values differ (text compared after NFC, units resolved)
};

struct dossier_comparison {
  std::string key;
  std::optional<stored_record> provincial, national;
  std::vector<field_comparison> fields;
};

// Loads both sides of `key` (normalised by the caller) and compares them, unit codes as their current units (as
// field_mismatch does, docs/rules.md#unit-successions); nullopt when neither side holds it.
std::optional<dossier_comparison> compare_dossier(const ledger& db, const std::string& key,
                                                  const unit_successions& successions);

// `/api/dossiers/{key}`: {"key","provincial","national" (canonical bodies or null),"body_removed_at":
// {"provincial","national"} (when retention removed a side's body, else null),"fields":[…],
// "findings":[finding objects with "events"]}. With `mask_contacts` the applicant's phone and e-mail are masked in the
// bodies and the fields (reports/personal_data.hpp); "differs" still compares the real values.
nlohmann::json dossier_json(const ledger& db, const dossier_comparison& c, bool mask_contacts);

}  // namespace dvc
