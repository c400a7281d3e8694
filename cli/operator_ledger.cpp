#include "cli/operator_ledger.hpp"

#include <filesystem>
#include <iostream>

#include "reports/known_unit.hpp"
#include "service/exit_codes.hpp"

namespace dvc {

std::map<std::string, std::string> configured_unit_names(const config& cfg) {
  std::map<std::string, std::string> names;
  for (const auto& u : cfg.units) names[u.code] = u.name;
  return names;
}

std::optional<std::string> known_unit(const operator_ledger& ol, std::string_view command, const std::string& text) {
  if (auto code = known_unit_code(ol.cfg, ol.db, text)) return code;
  std::cerr << "dvcrecon " << command << ": --unit " << unknown_unit_message(text) << " " << ol.cfg.ledger.string()
            << "\n";
  return std::nullopt;
}

std::optional<operator_ledger> open_operator_ledger(std::string_view command, const std::string& config_path,
                                                    int& exit_status, config_use use) {
  // The ledger, and the audit key for the commands that need it: an operator has no portal secret (systemd hands
  // those to the service only).
  auto loaded = load_config(config_path, {.use = use});
  if (!loaded.value) {
    bool credentials_unset = false;
    for (const auto& p : loaded.problems) {
      std::cerr << "dvcrecon " << command << ": " << config_path << ": " << describe(p) << "\n";
      credentials_unset = credentials_unset || p.message.starts_with("CREDENTIALS_DIRECTORY is not set");
    }
    if (credentials_unset)
      std::cerr << "dvcrecon " << command
                << ": from a shell, set CREDENTIALS_DIRECTORY to the directory the unit's "
                   "LoadCredential= lines read (/etc/dvcrecon/credentials as installed)\n";
    exit_status = exit_code::usage;
    return std::nullopt;
  }
  config cfg = std::move(*loaded.value);
  std::error_code ec;
  // Opening creates a missing file; a report must not leave an empty ledger where the service's should be.
  if (!std::filesystem::is_regular_file(cfg.ledger, ec)) {
    std::cerr << "dvcrecon " << command << ": ledger " << cfg.ledger.string() << " named by " << config_path
              << " does not exist or is not a file\n";
    exit_status = exit_code::runtime;
    return std::nullopt;
  }
  try {
    std::optional<audit_key> key;
    if (cfg.audit.key) key.emplace(cfg.audit.key->reveal());
    ledger db = ledger::open(cfg.ledger.string(), std::move(key));
    return operator_ledger{std::move(cfg), std::move(db)};
  } catch (const std::exception& e) {
    std::cerr << "dvcrecon " << command << ": ledger " << cfg.ledger.string() << ": " << e.what() << "\n";
    exit_status = exit_code::runtime;
    return std::nullopt;
  }
}

}  // namespace dvc
