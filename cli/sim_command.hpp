#pragma once
// `dvcrecon sim`: the simulated portals as a command (docs/cli.md#sim).
#include <string>
#include <vector>

namespace dvc::sim {

// argv[0] is the command's own name ("sim"), the options follow. Returns the exit status of docs/cli.md:
// 0 success, 2 usage error, 3 runtime failure.
int sim_command(int argc, char** argv);
// The same with the options only (no command name).
int sim_command(const std::vector<std::string>& args);

}  // namespace dvc::sim
