#include "reports/xlsx_writer.hpp"

#include <xlsxwriter.h>

#include <set>
#include <stdexcept>
#include <utility>

namespace dvc {

struct xlsx_sheet_writer::state {
  std::string path;
  lxw_workbook* book = nullptr;
  lxw_worksheet* sheet = nullptr;
  lxw_format* bold = nullptr;
  lxw_format* decimals = nullptr;
  std::set<std::size_t> two_decimal_columns;
  lxw_row_t next_row = 0;
  std::size_t columns = 0;
};

namespace {

[[noreturn]] void fail(const std::string& path, std::string_view what, lxw_error e) {
  throw std::runtime_error(path + ": cannot write the .xlsx file: " + std::string(what) + ": " + lxw_strerror(e));
}

// Length of the UTF-8 sequence starting at s[i], or 0 when it is not a valid one.
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
  const auto b = static_cast<unsigned char>(s[i]);
  if (b < 0x80) return 1;
  const std::size_t n = b >= 0xC2 && b <= 0xDF ? 2 : b >= 0xE0 && b <= 0xEF ? 3 : b >= 0xF0 && b <= 0xF4 ? 4 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k)
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
  const auto b1 = static_cast<unsigned char>(s[i + 1]);
  // Overlong three- and four-byte forms, surrogates and values past U+10FFFF.
  if ((b == 0xE0 && b1 < 0xA0) || (b == 0xED && b1 >= 0xA0) || (b == 0xF0 && b1 < 0x90) || (b == 0xF4 && b1 >= 0x90))
    return 0;
  return n;
}

}  // namespace

std::string xlsx_text(std::string_view s) {
  constexpr std::size_t max_chars = 32767;
  std::string out;
  out.reserve(s.size());
  std::size_t chars = 0;
  for (std::size_t i = 0; i < s.size() && chars < max_chars; ++chars) {
    const std::size_t n = utf8_sequence(s, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

xlsx_sheet_writer::xlsx_sheet_writer(const std::filesystem::path& path, std::string_view sheet_name)
    : s_(std::make_unique<state>()) {
  s_->path = path.string();
  lxw_workbook_options options{};
  options.constant_memory = LXW_TRUE;  // each row is flushed to a temporary file once the next one starts
  options.use_zip64 = LXW_TRUE;        // a large export may pass 4 GB uncompressed
  s_->book = workbook_new_opt(s_->path.c_str(), &options);
  if (!s_->book) throw std::runtime_error(s_->path + ": cannot create the .xlsx file");
  const std::string name(sheet_name);
  s_->sheet = workbook_add_worksheet(s_->book, name.c_str());
  s_->bold = workbook_add_format(s_->book);
  s_->decimals = workbook_add_format(s_->book);
  if (!s_->sheet || !s_->bold || !s_->decimals) {
    workbook_close(s_->book);
    throw std::runtime_error(s_->path + ": cannot create the .xlsx file's sheet " + name);
  }
  format_set_bold(s_->bold);
  format_set_num_format(s_->decimals, "0.00");
}

xlsx_sheet_writer::~xlsx_sheet_writer() {
  // workbook_close is the only way to free a workbook; what it writes to an unfinished export is discarded by the
  // caller, which never renames a file close() did not complete.
  if (s_ && s_->book) workbook_close(s_->book);
}

void xlsx_sheet_writer::two_decimals(std::size_t column) { s_->two_decimal_columns.insert(column); }

void xlsx_sheet_writer::header(const std::vector<std::string>& names, const std::vector<double>& widths) {
  s_->columns = names.size();
  for (std::size_t c = 0; c < names.size(); ++c) {
    const auto col = static_cast<lxw_col_t>(c);
    // Column formats must be set before the first row in constant-memory mode.
    if (c < widths.size()) worksheet_set_column(s_->sheet, col, col, widths[c], nullptr);
  }
  for (std::size_t c = 0; c < names.size(); ++c)
    if (const auto e =
            worksheet_write_string(s_->sheet, 0, static_cast<lxw_col_t>(c), xlsx_text(names[c]).c_str(), s_->bold))
      fail(s_->path, "header", e);
  worksheet_freeze_panes(s_->sheet, 1, 0);
  if (!names.empty()) worksheet_autofilter(s_->sheet, 0, 0, 0, static_cast<lxw_col_t>(names.size() - 1));
  s_->next_row = 1;
}

void xlsx_sheet_writer::row(const std::vector<xlsx_cell>& cells) {
  if (s_->next_row > max_rows)
    throw std::runtime_error(s_->path + ": more than " + std::to_string(max_rows) +
                             " rows, the most a spreadsheet holds; narrow the export with filters");
  const lxw_row_t r = s_->next_row++;
  for (std::size_t c = 0; c < cells.size(); ++c) {
    const auto col = static_cast<lxw_col_t>(c);
    lxw_error e = LXW_NO_ERROR;
    if (cells[c].kind == xlsx_cell::type::text) {
      if (cells[c].text.empty()) continue;
      // A string cell whatever it starts with: worksheet_write_formula is never called.
      e = worksheet_write_string(s_->sheet, r, col, xlsx_text(cells[c].text).c_str(), nullptr);
    } else if (cells[c].kind == xlsx_cell::type::number) {
      e = worksheet_write_number(s_->sheet, r, col, cells[c].number,
                                 s_->two_decimal_columns.count(c) ? s_->decimals : nullptr);
    }
    if (e) fail(s_->path, "row " + std::to_string(r), e);
  }
}

void xlsx_sheet_writer::close() {
  lxw_workbook* book = std::exchange(s_->book, nullptr);
  if (const auto e = workbook_close(book)) fail(s_->path, "closing", e);
}

}  // namespace dvc
