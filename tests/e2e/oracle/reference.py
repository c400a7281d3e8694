#!/usr/bin/env python3
"""Reference reconciler: docs/wire-formats.md and docs/rules.md applied one record at a time,
written to be read. It reads the contract shape (CONTRACT §2-§3) and shape B (CONTRACT §8.1, §8.2).

This is the oracle the C++ engine and the pandas peer (bench/peer/reconcile_pandas.py) are checked
against. It is deliberately plain: no pandas, no cleverness, one function per rule. It was written
from the portals' description alone, not from dvcrecon's code; where that description is silent the
decision is stated next to the code and listed in bench/peer/README.md.

Usage:
  reference.py --provincial F --national F --as-of ISO8601 [--grace S] [--status-map JSON|FILE]
               [--provincial-shape contract|b] [--national-shape contract|b] [--sync-rate month|quarter]
Prints one JSON finding per line, sorted by key then kind (or sync-rate rows with --sync-rate).

Shape B (written from CONTRACT §8 and docs/profiles.md, docs/rules.md, docs/lookups.md alone): fields a
shape does not provide are unknown, and the rules that need them are not evaluated for that side
(docs/rules.md#unknown-fields). National shape B answers look-ups only, so a national record is seen
only when a provincial record has its key (missing_on_provincial is never raised; docs/lookups.md).

Problems with the input (malformed lines, records without a code, duplicate keys, unknown status
codes, unparseable times) are reported on stderr, one line each, and the run goes on.
"""
import argparse
import json
import re
import sys
from datetime import datetime, timedelta, timezone

VIETNAM = timezone(timedelta(hours=7))
DEFAULT_GRACE_S = 1800

# docs/wire-formats.md#provincial-status-codes: provincial status code -> national status code.
DEFAULT_STATUS_MAP = {
    "NEW": 1, "RECEIVED": 2, "NOT_ACCEPTED": 3, "PROCESSING": 4, "SUPPLEMENT_REQUESTED": 5,
    "FINANCIAL_OBLIGATION": 6, "WITHDRAWN": 7, "SUSPENDED": 8, "COMPLETED": 9, "RETURNED": 10,
}
# CONTRACT §8.1: shape B's dossierStatus.id -> national status code; id 0 is only registered
# (docs/rules.md#new-dossiers).
SHAPE_B_STATUS_MAP = {
    "0": 1, "1": 2, "13": 3, "2": 4, "17": 4, "3": 5, "16": 6, "6": 7, "12": 8, "4": 9, "5": 10,
}
NEW_STATUS = {"contract": "NEW", "b": "0"}
DEFAULT_STATUS_MAPS = {"contract": DEFAULT_STATUS_MAP, "b": SHAPE_B_STATUS_MAP}
SHAPES = ("contract", "b")
NATIONAL_STATUSES = range(1, 11)
DONE = {9, 10}

# docs/rules.md#findings table, in table order: the first reason listed for a kind wins.
RULE_TABLE = [
    ("missing_on_national", "not_pushed"),
    ("missing_on_provincial", "unknown_code"),
    ("falsely_closed", "closed_on_national_only"),
    ("falsely_closed", "no_result_document"),
    ("falsely_closed", "steps_after_completion"),
    ("falsely_closed", "completed_before_receipt"),
    ("status_mismatch", "national_behind"),
    ("status_mismatch", "differs"),
    ("deadline_mismatch", "differs"),
    ("overdue_hidden", "on_time_on_national"),
    ("field_mismatch", "differs"),
    ("progress_not_synced", "missing_steps"),
]
REASON_RANK = {rule: rank for rank, rule in enumerate(RULE_TABLE)}

# field_mismatch details name the fields in this order.
COMPARED_FIELDS = ["procedure_code", "unit_code", "channel", "online_payment", "digitized",
                   "receipt_time", "completion_time"]

ASCII_WHITESPACE = " \t\n\r\f\v"
ASCII_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")

