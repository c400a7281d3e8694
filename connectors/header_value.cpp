#include "connectors/header_value.hpp"

#include <algorithm>

namespace dvc {
namespace {

bool ascii_alnum(unsigned char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

}  // namespace

bool is_b64token(std::string_view text) {
  std::size_t body = 0;
  while (body < text.size()) {
    const auto c = static_cast<unsigned char>(text[body]);
    if (!(ascii_alnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/')) break;
    ++body;
  }
  if (body == 0) return false;
  return std::all_of(text.begin() + static_cast<std::ptrdiff_t>(body), text.end(), [](char c) { return c == '='; });
}

bool is_header_name(std::string_view text) {
  static constexpr std::string_view specials = "!#$%&'*+-.^_`|~";
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return ascii_alnum(static_cast<unsigned char>(c)) || specials.find(c) != std::string_view::npos;
  });
}

bool is_header_value(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u == '\t' || (u >= 0x20 && u != 0x7f);
  });
}

}  // namespace dvc
