#include "reconcile/matcher.hpp"

#include <algorithm>

namespace dvc {

void matcher::add(dossier_facts facts, source_ref source) {
  sorted_ = false;
  auto& v = facts.origin == side::provincial ? provincial_ : national_;
  v.push_back({std::move(facts), source});
}

void matcher::dedupe(std::vector<entry>& v) {
  // Stable: among equal keys, input order is kept, so "later in input" is "later in v".
  std::stable_sort(v.begin(), v.end(), [](const entry& a, const entry& b) { return a.facts.key < b.facts.key; });
  std::size_t out = 0;
  for (std::size_t i = 0; i < v.size();) {
    std::size_t j = i + 1;
    std::size_t keep = i;
    while (j < v.size() && v[j].facts.key == v[i].facts.key) {
      const auto& cur = v[j].facts.updated;
      const auto& best = v[keep].facts.updated;
      if (!best || (cur && *cur >= *best)) keep = j;
      ++j;
    }
    for (std::size_t k = i; k < j; ++k)
      if (k != keep) duplicates_.push_back({v[k].facts.origin, v[k].facts.key, v[keep].source, v[k].source});
    if (out != keep) v[out] = std::move(v[keep]);
    ++out;
    i = j;
  }
  v.resize(out);
}

void matcher::sort() {
  if (sorted_) return;
  dedupe(provincial_);
  dedupe(national_);
  sorted_ = true;
}

void matcher::match(const std::function<void(const dossier_facts*, const dossier_facts*)>& pair) {
  sort();
  std::size_t i = 0, j = 0;
  while (i < provincial_.size() || j < national_.size()) {
    if (j == national_.size() || (i < provincial_.size() && provincial_[i].facts.key < national_[j].facts.key)) {
      pair(&provincial_[i++].facts, nullptr);
    } else if (i == provincial_.size() || national_[j].facts.key < provincial_[i].facts.key) {
      pair(nullptr, &national_[j++].facts);
    } else {
      pair(&provincial_[i++].facts, &national_[j++].facts);
    }
  }
}

}  // namespace dvc
