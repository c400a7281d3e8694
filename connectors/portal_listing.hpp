#pragma once
// How the portal clients hand records to their caller: raw JSON objects, each with where it came from, so the
// caller maps it (`parse_provincial` / `parse_national`) and reports a bad record without stopping the poll.
#include <cstddef>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "connectors/page_records.hpp"
#include "reconcile/instant.hpp"

namespace dvc {

// `source` names the request and the record's place in the page (`GET https://…&page=2&size=500 #17`). A record
// that broke the record bounds or is not JSON comes with no value and the reason (page_record), so the caller
// reports it and goes on with the rest of the page.
using record_sink = std::function<void(const page_record& record, const std::string& source)>;

// What a listing has read so far, told after each of its pages.
struct listing_progress {
  std::size_t pages = 0;    // pages fetched by this listing
  std::size_t records = 0;  // records handed to the record sink
  // Records the listing has still to give, from the total the portal sends with a page (docs/wire-formats.md:
  // national `tongso`, provincial `totalElements`); unknown when it sends none or one that is not a count. An
  // estimate for progress reports, never a bound: records updated while the listing runs move to its end.
  std::optional<std::size_t> remaining;
  // While the listing is not done: an instant before which every record of the listing has been handed to the
  // record sink (the listings are sorted by update time, and an updated record moves to the end). A caller that
  // stores it with those records can resume there after the listing fails, instead of reading a long backlog
  // again from its start. Absent after the last page.
  std::optional<instant> read_before;
};
using progress_sink = std::function<void(const listing_progress& progress)>;

struct poll_result {
  instant cursor = 0;          // where the next poll may start: latest timestamp seen (provincial) or the window end
  std::size_t records = 0;     // records handed to the sink
  std::size_t pages = 0;       // pages fetched
  std::size_t duplicates = 0;  // records seen again because of overlap, not handed out twice
};

}  // namespace dvc
