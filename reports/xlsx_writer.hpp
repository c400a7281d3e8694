#pragma once
// One worksheet of a .xlsx file, written row by row through libxlsxwriter (docs/decisions.md#xlsx): the exports of
// findings and sync rates. The workbook is in constant-memory mode, so each row goes to disk as it is written and a
// 200 000-row export does not grow the process.
//
// Text is always written as a string cell, never as a formula: a value starting with `=` from a portal or a note
// stays text in every spreadsheet (the .xlsx side of the CSV rule in reports/csv_cell.hpp).
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace dvc {

// A cell: text, a number, or nothing (an empty cell, for a value that is unknown or absent). Converts from text and
// numbers, so a row is written as {key, 12.0, …}.
struct xlsx_cell {
  enum class type { empty, text, number };
  type kind = type::empty;
  std::string text;
  double number = 0;
  xlsx_cell() = default;
  xlsx_cell(std::string s) : kind(type::text), text(std::move(s)) {}  // NOLINT(google-explicit-constructor)
  xlsx_cell(double v) : kind(type::number), number(v) {}              // NOLINT(google-explicit-constructor)
};

class xlsx_sheet_writer {
 public:
  // Creates `path` (replacing it when it exists) with one sheet named `sheet_name`; throws std::runtime_error naming
  // the file when libxlsxwriter cannot. Temporary row files go to the system's temporary directory.
  xlsx_sheet_writer(const std::filesystem::path& path, std::string_view sheet_name);
  ~xlsx_sheet_writer();
  xlsx_sheet_writer(const xlsx_sheet_writer&) = delete;
  xlsx_sheet_writer& operator=(const xlsx_sheet_writer&) = delete;

  // The header row, bold, frozen and with filters; `widths` in characters, one per column (optional).
  void header(const std::vector<std::string>& names, const std::vector<double>& widths = {});
  // Numbers in columns given here are shown with two decimals (percentages); others as they are.
  void two_decimals(std::size_t column);
  void row(const std::vector<xlsx_cell>& cells);
  // Writes the file; throws std::runtime_error naming it on failure. Without close(), the destructor discards
  // the workbook's temporary files and leaves whatever it wrote, so a caller writing to a temporary path renames
  // only what close() completed.
  void close();

  static constexpr std::size_t max_rows = 1'048'575;  // Excel's rows less the header

 private:
  struct state;
  std::unique_ptr<state> s_;
};

// Text as a cell: valid UTF-8 (an invalid byte becomes U+FFFD) and at most the 32 767 characters a cell holds.
std::string xlsx_text(std::string_view s);

}  // namespace dvc
