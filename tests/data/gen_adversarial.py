#!/usr/bin/env python3
"""Data sets for checking a reconciler against docs/wire-formats.md and docs/rules.md.

Two modes:
  gen_adversarial.py --out DIR
      The hand-written adversarial set: for every (kind, reason) of docs/rules.md a positive case and near-miss
      negatives, plus malformed lines. Writes provincial.jsonl, national.jsonl, provincial.json (the
      same provincial records as a JSON array), params.json and cases.jsonl (each case's key, what
      it tests and the findings expected for it, written by hand). tests/data/adversarial/ holds
      the committed output; expected_findings.jsonl there is reference.py's output, which
      tests/e2e/oracle/selftest.py checks against the hand-written expectations.
  gen_adversarial.py --random N --seed S --out DIR
      A large realistic set of about N dossiers per side with a realistic mix of discrepancies,
      streamed to JSONL (1M per side in a few minutes, constant memory), plus params.json.
"""
import argparse
import calendar
import json
import os
import random
import sys
import time
import unicodedata

VN = 7 * 3600
AS_OF = "2024-07-25T10:00:00+07:00"
GRACE = 1800
UNITS = ["000.00.12.H10", "000.00.13.H10", "000.00.21.H10"]
UNIT_NAMES = {"000.00.12.H10": "Sở Giao thông vận tải", "000.00.13.H10": "Sở Tư pháp",
              "000.00.21.H10": "Sở Kế hoạch và Đầu tư"}
STATUS_NAMES = {"NEW": "Mới", "RECEIVED": "Đã tiếp nhận", "NOT_ACCEPTED": "Không tiếp nhận",
                "PROCESSING": "Đang xử lý", "SUPPLEMENT_REQUESTED": "Yêu cầu bổ sung",
                "FINANCIAL_OBLIGATION": "Thực hiện nghĩa vụ tài chính", "WITHDRAWN": "Rút hồ sơ",
                "SUSPENDED": "Dừng xử lý", "COMPLETED": "Đã xử lý xong", "RETURNED": "Đã trả kết quả"}
NATIONAL_OF = {"NEW": 1, "RECEIVED": 2, "NOT_ACCEPTED": 3, "PROCESSING": 4, "SUPPLEMENT_REQUESTED": 5,
               "FINANCIAL_OBLIGATION": 6, "WITHDRAWN": 7, "SUSPENDED": 8, "COMPLETED": 9, "RETURNED": 10}
PROCEDURES = [("1.003560", "Cấp giấy phép lái xe", "G13", "Đường bộ"),
              ("1.001766", "Cấp phiếu lý lịch tư pháp", "G07", "Lý lịch tư pháp"),
              ("2.001610", "Đăng ký thành lập doanh nghiệp", "G21", "Thành lập doanh nghiệp")]
NAMES = ["Nguyễn Văn An", "Trần Thị Bích Ngọc", "Lê Hoàng Phúc", "Phạm Thị Hương", "Đặng Quốc Việt",
         "Hoàng Minh Đức", "Võ Thị Thu Trang", "Bùi Xuân Trường"]


def local_epoch(y, mo, d, h=0, mi=0, s=0):
    """Epoch seconds of a Vietnam wall-clock time."""
    return calendar.timegm((y, mo, d, h, mi, s, 0, 0, 0)) - VN


def iso_vn(epoch):
    return time.strftime("%Y-%m-%dT%H:%M:%S+07:00", time.gmtime(epoch + VN))


def iso_z(epoch, fraction=""):
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(epoch)) + fraction + "Z"


def iso_offset(epoch, hours):
    sign = "+" if hours >= 0 else "-"
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(epoch + hours * 3600)) + \
        f"{sign}{abs(hours):02d}:00"


def nat(epoch):
    return "" if epoch is None else time.strftime("%Y%m%d%H%M%S", time.gmtime(epoch + VN))


# ---- rendering one dossier on both sides ---------------------------------------------------------

