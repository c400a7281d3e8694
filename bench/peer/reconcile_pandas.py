#!/usr/bin/python3
"""Peer reconciler for benchmarks: docs/wire-formats.md and docs/rules.md with pandas merges and vectorised comparisons.

This is what the C++ engine's offline `reconcile` is measured against, so it is meant to be a
fair, competent pandas implementation: JSON lands in Python once (one pass that pulls the fields
out of each record, the same work `pd.json_normalize` would do, without its overhead), and from
there every normalisation, time parse, rule and aggregation is a column operation, a merge or a
groupby. Its semantics are those of tests/e2e/oracle/reference.py; the decisions where the
portals' description is silent are listed in bench/peer/README.md.

Usage:
  reconcile_pandas.py --provincial F --national F --as-of ISO8601 [--grace S]
                      [--status-map JSON|FILE] [--sync-rate month|quarter] [--quiet]
"""
import argparse
import json
import sys

import numpy as np
import pandas as pd

DEFAULT_GRACE_S = 1800
VIETNAM_OFFSET_S = 7 * 3600
DEFAULT_STATUS_MAP = {
    "NEW": 1, "RECEIVED": 2, "NOT_ACCEPTED": 3, "PROCESSING": 4, "SUPPLEMENT_REQUESTED": 5,
    "FINANCIAL_OBLIGATION": 6, "WITHDRAWN": 7, "SUSPENDED": 8, "COMPLETED": 9, "RETURNED": 10,
}
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
RANK = {rule: rank for rank, rule in enumerate(RULE_TABLE)}
COMPARED_FIELDS = ["procedure_code", "unit_code", "channel", "online_payment", "digitized",
                   "receipt_time", "completion_time"]
WS = " \t\n\r\f\v"
UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")


class Problems:
    def __init__(self, quiet):
        self.quiet = quiet

    def __call__(self, message):
        if not self.quiet:
            print(message, file=sys.stderr)


# ---- reading: one pass per record, raw values only ------------------------------------------

def scalar(value):
    """Raw scalar -> text, keeping the reference's rules: integral numbers become digits, null
    stays None, anything else (bool, object, fraction) becomes a marker that never matches."""
    if type(value) is str or value is None:
        return value
    if type(value) is int:
        return str(value)
    if type(value) is float and value.is_integer():
        return str(int(value))
    return "\x00invalid"


def iter_objects(path, problems):
    """JSON array (whole file) or JSON lines (streamed, so memory stays at the extracted columns)."""
    with open(path, "rb") as handle:
        head = handle.read(4096)
        start = 3 if head.startswith(b"\xef\xbb\xbf") else 0
        while not head[start:].lstrip(WS.encode()):
            more = handle.read(4096)
            if not more:
                break
            head += more
        if head[start:].lstrip(WS.encode()).startswith(b"["):
            handle.seek(start)
            yield from iter_array(path, handle.read(), problems)
            return
        handle.seek(start)
        loads = json.loads
        blank = WS.encode()
        for number, raw in enumerate(handle, start=1):
            if not raw.strip(blank):
                continue
            try:
                item = loads(raw.decode("utf-8"))
            except (ValueError, RecursionError):
                problems(f"{path}:{number}: skipped: not valid JSON")
                continue
            if type(item) is dict:
                yield f"{path}:{number}", item
            else:
                problems(f"{path}:{number}: skipped: not an object")


def iter_array(path, data, problems):
    try:
        items = json.loads(data.decode("utf-8"))
    except (ValueError, RecursionError) as error:
        problems(f"{path}: not a valid JSON array: {error}")
        return
    if not isinstance(items, list):
        problems(f"{path}: not a JSON array")
        return
    for index, item in enumerate(items):
        if type(item) is dict:
            yield f"{path}[{index}]", item
        else:
            problems(f"{path}[{index}]: skipped: not an object")


def obj(record, name):
    inner = record.get(name)
    return inner if type(inner) is dict else {}


