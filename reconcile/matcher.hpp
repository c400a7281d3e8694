#pragma once
// Matching by key (CONTRACT §4) over whole snapshots of both sides, as the offline command and a full service
// evaluation need: records are held as facts, sorted by key and merge-joined.
#include <functional>
#include <string>
#include <vector>

#include "reconcile/dossier.hpp"

namespace dvc {

// Two records of one side with the same key: a data error, reported with both sources. Both are kept; the one
// updated last (the later one in input order on a tie) is the one matched, as it is the side's current state.
struct duplicate_key {
  side origin;
  std::string key;
  std::string kept_source;
  std::string other_source;
};

class matcher {
 public:
  void add(dossier_facts facts, std::string source);
  // Sorts each side by key and sets duplicates aside (once; later calls do nothing).
  void sort();
  // Sorts and pairs; calls `pair` once per key with either side possibly null, in key order.
  void match(const std::function<void(const dossier_facts* provincial, const dossier_facts* national)>& pair);
  const std::vector<duplicate_key>& duplicates() const { return duplicates_; }
  std::size_t size(side s) const { return s == side::provincial ? provincial_.size() : national_.size(); }

 private:
  struct entry {
    dossier_facts facts;
    std::string source;
  };
  void dedupe(std::vector<entry>& v);
  std::vector<entry> provincial_, national_;
  std::vector<duplicate_key> duplicates_;
  bool sorted_ = false;
};

}  // namespace dvc
