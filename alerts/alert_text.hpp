#pragma once
// What an alert says to people, from the templates of alerts/alert_texts.json (one place for every word), and the
// two shapes it travels in: the JSON body of a webhook POST and the subject and text of an e-mail.
#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "reconcile/instant.hpp"
#include "schema/alert_records.hpp"

namespace dvc {

// alerts/alert_texts.json as built in.
std::string_view alert_texts_json();

struct alert_words {
  std::string title;
  std::string text;
};

// The title and text of `a` (its details for a firing, its resolution over them for a resolution).
alert_words render_alert(const owed_alert& a);

// `{"source":"dvcrecon","sent_at","text","alerts":[{"episode","event","rule","subject","opened_at","resolved_at",
// "title","text","details"}],"more"}`: `text` joins every title and text, so chat services that show a `text` field
// (Mattermost, Rocket.Chat, Slack) show the alert as it is; times are ISO 8601 in Vietnam time; `more` counts the
// events owed beyond this message.
std::string webhook_body(const std::vector<owed_alert>& alerts, std::int64_t more, instant now);

struct mail_text {
  std::string subject;  // plain UTF-8; the SMTP client encodes it
  std::string body;     // UTF-8, lines ending in \n
};
mail_text mail_of(const std::vector<owed_alert>& alerts, std::int64_t more);

// A percentage as Vietnamese writes it: `87,5 %`.
std::string vietnamese_percent(double percent);
// `dd/mm/yyyy HH:MM` in Vietnam time.
std::string vietnamese_time(instant t);

}  // namespace dvc
