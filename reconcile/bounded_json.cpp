#include "reconcile/bounded_json.hpp"

#include <string>

namespace dvc {

nlohmann::json parse_bounded(std::string_view text, const json_limits& limits) {
  if (text.size() > limits.max_bytes)
    throw json_error("JSON of " + std::to_string(text.size()) + " bytes exceeds the limit of " +
                     std::to_string(limits.max_bytes));
  // A flat scan bounds nesting depth and string length before the recursive parser sees the text.
  std::size_t depth = 0, str_len = 0;
  bool in_string = false, escaped = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (++str_len > limits.max_string)
        throw json_error("a JSON string at byte " + std::to_string(i) + " exceeds " +
                         std::to_string(limits.max_string) + " bytes");
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
      str_len = 0;
    } else if (c == '{' || c == '[') {
      if (++depth > limits.max_depth)
        throw json_error("JSON nested deeper than " + std::to_string(limits.max_depth) + " levels at byte " +
                         std::to_string(i));
    } else if ((c == '}' || c == ']') && depth > 0) {
      --depth;
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
