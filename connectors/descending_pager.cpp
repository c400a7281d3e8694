#include "connectors/descending_pager.hpp"

#include <algorithm>

namespace dvc {

descending_pager::descending_pager(instant watermark, std::size_t page_size)
    : watermark_(watermark), page_size_(std::max<std::size_t>(1, page_size)) {}

std::vector<bool> descending_pager::accept(const std::vector<keyset_pager::entry>& page, bool last) {
  std::vector<bool> fresh(page.size(), false);
  bool passed_watermark = false;
  for (std::size_t i = 0; i < page.size(); ++i) {
    const keyset_pager::entry& e = page[i];
    if (!e.updated) {
      fresh[i] = undated_.insert(e.id).second;
    } else if (*e.updated < watermark_) {
      passed_watermark = true;
    } else if (!earliest_ || *e.updated < *earliest_) {
      earliest_ = e.updated;
      at_earliest_ = {e.id};
      fresh[i] = true;
    } else if (*e.updated == *earliest_) {
      fresh[i] = at_earliest_.insert(e.id).second;
    }
  }
  ++page_;
  done_ = passed_watermark || last || page.size() < page_size_;
  return fresh;
}

}  // namespace dvc
