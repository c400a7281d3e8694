#pragma once
// `dvcrecon report sync-rate --config FILE [--period P] [--format json|csv|table]`.
#include <string>
#include <vector>

namespace dvc {

int report_command(const std::vector<std::string>& args);

}  // namespace dvc
