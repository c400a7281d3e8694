#pragma once
// `dvcrecon check-config --config FILE` (docs/cli.md#check-config): every problem of the file on stderr as
// `FILE: key.path: message` and exit 2, or a one-line summary on stdout and exit 0. Secrets are never printed.
#include <string>
#include <vector>

namespace dvc {

// `args` are the words after `check-config`.
int check_config_command(const std::vector<std::string>& args);

}  // namespace dvc
