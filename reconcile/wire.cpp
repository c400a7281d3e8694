// Field mapping of both portals' records into the canonical dossier (docs/wire-formats.md).
#include "reconcile/wire.hpp"

#include <cmath>
#include <string>

#include "reconcile/json_writer.hpp"
#include "reconcile/normalize.hpp"

namespace dvc {
namespace {

using json = nlohmann::json;

// Reads one object's fields with the contract's tolerance: numbers are accepted where strings are expected,
// null and missing mean absent. Errors name the field by its path in the record.
class fields {
 public:
  fields(const json& obj, std::string prefix) : obj_(obj), prefix_(std::move(prefix)) {}

  std::string path(std::string_view name) const { return prefix_ + std::string(name); }

  const json* get(std::string_view name) const {
    const auto it = obj_.find(name);
    if (it == obj_.end() || it->is_null()) return nullptr;
    return &*it;
  }

  std::string text(std::string_view name) const {
    const json* v = get(name);
    if (!v) return {};
    if (v->is_string()) return v->get<std::string>();
    if (v->is_number_integer()) return v->dump();
    if (v->is_number_float()) {
      const double d = v->get<double>();
      if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 1e18)
        return std::to_string(static_cast<long long>(d));
      return v->dump();
    }
    throw record_error(path(name), "expected a string, got " + std::string(v->type_name()));
  }

  std::string code(std::string_view name) const { return normalize_code(text(name)); }

  maybe_instant iso_time(std::string_view name) const {
    try {
      return parse_iso_time(text(name));
    } catch (const std::invalid_argument& e) {
      throw record_error(path(name), e.what());
    }
  }

  maybe_instant national_time(std::string_view name) const {
    try {
      return parse_national_time(text(name));
    } catch (const std::invalid_argument& e) {
      throw record_error(path(name), e.what());
    }
  }

  // An integer field that may arrive as a number or a numeric string; "" is absent.
  std::optional<int> integer(std::string_view name) const {
    const std::string t = normalize_code(text(name));
    if (t.empty()) return std::nullopt;
    int v = 0;
    for (const char c : t) {
      if (c < '0' || c > '9' || v > 100000)
        throw record_error(path(name), "expected a whole number, got \"" + t + "\"");
      v = v * 10 + (c - '0');
    }
    return v;
  }

  std::optional<bool> boolean(std::string_view name) const {
    const json* v = get(name);
    if (!v) return std::nullopt;
    if (v->is_boolean()) return v->get<bool>();
    const std::string t = normalize_code(text(name));
    if (t == "TRUE" || t == "1") return true;
    if (t == "FALSE" || t == "0") return false;
    if (t.empty()) return std::nullopt;
    throw record_error(path(name), "expected true or false, got \"" + t + "\"");
  }

  const json* object(std::string_view name) const {
    const json* v = get(name);
    if (!v) return nullptr;
    if (!v->is_object()) throw record_error(path(name), "expected an object, got " + std::string(v->type_name()));
    return v;
  }

  // Arrays that some systems send as "" when empty.
  const json* array(std::string_view name) const {
    const json* v = get(name);
    if (!v || (v->is_string() && v->get_ref<const std::string&>().empty())) return nullptr;
    if (!v->is_array()) throw record_error(path(name), "expected an array, got " + std::string(v->type_name()));
    return v;
  }

 private:
  const json& obj_;
  std::string prefix_;
};

void require_object(const json& record) {
  if (!record.is_object())
    throw record_error("", "record is a JSON " + std::string(record.type_name()) + ", not an object");
}

// Maps a coded value through a small table; unknown values are an error for the field.
template <std::size_t N>
std::optional<int> coded(const fields& f, std::string_view name, const std::array<std::pair<int, int>, N>& table) {
  const auto v = f.integer(name);
  if (!v) return std::nullopt;
  for (const auto& [wire, canonical] : table)
    if (wire == *v) return canonical;
  throw record_error(f.path(name), "unknown value " + std::to_string(*v));
}

// Channel: provincial applyMethod.id 0/1/2 → national KenhThucHien 1/2/3 (in person, online, post).
constexpr std::array<std::pair<int, int>, 3> provincial_channel{{{0, 1}, {1, 2}, {2, 3}}};
constexpr std::array<std::pair<int, int>, 3> national_channel{{{1, 1}, {2, 2}, {3, 3}}};

// A coded field no rule reads (applicant type): a bad value is reported and left absent, the record kept.
std::optional<int> display_code(const fields& f, std::string_view name, std::vector<std::string>& warnings) {
  try {
    return f.integer(name);
  } catch (const record_error& e) {
    warnings.push_back(std::string(e.what()) + "; left empty");
    return std::nullopt;
  }
}

}  // namespace

