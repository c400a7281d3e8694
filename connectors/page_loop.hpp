#pragma once
// The page loop every listing is read with (docs/wire-formats.md#paging, docs/profiles.md#list): ask the pager for
// the next query, fetch that page (the client's own request, retried), hand each new record to the sink — a record
// that could not be read too, as an error of its own — and report progress, until the pager is done or the
// listing has taken more pages than allowed.
#include <boost/asio/awaitable.hpp>
#include <cstddef>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "connectors/connector_error.hpp"
#include "connectors/descending_pager.hpp"
#include "connectors/keyset_pager.hpp"
#include "connectors/portal_listing.hpp"
#include "connectors/portal_support.hpp"

namespace dvc {

struct page_source {
  std::string side;       // `provincial` or `national`, in messages and the configuration key `{side}.max_pages`
  std::string origin;     // the portal's scheme, host and port, in messages
  std::size_t max_pages;  // per listing
  json_path id;           // where a record's id is, for de-duplication
  updated_reader updated;
  // Where the envelope holds how many records (`list.end.total_records`) or pages (`list.end.total_pages`) the
  // page's query matches in all, when the portal says; read for progress reports only (listing_progress::remaining),
  // so a missing or odd value is no error.
  std::optional<json_path> total_records, total_pages;
  // The description of the request for `query` (for messages and record sources) and the request itself; for a
  // descending listing, the page says whether the portal marks it the last (parsed_page::last).
  std::function<std::string(const page_query& query)> describe;
  std::function<boost::asio::awaitable<result<parsed_page>>(const page_query& query, const std::string& description)>
      fetch;
};

// Reads the listing `pager` walks; the returned poll_result has every count but its cursor, which each side sets
// from what it knows (the latest time seen, or the end of the window).
boost::asio::awaitable<result<poll_result>> read_pages(keyset_pager& pager, const page_source& source,
                                                       const record_sink& sink, const progress_sink& progress);

// The same for a listing sorted newest first without a time filter. Progress carries counts only: until the
// watermark is reached, older records are still unread, so no instant has every record before it read.
boost::asio::awaitable<result<poll_result>> read_pages(descending_pager& pager, const page_source& source,
                                                       const record_sink& sink, const progress_sink& progress);

}  // namespace dvc