class Dossier:
    """What is true about a dossier; render() writes both sides from it, cases then edit the dicts."""

    def __init__(self, key, unit, done=False, status=None, tz="vn"):
        self.key = key
        self.unit = unit
        self.status = status or ("COMPLETED" if done else "PROCESSING")
        self.tz = tz
        self.received = local_epoch(2024, 7, 15, 8, 0, 0)
        self.due = local_epoch(2024, 7, 30, 17, 0, 0)
        self.updated = local_epoch(2024, 7, 23, 10, 0, 0)
        done = NATIONAL_OF.get(self.status) in (9, 10)
        self.completed = local_epoch(2024, 7, 22, 16, 0, 0) if done else None
        self.steps = [(self.received, local_epoch(2024, 7, 16, 8)),
                      (local_epoch(2024, 7, 16, 8), local_epoch(2024, 7, 18, 10)),
                      (local_epoch(2024, 7, 18, 10), self.completed)]
        self.results = 1 if done else 0
        self.procedure = PROCEDURES[0]
        self.method = 1            # provincial applyMethod.id: online
        self.digitized = True
        self.payment = False
        self.name = NAMES[0]

    def ptime(self, epoch):
        if epoch is None:
            return None
        if self.tz == "z":
            return iso_z(epoch)
        return iso_vn(epoch)

    def provincial(self, seq):
        t = self.ptime
        return {
            "id": seq, "code": self.key, "nationCode": self.key,
            "procedure": {"code": self.procedure[0], "name": self.procedure[1]},
            "sector": {"code": self.procedure[2], "name": self.procedure[3]},
            "agency": {"code": self.unit, "name": UNIT_NAMES.get(self.unit, "")},
            "applicant": {"fullname": self.name, "type": 1, "phone": "0912345678",
                          "email": "nguoidan@example.vn"},
            "applyMethod": {"id": self.method},
            "status": {"code": self.status, "name": STATUS_NAMES.get(self.status, "")},
            "appliedDate": t(self.received), "appointmentDate": t(self.due),
            "completedDate": t(self.completed), "returnedDate": None,
            "updatedDate": t(self.updated),
            "digitized": self.digitized, "onlinePayment": self.payment,
            "results": [{"code": f"KQ-{seq}-{i}", "name": "Quyết định",
                         "fileUrl": f"https://dvc.example.vn/kq/{seq}/{i}.pdf"}
                        for i in range(self.results)],
            "steps": [{"name": f"Bước {i + 1}", "handler": NAMES[i % len(NAMES)],
                       "position": "Chuyên viên", "department": "Bộ phận một cửa",
                       "startDate": t(start), "endDate": t(end), "dueDate": t(self.due)}
                      for i, (start, end) in enumerate(self.steps)],
        }

    def national(self):
        national_status = NATIONAL_OF.get(self.status, 4)
        return {
            "MaHoSo": self.key, "MaTTHC": self.procedure[0], "TenTTHC": self.procedure[1],
            "MaLinhVuc": self.procedure[2], "TenLinhVuc": self.procedure[3],
            "DonViXuLy": self.unit, "LoaiDoiTuong": "1", "ChuHoSo": self.name,
            "SoDienThoai": "0912345678", "Email": "nguoidan@example.vn",
            "TrichYeuHoSo": f"Hồ sơ {self.procedure[1]}",
            "NgayTiepNhan": nat(self.received), "NgayHenTra": nat(self.due),
            "NgayKetThucXuLy": nat(self.completed), "NgayTra": "",
            "NgayCapNhat": nat(self.updated), "TrangThaiHoSo": str(national_status),
            "KenhThucHien": str(self.method + 1),
            "HoSoCoThanhPhanSoHoa": "1" if self.digitized else "0",
            "DuocThanhToanTrucTuyen": "1" if self.payment else "3",
            "DanhSachGiayToKetQua": [{"TenGiayTo": "Quyết định", "MaGiayToKetQua": f"KQ-{i}",
                                      "DuongDanTepTinKetQua": f"https://dvcqg.example.vn/{i}.pdf"}
                                     for i in range(self.results)],
            "QuaTrinhXuLy": [{"NguoiXuLy": NAMES[i % len(NAMES)], "ChucDanh": "Chuyên viên",
                              "PhongBanXuLy": "Bộ phận một cửa", "NoiDungXuLy": f"Bước {i + 1}",
                              "TrangThai": "1", "NgayBatDau": nat(start),
                              "ThoiDiemXuLy": nat(end), "NgayKetThucTheoQuyDinh": nat(self.due)}
                             for i, (start, end) in enumerate(self.steps)],
        }


# ---- the hand-written cases --------------------------------------------------------------------

AS_OF_EPOCH = local_epoch(2024, 7, 25, 10, 0, 0)
CUTOFF = AS_OF_EPOCH - GRACE     # "later than T - G" is strict: CUTOFF itself is not pending


class Builder:
    def __init__(self):
        self.provincial = []      # JSON lines (already serialised, so malformed ones fit)
        self.national = []
        self.cases = []
        self.units = {}           # key -> unit code of the case
        self.seq = 0

    def key(self, unit):
        self.seq += 1
        return f"{unit}-2407{15 + self.seq % 10:02d}-{self.seq:04d}"

    def case(self, what, expect, prov=None, nat=None, both=True, done=False, status=None,
             tz="vn", unit=None, key=None, edit=None, n_copies=1, p_copies=1):
        """One dossier. `edit(p, n, d)` changes the rendered dicts (p/n are None when absent).
        `expect` is the hand-checked list of findings: (kind, reason) or (kind, reason, fields)."""
        unit = unit or UNITS[self.seq % len(UNITS)]
        key = key or self.key(unit)
        d = Dossier(key, unit, done=done, status=status, tz=tz)
        self.units[key] = unit
        p = d.provincial(self.seq) if prov is not False else None
        n = d.national() if nat is not False else None
        if edit:
            edit(p, n, d)
        for _ in range(p_copies if p is not None else 0):
            self.provincial.append(json.dumps(p, ensure_ascii=False))
        for _ in range(n_copies if n is not None else 0):
            self.national.append(json.dumps(n, ensure_ascii=False))
        self.cases.append({"key": key.strip().upper(), "what": what,
                           "expect": [list(e[:2]) + ([e[2]] if len(e) > 2 else []) for e in expect]})
        return key


