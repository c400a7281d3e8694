#include "alerts/alert_cycle.hpp"

#include "alerts/alert_rules.hpp"
#include "alerts/smtp_client.hpp"
#include "alerts/webhook_sender.hpp"
#include "reports/sync_rates.hpp"
#include "service/log.hpp"

namespace dvc {
namespace asio = boost::asio;

namespace {

std::vector<finding_row> open_falsely_closed(const ledger& db) {
  finding_filter filter;
  filter.kinds = {finding_kind::falsely_closed};
  filter.states = {"open", "reopened"};
  std::vector<finding_row> out;
  db.each_finding(filter, [&out](const finding_row& f) { out.push_back(f); });
  return out;
}

// A unit's name from the configuration for the findings, whose rows carry only its code.
void name_units(const config& cfg, alert_update& update) {
  for (auto& c : update.conditions) {
    if (c.rule != alert_rule::falsely_closed) continue;
    for (const auto& u : cfg.units)
      if (u.code == c.details.value("unit_code", "")) c.details["unit_name"] = u.name;
  }
}

asio::awaitable<std::optional<std::string>> send_to(const config& cfg, const std::string& target,
                                                    const std::vector<owed_alert>& batch, std::int64_t more,
                                                    const alert_senders& send, instant now) {
  for (const auto& w : cfg.alerts.webhooks)
    if (w.name == target) co_return co_await send.webhook(w, webhook_body(batch, more, now));
  if (cfg.alerts.email && cfg.alerts.email->name == target)
    co_return co_await send.mail(*cfg.alerts.email, mail_of(batch, more));
  co_return std::optional<std::string>("target " + target + " is not configured");
}

}  // namespace

alert_senders network_senders(const alert_settings& settings, connector_env env) {
  alert_senders out;
  out.webhook = [retry = settings.retry, env](const webhook_target& t,
                                              std::string body) -> asio::awaitable<std::optional<std::string>> {
    auto failure = co_await post_webhook(t, retry, std::move(body), env);
    if (failure) co_return failure->message;
    co_return std::nullopt;
  };
  out.mail = [retry = settings.retry, env](const email_target& t,
                                           const mail_text& m) -> asio::awaitable<std::optional<std::string>> {
    co_return co_await send_mail(t, retry, m, env);
  };
  return out;
}

asio::awaitable<std::vector<target_outcome>> deliver_owed(const config& cfg, ledger& db, const alert_senders& send,
                                                          instant now) {
  std::vector<target_outcome> out;
  for (const auto& target : cfg.alerts.target_names()) {
    const auto batch = db.owed_alerts(target, cfg.alerts.max_per_message);
    if (batch.empty()) continue;
    const std::int64_t more = db.owed_alert_count(target) - static_cast<std::int64_t>(batch.size());
    target_outcome o{target, 0, std::nullopt};
    try {
      o.error = co_await send_to(cfg, target, batch, more, send, now);
    } catch (const std::exception& e) {
      // A sender that throws (a template missing from the texts) must not keep the other targets from theirs.
      o.error = e.what();
    }
    if (o.error) {
      db.mark_alerts_failed(batch, *o.error);
      log::error("alert_delivery_failed", {{"target", target},
                                           {"events", std::to_string(batch.size())},
                                           {"attempt", std::to_string(batch.front().attempts + 1)},
                                           {"error", *o.error}});
    } else {
      db.mark_alerts_delivered(batch, now);
      o.sent = batch.size();
      log::info("alert_sent",
                {{"target", target}, {"events", std::to_string(batch.size())}, {"still_owed", std::to_string(more)}});
    }
    out.push_back(std::move(o));
  }
  co_return out;
}

asio::awaitable<alert_report> alerts_after_cycle(const config& cfg, ledger& db, const service_status& status,
                                                 const cycle_report& r, const alert_senders& send, instant now) {
  const alert_rules& rules = cfg.alerts.rules;
  alert_inputs in;
  in.now = now;
  in.status = &status;
  if (r.evaluated) {
    if (rules.sync_rate_below_target || rules.sync_rate_below)
      in.rates =
          compute_sync_rates(db, cfg, period::of(now, period::granularity::quarter), period::granularity::quarter, now);
    if (rules.falsely_closed) in.falsely_closed = open_falsely_closed(db);
  }
  alert_update update = alert_conditions(rules, in);
  name_units(cfg, update);
  update.targets = cfg.alerts.target_names();
  alert_report report;
  report.changes = db.apply_alert_conditions(update, now);
  if (report.changes.fired > 0 || report.changes.resolved > 0)
    log::info("alerts_changed", {{"run", std::to_string(r.run_id)},
                                 {"fired", std::to_string(report.changes.fired)},
                                 {"resolved", std::to_string(report.changes.resolved)}});
  report.targets = co_await deliver_owed(cfg, db, send, now);
  co_return report;
}

asio::awaitable<std::vector<target_outcome>> send_test_alerts(const config& cfg, const alert_senders& send,
                                                              instant now) {
  std::vector<target_outcome> out;
  for (const auto& target : cfg.alerts.target_names()) {
    std::vector<owed_alert> sample(1);
    owed_alert& a = sample.front();
    a.rule = alert_rule::test;
    a.subject = "test";
    a.target = target;
    a.opened_at = now;
    a.details = nlohmann::json::object();
    target_outcome o{target, 0, std::nullopt};
    try {
      o.error = co_await send_to(cfg, target, sample, 0, send, now);
    } catch (const std::exception& e) {
      o.error = e.what();
    }
    if (!o.error) o.sent = 1;
    out.push_back(std::move(o));
  }
  co_return out;
}

}  // namespace dvc
