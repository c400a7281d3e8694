#pragma once
// `dvcrecon reconcile --provincial F --national F [--as-of T] [--grace S] [--format jsonl|csv|table]
// [--ledger FILE]` (docs/cli.md#reconcile): the offline reconcile of two exports.
#include <string>
#include <vector>

namespace dvc {

int reconcile_command(const std::vector<std::string>& args);

}  // namespace dvc
