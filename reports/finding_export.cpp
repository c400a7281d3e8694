#include "reports/finding_export.hpp"

#include "reconcile/status.hpp"
#include "reports/labels.hpp"

namespace dvc {
namespace {

using col = export_column::kind;

// A compared field: its column stem (reports/labels_vi.json `columns`, `<stem>_provincial` / `<stem>_national`) and
// its cell for one side's facts. The names are those field_mismatch gives in its details (docs/rules.md#findings).
struct side_field {
  const char* stem;
  col type;
  xlsx_cell (*cell)(const dossier_facts&, export_language);
};

xlsx_cell text(std::string s) { return s.empty() ? xlsx_cell{} : xlsx_cell{std::move(s)}; }
xlsx_cell time_cell(const maybe_instant& t) { return t ? xlsx_cell{format_vietnam_iso(*t)} : xlsx_cell{}; }
xlsx_cell whole(std::optional<double> v) { return v ? xlsx_cell{*v} : xlsx_cell{}; }

xlsx_cell yes_no(const std::optional<bool>& b, export_language lang) {
  if (!b) return {};
  if (lang == export_language::en) return xlsx_cell{*b ? 1.0 : 0.0};
  return xlsx_cell{vi_label("messages", *b ? "yes" : "no")};
}

xlsx_cell status_cell(const dossier_facts& f, export_language lang) {
  if (lang == export_language::en || !f.status) return text(f.status_code);
  const std::string_view label = national_status_label(*f.status);
  return text(label.empty() ? f.status_code : f.status_code + " (" + std::string(label) + ")");
}

const std::vector<side_field>& side_fields() {
  static const std::vector<side_field> fields = {
      {"status", col::text, status_cell},
      {"procedure_code", col::text, [](const dossier_facts& f, export_language) { return text(f.procedure_code); }},
      {"unit_code", col::text, [](const dossier_facts& f, export_language) { return text(f.unit_code); }},
      {"channel", col::whole,
       [](const dossier_facts& f, export_language) {
         return whole(f.channel ? std::optional<double>(*f.channel) : std::nullopt);
       }},
      {"online_payment", col::text,
       [](const dossier_facts& f, export_language lang) { return yes_no(f.online_payment, lang); }},
      {"digitised", col::text, [](const dossier_facts& f, export_language lang) { return yes_no(f.digitized, lang); }},
      {"receipt_time", col::text, [](const dossier_facts& f, export_language) { return time_cell(f.received); }},
      {"due", col::text, [](const dossier_facts& f, export_language) { return time_cell(f.due); }},
      {"completion_time", col::text, [](const dossier_facts& f, export_language) { return time_cell(f.completed); }},
      // A side that does not give result documents or steps has no count: unknown, not zero.
      {"results", col::whole,
       [](const dossier_facts& f, export_language) {
         return f.unknown.contains(canonical_field::results) ? xlsx_cell{} : xlsx_cell{double(f.result_count)};
       }},
      {"steps_ended", col::whole,
       [](const dossier_facts& f, export_language) {
         return f.unknown.contains(canonical_field::steps) ? xlsx_cell{} : xlsx_cell{double(f.steps_ended)};
       }},
  };
  return fields;
}

std::string procedure_name(const std::optional<stored_record>& r) {
  if (!r || !r->body.is_object()) return "";
  const auto it = r->body.find("procedure_name");
  return it != r->body.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

std::vector<export_column> finding_export_columns(export_language lang) {
  const bool vi = lang == export_language::vi;
  std::vector<export_column> c = {{"id", col::whole, 8},
                                  {"key", col::text, 26},
                                  {"code", col::text, 26},
                                  {"unit_code", col::text, 16},
                                  {"unit_name", col::text, 30}};
  for (const char* coded : {"kind", "reason", "state"}) {
    c.push_back({coded, col::text, vi ? 30.0 : 22.0});
    if (vi) c.push_back({std::string(coded) + "_code", col::text, 22});
  }
  for (const char* name : {"first_seen", "last_seen", "ack_by", "ack_at", "ack_note", "procedure"})
    c.push_back(
        {name, col::text, std::string_view(name) == "procedure" || std::string_view(name) == "ack_note" ? 40.0 : 26.0});
  for (const auto& f : side_fields())
    for (const char* s : {"_provincial", "_national"}) c.push_back({std::string(f.stem) + s, f.type, 18});
  return c;
}

std::vector<xlsx_cell> finding_export_cells(const finding_view& f, const std::string& unit_name,
                                            const std::string& procedure, export_language lang) {
  const bool vi = lang == export_language::vi;
  std::vector<xlsx_cell> cells;
  cells.push_back(double(f.id));
  cells.push_back(f.key);
  cells.push_back(text(f.provincial ? f.provincial->code : f.national ? f.national->code : std::string()));
  cells.push_back(f.unit_code);
  cells.push_back(text(unit_name));
  const auto coded = [&](const char* category, const std::string& code) {
    if (vi) cells.push_back(vi_label(category, code));
    cells.push_back(code);
  };
  coded("kinds", std::string(kind_name(f.kind)));
  coded("reasons", f.reason);
  coded("states", f.state);
  cells.push_back(format_vietnam_iso(f.first_seen));
  cells.push_back(format_vietnam_iso(f.last_seen));
  cells.push_back(text(f.ack_by.value_or("")));
  cells.push_back(time_cell(f.ack_at));
  cells.push_back(text(f.ack_note.value_or("")));
  cells.push_back(text(procedure));
  for (const auto& field : side_fields())
    for (const auto* side : {&f.provincial, &f.national})
      cells.push_back(*side ? field.cell(**side, lang) : xlsx_cell{});
  return cells;
}

namespace {

// Rows of stored findings: each side's facts and the procedure's name from its stored record, unit names from the
// configuration, else from the unit's records (read once per unit).
class stored_rows {
 public:
  stored_rows(const ledger& db, const std::map<std::string, std::string>& unit_names, export_language lang,
              table_export& out)
      : db_(db), unit_names_(unit_names), lang_(lang), out_(out) {}

  void add(const finding_row& row) {
    auto provincial = db_.get_record(side::provincial, row.key);
    auto national = db_.get_record(side::national, row.key);
    std::string procedure = procedure_name(provincial);
    if (procedure.empty()) procedure = procedure_name(national);
    const std::string& unit = unit_name(row.unit_code, provincial, national);
    finding_view v{row.id,        row.key,     row.kind,     row.reason,   row.unit_code, row.state,  row.first_seen,
                   row.last_seen, row.details, std::nullopt, std::nullopt, row.ack_note,  row.ack_by, row.ack_at};
    if (provincial) v.provincial = std::move(provincial->facts);
    if (national) v.national = std::move(national->facts);
    out_.row(finding_export_cells(v, unit, procedure, lang_));
  }

 private:
  const std::string& unit_name(const std::string& code, const std::optional<stored_record>& provincial,
                               const std::optional<stored_record>& national) {
    if (const auto it = unit_names_.find(code); it != unit_names_.end() && !it->second.empty()) return it->second;
    if (const auto known = stored_names_.find(code); known != stored_names_.end()) return known->second;
    return stored_names_[code] = provincial && !provincial->unit_name.empty() ? provincial->unit_name
                                 : national                                   ? national->unit_name
                                                                              : std::string();
  }

  const ledger& db_;
  const std::map<std::string, std::string>& unit_names_;
  export_language lang_;
  table_export& out_;
  std::map<std::string, std::string> stored_names_;
};

}  // namespace

void export_findings(const ledger& db, const finding_filter& filter,
                     const std::map<std::string, std::string>& unit_names, export_language lang, table_export& out) {
  stored_rows rows(db, unit_names, lang, out);
  db.each_finding(filter, [&](const finding_row& row) { rows.add(row); });
}

void export_finding_rows(const ledger& db, const std::vector<finding_row>& rows,
                         const std::map<std::string, std::string>& unit_names, export_language lang,
                         table_export& out) {
  stored_rows stored(db, unit_names, lang, out);
  for (const auto& row : rows) stored.add(row);
}

}  // namespace dvc
