#pragma once
// `dvcrecon demo [--once] [--keep]` (docs/cli.md#demo): everything on this machine with no set-up.
// The simulator serves both portals on loopback, in the contract shape, with a few thousand dossiers that keep
// changing; the service polls it every 10 s into a ledger in a temporary directory and serves the API and
// dashboard on 127.0.0.1:8470 (or the next free port).
// Ctrl-C stops it and removes the directory unless --keep. `--once` runs one cycle and prints a summary (CI).
#include <string>
#include <vector>

namespace dvc {

int demo_command(const std::vector<std::string>& args);

}  // namespace dvc
