#pragma once
// A table written as CSV or as .xlsx, with its header row in Vietnamese (from reports/labels_vi.json) or as the
// columns' codes: the exports of findings and of sync rates (docs/cli.md#exports). The columns are the same in
// both languages, and every code (kind, reason, state) keeps a column of its own beside its Vietnamese label, so
// an operator reads the Vietnamese file and a script keys on `--lang en` headers that never change with wording.
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "reports/xlsx_writer.hpp"

namespace dvc {

enum class export_format { csv, xlsx };
std::optional<export_format> export_format_from(std::string_view name);  // "csv" / "xlsx"

enum class export_language { vi, en };
std::optional<export_language> export_language_from(std::string_view name);  // "vi" / "en"

struct export_column {
  enum class kind { text, whole, percent };
  std::string code;  // `columns` code of reports/labels_vi.json
  kind type = kind::text;
  double width = 14;  // characters, in the .xlsx
};

// The header row: Vietnamese labels of the columns, or their codes.
std::vector<std::string> export_header(const std::vector<export_column>& columns, export_language lang);

class table_export {
 public:
  // CSV to `out`: UTF-8 with a byte-order mark, CRLF line ends, every text cell through csv_field (formula-looking
  // text neutralised), whole numbers as digits, percentages with two decimals, an empty cell for nothing.
  table_export(std::ostream& out, const std::vector<export_column>& columns, export_language lang);
  // .xlsx at `path`, one sheet `sheet_name` (reports/xlsx_writer.hpp): text as text, numbers as numbers.
  table_export(const std::filesystem::path& path, std::string_view sheet_name,
               const std::vector<export_column>& columns, export_language lang);
  ~table_export();

  // One row, a cell per column.
  void row(const std::vector<xlsx_cell>& cells);
  // Completes the file (the .xlsx is written here); throws std::runtime_error naming it on failure.
  void close();

 private:
  std::vector<export_column> columns_;
  std::ostream* csv_ = nullptr;
  std::unique_ptr<xlsx_sheet_writer> xlsx_;
};

// Writes `produce`'s table to `path` whole or not at all: into a temporary file beside it, renamed over `path` once
// complete, so an interrupted export never leaves half a file under the name asked for. Throws std::runtime_error
// naming the file when it cannot be written.
void write_export_file(const std::filesystem::path& path, export_format format,
                       const std::function<void(table_export&)>& produce, const std::vector<export_column>& columns,
                       export_language lang, std::string_view sheet_name);

// The same into memory (the API's answer): the bytes of the CSV or of the .xlsx, which libxlsxwriter can only
// write to a file, so it goes through a temporary file that is removed.
std::string export_bytes(export_format format, const std::function<void(table_export&)>& produce,
                         const std::vector<export_column>& columns, export_language lang, std::string_view sheet_name);

}  // namespace dvc
