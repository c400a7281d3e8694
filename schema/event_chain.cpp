#include "schema/event_chain.hpp"

#include "schema/audit_anchor.hpp"
#include "schema/sha256.hpp"

namespace dvc {

namespace {

void put_text(std::string& out, std::string_view name, std::string_view value) {
  out.append(name).append("=").append(std::to_string(value.size())).append(":").append(value).append("\n");
}

void put_optional(std::string& out, std::string_view name, const std::optional<std::string>& value) {
  if (value) {
    put_text(out, name, *value);
  } else {
    out.append(name).append("=-\n");
  }
}

void put_int(std::string& out, std::string_view name, std::optional<std::int64_t> value) {
  put_optional(out, name, value ? std::optional<std::string>(std::to_string(*value)) : std::nullopt);
}

void put_fields(std::string& text, const event_row& e) {
  put_int(text, "id", e.id);
  put_int(text, "finding_id", e.finding_id);
  put_int(text, "at", e.at);
  put_int(text, "run_id", e.run_id);
  put_text(text, "type", e.type);
  put_optional(text, "from_state", e.from_state);
  put_text(text, "to_state", e.to_state);
  put_text(text, "cause", e.cause);
  put_optional(text, "actor", e.actor);
  put_text(text, "prev_hash", e.prev_hash);
}

constexpr std::string_view head_sql = "SELECT last_event_id, last_hash, mac FROM chain_head WHERE singleton = 1";

struct stored_head {
  chain_head_ref ref;
  std::optional<std::string> mac;
};

std::optional<stored_head> read_head(sqlite::statement& st) {
  if (!st.step()) return std::nullopt;
  return stored_head{{st.get_int(0), st.get_text(1)}, st.get_optional_text(2)};
}

}  // namespace

std::string event_hash(const event_row& e) {
  std::string text = "dvc-event-v1\n";
  put_fields(text, e);
  return sha256_hex(text);
}

std::string event_mac(const audit_key& key, const event_row& e, const std::optional<finding_identity>& finding) {
  std::string text = "dvc-event-v2\n";
  put_fields(text, e);
  put_optional(text, "finding_key", finding ? std::optional<std::string>(finding->key) : std::nullopt);
  put_optional(text, "finding_kind", finding ? std::optional<std::string>(finding->kind) : std::nullopt);
  return key.mac_hex(text);
}

std::string head_mac(const audit_key& key, std::int64_t event_id, std::string_view hash) {
  std::string text = "dvc-head-v1\n";
  put_int(text, "event_id", event_id);
  put_text(text, "hash", hash);
  return key.mac_hex(text);
}

std::optional<std::int64_t> keying_event_id(sqlite::database& db) {
  sqlite::statement st(db, "SELECT id FROM events WHERE type = 'chain_keyed' ORDER BY id LIMIT 1");
  if (!st.step()) return std::nullopt;
  return st.get_int(0);
}

chain_head_ref read_chain_head(sqlite::database& db) {
  sqlite::statement st(db, head_sql);
  const auto head = read_head(st);
  return head ? head->ref : chain_head_ref{0, std::string(genesis_hash)};
}

void prepare_chain_for_write(ledger::impl& p, instant now) {
  p.keyed = keying_event_id(p.db).has_value();
  if (p.keyed && !p.key)
    throw ledger_error("the audit chain of ledger " + p.db.path() +
                       " is keyed: writing to it needs the key (audit.key_file in the configuration)");
  if (!p.keyed && p.key) key_chain(p, now);
}

void append_event(ledger::impl& p, event_row& e, const std::optional<finding_identity>& finding) {
  // The chain head, not the last row, gives prev_hash: if the newest row was deleted behind our back, the next
  // append still links to the deleted hash and verify_chain keeps reporting the gap.
  chain_head_ref prev{0, std::string(genesis_hash)};
  {
    auto st = p.use(head_sql);
    if (auto head = read_head(*st)) prev = head->ref;
  }
  // AUTOINCREMENT ids are max(ever used) + 1; the id is part of the hashed content, so take it up front.
  {
    auto st = p.use("SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0) + 1");
    st->step();
    e.id = st->get_int(0);
  }
  e.prev_hash = prev.hash;
  e.hash = p.keyed ? event_mac(*p.key, e, finding) : event_hash(e);
  auto ins = p.use(
      "INSERT INTO events (id, finding_id, at, run_id, type, from_state, to_state, cause, actor,"
      " prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  ins->bind(1, e.id);
  if (e.finding_id != 0) {
    ins->bind(2, e.finding_id);
  } else {
    ins->bind_null(2);
  }
  ins->bind(3, e.at).bind(4, e.run_id).bind(5, e.type);
  ins->bind(6, e.from_state).bind(7, e.to_state).bind(8, e.cause).bind(9, e.actor).bind(10, e.prev_hash);
  ins->bind(11, e.hash);
  ins->step();
  auto move_head = p.use(
      "INSERT INTO chain_head (singleton, last_event_id, last_hash, mac) VALUES (1, ?, ?, ?)"
      " ON CONFLICT (singleton) DO UPDATE SET last_event_id = excluded.last_event_id,"
      " last_hash = excluded.last_hash, mac = excluded.mac");
  move_head->bind(1, e.id).bind(2, e.hash);
  if (p.keyed) {
    move_head->bind(3, head_mac(*p.key, e.id, e.hash));
  } else {
    move_head->bind_null(3);
  }
  move_head->step();
}

chain_report verify_event_chain(sqlite::database& db, const audit_key* key) {
  chain_report report;
  const auto keyed_from = keying_event_id(db);
  report.keyed = keyed_from.has_value();
  auto broken = [&](std::int64_t id, std::string why) {
    report.ok = false;
    report.first_broken_event_id = id;
    report.message = std::move(why);
    return report;
  };
  if (keyed_from && !key) {
    report.ok = false;
    report.needs_key = true;
    report.message = "the audit chain is keyed from event " + std::to_string(*keyed_from) +
                     ": checking it needs the key (audit.key_file in the configuration)";
    return report;
  }
  sqlite::statement st(db,
                       "SELECT e.id, e.finding_id, e.at, e.run_id, e.type, e.from_state, e.to_state, e.cause, e.actor,"
                       " e.prev_hash, e.hash, f.key, f.kind FROM events e LEFT JOIN findings f ON f.id = e.finding_id"
                       " ORDER BY e.id");
  std::string prev(genesis_hash);
  std::int64_t last_id = 0;
  std::optional<keying_cause> keying;
  while (st.step()) {
    event_row e;
    e.id = st.get_int(0);
    e.finding_id = st.is_null(1) ? 0 : st.get_int(1);
    e.at = st.get_int(2);
    e.run_id = st.get_optional_int(3);
    e.type = st.get_text(4);
    e.from_state = st.get_optional_text(5);
    e.to_state = st.get_text(6);
    e.cause = st.get_text(7);
    e.actor = st.get_optional_text(8);
    e.prev_hash = st.get_text(9);
    e.hash = st.get_text(10);
    ++report.events_checked;
    const std::string id = std::to_string(e.id);
    if (e.prev_hash != prev)
      return broken(e.id, "event " + id +
                              " does not link to the event before it: an event was deleted or altered "
                              "before it");
    const bool keyed_event = keyed_from && e.id >= *keyed_from;
    if (!keyed_event) {
      if (event_hash(e) != e.hash)
        return broken(e.id, "event " + id + " was altered: its content does not match its hash");
    } else {
      std::optional<finding_identity> finding;
      if (e.type == event_type::chain_keyed) {
        if (e.id != *keyed_from) return broken(e.id, "event " + id + " keys the chain a second time");
        keying = parse_keying_cause(e.cause);
        if (!keying) return broken(e.id, "event " + id + " keys the chain, but its record of the key is unreadable");
        if (keying->key_id != key->id())
          return broken(e.id, "the chain was keyed (event " + id + ") with key " + keying->key_id +
                                  ", not with the key of audit.key_file (" + key->id() + ")");
      } else {
        if (st.is_null(11))
          return broken(e.id, "event " + id + " belongs to finding " + std::to_string(e.finding_id) +
                                  ", which is not in the ledger: the finding was deleted");
        finding = finding_identity{st.get_text(11), st.get_text(12)};
      }
      if (event_mac(*key, e, finding) != e.hash)
        return broken(e.id, "event " + id +
                                " does not match its MAC: it or its finding's key or kind was altered, "
                                "or it was written without the audit key");
    }
    prev = e.hash;
    last_id = e.id;
  }
  if (!keyed_from && key && last_id != 0) {
    report.ok = false;
    report.message =
        "the audit chain is not keyed although a key is configured: it was rewritten without the key, or no "
        "dvcrecon holding this key has written to the ledger yet";
    return report;
  }
  sqlite::statement head_st(db, head_sql);
  const auto stored = read_head(head_st);
  if (!stored) {
    if (last_id != 0) return broken(last_id, "the chain head is missing although events exist");
  } else if (stored->ref.event_id != last_id || stored->ref.hash != prev) {
    return broken(stored->ref.event_id,
                  "the newest event " + std::to_string(stored->ref.event_id) +
                      " recorded in the chain head is missing or altered: events were deleted at the end");
  } else if (keyed_from && stored->mac != head_mac(*key, stored->ref.event_id, stored->ref.hash)) {
    return broken(stored->ref.event_id,
                  "the chain head does not match its MAC: it was set back to an older event, "
                  "so the events after it were deleted");
  }
  if (keying) {
    const auto digest = findings_digest(db, keying->findings_through);
    if (digest.value != keying->findings_digest)
      return broken(*keyed_from, "findings that existed when the chain was keyed (ids up to " +
                                     std::to_string(keying->findings_through) +
                                     ") were deleted, added or moved to another dossier or kind since");
  }
  report.message = "event chain intact: " + std::to_string(report.events_checked) + " events verified" +
                   (keyed_from ? ", keyed from event " + std::to_string(*keyed_from)
                               : " (not keyed: no audit.key_file; an editor who recomputes the hashes would not be "
                                 "found)");
  return report;
}

}  // namespace dvc
