#pragma once
// Reading a listing sorted newest first, without a time filter (docs/profiles.md#list): pages are read from the
// first until one holds a record updated before the watermark (the caller's cursor less its look-back), or the
// portal says it was the last. A record updated while pages are read moves to the top of the first page and shifts
// every other one down, so records already handed out turn up again on the next page: any record later than the
// earliest one handed out sits above the records read and was handed out already (or moved to the top, to be read by
// the next poll), and at that earliest time the ids are remembered. Memory stays that of a page however long the
// listing. Pure: the client feeds it pages; tests feed it lists.
#include <cstddef>
#include <set>
#include <string>
#include <vector>

#include "connectors/keyset_pager.hpp"
#include "reconcile/instant.hpp"

namespace dvc {

class descending_pager {
 public:
  descending_pager(instant watermark, std::size_t page_size);

  // The page to read next (0-based; `from` is the watermark); meaningless once done().
  page_query next() const { return {watermark_, page_}; }
  // Takes the page answered for next(), and whether the portal says it is the last one; returns, per entry,
  // whether it is new and must be handed out. Records older than the watermark are not: an earlier poll read them.
  std::vector<bool> accept(const std::vector<keyset_pager::entry>& page, bool last);
  bool done() const { return done_; }

 private:
  instant watermark_;
  std::size_t page_size_;
  std::size_t page_ = 0;
  bool done_ = false;
  maybe_instant earliest_;             // the earliest update time handed out so far
  std::set<std::string> at_earliest_;  // ids handed out at that time
  std::set<std::string> undated_;      // records without a usable update time, each handed out once
};

}  // namespace dvc
