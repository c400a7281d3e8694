#pragma once
// How the portal clients hand records to their caller: raw JSON objects, each with where it came from, so the
// caller maps it (`parse_provincial` / `parse_national`) and reports a bad record without stopping the poll.
#include <cstddef>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "connectors/page_records.hpp"
#include "reconcile/instant.hpp"

namespace dvc {

// `source` names the request and the record's place in the page (`GET https://…&page=2&size=500 #17`). A record
// that broke the record bounds or is not JSON comes with no value and the reason (page_record), so the caller
// reports it and goes on with the rest of the page.
using record_sink = std::function<void(const page_record& record, const std::string& source)>;

// Called after each page of a listing that is not yet done with an instant before which every record of the
// listing has been handed to the record sink (the listings are sorted by update time, and an updated record
// moves to the end). A caller that stores it with those records can resume there after the listing fails,
// instead of reading a long backlog again from its start.
using progress_sink = std::function<void(instant read_before)>;

struct poll_result {
  instant cursor = 0;          // where the next poll may start: latest timestamp seen (provincial) or the window end
  std::size_t records = 0;     // records handed to the sink
  std::size_t pages = 0;       // pages fetched
  std::size_t duplicates = 0;  // records seen again because of overlap, not handed out twice
};

}  // namespace dvc
