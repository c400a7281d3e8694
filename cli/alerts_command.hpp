#pragma once
// `dvcrecon alerts test --config FILE` (docs/cli.md#alerts): a sample alert to every configured target, one line per
// target on stdout (`NAME: sent` or `NAME: failed: why`); exit 0 when every target took it, 3 when one did not, 2 for
// a configuration without alert targets or another usage or configuration error.
#include <string>
#include <vector>

namespace dvc {

int alerts_command(const std::vector<std::string>& args);

}  // namespace dvc
