#include "reports/csv_cell.hpp"

#include <array>

namespace dvc {
namespace {

bool starts_formula(std::string_view s) {
  if (s.empty()) return false;
  if (s.front() == '\t' || s.front() == '\r') return true;
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return false;
  const std::string_view rest = s.substr(first);
  if (rest.front() == '=' || rest.front() == '+' || rest.front() == '-' || rest.front() == '@') return true;
  // U+FF1D ＝, U+FF0B ＋, U+FF0D －, U+FF20 ＠: some spreadsheet locales treat them as the ASCII signs.
  static constexpr std::array<std::string_view, 4> wide = {"\xEF\xBC\x9D", "\xEF\xBC\x8B", "\xEF\xBC\x8D",
                                                           "\xEF\xBC\xA0"};
  for (const auto w : wide)
    if (rest.starts_with(w)) return true;
  return false;
}

}  // namespace

std::string csv_field(std::string_view s) {
  const bool formula = starts_formula(s);
  if (!formula && s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string out = formula ? "\"'" : "\"";
  for (const char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace dvc