def build_cases():
    b = Builder()
    c = b.case

    def fields(*names):
        return ("field_mismatch", "differs", list(names))

    def set_all(side_dicts):
        def edit(p, n, d):
            for target, values in side_dicts:
                obj = p if target == "p" else n
                obj.update(values)
        return edit

    # -- normalisation: all of these are in sync (near misses for every comparison) -------------
    c("in sync, processing, provincial +07:00", [])
    c("in sync, completed, provincial times in Z", [], done=True, tz="z")

    def fractional(p, n, d):
        p["appliedDate"] = iso_z(d.received, ".999")
        p["completedDate"] = iso_z(d.completed, ".5")
        p["appointmentDate"] = iso_z(d.due, ".000001")
        p["steps"][-1]["endDate"] = iso_z(d.completed, ".999999999")
    c("in sync, returned, Z times with fractional seconds (truncated, not rounded)", [],
      status="RETURNED", edit=fractional)

    def other_offsets(p, n, d):
        p["appliedDate"] = iso_offset(d.received, 9)
        p["appointmentDate"] = iso_offset(d.due, -5)
        p["completedDate"] = iso_offset(d.completed, 0)
        p["updatedDate"] = iso_offset(d.updated, 14)
    c("in sync, provincial times at +09:00, -05:00, +00:00, +14:00", [], done=True, edit=other_offsets)

    def messy_codes(p, n, d):
        p["code"] = "  " + d.key.lower() + " "
        p["nationCode"] = None
        p["agency"]["code"] = d.unit.lower() + "\t"
        p["status"]["code"] = " completed"
        p["procedure"]["code"] = " 1.003560 "
        n["MaHoSo"] = d.key + "  "
        n["DonViXuLy"] = " " + d.unit
        n["MaTTHC"] = "1.003560\t"
    c("in sync, codes with stray spaces and lower case on both sides", [], done=True, edit=messy_codes)

    def numbers(p, n, d):
        n["TrangThaiHoSo"] = 9
        n["KenhThucHien"] = 2
        n["NgayHenTra"] = int(nat(d.due))
        n["NgayTiepNhan"] = int(nat(d.received))
        n["HoSoCoThanhPhanSoHoa"] = 1
        n["DuocThanhToanTrucTuyen"] = 3
        n["QuaTrinhXuLy"][0]["ThoiDiemXuLy"] = int(nat(d.steps[0][1]))
    c("in sync, national numbers where strings are expected", [], done=True, edit=numbers)

    def extra_fields(p, n, d):
        n["error_code"] = "0"
        n["TruongMoi"] = {"a": [1, 2]}
        p["extraField"] = [None, True]
    c("in sync, unknown fields (a stray error_code) ignored", [], edit=extra_fields)

    def nfd_names(p, n, d):
        p["applicant"]["fullname"] = unicodedata.normalize("NFD", "Nguyễn Thị Ánh Tuyết")
        n["ChuHoSo"] = unicodedata.normalize("NFC", "Nguyễn Thị Ánh Tuyết")
        n["TenTTHC"] = "Tên thủ tục khác hẳn"
    c("in sync, NFD vs NFC and different names (no rule compares names)", [], edit=nfd_names)

    filed_code = UNITS[0] + "-240718-8888"
    c("in sync, nationCode differs from code and is the key", [],
      edit=lambda p, n, d: p.update({"code": filed_code}))
    c("national record filed under the provincial `code`, not its nationCode",
      [("missing_on_provincial", "unknown_code")], prov=False, key=filed_code)
    c("in sync, nationCode empty string: code is the key", [],
      edit=set_all([("p", {"nationCode": ""})]))
    c("in sync, nationCode blank: code is the key", [],
      edit=set_all([("p", {"nationCode": "   "})]))

    def nation_code_missing(p, n, d):
        del p["nationCode"]
    c("in sync, nationCode missing: code is the key", [], edit=nation_code_missing)

    # -- missing_on_national ------------------------------------------------------------------
    c("provincial only, processing", [("missing_on_national", "not_pushed")], nat=False)
    c("provincial only, NEW: not expected on national", [], nat=False, status="NEW")
    c("NEW matched with national 1: compared, in sync", [], status="NEW")

    def new_vs_2(p, n, d):
        n["TrangThaiHoSo"] = "2"
    c("NEW matched with national 2", [("status_mismatch", "differs")], status="NEW", edit=new_vs_2)
    c("provincial only, updated 1 s after T-G: pending", [], nat=False,
      edit=set_all([("p", {"updatedDate": iso_vn(CUTOFF + 1)})]))
    c("provincial only, updated exactly T-G: not pending", [("missing_on_national", "not_pushed")],
      nat=False, edit=set_all([("p", {"updatedDate": iso_vn(CUTOFF)})]))
    c("provincial only, updated exactly T-G written in Z", [("missing_on_national", "not_pushed")],
      nat=False, edit=set_all([("p", {"updatedDate": iso_z(CUTOFF)})]))
    c("provincial only, updated T-G+1 s written in Z: pending", [], nat=False,
      edit=set_all([("p", {"updatedDate": iso_z(CUTOFF + 1)})]))

    # -- missing_on_provincial ----------------------------------------------------------------
    c("national only, processing", [("missing_on_provincial", "unknown_code")], prov=False)
    c("national only, updated 1 s after T-G: pending", [], prov=False,
      edit=set_all([("n", {"NgayCapNhat": nat(CUTOFF + 1)})]))
    c("national only, updated exactly T-G", [("missing_on_provincial", "unknown_code")], prov=False,
      edit=set_all([("n", {"NgayCapNhat": nat(CUTOFF)})]))
    c("national only, done without result document",
      [("missing_on_provincial", "unknown_code"), ("falsely_closed", "no_result_document")],
      prov=False, done=True, edit=set_all([("n", {"DanhSachGiayToKetQua": []})]))

    # -- pending on either side, matched ------------------------------------------------------
    def wrecked(p, n, d):
        n["TrangThaiHoSo"] = "9"
        n["MaTTHC"] = "9.999999"
        n["NgayHenTra"] = nat(d.due + 86400)
    c("wrecked pair, national updated T-G+1 s: pending", [],
      edit=lambda p, n, d: (wrecked(p, n, d), n.update({"NgayCapNhat": nat(CUTOFF + 1)})))
    c("wrecked pair, provincial updated T-G+1 s in Z: pending", [],
      edit=lambda p, n, d: (wrecked(p, n, d), p.update({"updatedDate": iso_z(CUTOFF + 1)})))

    def status_two(p, n, d):
        n["TrangThaiHoSo"] = "2"
    c("status differs, both updated exactly T-G: evaluated", [("status_mismatch", "differs")],
      edit=lambda p, n, d: (status_two(p, n, d), p.update({"updatedDate": iso_vn(CUTOFF)}),
                            n.update({"NgayCapNhat": nat(CUTOFF)})))
    c("status differs, provincial updated T-G+0.5 s (truncates to T-G): evaluated",
      [("status_mismatch", "differs")],
      edit=lambda p, n, d: (status_two(p, n, d), p.update({"updatedDate": iso_z(CUTOFF, ".5")})))

    # -- falsely_closed -----------------------------------------------------------------------
    def national_done(p, n, d):
        done = Dossier(d.key, d.unit, done=True)
        n.update(done.national())
    c("national done, provincial processing",
      [("falsely_closed", "closed_on_national_only"), fields("completion_time")],
      edit=national_done)

    def national_done_no_result(p, n, d):
        national_done(p, n, d)
        n["DanhSachGiayToKetQua"] = []
    c("national done without result, provincial processing: closed_on_national_only comes first",
      [("falsely_closed", "closed_on_national_only"), fields("completion_time")],
      edit=national_done_no_result)
    c("both done, provincial results empty", [("falsely_closed", "no_result_document")], done=True,
      edit=set_all([("p", {"results": []})]))

    def no_results_key(p, n, d):
        del p["results"]
    c("both done, provincial results missing", [("falsely_closed", "no_result_document")], done=True,
      edit=no_results_key)
    c("both done, national result list empty", [("falsely_closed", "no_result_document")], done=True,
      edit=set_all([("n", {"DanhSachGiayToKetQua": []})]))

    def no_national_results(p, n, d):
        del n["DanhSachGiayToKetQua"]
    c("both done, national result list missing", [("falsely_closed", "no_result_document")],
      done=True, edit=no_national_results)

    def prov_open_step(p, n, d):
        p["steps"].append({"name": "Bước thêm", "startDate": iso_vn(d.completed), "endDate": None})
    c("both done, provincial has an open step", [("falsely_closed", "steps_after_completion")],
      done=True, edit=prov_open_step)

    def nat_open_step(p, n, d):
        n["QuaTrinhXuLy"][-1]["ThoiDiemXuLy"] = ""
    c("both done, national last step open (\"\")",
      [("falsely_closed", "steps_after_completion"), ("progress_not_synced", "missing_steps")],
      done=True, edit=nat_open_step)

    def prov_step_late(p, n, d):
        p["steps"][-1]["endDate"] = iso_vn(d.completed + 1)
    c("both done, provincial step ends 1 s after completion",
      [("falsely_closed", "steps_after_completion")], done=True, edit=prov_step_late)

    def nat_step_late(p, n, d):
        n["QuaTrinhXuLy"][1]["ThoiDiemXuLy"] = nat(d.completed + 1)
    c("both done, national step ends 1 s after completion",
      [("falsely_closed", "steps_after_completion")], done=True, edit=nat_step_late)
    c("both done, steps end exactly at completion (Z vs national local)", [], done=True, tz="z")

    def before_receipt(p, n, d):
        d2 = Dossier(d.key, d.unit, done=True)
        d2.completed = d2.received - 1
        d2.steps = []
        p.update(d2.provincial(0))
        n.update(d2.national())
    c("both done, completed 1 s before receipt, no steps",
      [("falsely_closed", "completed_before_receipt")], edit=before_receipt)

    def at_receipt(p, n, d):
        d2 = Dossier(d.key, d.unit, done=True)
        d2.completed = d2.received
        d2.steps = []
        p.update(d2.provincial(0))
        n.update(d2.national())
    c("both done, completed exactly at receipt", [], edit=at_receipt)

    def prov_before_receipt_not_done(p, n, d):
        p["completedDate"] = iso_vn(d.received - 3600)
    c("processing, provincial completedDate before appliedDate (no done condition)",
      [("falsely_closed", "completed_before_receipt"), fields("completion_time")],
      edit=prov_before_receipt_not_done)

    def results_and_open(p, n, d):
        p["results"] = []
        p["steps"][-1]["endDate"] = None
    c("both done, provincial no result and open step: no_result_document comes first",
      [("falsely_closed", "no_result_document")], done=True, edit=results_and_open)
    c("provincial only, done with open step",
      [("missing_on_national", "not_pushed"), ("falsely_closed", "steps_after_completion")],
      nat=False, done=True, edit=lambda p, n, d: p["steps"].append({"endDate": None}))

    # -- status_mismatch ----------------------------------------------------------------------
    def national_behind(p, n, d):
        behind = Dossier(d.key, d.unit)
        n.update(behind.national())
    c("provincial completed, national still processing",
      [("status_mismatch", "national_behind"), fields("completion_time"),
       ("progress_not_synced", "missing_steps")], done=True, edit=national_behind)
    c("provincial returned, national 9", [("status_mismatch", "national_behind")],
      status="RETURNED", edit=set_all([("n", {"TrangThaiHoSo": "9"})]))
    c("provincial received, national 4", [("status_mismatch", "differs")], status="RECEIVED",
      edit=set_all([("n", {"TrangThaiHoSo": "4"})]))
    c("provincial SUSPENDED, national 8: in sync", [], status="SUSPENDED")
    c("provincial FINANCIAL_OBLIGATION, national 6: in sync", [], status="FINANCIAL_OBLIGATION")
    c("unknown provincial status matched with national 4: never guessed", [],
      status="DANG_XU_LY", edit=set_all([("n", {"TrangThaiHoSo": "4"})]))
    c("unknown provincial status, provincial only: still not on national",
      [("missing_on_national", "not_pushed")], status="DANG_XU_LY", nat=False)
    c("unknown national status 11 matched with processing", [],
      edit=set_all([("n", {"TrangThaiHoSo": "11"})]))
    c("national status ' 4 ' with spaces: in sync", [],
      edit=set_all([("n", {"TrangThaiHoSo": " 4 "})]))
    c("unknown national status 99 without results: done-ness unknown", [], done=True,
      edit=set_all([("n", {"TrangThaiHoSo": "99", "DanhSachGiayToKetQua": []}),
                    ("p", {"status": {"code": "COMPLETED"}})]))

    # -- deadline_mismatch --------------------------------------------------------------------
    c("due dates 1 s apart", [("deadline_mismatch", "differs")],
      edit=lambda p, n, d: n.update({"NgayHenTra": nat(d.due + 1)}))
    c("same due instant: provincial Z, national local", [], tz="z")
    c("national NgayHenTra empty, provincial set", [("deadline_mismatch", "differs")],
      edit=set_all([("n", {"NgayHenTra": ""})]))
    c("due absent on both sides (null vs \"\")", [],
      edit=set_all([("n", {"NgayHenTra": ""}), ("p", {"appointmentDate": None})]))

    def no_appointment(p, n, d):
        del p["appointmentDate"]
    c("provincial appointmentDate missing, national set", [("deadline_mismatch", "differs")],
      edit=no_appointment)

    # -- overdue_hidden -----------------------------------------------------------------------
    def due_moved(p, n, d):
        p["appointmentDate"] = iso_vn(AS_OF_EPOCH - 3600)
        n["NgayHenTra"] = nat(AS_OF_EPOCH + 86400)
    c("processing, provincial due passed, national due moved later",
      [("deadline_mismatch", "differs"), ("overdue_hidden", "on_time_on_national")], edit=due_moved)
    c("processing, due exactly at T on both sides: not overdue", [],
      edit=lambda p, n, d: (p.update({"appointmentDate": iso_z(AS_OF_EPOCH)}),
                            n.update({"NgayHenTra": nat(AS_OF_EPOCH)})))
    c("processing, due T-1 s on both sides: overdue on both, nothing hidden", [],
      edit=lambda p, n, d: (p.update({"appointmentDate": iso_vn(AS_OF_EPOCH - 1)}),
                            n.update({"NgayHenTra": nat(AS_OF_EPOCH - 1)})))
    c("done, completion exactly at due on both sides", [], done=True,
      edit=lambda p, n, d: (p.update({"appointmentDate": iso_vn(d.completed)}),
                            n.update({"NgayHenTra": nat(d.completed)})))

    def late_vs_on_time(p, n, d):
        p["appointmentDate"] = iso_vn(d.completed - 1)
        n["NgayHenTra"] = nat(d.completed - 1)
        n["NgayKetThucXuLy"] = nat(d.completed - 1)
        n["QuaTrinhXuLy"][-1]["ThoiDiemXuLy"] = nat(d.completed - 1)
    c("done, provincial completed 1 s after due, national completed at due",
      [("overdue_hidden", "on_time_on_national"), fields("completion_time")], done=True,
      edit=late_vs_on_time)

    def deadline_extended(p, n, d):
        p["appointmentDate"] = iso_vn(d.completed - 86400)
        n["NgayHenTra"] = nat(d.completed + 86400)
    c("done late, national due extended past completion",
      [("deadline_mismatch", "differs"), ("overdue_hidden", "on_time_on_national")], done=True,
      edit=deadline_extended)
    c("done late on both sides alike: nothing hidden", [], done=True,
      edit=lambda p, n, d: (p.update({"appointmentDate": iso_vn(d.completed - 60)}),
                            n.update({"NgayHenTra": nat(d.completed - 60)})))

    def closed_and_hidden(p, n, d):
        national_done(p, n, d)
        p["appointmentDate"] = iso_vn(AS_OF_EPOCH - 86400)
        n["NgayHenTra"] = nat(AS_OF_EPOCH - 86400)
    c("provincial overdue processing, national done on time",
      [("falsely_closed", "closed_on_national_only"), ("overdue_hidden", "on_time_on_national"),
       fields("completion_time")], edit=closed_and_hidden)

    # -- field_mismatch -----------------------------------------------------------------------
    c("procedure code differs", [fields("procedure_code")],
      edit=set_all([("n", {"MaTTHC": "1.003561"})]))
    c("unit code differs", [fields("unit_code")],
      edit=set_all([("n", {"DonViXuLy": "000.00.99.H10"})]))
    c("channel: online (id 1) vs national in person (1)", [fields("channel")],
      edit=set_all([("n", {"KenhThucHien": "1"})]))
    c("online payment true vs national 3", [fields("online_payment")],
      edit=set_all([("p", {"onlinePayment": True})]))
    c("online payment true vs national 2 (a provincial gateway): in sync", [],
      edit=set_all([("p", {"onlinePayment": True}), ("n", {"DuocThanhToanTrucTuyen": "2"})]))
    c("online payment false vs national 0", [],
      edit=set_all([("n", {"DuocThanhToanTrucTuyen": "0"})]))
    c("procedure code with the agency appended on national: the same procedure", [],
      edit=lambda p, n, d: n.update({"MaTTHC": n["MaTTHC"] + ".000.00.00.H10"}))
    c("digitized false vs national 1", [fields("digitized")],
      edit=set_all([("p", {"digitized": False})]))
    c("receipt time 1 s apart", [fields("receipt_time")],
      edit=lambda p, n, d: n.update({"NgayTiepNhan": nat(d.received + 1)}))
    c("completion time 1 h apart, both done", [fields("completion_time")], done=True,
      edit=lambda p, n, d: p.update({"completedDate": iso_vn(d.completed + 3600)}))
    c("procedure, channel and receipt time differ",
      [fields("procedure_code", "channel", "receipt_time")],
      edit=lambda p, n, d: (n.update({"MaTTHC": "2.000001", "KenhThucHien": "3",
                                      "NgayTiepNhan": nat(d.received - 60)})))
    c("online payment null vs \"\", digitized missing vs \"\": absent on both sides", [],
      edit=lambda p, n, d: (p.update({"onlinePayment": None}), p.pop("digitized"),
                            n.update({"DuocThanhToanTrucTuyen": "", "HoSoCoThanhPhanSoHoa": ""})))
    c("online payment null vs national 3: unknown, not compared", [],
      edit=set_all([("p", {"onlinePayment": None})]))
    c("applyMethod missing vs national channel 2", [fields("channel")],
      edit=lambda p, n, d: p.pop("applyMethod"))
    c("provincial completedDate missing, national set (both done)", [fields("completion_time")],
      done=True, edit=lambda p, n, d: p.pop("completedDate"))

    # -- progress_not_synced ------------------------------------------------------------------
    def national_step_open(p, n, d):
        p["steps"][-1]["endDate"] = iso_vn(d.updated - 60)
    c("provincial 3 ended steps, national 2 ended + 1 open",
      [("progress_not_synced", "missing_steps")], edit=national_step_open)

    def national_more(p, n, d):
        n["QuaTrinhXuLy"][-1]["ThoiDiemXuLy"] = nat(d.updated - 60)
    c("national has more ended steps than provincial: fine", [], edit=national_more)
    c("national QuaTrinhXuLy missing, provincial 2 ended", [("progress_not_synced", "missing_steps")],
      edit=lambda p, n, d: n.pop("QuaTrinhXuLy"))

    # -- duplicate keys: the record updated last stands, stale copies are not evaluated ---------
    def copy(key, side, minutes, status="PROCESSING", edit=None, read_first=False):
        """Another record with an existing key, updated `minutes` after the case's own one."""
        d = Dossier(key, b.units[key], status=status)
        d.updated += minutes * 60
        record = d.provincial(b.seq) if side == "p" else d.national()
        if edit:
            edit(record)
        lines = b.provincial if side == "p" else b.national
        line = json.dumps(record, ensure_ascii=False)
        if read_first:
            lines.insert(len(lines) - 1, line)
        else:
            lines.append(line)

    def messy_code(record):
        record["code"] = " " + record["code"].lower()
        record["nationCode"] = None
    key = c("duplicate provincial key: the copy read last, updated later, is RECEIVED",
            [("status_mismatch", "differs")])
    copy(key, "p", 1, status="RECEIVED", edit=messy_code)
    key = c("duplicate provincial key: the copy read first was updated later and is in sync", [],
            edit=lambda p, n, d: p.update({"status": {"code": "RECEIVED"}}))
    copy(key, "p", 1, read_first=True)
    key = c("duplicate provincial key, equal update times: the one read last (RECEIVED) stands",
            [("status_mismatch", "differs")])
    copy(key, "p", 0, status="RECEIVED")
    key = c("duplicate provincial key: a stale copy, done without result, is not evaluated", [])
    copy(key, "p", -60, status="COMPLETED", edit=lambda r: r.update({"results": []}))
    key = c("duplicate national key: a stale copy says done, the latest says processing", [])
    copy(key, "n", -60, status="COMPLETED")
    key = c("duplicate provincial key without updatedDate loses to the one that has it", [])
    copy(key, "p", 0, status="RECEIVED", edit=lambda r: r.pop("updatedDate"))
    key = c("duplicate provincial key, unmatched: the latest is NEW", [], nat=False, status="NEW")
    copy(key, "p", -60)
    key = c("duplicate provincial key, unmatched: the latest is PROCESSING, a stale copy NEW",
            [("missing_on_national", "not_pushed")], nat=False, status="NEW")
    copy(key, "p", 60)
    c("duplicate national key, national only: one finding",
      [("missing_on_provincial", "unknown_code")], prov=False, n_copies=2)
    c("duplicate provincial key, identical records, in sync", [], p_copies=2)

    # -- single-side rules on unmatched records -----------------------------------------------
    c("national only, completed before receipt while processing",
      [("missing_on_provincial", "unknown_code"), ("falsely_closed", "completed_before_receipt")],
      prov=False, edit=lambda p, n, d: n.update({"NgayKetThucXuLy": nat(d.received - 1)}))
    c("provincial only NEW, no results: not done, nothing", [], nat=False, status="NEW")
    c("provincial only NEW, completed before receipt: single-side rule still applies",
      [("falsely_closed", "completed_before_receipt")], nat=False, status="NEW",
      edit=lambda p, n, d: p.update({"completedDate": iso_vn(d.received - 1)}))

    # -- absent times --------------------------------------------------------------------------
    c("both done, completion absent on both sides (null vs \"\")", [], done=True,
      edit=lambda p, n, d: (p.update({"completedDate": None}), n.update({"NgayKetThucXuLy": ""})))
    c("update time absent on both sides: not pending", [],
      edit=lambda p, n, d: (p.pop("updatedDate"), n.update({"NgayCapNhat": ""})))

    # -- malformed lines: reported and skipped ------------------------------------------------
    b.provincial.insert(5, '{"id": 999, "code": "000.00.12.H10-240715-9999", "status": ')
    b.provincial.insert(9, "42")
    b.provincial.insert(14, json.dumps({"id": 998, "status": {"code": "PROCESSING"},
                                        "agency": {"code": UNITS[0]}}))
    b.provincial.insert(20, json.dumps({"id": 997, "code": "  ", "nationCode": None}))
    b.national.insert(3, "this is not JSON")
    b.national.insert(8, '"a JSON string"')
    b.national.insert(12, json.dumps({"TrangThaiHoSo": "4", "DonViXuLy": UNITS[1]}))
    b.national.insert(16, "[1, 2]")
    return b


