// docs/profiles.md#canonical-fields: the one list of canonical field names.
#include "reconcile/canonical_field.hpp"

#include <array>

namespace dvc {
namespace {

constexpr std::array<std::string_view, canonical_field_count> names_{
    "id",
    "code",
    "nation_code",
    "status",
    "procedure_code",
    "procedure_name",
    "sector_code",
    "sector_name",
    "unit_code",
    "unit_name",
    "applicant_name",
    "applicant_phone",
    "applicant_email",
    "applicant_type",
    "summary",
    "channel",
    "online_payment",
    "digitised",
    "received",
    "due",
    "completed",
    "returned",
    "updated",
    "results",
    "steps",
};
static_assert(static_cast<std::size_t>(canonical_field::steps) + 1 == canonical_field_count);

}  // namespace

std::string_view field_name(canonical_field f) { return names_[static_cast<std::size_t>(f)]; }

std::optional<canonical_field> canonical_field_named(std::string_view name) {
  for (std::size_t i = 0; i < names_.size(); ++i)
    if (names_[i] == name) return static_cast<canonical_field>(i);
  return std::nullopt;
}

std::string canonical_set::names(std::string_view separator) const {
  std::string out;
  for_each([&](canonical_field f) {
    if (!out.empty()) out.append(separator);
    out.append(field_name(f));
  });
  return out;
}

}  // namespace dvc
