#pragma once
// Pieces both portal clients share: turning an unwanted HTTP status into an error, parsing a body with bounds,
// and the identity of a record for de-duplication.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "connectors/connector_error.hpp"
#include "connectors/http_types.hpp"
#include "connectors/portal_config.hpp"

namespace dvc {

// `http_status` error carrying the status and Retry-After. The body is not quoted: it is the server's text and
// may be large.
connector_error status_error(const http_response& response, const std::string& description);

// Parses `body` with depth and size bounds from `config`; a `malformed` error naming `description` otherwise.
result<nlohmann::json> parse_body(const std::string& body, const http_client_config& config,
                                  const std::string& description);

// The record's `field` as text (strings as they are, numbers printed); when absent, the whole record, so two
// records lacking an id are still told apart.
std::string record_identity(const nlohmann::json& record, const char* field);

// The string value of `field`, or "" when absent or not a string.
std::string string_field(const nlohmann::json& record, const char* field);

// A `config` error when `ca_file` is set but cannot be opened, named under `key` (`provincial.ca_file`).
std::optional<connector_error> check_ca_file(const std::string& key, const std::string& ca_file);

// Prefixes a configuration error with the key it came from (`provincial.base_url: …`).
connector_error config_error(const std::string& key, const std::string& message);

}  // namespace dvc
