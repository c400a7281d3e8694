#pragma once
// Field mapping between the portals' wire records (docs/wire-formats.md) and the canonical
// dossier. The one place that knows wire field names, so connectors, the offline command and the simulator's
// checks agree.
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "reconcile/dossier.hpp"
#include "reconcile/status.hpp"

namespace dvc {

// A record that cannot be used: names the field at fault. The record is reported and skipped.
struct record_error : std::runtime_error {
  std::string field;
  record_error(std::string field_name, const std::string& what)
      : std::runtime_error(field_name.empty() ? what : field_name + ": " + what), field(std::move(field_name)) {}
};

struct parsed_dossier {
  dossier value;
  // Problems that keep the record but must be reported, e.g. an unknown status code (never guessed).
  std::vector<std::string> warnings;
};

parsed_dossier parse_provincial(const nlohmann::json& record, const status_map& statuses);
parsed_dossier parse_national(const nlohmann::json& record);

// Canonical dossier as JSON (ledger storage, API, `mismatches show`); round-trips through dossier_from_json.
nlohmann::json to_json(const dossier& d);
// The same object as compact JSON text, written directly: the ledger stores and hashes a body per record, and
// building an nlohmann object first costs more than the rest of an upsert. Invalid UTF-8 becomes U+FFFD.
std::string to_json_text(const dossier& d);
dossier dossier_from_json(const nlohmann::json& j);

}  // namespace dvc