def write_adversarial(out):
    b = build_cases()
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "provincial.jsonl"), "w", encoding="utf-8") as f:
        f.write("\n".join(b.provincial) + "\n")
    with open(os.path.join(out, "national.jsonl"), "w", encoding="utf-8") as f:
        f.write("\n".join(b.national) + "\n")
    # The array variant keeps everything that can live in a JSON array (not the broken line).
    array_items = []
    for line in b.provincial:
        try:
            array_items.append(json.loads(line))
        except ValueError:
            continue
    with open(os.path.join(out, "provincial.json"), "w", encoding="utf-8") as f:
        json.dump(array_items, f, ensure_ascii=False, indent=1)
        f.write("\n")
    with open(os.path.join(out, "cases.jsonl"), "w", encoding="utf-8") as f:
        for case in b.cases:
            f.write(json.dumps(case, ensure_ascii=False) + "\n")
    write_params(out, AS_OF, GRACE)


def write_params(out, as_of, grace):
    with open(os.path.join(out, "params.json"), "w", encoding="utf-8") as f:
        json.dump({"as_of": as_of, "grace": grace}, f)
        f.write("\n")


# ---- the random generator ---------------------------------------------------------------------

RANDOM_AS_OF = "2025-01-02T09:00:00+07:00"
RANDOM_AS_OF_EPOCH = local_epoch(2025, 1, 2, 9, 0, 0)
YEAR_START = local_epoch(2024, 1, 1)
RANDOM_UNITS = [f"000.00.{n:02d}.H10" for n in range(10, 32)]
P_STATUSES = ["RECEIVED", "PROCESSING", "SUPPLEMENT_REQUESTED", "FINANCIAL_OBLIGATION"]


