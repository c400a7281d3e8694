#include "service/evaluation_keys.hpp"

#include <algorithm>
#include <stdexcept>

#include "schema/sha256.hpp"

namespace dvc {

void key_list::add(std::string_view key) {
  if (text_.size() + key.size() > UINT32_MAX) throw std::length_error("key_list: more than 4 GiB of keys");
  offsets_.push_back({static_cast<std::uint32_t>(text_.size()), static_cast<std::uint32_t>(key.size())});
  text_.append(key);
}

std::string_view key_list::operator[](std::size_t i) const {
  return std::string_view(text_).substr(offsets_[i].offset, offsets_[i].length);
}

void key_list::finish() {
  const std::string_view text(text_);
  const auto view = [&](const span& s) { return text.substr(s.offset, s.length); };
  std::sort(offsets_.begin(), offsets_.end(), [&](const span& a, const span& b) { return view(a) < view(b); });
  offsets_.erase(
      std::unique(offsets_.begin(), offsets_.end(), [&](const span& a, const span& b) { return view(a) == view(b); }),
      offsets_.end());
  offsets_.shrink_to_fit();
}

std::vector<std::string> key_list::slice(std::size_t first, std::size_t count) const {
  std::vector<std::string> out;
  const std::size_t end = std::min(size(), first + count);
  for (std::size_t i = first; i < end; ++i) out.emplace_back((*this)[i]);
  return out;
}

std::optional<run_row> last_evaluated_run(const ledger& db, std::int64_t run_id) {
  // Run ids grow by one per run; walking back stops at the first 'ok' one, so the cost is the number of runs
  // since then (a portal down for a day at 5-minute cycles: a few hundred lookups).
  for (std::int64_t id = run_id - 1; id > 0; --id) {
    auto row = db.get_run(id);
    // An offline `reconcile --ledger` run evaluated its own files, not what the service polled.
    // A recheck evaluated one dossier, not the windows a cycle covers.
    if (row && row->mode == run_mode::service && row->status == run_status::ok && !row->recheck_key) return row;
  }
  return std::nullopt;
}

std::string successions_fingerprint(const unit_successions& successions) {
  const std::string text = successions.canonical_text();
  return text.empty() ? std::string() : sha256_hex(text);
}

evaluation_scope evaluation_keys(const ledger& db, std::int64_t run_id, instant as_of, std::int64_t grace_s,
                                 std::string_view successions) {
  evaluation_scope scope;
  scope.previous = last_evaluated_run(db, run_id);
  const std::int64_t first_unevaluated = scope.previous ? scope.previous->id + 1 : 1;
  for (std::int64_t id = first_unevaluated; id <= run_id; ++id) scope.unevaluated_runs.push_back(id);
  // Successions change how units compare and so any dossier's findings (docs/rules.md#unit-successions).
  scope.successions_changed = scope.previous && scope.previous->successions != successions;
  if (!scope.previous || scope.successions_changed) {
    scope.full = true;
    return scope;
  }
  for (const std::int64_t id : scope.unevaluated_runs) {
    scope.keys.add_all(db.keys_changed_in_run(id));
    // A look-up that found nothing changes no record, but it is what makes a key's absence on national known.
    scope.keys.add_all(db.keys_looked_up_in_run(id));
  }
  const instant prev_t = scope.previous->as_of;
  // Pending in the previous run meant updated after its T − G (its own G); they leave the grace period now.
  scope.keys.add_all(db.keys_updated_between(prev_t - scope.previous->grace_s, as_of - grace_s));
  scope.keys.add_all(db.keys_due_between(prev_t, as_of));
  scope.keys.finish();
  return scope;
}

key_source keys_of(const ledger& db, const evaluation_scope& scope) {
  if (scope.full) {
    return [&db, last = std::string()](std::size_t max) mutable {
      auto slice = db.keys_after(last, max);
      if (!slice.empty()) last = slice.back();
      return slice;
    };
  }
  return [&keys = scope.keys, next = std::size_t{0}](std::size_t max) mutable {
    auto slice = keys.slice(next, max);
    next += slice.size();
    return slice;
  };
}

}  // namespace dvc
