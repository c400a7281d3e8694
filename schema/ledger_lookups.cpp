// Look-up state of a look-up-only national side (docs/lookups.md): which keys are due, what the last look-up of a
// key answered, how far the passes have got.
#include <set>

#include "schema/ledger_impl.hpp"

namespace dvc {

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

std::vector<lookup_candidate> ledger::lookups_due(const lookup_due_query& q) const {
  std::vector<lookup_candidate> out;
  std::set<std::string, std::less<>> taken;
  const auto collect = [&](statement_use& st, lookup_reason reason) {
    while (out.size() < q.limit && st->step()) {
      std::string key = st->get_text(0);
      if (!taken.insert(key).second) continue;
      out.push_back({std::move(key), st->get_int(1), reason});
    }
  };
  if (q.limit == 0) return out;
  {
    // A record is due when it is out of its grace period and changed since the look-up that covered it (or was
    // never looked up). Without ORDER BY the scan stops as soon as the limit is met.
    auto st = p_->use(
        "SELECT r.key, r.changed_run FROM records r LEFT JOIN national_lookups l ON l.key = r.key"
        " WHERE r.side = 'provincial' AND (r.updated IS NULL OR r.updated <= ?)"
        " AND (l.key IS NULL OR l.covered_run < r.changed_run) LIMIT ?");
    st->bind(1, q.horizon).bind(2, static_cast<std::int64_t>(q.limit));
    collect(st, lookup_reason::changed);
  }
  if (out.size() < q.limit) {
    auto st = p_->use(
        "SELECT l.key, r.changed_run FROM national_lookups l"
        " JOIN records r ON r.key = l.key AND r.side = 'provincial'"
        " WHERE l.looked_up_at <= ? AND EXISTS (SELECT 1 FROM findings f WHERE f.key = l.key"
        " AND f.state IN ('open', 'reopened')) ORDER BY l.looked_up_at LIMIT ?");
    st->bind(1, q.recheck_before).bind(2, static_cast<std::int64_t>(q.limit));
    collect(st, lookup_reason::open_finding);
  }
  if (out.size() < q.limit) {
    auto st = p_->use(
        "SELECT l.key, r.changed_run FROM national_lookups l"
        " JOIN records r ON r.key = l.key AND r.side = 'provincial'"
        " WHERE l.looked_up_at <= ? ORDER BY l.looked_up_at LIMIT ?");
    st->bind(1, q.rolling_before).bind(2, static_cast<std::int64_t>(q.limit));
    collect(st, lookup_reason::rolling);
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
