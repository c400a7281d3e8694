#include "schema/audit_records.hpp"

#include "reconcile/bounded_json.hpp"
#include "reconcile/wire.hpp"
#include "schema/ledger_impl.hpp"
#include "schema/sha256.hpp"

namespace dvc {

namespace {

// Which stored fact differs from the facts of the body, or "" when none does.
std::string differing_fact(const dossier_facts& stored, const dossier_facts& body) {
  if (stored == body) return "";
  if (stored.key != body.key || stored.origin != body.origin) return "its key or side";
  if (stored.status != body.status || stored.status_code != body.status_code || stored.registered != body.registered)
    return "its status";
  if (stored.unknown != body.unknown) return "its unknown fields";
  if (stored.unit_code != body.unit_code) return "its unit";
  if (stored.received != body.received || stored.due != body.due || stored.completed != body.completed ||
      stored.updated != body.updated || stored.last_step_end != body.last_step_end)
    return "a date";
  return "a stored fact";
}

}  // namespace

std::string record_digest(std::string_view body, std::string_view source, const audit_key* key) {
  std::string named;
  if (!source.empty()) {
    // A source name has no line break (docs/sources.md), so name and body cannot be cut apart another way.
    named.reserve(source.size() + 1 + body.size());
    named.append(source).append(1, '\n').append(body);
    body = named;
  }
  return key ? key->mac_hex(body) : sha256_hex(body);
}

records_report verify_stored_records(sqlite::database& db, const audit_key* key, bool keyed) {
  records_report report;
  if (keyed && !key) {
    report.ok = false;
    report.needs_key = true;
    report.first_reason = "the records' digests are keyed: checking them needs the key (audit.key_file)";
    return report;
  }
  sqlite::statement st(db,
                       "SELECT records.hash, record_bodies.body, records.unit_name, records.body_removed_at, "
                       "coalesce(records.source, ''), " +
                           std::string(facts_columns) +
                           " FROM records LEFT JOIN record_bodies ON record_bodies.record_id = records.id"
                           " ORDER BY records.id");
  while (st.step()) {
    ++report.records_checked;
    const dossier_facts stored = read_facts(st, 5);
    const bool marked_removed = !st.is_null(3);
    std::string why;
    // Retention removes old bodies and marks the row; such a record has its facts and nothing to rehash. A missing
    // body row without the mark reads as NULL and never matches: deleting a body is as visible as editing one; so
    // is a body next to the mark.
    if (marked_removed && st.is_null(1)) {
      ++report.bodies_removed;
      continue;
    }
    if (marked_removed) {
      why = "it has a body and the mark of its removal";
    } else if (st.is_null(1)) {
      why = "its body is missing";
    } else {
      const auto body = st.get_text_view(1);
      if (record_digest(body, st.get_text_view(4), keyed ? key : nullptr) != st.get_text_view(0)) {
        why = keyed ? "its body does not match its MAC" : "its body does not match its hash";
      } else {
        try {
          const dossier d = dossier_from_json(parse_bounded(body));
          why = differing_fact(stored, facts_of(d));
          if (why.empty() && st.get_text_view(2) != d.unit_name) why = "its unit name";
          if (!why.empty()) why = why + " differs from its body";
        } catch (const std::exception& e) {
          why = std::string("its body cannot be read: ") + e.what();
        }
      }
    }
    if (why.empty()) continue;
    report.ok = false;
    if (report.mismatched++ == 0) {
      report.first_mismatch = std::string(side_name(stored.origin)) + " " + stored.key;
      report.first_reason = why;
    }
  }
  return report;
}

std::int64_t rehash_records(sqlite::database& db, const audit_key& key) {
  // In chunks by id: rows are not updated under an open scan of the same table.
  constexpr int chunk = 5000;
  std::int64_t after = 0, done = 0;
  sqlite::statement read(
      db,
      "SELECT records.id, record_bodies.body, coalesce(records.source, '') FROM records JOIN record_bodies"
      " ON record_bodies.record_id = records.id WHERE records.id > ? ORDER BY records.id LIMIT ?");
  sqlite::statement write(db, "UPDATE records SET hash = ? WHERE id = ?");
  for (;;) {
    std::vector<std::pair<std::int64_t, std::string>> batch;
    read.reset();
    read.bind(1, after).bind(2, static_cast<std::int64_t>(chunk));
    while (read.step())
      batch.emplace_back(read.get_int(0), record_digest(read.get_text_view(1), read.get_text_view(2), &key));
    read.reset();
    if (batch.empty()) return done;
    for (const auto& [id, mac] : batch) {
      write.reset();
      write.bind(1, mac).bind(2, id);
      write.step();
    }
    done += static_cast<std::int64_t>(batch.size());
    after = batch.back().first;
  }
}

}  // namespace dvc
