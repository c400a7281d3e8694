#include "cli/operator_ledger.hpp"

#include <filesystem>
#include <iostream>

#include "service/exit_codes.hpp"

namespace dvc {

std::optional<operator_ledger> open_operator_ledger(std::string_view command, const std::string& config_path,
                                                    int& exit_status) {
  // The ledger alone: an operator has no portal secret (systemd hands those to the service only).
  auto loaded = load_config(config_path, {.use = config_use::ledger});
  if (!loaded.value) {
    for (const auto& p : loaded.problems)
      std::cerr << "dvcrecon " << command << ": " << config_path << ": " << describe(p) << "\n";
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
    ledger db = ledger::open(cfg.ledger.string());
    return operator_ledger{std::move(cfg), std::move(db)};
  } catch (const std::exception& e) {
    std::cerr << "dvcrecon " << command << ": ledger " << cfg.ledger.string() << ": " << e.what() << "\n";
    exit_status = exit_code::runtime;
    return std::nullopt;
  }
}

}  // namespace dvc
