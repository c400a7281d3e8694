#pragma once
// Opening the configuration and ledger an operator command works on.
#include <map>
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

// The unit codes of the configuration with their names.
std::map<std::string, std::string> configured_unit_names(const config& cfg);

// `--unit TEXT` normalised, when the configuration lists that unit or the ledger holds a finding or a record of it;
// otherwise nullopt, after saying on stderr that it is neither (a typo must not look like a unit without findings).
std::optional<std::string> known_unit(const operator_ledger& ol, std::string_view command, const std::string& text);

}  // namespace dvc
