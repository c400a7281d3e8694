// Alert episodes and the messages owed about them (schema/migrations/008_alerts.sql).
#include <set>
#include <utility>

#include "schema/ledger_impl.hpp"

namespace dvc {

std::string_view alert_event_name(alert_event e) { return e == alert_event::fired ? "fired" : "resolved"; }

namespace {

alert_event alert_event_from(std::string_view text) {
  return text == "resolved" ? alert_event::resolved : alert_event::fired;
}

nlohmann::json json_or_null(const sqlite::statement& st, int column) {
  const auto text = st.get_optional_text(column);
  if (!text) return nullptr;
  return nlohmann::json::parse(*text, nullptr, false);
}

}  // namespace

alert_changes ledger::apply_alert_conditions(const alert_update& update, instant now) {
  alert_changes out;
  sqlite::transaction tx(p_->db);
  const auto owe = [&](std::int64_t episode, alert_event event) {
    auto st =
        p_->use("INSERT OR IGNORE INTO alert_deliveries (episode_id, event, target, created_at) VALUES (?, ?, ?, ?)");
    for (const auto& target : update.targets) {
      st->bind(1, episode).bind(2, alert_event_name(event)).bind(3, target).bind(4, now).run();
      st->reset();
    }
  };
  const auto resolve = [&](std::int64_t episode, const nlohmann::json& resolution) {
    auto st = p_->use("UPDATE alert_episodes SET resolved_at = ?, resolution = ? WHERE id = ? AND resolved_at IS NULL");
    st->bind(1, now).bind(2, resolution.dump()).bind(3, episode).run();
    ++out.resolved;
    owe(episode, alert_event::resolved);
  };
  const auto open_episode = [&](const std::string& rule, const std::string& subject) -> std::optional<std::int64_t> {
    auto st = p_->use("SELECT id FROM alert_episodes WHERE rule = ? AND subject = ? AND resolved_at IS NULL");
    st->bind(1, rule).bind(2, subject);
    if (st->step()) return st->get_int(0);
    return std::nullopt;
  };
  std::set<std::pair<std::string, std::string>> listed;
  for (const auto& c : update.conditions) {
    listed.emplace(c.rule, c.subject);
    const auto open = open_episode(c.rule, c.subject);
    if (c.active && !open) {
      auto st = p_->use("INSERT INTO alert_episodes (rule, subject, opened_at, details) VALUES (?, ?, ?, ?)");
      st->bind(1, c.rule).bind(2, c.subject).bind(3, now).bind(4, c.details.dump()).run();
      ++out.fired;
      owe(p_->db.last_insert_rowid(), alert_event::fired);
    } else if (!c.active && open) {
      resolve(*open, c.details);
    }
  }
  for (const auto& rule : update.complete_rules) {
    std::vector<std::pair<std::int64_t, std::string>> gone;
    {
      auto st = p_->use("SELECT id, subject FROM alert_episodes WHERE rule = ? AND resolved_at IS NULL");
      st->bind(1, rule);
      while (st->step())
        if (!listed.contains({rule, st->get_text(1)})) gone.emplace_back(st->get_int(0), st->get_text(1));
    }
    for (const auto& [id, subject] : gone) resolve(id, nlohmann::json::object());
  }
  tx.commit();
  return out;
}

std::vector<owed_alert> ledger::owed_alerts(std::string_view target, std::size_t limit) const {
  auto st = p_->use(
      "SELECT d.episode_id, d.event, d.target, e.rule, e.subject, e.opened_at, e.resolved_at, e.details,"
      " e.resolution, d.attempts FROM alert_deliveries d JOIN alert_episodes e ON e.id = d.episode_id"
      " WHERE d.target = ? AND d.delivered_at IS NULL ORDER BY d.created_at, d.episode_id, d.event = 'resolved'"
      " LIMIT ?");
  st->bind(1, target).bind(2, static_cast<std::int64_t>(limit));
  std::vector<owed_alert> out;
  while (st->step()) {
    owed_alert a;
    a.episode_id = st->get_int(0);
    a.event = alert_event_from(st->get_text(1));
    a.target = st->get_text(2);
    a.rule = st->get_text(3);
    a.subject = st->get_text(4);
    a.opened_at = st->get_int(5);
    a.resolved_at = st->get_optional_int(6);
    a.details = json_or_null(*st, 7);
    a.resolution = a.resolved_at ? json_or_null(*st, 8) : nlohmann::json();
    a.attempts = st->get_int(9);
    out.push_back(std::move(a));
  }
  return out;
}

std::int64_t ledger::owed_alert_count(std::string_view target) const {
  auto st = p_->use("SELECT count(*) FROM alert_deliveries WHERE target = ? AND delivered_at IS NULL");
  st->bind(1, target);
  st->step();
  return st->get_int(0);
}

void ledger::mark_alerts_delivered(const std::vector<owed_alert>& sent, instant now) {
  sqlite::transaction tx(p_->db);
  auto st = p_->use(
      "UPDATE alert_deliveries SET delivered_at = ?, attempts = attempts + 1, last_error = NULL"
      " WHERE episode_id = ? AND event = ? AND target = ?");
  for (const auto& a : sent) {
    st->bind(1, now).bind(2, a.episode_id).bind(3, alert_event_name(a.event)).bind(4, a.target).run();
    st->reset();
  }
  tx.commit();
}

void ledger::mark_alerts_failed(const std::vector<owed_alert>& tried, std::string_view error) {
  sqlite::transaction tx(p_->db);
  auto st = p_->use(
      "UPDATE alert_deliveries SET attempts = attempts + 1, last_error = ?"
      " WHERE episode_id = ? AND event = ? AND target = ?");
  for (const auto& a : tried) {
    st->bind(1, error).bind(2, a.episode_id).bind(3, alert_event_name(a.event)).bind(4, a.target).run();
    st->reset();
  }
  tx.commit();
}

std::vector<alert_episode_row> ledger::alert_episodes(bool open_only) const {
  auto st = p_->use(
      "SELECT id, rule, subject, opened_at, resolved_at, details FROM alert_episodes"
      " WHERE ? = 0 OR resolved_at IS NULL ORDER BY id DESC");
  st->bind(1, open_only ? 1 : 0);
  std::vector<alert_episode_row> out;
  while (st->step())
    out.push_back({st->get_int(0), st->get_text(1), st->get_text(2), st->get_int(3), st->get_optional_int(4),
                   json_or_null(*st, 5)});
  return out;
}

std::vector<alert_episode_row> ledger::resolved_alert_episodes(std::size_t limit) const {
  auto st = p_->use(
      "SELECT id, rule, subject, opened_at, resolved_at, details FROM alert_episodes"
      " WHERE resolved_at IS NOT NULL ORDER BY resolved_at DESC, id DESC LIMIT ?");
  st->bind(1, static_cast<std::int64_t>(limit));
  std::vector<alert_episode_row> out;
  while (st->step())
    out.push_back({st->get_int(0), st->get_text(1), st->get_text(2), st->get_int(3), st->get_optional_int(4),
                   json_or_null(*st, 5)});
  return out;
}

}  // namespace dvc
