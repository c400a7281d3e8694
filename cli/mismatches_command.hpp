#pragma once
// `dvcrecon mismatches list|show KEY|ack ID --note TEXT [--by NAME]|export --format jsonl|csv [--all]
// --config FILE` (docs/cli.md#mismatches): operators reviewing findings in the ledger the configuration names.
#include <string>
#include <vector>

namespace dvc {

int mismatches_command(const std::vector<std::string>& args);

}  // namespace dvc
