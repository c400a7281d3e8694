#include "schema/audit_fold.hpp"

#include "reconcile/finding.hpp"

namespace dvc {

namespace {

struct folded {
  std::string state;
  std::string reason;
  instant opened_at = 0;
  std::optional<std::string> ack_note, ack_by;
  maybe_instant ack_at;
};

struct event_view {
  std::int64_t id = 0;
  instant at = 0;
  std::string type;
  std::optional<std::string> from;
  std::string to;
  std::string cause;
  std::optional<std::string> actor;
};

// Applies one event; returns why it cannot follow what came before, or "" when it can.
std::string apply(folded& f, bool first, const event_view& e) {
  if (first) {
    if (e.type != event_type::opened || e.from || e.to != state::open) return "its first event is not an opening";
    f.state = state::open;
    f.reason = e.cause;
    f.opened_at = e.at;
    return "";
  }
  if (!e.from || *e.from != f.state) return "an event starts from a state its events had not reached";
  if (e.type == event_type::seen_changed) {
    const std::string prefix = f.reason + " -> ";
    if (!is_open_state(f.state) || e.to != f.state || !e.cause.starts_with(prefix))
      return "a change of reason does not follow from its events";
    f.reason = e.cause.substr(prefix.size());
  } else if (e.type == event_type::resolved) {
    if (!is_open_state(f.state) || e.to != state::resolved) return "a resolution does not follow from its events";
    f.state = state::resolved;
  } else if (e.type == event_type::reopened) {
    if (f.state != state::resolved || e.to != state::reopened) return "a reopening does not follow from its events";
    f.state = state::reopened;
    f.reason = e.cause;
  } else if (e.type == event_type::ack) {
    if (e.to != f.state) return "an acknowledgement changes the state";
    f.ack_note = e.cause;
    f.ack_by = e.actor;
    f.ack_at = e.at;
  } else {
    return "an event of type '" + e.type + "' cannot belong to a finding";
  }
  return "";
}

std::string text_or_null(const std::optional<std::string>& v) { return v ? "'" + *v + "'" : "none"; }

}  // namespace

chain_report verify_findings_fold(sqlite::database& db) {
  chain_report report;
  sqlite::statement findings(db,
                             "SELECT id, key, kind, reason, state, first_seen, ack_note, ack_by, ack_at FROM findings"
                             " ORDER BY id");
  sqlite::statement events(db,
                           "SELECT id, finding_id, at, type, from_state, to_state, cause, actor FROM events"
                           " WHERE finding_id IS NOT NULL ORDER BY finding_id, id");
  bool have_event = events.step();
  const auto broken_finding = [&](std::int64_t id, const std::string& label, const std::string& why) {
    report.ok = false;
    report.first_broken_finding_id = id;
    report.message = "finding " + std::to_string(id) + " (" + label + ") " + why;
    return report;
  };
  while (findings.step()) {
    const std::int64_t id = findings.get_int(0);
    const std::string label = findings.get_text(1) + ", " + findings.get_text(2);
    ++report.findings_checked;
    // Events of findings that come before this one in id order belong to no finding.
    if (have_event && events.get_int(1) < id) {
      report.ok = false;
      report.first_broken_event_id = events.get_int(0);
      report.message = "event " + std::to_string(events.get_int(0)) + " belongs to finding " +
                       std::to_string(events.get_int(1)) + ", which is not in the ledger: the finding was deleted";
      return report;
    }
    folded f;
    bool first = true;
    while (have_event && events.get_int(1) == id) {
      const event_view e{events.get_int(0),           events.get_int(2),  events.get_text(3),
                         events.get_optional_text(4), events.get_text(5), events.get_text(6),
                         events.get_optional_text(7)};
      if (const auto why = apply(f, first, e); !why.empty()) {
        report.first_broken_event_id = e.id;
        return broken_finding(id, label,
                              "does not follow from its events at event " + std::to_string(e.id) + ": " + why);
      }
      first = false;
      have_event = events.step();
    }
    if (first) return broken_finding(id, label, "has no events: every finding is opened by one");
    const std::string stored_state = findings.get_text(4);
    if (stored_state != f.state)
      return broken_finding(id, label, "is '" + stored_state + "' but its events say '" + f.state + "'");
    if (findings.get_text(3) != f.reason)
      return broken_finding(id, label,
                            "has reason '" + findings.get_text(3) + "' but its events say '" + f.reason + "'");
    if (findings.get_int(5) != f.opened_at)
      return broken_finding(id, label, "has a first_seen other than the time of its opening event");
    const auto note = findings.get_optional_text(6);
    const auto by = findings.get_optional_text(7);
    const auto at = findings.get_optional_int(8);
    if (note != f.ack_note || by != f.ack_by || at != f.ack_at)
      return broken_finding(id, label,
                            "records the acknowledgement " + text_or_null(note) + " by " + text_or_null(by) +
                                " but its events say " + text_or_null(f.ack_note) + " by " + text_or_null(f.ack_by));
  }
  if (have_event) {
    report.ok = false;
    report.first_broken_event_id = events.get_int(0);
    report.message = "event " + std::to_string(events.get_int(0)) + " belongs to finding " +
                     std::to_string(events.get_int(1)) + ", which is not in the ledger: the finding was deleted";
    return report;
  }
  report.message = "findings agree with their events: " + std::to_string(report.findings_checked) + " checked";
  return report;
}

}  // namespace dvc
