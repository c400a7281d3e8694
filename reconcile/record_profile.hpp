#pragma once
// A profile's `record` section compiled once into an extractor (docs/profiles.md#record): from one wire record to
// the canonical dossier, with the fields the portal does not give marked unknown.
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "reconcile/canonical_field.hpp"
#include "reconcile/dossier.hpp"

namespace dvc {

// A record that cannot be used: names the field at fault by its path in the record (`steps[1].endDate`). The record
// is reported and skipped.
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

// The configuration's `status_map`: wire status value (trimmed, upper-cased) → national number, consulted before
// the profile's `status` table.
using status_overrides = std::map<std::string, int, std::less<>>;

class record_profile {
 public:
  // Compiles `section` (the profile's `record` object). Throws profile_error naming `file` and the key at fault
  // (`record.fields.channel.table`).
  record_profile(const nlohmann::json& section, side origin, const std::string& file);

  // Throws record_error naming the field at fault; an unknown status or applicant type is a warning instead.
  parsed_dossier read(const nlohmann::json& record, const status_overrides& overrides = {}) const;

  side origin() const;
  // The fields the profile names in `not_provided`: unknown for every record.
  canonical_set not_provided() const;
  // The `status` table, wire value (normalised) → national number; empty without one.
  const std::vector<std::pair<std::string, int>>& status_table() const;

 private:
  struct compiled;
  std::shared_ptr<const compiled> c_;
};

}  // namespace dvc
