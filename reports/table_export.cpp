#include "reports/table_export.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "reports/csv_cell.hpp"
#include "reports/labels.hpp"

namespace dvc {
namespace {

constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";

std::string number_text(double v, export_column::kind type) {
  char buf[40];
  if (type == export_column::kind::percent)
    std::snprintf(buf, sizeof buf, "%.2f", v);
  else
    std::snprintf(buf, sizeof buf, "%.0f", v);
  return buf;
}

// A file beside `path` that no one else names: `path.XXXXXX`, created empty (mode 0600, as the ledger's copies).
std::filesystem::path temporary_beside(const std::filesystem::path& path) {
  std::string name = path.string() + ".XXXXXX";
  const int fd = ::mkstemp(name.data());
  if (fd < 0) throw std::runtime_error(path.string() + ": cannot create a file beside it: " + std::strerror(errno));
  ::close(fd);
  return name;
}

struct removed_unless_kept {
  std::filesystem::path path;
  bool keep = false;
  ~removed_unless_kept() {
    std::error_code ec;
    if (!keep) std::filesystem::remove(path, ec);
  }
};

}  // namespace

std::optional<export_format> export_format_from(std::string_view name) {
  if (name == "csv") return export_format::csv;
  if (name == "xlsx") return export_format::xlsx;
  return std::nullopt;
}

std::optional<export_language> export_language_from(std::string_view name) {
  if (name == "vi") return export_language::vi;
  if (name == "en") return export_language::en;
  return std::nullopt;
}

std::vector<std::string> export_header(const std::vector<export_column>& columns, export_language lang) {
  std::vector<std::string> names;
  for (const auto& c : columns)
    names.push_back(lang == export_language::vi ? std::string(vi_label("columns", c.code)) : c.code);
  return names;
}

table_export::table_export(std::ostream& out, const std::vector<export_column>& columns, export_language lang)
    : columns_(columns), csv_(&out) {
  out << utf8_bom;
  const auto names = export_header(columns, lang);
  for (std::size_t i = 0; i < names.size(); ++i) out << (i ? "," : "") << csv_field(names[i]);
  out << "\r\n";
}

table_export::table_export(const std::filesystem::path& path, std::string_view sheet_name,
                           const std::vector<export_column>& columns, export_language lang)
    : columns_(columns), xlsx_(std::make_unique<xlsx_sheet_writer>(path, sheet_name)) {
  std::vector<double> widths;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    widths.push_back(columns[i].width);
    if (columns[i].type == export_column::kind::percent) xlsx_->two_decimals(i);
  }
  xlsx_->header(export_header(columns, lang), widths);
}

table_export::~table_export() = default;

void table_export::row(const std::vector<xlsx_cell>& cells) {
  if (xlsx_) {
    xlsx_->row(cells);
    return;
  }
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i) *csv_ << ',';
    if (cells[i].kind == xlsx_cell::type::text)
      *csv_ << csv_field(cells[i].text);
    else if (cells[i].kind == xlsx_cell::type::number)
      *csv_ << number_text(cells[i].number, i < columns_.size() ? columns_[i].type : export_column::kind::text);
  }
  *csv_ << "\r\n";
}

void table_export::close() {
  if (xlsx_) {
    xlsx_->close();
    return;
  }
  csv_->flush();
  if (!*csv_) throw std::runtime_error("writing the CSV failed");
}

void write_export_file(const std::filesystem::path& path, export_format format,
                       const std::function<void(table_export&)>& produce, const std::vector<export_column>& columns,
                       export_language lang, std::string_view sheet_name) {
  removed_unless_kept temp{temporary_beside(path)};
  if (format == export_format::xlsx) {
    table_export out(temp.path, sheet_name, columns, lang);
    produce(out);
    out.close();
  } else {
    std::ofstream file(temp.path, std::ios::binary | std::ios::trunc);
    if (!file) throw std::runtime_error(temp.path.string() + ": cannot open for writing");
    table_export out(file, columns, lang);
    produce(out);
    out.close();
    file.close();
    if (!file) throw std::runtime_error(path.string() + ": writing failed (disk full?)");
  }
  std::error_code ec;
  std::filesystem::rename(temp.path, path, ec);
  if (ec) throw std::runtime_error(path.string() + ": cannot put the export in place: " + ec.message());
  temp.keep = true;
}

std::string export_bytes(export_format format, const std::function<void(table_export&)>& produce,
                         const std::vector<export_column>& columns, export_language lang, std::string_view sheet_name) {
  if (format == export_format::csv) {
    std::ostringstream out;
    table_export t(out, columns, lang);
    produce(t);
    t.close();
    return std::move(out).str();
  }
  removed_unless_kept temp{temporary_beside(std::filesystem::temp_directory_path() / "dvcrecon-export.xlsx")};
  {
    table_export t(temp.path, sheet_name, columns, lang);
    produce(t);
    t.close();
  }
  std::ifstream in(temp.path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (!in) throw std::runtime_error(temp.path.string() + ": cannot read the .xlsx back");
  return std::move(bytes).str();
}

}  // namespace dvc
