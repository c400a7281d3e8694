#pragma once
// The status tables (docs/wire-formats.md#national-status-codes, #provincial-status-codes): national numbering, the
// provincial code each maps to, and which statuses count as done. The provincial map is a table that configuration may
// override (`status_map`).
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace dvc {

inline constexpr int national_status_min = 1;
inline constexpr int national_status_max = 10;

// Done = national 9 (processed) or 10 (result returned).
constexpr bool is_done(int national_status) { return national_status == 9 || national_status == 10; }

// Vietnamese label for a national status code, for tables and the dashboard; "" for an unknown code.
std::string_view national_status_label(int national_status);

// Provincial code for a dossier that is only registered: not expected on national (docs/rules.md#new-dossiers).
inline constexpr std::string_view provincial_status_new = "NEW";

// The contract provincial status table with the configuration's overrides. The default table is the shipped
// contract provincial profile's `status` table (profiles/contract-provincial.json), not a copy of it.
class status_map {
 public:
  status_map();
  // Replace or add one provincial code; `national` must be within 1..10 (throws std::invalid_argument).
  void set(std::string_view provincial_code, int national);
  // The national number a provincial code maps to, after trimming and upper-casing; nullopt when unknown.
  std::optional<int> map(std::string_view provincial_code) const;
  const std::map<std::string, int, std::less<>>& table() const { return table_; }
  // Only what `set` changed: what a profile's own `status` table is overridden with (docs/profiles.md).
  const std::map<std::string, int, std::less<>>& overrides() const { return overrides_; }

 private:
  std::map<std::string, int, std::less<>> table_;
  std::map<std::string, int, std::less<>> overrides_;
};

}  // namespace dvc
