#pragma once
// A unit an operator names to filter by (`--unit`, `unit=`): known when the configuration lists it or the ledger
// holds a finding or a record of it. Anything else is refused, on the command line and over the API alike, so a
// typo never looks like a unit without findings (docs/cli.md#mismatches).
#include <optional>
#include <string>
#include <string_view>

#include "config/config.hpp"
#include "schema/ledger.hpp"

namespace dvc {

// `text` normalised as a unit code when it names a known unit; nullopt otherwise.
std::optional<std::string> known_unit_code(const config& cfg, const ledger& db, std::string_view text);

// Why `text` was refused, after the name of the option or parameter that gave it: `"X" is neither a unit of the
// configuration nor a unit of any dossier or finding in the ledger`. The ledger's path is the caller's to add: the
// command line names it, the API does not show its files to clients.
std::string unknown_unit_message(std::string_view text);

}  // namespace dvc
