// The finding lifecycle (docs/rules.md#lifecycle) and operator acks; every state change appends a chained event.
#include <map>
#include <set>

#include "schema/event_chain.hpp"
#include "schema/ledger.hpp"
#include "schema/ledger_impl.hpp"

namespace dvc {

namespace {

struct existing_finding {
  std::int64_t id = 0;
  std::string reason;
  std::string state;
};

std::string dump_details(const nlohmann::json& details) {
  return details.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

lifecycle_counts ledger::apply_evaluations(std::int64_t run_id, instant now,
                                           std::span<const std::pair<std::string, evaluation>> evaluated,
                                           std::vector<finding_transition>* transitions) {
  lifecycle_counts counts;
  sqlite::transaction tx(p_->db);
  prepare_chain_for_write(*p_, now);
  auto note = [&](std::int64_t finding_id, const std::string& key, finding_kind kind, std::string_view type,
                  const std::optional<std::string>& from, std::string_view to) {
    if (transitions) {
      transitions->push_back({finding_id, key, kind, std::string(type), from, std::string(to)});
    }
  };
  auto event = [&](std::int64_t finding_id, const std::string& key, finding_kind kind, std::string_view type,
                   std::optional<std::string> from, std::string_view to, std::string cause) {
    event_row e;
    e.finding_id = finding_id;
    e.at = now;
    e.run_id = run_id;
    e.type = type;
    e.from_state = std::move(from);
    e.to_state = to;
    e.cause = std::move(cause);
    append_event(*p_, e, finding_identity{key, std::string(kind_name(kind))});
  };

  for (const auto& [key, eval] : evaluated) {
    // Pending: the dossier may still be in flight between the portals, so nothing is raised or resolved.
    if (eval.pending) continue;

    std::map<finding_kind, existing_finding> existing;
    {
      auto st = p_->use("SELECT id, kind, reason, state FROM findings WHERE key = ?");
      st->bind(1, key);
      while (st->step()) {
        const auto kind = kind_from_name(st->get_text_view(1));
        if (!kind) {
          throw ledger_error("finding " + std::to_string(st->get_int(0)) + " of " + key + " has an unknown kind '" +
                             st->get_text(1) + "'");
        }
        existing[*kind] = existing_finding{st->get_int(0), st->get_text(2), st->get_text(3)};
      }
    }

    std::set<finding_kind> raised_now;
    for (const finding& f : eval.findings) {
      if (f.key != key) {
        throw ledger_error("evaluation of " + key + " carries a finding for another key (" + f.key + ")");
      }
      if (!raised_now.insert(f.kind).second) {
        throw ledger_error("evaluation of " + key + " raises " + std::string(kind_name(f.kind)) + " twice");
      }
      const auto kind_text = kind_name(f.kind);
      const auto details = dump_details(f.details);
      const auto it = existing.find(f.kind);
      if (it == existing.end()) {
        auto ins = p_->use(
            "INSERT INTO findings (key, kind, reason, unit_code, state, first_seen, last_seen, details)"
            " VALUES (?, ?, ?, ?, 'open', ?, ?, ?)");
        ins->bind(1, key).bind(2, kind_text).bind(3, f.reason).bind(4, f.unit_code).bind(5, now).bind(6, now);
        ins->bind(7, details);
        ins->step();
        const auto id = p_->db.last_insert_rowid();
        event(id, key, f.kind, event_type::opened, std::nullopt, state::open, f.reason);
        note(id, key, f.kind, event_type::opened, std::nullopt, state::open);
        ++counts.raised;
        continue;
      }
      const existing_finding& old = it->second;
      const bool reopening = !is_open_state(old.state);
      const std::string_view new_state = reopening ? state::reopened : std::string_view(old.state);
      auto upd =
          p_->use("UPDATE findings SET reason = ?, unit_code = ?, state = ?, last_seen = ?, details = ? WHERE id = ?");
      upd->bind(1, f.reason).bind(2, f.unit_code).bind(3, new_state).bind(4, now).bind(5, details).bind(6, old.id);
      upd->step();
      if (reopening) {
        event(old.id, key, f.kind, event_type::reopened, old.state, state::reopened, f.reason);
        note(old.id, key, f.kind, event_type::reopened, old.state, state::reopened);
        ++counts.reopened;
      } else if (old.reason != f.reason) {
        event(old.id, key, f.kind, event_type::seen_changed, old.state, new_state, old.reason + " -> " + f.reason);
        note(old.id, key, f.kind, event_type::seen_changed, old.state, new_state);
      } else {
        note(old.id, key, f.kind, "seen", old.state, new_state);
      }
    }

    for (const auto& [kind, old] : existing) {
      if (raised_now.contains(kind) || !is_open_state(old.state)) continue;
      auto upd = p_->use("UPDATE findings SET state = 'resolved' WHERE id = ?");
      upd->bind(1, old.id);
      upd->step();
      event(old.id, key, kind, event_type::resolved, old.state, state::resolved, "no longer raised");
      note(old.id, key, kind, event_type::resolved, old.state, state::resolved);
      ++counts.resolved;
    }
  }
  tx.commit();
  return counts;
}

void ledger::ack(std::int64_t finding_id, std::string_view note, std::string_view by, instant now) {
  if (note.size() > max_ack_note_bytes) {
    throw ledger_error("ack note for finding " + std::to_string(finding_id) + " is " + std::to_string(note.size()) +
                       " bytes; at most " + std::to_string(max_ack_note_bytes) + " are kept");
  }
  if (by.size() > max_ack_by_bytes) {
    throw ledger_error("ack author for finding " + std::to_string(finding_id) + " is longer than " +
                       std::to_string(max_ack_by_bytes) + " bytes");
  }
  sqlite::transaction tx(p_->db);
  prepare_chain_for_write(*p_, now);
  std::string current_state;
  finding_identity identity;
  {
    auto st = p_->use("SELECT state, key, kind FROM findings WHERE id = ?");
    st->bind(1, finding_id);
    if (!st->step()) throw ledger_error("no finding with id " + std::to_string(finding_id));
    current_state = st->get_text(0);
    identity = {st->get_text(1), st->get_text(2)};
  }
  {
    auto upd = p_->use("UPDATE findings SET ack_note = ?, ack_by = ?, ack_at = ? WHERE id = ?");
    upd->bind(1, note).bind(2, by).bind(3, now).bind(4, finding_id);
    upd->step();
  }
  event_row e;
  e.finding_id = finding_id;
  e.at = now;
  e.type = event_type::ack;
  e.from_state = current_state;
  e.to_state = current_state;
  e.cause = note;
  e.actor = std::string(by);
  append_event(*p_, e, identity);
  tx.commit();
}

}  // namespace dvc
