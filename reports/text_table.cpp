#include "reports/text_table.hpp"

#include <algorithm>

#include "reconcile/printable.hpp"

namespace dvc {
namespace {
// Combining diacritics (U+0300–U+036F) are how NFD Vietnamese carries its tone marks: zero width.
bool combining(char32_t c) { return c >= 0x300 && c <= 0x36F; }

// Walks UTF-8, calling fn(code point, byte offset of its end).
template <class F>
void each_code_point(std::string_view s, F fn) {
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    const std::size_t len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    char32_t c = len == 1 ? b : b & (0x3F >> (len - 1));
    for (std::size_t k = 1; k < len && i + k < s.size(); ++k)
      c = (c << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    i = std::min(s.size(), i + len);
    if (!fn(c, i)) return;
  }
}

std::string clip(const std::string& s, std::size_t max) {
  if (display_width(s) <= max) return s;
  std::size_t width = 0, cut = 0;
  each_code_point(s, [&](char32_t c, std::size_t end) {
    if (!combining(c) && ++width > max - 1) return false;
    cut = end;
    return true;
  });
  return s.substr(0, cut) + "…";
}
}  // namespace

std::size_t display_width(std::string_view s) {
  std::size_t w = 0;
  each_code_point(s, [&](char32_t c, std::size_t) {
    if (!combining(c)) ++w;
    return true;
  });
  return w;
}

void write_table(std::ostream& out, const std::vector<std::string>& header,
                 const std::vector<std::vector<std::string>>& rows, std::size_t max_cell,
                 const std::vector<align>& aligns) {
  std::vector<std::size_t> widths(header.size());
  std::vector<std::string> head;
  for (const auto& h : header) head.push_back(printable(h));
  for (std::size_t i = 0; i < head.size(); ++i) widths[i] = display_width(head[i]);
  std::vector<std::vector<std::string>> cells;
  cells.reserve(rows.size());
  for (const auto& r : rows) {
    std::vector<std::string> c;
    for (std::size_t i = 0; i < header.size(); ++i) {
      c.push_back(clip(i < r.size() ? printable(r[i]) : "", max_cell));
      widths[i] = std::max(widths[i], display_width(c.back()));
    }
    cells.push_back(std::move(c));
  }
  const auto line = [&](const std::vector<std::string>& r) {
    for (std::size_t i = 0; i < r.size(); ++i) {
      const std::string pad(widths[i] - display_width(r[i]), ' ');
      const bool right = i < aligns.size() && aligns[i] == align::right;
      out << (right ? pad : "") << r[i];
      if (i + 1 < r.size()) out << (right ? "" : pad) << "  ";
    }
    out << '\n';
  };
  line(head);
  std::vector<std::string> rule;
  for (const auto w : widths) rule.push_back(std::string(w, '-'));
  line(rule);
  for (const auto& r : cells) line(r);
}

}  // namespace dvc
