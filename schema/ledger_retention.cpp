// Retention of stored record bodies: what the rules and the audit trail need (the facts, findings, events) is
// never touched; only the JSON bodies of dossiers long closed and never found wrong go.
#include "reconcile/status.hpp"
#include "schema/ledger.hpp"
#include "schema/ledger_impl.hpp"

namespace dvc {

retention_batch ledger::remove_closed_bodies(std::string_view after, std::size_t max_keys, const retention_rule& rule) {
  retention_batch out;
  sqlite::transaction tx(p_->db);
  // Each key's records together; the candidates are only marked while reading, and changed after the read ends.
  std::vector<std::int64_t> to_remove;
  {
    sqlite::statement rows(p_->db,
                           "SELECT key, id, status, completed, updated, changed_run, body_removed_at FROM records"
                           " WHERE key IN (SELECT DISTINCT key FROM records WHERE key > ?1 ORDER BY key LIMIT ?2)"
                           " ORDER BY key");
    rows.bind(1, after).bind(2, static_cast<std::int64_t>(max_keys));
    std::string key;
    bool eligible = false;
    std::vector<std::int64_t> bodies;
    const auto decide = [&] {
      if (key.empty()) return;
      ++out.keys_examined;
      if (!eligible || bodies.empty()) return;
      auto findings = p_->use("SELECT EXISTS (SELECT 1 FROM findings WHERE key = ?)");
      findings->bind(1, key);
      findings->step();
      if (findings->get_int(0) == 0) to_remove.insert(to_remove.end(), bodies.begin(), bodies.end());
    };
    while (rows.step()) {
      if (rows.get_text_view(0) != key) {
        decide();
        key = rows.get_text(0);
        eligible = true;
        bodies.clear();
      }
      const auto status = rows.get_optional_int(2);
      const auto completed = rows.get_optional_int(3), updated = rows.get_optional_int(4);
      // Closed when, unknown: not closed long enough (a guess would remove what a rule may still need).
      const auto closed_at = completed && updated ? std::max(*completed, *updated) : completed ? completed : updated;
      if (!status || !is_done(static_cast<int>(*status)) || !closed_at || *closed_at >= rule.closed_before ||
          rows.get_int(5) > rule.evaluated_through)
        eligible = false;
      if (rows.is_null(6)) bodies.push_back(rows.get_int(1));
    }
    decide();
    out.last_key = key;
  }
  out.done = out.keys_examined < static_cast<std::int64_t>(max_keys);
  for (const std::int64_t id : to_remove) {
    auto remove = p_->use("DELETE FROM record_bodies WHERE record_id = ?");
    remove->bind(1, id);
    remove->step();
    auto mark = p_->use("UPDATE records SET body_removed_at = ? WHERE id = ?");
    mark->bind(1, rule.now).bind(2, id);
    mark->step();
  }
  tx.commit();
  out.bodies_removed = static_cast<std::int64_t>(to_remove.size());
  return out;
}

}  // namespace dvc
