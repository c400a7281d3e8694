#pragma once
// `dvcrecon mismatches recheck KEY` (docs/cli.md#recheck).
#include <string>

#include "cli/operator_ledger.hpp"

namespace dvc {

// Fetches the dossier from both portals now, re-evaluates it and prints its findings before and after (`text`) or
// the report as one JSON object (`json`). Exit 0 when it was re-evaluated, 3 when a portal could not be read.
int recheck(operator_ledger& ol, const std::string& key, const std::string& format);

}  // namespace dvc
