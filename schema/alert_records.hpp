#pragma once
// What the ledger keeps of alerts (schema/migrations/008_alerts.sql): a rule's condition about one subject as the
// latest evaluation saw it, the episodes those conditions open and resolve, and the messages owed to each target.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "reconcile/instant.hpp"

namespace dvc {

// One rule's verdict about one subject in this evaluation. A subject the evaluation could not judge (a rate nobody
// computed, a side not yet polled) is left out, so its episode neither opens nor resolves on a guess.
struct alert_condition {
  std::string rule;
  std::string subject;
  bool active = false;
  nlohmann::json details = nlohmann::json::object();  // the values a message quotes
};

struct alert_update {
  std::vector<alert_condition> conditions;
  // Rules this evaluation judged for every subject: an open episode of one of them whose subject has no condition
  // here is resolved (a falsely closed finding no longer open is not listed at all).
  std::vector<std::string> complete_rules;
  std::vector<std::string> targets;  // names of the configured targets: each new event is owed to each of them
};

struct alert_changes {
  std::int64_t fired = 0;     // episodes opened
  std::int64_t resolved = 0;  // episodes closed
};

enum class alert_event : std::uint8_t { fired, resolved };
std::string_view alert_event_name(alert_event e);

// One message owed to one target.
struct owed_alert {
  std::int64_t episode_id = 0;
  alert_event event = alert_event::fired;
  std::string target;
  std::string rule;
  std::string subject;
  instant opened_at = 0;
  maybe_instant resolved_at;
  nlohmann::json details;     // as it fired
  nlohmann::json resolution;  // as it cleared; null while open
  std::int64_t attempts = 0;
};

struct alert_episode_row {
  std::int64_t id = 0;
  std::string rule;
  std::string subject;
  instant opened_at = 0;
  maybe_instant resolved_at;
  nlohmann::json details;
};

}  // namespace dvc
