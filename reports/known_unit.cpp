#include "reports/known_unit.hpp"

#include "reconcile/normalize.hpp"
#include "reconcile/printable.hpp"

namespace dvc {

std::optional<std::string> known_unit_code(const config& cfg, const ledger& db, std::string_view text) {
  const std::string code = normalize_code(text);
  for (const auto& u : cfg.units)
    if (u.code == code) return code;
  if (!code.empty() && db.unit_known(code)) return code;
  return std::nullopt;
}

std::string unknown_unit_message(std::string_view text) {
  return "\"" + printable(text) + "\" is neither a unit of the configuration nor a unit of any dossier or finding in " +
         "the ledger";
}

}  // namespace dvc