class RandomWriter:
    """Writes one realistic dossier at a time to both sides, injecting discrepancies at rates near
    what the province reports (most dossiers in sync; ~12 % carry some finding)."""

    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.numbers = {}          # (unit, day) -> last NNNN handed out

    def dossier(self, seq):
        rng = self.rng
        unit = RANDOM_UNITS[rng.randrange(len(RANDOM_UNITS))]
        received = YEAR_START + rng.randrange(RANDOM_AS_OF_EPOCH - YEAR_START - 86400)
        received -= received % 60
        local = time.gmtime(received + VN)
        day = f"{local.tm_year % 100:02d}{local.tm_mon:02d}{local.tm_mday:02d}"
        number = self.numbers.get((unit, day), 0) + 1
        self.numbers[(unit, day)] = number
        key = f"{unit}-{day}-{number:04d}"
        d = Dossier(key, unit, tz="z" if rng.random() < 0.5 else "vn")
        d.procedure = PROCEDURES[rng.randrange(len(PROCEDURES))]
        d.name = NAMES[rng.randrange(len(NAMES))]
        d.method = rng.choice((0, 1, 1, 2))
        d.digitized = rng.random() < 0.7
        d.payment = rng.random() < 0.3
        d.received = received
        d.due = received + rng.randrange(3, 30) * 86400
        age = RANDOM_AS_OF_EPOCH - received
        n_steps = rng.randrange(1, 5)
        span = min(age, (d.due - received) * (1.3 if rng.random() < 0.08 else 0.9))
        cuts = sorted(received + int(span * rng.random()) for _ in range(n_steps))
        starts = [received] + cuts[:-1]
        done = age > 20 * 86400 or rng.random() < 0.4
        if done:
            d.status = "RETURNED" if rng.random() < 0.6 else "COMPLETED"
            d.completed = cuts[-1]
            d.steps = list(zip(starts, cuts))
            d.results = rng.randrange(1, 3)
        else:
            d.status = P_STATUSES[rng.randrange(len(P_STATUSES))]
            d.completed = None
            d.steps = list(zip(starts, cuts[:-1] + [None]))
            d.results = 0
        d.updated = (cuts[-1] if done else max(cuts[-2:] + [received])) + rng.randrange(1, 3600)
        d.updated = min(d.updated, RANDOM_AS_OF_EPOCH - 7200)
        return d

    def pair(self, seq):
        """Returns (provincial dict or None, list of national dicts)."""
        rng = self.rng
        d = self.dossier(seq)
        p = d.provincial(seq)
        n = d.national()
        roll = rng.random()
        if roll < 0.02:
            return p, []                                              # not pushed
        if roll < 0.035:
            p["status"] = {"code": "NEW", "name": "Mới"}
            return p, ([] if rng.random() < 0.8 else [n])
        if roll < 0.045:
            edge = RANDOM_AS_OF_EPOCH - 1800 + rng.randrange(-2, 3)   # pending or just not
            if rng.random() < 0.5:
                p["updatedDate"] = iso_z(edge)
            else:
                n["NgayCapNhat"] = nat(edge)
        elif roll < 0.06:                                             # national behind
            n["TrangThaiHoSo"] = str(rng.randrange(2, 6))
            n["NgayKetThucXuLy"] = ""
            n["QuaTrinhXuLy"] = n["QuaTrinhXuLy"][:-1]
        elif roll < 0.07:                                             # closed on national only
            p["status"] = {"code": "PROCESSING", "name": "Đang xử lý"}
            n["TrangThaiHoSo"] = "9"
        elif roll < 0.08:
            (p.update({"results": []}) if rng.random() < 0.5
             else n.update({"DanhSachGiayToKetQua": []}))
        elif roll < 0.09 and n["QuaTrinhXuLy"]:
            n["QuaTrinhXuLy"][-1]["ThoiDiemXuLy"] = ""                # step left open
        elif roll < 0.093:
            p["completedDate"] = iso_vn(d.received - rng.randrange(1, 86400))
        elif roll < 0.11:                                             # deadline moved on national
            n["NgayHenTra"] = nat(d.due + rng.randrange(1, 10) * 86400)
        elif roll < 0.14:
            field = rng.randrange(6)
            if field == 0:
                n["MaTTHC"] = PROCEDURES[(PROCEDURES.index(d.procedure) + 1) % len(PROCEDURES)][0]
            elif field == 1:
                n["KenhThucHien"] = str((d.method + 1) % 3 + 1)
            elif field == 2:
                n["DuocThanhToanTrucTuyen"] = "0" if d.payment else "2"
            elif field == 3:
                n["HoSoCoThanhPhanSoHoa"] = "0" if d.digitized else "1"
            elif field == 4:
                n["NgayTiepNhan"] = nat(d.received + rng.randrange(-3600, 3600))
            else:
                n["DonViXuLy"] = RANDOM_UNITS[(RANDOM_UNITS.index(d.unit) + 1) % len(RANDOM_UNITS)]
        elif roll < 0.16 and len(n["QuaTrinhXuLy"]) > 1:
            n["QuaTrinhXuLy"] = n["QuaTrinhXuLy"][:-1]                # progress not synced
        elif roll < 0.161:
            p["status"] = {"code": "DANG_CHO", "name": "?"}           # unknown status code
        elif roll < 0.162:
            return p, [n, dict(n)]                                    # duplicate on national
        # format noise that must not change anything
        noise = rng.random()
        if noise < 0.02:
            p["code"] = " " + p["code"].lower()
            p["nationCode"] = None
        elif noise < 0.06:
            n["TrangThaiHoSo"] = int(n["TrangThaiHoSo"]) if n["TrangThaiHoSo"].isdigit() else n["TrangThaiHoSo"]
            n["KenhThucHien"] = int(n["KenhThucHien"])
        elif noise < 0.09 and p["appliedDate"]:
            p["appliedDate"] = iso_z(d.received, ".%03d" % rng.randrange(1000))
        return p, [n]

    def national_only(self, seq):
        d = self.dossier(seq)
        return d.national()


