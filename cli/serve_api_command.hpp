#pragma once
// `dvcrecon serve-api --config FILE`: the API and dashboard over an existing ledger, without polling (tests,
// looking at a copied ledger).
#include <string>
#include <vector>

namespace dvc {

int serve_api_command(const std::vector<std::string>& args);

}  // namespace dvc
