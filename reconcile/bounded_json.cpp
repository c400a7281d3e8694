#include "reconcile/bounded_json.hpp"

#include <string>

#include "reconcile/json_nesting.hpp"

namespace dvc {

nlohmann::json parse_bounded(std::string_view text, const json_limits& limits) {
  if (text.size() > limits.max_bytes)
    throw json_error("JSON of " + std::to_string(text.size()) + " bytes exceeds the limit of " +
                     std::to_string(limits.max_bytes));
  // A flat scan bounds nesting depth and string length before the recursive parser sees the text.
  json_nesting scan;
  std::size_t str_len = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    switch (scan.step(text[i])) {
      case json_nesting::token::quote:
        str_len = 0;
        break;
      case json_nesting::token::string_byte:
        if (++str_len > limits.max_string)
          throw json_error("a JSON string at byte " + std::to_string(i) + " exceeds " +
                           std::to_string(limits.max_string) + " bytes");
        break;
      case json_nesting::token::open:
        if (scan.depth() > limits.max_depth)
          throw json_error("JSON nested deeper than " + std::to_string(limits.max_depth) + " levels at byte " +
                           std::to_string(i));
        break;
      default:
        break;
    }
  }
  auto result = nlohmann::json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (result.is_discarded()) {
    // Parse again only to get nlohmann's positioned message; this path is for bad input only.
    try {
      const auto again = nlohmann::json::parse(text.begin(), text.end());
      (void)again;
    } catch (const nlohmann::json::exception& e) {  // parse_error, or out_of_range for a number like 1e999
      std::string what = e.what();
      if (const auto p = what.find("parse error"); p != std::string::npos) what = what.substr(p);
      throw json_error("invalid JSON: " + what);
    }
    throw json_error("invalid JSON");
  }
  return result;
}

}  // namespace dvc
