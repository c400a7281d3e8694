#pragma once
// `dvcrecon backup --config FILE --to FILE`: a consistent copy of the ledger while the service runs.
#include <string>
#include <vector>

namespace dvc {

int backup_command(const std::vector<std::string>& args);

}  // namespace dvc