parsed_dossier parse_provincial(const json& record, const status_map& statuses) {
  require_object(record);
  parsed_dossier out;
  dossier& d = out.value;
  const fields f(record, "");
  d.origin = side::provincial;
  d.id = f.text("id");
  d.code = f.code("code");
  const std::string nation_code = f.code("nationCode");
  d.key = nation_code.empty() ? d.code : nation_code;
  if (d.key.empty()) throw record_error("code", "missing: the record has neither code nor nationCode");

  if (const json* o = f.object("procedure")) {
    const fields p(*o, "procedure.");
    d.procedure_code = p.code("code");
    d.procedure_name = p.text("name");
  }
  if (const json* o = f.object("sector")) {
    const fields s(*o, "sector.");
    d.sector_code = s.code("code");
    d.sector_name = s.text("name");
  }
  if (const json* o = f.object("agency")) {
    const fields a(*o, "agency.");
    d.unit_code = a.code("code");
    d.unit_name = a.text("name");
  }
  if (const json* o = f.object("applicant")) {
    const fields a(*o, "applicant.");
    d.applicant_name = a.text("fullname");
    d.applicant_type = display_code(a, "type", out.warnings);
    d.applicant_phone = a.text("phone");
    d.applicant_email = a.text("email");
  }
  if (const json* o = f.object("applyMethod")) d.channel = coded(fields(*o, "applyMethod."), "id", provincial_channel);
  if (const json* o = f.object("status")) d.status_code = fields(*o, "status.").code("code");
  d.status = statuses.map(d.status_code);
  if (!d.status)
    out.warnings.push_back(d.status_code.empty() ? "status.code: missing; status rules skipped for this record"
                                                 : "status.code: unknown status \"" + d.status_code +
                                                       "\"; status rules skipped for this record");
  d.received = f.iso_time("appliedDate");
  d.due = f.iso_time("appointmentDate");
  d.completed = f.iso_time("completedDate");
  d.returned = f.iso_time("returnedDate");
  d.updated = f.iso_time("updatedDate");
  d.digitized = f.boolean("digitized");
  d.online_payment = f.boolean("onlinePayment");
  if (const json* a = f.array("results")) {
    for (std::size_t i = 0; i < a->size(); ++i) {
      const json& r = (*a)[i];
      const std::string at = "results[" + std::to_string(i) + "].";
      if (!r.is_object()) throw record_error(at.substr(0, at.size() - 1), "expected an object");
      const fields rf(r, at);
      d.results.push_back({rf.text("code"), rf.text("name"), rf.text("fileUrl")});
    }
  }
  if (const json* a = f.array("steps")) {
    for (std::size_t i = 0; i < a->size(); ++i) {
      const json& s = (*a)[i];
      const std::string at = "steps[" + std::to_string(i) + "].";
      if (!s.is_object()) throw record_error(at.substr(0, at.size() - 1), "expected an object");
      const fields sf(s, at);
      d.steps.push_back({sf.text("name"), sf.text("handler"), sf.text("position"), sf.text("department"), "",
                         sf.iso_time("startDate"), sf.iso_time("endDate"), sf.iso_time("dueDate")});
    }
  }
  return out;
}