PROVINCIAL_TIME = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})")
# CONTRACT §8.1: shape B writes `yyyy-MM-ddTHH:mm:ss.SSS+0700`; docs/profiles.md#record reads `+07:00` and `Z` too.
PROVINCIAL_TIME_B = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.[0-9]{1,9})?(Z|[+-][0-9]{2}:?[0-9]{2})")
NATIONAL_TIME = re.compile(r"[0-9]{14}")  # ASCII digits only, not any Unicode digit
# CONTRACT §8.2: `dd/MM/yyyy HH:mm:ss` in Vietnam time.
NATIONAL_TIME_B = re.compile(r"([0-9]{2})/([0-9]{2})/([0-9]{4}) ([0-9]{2}):([0-9]{2}):([0-9]{2})")
DIGITS = re.compile(r"[0-9]+")


class Invalid:
    """A value present but not one the wire format allows. Each one is distinct, so it never equals
    anything, not even another invalid value: a bad value on either side is always a difference."""

    def __init__(self, raw):
        self.raw = raw

    def __repr__(self):
        return f"Invalid({self.raw!r})"


def text_of(value):
    """The text of a scalar (docs/wire-formats.md: national scalars are strings, but numbers turn up where strings
    are expected). Integral numbers become their digits; None stays None; anything else is
    Invalid."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return Invalid(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return Invalid(value)


def normalize_code(value):
    """docs/wire-formats.md#codes: trim whitespace, upper-case ASCII letters. Empty -> None. Decision: only ASCII
    whitespace is trimmed and only ASCII letters are upper-cased (Vietnamese letters stay)."""
    text = text_of(value)
    if not isinstance(text, str):
        return None
    text = text.strip(ASCII_WHITESPACE).translate(ASCII_UPPER)
    return text or None


def small_int(value):
    """A JSON number or a string of digits (surrounding whitespace allowed) -> int; absent -> None;
    anything else -> Invalid."""
    text = text_of(value)
    if text is None or isinstance(text, Invalid):
        return text
    text = text.strip(ASCII_WHITESPACE)
    if text == "":
        return None
    if DIGITS.fullmatch(text):
        return int(text)
    return Invalid(value)


def epoch_of(year, month, day, hour, minute, second, offset_s):
    """Seconds since 1970 UTC, or None when the fields are not a real date and time."""
    try:
        local = datetime(year, month, day, hour, minute, second, tzinfo=timezone.utc)
    except ValueError:
        return None
    return int(local.timestamp()) - offset_s


def parse_provincial_time(value, pattern=PROVINCIAL_TIME):
    """docs/wire-formats.md#times (provincial): ISO 8601 with `Z` or `±HH:MM` (shape B, with
    PROVINCIAL_TIME_B: also `±HHMM`). Returns (epoch seconds or None, error or None). Fractional
    seconds are truncated (one-second precision). Decision: `""` is treated like null; a time without
    an offset is malformed (the portals' description requires one; dvcrecon reads it as Vietnam time)."""
    if value is None:
        return None, None
    if not isinstance(value, str):
        return None, f"not a string: {value!r}"
    text = value.strip(ASCII_WHITESPACE)
    if text == "":
        return None, None
    match = pattern.fullmatch(text)
    if not match:
        return None, f"not ISO 8601 with an offset: {value!r}"
    year, month, day, hour, minute, second = (int(g) for g in match.groups()[:6])
    zone = match.group(7)
    offset_s = 0
    if zone != "Z":
        digits = zone[1:].replace(":", "")
        off_h, off_m = int(digits[0:2]), int(digits[2:4])
        if off_h > 23 or off_m > 59:
            return None, f"bad offset: {value!r}"
        offset_s = (off_h * 3600 + off_m * 60) * (1 if zone[0] == "+" else -1)
    epoch = epoch_of(year, month, day, hour, minute, second, offset_s)
    if epoch is None:
        return None, f"no such date or time: {value!r}"
    return epoch, None


def parse_national_time(value):
    """docs/wire-formats.md#times (national): `yyyyMMddHHmmss` in Vietnam time; `""` means absent.
    A JSON number with the same digits is accepted (numbers turn up where strings are expected)."""
    text = text_of(value)
    if text is None:
        return None, None
    if isinstance(text, Invalid):
        return None, f"not a time: {value!r}"
    text = text.strip(ASCII_WHITESPACE)
    if text == "":
        return None, None
    if not NATIONAL_TIME.fullmatch(text):
        return None, f"not yyyyMMddHHmmss: {value!r}"
    parts = (int(text[0:4]), int(text[4:6]), int(text[6:8]),
             int(text[8:10]), int(text[10:12]), int(text[12:14]))
    epoch = epoch_of(*parts, offset_s=7 * 3600)
    if epoch is None:
        return None, f"no such date or time: {value!r}"
    return epoch, None


def parse_provincial_time_b(value):
    """CONTRACT §8.1 times: `yyyy-MM-ddTHH:mm:ss.SSS+0700`; `null` or absent means absent."""
    return parse_provincial_time(value, PROVINCIAL_TIME_B)


def parse_national_time_b(value):
    """CONTRACT §8.2 times: `dd/MM/yyyy HH:mm:ss` in Vietnam time; `""` or absent means absent
    (docs/profiles.md#record: for every format `""` is absent)."""
    if value is None:
        return None, None
    if not isinstance(value, str):
        return None, f"not a string: {value!r}"
    text = value.strip(ASCII_WHITESPACE)
    if text == "":
        return None, None
    match = NATIONAL_TIME_B.fullmatch(text)
    if not match:
        return None, f"not dd/MM/yyyy HH:mm:ss: {value!r}"
    day, month, year, hour, minute, second = (int(g) for g in match.groups())
    epoch = epoch_of(year, month, day, hour, minute, second, offset_s=7 * 3600)
    if epoch is None:
        return None, f"no such date or time: {value!r}"
    return epoch, None


def parse_as_of(text):
    epoch, error = parse_provincial_time(text)
    if epoch is None:
        raise ValueError(f"--as-of {text!r} is not an ISO 8601 time with an offset"
                         + (f" ({error})" if error else ""))
    return epoch


class Dossier:
    """One side's record reduced to what the rules read."""

    def __init__(self, side, where):
        self.side = side          # "provincial" | "national"
        self.where = where        # "file:line" for messages
        self.key = None
        self.unit = None
        self.status = None        # national status code 1..10, None when unknown
        self.is_new = False       # provincial status only registered (NEW, shape B 0)
        self.updated = None
        self.received = None
        self.due = None
        self.completed = None
        self.procedure = None
        self.channel = None       # "1" in person, "2" online, "3" post
        self.payment = None       # "yes" / "no"
        self.digitized = None     # "yes" / "no"
        self.result_count = 0
        self.open_steps = 0
        self.step_ends = []       # end instants of ended steps
        self.unknown = set()      # canonical fields the portal does not provide (docs/profiles.md#record)

    def is_done(self):
        return self.status in DONE

    def knows(self, *fields):
        return not self.unknown.intersection(fields)


def sub(record, name, field):
    """record[name][field] when record[name] is an object, else None."""
    inner = record.get(name)
    return inner.get(field) if isinstance(inner, dict) else None


def as_list(value):
    """Decision: a missing, null or non-array list counts as empty."""
    return value if isinstance(value, list) else []


def count_list(value):
    return len(as_list(value))


class Reporter:
    def __init__(self, stream=sys.stderr):
        self.stream = stream

    def __call__(self, message):
        if self.stream is not None:
            print(message, file=self.stream)


def read_objects(path, report):
    """Yields (where, object) for each JSON object in a file holding a JSON array or one JSON
    value per line. Decision: the first non-blank character decides: `[` means a JSON array.
    Malformed lines (bad UTF-8, bad JSON) and non-object values are reported and skipped; blank
    lines are ignored; a UTF-8 byte-order mark is allowed."""
    with open(path, "rb") as handle:
        data = handle.read()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data.lstrip(ASCII_WHITESPACE.encode()).startswith(b"["):
        try:
            items = json.loads(data.decode("utf-8"))
        except (ValueError, RecursionError) as error:
            report(f"{path}: not a valid JSON array: {error}")
            return
        if not isinstance(items, list):
            report(f"{path}: not a JSON array")
            return
        for index, item in enumerate(items):
            where = f"{path}[{index}]"
            if isinstance(item, dict):
                yield where, item
            else:
                report(f"{where}: skipped: a JSON {type(item).__name__}, not an object")
        return
    for number, raw in enumerate(data.split(b"\n"), start=1):
        where = f"{path}:{number}"
        if raw.strip(ASCII_WHITESPACE.encode()) == b"":
            continue
        try:
            item = json.loads(raw.decode("utf-8"))
        except (ValueError, RecursionError) as error:
            report(f"{where}: skipped: not valid JSON ({error})")
            continue
        if isinstance(item, dict):
            yield where, item
        else:
            report(f"{where}: skipped: a JSON {type(item).__name__}, not an object")


def timed(dossier, report, parse, field, value):
    epoch, error = parse(value)
    if error:
        # Decision: an unparseable time is reported and treated as absent.
        report(f"{dossier.where}: record {dossier.key}: field {field}: {error}; treated as absent")
    return epoch


def provincial_dossier(where, record, status_map, report):
    dossier = Dossier("provincial", where)
    # docs/rules.md#matching-key: nationCode if non-empty (decision: judged after trimming), else code.
    dossier.key = normalize_code(record.get("nationCode")) or normalize_code(record.get("code"))
    if dossier.key is None:
        report(f"{where}: skipped: provincial record has neither nationCode nor code")
        return None
    t = lambda field, value: timed(dossier, report, parse_provincial_time, field, value)
    dossier.unit = normalize_code(sub(record, "agency", "code"))
    status_code = normalize_code(sub(record, "status", "code"))
    dossier.is_new = status_code == NEW_STATUS["contract"]
    dossier.status = status_map.get(status_code)
    if dossier.status is None:
        report(f"{where}: record {dossier.key}: unknown status code {sub(record, 'status', 'code')!r}; "
               "rules that read the status are not evaluated")
    dossier.updated = t("updatedDate", record.get("updatedDate"))
    dossier.received = t("appliedDate", record.get("appliedDate"))
    dossier.due = t("appointmentDate", record.get("appointmentDate"))
    dossier.completed = t("completedDate", record.get("completedDate"))
    dossier.procedure = normalize_code(sub(record, "procedure", "code"))
    method = small_int(sub(record, "applyMethod", "id"))
    # docs/wire-formats.md#provincial-dossier: applyMethod.id 0/1/2 corresponds to KenhThucHien 1/2/3.
    dossier.channel = str(method + 1) if method in (0, 1, 2) else (
        Invalid(method) if isinstance(method, int) else method)
    dossier.payment = yes_no_bool(record.get("onlinePayment"))
    dossier.digitized = yes_no_bool(record.get("digitized"))
    dossier.result_count = count_list(record.get("results"))
    for step in as_list(record.get("steps")):
        if not isinstance(step, dict):
            continue
        end = t("steps[].endDate", step.get("endDate"))
        if end is None:
            dossier.open_steps += 1
        else:
            dossier.step_ends.append(end)
    return dossier


def yes_no_bool(value):
    if value is None:
        return None
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return Invalid(value)


def yes_no_code(value, yes, no):
    code = small_int(value)
    if code is None or isinstance(code, Invalid):
        return code
    return {yes: "yes", no: "no"}.get(code, Invalid(value))


def coded_yes_no(value, yes, no):
    code = small_int(value)
    if code is None or isinstance(code, Invalid):
        return code
    return "yes" if code in yes else "no" if code in no else Invalid(value)


def national_dossier(where, record, report):
    dossier = Dossier("national", where)
    dossier.key = normalize_code(record.get("MaHoSo"))
    if dossier.key is None:
        report(f"{where}: skipped: national record has no MaHoSo")
        return None
    t = lambda field, value: timed(dossier, report, parse_national_time, field, value)
    dossier.unit = normalize_code(record.get("DonViXuLy"))
    status = small_int(record.get("TrangThaiHoSo"))
    dossier.status = status if status in NATIONAL_STATUSES else None
    if dossier.status is None:
        report(f"{where}: record {dossier.key}: unknown TrangThaiHoSo {record.get('TrangThaiHoSo')!r}; "
               "rules that read the status are not evaluated")
    dossier.updated = t("NgayCapNhat", record.get("NgayCapNhat"))
    dossier.received = t("NgayTiepNhan", record.get("NgayTiepNhan"))
    dossier.due = t("NgayHenTra", record.get("NgayHenTra"))
    dossier.completed = t("NgayKetThucXuLy", record.get("NgayKetThucXuLy"))
    dossier.procedure = normalize_code(record.get("MaTTHC"))
    channel = small_int(record.get("KenhThucHien"))
    dossier.channel = str(channel) if channel in (1, 2, 3) else (
        Invalid(channel) if isinstance(channel, int) else channel)
    # 1 (national payment platform) and 2 (a provincial or ministry gateway) are paid online; 0 and 3 are not.
    dossier.payment = coded_yes_no(record.get("DuocThanhToanTrucTuyen"), (1, 2), (0, 3))
    dossier.digitized = yes_no_code(record.get("HoSoCoThanhPhanSoHoa"), 1, 0)
    dossier.result_count = count_list(record.get("DanhSachGiayToKetQua"))
    for step in as_list(record.get("QuaTrinhXuLy")):
        if not isinstance(step, dict):
            continue
        end = t("QuaTrinhXuLy[].ThoiDiemXuLy", step.get("ThoiDiemXuLy"))
        if end is None:
            dossier.open_steps += 1
        else:
            dossier.step_ends.append(end)
    return dossier


def provincial_dossier_b(where, record, status_map, report):
    """CONTRACT §8.1, provincial shape B. Every canonical field the rules read is provided."""
    dossier = Dossier("provincial", where)
    # nationCode is absent, null or "" when never pushed: then code is the key.
    dossier.key = normalize_code(record.get("nationCode")) or normalize_code(record.get("code"))
    if dossier.key is None:
        report(f"{where}: skipped: provincial record has neither nationCode nor code")
        return None
    t = lambda field, value: timed(dossier, report, parse_provincial_time_b, field, value)
    dossier.unit = normalize_code(sub(record, "agency", "code"))
    status_id = normalize_code(sub(record, "dossierStatus", "id"))
    dossier.is_new = status_id == NEW_STATUS["b"]
    dossier.status = status_map.get(status_id)
    if dossier.status is None:
        report(f"{where}: record {dossier.key}: unknown dossierStatus.id {sub(record, 'dossierStatus', 'id')!r}; "
               "rules that read the status are not evaluated")
    dossier.updated = t("updatedDate", record.get("updatedDate"))
    # The receipt time is appliedDate, as in the contract shape (docs/rules.md#done); acceptedDate is not read.
    dossier.received = t("appliedDate", record.get("appliedDate"))
    dossier.due = t("appointmentDate", record.get("appointmentDate"))
    dossier.completed = t("completedDate", record.get("completedDate"))
    dossier.procedure = normalize_code(sub(record, "procedure", "code"))
    # applyMethod.id: 0 online, 1 in person, 2 post -> KenhThucHien 2, 1, 3.
    method = small_int(sub(record, "applyMethod", "id"))
    dossier.channel = {0: "2", 1: "1", 2: "3"}.get(method, Invalid(method)) if isinstance(method, int) else method
    # paymentMethod.id: 1 paid online, 0 not; isDigitized 0/1.
    dossier.payment = yes_no_code(sub(record, "paymentMethod", "id"), 1, 0)
    dossier.digitized = yes_no_code(record.get("isDigitized"), 1, 0)
    dossier.result_count = count_list(record.get("outputFile"))
    for step in as_list(record.get("task")):
        if not isinstance(step, dict):
            continue
        # CONTRACT §8.1: isCurrent is 1 while the step is open, else 0, so it says whether the step is open;
        # without a 0 or 1 there, a step is open while it has no end. Ended steps are those with an end.
        end = t("task[].completedDate", step.get("completedDate"))
        current = small_int(step.get("isCurrent"))
        if (current == 1) if current in (0, 1) else end is None:
            dossier.open_steps += 1
        if end is not None:
            dossier.step_ends.append(end)
    return dossier


# CONTRACT §8.2: national shape B gives no steps, no result documents, no digitisation and no update time.
NATIONAL_B_NOT_PROVIDED = {"steps", "results", "digitised", "updated"}


def national_dossier_b(where, record, report):
    """CONTRACT §8.2, national shape B (a look-up's record)."""
    dossier = Dossier("national", where)
    dossier.key = normalize_code(record.get("MaHoSo"))
    if dossier.key is None:
        report(f"{where}: skipped: national record has no MaHoSo")
        return None
    dossier.unknown = set(NATIONAL_B_NOT_PROVIDED)
    t = lambda field, value: timed(dossier, report, parse_national_time_b, field, value)
    # DonViXuLy is the unit's name here; its code is MaDonViXuLy.
    dossier.unit = normalize_code(record.get("MaDonViXuLy"))
    # MaTrangThai is the status code; TrangThaiHoSo is only its label (text), never read as a code.
    status = small_int(record.get("MaTrangThai"))
    dossier.status = status if status in NATIONAL_STATUSES else None
    if dossier.status is None:
        report(f"{where}: record {dossier.key}: unknown MaTrangThai {record.get('MaTrangThai')!r}; "
               "rules that read the status are not evaluated")
    dossier.received = t("NgayTiepNhan", record.get("NgayTiepNhan"))
    dossier.due = t("NgayHenTra", record.get("NgayHenTra"))
    # May be absent: no completion.
    dossier.completed = t("NgayKetThucXuLy", record.get("NgayKetThucXuLy"))
    dossier.procedure = normalize_code(record.get("MaTTHC"))
    channel = small_int(record.get("KenhThucHien"))
    dossier.channel = str(channel) if channel in (1, 2, 3) else (
        Invalid(channel) if isinstance(channel, int) else channel)
    dossier.payment = coded_yes_no(record.get("DuocThanhToanTrucTuyen"), (1, 2), (0, 3))
    return dossier


def load_provincial(path, status_map, report, shape="contract"):
    read = provincial_dossier if shape == "contract" else provincial_dossier_b
    loaded = (read(where, record, status_map, report) for where, record in read_objects(path, report))
    return [d for d in loaded if d is not None]


def load_national(path, report, shape="contract"):
    read = national_dossier if shape == "contract" else national_dossier_b
    loaded = (read(where, record, report) for where, record in read_objects(path, report))
    return [d for d in loaded if d is not None]


# ---- rules -------------------------------------------------------------------------------------

def single_side_reasons(d):
    """docs/rules.md#falsely_closed: the rules that read one side; they apply to every record that exists."""
    reasons = []
    if d.is_done() and d.knows("results") and d.result_count == 0:
        reasons.append("no_result_document")
    if d.is_done() and d.knows("steps", "completed"):
        ended_late = d.completed is not None and any(end > d.completed for end in d.step_ends)
        if d.open_steps > 0 or ended_late:
            reasons.append("steps_after_completion")
    # Decision: no status condition, as the table states none.
    if d.knows("completed", "received") and d.completed is not None and d.received is not None \
            and d.completed < d.received:
        reasons.append("completed_before_receipt")
    return reasons


def is_overdue(d, as_of):
    """docs/rules.md#overdue: completion time > due, or not done and T > due. No due date: never overdue."""
    if d.due is None:
        return False
    if d.completed is not None and d.completed > d.due:
        return True
    return not d.is_done() and as_of > d.due


def procedure_of(code):
    """A procedure is its code's first two dot-separated segments (national may append the agency)."""
    if code is None or isinstance(code, Invalid):
        return code
    return ".".join(code.split(".")[:2])


# docs/rules.md#unknown-fields: the canonical field each compared field needs.
COMPARED_NEEDS = {"procedure_code": "procedure_code", "unit_code": "unit_code", "channel": "channel",
                  "online_payment": "online_payment", "digitized": "digitised", "receipt_time": "received",
                  "completion_time": "completed"}


def differing_fields(p, n):
    """Absent equals absent; absent differs from present; invalid differs from everything. A field
    unknown on either side is not compared."""
    pairs = {
        "procedure_code": (procedure_of(p.procedure), procedure_of(n.procedure)),
        "unit_code": (p.unit, n.unit),
        "channel": (p.channel, n.channel),
        "online_payment": (p.payment, n.payment),
        "digitized": (p.digitized, n.digitized),
        "receipt_time": (p.received, n.received),
        "completion_time": (p.completed, n.completed),
    }
    # docs/rules.md#field_mismatch: a payment one side does not state is unknown and not compared.
    if p.payment is None or n.payment is None:
        pairs["online_payment"] = (None, None)
    return [name for name in COMPARED_FIELDS
            if p.knows(COMPARED_NEEDS[name]) and n.knows(COMPARED_NEEDS[name]) and pairs[name][0] != pairs[name][1]]


def pair_findings(p, n, as_of):
    """Yields (kind, reason, fields) for a provincial and a national record with the same key."""
    statuses_known = p.status is not None and n.status is not None
    closed_on_national_only = statuses_known and n.is_done() and not p.is_done()
    if closed_on_national_only:
        yield "falsely_closed", "closed_on_national_only", None
    if statuses_known and p.status != n.status and not closed_on_national_only:
        yield "status_mismatch", ("national_behind" if p.is_done() else "differs"), None
    both_know = lambda *fields: p.knows(*fields) and n.knows(*fields)
    if both_know("due") and p.due != n.due:
        yield "deadline_mismatch", "differs", None
    if statuses_known and both_know("due", "completed") and is_overdue(p, as_of) and not is_overdue(n, as_of):
        yield "overdue_hidden", "on_time_on_national", None
    fields = differing_fields(p, n)
    if fields:
        yield "field_mismatch", "differs", fields
    if both_know("steps") and len(p.step_ends) > len(n.step_ends):
        yield "progress_not_synced", "missing_steps", None


def is_pending(d, as_of, grace_s):
    """docs/rules.md#pending-dossiers: updated strictly later than T - G. No update time: not pending."""
    return d.updated is not None and d.updated > as_of - grace_s


def standing(records):
    """Decision: of records sharing a key on one side, the one updated last stands for the dossier
    (on equal or missing update times, the one read last); the others are stale copies, reported
    as duplicates and not evaluated, so they raise nothing and count once in the sync rate."""
    def recency(item):
        index, record = item
        return (record.updated if record.updated is not None else float("-inf"), index)
    return max(enumerate(records), key=recency)[1]


def reconcile(provincials, nationals, as_of, grace_s, report, national_lookup_only=False):
    """Returns (findings sorted by key then kind, pending keys, provincial records that stand).
    With national_lookup_only, national is only looked up by the provincial keys (docs/lookups.md):
    a national record no provincial record has the key of is never seen."""
    by_key = {}
    for d in provincials:
        by_key.setdefault(d.key, ([], []))[0].append(d)
    unseen = 0
    for d in nationals:
        if national_lookup_only and d.key not in by_key:
            unseen += 1
            continue
        by_key.setdefault(d.key, ([], []))[1].append(d)
    if unseen:
        report(f"{unseen} national record(s) without a provincial record are not seen by look-ups: "
               "missing_on_provincial is not evaluated")

    findings = []
    pending_keys = set()
    standing_provincials = []
    for key in sorted(by_key):
        provs, nats = by_key[key]
        if len(provs) > 1:
            report(f"duplicate key {key} on provincial: " + ", ".join(d.where for d in provs))
        if len(nats) > 1:
            report(f"duplicate key {key} on national: " + ", ".join(d.where for d in nats))
        p = standing(provs) if provs else None
        n = standing(nats) if nats else None
        if p:
            standing_provincials.append(p)
        if any(is_pending(d, as_of, grace_s) for d in (p, n) if d):
            pending_keys.add(key)
            continue

        raised = []  # (kind, reason, fields)
        if p and not n and not p.is_new:
            raised.append(("missing_on_national", "not_pushed", None))
        if n and not p:
            raised.append(("missing_on_provincial", "unknown_code", None))
        for d in (p, n):
            if d:
                raised.extend(("falsely_closed", reason, None) for reason in single_side_reasons(d))
        if p and n:
            raised.extend(pair_findings(p, n, as_of))

        best = {}
        details = {}
        for kind, reason, fields in raised:
            if kind not in best or REASON_RANK[(kind, reason)] < REASON_RANK[(kind, best[kind])]:
                best[kind] = reason
            if fields:
                details[kind] = {"fields": fields}
        # Decision: a finding belongs to the provincial unit, else to the national one.
        unit = (p.unit if p and p.unit else None) or (n.unit if n else None)
        for kind in sorted(best):
            findings.append({"key": key, "kind": kind, "reason": best[kind],
                             "unit_code": unit, "details": details.get(kind, {})})
    return findings, pending_keys, standing_provincials


def period_of(epoch, granularity):
    """docs/rules.md#sync-rate: period of a provincial appliedDate, in Vietnam time."""
    local = datetime.fromtimestamp(epoch, tz=VIETNAM)
    if granularity == "month":
        return f"{local.year:04d}-{local.month:02d}"
    return f"{local.year:04d}-Q{(local.month - 1) // 3 + 1}"


def sync_rates(provincials, findings, pending_keys, granularity, report):
    """docs/rules.md#sync-rate evaluated for this run alone: every standing provincial record (one per key) not NEW and
    not pending counts; it is fully synced when its key has no finding of any kind. Decision: a
    record without an
    appliedDate has no period and is left out (reported); one without an agency code counts only
    in the province row. Province rows carry unit_code null."""
    keys_with_findings = {f["key"] for f in findings}
    totals = {}
    for d in provincials:
        if d.is_new or d.key in pending_keys:
            continue
        if d.received is None:
            report(f"{d.where}: record {d.key}: no appliedDate, left out of the sync rate")
            continue
        period = period_of(d.received, granularity)
        synced = d.key not in keys_with_findings
        for unit in ([d.unit] if d.unit else []) + [None]:
            row = totals.setdefault((period, unit), [0, 0])
            row[0] += 1
            row[1] += 1 if synced else 0
    rows = []
    for (period, unit), (total, synced) in sorted(totals.items(),
                                                  key=lambda item: (item[0][0], item[0][1] or "")):
        rows.append({"unit_code": unit, "period": period, "total": total, "fully_synced": synced,
                     "rate": synced / total if total else None})
    return rows


def load_status_map(argument, shape="contract"):
    """--status-map: a JSON object (inline or in a file) overriding entries of the provincial shape's
    default table (docs/profiles.md#value-tables)."""
    status_map = dict(DEFAULT_STATUS_MAPS[shape])
    if argument is None:
        return status_map
    try:
        with open(argument, encoding="utf-8") as handle:
            text = handle.read()
    except OSError:
        text = argument
    overrides = json.loads(text)
    if not isinstance(overrides, dict):
        raise ValueError("--status-map must be a JSON object of provincial code -> national code")
    for code, national in overrides.items():
        if normalize_code(code) is None or not isinstance(national, int) or isinstance(national, bool) \
                or national not in NATIONAL_STATUSES:
            raise ValueError(f"--status-map entry {code!r}: {national!r} is not a national status 1..10")
        status_map[normalize_code(code)] = national
    return status_map


def evaluate_files(provincial_path, national_path, as_of, grace_s, status_map=None, report=None,
                   provincial_shape="contract", national_shape="contract"):
    """Library entry point (used by compare.py): returns (findings, pending keys, provincial
    records that stand, one per key). National shape B is look-up only (CONTRACT §8.2)."""
    report = report or Reporter()
    status_map = status_map or dict(DEFAULT_STATUS_MAPS[provincial_shape])
    provincials = load_provincial(provincial_path, status_map, report, provincial_shape)
    nationals = load_national(national_path, report, national_shape)
    return reconcile(provincials, nationals, as_of, grace_s, report, national_lookup_only=national_shape == "b")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--provincial", required=True)
    parser.add_argument("--national", required=True)
    parser.add_argument("--as-of", required=True)
    parser.add_argument("--grace", type=int, default=DEFAULT_GRACE_S)
    parser.add_argument("--status-map")
    parser.add_argument("--provincial-shape", choices=SHAPES, default="contract")
    parser.add_argument("--national-shape", choices=SHAPES, default="contract")
    parser.add_argument("--sync-rate", choices=["month", "quarter"])
    parser.add_argument("--quiet", action="store_true", help="do not print input problems")
    args = parser.parse_args(argv)
    try:
        as_of = parse_as_of(args.as_of)
        if args.grace < 0:
            raise ValueError("--grace must not be negative")
        status_map = load_status_map(args.status_map, args.provincial_shape)
    except ValueError as error:
        print(f"reference.py: {error}", file=sys.stderr)
        return 2
    report = Reporter(None if args.quiet else sys.stderr)
    try:
        findings, pending, provincials = evaluate_files(
            args.provincial, args.national, as_of, args.grace, status_map, report,
            args.provincial_shape, args.national_shape)
    except OSError as error:
        print(f"reference.py: cannot read {error.filename}: {error.strerror}", file=sys.stderr)
        return 2
    out = sys.stdout
    if args.sync_rate:
        for row in sync_rates(provincials, findings, pending, args.sync_rate, report):
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    else:
        for finding in findings:
            out.write(json.dumps(finding, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
