#pragma once
// Sync rate (docs/rules.md#sync-rate): per unit and period (month `2024-07` or quarter `2024-Q3`, by provincial
// appliedDate in Vietnam time), total = provincial dossiers not NEW and not pending, fully_synced = those with no open
// finding; rate = fully_synced / total (null when total is 0); target by quarter from configuration.
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "reconcile/instant.hpp"

namespace dvc {

struct period {
  // A month or a quarter (the rate's own periods), a calendar year, or any range of days (`report --from --to`).
  enum class granularity { month, quarter, year, days };
  granularity unit = granularity::quarter;
  int year = 0;
  int index = 0;               // month 1..12 or quarter 1..4; 0 for a year or a range of days
  std::int64_t first_day = 0;  // a range of days: days since 1970-01-01 (days_from_civil), both ends included
  std::int64_t last_day = 0;

  static std::optional<period> parse(std::string_view text);  // "2024-07" or "2024-Q3"
  static period of(instant t, granularity g);                 // the period containing t (Vietnam time); not days
  static period of_year(int year);
  static period of_days(std::int64_t first_day, std::int64_t last_day);
  // Whether t (Vietnam time) falls in the period.
  bool contains(instant t) const;
  // "2024-07", "2024-Q3", "2024", "2024-01-01..2024-03-31".
  std::string to_string() const;
  // The quarter whose target applies: a period spanning several quarters takes the target of the quarter it ends
  // in, the one it is judged by at its end (docs/rules.md#sync-rate).
  int quarter() const;
  instant end() const;  // the first instant after the period, in Vietnam time
  auto operator<=>(const period&) const = default;
};

// The name of the row that aggregates every unit.
inline constexpr std::string_view province_row_name = "Toàn tỉnh";

struct sync_targets {
  std::array<double, 4> by_quarter{90, 95, 100, 100};  // percent
  double for_period(const period& p) const { return by_quarter[static_cast<std::size_t>(p.quarter() - 1)]; }
};

// One provincial dossier as the sync rate sees it.
struct sync_subject {
  std::string unit_code;  // the unit it counts toward (docs/rules.md#unit-successions: receiving or successor)
  std::string unit_name;
  std::string status_code;
  maybe_instant applied;  // appliedDate
  maybe_instant updated;
  bool has_open_finding = false;
  // Covered, as it stands, by a complete evaluation: false for a dossier read since the last one (during the
  // first sync, every dossier), whose findings are not known yet.
  bool evaluated = true;
  bool registered = false;  // only registered (its profile's `new` statuses): not expected on national, not counted
  std::string received_code = {};  // the unit code the dossier carries, when another than `unit_code`
};

struct sync_rate_row {
  std::string unit_code;  // empty on the province row
  std::string unit_name;
  std::string period;
  // The codes, other than `unit_code`, carried by the dossiers it counts (its predecessors' codes), ascending.
  std::vector<std::string> received_codes;
  // Filled by the reports from the successions: the unit `unit_code` resolves to today when another one, and the
  // codes the row's unit formerly had (`received_codes`, or `unit_code` itself when it has a successor).
  std::string current_code;
  std::vector<std::string> former_codes;
  std::string formerly;    // "trước đây: name (code); …", empty without former codes
  std::int64_t total = 0;  // evaluated dossiers counted
  std::int64_t fully_synced = 0;
  std::int64_t not_evaluated = 0;  // would count, but no complete evaluation has covered them: in no figure
  std::optional<double> rate;      // 0..1; null when nothing evaluated counts (total 0)
  double target = 0;               // percent
  bool province = false;
  // No complete evaluation has run at all (the first sync): nothing in the row is computed, whatever it counts.
  bool no_evaluation_yet = false;
};

class sync_rate_calculator {
 public:
  sync_rate_calculator(instant as_of, std::int64_t grace_s, period::granularity g, std::optional<period> only,
                       sync_targets targets);
  void add(const sync_subject& s);
  // Gives period `p` a row for the unit, and so its province row, even when no dossier of the unit counts: before
  // the first complete evaluation every configured unit is shown as not yet evaluated instead of being left out.
  // An empty `unit_code` gives `p` its province row only. Ignored for a period other than the one asked for.
  void include(const period& p, const std::string& unit_code = {}, const std::string& unit_name = {});
  // The periods that have rows, ascending.
  std::vector<period> periods() const;
  // Units sorted by code within each period, the province row last in its period; periods ascending.
  std::vector<sync_rate_row> rows() const;
  std::size_t skipped_without_date() const { return no_date_; }

 private:
  struct tally {
    std::string name;
    std::set<std::string> received_as;
    std::int64_t total = 0, synced = 0, not_evaluated = 0;
  };
  instant horizon_;
  period::granularity granularity_;
  std::optional<period> only_;
  sync_targets targets_;
  std::map<period, std::map<std::string, tally>> tallies_;
  std::size_t no_date_ = 0;
};

}  // namespace dvc