def load_provincial(path, problems):
    cols = {name: [] for name in ("where", "nation_code", "code", "unit", "status", "updated",
                                  "received", "due", "completed", "procedure", "method",
                                  "payment", "digitized", "results")}
    step_owner, step_end = [], []
    row = 0
    for where, r in iter_objects(path, problems):
        cols["where"].append(where)
        cols["nation_code"].append(scalar(r.get("nationCode")))
        cols["code"].append(scalar(r.get("code")))
        cols["unit"].append(scalar(obj(r, "agency").get("code")))
        cols["status"].append(scalar(obj(r, "status").get("code")))
        cols["updated"].append(r.get("updatedDate"))
        cols["received"].append(r.get("appliedDate"))
        cols["due"].append(r.get("appointmentDate"))
        cols["completed"].append(r.get("completedDate"))
        cols["procedure"].append(scalar(obj(r, "procedure").get("code")))
        cols["method"].append(scalar(obj(r, "applyMethod").get("id")))
        cols["payment"].append(r.get("onlinePayment"))
        cols["digitized"].append(r.get("digitized"))
        results = r.get("results")
        cols["results"].append(len(results) if type(results) is list else 0)
        steps = r.get("steps")
        if type(steps) is list:
            for step in steps:
                if type(step) is dict:
                    step_owner.append(row)
                    step_end.append(step.get("endDate"))
        row += 1
    frame = pd.DataFrame(cols)
    steps = pd.DataFrame({"row": np.array(step_owner, dtype=np.int64),
                          "end": pd.Series(step_end, dtype=object)})
    return frame, steps


def load_national(path, problems):
    cols = {name: [] for name in ("where", "code", "unit", "status", "updated", "received", "due",
                                  "completed", "procedure", "channel", "payment", "digitized",
                                  "results")}
    step_owner, step_end = [], []
    row = 0
    for where, r in iter_objects(path, problems):
        cols["where"].append(where)
        cols["code"].append(scalar(r.get("MaHoSo")))
        cols["unit"].append(scalar(r.get("DonViXuLy")))
        cols["status"].append(scalar(r.get("TrangThaiHoSo")))
        cols["updated"].append(scalar(r.get("NgayCapNhat")))
        cols["received"].append(scalar(r.get("NgayTiepNhan")))
        cols["due"].append(scalar(r.get("NgayHenTra")))
        cols["completed"].append(scalar(r.get("NgayKetThucXuLy")))
        cols["procedure"].append(scalar(r.get("MaTTHC")))
        cols["channel"].append(scalar(r.get("KenhThucHien")))
        cols["payment"].append(scalar(r.get("DuocThanhToanTrucTuyen")))
        cols["digitized"].append(scalar(r.get("HoSoCoThanhPhanSoHoa")))
        results = r.get("DanhSachGiayToKetQua")
        cols["results"].append(len(results) if type(results) is list else 0)
        steps = r.get("QuaTrinhXuLy")
        if type(steps) is list:
            for step in steps:
                if type(step) is dict:
                    step_owner.append(row)
                    step_end.append(scalar(step.get("ThoiDiemXuLy")))
        row += 1
    frame = pd.DataFrame(cols)
    steps = pd.DataFrame({"row": np.array(step_owner, dtype=np.int64),
                          "end": pd.Series(step_end, dtype=object)})
    return frame, steps


# ---- vectorised normalisation ---------------------------------------------------------------

def as_text(series):
    """Object column -> string column with NaN where the value is not a string."""
    return series.where(series.map(type, na_action="ignore") == str)


def norm_code(series):
    """Code normalisation (docs/wire-formats.md#codes); a non-text value (marked by `scalar`) counts as absent."""
    text = as_text(series)
    text = text.where(~text.str.startswith("\x00", na=False)).str.strip(WS).str.translate(UPPER)
    return text.where(text.str.len() > 0)


def procedure_root(series):
    """The first two dot-separated segments of a procedure code (docs/rules.md#field_mismatch)."""
    return series.str.split(".").str[:2].str.join(".").where(series.notna())


def small_int(series):
    """Digits (surrounding whitespace allowed) -> float value; blank/None -> NaN with
    `invalid` True where something else was present."""
    text = as_text(series).str.strip(WS)
    present = series.notna() & ~(text == "")
    digits = text.str.fullmatch(r"[0-9]+").fillna(False).astype(bool)
    value = pd.to_numeric(text.where(digits), errors="coerce")
    return value, present & ~digits


