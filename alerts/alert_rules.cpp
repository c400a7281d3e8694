#include "alerts/alert_rules.hpp"

#include <cmath>

namespace dvc {
namespace {

nlohmann::json rate_details(const sync_rate_row& r) {
  return {{"unit_code", r.province ? nlohmann::json() : nlohmann::json(r.unit_code)},
          {"unit_name", r.unit_name},
          {"period", r.period},
          {"total", r.total},
          {"fully_synced", r.fully_synced},
          {"rate_percent", *r.rate * 100},
          {"target_percent", r.target}};
}

void judge_rates(const alert_rules& rules, const std::vector<sync_rate_row>& rows, alert_update& out) {
  for (const auto& r : rows) {
    // docs/rules.md#sync-rate: a rate no evaluation computed, or of no dossier, says nothing either way.
    if (!r.rate || r.no_evaluation_yet) continue;
    const std::string subject = r.province ? std::string(province_subject) : r.unit_code;
    const double percent = *r.rate * 100;
    if (rules.sync_rate_below_target)
      out.conditions.push_back(
          {std::string(alert_rule::sync_rate_below_target), subject, percent < r.target, rate_details(r)});
    if (rules.sync_rate_below) {
      auto details = rate_details(r);
      details["threshold_percent"] = *rules.sync_rate_below;
      out.conditions.push_back({std::string(alert_rule::sync_rate_below_threshold), subject,
                                percent < *rules.sync_rate_below, std::move(details)});
    }
  }
}

void judge_polls(std::int64_t minutes, const alert_inputs& in, alert_update& out) {
  for (const side s : {side::provincial, side::national}) {
    const side_status& st = in.status->of(s);
    // Before any success, the clock runs from the service's start: a side never read is as stale as that.
    const instant since = st.last_success.value_or(in.status->started_at);
    const bool stale = in.now - since >= minutes * 60;
    out.conditions.push_back({std::string(alert_rule::poll_stale),
                              std::string(side_name(s)),
                              stale,
                              {{"side", side_name(s)},
                               {"minutes", minutes},
                               {"last_success", st.last_success ? nlohmann::json(*st.last_success) : nlohmann::json()},
                               {"error", st.last_error}}});
  }
}

}  // namespace

alert_update alert_conditions(const alert_rules& rules, const alert_inputs& in) {
  alert_update out;
  if (in.rates && (rules.sync_rate_below_target || rules.sync_rate_below)) judge_rates(rules, *in.rates, out);
  if (rules.falsely_closed && in.falsely_closed) {
    for (const auto& f : *in.falsely_closed)
      out.conditions.push_back({std::string(alert_rule::falsely_closed),
                                f.key,
                                true,
                                {{"key", f.key}, {"unit_code", f.unit_code}, {"reason", f.reason}, {"finding", f.id}}});
    out.complete_rules.emplace_back(alert_rule::falsely_closed);
  }
  if (rules.poll_stale_minutes && in.status) judge_polls(*rules.poll_stale_minutes, in, out);
  return out;
}

}  // namespace dvc
