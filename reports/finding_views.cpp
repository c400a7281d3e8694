#include "reports/finding_views.hpp"

#include <algorithm>
#include <span>

#include "reconcile/normalize.hpp"
#include "reconcile/status.hpp"
#include "reconcile/wire.hpp"
#include "reports/labels.hpp"
#include "reports/personal_data.hpp"

namespace dvc {
namespace {

// The view needs the facts only: reading them alone skips fetching and parsing the stored body, which was most of
// the cost of a page of findings.
std::optional<dossier_facts> stored_facts(const ledger& db, side s, const std::string& key) {
  auto facts = db.load_facts(s, std::span<const std::string>(&key, 1));
  if (facts.empty()) return std::nullopt;
  return std::move(facts.front());
}

std::string time_text(const maybe_instant& t) { return t ? format_vietnam_iso(*t) : std::string(); }

std::string yes_no(const std::optional<bool>& b) { return b ? (*b ? "Có" : "Không") : std::string(); }

std::string channel_text(const std::optional<int>& c) {
  if (!c) return "";
  switch (*c) {
    case 1:
      return "1 Trực tiếp";
    case 2:
      return "2 Trực tuyến";
    case 3:
      return "3 Bưu chính";
    default:
      return std::to_string(*c);
  }
}

std::string status_text(const dossier& d) {
  std::string s = d.status_code;
  if (d.status) {
    const std::string label(national_status_label(*d.status));
    if (d.origin == side::provincial) s += " → " + std::to_string(*d.status);
    if (!label.empty()) s += " (" + label + ")";
  } else {
    s += " (mã không xác định)";
  }
  return s;
}

std::string results_text(const dossier& d) {
  std::vector<std::string> names;
  for (const auto& r : d.results) names.push_back(r.name.empty() ? r.code : r.name);
  std::sort(names.begin(), names.end());
  std::string s = std::to_string(names.size());
  for (std::size_t i = 0; i < names.size(); ++i) s += (i ? "; " : ": ") + names[i];
  return s;
}

std::string steps_text(const dossier& d) {
  std::size_t ended = 0;
  for (const auto& st : d.steps) ended += !st.open;
  return std::to_string(ended) + "/" + std::to_string(d.steps.size());
}

// Fields both portals carry, in the order an operator reads a dossier (national has no unit name: the page
// header shows the provincial one).
// Their Vietnamese names are the table's (reports/labels_vi.json, "fields").
struct field_spec {
  const char* name;
  std::string (*text)(const dossier&);
};

const std::vector<field_spec>& field_specs() {
  static const std::vector<field_spec> specs = {
      {"code", [](const dossier& d) { return d.code; }},
      {"status", status_text},
      {"procedure_code", [](const dossier& d) { return d.procedure_code; }},
      {"procedure_name", [](const dossier& d) { return d.procedure_name; }},
      {"sector_code", [](const dossier& d) { return d.sector_code; }},
      {"unit_code", [](const dossier& d) { return d.unit_code; }},
      {"applicant_name", [](const dossier& d) { return d.applicant_name; }},
      {"applicant_type",
       [](const dossier& d) { return d.applicant_type ? std::to_string(*d.applicant_type) : std::string(); }},
      {"applicant_phone", [](const dossier& d) { return d.applicant_phone; }},
      {"applicant_email", [](const dossier& d) { return d.applicant_email; }},
      {"channel", [](const dossier& d) { return channel_text(d.channel); }},
      {"online_payment", [](const dossier& d) { return yes_no(d.online_payment); }},
      {"digitized", [](const dossier& d) { return yes_no(d.digitized); }},
      {"received", [](const dossier& d) { return time_text(d.received); }},
      {"due", [](const dossier& d) { return time_text(d.due); }},
      {"completed", [](const dossier& d) { return time_text(d.completed); }},
      {"returned", [](const dossier& d) { return time_text(d.returned); }},
      {"updated", [](const dossier& d) { return time_text(d.updated); }},
      {"results", results_text},
      {"steps", steps_text},
  };
  return specs;
}

// The status row compares mapped national numbers, not the two sides' own spellings of them.
bool values_differ(const field_spec& spec, const dossier& p, const dossier& n, const unit_successions& successions) {
  if (std::string_view(spec.name) == "status") return p.status != n.status || !p.status;
  if (std::string_view(spec.name) == "unit_code")
    return successions.current(p.unit_code) != successions.current(n.unit_code);
  // Both portals stamp their own update time; a difference there is expected, not a finding.
  if (std::string_view(spec.name) == "updated") return false;
  return normalize_text(spec.text(p)) != normalize_text(spec.text(n));
}

}  // namespace

finding_view view_of(const ledger& db, const finding_row& row) {
  return {row.id,
          row.key,
          row.kind,
          row.reason,
          row.unit_code,
          row.state,
          row.first_seen,
          row.last_seen,
          row.details,
          stored_facts(db, side::provincial, row.key),
          stored_facts(db, side::national, row.key),
          row.ack_note,
          row.ack_by,
          row.ack_at};
}

nlohmann::json event_json(const event_row& e) {
  return {{"id", e.id},
          {"at", format_vietnam_iso(e.at)},
          {"run_id", e.run_id ? nlohmann::json(*e.run_id) : nlohmann::json(nullptr)},
          {"type", e.type},
          {"from_state", e.from_state ? nlohmann::json(*e.from_state) : nlohmann::json(nullptr)},
          {"to_state", e.to_state},
          {"cause", e.cause},
          {"actor", e.actor ? nlohmann::json(*e.actor) : nlohmann::json(nullptr)}};
}

std::optional<dossier_comparison> compare_dossier(const ledger& db, const std::string& key,
                                                  const unit_successions& successions) {
  dossier_comparison c;
  c.key = key;
  c.provincial = db.get_record(side::provincial, key);
  c.national = db.get_record(side::national, key);
  if (!c.provincial && !c.national) return std::nullopt;
  // A body retention removed leaves its side's fields blank, never compared (dossier_json says it was removed).
  std::optional<dossier> p, n;
  if (c.provincial && !c.provincial->body.is_null()) p = dossier_from_json(c.provincial->body);
  if (c.national && !c.national->body.is_null()) n = dossier_from_json(c.national->body);
  for (const auto& spec : field_specs()) {
    field_comparison f{spec.name, vi_label("fields", spec.name), p ? spec.text(*p) : "", n ? spec.text(*n) : "", false};
    f.differs = p && n && values_differ(spec, *p, *n, successions);
    c.fields.push_back(std::move(f));
  }
  return c;
}

nlohmann::json dossier_json(const ledger& db, const dossier_comparison& c, bool mask_contacts) {
  const auto shown = [&](const field_comparison& f, const std::string& value) {
    return mask_contacts ? mask_field(f.field, value) : value;
  };
  nlohmann::json fields = nlohmann::json::array();
  for (const auto& f : c.fields)
    fields.push_back({{"field", f.field},
                      {"label", f.label},
                      {"provincial", shown(f, f.provincial)},
                      {"national", shown(f, f.national)},
                      {"differs", f.differs}});
  nlohmann::json findings = nlohmann::json::array();
  for (const auto& row : db.findings_for_key(c.key)) {
    nlohmann::json j = to_json(view_of(db, row));
    j["events"] = nlohmann::json::array();
    for (const auto& e : db.events_for_finding(row.id)) j["events"].push_back(event_json(e));
    findings.push_back(std::move(j));
  }
  const auto unit_name = c.provincial ? c.provincial->unit_name : c.national->unit_name;
  const auto body = [&](const std::optional<stored_record>& r) {
    nlohmann::json j = r ? r->body : nlohmann::json(nullptr);
    if (mask_contacts) mask_personal_data(j);
    return j;
  };
  const auto removed_at = [](const std::optional<stored_record>& r) {
    return r && r->body_removed_at ? nlohmann::json(format_vietnam_iso(*r->body_removed_at)) : nlohmann::json(nullptr);
  };
  return {{"key", c.key},
          {"unit_name", unit_name},
          {"provincial", body(c.provincial)},
          {"national", body(c.national)},
          {"body_removed_at", {{"provincial", removed_at(c.provincial)}, {"national", removed_at(c.national)}}},
          {"fields", std::move(fields)},
          {"findings", std::move(findings)}};
}

}  // namespace dvc
