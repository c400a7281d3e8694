#pragma once
// What this binary is, for `dvcrecon --version` and the dvcrecon_build_info metric: the project's version (from
// CMakeLists.txt) and the newest ledger schema it migrates to.
#include <string_view>

namespace dvc {

std::string_view build_version();
int build_schema_version();

}  // namespace dvc