def write_random(out, count, seed):
    os.makedirs(out, exist_ok=True)
    writer = RandomWriter(seed)
    rng = writer.rng
    chunk = 2000
    with open(os.path.join(out, "provincial.jsonl"), "w", encoding="utf-8") as pf, \
            open(os.path.join(out, "national.jsonl"), "w", encoding="utf-8") as nf:
        seq = 0
        while seq < count:
            p_lines, n_lines = [], []
            for _ in range(min(chunk, count - seq)):
                seq += 1
                if rng.random() < 0.01:
                    n_lines.append(json.dumps(writer.national_only(seq), ensure_ascii=False))
                    continue
                p, ns = writer.pair(seq)
                p_lines.append(json.dumps(p, ensure_ascii=False))
                n_lines.extend(json.dumps(n, ensure_ascii=False) for n in ns)
            rng.shuffle(n_lines)                 # the two sides do not list in the same order
            pf.write("\n".join(p_lines) + "\n")
            nf.write("\n".join(n_lines) + "\n")
    write_params(out, RANDOM_AS_OF, GRACE)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", required=True, help="directory to write into")
    parser.add_argument("--random", type=int, metavar="N", help="dossiers per side")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.random is not None:
        if args.random < 1:
            print("gen_adversarial.py: --random needs a positive count", file=sys.stderr)
            return 2
        write_random(args.out, args.random, args.seed)
    else:
        write_adversarial(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
