#include "alerts/alert_text.hpp"

#include <cmath>
#include <cstdio>
#include <map>
#include <stdexcept>

namespace dvc {
namespace {

const nlohmann::json& texts() {
  static const nlohmann::json parsed = nlohmann::json::parse(alert_texts_json());
  return parsed;
}

std::string value_word(std::string_view name) {
  const auto& values = texts().at("values");
  const auto it = values.find(std::string(name));
  return it == values.end() ? std::string(name) : it->get<std::string>();
}

std::string text_of(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer()) return std::to_string(v.get<std::int64_t>());
  if (v.is_null()) return "";
  return v.dump();
}

// The values a template names, in people's words.
std::map<std::string, std::string> words_of(const nlohmann::json& details) {
  std::map<std::string, std::string> out;
  if (!details.is_object()) return out;
  for (auto it = details.begin(); it != details.end(); ++it) out[it.key()] = text_of(it.value());
  const auto get = [&](const char* key) { return details.contains(key) ? details.at(key) : nlohmann::json(); };
  const std::string code = text_of(get("unit_code")), name = text_of(get("unit_name"));
  if (details.contains("unit_code") || details.contains("unit_name")) {
    if (code.empty())
      out["unit"] = value_word("province");
    else
      out["unit"] = name.empty() || name == code ? code : name + " (" + code + ")";
  }
  for (const auto* key : {"rate_percent", "target_percent", "threshold_percent"}) {
    if (const auto v = get(key); v.is_number()) {
      std::string short_key(key);
      short_key.erase(short_key.find("_percent"));
      out[short_key] = vietnamese_percent(v.get<double>());
    }
  }
  if (const auto side = get("side"); side.is_string()) out["side"] = value_word(side.get<std::string>());
  if (details.contains("last_success")) {
    const auto v = get("last_success");
    out["last_success"] = v.is_number_integer() ? vietnamese_time(v.get<instant>()) : value_word("never");
  }
  if (details.contains("error") && out["error"].empty()) out["error"] = value_word("no_error");
  return out;
}

std::string fill(std::string_view tmpl, const std::map<std::string, std::string>& words) {
  std::string out;
  for (std::size_t i = 0; i < tmpl.size();) {
    const auto open = tmpl.find('{', i);
    const auto close = open == std::string_view::npos ? open : tmpl.find('}', open);
    if (close == std::string_view::npos) {
      out += tmpl.substr(i);
      break;
    }
    out += tmpl.substr(i, open - i);
    const auto it = words.find(std::string(tmpl.substr(open + 1, close - open - 1)));
    out += it == words.end() ? std::string(tmpl.substr(open, close - open + 1)) : it->second;
    i = close + 1;
  }
  return out;
}

std::string iso_or_null_text(maybe_instant t) { return t ? format_vietnam_iso(*t) : ""; }

}  // namespace

std::string vietnamese_percent(double percent) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", std::round(percent * 10) / 10);
  std::string s = buf;
  if (s.ends_with(".0")) s.resize(s.size() - 2);
  for (char& c : s)
    if (c == '.') c = ',';
  return s + " %";
}

std::string vietnamese_time(instant t) {
  const std::string iso = format_vietnam_iso(t);  // yyyy-mm-ddTHH:MM:SS+07:00
  return iso.substr(8, 2) + "/" + iso.substr(5, 2) + "/" + iso.substr(0, 4) + " " + iso.substr(11, 5);
}

alert_words render_alert(const owed_alert& a) {
  const auto& rules = texts().at("rules");
  const auto rule = rules.find(a.rule);
  const std::string event(alert_event_name(a.event));
  if (rule == rules.end() || !rule->contains(event))
    throw std::logic_error("alerts/alert_texts.json has no " + event + " text for rule " + a.rule);
  nlohmann::json values = a.details.is_object() ? a.details : nlohmann::json::object();
  if (a.event == alert_event::resolved && a.resolution.is_object()) values.update(a.resolution);
  values["target"] = a.target;
  const auto words = words_of(values);
  const auto& t = rule->at(event);
  return {fill(t.at("title").get<std::string>(), words), fill(t.at("text").get<std::string>(), words)};
}

std::string webhook_body(const std::vector<owed_alert>& alerts, std::int64_t more, instant now) {
  nlohmann::json items = nlohmann::json::array();
  std::string joined;
  for (const auto& a : alerts) {
    const auto w = render_alert(a);
    if (!joined.empty()) joined += "\n\n";
    joined += w.title + "\n" + w.text;
    items.push_back(
        {{"episode", a.episode_id},
         {"event", alert_event_name(a.event)},
         {"rule", a.rule},
         {"subject", a.subject},
         {"opened_at", format_vietnam_iso(a.opened_at)},
         {"resolved_at", a.resolved_at ? nlohmann::json(iso_or_null_text(a.resolved_at)) : nlohmann::json()},
         {"title", w.title},
         {"text", w.text},
         {"details", a.event == alert_event::resolved && a.resolution.is_object() && !a.resolution.empty()
                         ? a.resolution
                         : a.details}});
  }
  if (more > 0) joined += "\n\n" + fill(texts().at("more").get<std::string>(), {{"count", std::to_string(more)}});
  return nlohmann::json{{"source", "dvcrecon"},
                        {"sent_at", format_vietnam_iso(now)},
                        {"text", joined},
                        {"alerts", std::move(items)},
                        {"more", more}}
      .dump();
}

mail_text mail_of(const std::vector<owed_alert>& alerts, std::int64_t more) {
  mail_text out;
  for (const auto& a : alerts) {
    const auto w = render_alert(a);
    if (alerts.size() == 1) out.subject = w.title;
    out.body += w.title + "\n" + w.text + "\n\n";
  }
  if (alerts.size() != 1)
    out.subject = fill(texts().at("many_subject").get<std::string>(), {{"count", std::to_string(alerts.size())}});
  if (more > 0) out.body += fill(texts().at("more").get<std::string>(), {{"count", std::to_string(more)}}) + "\n";
  return out;
}

}  // namespace dvc
