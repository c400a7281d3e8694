#include "reconcile/printable.hpp"

namespace dvc {
namespace {

// Length of the valid UTF-8 sequence starting at s[i] (1 for ASCII), or 0 when the bytes there are not one:
// overlong forms, surrogates and code points above U+10FFFF are refused as the standard requires.
std::size_t utf8_length(std::string_view s, std::size_t i) {
  const auto b = static_cast<unsigned char>(s[i]);
  if (b < 0x80) return 1;
  std::size_t len = 0;
  char32_t cp = 0, min = 0;
  if (b >= 0xC2 && b <= 0xDF) {
    len = 2, cp = b & 0x1F, min = 0x80;
  } else if (b >= 0xE0 && b <= 0xEF) {
    len = 3, cp = b & 0x0F, min = 0x800;
  } else if (b >= 0xF0 && b <= 0xF4) {
    len = 4, cp = b & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    const auto c = static_cast<unsigned char>(s[i + k]);
    if ((c & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (c & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

constexpr char hex_digits[] = "0123456789abcdef";

void append_hex_byte(std::string& out, unsigned char b) {
  out += "\\x";
  out += hex_digits[b >> 4];
  out += hex_digits[b & 0xF];
}

// Calls emit(kept text) and escape(byte offset, length) over `text` in order; stops early when a callback
// returns false.
template <class Keep, class Escape>
void walk(std::string_view text, Keep keep, Escape escape) {
  std::size_t run = 0;  // start of the text kept as it is
  for (std::size_t i = 0; i < text.size();) {
    const auto b = static_cast<unsigned char>(text[i]);
    const std::size_t len = utf8_length(text, i);
    const bool c0 = len == 1 && (b < 0x20 || b == 0x7F);
    const bool c1 = len == 2 && b == 0xC2 && static_cast<unsigned char>(text[i + 1]) < 0xA0;
    if (len != 0 && !c0 && !c1) {
      i += len;
      continue;
    }
    if (!keep(text.substr(run, i - run))) return;
    const std::size_t n = len == 0 ? 1 : len;
    if (!escape(text.substr(i, n), len != 0)) return;
    i += n;
    run = i;
  }
  keep(text.substr(run));
}

}  // namespace

std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  walk(
      text,
      [&](std::string_view kept) {
        out += kept;
        return true;
      },
      [&](std::string_view bytes, bool valid) {
        const auto b = static_cast<unsigned char>(bytes[0]);
        if (!valid) {
          append_hex_byte(out, b);
        } else if (bytes.size() == 2) {  // C1: U+0080..U+009F
          const auto low = static_cast<unsigned char>(bytes[1]);
          out += "\\u00";
          out += hex_digits[low >> 4];
          out += hex_digits[low & 0xF];
        } else if (b == '\n') {
          out += "\\n";
        } else if (b == '\r') {
          out += "\\r";
        } else if (b == '\t') {
          out += "\\t";
        } else {
          append_hex_byte(out, b);
        }
        return true;
      });
  return out;
}

bool is_printable(std::string_view text) {
  bool clean = true;
  walk(
      text, [](std::string_view) { return true; },
      [&](std::string_view, bool) {
        clean = false;
        return false;
      });
  return clean;
}

}  // namespace dvc
