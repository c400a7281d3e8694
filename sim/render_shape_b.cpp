// Shape B (docs/simulator.md): a provincial platform with nested, translated and coded fields, and a national
// adapter that only looks dossiers up and knows no steps, results or update time.
#include "sim/civil_time.hpp"
#include "sim/dossier_view.hpp"
#include "sim/mix.hpp"
#include "sim/people.hpp"
#include "sim/record_parts.hpp"
#include "sim/render.hpp"
#include "sim/render_shapes.hpp"

namespace dvc::sim {
namespace {

// `…T08:00:00.123+0700`. The milliseconds follow from the second, so records that share a second keep their
// order by id.
void platform_time(json_writer& j, std::int64_t t) {
  if (t == absent) {
    j.null();
    return;
  }
  std::string s;
  append_iso_millis(s, t, static_cast<unsigned>(mix({static_cast<std::uint64_t>(t)}) % 1000));
  j.str(s);
}

std::string adapter_time(std::int64_t t) {
  std::string s;
  if (t != absent) append_day_first(s, t);
  return s;
}

void translations(json_writer& j, const procedure_info& p, std::string vietnamese, bool english_first) {
  const auto& words = vocabulary::get();
  const auto one = [&](int language, const std::string& name) {
    j.begin_object().key("languageId").num(language).key("name").str(name).end_object();
  };
  j.begin_array();
  if (english_first) one(words.language_en(), p.name_en);
  one(words.language_vi(), vietnamese);
  if (!english_first) one(words.language_en(), p.name_en);
  j.end_array();
}

void tasks(json_writer& j, const world& w, std::uint32_t idx, const dossier_view& v) {
  const auto& words = vocabulary::get();
  j.begin_array();
  for (std::size_t k = 0; k < v.step_count; ++k) {
    const auto& line = v.steps[k];
    j.begin_object();
    j.key("name").str(words.step(line.role).name);
    j.key("assignee").begin_object().key("fullname").str(official(w, idx, v.unit, line.role)).end_object();
    j.key("agency").begin_object().key("name").str(department_of(w, line.role, v.unit, v.procedure)).end_object();
    platform_time(j.key("createdDate"), line.start);
    platform_time(j.key("completedDate"), line.end);
    platform_time(j.key("dueDate"), line.due);
    j.key("isCurrent").num(line.end == absent ? 1 : 0);
    j.end_object();
  }
  j.end_array();
}

}  // namespace

void render_b_provincial(const world& w, std::uint32_t idx, json_writer& j) {
  const auto v = view_of(w, idx, portal::provincial);
  const auto t = w.traits_of(idx);
  const auto& words = vocabulary::get();
  const auto& u = w.province().units()[v.unit];
  const auto& p = w.province().procedures()[v.procedure];
  const auto a = applicant_of(w, idx);
  const auto text = [&](std::string_view s) { return text_for(w, idx, portal::provincial, s); };

  j.begin_object();
  j.key("id").str(provincial_id(w, idx));
  j.key("code").str(dossier_code(w, idx));
  if (w.present(idx, portal::national)) {
    j.key("nationCode").str(nation_code(w, idx));
  } else if (t.unpushed == unpushed_form::null) {
    j.key("nationCode").null();
  } else if (t.unpushed == unpushed_form::empty) {
    j.key("nationCode").str("");
  }
  const auto& status = words.status(v.status);
  const auto& state = status.shape_b[v.signing() && status.shape_b.size() > 1 ? 1 : 0];
  j.key("dossierStatus").begin_object().key("id").num(state.first).key("name").str(state.second).end_object();
  j.key("agency").begin_object();
  j.key("id").str(catalog_id("agency", u.code)).key("code").str(u.code).key("name").str(u.name);
  j.end_object();
  j.key("procedure").begin_object();
  j.key("id").str(catalog_id("procedure", p.code)).key("code").str(p.code);
  translations(j.key("translate"), p, text(p.name), t.english_first);
  j.key("sector").begin_object().key("code").str(p.sector_code).key("name").str(p.sector_name).end_object();
  j.end_object();
  j.key("applicant").begin_object().key("data").begin_object();
  j.key("fullname").str(text(a.name));
  j.key("phoneNumber").str(a.phone);
  j.key("email").str(a.email);
  j.key("type").num(t.applicant_type);
  j.end_object().end_object();
  const auto& method = words.channel_of(v.how);
  j.key("applyMethod").begin_object().key("id").num(method.shape_b).key("name").str(method.name).end_object();
  platform_time(j.key("appliedDate"), v.received);
  platform_time(j.key("acceptedDate"), v.step_count > 0 ? v.steps[0].end : absent);
  platform_time(j.key("appointmentDate"), v.due);
  platform_time(j.key("completedDate"), v.completed);
  platform_time(j.key("returnedDate"), v.returned);
  platform_time(j.key("updatedDate"), v.updated);
  j.key("isDigitized").num(v.digitized ? 1 : 0);
  j.key("paymentMethod").begin_object();
  j.key("id").num(v.paid_online ? 1 : 0).key("name").str(words.payment_method(v.paid_online));
  j.end_object();
  j.key("outputFile").begin_array();
  if (v.has_result) {
    j.begin_object();
    j.key("id").str(result_code(w, idx)).key("name").str(p.result).key("url").str(result_url(w, idx));
    j.end_object();
  }
  j.end_array();
  tasks(j.key("task"), w, idx, v);
  j.end_object();
}

void render_b_national(const world& w, std::uint32_t idx, json_writer& j) {
  const auto v = view_of(w, idx, portal::national);
  const auto t = w.traits_of(idx);
  const auto& u = w.province().units()[v.unit];

  j.begin_object();
  j.key("MaHoSo").str(national_code(w, idx));
  j.key("MaTTHC").str(national_procedure_code(w, v, true));
  national_number(j.key("MaTrangThai"), w, idx, static_cast<int>(v.status));
  j.key("TrangThaiHoSo").str(vocabulary::get().status(v.status).label);
  j.key("DonViXuLy").str(text_for(w, idx, portal::national, u.name));
  j.key("MaDonViXuLy").str(u.code);
  j.key("NgayNop").str(adapter_time(v.received));
  j.key("NgayTiepNhan").str(adapter_time(v.received));
  j.key("NgayHenTra").str(adapter_time(v.due));
  if (v.completed != absent || !t.completion_omitted) j.key("NgayKetThucXuLy").str(adapter_time(v.completed));
  national_number(j.key("KenhThucHien"), w, idx, static_cast<int>(v.how));
  j.key("DuocThanhToanTrucTuyen").str(payment_value(w, idx, v));
  j.end_object();
}

}  // namespace dvc::sim
