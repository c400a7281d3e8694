#!/usr/bin/python3
"""Checks the oracle itself: the generator, the reference and the pandas peer.

  selftest.py [--random-size N] [--seeds 1,2,3]

1. The committed tests/data/adversarial/ is what gen_adversarial.py writes.
2. reference.py on it prints exactly expected_findings.jsonl, and every case's findings are the
   ones written by hand in cases.jsonl; the JSON-array variant gives the same findings.
3. The time parsers of the two implementations agree on a few thousand well- and ill-formed times.
4. The pandas peer prints the same findings (key, kind, reason, unit_code, details) and sync rates
   as the reference, on the adversarial set and on random sets.
5. Shape B (CONTRACT §8.1, §8.2): the reference's time formats, and its findings on hand-written
   records equal the findings written by hand for each (status labels, unit names, unknown fields,
   a look-up-only national side).
Needs pandas (Debian python3-pandas): run with /usr/bin/python3.
"""
import argparse
import filecmp
import json
import os
import random
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
DATA = os.path.join(ROOT, "tests", "data", "adversarial")
GENERATOR = os.path.join(ROOT, "tests", "data", "gen_adversarial.py")
REFERENCE = os.path.join(HERE, "reference.py")
PEER = os.path.join(ROOT, "bench", "peer", "reconcile_pandas.py")
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(PEER))
import reference  # noqa: E402
import reconcile_pandas as peer  # noqa: E402
import pandas as pd  # noqa: E402

results = {"passed": 0, "failed": 0}


def check(name, ok, detail=""):
    results["passed" if ok else "failed"] += 1
    print(f"{'ok  ' if ok else 'FAIL'} {name}" + (f": {detail}" if detail and not ok else ""))


