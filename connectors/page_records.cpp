#include "connectors/page_records.hpp"

#include "reconcile/json_nesting.hpp"

namespace dvc {
namespace {

bool json_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && json_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && json_space(s.back())) s.remove_suffix(1);
  return s;
}

constexpr std::size_t max_id_bytes = 200;

std::string path_text(const json_path& path) {
  std::string out;
  for (const auto& member : path) out += (out.empty() ? "" : ".") + member;
  return out;
}

// The id of a record that could not be parsed, read from its text without parsing it: the first member at the
// record's top level named `id` (a one-member path), a string or a bare token. Empty when there is none.
std::string id_from_text(std::string_view text, const json_path& id) {
  if (id.size() != 1) return {};
  json_nesting scan;
  std::size_t string_start = 0;
  std::string_view last_string;
  bool key_ready = false;  // last_string was a key at the top level and `:` followed
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const auto token = scan.step(c);
    if (token == json_nesting::token::quote && scan.in_string()) {
      string_start = i + 1;
      continue;
    }
    if (token == json_nesting::token::quote) {
      last_string = text.substr(string_start, i - string_start);
      if (key_ready && scan.depth() == 1) return std::string(last_string.substr(0, max_id_bytes));
      continue;
    }
    if (token != json_nesting::token::other || scan.depth() != 1 || json_space(c)) {
      if (token == json_nesting::token::open) key_ready = false;
      continue;
    }
    if (c == ':') {
      key_ready = last_string == id[0];
      continue;
    }
    if (key_ready) {  // a bare token: a number, true, false or null
      std::size_t end = i;
      while (end < text.size() && text[end] != ',' && text[end] != '}' && !json_space(text[end])) ++end;
      const std::string_view token_text = text.substr(i, end - i);
      return token_text == "null" ? std::string() : std::string(token_text.substr(0, max_id_bytes));
    }
    key_ready = false;
    last_string = {};
  }
  return {};
}

page_record parse_record(std::string_view text, std::size_t position, const json_path& id, const json_limits& limits) {
  page_record r;
  r.position = position;
  json_limits bounds = limits;
  bounds.reject_duplicate_keys = true;
  try {
    r.value = parse_bounded(text, bounds);
  } catch (const std::exception& e) {  // json_error, or anything the parser itself throws
    r.error = e.what();
    r.id = id_from_text(text, id);
  }
  return r;
}

}  // namespace

result<page_content> split_page(std::string_view body, const json_path& records, const json_path& id,
                                const page_limits& limits, const std::string& description) {
  const auto malformed = [&description](const std::string& why) {
    return connector_error{error_kind::malformed, description + ": " + why};
  };
  const std::string where = records.empty() ? "the answer" : "`" + path_text(records) + "`";
  if (body.size() > limits.envelope.max_bytes)
    return malformed("the body of " + std::to_string(body.size()) + " bytes is over the limit of " +
                     std::to_string(limits.envelope.max_bytes) + ".");

  // Walk the envelope keeping the key of each open container, until the array at `records` opens.
  json_nesting scan;
  struct frame {
    bool object;
    bool on_path;  // this container is the value of records[0..depth-1]
  };
  std::vector<frame> open;
  std::size_t string_start = 0;
  std::string_view last_string, key;
  bool array_found = false;
  std::size_t array_open = 0, array_close = 0;  // the '[' and ']' of the record array
  std::size_t element_start = std::string_view::npos;
  std::vector<std::pair<std::size_t, std::size_t>> elements;
  std::size_t array_depth = 0;
  bool in_array = false;

  for (std::size_t i = 0; i < body.size(); ++i) {
    const char c = body[i];
    const auto token = scan.step(c);
    if (in_array) {
      // Inside the record array only element boundaries matter: `,` or the closing `]` at the array's depth.
      const bool at_array_level = scan.depth() == array_depth;
      if (token == json_nesting::token::close && scan.depth() == array_depth - 1) {
        if (element_start != std::string_view::npos) elements.emplace_back(element_start, i);
        array_close = i;
        in_array = false;
        open.pop_back();
        continue;
      }
      if (element_start == std::string_view::npos && !json_space(c) &&
          !(at_array_level && token == json_nesting::token::other && c == ','))
        element_start = i;
      if (at_array_level && token == json_nesting::token::other && c == ',') {
        if (element_start == std::string_view::npos) return malformed("an empty element in " + where + ".");
        elements.emplace_back(element_start, i);
        element_start = std::string_view::npos;
      }
      continue;
    }
    switch (token) {
      case json_nesting::token::quote:
        if (scan.in_string())
          string_start = i + 1;
        else
          last_string = body.substr(string_start, i - string_start);
        break;
      case json_nesting::token::other:
        if (c == ':') key = last_string;
        break;
      case json_nesting::token::open: {
        const std::size_t depth = open.size();  // of the parent: 0 at the root
        if (depth >= limits.envelope.max_depth)
          return malformed("the answer is nested deeper than " + std::to_string(limits.envelope.max_depth) +
                           " levels outside its records.");
        bool on_path = false;
        if (depth == 0)
          on_path = true;
        else if (open.back().on_path && open.back().object && depth <= records.size())
          on_path = key == records[depth - 1];
        open.push_back({c == '{', on_path});
        if (on_path && depth == records.size() && c == '[' && !array_found) {
          array_found = true;
          in_array = true;
          array_open = i;
          array_depth = scan.depth();
        }
        break;
      }
      case json_nesting::token::close:
        if (!open.empty()) open.pop_back();
        break;
      case json_nesting::token::stray_close:
        return malformed("the body is not balanced JSON (a stray closing bracket at byte " + std::to_string(i) + ").");
      default:
        break;
    }
  }
  if (scan.in_string() || scan.depth() != 0 || in_array)
    return malformed("the body ends before its JSON does (truncated).");
  if (!array_found) return malformed("the answer has no " + where + " array.");

  page_content out;
  std::string envelope;
  envelope.reserve(body.size() - (array_close - array_open));
  envelope.append(body.substr(0, array_open + 1));
  envelope.append(body.substr(array_close));
  json_limits envelope_limits = limits.envelope;
  envelope_limits.reject_duplicate_keys = true;
  try {
    out.envelope = parse_bounded(envelope, envelope_limits);
  } catch (const std::exception& e) {
    return malformed("the answer around the records is not usable JSON (" + std::string(e.what()) + ").");
  }
  out.records.reserve(elements.size());
  for (std::size_t n = 0; n < elements.size(); ++n) {
    const auto [from, to] = elements[n];
    out.records.push_back(parse_record(trim(body.substr(from, to - from)), n, id, limits.record));
  }
  return out;
}

}  // namespace dvc
