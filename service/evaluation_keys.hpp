#pragma once
// Which dossiers a cycle evaluates (docs/rules.md#cycles-and-cursors): keys changed in every run since the
// last evaluated run, keys whose update leaves the grace period, keys whose due date passed; or every key when no
// run was evaluated before. An incremental scope's keys are held packed in one buffer (about 30 bytes per key); a
// full one holds none and walks the ledger's keys page by page, so memory stays flat however many dossiers there are.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "reconcile/unit_successions.hpp"
#include "schema/ledger.hpp"

namespace dvc {

class key_list {
 public:
  void add(std::string_view key);
  template <class Range>
  void add_all(const Range& keys) {
    for (const auto& k : keys) add(k);
  }
  // Sorts and drops repeats; call once all keys are added.
  void finish();

  std::size_t size() const { return offsets_.size(); }
  std::string_view operator[](std::size_t i) const;
  // Keys [first, first + count) as strings, as load_facts takes them.
  std::vector<std::string> slice(std::size_t first, std::size_t count) const;

 private:
  std::string text_;
  struct span {
    std::uint32_t offset;
    std::uint32_t length;
  };
  std::vector<span> offsets_;
};

// Hands out the next keys to evaluate, at most `max`, in ascending order; an empty slice ends the walk.
using key_source = std::function<std::vector<std::string>(std::size_t max)>;

struct evaluation_scope {
  // No evaluated run before, or one that used other unit successions: every key, walked from the ledger (`keys`
  // stays empty).
  bool full = false;
  bool successions_changed = false;
  std::optional<run_row> previous;             // the last evaluated (status ok) run, when there is one
  std::vector<std::int64_t> unevaluated_runs;  // runs after it whose changes were not evaluated yet, this one included
  key_list keys;
};

// The last service run recorded as 'ok' before `run_id`: the one whose T the incremental windows start from.
std::optional<run_row> last_evaluated_run(const ledger& db, std::int64_t run_id);

// Collects the keys to evaluate in run `run_id` at T = `as_of` with grace `grace_s`; `successions` is the fingerprint
// of the successions this run evaluates with (successions_fingerprint).
evaluation_scope evaluation_keys(const ledger& db, std::int64_t run_id, instant as_of, std::int64_t grace_s,
                                 std::string_view successions = {});

// SHA-256 hex of the successions' canonical text, "" for none: what a run records of the successions it used.
std::string successions_fingerprint(const unit_successions& successions);

// The keys of a scope: every key in the ledger for a full one, its list otherwise. `db` and `scope` must outlive it.
key_source keys_of(const ledger& db, const evaluation_scope& scope);

}  // namespace dvc
