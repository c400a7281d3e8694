#include "reconcile/matcher.hpp"

#include <algorithm>

namespace dvc {

void matcher::add(dossier_facts facts, source_ref source) {
  sorted_ = false;
  auto& v = facts.origin == side::provincial ? provincial_ : national_;
  v.push_back({std::move(facts), source});
}

std::vector<std::uint32_t> matcher::sorted_unique(const std::deque<entry>& v) {
  std::vector<std::uint32_t> order(v.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  // Among equal keys the input order is kept, so "later in input" is "later in order".
  std::sort(order.begin(), order.end(), [&v](std::uint32_t a, std::uint32_t b) {
    const int c = v[a].facts.key.compare(v[b].facts.key);
    return c < 0 || (c == 0 && a < b);
  });
  std::size_t out = 0;
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i + 1, keep = i;
    while (j < order.size() && v[order[j]].facts.key == v[order[i]].facts.key) {
      const auto& cur = v[order[j]].facts.updated;
      const auto& best = v[order[keep]].facts.updated;
      if (!best || (cur && *cur >= *best)) keep = j;
      ++j;
    }
    for (std::size_t k = i; k < j; ++k)
      if (k != keep) {
        const entry& e = v[order[k]];
        duplicates_.push_back({e.facts.origin, e.facts.key, v[order[keep]].source, e.source});
      }
    order[out++] = order[keep];
    i = j;
  }
  order.resize(out);
  order.shrink_to_fit();
  return order;
}

void matcher::sort() {
  if (sorted_) return;
  duplicates_.clear();
  provincial_order_ = sorted_unique(provincial_);
  national_order_ = sorted_unique(national_);
  sorted_ = true;
}

void matcher::match(const std::function<void(const dossier_facts*, const dossier_facts*)>& pair) {
  sort();
  const auto& po = provincial_order_;
  const auto& no = national_order_;
  std::size_t i = 0, j = 0;
  while (i < po.size() || j < no.size()) {
    const dossier_facts* p = i < po.size() ? &provincial_[po[i]].facts : nullptr;
    const dossier_facts* n = j < no.size() ? &national_[no[j]].facts : nullptr;
    if (!n || (p && p->key < n->key)) {
      pair(p, nullptr);
      ++i;
    } else if (!p || n->key < p->key) {
      pair(nullptr, n);
      ++j;
    } else {
      pair(p, n);
      ++i;
      ++j;
    }
  }
}

}  // namespace dvc
