// Look-up state of a look-up-only national side (docs/lookups.md): which keys are due, what the last look-up of a
// key answered, how far the passes have got.
#include <algorithm>
#include <array>
#include <iterator>
#include <string>

#include "schema/ledger_impl.hpp"

namespace dvc {
namespace {

// The three passes of docs/lookups.md#passes as SQL over the provincial record `r` and its look-up state `l`.
// Parameters: ?1 horizon, ?2 recheck_before, ?3 rolling_before, ?4 the run doing the look-ups (a key looked up in
// it is not due again), ?5/?6 where the walk has got in the pass, ?7 how many to take. Each pass yields the key,
// the provincial record's changed_run and the key's place in the walk. A key is in the first pass
// whose condition it meets: the later passes exclude the earlier passes' conditions, so a key that failed in one
// pass (still due) is not asked again in a later one of the same cycle.
constexpr std::string_view changed_condition =
    "(r.updated IS NULL OR r.updated <= ?1) AND (l.key IS NULL OR l.covered_run < r.changed_run)";
constexpr std::string_view open_finding_condition =
    "l.looked_up_at <= ?2 AND EXISTS (SELECT 1 FROM findings f WHERE f.key = l.key"
    " AND f.state IN ('open', 'reopened'))";

std::string pass_sql(lookup_reason reason) {
  const std::string changed(changed_condition), open_finding(open_finding_condition);
  switch (reason) {
    case lookup_reason::changed:
      // Walked in the records' storage order: each chunk goes on where the last stopped, in one scan a cycle.
      return "SELECT r.key, r.changed_run, r.id FROM records r LEFT JOIN national_lookups l"
             " ON l.key = r.key WHERE r.side = 'provincial' AND r.id > ?5 AND " +
             changed + " AND (l.key IS NULL OR l.run_id <> ?4) ORDER BY r.id LIMIT ?7";
    case lookup_reason::open_finding:
      return "SELECT l.key, r.changed_run, l.looked_up_at FROM national_lookups l"
             " JOIN records r ON r.key = l.key AND r.side = 'provincial'"
             " WHERE (l.looked_up_at, l.key) > (?5, ?6) AND l.run_id <> ?4 AND " +
             open_finding + " AND NOT (" + changed + ") ORDER BY l.looked_up_at, l.key LIMIT ?7";
    case lookup_reason::rolling:
      return "SELECT l.key, r.changed_run, l.looked_up_at FROM national_lookups l"
             " JOIN records r ON r.key = l.key AND r.side = 'provincial'"
             " WHERE (l.looked_up_at, l.key) > (?5, ?6) AND l.run_id <> ?4 AND l.looked_up_at <= ?3 AND NOT (" +
             changed + ") AND NOT (" + open_finding + ") ORDER BY l.looked_up_at, l.key LIMIT ?7";
  }
  return {};
}

constexpr lookup_reason passes[] = {lookup_reason::changed, lookup_reason::open_finding, lookup_reason::rolling};

// Each pass's statement, and the same counted, built once (the ledger caches its prepared statements by text).
struct pass_statements {
  std::string walk, count;
};

const pass_statements& statements_of(lookup_reason reason) {
  static const std::array<pass_statements, std::size(passes)> all = [] {
    std::array<pass_statements, std::size(passes)> out;
    for (const lookup_reason r : passes) {
      pass_statements& st = out[static_cast<std::size_t>(r)];
      st.walk = pass_sql(r);
      st.count = "SELECT count(*) FROM (" + st.walk + ")";
    }
    return out;
  }();
  return all[static_cast<std::size_t>(reason)];
}

lookup_walk start_of(lookup_reason reason) {
  lookup_walk walk;
  walk.reason = reason;
  return walk;
}

void bind_pass(sqlite::statement& st, const lookup_due_query& q, const lookup_walk& from, std::size_t n) {
  st.bind(1, q.horizon)
      .bind(2, q.recheck_before)
      .bind(3, q.rolling_before)
      .bind(4, q.run_id)
      .bind(5, from.after)
      .bind(6, from.after_key)
      .bind(7, static_cast<std::int64_t>(std::min<std::size_t>(n, std::numeric_limits<std::int64_t>::max())));
}

}  // namespace

std::string_view lookup_reason_name(lookup_reason r) {
  switch (r) {
    case lookup_reason::changed:
      return "changed";
    case lookup_reason::open_finding:
      return "open_finding";
    case lookup_reason::rolling:
      return "rolling";
  }
  return "";
}

lookup_due_counts ledger::count_lookups_due(const lookup_due_query& q) const {
  lookup_due_counts counts;
  std::size_t left = q.limit;
  const auto count = [&](lookup_reason reason) -> std::int64_t {
    if (left == 0) return 0;
    auto st = p_->use(statements_of(reason).count);
    bind_pass(*st, q, start_of(reason), left);
    st->step();
    const std::int64_t n = st->get_int(0);
    left -= static_cast<std::size_t>(n);
    return n;
  };
  counts.changed = count(lookup_reason::changed);
  counts.open_finding = count(lookup_reason::open_finding);
  counts.rolling = count(lookup_reason::rolling);
  return counts;
}

std::vector<lookup_candidate> ledger::next_lookups_due(const lookup_due_query& q, lookup_walk& walk,
                                                       std::size_t n) const {
  std::vector<lookup_candidate> out;
  while (out.size() < n && !walk.done) {
    const std::size_t wanted = n - out.size();
    auto st = p_->use(statements_of(walk.reason).walk);
    bind_pass(*st, q, walk, wanted);
    std::size_t got = 0;
    while (st->step()) {
      ++got;
      walk.after_key = st->get_text(0);
      walk.after = st->get_int(2);
      out.push_back({walk.after_key, st->get_int(1), walk.reason});
    }
    if (got < wanted) {
      // This pass has no more keys: the next one starts from its beginning.
      const auto next = std::find(std::begin(passes), std::end(passes), walk.reason) + 1;
      if (next == std::end(passes)) {
        walk.done = true;
      } else {
        walk = start_of(*next);
      }
    }
  }
  return out;
}

std::vector<std::pair<std::string, bool>> ledger::lookup_results(std::span<const std::string> keys) const {
  std::vector<std::pair<std::string, bool>> out;
  auto st = p_->use("SELECT found FROM national_lookups WHERE key = ?");
  for (const auto& key : keys) {
    st->bind(1, key);
    if (st->step()) out.emplace_back(key, st->get_int(0) != 0);
    st->reset();
  }
  return out;
}

std::vector<std::string> ledger::keys_looked_up_in_run(std::int64_t run_id) const {
  auto st = p_->use("SELECT key FROM national_lookups WHERE run_id = ? ORDER BY key");
  st->bind(1, run_id);
  std::vector<std::string> keys;
  while (st->step()) keys.push_back(st->get_text(0));
  return keys;
}

lookup_coverage ledger::lookup_coverage_at(instant rolling_before) const {
  auto st = p_->use(
      "SELECT count(*), count(l.key), coalesce(sum(l.key IS NULL OR l.looked_up_at <= ?), 0)"
      " FROM records r LEFT JOIN national_lookups l ON l.key = r.key WHERE r.side = 'provincial'");
  st->bind(1, rolling_before);
  st->step();
  return {st->get_int(0), st->get_int(1), st->get_int(2)};
}

}  // namespace dvc
