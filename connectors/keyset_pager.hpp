#pragma once
// Reading every record of a listing that changes while it is read (docs/wire-formats.md#paging: an updated record moves
// to the end of the order). Walking pages by offset misses the records that shift back across a page boundary, so the
// sort key is the cursor: after each page the next query starts at the last timestamp seen, page 0, and records already
// handed out are recognised by (id, timestamp). Only when a whole page shares one timestamp does the page number
// advance within it; because a record leaving that run can shift another one back across a page boundary, such a run is
// read again from its first page until a pass over it is stable. Pure: the clients feed it pages; tests feed it lists.
#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "reconcile/instant.hpp"

namespace dvc {

struct page_query {
  instant from = 0;      // updatedFrom / tungay
  std::size_t page = 0;  // 0-based (national adds 1 for `trang`)
};

class keyset_pager {
 public:
  keyset_pager(instant from, std::size_t page_size);

  struct entry {
    std::string id;         // provincial `id` / national `MaHoSo`
    maybe_instant updated;  // nullopt when the record's timestamp is unusable (it is still handed out once)
  };

  // The query to send next; meaningless once done().
  page_query next() const { return next_; }
  // Takes the page answered for next(); returns, per entry, whether it is new and must be handed out.
  std::vector<bool> accept(const std::vector<entry>& page);
  bool done() const { return done_; }
  // Latest timestamp handed out, or the starting point when none was.
  instant max_seen() const { return max_seen_; }

 private:
  bool remember(const entry& e);
  void forget_before(instant t);

  std::size_t page_size_;
  page_query next_;
  instant max_seen_;
  bool done_ = false;
  // A pass reads pages from 0 at the cursor's timestamp. Within a run, passes repeat until one brings nothing
  // new and sees as many records at that timestamp as the pass before it (a record that left the run during a
  // pass shows as a smaller count).
  bool run_ = false;
  bool pass_found_new_ = false;
  std::size_t pass_count_ = 0;
  std::optional<std::size_t> previous_pass_count_;
  std::map<instant, std::set<std::string>> seen_;  // only timestamps ≥ the cursor are kept
  std::set<std::string> seen_undated_;
};

}  // namespace dvc
