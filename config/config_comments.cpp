#include "config/config_comments.hpp"

#include <algorithm>

namespace dvc {

namespace {

std::size_t line_of(std::string_view text, std::size_t offset) {
  return 1 +
         static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
}

}  // namespace

stripped_json strip_json_comments(std::string_view text) {
  stripped_json out;
  out.text.reserve(text.size());
  enum class mode { code, string, line_comment, block_comment } m = mode::code;
  std::size_t block_start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const char next = i + 1 < text.size() ? text[i + 1] : '\0';
    switch (m) {
      case mode::code:
        if (c == '"') {
          m = mode::string;
          out.text += c;
        } else if (c == '/' && next == '/') {
          m = mode::line_comment;
          out.text += "  ";
          ++i;
        } else if (c == '/' && next == '*') {
          m = mode::block_comment;
          block_start = i;
          out.text += "  ";
          ++i;
        } else {
          out.text += c;
        }
        break;
      case mode::string:
        out.text += c;
        if (c == '\\' && i + 1 < text.size()) {
          // An escaped character, `\"` included, cannot end the string.
          out.text += next;
          ++i;
        } else if (c == '"' || c == '\n') {
          // A raw newline is invalid inside a JSON string; leaving string mode there lets the parser report
          // the bad string instead of this scan swallowing the rest of the file as one literal.
          m = mode::code;
        }
        break;
      case mode::line_comment:
        if (c == '\n') {
          m = mode::code;
          out.text += c;
        } else {
          out.text += ' ';
        }
        break;
      case mode::block_comment:
        if (c == '*' && next == '/') {
          m = mode::code;
          out.text += "  ";
          ++i;
        } else {
          out.text += c == '\n' ? '\n' : ' ';
        }
        break;
    }
  }
  if (m == mode::block_comment) {
    out.error = "unterminated /* comment starting on line " + std::to_string(line_of(text, block_start));
  }
  return out;
}

}  // namespace dvc
