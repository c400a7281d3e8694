#include "schema/event_chain.hpp"

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

struct head {
  std::int64_t id = 0;
  std::string hash{genesis_hash};
};

constexpr std::string_view head_sql = "SELECT last_event_id, last_hash FROM chain_head WHERE singleton = 1";

std::optional<head> read_head(sqlite::statement& st) {
  if (!st.step()) return std::nullopt;
  return head{st.get_int(0), st.get_text(1)};
}

}  // namespace

std::string event_hash(const event_row& e) {
  std::string text = "dvc-event-v1\n";
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
  return sha256_hex(text);
}

void append_event(ledger::impl& p, event_row& e) {
  // The chain head, not the last row, gives prev_hash: if the newest row was deleted behind our back, the next
  // append still links to the deleted hash and verify_chain keeps reporting the gap.
  head prev;
  {
    auto st = p.use(head_sql);
    prev = read_head(*st).value_or(head{});
  }
  // AUTOINCREMENT ids are max(ever used) + 1; the id is part of the hashed content, so take it up front.
  {
    auto st = p.use("SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0) + 1");
    st->step();
    e.id = st->get_int(0);
  }
  e.prev_hash = prev.hash;
  e.hash = event_hash(e);
  auto ins = p.use(
      "INSERT INTO events (id, finding_id, at, run_id, type, from_state, to_state, cause, actor,"
      " prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  ins->bind(1, e.id).bind(2, e.finding_id).bind(3, e.at).bind(4, e.run_id).bind(5, e.type);
  ins->bind(6, e.from_state).bind(7, e.to_state).bind(8, e.cause).bind(9, e.actor).bind(10, e.prev_hash);
  ins->bind(11, e.hash);
  ins->step();
  auto move_head = p.use(
      "INSERT INTO chain_head (singleton, last_event_id, last_hash) VALUES (1, ?, ?)"
      " ON CONFLICT (singleton) DO UPDATE SET last_event_id = excluded.last_event_id,"
      " last_hash = excluded.last_hash");
  move_head->bind(1, e.id).bind(2, e.hash);
  move_head->step();
}

chain_report verify_event_chain(sqlite::database& db) {
  chain_report report;
  sqlite::statement st(db,
                       "SELECT id, finding_id, at, run_id, type, from_state, to_state, cause, actor, prev_hash, hash"
                       " FROM events ORDER BY id");
  std::string prev(genesis_hash);
  std::int64_t last_id = 0;
  auto broken = [&](std::int64_t id, std::string why) {
    report.ok = false;
    report.first_broken_event_id = id;
    report.message = std::move(why);
    return report;
  };
  while (st.step()) {
    event_row e;
    e.id = st.get_int(0);
    e.finding_id = st.get_int(1);
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
    if (e.prev_hash != prev) {
      return broken(e.id, "event " + std::to_string(e.id) +
                              " does not link to the event before it: an event was deleted or altered before it");
    }
    if (event_hash(e) != e.hash) {
      return broken(e.id, "event " + std::to_string(e.id) + " was altered: its content does not match its hash");
    }
    prev = e.hash;
    last_id = e.id;
  }
  sqlite::statement head_st(db, head_sql);
  const auto stored = read_head(head_st);
  if (!stored) {
    if (last_id != 0) return broken(last_id, "the chain head is missing although events exist");
  } else if (stored->id != last_id || stored->hash != prev) {
    return broken(stored->id, "the newest event " + std::to_string(stored->id) +
                                  " recorded in the chain head is missing or altered: events were deleted at the end");
  }
  report.message = "event chain intact: " + std::to_string(report.events_checked) + " events verified";
  return report;
}

}  // namespace dvc
