#pragma once
// The Vietnamese labels operators read (docs/dashboard.md#labels): one table, reports/labels_vi.json, built into the
// program. Categories: kinds and reasons ({label, explain, remedy}), states, events, causes, fields, details,
// columns, sides, messages (plain strings).
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace dvc {

// The whole table, parsed once.
const nlohmann::json& vi_labels();

// The Vietnamese name of `code` in `category`: the `label` member for kinds and reasons, the string otherwise; the
// code itself when the table has none, so a code added without a label still shows as something.
std::string vi_label(std::string_view category, std::string_view code);

}  // namespace dvc
