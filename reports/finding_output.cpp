#include "reports/finding_output.hpp"

#include <algorithm>

#include "reports/finding_export.hpp"
#include "reports/text_table.hpp"

namespace dvc {
namespace {

// One line of the details for a table cell.
std::string brief(const finding_view& f) {
  if (f.kind == finding_kind::field_mismatch && f.details.contains("fields")) {
    std::string s;
    for (const auto& name : f.details["fields"]) s += (s.empty() ? "" : ", ") + name.get<std::string>();
    return s;
  }
  if (f.details.empty()) return "";
  return f.details.dump();
}
}  // namespace

std::optional<output_format> output_format_from(std::string_view name) {
  if (name == "jsonl") return output_format::jsonl;
  if (name == "csv") return output_format::csv;
  if (name == "table") return output_format::table;
  return std::nullopt;
}

nlohmann::json to_json(const finding_view& f) {
  nlohmann::json j = {{"id", f.id},
                      {"key", f.key},
                      {"kind", kind_name(f.kind)},
                      {"reason", f.reason},
                      {"unit_code", f.unit_code},
                      {"state", f.state},
                      {"first_seen", format_vietnam_iso(f.first_seen)},
                      {"last_seen", format_vietnam_iso(f.last_seen)},
                      {"details", f.details},
                      {"provincial", f.provincial ? summarize(*f.provincial) : nlohmann::json(nullptr)},
                      {"national", f.national ? summarize(*f.national) : nlohmann::json(nullptr)}};
  if (f.ack_at)
    j["ack"] = {
        {"note", f.ack_note.value_or("")}, {"by", f.ack_by.value_or("")}, {"at", format_vietnam_iso(*f.ack_at)}};
  return j;
}

finding_writer::finding_writer(std::ostream& out, output_format format, std::map<std::string, std::string> unit_names)
    : out_(out), format_(format), unit_names_(std::move(unit_names)) {}

finding_writer::~finding_writer() = default;

const std::string& finding_writer::unit_name(const std::string& code) const {
  static const std::string none;
  const auto it = unit_names_.find(code);
  return it == unit_names_.end() ? none : it->second;
}

void finding_writer::write(const finding_view& f) {
  switch (format_) {
    case output_format::jsonl:
      out_ << to_json(f).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
      return;
    case output_format::csv:
      // The procedure's name is in the stored bodies, which a finding's view does not read: left empty here.
      if (!csv_)
        csv_ = std::make_unique<table_export>(out_, finding_export_columns(export_language::vi), export_language::vi);
      csv_->row(finding_export_cells(f, unit_name(f.unit_code), "", export_language::vi));
      return;
    case output_format::table: {
      const std::string& name = unit_name(f.unit_code);
      table_rows_.push_back({std::to_string(f.id), f.key, std::string(kind_name(f.kind)), f.reason,
                             name.empty() ? f.unit_code : name, f.state, format_vietnam_iso(f.last_seen).substr(0, 16),
                             brief(f)});
      return;
    }
  }
}

void finding_writer::finish() {
  if (format_ == output_format::csv) {
    if (!csv_)
      csv_ = std::make_unique<table_export>(out_, finding_export_columns(export_language::vi), export_language::vi);
    csv_->close();
  }
  if (format_ != output_format::table) return;
  write_table(out_, {"ID", "Mã hồ sơ", "Loại", "Lý do", "Đơn vị", "Trạng thái", "Lần cuối", "Chi tiết"}, table_rows_,
              60, {align::right});
  table_rows_.clear();
}

}  // namespace dvc
