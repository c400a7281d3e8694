#pragma once
// Matching by key (docs/rules.md#matching-key) over whole snapshots of both sides, as the offline command and a full
// service evaluation need: records are held as facts, sorted by key and merge-joined.
#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <vector>

#include "reconcile/dossier.hpp"

namespace dvc {

// Where a record came from, as the caller numbers it (the offline command uses the line in its file): kept
// as a number so a million records do not each carry a "file:line" string.
using source_ref = std::uint64_t;

// Two records of one side with the same key: a data error, reported with both sources. Both are kept; the one
// updated last (the later one in input order on a tie) is the one matched, as it is the side's current state.
struct duplicate_key {
  side origin;
  std::string key;
  source_ref kept_source;
  source_ref other_source;
};

class matcher {
 public:
  void add(dossier_facts facts, source_ref source);
  // Sorts each side by key and sets duplicates aside (once; later calls do nothing).
  void sort();
  // Sorts and pairs; calls `pair` once per key with either side possibly null, in key order.
  void match(const std::function<void(const dossier_facts* provincial, const dossier_facts* national)>& pair);
  const std::vector<duplicate_key>& duplicates() const { return duplicates_; }
  std::size_t size(side s) const { return s == side::provincial ? provincial_.size() : national_.size(); }

 private:
  struct entry {
    dossier_facts facts;
    source_ref source;
  };
  // Records stay where they were added (a deque grows without copying a million of them); matching walks an
  // index sorted by key, from which duplicates have been set aside.
  std::vector<std::uint32_t> sorted_unique(const std::deque<entry>& v);
  std::deque<entry> provincial_, national_;
  std::vector<std::uint32_t> provincial_order_, national_order_;
  std::vector<duplicate_key> duplicates_;
  bool sorted_ = false;
};

}  // namespace dvc