parsed_dossier parse_national(const json& record) {
  require_object(record);
  parsed_dossier out;
  dossier& d = out.value;
  const fields f(record, "");
  d.origin = side::national;
  d.code = f.code("MaHoSo");
  d.key = d.code;
  if (d.key.empty()) throw record_error("MaHoSo", "missing");
  d.procedure_code = f.code("MaTTHC");
  d.procedure_name = f.text("TenTTHC");
  d.sector_code = f.code("MaLinhVuc");
  d.sector_name = f.text("TenLinhVuc");
  d.unit_code = f.code("DonViXuLy");
  d.applicant_type = display_code(f, "LoaiDoiTuong", out.warnings);
  d.applicant_name = f.text("ChuHoSo");
  d.applicant_phone = f.text("SoDienThoai");
  d.applicant_email = f.text("Email");
  d.summary = f.text("TrichYeuHoSo");
  d.received = f.national_time("NgayTiepNhan");
  d.due = f.national_time("NgayHenTra");
  d.completed = f.national_time("NgayKetThucXuLy");
  d.returned = f.national_time("NgayTra");
  d.updated = f.national_time("NgayCapNhat");
  d.status_code = f.code("TrangThaiHoSo");
  {
    int v = 0;
    bool numeric = !d.status_code.empty() && d.status_code.size() <= 2;
    for (const char c : d.status_code) numeric = numeric && c >= '0' && c <= '9' && (v = v * 10 + (c - '0'), true);
    if (numeric && v >= national_status_min && v <= national_status_max)
      d.status = v;
    else
      out.warnings.push_back(d.status_code.empty() ? "TrangThaiHoSo: missing; status rules skipped for this record"
                                                   : "TrangThaiHoSo: unknown status \"" + d.status_code +
                                                         "\"; status rules skipped for this record");
  }
  d.channel = coded(f, "KenhThucHien", national_channel);
  d.digitized = f.boolean("HoSoCoThanhPhanSoHoa");
  // DuocThanhToanTrucTuyen (docs/wire-formats.md#national-record): 1 through the national payment platform and 2
  // through a provincial or ministry gateway are both paid online; 0 and 3 are not; "" is unknown.
  if (const auto pay = f.integer("DuocThanhToanTrucTuyen")) {
    if (*pay == 1 || *pay == 2)
      d.online_payment = true;
    else if (*pay == 0 || *pay == 3)
      d.online_payment = false;
    else
      throw record_error("DuocThanhToanTrucTuyen", "unknown value " + std::to_string(*pay));
  }
  if (const json* a = f.array("DanhSachGiayToKetQua")) {
    for (std::size_t i = 0; i < a->size(); ++i) {
      const json& r = (*a)[i];
      const std::string at = "DanhSachGiayToKetQua[" + std::to_string(i) + "].";
      if (!r.is_object()) throw record_error(at.substr(0, at.size() - 1), "expected an object");
      const fields rf(r, at);
      d.results.push_back({rf.text("MaGiayToKetQua"), rf.text("TenGiayTo"), rf.text("DuongDanTepTinKetQua")});
    }
  }
  if (const json* a = f.array("QuaTrinhXuLy")) {
    for (std::size_t i = 0; i < a->size(); ++i) {
      const json& s = (*a)[i];
      const std::string at = "QuaTrinhXuLy[" + std::to_string(i) + "].";
      if (!s.is_object()) throw record_error(at.substr(0, at.size() - 1), "expected an object");
      const fields sf(s, at);
      d.steps.push_back({sf.text("NoiDungXuLy"), sf.text("NguoiXuLy"), sf.text("ChucDanh"), sf.text("PhongBanXuLy"),
                         sf.text("TrangThai"), sf.national_time("NgayBatDau"), sf.national_time("ThoiDiemXuLy"),
                         sf.national_time("NgayKetThucTheoQuyDinh")});
    }
  }
  return out;
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
    w.end_object();
  }
  w.end_array();
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
  for (const auto& s : j.value("steps", json::array()))
    d.steps.push_back({s.value("name", ""), s.value("handler", ""), s.value("position", ""), s.value("department", ""),
                       s.value("status", ""), time_from(s, "start"), time_from(s, "end"), time_from(s, "due")});
  return d;
}

}  // namespace dvc
