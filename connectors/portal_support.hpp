#pragma once
// Pieces both portal clients share: turning an unwanted HTTP status into an error, parsing a body with bounds,
// and the identity of a record for de-duplication.
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "connectors/connector_error.hpp"
#include "connectors/http_types.hpp"
#include "connectors/keyset_pager.hpp"
#include "connectors/page_records.hpp"
#include "connectors/portal_config.hpp"

namespace dvc {

// `http_status` error carrying the status and Retry-After. The body is not quoted: it is the server's text and
// may be large.
connector_error status_error(const http_response& response, const std::string& description);

// Parses `body` with depth and size bounds from `config`; a `malformed` error naming `description` otherwise.
result<nlohmann::json> parse_body(const std::string& body, const http_client_config& config,
                                  const std::string& description);

// The bounds of a page's envelope and of each of its records (docs/wire-formats.md#bounds).
page_limits page_limits_of(const http_client_config& config);

// A page whose records are at `records` (a member of the answer), each parsed on its own under the record bounds,
// so one bad record is an error of its own and the others are used. When the answer has no array there (an
// adapter's error answer carries none), the whole answer is the envelope and `records_found` is false.
struct parsed_page {
  page_content page;
  bool records_found = false;
  bool last = false;  // the portal marks it the last page of its listing (list.end)
};
result<parsed_page> parse_page(const std::string& body, const json_path& records, const json_path& id,
                               const http_client_config& config, const std::string& description);

// A record's update time as a listing orders it; nullopt when absent or unreadable.
using updated_reader = std::function<maybe_instant(const nlohmann::json& record)>;

// The pager's view of a page (keyset_pager::accept): each record's identity and update time. A record that could
// not be read has no time, so it is handed out once, and is known by its id, or when it has none by its place in
// the page named by `description`.
std::vector<keyset_pager::entry> pager_entries(const std::vector<page_record>& records, const json_path& id,
                                               const updated_reader& updated, const std::string& description);

// The record's value at `id` as text (strings as they are, numbers printed); when absent, the whole record, so two
// records lacking an id are still told apart.
std::string record_identity(const nlohmann::json& record, const json_path& id);

// The string value of `field`, or "" when absent or not a string.
std::string string_field(const nlohmann::json& record, const char* field);

// A `config` error when `ca_file` is set but cannot be opened, named under `key` (`provincial.ca_file`).
std::optional<connector_error> check_ca_file(const std::string& key, const std::string& ca_file);

// Prefixes a configuration error with the key it came from (`provincial.base_url: …`).
connector_error config_error(const std::string& key, const std::string& message);

}  // namespace dvc
