#include "sim/render.hpp"

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <array>
#include <cstdio>
#include <string_view>

#include "reconcile/json_writer.hpp"
#include "sim/civil_time.hpp"
#include "sim/mix.hpp"

namespace dvc::sim {
namespace {

enum tag : std::uint64_t { tag_person = 101, tag_staff, tag_flaw_detail, tag_contact };

constexpr std::int64_t absent = INT64_MIN;

struct status_text {
  std::string_view code, name;
};
constexpr std::array<status_text, 11> statuses{{
    {"", ""},
    {"NEW", "Mới đăng ký"},
    {"RECEIVED", "Đã tiếp nhận"},
    {"NOT_ACCEPTED", "Không được tiếp nhận"},
    {"PROCESSING", "Đang xử lý"},
    {"SUPPLEMENT_REQUESTED", "Yêu cầu bổ sung hồ sơ"},
    {"FINANCIAL_OBLIGATION", "Chờ thực hiện nghĩa vụ tài chính"},
    {"WITHDRAWN", "Công dân rút hồ sơ"},
    {"SUSPENDED", "Dừng xử lý"},
    {"COMPLETED", "Đã xử lý xong"},
    {"RETURNED", "Đã trả kết quả"},
}};

enum class step_kind : std::uint8_t { reception, verify, appraise, review, sign, amend };

struct step_line {
  step_kind kind;
  std::int64_t start, end, due;  // end is `absent` while open
};

// One side's picture of a dossier, before it is written in that side's vocabulary.
struct side_view {
  std::uint8_t unit, procedure, channel;
  bool payment, digitized, results;
  int status;
  std::int64_t applied, due, completed = absent, returned = absent, updated;
  std::array<step_line, max_steps + 1> steps{};
  std::size_t step_count = 0;
};

bool flaw_here(const traits& t, portal side) { return t.flaw_on_national == (side == portal::national); }

side_view view_of(const world& w, std::uint32_t idx, portal side) {
  const auto& s = w.state(idx);
  const auto t = w.traits_of(idx);
  const auto ev = w.event_times(idx);
  const int n = t.steps;
  const int stage = side == portal::provincial ? s.stage : s.nat_stage;
  side_view v{};
  v.unit = s.unit;
  v.procedure = s.procedure;
  v.channel = t.channel;
  v.payment = t.online_payment;
  v.digitized = t.digitized;
  v.applied = w.unix_of(s.applied);
  v.due = w.due_time(idx);
  v.updated = w.updated_on(idx, side);
  if (t.frozen_status != 0 && stage >= 1) {
    v.status = t.frozen_status;
  } else {
    v.status = stage == 0 ? 1 : stage == 1 ? 2 : stage < n ? 4 : stage == n ? 9 : 10;
  }
  const bool done = v.status == 9 || v.status == 10;
  if (stage > 0) {
    const int ended = std::min(stage, n);
    const auto step_due = [&](int k) { return v.applied + (v.due - v.applied) * (k + 1) / n; };
    for (int k = 0; k < ended; ++k) {
      v.steps[v.step_count++] = {static_cast<step_kind>(0), k == 0 ? v.applied : ev[k - 1], ev[k], step_due(k)};
    }
    if (ended < n && t.frozen_status == 0)
      v.steps[v.step_count++] = {step_kind::reception, ev[ended - 1], absent, step_due(ended)};
    // Name the steps by their place in the procedure: reception, checks, signature.
    static constexpr std::array<std::array<step_kind, max_steps>, 3> plans{{
        {step_kind::reception, step_kind::appraise, step_kind::sign},
        {step_kind::reception, step_kind::appraise, step_kind::review, step_kind::sign},
        {step_kind::reception, step_kind::verify, step_kind::appraise, step_kind::review, step_kind::sign},
    }};
    for (std::size_t k = 0; k < v.step_count; ++k) v.steps[k].kind = plans[static_cast<std::size_t>(n - 3)][k];
  }
  if (done) v.completed = ev[n - 1];
  if (v.status == 10) v.returned = ev[n];
  v.results = done;

  draw g(mix({w.config().seed, tag_flaw_detail, idx}));
  switch (s.flaw) {
    case defect::closed_on_national:
      if (side == portal::national) {
        v.status = 10;
        v.completed = v.updated - 600;
        v.returned = v.updated;
        v.results = true;
      }
      break;
    case defect::no_result:
      if (flaw_here(t, side)) v.results = false;
      break;
    case defect::steps_after_completion:
      if (!flaw_here(t, side) || v.completed == absent) break;
      if (side == portal::national) {
        const auto start = v.completed + 3600;
        v.steps[v.step_count++] = {step_kind::amend, start, start + 1800 + g.below(86400), v.due};
      } else if (v.step_count >= 2) {
        v.steps[v.step_count - 2].end = absent;
      }
      break;
    case defect::completed_before_receipt:
      if (flaw_here(t, side) && v.completed != absent) v.applied = v.completed + 86400 + g.below(86400 * 3);
      break;
    case defect::due_differs:
      if (side == portal::national)
        v.due += (g.chance(0.5) ? 1 : -1) * static_cast<std::int64_t>(1 + g.below(3)) * 86400;
      break;
    case defect::overdue_hidden:
      if (side == portal::national) {
        v.due = v.completed != absent ? v.completed + 86400 : std::max(v.due, v.updated) + 60 * 86400;
      }
      break;
    case defect::field_procedure:
      if (side == portal::national) {
        const auto list = procedures_for(units()[v.unit].level);
        for (std::size_t i = 0; i < list.size(); ++i) {
          if (list[i] == v.procedure) {
            v.procedure = list[(i + 1) % list.size()];
            break;
          }
        }
      }
      break;
    case defect::field_unit:
      if (side == portal::national) {
        const auto all = units();
        auto u = static_cast<std::uint8_t>((v.unit + 1) % all.size());
        while (all[u].level != all[v.unit].level) u = static_cast<std::uint8_t>((u + 1) % all.size());
        v.unit = u;
      }
      break;
    case defect::field_channel:
      if (side == portal::national) v.channel = v.channel == 2 ? 1 : 2;
      break;
    case defect::field_payment:
      if (side == portal::national) v.payment = !v.payment;
      break;
    case defect::field_digitized:
      if (side == portal::national) v.digitized = !v.digitized;
      break;
    case defect::field_received:
      if (side == portal::national) v.applied -= 86400;
      break;
    case defect::field_completed:
      if (side == portal::national && v.completed != absent) {
        v.completed += 3600 * (1 + g.below(24));
        if (v.returned != absent) v.returned = std::max(v.returned, v.completed);
      }
      break;
    case defect::missing_steps:
      if (side == portal::national && v.step_count >= 3) {
        for (std::size_t k = 1; k + 1 < v.step_count; ++k) v.steps[k] = v.steps[k + 1];
        --v.step_count;
      }
      break;
    case defect::none:
    case defect::not_pushed:
    case defect::national_only:
    case defect::status_behind:
      break;
  }
  return v;
}

std::string decompose(std::string_view text) {
  UErrorCode status = U_ZERO_ERROR;
  const auto* nfd = icu::Normalizer2::getNFDInstance(status);
  if (U_FAILURE(status)) return std::string(text);
  const auto out = nfd->normalize(
      icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<std::int32_t>(text.size()))), status);
  if (U_FAILURE(status)) return std::string(text);
  std::string result;
  out.toUTF8String(result);
  return result;
}

