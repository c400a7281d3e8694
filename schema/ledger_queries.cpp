// Reads: what the evaluator needs to re-check only what may have changed, and what operators and the API list.
#include <algorithm>

#include "reconcile/bounded_json.hpp"
#include "schema/ledger.hpp"
#include "schema/ledger_impl.hpp"

namespace dvc {

namespace {

std::vector<std::string> collect_keys(sqlite::statement& st) {
  std::vector<std::string> keys;
  while (st.step()) keys.push_back(st.get_text(0));
  return keys;
}

// The smallest string greater than every string starting with `prefix`, or "" when there is none (all 0xFF).
std::string prefix_successor(std::string prefix) {
  while (!prefix.empty()) {
    auto& last = reinterpret_cast<unsigned char&>(prefix.back());
    if (last != 0xFF) {
      ++last;
      return prefix;
    }
    prefix.pop_back();
  }
  return prefix;
}

std::string like_escaped(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

std::string select_facts(std::string_view tail) {
  return "SELECT " + std::string(facts_columns) + " FROM records " + std::string(tail);
}

}  // namespace

std::vector<dossier_facts> ledger::load_facts(side s, std::span<const std::string> keys) const {
  std::vector<dossier_facts> out;
  out.reserve(keys.size());
  const auto sql = select_facts("WHERE key = ? AND side = ?");
  for (const auto& key : keys) {
    auto st = p_->use(sql);
    st->bind(1, key).bind(2, side_name(s));
    if (st->step()) out.push_back(read_facts(*st, 0));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
  return out;
}

std::optional<stored_record> ledger::get_record(side s, std::string_view key) const {
  auto st = p_->use("SELECT " + std::string(facts_columns) +
                    ", unit_name, body, hash, seen_run, changed_run, body_removed_at FROM records LEFT JOIN"
                    " record_bodies ON record_bodies.record_id = records.id WHERE key = ? AND side = ?");
  st->bind(1, key).bind(2, side_name(s));
  if (!st->step()) return std::nullopt;
  stored_record r;
  r.facts = read_facts(*st, 0);
  constexpr int c = facts_column_count;
  r.unit_name = st->get_text(c);
  if (!st->is_null(c + 1)) {
    try {
      r.body = parse_bounded(st->get_text_view(c + 1));
    } catch (const json_error& e) {
      throw ledger_error("stored " + std::string(side_name(s)) + " record " + std::string(key) +
                         " has a body that is not valid JSON: " + e.what());
    }
  }
  r.hash = st->get_text(c + 2);
  r.seen_run = st->get_int(c + 3);
  r.changed_run = st->get_int(c + 4);
  r.body_removed_at = st->get_optional_int(c + 5);
  return r;
}

std::vector<std::string> ledger::keys_changed_in_run(std::int64_t run_id) const {
  auto st = p_->use("SELECT DISTINCT key FROM records WHERE changed_run = ? ORDER BY key");
  st->bind(1, run_id);
  return collect_keys(*st);
}

std::vector<std::string> ledger::keys_due_between(instant t0, instant t1) const {
  // The WHERE repeats the partial index's condition word for word so that SQLite uses records_by_due.
  auto st = p_->use(
      "SELECT DISTINCT key FROM records WHERE due > ? AND due <= ? AND due IS NOT NULL"
      " AND (status IS NULL OR status NOT IN (9, 10)) ORDER BY key");
  st->bind(1, t0).bind(2, t1);
  return collect_keys(*st);
}

std::vector<std::string> ledger::keys_updated_between(instant t0, instant t1) const {
  auto st = p_->use(
      "SELECT DISTINCT key FROM records WHERE updated > ? AND updated <= ? AND updated IS NOT NULL ORDER BY key");
  st->bind(1, t0).bind(2, t1);
  return collect_keys(*st);
}

std::vector<std::string> ledger::keys_after(std::string_view after, std::size_t limit) const {
  // The (key, side) unique index serves both the range and the order.
  auto st = p_->use("SELECT DISTINCT key FROM records WHERE key > ? ORDER BY key LIMIT ?");
  st->bind(1, after).bind(2, static_cast<std::int64_t>(limit));
  std::vector<std::string> out;
  out.reserve(limit);
  while (st->step()) out.push_back(st->get_text(0));
  return out;
}

void ledger::each_dossier_pair(
    const std::function<void(const dossier_facts* provincial, const dossier_facts* national)>& fn) const {
  sqlite::statement st(p_->db, select_facts("ORDER BY key, side"));
  std::optional<dossier_facts> prov, nat;
  auto flush = [&] {
    if (prov || nat) fn(prov ? &*prov : nullptr, nat ? &*nat : nullptr);
    prov.reset();
    nat.reset();
  };
  while (st.step()) {
    auto f = read_facts(st, 0);
    const auto& current = prov ? prov->key : nat ? nat->key : f.key;
    if (f.key != current) flush();
    (f.origin == side::provincial ? prov : nat) = std::move(f);
  }
  flush();
}

namespace {

// The WHERE clause of a finding filter and the values it binds, in order.
struct finding_query {
  std::string where = " WHERE 1 = 1";
  std::vector<std::string> texts;
  maybe_instant since;

  // `ordered`: for the page query. Kind and state have a handful of values each, so an index on them narrows
  // little, and sorting what it finds costs a pass over most findings; written `+kind`/`+state` they are only
  // filters, and SQLite walks findings_by_last_seen in page order and stops after `limit` rows.
  finding_query(const finding_filter& filter, bool ordered) : since(filter.since) {
    const std::string kind_column = ordered ? "+kind" : "kind";
    const std::string state_column = ordered ? "+state" : "state";
    if (!filter.kinds.empty()) {
      where += " AND " + kind_column + " IN (";
      for (std::size_t i = 0; i < filter.kinds.size(); ++i) {
        where += i ? ", ?" : "?";
        texts.emplace_back(kind_name(filter.kinds[i]));
      }
      where += ")";
    }
    if (!filter.states.empty()) {
      where += " AND " + state_column + " IN (";
      for (std::size_t i = 0; i < filter.states.size(); ++i) {
        const auto& s = filter.states[i];
        if (s != state::open && s != state::resolved && s != state::reopened) {
          throw ledger_error("unknown finding state '" + s + "' (expected open, resolved or reopened)");
        }
        where += i ? ", ?" : "?";
        texts.push_back(s);
      }
      where += ")";
    }
    if (filter.unit_code) {
      where += " AND unit_code = ?";
      texts.push_back(*filter.unit_code);
    }
    if (!filter.key_prefix.empty()) {
      where += " AND key >= ?";
      texts.push_back(filter.key_prefix);
      if (auto next = prefix_successor(filter.key_prefix); !next.empty()) {
        where += " AND key < ?";
        texts.push_back(std::move(next));
      }
    }
    if (!filter.search.empty()) {
      const auto pattern = "%" + like_escaped(filter.search) + "%";
      const auto like = [&](std::string_view column) {
        texts.push_back(pattern);
        return std::string(column) + " LIKE ? ESCAPE '\\'";
      };
      // Every placeholder binds the same pattern, so the order the operands of + push it in does not matter.
      // The finding's own columns first; then its dossier's records, found by the (key, side) index, and only when
      // those fail their bodies: the work grows with the findings scanned, not with the ledger's records.
      where += " AND (" + like("key") + " OR " + like("reason") + " OR " + like("unit_code") +
               " OR EXISTS (SELECT 1 FROM records r WHERE r.key = findings.key AND (" + like("r.unit_name") + " OR " +
               like("r.procedure_code") + "))" +
               " OR EXISTS (SELECT 1 FROM records r JOIN record_bodies b ON b.record_id = r.id WHERE r.key = "
               "findings.key AND (" +
               like("json_extract(b.body, '$.procedure_name')");
      if (filter.search_applicant) where += " OR " + like("json_extract(b.body, '$.applicant_name')");
      where += ")))";
    }
    if (since) where += " AND last_seen >= ?";
  }

  // Binds every value; returns the next free parameter index.
  int bind(sqlite::statement& st) const {
    int i = 1;
    for (const auto& t : texts) st.bind(i++, t);
    if (since) st.bind(i++, *since);
    return i;
  }
};

}  // namespace

finding_page ledger::list_findings(const finding_filter& filter) const {
  finding_page page;
  const finding_query counted(filter, false);
  const std::string count_sql = "SELECT COUNT(*) FROM findings" + counted.where;
  {
    // data_version moves with other connections' commits, total_changes() with this one's own writes.
    auto version = p_->use("SELECT (SELECT data_version FROM pragma_data_version), total_changes()");
    version->step();
    const std::pair<std::int64_t, std::int64_t> now{version->get_int(0), version->get_int(1)};
    if (now != p_->counts_version || p_->counts.size() >= 256) {
      p_->counts.clear();
      p_->counts_version = now;
    }
  }
  std::string count_key = count_sql;
  for (const auto& t : counted.texts) (count_key += '\x1f') += t;
  if (counted.since) (count_key += '\x1f') += std::to_string(*counted.since);
  if (const auto it = p_->counts.find(count_key); it != p_->counts.end()) {
    page.total = it->second;
  } else {
    sqlite::statement count(p_->db, count_sql);
    counted.bind(count);
    count.step();
    page.total = count.get_int(0);
    p_->counts.emplace(std::move(count_key), page.total);
  }

  const finding_query q(filter, true);
  const auto limit = std::clamp<std::int64_t>(filter.limit, 1, finding_filter::max_page);
  const auto offset = std::max<std::int64_t>(filter.offset, 0);
  sqlite::statement rows(p_->db, "SELECT " + std::string(finding_columns) + " FROM findings" + q.where +
                                     " ORDER BY last_seen DESC, id DESC LIMIT ? OFFSET ?");
  const int next = q.bind(rows);
  rows.bind(next, limit).bind(next + 1, offset);
  while (rows.step()) page.rows.push_back(read_finding(rows));
  return page;
}

void ledger::each_finding(const finding_filter& filter, const std::function<void(const finding_row&)>& fn) const {
  const finding_query q(filter, false);
  sqlite::statement rows(p_->db,
                         "SELECT " + std::string(finding_columns) + " FROM findings" + q.where + " ORDER BY key, kind");
  q.bind(rows);
  while (rows.step()) fn(read_finding(rows));
}

std::optional<finding_row> ledger::get_finding(std::int64_t id) const {
  auto st = p_->use("SELECT " + std::string(finding_columns) + " FROM findings WHERE id = ?");
  st->bind(1, id);
  if (!st->step()) return std::nullopt;
  return read_finding(*st);
}

std::vector<finding_row> ledger::findings_for_key(std::string_view key) const {
  auto st = p_->use("SELECT " + std::string(finding_columns) + " FROM findings WHERE key = ?");
  st->bind(1, key);
  std::vector<finding_row> out;
  while (st->step()) out.push_back(read_finding(*st));
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.kind < b.kind; });
  return out;
}

std::vector<event_row> ledger::events_for_finding(std::int64_t finding_id) const {
  auto st = p_->use(
      "SELECT id, finding_id, at, run_id, type, from_state, to_state, cause, actor, prev_hash, hash"
      " FROM events WHERE finding_id = ? ORDER BY id");
  st->bind(1, finding_id);
  std::vector<event_row> out;
  while (st->step()) {
    event_row e;
    e.id = st->get_int(0);
    e.finding_id = st->get_int(1);
    e.at = st->get_int(2);
    e.run_id = st->get_optional_int(3);
    e.type = st->get_text(4);
    e.from_state = st->get_optional_text(5);
    e.to_state = st->get_text(6);
    e.cause = st->get_text(7);
    e.actor = st->get_optional_text(8);
    e.prev_hash = st->get_text(9);
    e.hash = st->get_text(10);
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<std::string> ledger::open_finding_keys() const {
  auto st = p_->use("SELECT DISTINCT key FROM findings WHERE state IN ('open', 'reopened') ORDER BY key");
  return collect_keys(*st);
}

bool ledger::unit_known(std::string_view unit_code) const {
  // findings_by_unit answers most asks; records have no index on the unit, and are scanned only when no finding
  // names it.
  auto st = p_->use(
      "SELECT EXISTS (SELECT 1 FROM findings WHERE unit_code = ?1) OR EXISTS (SELECT 1 FROM records WHERE unit_code = "
      "?1)");
  st->bind(1, unit_code);
  return st->step() && st->get_int(0) != 0;
}

std::map<std::pair<finding_kind, std::string>, std::int64_t> ledger::count_findings() const {
  auto st = p_->use("SELECT kind, state, COUNT(*) FROM findings GROUP BY kind, state");
  std::map<std::pair<finding_kind, std::string>, std::int64_t> counts;
  while (st->step()) {
    // A kind this binary does not know (a newer ledger's) is not counted rather than guessed.
    if (const auto kind = kind_from_name(st->get_text_view(0)))
      counts[{*kind, std::string(st->get_text_view(1))}] = st->get_int(2);
  }
  return counts;
}

void ledger::each_sync_subject(std::optional<std::int64_t> evaluated_through,
                               const std::function<void(const sync_subject&)>& fn, bool absence_needs_lookup) const {
  sqlite::statement st(p_->db,
                       "SELECT r.unit_code, r.unit_name, r.status_code, r.received, r.updated, n.updated,"
                       " r.registered,"
                       " EXISTS (SELECT 1 FROM findings f WHERE f.key = r.key AND f.state IN ('open', 'reopened')),"
                       " r.changed_run <= ?1 AND (n.changed_run IS NULL OR n.changed_run <= ?1)"
                       " AND (n.key IS NOT NULL OR NOT ?2 OR EXISTS (SELECT 1 FROM national_lookups l"
                       " WHERE l.key = r.key AND l.found = 0 AND l.run_id <= ?1))"
                       " FROM records r LEFT JOIN records n ON n.key = r.key AND n.side = 'national'"
                       " WHERE r.side = 'provincial' ORDER BY r.key");
  // Run ids start at 1: with no evaluation, no record changed in run 0 or before.
  st.bind(1, evaluated_through.value_or(0));
  st.bind(2, std::int64_t{absence_needs_lookup ? 1 : 0});
  sync_subject subject;
  while (st.step()) {
    subject.unit_code = st.get_text(0);
    subject.unit_name = st.get_text(1);
    subject.status_code = st.get_text(2);
    subject.applied = st.get_optional_int(3);
    const auto provincial_updated = st.get_optional_int(4);
    const auto national_updated = st.get_optional_int(5);
    subject.updated = provincial_updated && national_updated ? std::max(*provincial_updated, *national_updated)
                      : provincial_updated                   ? provincial_updated
                                                             : national_updated;
    subject.registered = st.get_int(6) != 0;
    subject.has_open_finding = st.get_int(7) != 0;
    subject.evaluated = st.get_int(8) != 0;
    fn(subject);
  }
}

}  // namespace dvc
