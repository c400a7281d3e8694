#pragma once
// The alert rules of the configuration (docs/configuration.md#alerts) judged on what one service cycle left: each
// rule gives a verdict per subject, and leaves out a subject it cannot judge (a rate nobody computed, a cycle that
// evaluated nothing), so no episode opens or resolves on a guess. Pure: the caller reads the ledger and the clock.
#include <optional>
#include <vector>

#include "config/alert_settings.hpp"
#include "reconcile/instant.hpp"
#include "reconcile/sync_rate.hpp"
#include "schema/alert_records.hpp"
#include "schema/ledger.hpp"
#include "service/service_status.hpp"

namespace dvc {

namespace alert_rule {
inline constexpr std::string_view sync_rate_below_target = "sync_rate_below_target";
inline constexpr std::string_view sync_rate_below_threshold = "sync_rate_below_threshold";
inline constexpr std::string_view falsely_closed = "falsely_closed";
inline constexpr std::string_view poll_stale = "poll_stale";
inline constexpr std::string_view test = "test";  // `dvcrecon alerts test`; never recorded
}  // namespace alert_rule

// The subject of the province row of the sync rate.
inline constexpr std::string_view province_subject = "province";

struct alert_inputs {
  instant now = 0;
  // Set when this cycle evaluated (both sides read): the rates of the current quarter and the open falsely_closed
  // findings as it left them. Absent after a partial cycle, whose ledger says nothing new about either.
  std::optional<std::vector<sync_rate_row>> rates;
  std::optional<std::vector<finding_row>> falsely_closed;
  const service_status* status = nullptr;  // for poll_stale
};

alert_update alert_conditions(const alert_rules& rules, const alert_inputs& in);

}  // namespace dvc