struct applicant {
  std::string name, phone, email;
};

std::string person(std::uint64_t h) {
  draw g(h);
  std::string name(family_names()[g.below(static_cast<std::uint32_t>(family_names().size()))].text);
  name += ' ';
  name += middle_names()[g.below(static_cast<std::uint32_t>(middle_names().size()))];
  name += ' ';
  name += given_names()[g.below(static_cast<std::uint32_t>(given_names().size()))].text;
  return name;
}

applicant applicant_of(const world& w, std::uint32_t idx, std::uint8_t type) {
  const auto seed = w.config().seed;
  draw g(mix({seed, tag_person, idx}));
  applicant a;
  const auto& fam = family_names()[g.below(static_cast<std::uint32_t>(family_names().size()))];
  const auto mid = middle_names()[g.below(static_cast<std::uint32_t>(middle_names().size()))];
  const auto& giv = given_names()[g.below(static_cast<std::uint32_t>(given_names().size()))];
  if (type == 2) {
    a.name = business_names()[g.below(static_cast<std::uint32_t>(business_names().size()))];
  } else if (type == 3) {
    a.name = organisation_names()[g.below(static_cast<std::uint32_t>(organisation_names().size()))];
  } else {
    a.name = std::string(fam.text) + ' ' + std::string(mid) + ' ' + std::string(giv.text);
  }
  // Contact details change with each edit (version), the name never does.
  draw c(mix({seed, tag_contact, idx, w.state(idx).version}));
  static constexpr std::array<std::string_view, 12> prefixes{"090", "091", "093", "094", "096", "097",
                                                             "098", "086", "032", "035", "077", "083"};
  a.phone = prefixes[c.below(static_cast<std::uint32_t>(prefixes.size()))];
  for (int i = 0; i < 7; ++i) a.phone.push_back(static_cast<char>('0' + c.below(10)));
  if (c.chance(0.7)) {
    if (type == 1 || type == 4) {
      a.email = std::string(giv.ascii) + std::string(fam.ascii) + std::to_string(10 + c.below(90)) + "@gmail.com";
    } else {
      a.email = "lienhe" + std::to_string(100 + c.below(900)) + "@gmail.com";
    }
  }
  return a;
}

