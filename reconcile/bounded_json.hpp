#pragma once
// Parsing JSON from outside (portal bodies, files, API requests) with bounds: nlohmann's parser is recursive,
// so depth is checked first by a flat scan, and size before anything else.
#include <cstddef>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string_view>

namespace dvc {

struct json_limits {
  std::size_t max_bytes = 64 * 1024 * 1024;
  std::size_t max_depth = 32;
  std::size_t max_string = 64 * 1024;  // longest string value or key
  // A key twice in one object is an error rather than the last one silently winning: in a record it means two
  // values for one field, and which one a reader keeps is a guess.
  bool reject_duplicate_keys = false;
};

struct json_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Parses `text` or throws json_error with a one-line reason (offset included where the parser gives one).
nlohmann::json parse_bounded(std::string_view text, const json_limits& limits = {});

}  // namespace dvc
