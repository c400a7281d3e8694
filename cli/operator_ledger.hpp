#pragma once
// Opening the configuration and ledger an operator command works on.
#include <optional>
#include <string>
#include <string_view>

#include "config/config.hpp"
#include "schema/ledger.hpp"

namespace dvc {

// The configuration and ledger an operator command works on. Prints the problem (naming the file) and sets
// `exit_status` when it cannot: 2 for a bad configuration, 3 when the ledger is missing or will not open. The
// ledger is opened with the configuration's audit key when `use` reads it (config_use::ledger_audit, for the
// commands that write or check the chain), so an ack keeps the chain keyed.
struct operator_ledger {
  config cfg;
  ledger db;
};
std::optional<operator_ledger> open_operator_ledger(std::string_view command, const std::string& config_path,
                                                    int& exit_status, config_use use = config_use::ledger);

}  // namespace dvc