struct step_words {
  std::string_view name, position;
};
step_words words_of(step_kind k) {
  switch (k) {
    case step_kind::reception:
      return {"Tiếp nhận hồ sơ", "Công chức tiếp nhận"};
    case step_kind::verify:
      return {"Kiểm tra, xác minh thực tế", "Chuyên viên"};
    case step_kind::appraise:
      return {"Thẩm định hồ sơ", "Chuyên viên"};
    case step_kind::review:
      return {"Trình lãnh đạo phòng xem xét", "Trưởng phòng"};
    case step_kind::sign:
      return {"Phê duyệt, ký kết quả", ""};
    case step_kind::amend:
      return {"Cập nhật kết quả xử lý", "Công chức tiếp nhận"};
  }
  return {"", ""};
}

std::string department_of(step_kind k, const unit_info& u, const procedure_info& p) {
  switch (k) {
    case step_kind::reception:
    case step_kind::amend:
      return std::string(u.desk);
    case step_kind::sign:
      return "Lãnh đạo " + std::string(u.name);
    default:
      return std::string(p.department);
  }
}

std::string handler_of(const world& w, std::uint32_t idx, std::uint8_t unit, step_kind k) {
  // A few officials per unit and role, so the same names recur across dossiers.
  const auto who = mix({w.config().seed, idx, static_cast<std::uint64_t>(k)}) % 3;
  return person(mix({w.config().seed, tag_staff, unit, static_cast<std::uint64_t>(k), who}));
}

void hex(std::string& out, std::uint64_t v, int digits) {
  static constexpr char h[] = "0123456789abcdef";
  for (int i = digits - 1; i >= 0; --i) out.push_back(h[(v >> (i * 4)) & 15]);
}

std::string provincial_id(const world& w, std::uint32_t idx) {
  std::string id;
  hex(id, static_cast<std::uint64_t>(w.unix_of(w.state(idx).applied)), 8);
  hex(id, idx, 16);
  return id;
}

void iso_or_null(json_writer& j, std::int64_t t, bool zulu) {
  if (t == absent) {
    j.null();
    return;
  }
  std::string s;
  append_iso(s, t, zulu);
  j.str(s);
}

std::string national_time(std::int64_t t) {
  std::string s;
  if (t != absent) append_national(s, t);
  return s;
}

}  // namespace

