#include "connectors/keyset_pager.hpp"

#include <algorithm>

namespace dvc {

keyset_pager::keyset_pager(instant from, std::size_t page_size)
    : page_size_(std::max<std::size_t>(1, page_size)), next_{from, 0}, max_seen_(from) {}

bool keyset_pager::remember(const entry& e) {
  if (!e.updated) return seen_undated_.insert(e.id).second;
  return seen_[*e.updated].insert(e.id).second;
}

void keyset_pager::forget_before(instant t) { seen_.erase(seen_.begin(), seen_.lower_bound(t)); }

std::vector<bool> keyset_pager::accept(const std::vector<entry>& page) {
  std::vector<bool> fresh(page.size(), false);
  maybe_instant last;
  for (std::size_t i = 0; i < page.size(); ++i) {
    fresh[i] = remember(page[i]);
    if (fresh[i]) {
      pass_found_new_ = true;
      if (page[i].updated) max_seen_ = std::max(max_seen_, *page[i].updated);
    }
    if (page[i].updated) {
      last = std::max(last.value_or(*page[i].updated), *page[i].updated);
      if (*page[i].updated == next_.from) ++pass_count_;
    }
  }

  const bool full = page.size() >= page_size_;
  const bool stuck = !last || *last <= next_.from;  // the whole page sits at the cursor's timestamp
  if (full && stuck) {
    // A run longer than a page at one timestamp: the only way forward is the page number.
    run_ = true;
    ++next_.page;
    return fresh;
  }
  // This pass over the cursor's timestamp has ended.
  if (run_ && (pass_found_new_ || previous_pass_count_ != pass_count_)) {
    previous_pass_count_ = pass_count_;
    next_.page = 0;
    pass_found_new_ = false;
    pass_count_ = 0;
    return fresh;
  }
  run_ = false;
  pass_found_new_ = false;
  pass_count_ = 0;
  previous_pass_count_.reset();
  if (!full) {
    done_ = true;
    return fresh;
  }
  next_.from = *last;
  next_.page = 0;
  forget_before(next_.from);
  return fresh;
}

}  // namespace dvc
