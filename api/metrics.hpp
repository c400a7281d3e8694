#pragma once
// `/metrics` in the Prometheus text exposition format (version 0.0.4): every name `dvcrecon_*` with HELP and
// TYPE lines. The figures are gathered by the API handler; rendering is pure so tests check the text.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "reconcile/sync_rate.hpp"
#include "schema/ledger.hpp"
#include "service/service_status.hpp"

namespace dvc {

// What the ledger says, when it could be read.
struct ledger_figures {
  std::map<std::pair<std::string, std::string>, std::int64_t> findings;  // (kind, state) → count
  std::vector<sync_rate_row> sync_rates;                                 // current quarter
  ledger_file_sizes sizes;
};

std::string render_metrics(const service_status& status, const std::optional<ledger_figures>& ledger, instant now);

// A label value escaped as the exposition format requires (backslash, double quote, newline).
std::string escape_label(std::string_view value);

}  // namespace dvc