std::string_view provincial_status_code(int national_status) {
  if (national_status < 1 || national_status > 10) return "";
  return statuses[static_cast<std::size_t>(national_status)].code;
}

std::string dossier_code(const world& w, std::uint32_t idx) {
  const auto& s = w.state(idx);
  const auto c = civil_from_unix(w.code_day(idx) * 86400);
  std::string code(units()[s.unit].code);
  char buf[16];
  std::snprintf(buf, sizeof buf, "-%02u%02u%02u-%04u", static_cast<unsigned>(c.year % 100), c.month, c.day,
                static_cast<unsigned>(s.seq));
  return code + buf;
}

void render_provincial(const world& w, std::uint32_t idx, std::string& out) {
  const auto v = view_of(w, idx, portal::provincial);
  const auto t = w.traits_of(idx);
  const auto& s = w.state(idx);
  const auto& u = units()[v.unit];
  const auto& p = procedures()[v.procedure];
  const auto a = applicant_of(w, idx, t.applicant_type);
  const auto code = dossier_code(w, idx);
  const bool nfd = t.nfd_quirk == 2;
  static constexpr std::array<std::string_view, 4> methods{"", "Trực tiếp", "Trực tuyến", "Qua bưu chính công ích"};

  json_writer j(out);
  j.begin_object();
  j.key("id").str(provincial_id(w, idx));
  j.key("code").str(code);
  j.key("nationCode");
  if (s.flags & on_national) {
    j.str(t.code_quirk == 4 ? code + " " : code);
  } else {
    j.null();
  }
  j.key("procedure")
      .begin_object()
      .key("code")
      .str(p.code)
      .key("name")
      .str(nfd ? decompose(p.name) : std::string(p.name))
      .end_object();
  j.key("sector").begin_object().key("code").str(p.sector_code).key("name").str(p.sector_name).end_object();
  j.key("agency").begin_object().key("code").str(u.code).key("name").str(u.name).end_object();
  j.key("applicant").begin_object();
  j.key("fullname").str(nfd ? decompose(a.name) : a.name);
  j.key("type").num(t.applicant_type);
  j.key("phone").str(a.phone);
  j.key("email").str(a.email);
  j.end_object();
  j.key("applyMethod").begin_object().key("id").num(v.channel - 1).key("name").str(methods[v.channel]).end_object();
  const auto& st = statuses[static_cast<std::size_t>(v.status)];
  j.key("status").begin_object().key("code").str(st.code).key("name").str(st.name).end_object();
  j.key("appliedDate");
  iso_or_null(j, v.applied, t.zulu);
  j.key("appointmentDate");
  iso_or_null(j, v.due, t.zulu);
  j.key("completedDate");
  iso_or_null(j, v.completed, t.zulu);
  j.key("returnedDate");
  iso_or_null(j, v.returned, t.zulu);
  j.key("updatedDate");
  iso_or_null(j, v.updated, t.zulu);
  j.key("digitized").boolean(v.digitized);
  j.key("onlinePayment").boolean(v.payment);
  j.key("results").begin_array();
  if (v.results) {
    const auto id = provincial_id(w, idx);
    j.begin_object();
    j.key("code").str("KQ." + code);
    j.key("name").str(p.result);
    j.key("fileUrl").str("https://" + std::string(portal_host) + "/files/ket-qua/" + id + ".pdf");
    j.end_object();
  }
  j.end_array();
  j.key("steps").begin_array();
  for (std::size_t k = 0; k < v.step_count; ++k) {
    const auto& line = v.steps[k];
    const auto words = words_of(line.kind);
    j.begin_object();
    j.key("name").str(words.name);
    j.key("handler").str(handler_of(w, idx, v.unit, line.kind));
    j.key("position").str(line.kind == step_kind::sign ? u.leader : words.position);
    j.key("department").str(department_of(line.kind, u, p));
    j.key("startDate");
    iso_or_null(j, line.start, t.zulu);
    j.key("endDate");
    iso_or_null(j, line.end, t.zulu);
    j.key("dueDate");
    iso_or_null(j, line.due, t.zulu);
    j.end_object();
  }
  j.end_array();
  j.end_object();
}

