#include "reconcile/bounded_json.hpp"

#include <string>
#include <unordered_set>
#include <vector>

#include "reconcile/json_nesting.hpp"

namespace dvc {
namespace {

bool json_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::size_t members_in(const nlohmann::json& value) {
  std::size_t n = 0;
  if (value.is_object()) {
    n += value.size();
    for (const auto& member : value) n += members_in(member);
  } else if (value.is_array()) {
    for (const auto& item : value) n += members_in(item);
  }
  return n;
}

// Counts the keys written in JSON text, fed the scanner's tokens: a string closed inside an object and followed
// by `:`. A parsed tree with fewer members than keys written lost some to repetition.
class key_counter {
 public:
  void step(json_nesting::token token, char c, bool in_string) {
    switch (token) {
      case json_nesting::token::open:
        in_object_.push_back(c == '{');
        after_key_candidate_ = false;
        break;
      case json_nesting::token::close:
        if (!in_object_.empty()) in_object_.pop_back();
        after_key_candidate_ = false;
        break;
      case json_nesting::token::quote:
        if (!in_string) after_key_candidate_ = !in_object_.empty() && in_object_.back();
        break;
      case json_nesting::token::other:
        if (json_space(c)) break;
        if (c == ':' && after_key_candidate_) ++count_;
        after_key_candidate_ = false;
        break;
      default:
        break;
    }
  }
  std::size_t count() const { return count_; }

 private:
  std::vector<bool> in_object_;
  bool after_key_candidate_ = false;
  std::size_t count_ = 0;
};

// The slow path, for text already known to repeat a key somewhere: parse again, keeping each open object's keys,
// to name the first key seen twice.
[[noreturn]] void name_duplicate_key(std::string_view text) {
  std::vector<std::unordered_set<std::string>> open;
  const nlohmann::json::parser_callback_t check = [&open](int, nlohmann::json::parse_event_t event,
                                                          nlohmann::json& parsed) {
    using ev = nlohmann::json::parse_event_t;
    if (event == ev::object_start) open.emplace_back();
    if (event == ev::object_end && !open.empty()) open.pop_back();
    if (event == ev::key && !open.empty() && !open.back().insert(parsed.get<std::string>()).second)
      throw json_error("duplicate key \"" + parsed.get<std::string>() + "\" in one object");
    return true;
  };
  const auto again = nlohmann::json::parse(text.begin(), text.end(), check);
  (void)again;
  throw json_error("duplicate key in one object");
}

}  // namespace

nlohmann::json parse_bounded(std::string_view text, const json_limits& limits) {
  if (text.size() > limits.max_bytes)
    throw json_error("JSON of " + std::to_string(text.size()) + " bytes exceeds the limit of " +
                     std::to_string(limits.max_bytes));
  // A flat scan bounds nesting depth and string length before the recursive parser sees the text.
  json_nesting scan;
  std::size_t str_len = 0;
  key_counter keys;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const auto token = scan.step(c);
    if (limits.reject_duplicate_keys) keys.step(token, c, scan.in_string());
    switch (token) {
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
  if (limits.reject_duplicate_keys && members_in(result) != keys.count()) name_duplicate_key(text);
  return result;
}

}  // namespace dvc
