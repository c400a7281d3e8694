#pragma once
// A portal's answer split into its envelope and its records, each record parsed on its own. Bounds applied to a
// whole page turn one bad record (invalid UTF-8, a 100 KiB `data:` URL, nesting 40 deep, the number 1e400, a key
// written twice) into a page that fails every retry and a side that never moves on; here such a record comes
// back as an error of its own, named by its position and, where it can be read, its id, and the rest of the page
// is used. Only a page whose structure is broken (truncated, unbalanced) fails as a whole.
#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/connector_error.hpp"
#include "reconcile/bounded_json.hpp"

namespace dvc {

// Member names from the root of a JSON value: {"content"} is the answer's `content`; {} is the answer itself.
using json_path = std::vector<std::string>;

struct page_record {
  std::optional<nlohmann::json> value;  // the record, when it is usable JSON within the bounds
  std::string error;                    // why not
  std::string id;                       // the record's id as written, when it can be read; empty otherwise
  std::size_t position = 0;             // 0-based place in the page
};

struct page_content {
  nlohmann::json envelope;  // the answer with its record array emptied
  std::vector<page_record> records;
};

struct page_limits {
  json_limits envelope;  // the answer without its records
  json_limits record;    // each record; duplicate keys are always refused in a record
};

// Splits `body` at the array found at `records` (`{}`: the answer is the array). `id` names a record's id, used
// to name a bad record. A `malformed` error naming `description` when the text is not JSON as a whole or holds no
// array at `records`.
result<page_content> split_page(std::string_view body, const json_path& records, const json_path& id,
                                const page_limits& limits, const std::string& description);

}  // namespace dvc