void render_national(const world& w, std::uint32_t idx, std::string& out) {
  const auto v = view_of(w, idx, portal::national);
  const auto t = w.traits_of(idx);
  const auto& u = units()[v.unit];
  const auto& p = procedures()[v.procedure];
  const auto a = applicant_of(w, idx, t.applicant_type);
  const bool nfd = t.nfd_quirk == 1;
  const bool numeric = t.numeric_quirk != 0;
  std::string code = dossier_code(w, idx);
  switch (t.code_quirk) {
    case 1:
      code.replace(10, 1, "h");
      break;
    case 2:
      code += ' ';
      break;
    case 3:
      code.insert(0, " ");
      break;
    default:
      break;
  }
  const auto number = [&](json_writer& j, int value) {
    if (numeric) {
      j.num(value);
    } else {
      j.str(std::to_string(value));
    }
  };

  json_writer j(out);
  j.begin_object();
  j.key("MaHoSo").str(code);
  j.key("MaTTHC").str(p.code);
  j.key("TenTTHC").str(nfd ? decompose(p.name) : std::string(p.name));
  j.key("MaLinhVuc").str(p.sector_code);
  j.key("TenLinhVuc").str(p.sector_name);
  j.key("DonViXuLy").str(u.code);
  j.key("LoaiDoiTuong");
  number(j, t.applicant_type);
  j.key("ChuHoSo").str(nfd ? decompose(a.name) : a.name);
  j.key("SoDienThoai").str(a.phone);
  j.key("Email").str(a.email);
  const std::string summary = std::string(p.name) + " - " + a.name;
  j.key("TrichYeuHoSo").str(nfd ? decompose(summary) : summary);
  j.key("NgayTiepNhan").str(national_time(v.applied));
  j.key("NgayHenTra").str(national_time(v.due));
  j.key("NgayKetThucXuLy").str(national_time(v.completed));
  j.key("NgayTra").str(national_time(v.returned));
  j.key("NgayCapNhat").str(national_time(v.updated));
  j.key("TrangThaiHoSo");
  number(j, v.status);
  j.key("KenhThucHien");
  number(j, v.channel);
  j.key("HoSoCoThanhPhanSoHoa").str(v.digitized ? "1" : "0");
  j.key("DuocThanhToanTrucTuyen").str(v.payment ? "1" : "2");
  j.key("DanhSachGiayToKetQua").begin_array();
  if (v.results) {
    const auto plain = dossier_code(w, idx);
    j.begin_object();
    j.key("TenGiayTo").str(p.result);
    j.key("MaGiayToKetQua").str("KQ." + plain);
    j.key("DuongDanTepTinKetQua")
        .str("https://" + std::string(portal_host) + "/files/ket-qua/" + provincial_id(w, idx) + ".pdf");
    j.end_object();
  }
  j.end_array();
  j.key("QuaTrinhXuLy").begin_array();
  for (std::size_t k = 0; k < v.step_count; ++k) {
    const auto& line = v.steps[k];
    const auto words = words_of(line.kind);
    j.begin_object();
    j.key("NguoiXuLy").str(handler_of(w, idx, v.unit, line.kind));
    j.key("ChucDanh").str(line.kind == step_kind::sign ? u.leader : words.position);
    j.key("PhongBanXuLy").str(department_of(line.kind, u, p));
    j.key("NoiDungXuLy").str(words.name);
    j.key("TrangThai").str(line.end == absent ? "Đang xử lý" : "Đã xử lý");
    j.key("NgayBatDau").str(national_time(line.start));
    j.key("ThoiDiemXuLy").str(national_time(line.end));
    j.key("NgayKetThucTheoQuyDinh").str(national_time(line.due));
    j.end_object();
  }
  j.end_array();
  j.end_object();
}

}  // namespace dvc::sim