def days_from_civil(y, m, d):
    y = y - (m <= 2)
    era = y // 400
    yoe = y - era * 400
    mp = (m + 9) % 12
    doy = (153 * mp + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def civil_year_month(days):
    z = days + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    m = np.where(mp < 10, mp + 3, mp - 9)
    return y + (m <= 2), m


def char_matrix(text, width):
    """Strings -> (n x width matrix of code points, 0-padded; lengths). Times are parsed on this
    matrix with numpy instead of a regex per value; longer strings are blanked (and so invalid)."""
    filled = text.fillna("")
    lengths = filled.str.len().to_numpy()
    filled = filled.where(lengths <= width, "")
    codes = np.array(filled.tolist(), dtype=f"U{width}").view(np.int32).reshape(len(filled), width)
    return codes, lengths


def number_at(codes, start, count):
    """The decimal number in columns start..start+count-1, and whether they are all digits."""
    digits = codes[:, start:start + count] - 48
    ok = ((digits >= 0) & (digits <= 9)).all(axis=1)
    value = np.zeros(len(codes), dtype=np.int64)
    for column in range(count):
        value = value * 10 + digits[:, column]
    return value, ok


def epoch_from_fields(y, mo, d, h, mi, s, offset_s, valid):
    """Float epoch (NaN where invalid or not a real date and time) and the final validity."""
    leap = ((y % 4 == 0) & (y % 100 != 0)) | (y % 400 == 0)
    month_days = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
    dim = month_days[np.clip(mo, 1, 12) - 1] + ((mo == 2) & leap)
    valid = valid & (y >= 1) & (mo >= 1) & (mo <= 12) & (d >= 1) & (d <= dim)
    valid &= (h <= 23) & (mi <= 59) & (s <= 59)
    epoch = days_from_civil(y, np.clip(mo, 1, 12), d) * 86400 + h * 3600 + mi * 60 + s - offset_s
    return np.where(valid, epoch.astype(np.float64), np.nan), valid


ISO_WIDTH = 40          # yyyy-MM-ddTHH:mm:ss + .fraction(<=9) + ±HH:MM fits in 35


def provincial_time(series, name, frame, problems):
    """ISO 8601 `yyyy-MM-ddTHH:mm:ss[.f{1,9}](Z|±HH:MM)`; fraction truncated."""
    text = as_text(series).str.strip(WS)
    codes, length = char_matrix(text, ISO_WIDTH)
    rows = np.arange(len(codes))
    valid = length >= 20
    for column, char in ((4, "-"), (7, "-"), (10, "T"), (13, ":"), (16, ":")):
        valid &= codes[:, column] == ord(char)
    fields = []
    for start, count in ((0, 4), (5, 2), (8, 2), (11, 2), (14, 2), (17, 2)):
        value, ok = number_at(codes, start, count)
        fields.append(value)
        valid &= ok
    last = codes[rows, np.clip(length - 1, 0, ISO_WIDTH - 1)]
    zulu = last == ord("Z")
    zone_len = np.where(zulu, 1, 6)
    zone = np.clip(length - 6, 0, ISO_WIDTH - 6)
    at = lambda offset: codes[rows, zone + offset] - 48
    zone_digits = np.stack([at(1), at(2), at(4), at(5)], axis=1)
    sign_char = codes[rows, zone]
    numeric_zone = (((sign_char == ord("+")) | (sign_char == ord("-")))
                    & (codes[rows, zone + 3] == ord(":"))
                    & ((zone_digits >= 0) & (zone_digits <= 9)).all(axis=1))
    off_h = zone_digits[:, 0] * 10 + zone_digits[:, 1]
    off_m = zone_digits[:, 2] * 10 + zone_digits[:, 3]
    valid &= zulu | (numeric_zone & (off_h <= 23) & (off_m <= 59))
    # Between the seconds and the zone: nothing, or '.' and 1..9 digits.
    middle = length - zone_len - 19
    columns = np.arange(ISO_WIDTH)[None, :]
    in_fraction = (columns >= 20) & (columns < (19 + middle)[:, None])
    fraction_ok = (~in_fraction | ((codes >= 48) & (codes <= 57))).all(axis=1)
    valid &= (middle == 0) | ((middle >= 2) & (middle <= 10)
                              & (codes[:, 19] == ord(".")) & fraction_ok)
    offset = np.where(zulu, 0, np.where(sign_char == ord("-"), -1, 1) * (off_h * 3600 + off_m * 60))
    epoch, valid = epoch_from_fields(*fields, offset, valid)
    present = series.notna().to_numpy() & (length > 0)
    report_bad_times(frame, present & ~valid, series, name, problems)
    return epoch


def national_time(series, name, frame, problems):
    """`yyyyMMddHHmmss` in Vietnam time."""
    text = as_text(series).str.strip(WS)
    codes, length = char_matrix(text, 14)
    valid = length == 14
    fields = []
    for start, count in ((0, 4), (4, 2), (6, 2), (8, 2), (10, 2), (12, 2)):
        value, ok = number_at(codes, start, count)
        fields.append(value)
        valid &= ok
    epoch, valid = epoch_from_fields(*fields, VIETNAM_OFFSET_S, valid)
    present = series.notna().to_numpy() & (length > 0)
    report_bad_times(frame, present & ~valid, series, name, problems)
    return epoch


def report_bad_times(frame, bad, series, name, problems):
    if problems.quiet or not bad.any():
        return
    for where, key, value in zip(frame["where"][bad], frame["key"][bad], series[bad]):
        problems(f"{where}: record {key}: field {name}: {value!r} is not a valid time; "
                 "treated as absent")


def invalid_token(frame, mask, side):
    """Distinct per record and side, so a bad value never equals anything."""
    return ("\x00" + side + frame.index.to_series().astype(str)).where(mask)


def prepare_provincial(frame, steps, status_map, problems):
    p = pd.DataFrame(index=frame.index)
    p["where"] = frame["where"]
    p["key"] = norm_code(frame["nation_code"]).fillna(norm_code(frame["code"]))
    no_key = p["key"].isna()
    for where in p["where"][no_key]:
        problems(f"{where}: skipped: provincial record has neither nationCode nor code")
    p["unit"] = norm_code(frame["unit"])
    code = norm_code(frame["status"])
    p["is_new"] = (code == "NEW").to_numpy()
    p["status"] = code.map(status_map)
    report_unknown_status(p[~no_key], frame["status"][~no_key], problems)
    for col, name in (("updated", "updatedDate"), ("received", "appliedDate"),
                      ("due", "appointmentDate"), ("completed", "completedDate")):
        p[col] = provincial_time(frame[col], name, p, problems)
    p["procedure"] = norm_code(frame["procedure"])
    method, bad_method = small_int(frame["method"])
    channel = (method + 1).where(method.isin([0, 1, 2]))
    p["channel"] = channel.map("{:.0f}".format, na_action="ignore").fillna(
        invalid_token(p, bad_method | (method.notna() & channel.isna()), "P"))
    for col in ("payment", "digitized"):
        raw = frame[col]
        is_bool = raw.map(type, na_action="ignore") == bool
        token = raw.where(is_bool).map({True: "yes", False: "no"})
        p[col] = token.fillna(invalid_token(p, raw.notna() & ~is_bool, "P"))
    p["results"] = frame["results"].to_numpy()
    add_steps(p, steps, provincial_time(steps["end"], "steps[].endDate",
                                        step_frame(p, steps), problems))
    return p[~no_key].copy()


def prepare_national(frame, steps, problems):
    n = pd.DataFrame(index=frame.index)
    n["where"] = frame["where"]
    n["key"] = norm_code(frame["code"])
    no_key = n["key"].isna()
    for where in n["where"][no_key]:
        problems(f"{where}: skipped: national record has no MaHoSo")
    n["unit"] = norm_code(frame["unit"])
    status, _ = small_int(frame["status"])
    n["status"] = status.where(status.between(1, 10))
    n["is_new"] = False
    report_unknown_status(n[~no_key], frame["status"][~no_key], problems)
    for col, name in (("updated", "NgayCapNhat"), ("received", "NgayTiepNhan"),
                      ("due", "NgayHenTra"), ("completed", "NgayKetThucXuLy")):
        n[col] = national_time(frame[col], name, n, problems)
    n["procedure"] = norm_code(frame["procedure"])
    channel, bad = small_int(frame["channel"])
    ok = channel.isin([1, 2, 3])
    n["channel"] = channel.where(ok).map("{:.0f}".format, na_action="ignore").fillna(
        invalid_token(n, bad | (channel.notna() & ~ok), "N"))
    # DuocThanhToanTrucTuyen: 1 and 2 paid online (national platform, a provincial or ministry gateway), 0 and 3 not.
    for col, codes in (("payment", {1: "yes", 2: "yes", 0: "no", 3: "no"}), ("digitized", {1: "yes", 0: "no"})):
        value, bad = small_int(frame[col])
        token = value.map(codes)
        n[col] = token.fillna(invalid_token(n, bad | (value.notna() & token.isna()), "N"))
    n["results"] = frame["results"].to_numpy()
    add_steps(n, steps, national_time(steps["end"], "QuaTrinhXuLy[].ThoiDiemXuLy",
                                      step_frame(n, steps), problems))
    return n[~no_key].copy()


def step_frame(side, steps):
    """Where/key columns for step rows, for messages about a step's time."""
    return pd.DataFrame({"where": side["where"].to_numpy()[steps["row"].to_numpy()],
                         "key": side["key"].to_numpy()[steps["row"].to_numpy()]})


def add_steps(side, steps, end):
    """Per record: open steps, ended steps, latest step end."""
    ended = ~np.isnan(end)
    s = pd.DataFrame({"row": steps["row"].to_numpy(), "ended": ended, "end": end})
    grouped = s.groupby("row")
    side["ended_steps"] = grouped["ended"].sum().reindex(side.index, fill_value=0).to_numpy()
    side["open_steps"] = (grouped["ended"].size() - grouped["ended"].sum()).reindex(
        side.index, fill_value=0).to_numpy()
    side["last_step_end"] = grouped["end"].max().reindex(side.index).to_numpy()


def report_unknown_status(side, raw, problems):
    if problems.quiet:
        return
    unknown = side["status"].isna()
    for where, key, value in zip(side["where"][unknown], side["key"][unknown], raw[unknown]):
        problems(f"{where}: record {key}: unknown status {value!r}; "
                 "rules that read the status are not evaluated")


# ---- rules ------------------------------------------------------------------------------------

def single_side(side):
    """no_result_document / steps_after_completion / completed_before_receipt on one side."""
    done = side["status"].isin([9, 10])
    late = side["last_step_end"] > side["completed"]          # NaN on either side -> False
    out = []
    for mask, reason in (
            (done & (side["results"] == 0), "no_result_document"),
            (done & ((side["open_steps"] > 0) | late), "steps_after_completion"),
            (side["completed"] < side["received"], "completed_before_receipt")):
        out.append(pd.DataFrame({"key": side["key"][mask], "rank": RANK[("falsely_closed", reason)]}))
    return out


def overdue(due, completed, done, as_of):
    has_due = ~np.isnan(due)
    return has_due & ((completed > due) | (~done & (as_of > due)))


def differs(a, b):
    """Absent equals absent, absent differs from present."""
    return ~((a == b) | (a.isna() & b.isna()))


def pair_rules(pairs, as_of):
    p_done = pairs["status_p"].isin([9, 10]).to_numpy()
    n_done = pairs["status_n"].isin([9, 10]).to_numpy()
    known = (pairs["status_p"].notna() & pairs["status_n"].notna()).to_numpy()
    key = pairs["key"]
    out = []

    def add(mask, kind, reason):
        out.append(pd.DataFrame({"key": key[mask], "rank": RANK[(kind, reason)]}))

    closed_national_only = known & n_done & ~p_done
    add(closed_national_only, "falsely_closed", "closed_on_national_only")
    status_differs = known & (pairs["status_p"] != pairs["status_n"]).to_numpy() & ~closed_national_only
    add(status_differs & p_done, "status_mismatch", "national_behind")
    add(status_differs & ~p_done, "status_mismatch", "differs")
    add(differs(pairs["due_p"], pairs["due_n"]).to_numpy(), "deadline_mismatch", "differs")
    due_p, due_n = pairs["due_p"].to_numpy(), pairs["due_n"].to_numpy()
    p_over = overdue(due_p, pairs["completed_p"].to_numpy(), p_done, as_of)
    n_over = overdue(due_n, pairs["completed_n"].to_numpy(), n_done, as_of)
    add(known & p_over & ~n_over, "overdue_hidden", "on_time_on_national")
    add((pairs["ended_steps_p"] > pairs["ended_steps_n"]).to_numpy(),
        "progress_not_synced", "missing_steps")

    columns = {"procedure_code": "procedure", "unit_code": "unit", "channel": "channel",
               "online_payment": "payment", "digitized": "digitized",
               "receipt_time": "received", "completion_time": "completed"}
    field_flags = pd.DataFrame({name: differs(pairs[col + "_p"], pairs[col + "_n"]).to_numpy()
                                for name, col in columns.items()})
    # A procedure is its code's first two segments; a payment a side does not state is not compared.
    field_flags["procedure_code"] = differs(procedure_root(pairs["procedure_p"]),
                                            procedure_root(pairs["procedure_n"])).to_numpy()
    field_flags["online_payment"] &= (pairs["payment_p"].notna() & pairs["payment_n"].notna()).to_numpy()
    field_flags["key"] = key.to_numpy()
    any_field = field_flags[COMPARED_FIELDS].any(axis=1).to_numpy()
    add(any_field, "field_mismatch", "differs")
    fields_by_key = field_flags[any_field].groupby("key")[COMPARED_FIELDS].any()
    return out, fields_by_key


def standing(side):
    """Of records sharing a key, the one updated last (ties and missing times: the one read last)
    stands for the dossier; the others are stale copies and are not evaluated."""
    order = side.assign(read=np.arange(len(side)))
    order = order.sort_values(["key", "updated", "read"], na_position="first", kind="stable")
    return order.drop_duplicates("key", keep="last").drop(columns="read")


def reconcile(p, n, as_of, grace_s, problems):
    """Returns (findings sorted by key and kind, pending keys, field flags by key, the provincial
    records that stand)."""
    for side, name in ((p, "provincial"), (n, "national")):
        if not problems.quiet:
            copies = side[side["key"].duplicated(keep=False)]
            for key, group in copies.groupby("key"):
                problems(f"duplicate key {key} on {name}: " + ", ".join(group["where"]))
    p, n = standing(p), standing(n)
    standing_p = p

    cutoff = as_of - grace_s
    pending = pd.Index(pd.concat([p["key"][p["updated"] > cutoff],
                                  n["key"][n["updated"] > cutoff]]).unique())
    p = p[~p["key"].isin(pending)]
    n = n[~n["key"].isin(pending)]

    on_national = p["key"].isin(n["key"])
    on_provincial = n["key"].isin(p["key"])
    parts = [
        pd.DataFrame({"key": p["key"][~on_national & ~p["is_new"]],
                      "rank": RANK[("missing_on_national", "not_pushed")]}),
        pd.DataFrame({"key": n["key"][~on_provincial],
                      "rank": RANK[("missing_on_provincial", "unknown_code")]}),
    ]
    parts += single_side(p) + single_side(n)
    # One record per key and side stands, so the merge pairs each dossier's two records.
    pairs = p.merge(n, on="key", suffixes=("_p", "_n"))
    pair_parts, fields_by_key = pair_rules(pairs, as_of)
    parts += pair_parts

    raised = pd.concat(parts, ignore_index=True)
    table = pd.DataFrame(RULE_TABLE, columns=["kind", "reason"])
    raised["kind"] = table["kind"].to_numpy()[raised["rank"].to_numpy()]
    best = raised.groupby(["key", "kind"], as_index=False, sort=False)["rank"].min()
    best["reason"] = table["reason"].to_numpy()[best["rank"].to_numpy()]

    units = p.set_index("key")["unit"].dropna().combine_first(n.set_index("key")["unit"].dropna())
    best["unit_code"] = best["key"].map(units)
    best = best.sort_values(["key", "kind"], kind="stable", ignore_index=True)
    return best, pending, fields_by_key, standing_p


def write_findings(best, fields_by_key, out):
    details = [{}] * len(best)
    is_field = (best["kind"] == "field_mismatch").to_numpy()
    if is_field.any():
        flags = fields_by_key.reindex(best["key"][is_field]).to_numpy()
        names = np.array(COMPARED_FIELDS)
        for index, row in zip(np.flatnonzero(is_field), flags):
            details[index] = {"fields": names[row].tolist()}
    frame = pd.DataFrame({"key": best["key"], "kind": best["kind"], "reason": best["reason"],
                          "unit_code": best["unit_code"].astype(object).where(
                              best["unit_code"].notna(), None),
                          "details": details})
    if len(frame):
        write_lines(frame, out)


def write_lines(frame, out):
    """JSON lines, one per row; pandas may or may not end the text with a newline."""
    out.write(frame.to_json(orient="records", lines=True, force_ascii=False,
                              double_precision=15).rstrip("\n") + "\n")


def sync_rates(p, best, pending, granularity, problems):
    counted = p[~p["is_new"] & ~p["key"].isin(pending)]
    no_date = counted["received"].isna()
    for where, key in zip(counted["where"][no_date], counted["key"][no_date]):
        problems(f"{where}: record {key}: no appliedDate, left out of the sync rate")
    counted = counted[~no_date]
    local_days = (counted["received"].to_numpy(np.int64) + VIETNAM_OFFSET_S) // 86400
    year, month = civil_year_month(local_days)
    if granularity == "month":
        period = pd.Series(year).map("{:04d}".format) + "-" + pd.Series(month).map("{:02d}".format)
    else:
        period = pd.Series(year).map("{:04d}".format) + "-Q" + pd.Series((month - 1) // 3 + 1).astype(str)
    frame = pd.DataFrame({"unit_code": counted["unit"].to_numpy(), "period": period.to_numpy(),
                          "synced": ~counted["key"].isin(best["key"]).to_numpy()})
    per_unit = frame.dropna(subset=["unit_code"]).groupby(["period", "unit_code"], as_index=False)
    per_unit = per_unit.agg(total=("synced", "size"), fully_synced=("synced", "sum"))
    province = frame.groupby("period", as_index=False).agg(total=("synced", "size"),
                                                           fully_synced=("synced", "sum"))
    province["unit_code"] = None
    rows = pd.concat([province, per_unit], ignore_index=True)
    rows["order"] = rows["unit_code"].fillna("")
    rows = rows.sort_values(["period", "order"], kind="stable")
    rows["rate"] = rows["fully_synced"] / rows["total"]
    return rows[["unit_code", "period", "total", "fully_synced", "rate"]]


def parse_as_of(text):
    series = pd.Series([text], dtype=object)
    epoch = provincial_time(series, "--as-of", pd.DataFrame({"where": ["--as-of"], "key": [""]}),
                            Problems(True))[0]
    if np.isnan(epoch):
        raise ValueError(f"--as-of {text!r} is not an ISO 8601 time with an offset")
    return int(epoch)


def load_status_map(argument):
    status_map = dict(DEFAULT_STATUS_MAP)
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
        if type(national) is not int or not 1 <= national <= 10 or not code.strip(WS):
            raise ValueError(f"--status-map entry {code!r}: {national!r} is not a national status 1..10")
        status_map[code.strip(WS).translate(UPPER)] = national
    return status_map


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--provincial", required=True)
    parser.add_argument("--national", required=True)
    parser.add_argument("--as-of", required=True)
    parser.add_argument("--grace", type=int, default=DEFAULT_GRACE_S)
    parser.add_argument("--status-map")
    parser.add_argument("--sync-rate", choices=["month", "quarter"])
    parser.add_argument("--quiet", action="store_true", help="do not print input problems")
    args = parser.parse_args(argv)
    try:
        as_of = parse_as_of(args.as_of)
        if args.grace < 0:
            raise ValueError("--grace must not be negative")
        status_map = load_status_map(args.status_map)
    except ValueError as error:
        print(f"reconcile_pandas.py: {error}", file=sys.stderr)
        return 2
    problems = Problems(args.quiet)
    try:
        p = prepare_provincial(*load_provincial(args.provincial, problems), status_map, problems)
        n = prepare_national(*load_national(args.national, problems), problems)
    except OSError as error:
        print(f"reconcile_pandas.py: cannot read {error.filename}: {error.strerror}", file=sys.stderr)
        return 2
    best, pending, fields_by_key, standing_p = reconcile(p, n, as_of, args.grace, problems)
    if args.sync_rate:
        rows = sync_rates(standing_p, best, pending, args.sync_rate, problems)
        if len(rows):
            rows = rows.astype({"unit_code": object})
            rows["unit_code"] = rows["unit_code"].where(rows["unit_code"].notna(), None)
            write_lines(rows, sys.stdout)
    else:
        write_findings(best, fields_by_key, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
