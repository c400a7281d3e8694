#pragma once
// `dvcrecon run --config FILE [--once]` (docs/cli.md#run): the polling service. Configuration problems are printed as
// `FILE: key.path: message` (exit 2); `--once` runs one complete cycle and exits 0, or 3 with one sentence when a
// side could not be read.
#include <string>
#include <vector>

namespace dvc {

int run_command(const std::vector<std::string>& args);

}  // namespace dvc
