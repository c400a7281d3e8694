#pragma once
// `dvcrecon verify-ledger --config FILE`: SQLite's integrity check and the audit chain (docs/cli.md#verify-ledger).
// Exit 0 when both hold, 1 naming the first broken event (or SQLite's complaint), 2/3 when it cannot look.
#include <string>
#include <vector>

namespace dvc {

int verify_ledger_command(const std::vector<std::string>& args);

}  // namespace dvc
