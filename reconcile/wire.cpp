// The contract shape read through the shipped contract profiles, and the canonical dossier's JSON form.
#include "reconcile/wire.hpp"

#include <string>

#include "reconcile/json_writer.hpp"
#include "reconcile/profile_file.hpp"

namespace dvc {

using json = nlohmann::json;

parsed_dossier parse_provincial(const json& record, const status_map& statuses) {
  static const record_profile& profile = shipped_profile("contract", side::provincial).record;
  return profile.read(record, statuses.overrides());
}

parsed_dossier parse_national(const json& record) {
  static const record_profile& profile = shipped_profile("contract", side::national).record;
  return profile.read(record);
}

namespace {
maybe_instant time_from(const json& j, std::string_view name) {
  const auto it = j.find(name);
  if (it == j.end() || it->is_null()) return std::nullopt;
  return it->get<instant>();
}
template <class T>
std::optional<T> opt_from(const json& j, std::string_view name) {
  const auto it = j.find(name);
  if (it == j.end() || it->is_null()) return std::nullopt;
  return it->get<T>();
}
}  // namespace

namespace {

// A body stored before profiles has no `registered`: a provincial dossier was registered only when its status was
// the contract's `NEW`.
bool legacy_registered(const dossier& d) {
  return d.origin == side::provincial && d.status_code == provincial_status_new;
}

void put(json_writer& w, const std::optional<int>& v) { v ? w.num(*v) : w.null(); }
void put(json_writer& w, const maybe_instant& t) { t ? w.num(*t) : w.null(); }
void put(json_writer& w, const std::optional<bool>& v) { v ? w.boolean(*v) : w.null(); }

}  // namespace

std::string to_json_text(const dossier& d) {
  std::string out;
  out.reserve(1024);
  json_writer w(out);
  w.begin_object();
  w.key("side").str(side_name(d.origin));
  w.key("key").str(d.key);
  w.key("id").str(d.id);
  w.key("code").str(d.code);
  w.key("status_code").str(d.status_code);
  put(w.key("status"), d.status);
  // Written only where it differs from what bodies stored before profiles imply (a provincial `NEW`), so those
  // bodies read back the same and contract-shape bodies stay as they were.
  if (d.registered != legacy_registered(d)) w.key("registered").boolean(d.registered);
  w.key("procedure_code").str(d.procedure_code);
  w.key("procedure_name").str(d.procedure_name);
  w.key("sector_code").str(d.sector_code);
  w.key("sector_name").str(d.sector_name);
  w.key("unit_code").str(d.unit_code);
  w.key("unit_name").str(d.unit_name);
  w.key("applicant_name").str(d.applicant_name);
  w.key("applicant_phone").str(d.applicant_phone);
  w.key("applicant_email").str(d.applicant_email);
  put(w.key("applicant_type"), d.applicant_type);
  w.key("summary").str(d.summary);
  put(w.key("channel"), d.channel);
  put(w.key("online_payment"), d.online_payment);
  put(w.key("digitized"), d.digitized);
  put(w.key("received"), d.received);
  put(w.key("due"), d.due);
  put(w.key("completed"), d.completed);
  put(w.key("returned"), d.returned);
  put(w.key("updated"), d.updated);
  w.key("results").begin_array();
  for (const auto& r : d.results) {
    w.begin_object().key("code").str(r.code).key("name").str(r.name).key("url").str(r.url).end_object();
  }
  w.end_array();
  w.key("steps").begin_array();
  for (const processing_step& s : d.steps) {
    w.begin_object();
    w.key("name").str(s.name);
    w.key("handler").str(s.handler);
    w.key("position").str(s.position);
    w.key("department").str(s.department);
    w.key("status").str(s.status);
    put(w.key("start"), s.start);
    put(w.key("end"), s.end);
    put(w.key("due"), s.due);
    // docs/profiles.md#canonical-fields: open while it has no end, unless the portal says otherwise.
    if (s.open != !s.end) w.key("open").boolean(s.open);
    w.end_object();
  }
  w.end_array();
  if (!d.unknown.empty()) {
    w.key("unknown").begin_array();
    d.unknown.for_each([&](canonical_field f) { w.str(field_name(f)); });
    w.end_array();
  }
  w.end_object();
  return out;
}

// One field list: the object is the direct text read back, so the two forms cannot drift apart.
json to_json(const dossier& d) { return json::parse(to_json_text(d)); }

dossier dossier_from_json(const json& j) {
  dossier d;
  d.origin = j.at("side").get<std::string>() == "national" ? side::national : side::provincial;
  d.key = j.at("key").get<std::string>();
  d.id = j.value("id", "");
  d.code = j.value("code", "");
  d.status_code = j.value("status_code", "");
  d.status = opt_from<int>(j, "status");
  d.registered = j.contains("registered") ? j.at("registered").get<bool>() : legacy_registered(d);
  d.procedure_code = j.value("procedure_code", "");
  d.procedure_name = j.value("procedure_name", "");
  d.sector_code = j.value("sector_code", "");
  d.sector_name = j.value("sector_name", "");
  d.unit_code = j.value("unit_code", "");
  d.unit_name = j.value("unit_name", "");
  d.applicant_name = j.value("applicant_name", "");
  d.applicant_phone = j.value("applicant_phone", "");
  d.applicant_email = j.value("applicant_email", "");
  d.applicant_type = opt_from<int>(j, "applicant_type");
  d.summary = j.value("summary", "");
  d.channel = opt_from<int>(j, "channel");
  d.online_payment = opt_from<bool>(j, "online_payment");
  d.digitized = opt_from<bool>(j, "digitized");
  d.received = time_from(j, "received");
  d.due = time_from(j, "due");
  d.completed = time_from(j, "completed");
  d.returned = time_from(j, "returned");
  d.updated = time_from(j, "updated");
  for (const auto& r : j.value("results", json::array()))
    d.results.push_back({r.value("code", ""), r.value("name", ""), r.value("url", "")});
  for (const auto& s : j.value("steps", json::array())) {
    processing_step step{s.value("name", ""),       s.value("handler", ""), s.value("position", ""),
                         s.value("department", ""), s.value("status", ""),  time_from(s, "start"),
                         time_from(s, "end"),       time_from(s, "due")};
    step.open = s.contains("open") ? s.at("open").get<bool>() : !step.end;
    d.steps.push_back(std::move(step));
  }
  for (const auto& name : j.value("unknown", json::array()))
    if (const auto f = canonical_field_named(name.get<std::string>())) d.unknown.insert(*f);
  return d;
}

}  // namespace dvc
