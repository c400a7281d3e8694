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

void export_findings(const ledger& db, const finding_filter& filter,
                     const std::map<std::string, std::string>& unit_names, export_language lang, table_export& out) {
  const bool vi = lang == export_language::vi;
  std::map<std::string, std::string> stored_names;  // unit names read from records, once per unit
  std::vector<xlsx_cell> cells;
  db.each_finding(filter, [&](const finding_row& row) {
    const auto provincial = db.get_record(side::provincial, row.key);
    const auto national = db.get_record(side::national, row.key);
    std::string unit_name;
    if (const auto it = unit_names.find(row.unit_code); it != unit_names.end() && !it->second.empty())
      unit_name = it->second;
    else if (const auto known = stored_names.find(row.unit_code); known != stored_names.end())
      unit_name = known->second;
    else
      unit_name = stored_names[row.unit_code] = provincial && !provincial->unit_name.empty() ? provincial->unit_name
                                                : national                                   ? national->unit_name
                                                                                             : std::string();
    cells.clear();
    cells.push_back(double(row.id));
    cells.push_back(row.key);
    cells.push_back(text(provincial ? provincial->facts.code : national ? national->facts.code : std::string()));
    cells.push_back(row.unit_code);
    cells.push_back(text(unit_name));
    const std::string kind(kind_name(row.kind));
    const auto coded = [&](const char* category, const std::string& code) {
      if (vi) cells.push_back(vi_label(category, code));
      cells.push_back(code);
    };
    coded("kinds", std::string(kind_name(row.kind)));
    coded("reasons", row.reason);
    coded("states", row.state);
    cells.push_back(format_vietnam_iso(row.first_seen));
    cells.push_back(format_vietnam_iso(row.last_seen));
    cells.push_back(text(row.ack_by.value_or("")));
    cells.push_back(time_cell(row.ack_at));
    cells.push_back(text(row.ack_note.value_or("")));
    const std::string procedure = procedure_name(provincial);
    cells.push_back(text(procedure.empty() ? procedure_name(national) : procedure));
    for (const auto& f : side_fields())
      for (const auto* r : {&provincial, &national}) cells.push_back(*r ? f.cell((*r)->facts, lang) : xlsx_cell{});
    out.row(cells);
  });
}

}  // namespace dvc
