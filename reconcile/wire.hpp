#pragma once
// The contract shape's records (docs/wire-formats.md) read into the canonical dossier, and the canonical dossier's
// own JSON form (ledger bodies, API, `mismatches show`).
#include <nlohmann/json.hpp>
#include <string>

#include "reconcile/dossier.hpp"
#include "reconcile/record_profile.hpp"
#include "reconcile/status.hpp"

namespace dvc {

// The two sides' records in the contract shape: read through the shipped `contract` profiles
// (profiles/contract-*.json); `statuses` carries the configuration's status_map overrides.
parsed_dossier parse_provincial(const nlohmann::json& record, const status_map& statuses);
parsed_dossier parse_national(const nlohmann::json& record);

// Canonical dossier as JSON (ledger storage, API, `mismatches show`); round-trips through dossier_from_json.
nlohmann::json to_json(const dossier& d);
// The same object as compact JSON text, written directly: the ledger stores and hashes a body per record, and
// building an nlohmann object first costs more than the rest of an upsert. Invalid UTF-8 becomes U+FFFD.
std::string to_json_text(const dossier& d);
dossier dossier_from_json(const nlohmann::json& j);

}  // namespace dvc
