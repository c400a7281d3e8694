#pragma once
// A flat, byte-at-a-time scanner of JSON text that knows only strings and nesting. nlohmann's parser is
// recursive, so whatever reads JSON from outside scans it first: to bound its depth and string lengths
// (reconcile/bounded_json.cpp, the simulator's request bodies) or to find where one element of an array ends
// without parsing it (reconcile/record_reader.cpp). It never fails: what it sees of malformed text is left to
// the parser.
#include <cstddef>
#include <cstdint>

namespace dvc {

class json_nesting {
 public:
  enum class token : std::uint8_t {
    other,        // outside strings and not a bracket or quote: digits, letters, `,`, `:`, white space
    string_byte,  // inside a string literal, escapes included (not its quotes)
    quote,        // the quote that opens or closes a string
    open,         // `{` or `[` outside strings; depth() counts it
    close,        // `}` or `]` outside strings that closes a level; depth() no longer counts it
    stray_close,  // `}` or `]` outside strings with nothing open; depth() stays 0
  };

  token step(char c) {
    if (in_string_) {
      if (escaped_) {
        escaped_ = false;
      } else if (c == '\\') {
        escaped_ = true;
      } else if (c == '"') {
        in_string_ = false;
        return token::quote;
      }
      return token::string_byte;
    }
    switch (c) {
      case '"':
        in_string_ = true;
        return token::quote;
      case '{':
      case '[':
        ++depth_;
        return token::open;
      case '}':
      case ']':
        if (depth_ == 0) return token::stray_close;
        --depth_;
        return token::close;
      default:
        return token::other;
    }
  }

  std::size_t depth() const { return depth_; }
  bool in_string() const { return in_string_; }

 private:
  std::size_t depth_ = 0;
  bool in_string_ = false;
  bool escaped_ = false;
};

}  // namespace dvc
