#pragma once
// Request targets of the API: path and query string split and percent-decoded, with bounded parameters.
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace dvc {

struct api_target {
  std::string path;                           // decoded
  std::map<std::string, std::string> params;  // decoded; a repeated name keeps its last value
};

// Splits `/api/findings?kind=a&q=b%20c` into path and parameters; nullopt when a %-escape is malformed or the
// decoded text is not valid UTF-8 (so nothing downstream sees broken text).
std::optional<api_target> parse_target(std::string_view target);

// Percent-decoding of one component; `plus_is_space` for query strings. nullopt on a malformed escape.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

bool valid_utf8(std::string_view text);

}  // namespace dvc
