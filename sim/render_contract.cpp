// The contract shape (docs/wire-formats.md): the provincial REST record and the national adapter record.
#include "sim/civil_time.hpp"
#include "sim/dossier_view.hpp"
#include "sim/people.hpp"
#include "sim/record_parts.hpp"
#include "sim/render.hpp"
#include "sim/render_shapes.hpp"

namespace dvc::sim {
namespace {

void iso_or_null(json_writer& j, std::int64_t t, bool zulu) {
  if (t == absent) {
    j.null();
    return;
  }
  std::string s;
  append_iso(s, t, zulu);
  j.str(s);
}

// National writes an absent time as "".
std::string national_time(std::int64_t t) {
  std::string s;
  if (t != absent) append_national(s, t);
  return s;
}

}  // namespace

void render_contract_provincial(const world& w, std::uint32_t idx, json_writer& j) {
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
  j.key("nationCode");
  if (w.present(idx, portal::national)) {
    j.str(nation_code(w, idx));
  } else {
    j.null();
  }
  j.key("procedure").begin_object().key("code").str(p.code).key("name").str(text(p.name)).end_object();
  j.key("sector").begin_object().key("code").str(p.sector_code).key("name").str(p.sector_name).end_object();
  j.key("agency").begin_object().key("code").str(u.code).key("name").str(u.name).end_object();
  j.key("applicant").begin_object();
  j.key("fullname").str(text(a.name));
  j.key("type").num(t.applicant_type);
  j.key("phone").str(a.phone);
  j.key("email").str(a.email);
  j.end_object();
  const auto& method = words.channel_of(v.how);
  j.key("applyMethod").begin_object().key("id").num(method.contract).key("name").str(method.name).end_object();
  const auto& status = words.status(v.status);
  j.key("status").begin_object();
  j.key("code").str(status.contract_code).key("name").str(status.contract_name);
  j.end_object();
  iso_or_null(j.key("appliedDate"), v.received, t.zulu);
  iso_or_null(j.key("appointmentDate"), v.due, t.zulu);
  iso_or_null(j.key("completedDate"), v.completed, t.zulu);
  iso_or_null(j.key("returnedDate"), v.returned, t.zulu);
  iso_or_null(j.key("updatedDate"), v.updated, t.zulu);
  j.key("digitized").boolean(v.digitized);
  j.key("onlinePayment").boolean(v.paid_online);
  j.key("results").begin_array();
  if (v.has_result) {
    j.begin_object();
    j.key("code").str(result_code(w, idx));
    j.key("name").str(p.result);
    j.key("fileUrl").str(result_url(w, idx));
    j.end_object();
  }
  j.end_array();
  j.key("steps").begin_array();
  for (std::size_t k = 0; k < v.step_count; ++k) {
    const auto& line = v.steps[k];
    j.begin_object();
    j.key("name").str(words.step(line.role).name);
    j.key("handler").str(official(w, idx, v.unit, line.role));
    j.key("position").str(position_of(w, line.role, v.unit));
    j.key("department").str(department_of(w, line.role, v.unit, v.procedure));
    iso_or_null(j.key("startDate"), line.start, t.zulu);
    iso_or_null(j.key("endDate"), line.end, t.zulu);
    iso_or_null(j.key("dueDate"), line.due, t.zulu);
    j.end_object();
  }
  j.end_array();
  j.end_object();
}

void render_contract_national(const world& w, std::uint32_t idx, json_writer& j) {
  const auto v = view_of(w, idx, portal::national);
  const auto t = w.traits_of(idx);
  const auto& words = vocabulary::get();
  const auto& u = w.province().units()[v.unit];
  const auto& p = w.province().procedures()[v.procedure];
  const auto a = applicant_of(w, idx);
  const auto text = [&](std::string_view s) { return text_for(w, idx, portal::national, s); };

  j.begin_object();
  j.key("MaHoSo").str(national_code(w, idx));
  j.key("MaTTHC").str(national_procedure_code(w, v, t.procedure_suffix));
  j.key("TenTTHC").str(text(p.name));
  j.key("MaLinhVuc").str(p.sector_code);
  j.key("TenLinhVuc").str(p.sector_name);
  j.key("DonViXuLy").str(u.code);
  national_number(j.key("LoaiDoiTuong"), w, idx, t.applicant_type);
  j.key("ChuHoSo").str(text(a.name));
  j.key("SoDienThoai").str(a.phone);
  j.key("Email").str(a.email);
  j.key("TrichYeuHoSo").str(text(p.name + " - " + a.name));
  j.key("NgayTiepNhan").str(national_time(v.received));
  j.key("NgayHenTra").str(national_time(v.due));
  j.key("NgayKetThucXuLy").str(national_time(v.completed));
  j.key("NgayTra").str(national_time(v.returned));
  j.key("NgayCapNhat").str(national_time(v.updated));
  national_number(j.key("TrangThaiHoSo"), w, idx, static_cast<int>(v.status));
  national_number(j.key("KenhThucHien"), w, idx, static_cast<int>(v.how));
  j.key("HoSoCoThanhPhanSoHoa").str(v.digitized ? "1" : "0");
  j.key("DuocThanhToanTrucTuyen").str(payment_value(w, idx, v));
  j.key("DanhSachGiayToKetQua").begin_array();
  if (v.has_result) {
    j.begin_object();
    j.key("TenGiayTo").str(p.result);
    j.key("MaGiayToKetQua").str(result_code(w, idx));
    j.key("DuongDanTepTinKetQua").str(result_url(w, idx));
    j.end_object();
  }
  j.end_array();
  j.key("QuaTrinhXuLy").begin_array();
  for (std::size_t k = 0; k < v.step_count; ++k) {
    const auto& line = v.steps[k];
    j.begin_object();
    j.key("NguoiXuLy").str(official(w, idx, v.unit, line.role));
    j.key("ChucDanh").str(position_of(w, line.role, v.unit));
    j.key("PhongBanXuLy").str(department_of(w, line.role, v.unit, v.procedure));
    j.key("NoiDungXuLy").str(words.step(line.role).name);
    j.key("TrangThai").str(words.step_state(line.end == absent));
    j.key("NgayBatDau").str(national_time(line.start));
    j.key("ThoiDiemXuLy").str(national_time(line.end));
    j.key("NgayKetThucTheoQuyDinh").str(national_time(line.due));
    j.end_object();
  }
  j.end_array();
  j.end_object();
}

}  // namespace dvc::sim