def run(script, *args):
    done = subprocess.run([sys.executable, script, "--quiet", *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{os.path.basename(script)} failed: {done.stderr.strip()}")
    return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]


def same_rows(a, b):
    """Equal lists of dicts, rates compared to 1e-12."""
    if len(a) != len(b):
        return False, f"{len(a)} vs {len(b)} rows"
    for x, y in zip(a, b):
        x, y = dict(x), dict(y)
        rx, ry = x.pop("rate", None), y.pop("rate", None)
        if x != y or (rx is None) != (ry is None) or (rx is not None and abs(rx - ry) > 1e-12):
            return False, f"first difference: {x} vs {y}"
    return True, ""


def compare_implementations(label, provincial, national, as_of, grace):
    args = ["--provincial", provincial, "--national", national, "--as-of", as_of,
            "--grace", str(grace)]
    ref = run(REFERENCE, *args)
    ok, detail = same_rows(ref, run(PEER, *args))
    check(f"peer == reference findings ({label}, {len(ref)} findings)", ok, detail)
    for granularity in ("month", "quarter"):
        rates = run(REFERENCE, *args, "--sync-rate", granularity)
        ok, detail = same_rows(rates, run(PEER, *args, "--sync-rate", granularity))
        check(f"peer == reference sync rate by {granularity} ({label}, {len(rates)} rows)", ok, detail)


def check_adversarial(tmp):
    generated = os.path.join(tmp, "adversarial")
    subprocess.run([sys.executable, GENERATOR, "--out", generated], check=True)
    for name in ("provincial.jsonl", "national.jsonl", "provincial.json", "cases.jsonl", "params.json"):
        check(f"committed adversarial/{name} is the generator's output",
              filecmp.cmp(os.path.join(generated, name), os.path.join(DATA, name), shallow=False))

    with open(os.path.join(DATA, "params.json")) as handle:
        params = json.load(handle)
    args = ["--national", os.path.join(DATA, "national.jsonl"), "--as-of", params["as_of"],
            "--grace", str(params["grace"])]
    findings = run(REFERENCE, "--provincial", os.path.join(DATA, "provincial.jsonl"), *args)
    with open(os.path.join(DATA, "expected_findings.jsonl")) as handle:
        expected = [json.loads(line) for line in handle if line.strip()]
    check("reference output == expected_findings.jsonl", findings == expected)
    check("reference output on the JSON-array variant == expected_findings.jsonl",
          run(REFERENCE, "--provincial", os.path.join(DATA, "provincial.json"), *args) == expected)

    by_key = {}
    for finding in findings:
        fields = tuple(finding["details"].get("fields", ()))
        by_key.setdefault(finding["key"], set()).add((finding["kind"], finding["reason"], fields))
    wrong = []
    with open(os.path.join(DATA, "cases.jsonl")) as handle:
        cases = [json.loads(line) for line in handle]
    for case in cases:
        hand = {(e[0], e[1], tuple(e[2]) if len(e) > 2 else ()) for e in case["expect"]}
        if by_key.pop(case["key"], set()) != hand:
            wrong.append(case["what"])
    check(f"reference agrees with the hand-written expectation of all {len(cases)} cases",
          not wrong and not by_key, "; ".join(wrong) + (f" unexpected keys {sorted(by_key)}" if by_key else ""))

    for provincial in ("provincial.jsonl", "provincial.json"):
        compare_implementations(f"adversarial {provincial}", os.path.join(DATA, provincial),
                                os.path.join(DATA, "national.jsonl"), params["as_of"], params["grace"])


def mutations(rng, base, alphabet, count):
    out = []
    for _ in range(count):
        text = list(base)
        for _ in range(rng.randint(1, 2)):
            op = rng.randrange(3)
            at = rng.randrange(len(text) + 1)
            if op == 0 and at < len(text):
                text[at] = rng.choice(alphabet)
            elif op == 1 and at < len(text):
                del text[at]
            else:
                text.insert(at, rng.choice(alphabet))
        out.append("".join(text))
    return out


def check_time_parsers():
    rng = random.Random(7)
    provincial = ["2024-07-20T10:00:00Z", "2024-07-20T17:00:00+07:00", "2024-07-20T10:00:00.5Z",
                  "2024-07-20T10:00:00.123456789Z", "2024-07-20T10:00:00.1234567890Z",
                  "2024-07-20T10:00:00.Z", "2024-07-20T10:00:00z", "2024-07-20 10:00:00Z",
                  "2024-07-20T10:00:00", "2024-07-20", "2024-02-29T00:00:00Z", "2023-02-29T00:00:00Z",
                  "2024-06-31T00:00:00Z", "2024-13-01T00:00:00Z", "2024-07-20T24:00:00Z",
                  "2024-07-20T23:59:60Z", "2024-07-20T10:00:00+24:00", "2024-07-20T10:00:00-23:59",
                  "2024-07-20T10:00:00+0700", "12024-07-20T10:00:00Z", "0000-01-01T00:00:00Z",
                  "0001-01-01T00:00:00+00:00", "9999-12-31T23:59:59-23:59", " 2024-07-20T10:00:00Z\t",
                  "２０２４-07-20T10:00:00Z", "2024-07-20T10:00:00.5+07:00", "", "   ", None, 20240720,
                  True, "2024-07-20T10:00:00Z" + "0" * 30]
    provincial += mutations(rng, "2024-07-20T10:00:00.25+07:00", "0123456789-:T.Z+ z٣", 1500)
    provincial += mutations(rng, "2024-12-31T23:59:59Z", "0123456789-:T.Z+", 500)
    national = ["20240720170000", "20240229000000", "20230229000000", "20241301000000",
                "20240720240000", "2024072017000", "202407201700000", " 20240720170000 ", "",
                None, 20240720170000, 20240720170000.0, 2.5, True, "2024-07-20", "٢٠٢٤٠٧٢٠١٧٠٠٠٠"]
    national += mutations(rng, "20240720170000", "0123456789 x", 1000)

    def vectorised(parse, values):
        series = pd.Series(values, dtype=object)
        frame = pd.DataFrame({"where": ["t"] * len(values), "key": ["k"] * len(values)})
        return [None if v != v else int(v) for v in parse(series, "t", frame, peer.Problems(True))]

    expected = [reference.parse_provincial_time(v)[0] for v in provincial]
    got = vectorised(peer.provincial_time, provincial)
    bad = [(v, e, g) for v, e, g in zip(provincial, expected, got) if e != g]
    check(f"provincial time parsers agree on {len(provincial)} strings", not bad, f"{bad[:5]}")
    # The peer turns national numbers into text while reading, as the reference's text_of does.
    as_read = [peer.scalar(v) for v in national]
    expected = [reference.parse_national_time(v)[0] for v in national]
    got = vectorised(peer.national_time, as_read)
    bad = [(v, e, g) for v, e, g in zip(national, expected, got) if e != g]
    check(f"national time parsers agree on {len(national)} strings", not bad, f"{bad[:5]}")


def write_hostile(folder):
    """Files no well-behaved portal sends: both implementations must survive them and agree."""
    os.makedirs(folder, exist_ok=True)
    base = {"code": "000.00.12.H10-240715-0001", "status": {"code": "PROCESSING"},
            "agency": {"code": "000.00.12.H10"}, "appliedDate": "2024-07-15T08:00:00+07:00"}
    odd = [
        dict(base, code="A-1", steps="not a list", results={"a": 1}, applyMethod={"id": "x"}),
        dict(base, code="A-2", steps=[1, None, {"endDate": 5}, {"endDate": "garbage"}],
             digitized="yes", onlinePayment=1, appointmentDate=True),
        dict(base, code="A-3", status="COMPLETED", agency=["000"], procedure={"code": 1.5}),
        dict(base, code=12345, nationCode=False, completedDate="2024-07-14T08:00:00"),
        dict(base, code="A-5", status={"code": None}, updatedDate="2024-13-45T99:99:99Z"),
        dict(base, code="a-6\u00a0", status={"code": "completed"}, results=[], steps=[{}]),
    ]
    lines = [json.dumps(r) for r in odd]
    lines.insert(2, "[" * 5000 + "]" * 5000)
    lines.insert(4, '{"code": "A-7", "applyMethod": {"id": 1}, "nested": ' + "[" * 3000 + "]" * 3000 + "}")
    with open(os.path.join(folder, "provincial.jsonl"), "wb") as handle:
        handle.write(b"\xef\xbb\xbf" + "\n".join(lines).encode() + b"\n\xff\xfe not utf-8\n\n  \n")
    national = [
        {"MaHoSo": "A-1", "TrangThaiHoSo": "9", "DanhSachGiayToKetQua": "x", "QuaTrinhXuLy": {"a": 1},
         "NgayKetThucXuLy": "2024071", "KenhThucHien": "7", "DuocThanhToanTrucTuyen": "0"},
        {"MaHoSo": "A-2", "TrangThaiHoSo": 10.0, "HoSoCoThanhPhanSoHoa": True, "NgayHenTra": 2.5,
         "QuaTrinhXuLy": [{"ThoiDiemXuLy": 20240716080000}, {"ThoiDiemXuLy": "  "}, "step"]},
        {"MaHoSo": 12345, "TrangThaiHoSo": "abc", "DonViXuLy": None, "NgayTiepNhan": "20240230080000"},
        {"MaHoSo": " a-6 ", "TrangThaiHoSo": " 10", "MaTTHC": ["x"], "NgayCapNhat": "x"},
        {"MaHoSo": "A-8", "TrangThaiHoSo": "-1", "KenhThucHien": "٢"},
    ]
    with open(os.path.join(folder, "national.json"), "w", encoding="utf-8") as handle:
        json.dump(national + [None, 3, "x"], handle)


def check_hostile(tmp):
    folder = os.path.join(tmp, "hostile")
    write_hostile(folder)
    compare_implementations("hostile input", os.path.join(folder, "provincial.jsonl"),
                            os.path.join(folder, "national.json"), "2024-07-25T10:00:00+07:00", 1800)


# Shape B (CONTRACT §8.1, §8.2): records written by hand, each with the findings expected of it by hand. Base:
# provincial processing (dossierStatus.id 2), one ended task, no result yet; national the same (MaTrangThai 4), with
# its label; both received 2024-07-15 08:00 and due 2024-07-20 17:00 Vietnam time, online, paid online.
SHAPE_B_AS_OF = "2024-07-25T10:00:00+07:00"
B_LABELS = {4: "Đang xử lý", 9: "Đã xử lý xong", 10: "Đã trả kết quả"}
B_DONE = {"dossierStatus": {"id": 5, "name": "Đã trả kết quả"}, "completedDate": "2024-07-18T10:00:00.000+0700",
          "outputFile": [{"id": "f1", "name": "Giấy phép", "url": "https://example.invalid/f1.pdf"}]}
B_DONE_NATIONAL = {"MaTrangThai": "10", "TrangThaiHoSo": B_LABELS[10], "NgayKetThucXuLy": "18/07/2024 10:00:00"}


def b_task(start, end, open_=False):
    return {"name": "Thẩm định hồ sơ", "assignee": {"fullname": "Lê Văn Việt"}, "agency": {"name": "Phòng A"},
            "createdDate": start, "completedDate": None if open_ else end,
            "dueDate": "2024-07-19T17:00:00.000+0700", "isCurrent": 1 if open_ else 0}


def b_provincial(key, **changes):
    record = {"id": f"id-{key}", "code": key, "nationCode": key, "dossierStatus": {"id": 2, "name": "Đang xử lý"},
              "agency": {"id": "a1", "code": "000.00.12.H10", "name": "Sở Xây dựng"},
              "procedure": {"id": "p1", "code": "1.003560",
                            "translate": [{"languageId": 46, "name": "Permit"},
                                          {"languageId": 228, "name": "Cấp phép"}],
                            "sector": {"code": "S1", "name": "Xây dựng"}},
              "applicant": {"data": {"fullname": "Nguyễn Văn An", "phoneNumber": "0900000000",
                                     "email": "an@example.invalid", "type": 1}},
              "applyMethod": {"id": 0, "name": "Trực tuyến"}, "appliedDate": "2024-07-15T08:00:00.000+0700",
              "acceptedDate": "2024-07-15T09:30:00.000+0700", "appointmentDate": "2024-07-20T17:00:00.000+0700",
              "completedDate": None, "returnedDate": None, "updatedDate": "2024-07-18T12:00:00.000+0700",
              "isDigitized": 1, "paymentMethod": {"id": 1, "name": "Thanh toán trực tuyến"}, "outputFile": [],
              "task": [b_task("2024-07-15T08:00:00.000+0700", "2024-07-15T09:30:00.000+0700")]}
    record.update(changes)
    return record


def b_national(key, **changes):
    record = {"MaHoSo": key, "MaTTHC": "1.003560.000.00.00.H10", "MaTrangThai": "4", "TrangThaiHoSo": B_LABELS[4],
              "DonViXuLy": "Sở Xây dựng", "MaDonViXuLy": "000.00.12.H10", "NgayNop": "15/07/2024 08:00:00",
              "NgayTiepNhan": "15/07/2024 08:00:00", "NgayHenTra": "20/07/2024 17:00:00", "KenhThucHien": "2",
              "DuocThanhToanTrucTuyen": "1"}
    record.update(changes)
    return {name: value for name, value in record.items() if value is not None}


def shape_b_cases():
    """(what, provincial record or None, national record or None, expected findings)."""
    ended = [b_task("2024-07-15T08:00:00.000+0700", "2024-07-16T08:00:00.000+0700"),
             b_task("2024-07-16T08:00:00.000+0700", "2024-07-18T10:00:00.000+0700")]
    fm = lambda *fields: ("field_mismatch", "differs", fields)
    return [
        ("same instants in each shape's format; acceptedDate is not the receipt time", {}, {}, []),
        ("provincial times with Z and +07:00 read like +0700",
         {"appliedDate": "2024-07-15T01:00:00Z", "appointmentDate": "2024-07-20T17:00:00.999+07:00"}, {}, []),
        ("national done without result documents or steps (unknown, not empty); provincial has ended steps",
         dict(B_DONE, task=ended), B_DONE_NATIONAL, []),
        ("provincial done without a result document: still evaluated on provincial", dict(B_DONE, outputFile=[],
                                                                                         task=ended),
         B_DONE_NATIONAL, [("falsely_closed", "no_result_document")]),
        ("provincial done with an open task (isCurrent 1, completedDate null)",
         dict(B_DONE, task=ended + [b_task("2024-07-18T10:00:00.000+0700", None, open_=True)]),
         B_DONE_NATIONAL, [("falsely_closed", "steps_after_completion")]),
        ("isCurrent 1 says a task is open even with a completedDate",
         dict(B_DONE, task=ended[:1] + [dict(ended[1], isCurrent=1)]), B_DONE_NATIONAL,
         [("falsely_closed", "steps_after_completion")]),
        ("isCurrent 0 says a task without completedDate is not open",
         dict(B_DONE, task=ended[:1] + [dict(ended[1], completedDate=None)]), B_DONE_NATIONAL, []),
        ("MaTrangThai 10 with its label, provincial processing (and past due: done hides it)",
         {}, {"MaTrangThai": "10", "TrangThaiHoSo": B_LABELS[10]},
         [("falsely_closed", "closed_on_national_only"), ("overdue_hidden", "on_time_on_national")]),
        ("a status label without MaTrangThai is an unknown status, never read as a code",
         {}, {"MaTrangThai": None, "TrangThaiHoSo": "9"}, []),
        ("dossierStatus.id 17 (signature) is processing", {"dossierStatus": {"id": 17, "name": "Chờ ký duyệt"}}, {},
         []),
        ("dossierStatus.id 13 (not accepted, 3) against national 4",
         {"dossierStatus": {"id": 13, "name": "Không tiếp nhận"}}, {}, [("status_mismatch", "differs")]),
        ("digitisation unknown on national; applyMethod 0 is online; payment 1 against 2",
         {"isDigitized": 0}, {"DuocThanhToanTrucTuyen": "2"}, []),
        ("applyMethod 1 is in person", {"applyMethod": {"id": 1, "name": "Trực tiếp"}}, {}, [fm("channel")]),
        ("paymentMethod 0 against DuocThanhToanTrucTuyen 1", {"paymentMethod": {"id": 0, "name": "Không"}}, {},
         [fm("online_payment")]),
        ("DonViXuLy is the unit's name; MaDonViXuLy the code, compared normalised",
         {}, {"DonViXuLy": "UBND phường Trấn Biên", "MaDonViXuLy": " 000.00.12.h10 "}, []),
        ("MaDonViXuLy another unit", {}, {"MaDonViXuLy": "000.00.13.H10"}, [fm("unit_code")]),
        ("NgayTiepNhan one second later", {}, {"NgayTiepNhan": "15/07/2024 08:00:01"}, [fm("receipt_time")]),
        ("dd/MM: 07/08/2024 is 7 August (both due after T)",
         {"appointmentDate": "2024-08-07T17:00:00.000+0700"}, {"NgayHenTra": "07/08/2024 17:00:00"}, []),
        ("an unreadable NgayHenTra is absent: due dates differ, national on time (the reference's decision;"
         " dvcrecon skips the record, docs/decisions.md#records)",
         {}, {"NgayHenTra": "2024-07-20 17:00:00"},
         [("deadline_mismatch", "differs"), ("overdue_hidden", "on_time_on_national")]),
        ("NgayKetThucXuLy left out: no completion on national", B_DONE,
         dict(B_DONE_NATIONAL, NgayKetThucXuLy=None), [fm("completion_time")]),
        ("NgayKetThucXuLy \"\" is absent like left out", {}, {"NgayKetThucXuLy": ""}, []),
        ("national completed before its receipt",
         {}, {"NgayKetThucXuLy": "14/07/2024 08:00:00"},
         [("falsely_closed", "completed_before_receipt"), fm("completion_time")]),
        ("registered (dossierStatus.id 0), nationCode \"\": not expected on national",
         {"dossierStatus": {"id": 0, "name": "Mới đăng ký"}, "nationCode": ""}, None, []),
        ("received, nationCode null: not pushed", {"dossierStatus": {"id": 1, "name": "Đã tiếp nhận"},
                                                  "nationCode": None}, None,
         [("missing_on_national", "not_pushed")]),
        ("unknown dossierStatus.id, no nationCode: not pushed", "no-nation-code", None,
         [("missing_on_national", "not_pushed")]),
        ("national only (completed before receipt): never looked up, so not seen", None,
         {"NgayKetThucXuLy": "14/07/2024 08:00:00"}, []),
        ("pending by the provincial update alone (national has no update time)",
         {"updatedDate": "2024-07-25T09:45:00.000+0700", "applyMethod": {"id": 1, "name": "Trực tiếp"}}, {}, []),
    ]


def check_shape_b(tmp):
    utc = reference.parse_as_of("2024-07-15T01:00:00Z")
    check("shape B provincial time +0700 with milliseconds",
          reference.parse_provincial_time_b("2024-07-15T08:00:00.123+0700") == (utc, None))
    check("shape B national time dd/MM/yyyy HH:mm:ss in Vietnam time",
          reference.parse_national_time_b("15/07/2024 08:00:00") == (utc, None))
    bad = [v for v in ("20240715080000", "2024-07-15T08:00:00+07:00", "15/7/2024 08:00:00", "31/06/2024 08:00:00",
                       "15/07/2024 08:00", "15/07/2024T08:00:00", 20240715)
           if reference.parse_national_time_b(v)[1] is None]
    check("shape B national time refuses other formats", not bad, f"accepted {bad}")
    check("shape B national time: \"\" and absent are absent",
          reference.parse_national_time_b("") == (None, None) and reference.parse_national_time_b(None) == (None, None))

    folder = os.path.join(tmp, "shape-b")
    os.makedirs(folder)
    provincial, national, expected = [], [], set()
    for number, (what, p_changes, n_changes, findings) in enumerate(shape_b_cases(), start=1):
        key = f"000.00.12.H10-240715-{number:04d}"
        if p_changes == "no-nation-code":
            record = b_provincial(key, dossierStatus={"id": 99, "name": "?"})
            del record["nationCode"]
            provincial.append(record)
        elif p_changes is not None:
            provincial.append(b_provincial(key, **p_changes))
        if n_changes is not None:
            national.append(b_national(key, **n_changes))
        expected |= {(key, f[0], f[1], tuple(f[2]) if len(f) > 2 else (), what) for f in findings}
    for name, records in (("provincial.jsonl", provincial), ("national.jsonl", national)):
        with open(os.path.join(folder, name), "w", encoding="utf-8") as handle:
            handle.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    found = run(REFERENCE, "--provincial", os.path.join(folder, "provincial.jsonl"), "--national",
                os.path.join(folder, "national.jsonl"), "--as-of", SHAPE_B_AS_OF, "--grace", "1800",
                "--provincial-shape", "b", "--national-shape", "b")
    cases = shape_b_cases()
    got = {(f["key"], f["kind"], f["reason"], tuple(f["details"].get("fields", ())), cases[int(f["key"][-4:]) - 1][0])
           for f in found}
    wrong = sorted(got ^ expected)
    check(f"shape B: reference agrees with the hand-written expectation of all {len(cases)} cases", not wrong,
          "; ".join(f"{'unexpected' if w in got else 'missing'} {w[1]}/{w[2]}{list(w[3]) or ''} ({w[4]})"
                    for w in wrong))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--random-size", type=int, default=10000)
    parser.add_argument("--seeds", default="1,2,3")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        check_time_parsers()
        check_adversarial(tmp)
        check_hostile(tmp)
        check_shape_b(tmp)
        for seed in (int(s) for s in args.seeds.split(",") if s):
            out = os.path.join(tmp, f"random-{seed}")
            subprocess.run([sys.executable, GENERATOR, "--random", str(args.random_size),
                            "--seed", str(seed), "--out", out], check=True)
            with open(os.path.join(out, "params.json")) as handle:
                params = json.load(handle)
            compare_implementations(f"random {args.random_size} seed {seed}",
                                    os.path.join(out, "provincial.jsonl"),
                                    os.path.join(out, "national.jsonl"), params["as_of"], params["grace"])
    print(f"selftest: {results['passed']} passed, {results['failed']} failed")
    return 1 if results["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
