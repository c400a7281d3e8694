#pragma once
// A consistent pair of wire records (the same finished dossier on both portals) that cases mutate, and a runner
// that parses, matches and evaluates them, returning the exact set of "kind/reason" raised.
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>

#include "reconcile/finding.hpp"
#include "reconcile/status.hpp"
#include "reconcile/wire.hpp"

namespace dvc::test {

using json = nlohmann::json;

inline json provincial_base() {
  return json::parse(R"({
    "id": "88001", "code": "000.00.12.H10-240715-0001", "nationCode": "000.00.12.H10-240715-0001",
    "procedure": {"code": "1.003560", "name": "Cấp đổi giấy phép lái xe"},
    "sector": {"code": "G09", "name": "Đường bộ"},
    "agency": {"code": "000.00.12.H10", "name": "Sở Giao thông vận tải"},
    "applicant": {"fullname": "Nguyễn Văn An", "type": 1, "phone": "0912345678", "email": "an@example.vn"},
    "applyMethod": {"id": 1}, "status": {"code": "RETURNED", "name": "Đã trả kết quả"},
    "appliedDate": "2024-07-15T08:00:00+07:00", "appointmentDate": "2024-07-20T17:00:00+07:00",
    "completedDate": "2024-07-18T10:00:00+07:00", "returnedDate": "2024-07-18T10:30:00+07:00",
    "updatedDate": "2024-07-18T11:00:00+07:00", "digitized": true, "onlinePayment": false,
    "results": [{"code": "KQ-1", "name": "Giấy phép lái xe", "fileUrl": "https://x/kq1.pdf"}],
    "steps": [
      {"name": "Tiếp nhận", "handler": "Trần B", "position": "Chuyên viên", "department": "Một cửa",
       "startDate": "2024-07-15T08:00:00+07:00", "endDate": "2024-07-16T09:00:00+07:00", "dueDate": "2024-07-16T17:00:00+07:00"},
      {"name": "Phê duyệt", "handler": "Lê C", "position": "Phó Giám đốc", "department": "Lãnh đạo",
       "startDate": "2024-07-16T09:00:00+07:00", "endDate": "2024-07-18T10:00:00+07:00", "dueDate": "2024-07-19T17:00:00+07:00"}]
  })");
}

inline json national_base() {
  return json::parse(R"({
    "MaHoSo": "000.00.12.H10-240715-0001", "MaTTHC": "1.003560", "TenTTHC": "Cấp đổi giấy phép lái xe",
    "MaLinhVuc": "G09", "TenLinhVuc": "Đường bộ", "DonViXuLy": "000.00.12.H10", "LoaiDoiTuong": "1",
    "ChuHoSo": "Nguyễn Văn An", "SoDienThoai": "0912345678", "Email": "an@example.vn", "TrichYeuHoSo": "",
    "NgayTiepNhan": "20240715080000", "NgayHenTra": "20240720170000", "NgayKetThucXuLy": "20240718100000",
    "NgayTra": "20240718103000", "NgayCapNhat": "20240718110000", "TrangThaiHoSo": "10", "KenhThucHien": "2",
    "HoSoCoThanhPhanSoHoa": "1", "DuocThanhToanTrucTuyen": "3",
    "DanhSachGiayToKetQua": [{"TenGiayTo": "Giấy phép lái xe", "MaGiayToKetQua": "KQ-1", "DuongDanTepTinKetQua": "https://x/kq1.pdf"}],
    "QuaTrinhXuLy": [
      {"NguoiXuLy": "Trần B", "ChucDanh": "Chuyên viên", "PhongBanXuLy": "Một cửa", "NoiDungXuLy": "Tiếp nhận",
       "TrangThai": "1", "NgayBatDau": "20240715080000", "ThoiDiemXuLy": "20240716090000", "NgayKetThucTheoQuyDinh": "20240716170000"},
      {"NguoiXuLy": "Lê C", "ChucDanh": "Phó Giám đốc", "PhongBanXuLy": "Lãnh đạo", "NoiDungXuLy": "Phê duyệt",
       "TrangThai": "1", "NgayBatDau": "20240716090000", "ThoiDiemXuLy": "20240718100000", "NgayKetThucTheoQuyDinh": "20240719170000"}]
  })");
}

// T for the cases: after the base records' update plus the default grace, before their due date.
inline instant case_as_of() { return *parse_iso_time("2024-07-19T12:00:00+07:00"); }

struct outcome {
  bool pending = false;
  std::set<std::string> raised;  // "kind/reason"
  std::vector<std::string> warnings;
};

inline outcome run_case(const std::optional<json>& provincial, const std::optional<json>& national,
                        instant as_of = case_as_of(), std::int64_t grace = 1800, const status_map& map = {}) {
  outcome out;
  std::optional<dossier_facts> p, n;
  if (provincial) {
    auto parsed = parse_provincial(*provincial, map);
    p = facts_of(parsed.value);
    out.warnings.insert(out.warnings.end(), parsed.warnings.begin(), parsed.warnings.end());
  }
  if (national) {
    auto parsed = parse_national(*national);
    n = facts_of(parsed.value);
    out.warnings.insert(out.warnings.end(), parsed.warnings.begin(), parsed.warnings.end());
  }
  // Matching is by key: records whose keys differ are two unmatched dossiers.
  const auto eval_one = [&](const dossier_facts* a, const dossier_facts* b) {
    const auto ev = evaluate(a, b, {as_of, grace});
    out.pending = out.pending || ev.pending;
    for (const auto& f : ev.findings) out.raised.insert(std::string(kind_name(f.kind)) + "/" + f.reason);
  };
  if (p && n && p->key != n->key) {
    eval_one(&*p, nullptr);
    eval_one(nullptr, &*n);
  } else {
    eval_one(p ? &*p : nullptr, n ? &*n : nullptr);
  }
  return out;
}

}  // namespace dvc::test
