#!/usr/bin/env bash
# The exports an operator takes to a meeting (docs/cli.md#exports), read back as a spreadsheet user would: the CSV
# and .xlsx of `mismatches export` (with its filters), of `report sync-rate`, and of GET /api/findings/export, each
# opened with pandas (openpyxl underneath for .xlsx) and checked against the JSON the same commands give: the
# Vietnamese headers of reports/labels_vi.json (or the codes with --lang en), one row's values, the filters, the
# rate and target both in percent, and an acknowledgement note that looks like a formula staying text.
# Usage: operators_exports.sh DVCRECON_BINARY
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bin=$(dvcrecon_binary "${1:?usage: operators_exports.sh DVCRECON_BINARY}")

/usr/bin/python3 -c 'import pandas, openpyxl' 2>/dev/null ||
  fail "python3-pandas and python3-openpyxl are needed (scripts/packages)"
token=e2e-token-5f1c-0123456789abcdef0123456789
write_config "$work" http://127.0.0.1:9 token=$token audit=yes
build_ledger "$work"
cfg=$work/config.json
out=$work/out
mkdir -p "$out"

# An acknowledgement whose note a spreadsheet would run, on the first falsely closed finding.
id=$("$bin" mismatches export --format jsonl --config "$cfg" --kind falsely_closed |
  python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["id"])')
"$bin" mismatches ack "$id" --note '=HYPERLINK("http://evil.example","bấm")' --by 'Lê Văn Cường' --config "$cfg" \
  >/dev/null || fail "mismatches ack failed"
unit=000.00.12.H10

"$bin" mismatches export --format jsonl --all --config "$cfg" >"$out/all.jsonl" || fail "export jsonl failed"
"$bin" mismatches export --format xlsx --out "$out/all.xlsx" --all --config "$cfg" 2>/dev/null ||
  fail "export xlsx failed"
"$bin" mismatches export --format csv --out "$out/all.csv" --all --config "$cfg" 2>/dev/null || fail "export csv failed"
"$bin" mismatches export --format csv --lang en --all --config "$cfg" >"$out/all-en.csv" || fail "export csv --lang en failed"
"$bin" mismatches export --format xlsx --out "$out/filtered.xlsx" --kind falsely_closed --kind field_mismatch \
  --unit "$unit" --state open --config "$cfg" 2>/dev/null || fail "export xlsx with filters failed"
"$bin" report sync-rate --format json --config "$cfg" >"$out/rates.json" || fail "report json failed"
"$bin" report sync-rate --format xlsx --out "$out/rates.xlsx" --config "$cfg" 2>/dev/null || fail "report xlsx failed"
"$bin" report sync-rate --format csv --lang en --config "$cfg" >"$out/rates-en.csv" || fail "report csv failed"
"$bin" report sync-rate --format csv --unit "$unit" --year 2024 --config "$cfg" >"$out/rates-unit-year.csv" ||
  fail "report csv --unit --year failed"

start_api "$work"
headers=$work/headers
curl -sS -f -D "$headers" -H "Authorization: Bearer $token" -o "$out/api.xlsx" \
  "$api_url/api/findings/export?format=xlsx&kind=falsely_closed,field_mismatch&unit=$unit&state=open" ||
  fail "GET /api/findings/export?format=xlsx failed"
grep -qi '^content-disposition: attachment; filename="dvcrecon-findings-[0-9]\{8\}\.xlsx"' "$headers" ||
  fail "the xlsx export is not an attachment: $(cat "$headers")"
grep -qi '^content-type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' "$headers" ||
  fail "the xlsx export has another content type: $(cat "$headers")"
curl -sS -f -H "Authorization: Bearer $token" -o "$out/api.csv" \
  "$api_url/api/findings/export?format=csv&lang=en&state=all" || fail "GET /api/findings/export?format=csv failed"
status=$(curl -sS -o "$out/api-bad.json" -w '%{http_code}' -H "Authorization: Bearer $token" \
  "$api_url/api/findings/export?format=pdf")
[[ $status == 400 ]] || fail "format=pdf answered $status, not 400"

/usr/bin/python3 - "$out" "$root/reports/labels_vi.json" "$unit" "$id" <<'PY'
import csv, io, json, math, sys
import openpyxl
import pandas as pd

out, labels_path, unit, ack_id = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
labels = json.load(open(labels_path, encoding="utf-8"))
failures = []

def check(ok, what):
    if not ok:
        failures.append(what)

findings = [json.loads(line) for line in open(f"{out}/all.jsonl", encoding="utf-8")]
by_id = {f["id"]: f for f in findings}
note = '=HYPERLINK("http://evil.example","bấm")'

# --lang en: the column codes, the same columns (without the label columns) as the Vietnamese file.
en = pd.read_csv(f"{out}/all-en.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
codes = list(en.columns)
check(codes[:5] == ["id", "key", "code", "unit_code", "unit_name"], f"en header starts {codes[:5]}")
for c in ("kind", "reason", "state", "ack_by", "ack_at", "ack_note", "procedure", "status_provincial",
          "status_national", "receipt_time_provincial", "receipt_time_national", "results_national"):
    check(c in codes, f"en header lacks {c}")
check(not any(c.startswith(("details", "provincial", "national")) and c in ("details", "provincial", "national")
              for c in codes), "a JSON column is left")
check(len(en) == len(findings), f"en csv has {len(en)} rows, jsonl {len(findings)}")

# Vietnamese headers: every column's label from the one table, codes kept beside the labels.
vi_codes = []
for c in codes:
    vi_codes.append(c)
    if c in ("kind", "reason", "state"):
        vi_codes.append(c + "_code")
vi_header = [labels["columns"][c] for c in vi_codes]
for path in (f"{out}/all.xlsx", f"{out}/all.csv"):
    df = (pd.read_excel(path, dtype=object) if path.endswith("xlsx")
          else pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig"))
    check(list(df.columns) == vi_header, f"{path}: header {list(df.columns)[:8]}… is not the labels' {vi_header[:8]}…")
    check(len(df) == len(findings), f"{path}: {len(df)} rows, jsonl {len(findings)}")
    df.columns = vi_codes
    row = df[df["id"].astype(int) == ack_id].iloc[0]
    f = by_id[ack_id]
    for col, want in (("key", f["key"]), ("unit_code", f["unit_code"]), ("kind", labels["kinds"][f["kind"]]["label"]),
                      ("kind_code", f["kind"]), ("reason_code", f["reason"]),
                      ("reason", labels["reasons"][f["reason"]]["label"]), ("state_code", f["state"]),
                      ("state", labels["states"][f["state"]]), ("ack_by", "Lê Văn Cường"),
                      ("first_seen", f["first_seen"]),
                      ("receipt_time_provincial", f["provincial"]["received"] if f["provincial"] else None),
                      ("procedure_code_national", f["national"]["procedure_code"] if f["national"] else None)):
        got = row[col]
        if want in (None, ""):
            check(pd.isna(got) or got == "", f"{path}: {col} is {got!r}, expected empty")
        else:
            check(got == want, f"{path}: {col} is {got!r}, expected {want!r}")
    check(isinstance(row["unit_name"], str) and row["unit_name"].startswith("Sở "), f"{path}: unit name {row['unit_name']!r}")
    # The note a spreadsheet would run stays text: in the CSV behind a quote, in the .xlsx as a string cell.
    if path.endswith("csv"):
        check(row["ack_note"] == "'" + note, f"{path}: ack note {row['ack_note']!r} is not neutralised")
    else:
        check(row["ack_note"] == note, f"{path}: ack note {row['ack_note']!r}")
        ws = openpyxl.load_workbook(path).active
        col = vi_codes.index("ack_note") + 1
        cells = [r[col - 1] for r in ws.iter_rows(min_row=2) if r[0].value == ack_id]
        check(len(cells) == 1 and cells[0].data_type == "s", f"{path}: the note's cell is not a string cell")
        check(all(c.data_type != "f" for r in ws.iter_rows() for c in r), f"{path}: a cell is a formula")

# Filters, on the command line and over the API: only those kinds, that unit, open states.
wanted = sorted(f["id"] for f in findings if f["kind"] in ("falsely_closed", "field_mismatch")
                and f["unit_code"] == unit and f["state"] in ("open", "reopened"))
check(wanted, "the filter test has no findings to keep")
for path in (f"{out}/filtered.xlsx", f"{out}/api.xlsx"):
    df = pd.read_excel(path, dtype=object)
    df.columns = vi_codes
    check(sorted(df["id"].astype(int)) == wanted, f"{path}: ids {sorted(df['id'].astype(int))}, expected {wanted}")
api_en = pd.read_csv(f"{out}/api.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
check(list(api_en.columns) == codes and len(api_en) == len(findings), f"api csv: {len(api_en)} rows")

# Sync rates: rate and target both in percent, two decimals.
rates = json.load(open(f"{out}/rates.json", encoding="utf-8"))
en_rates = pd.read_csv(f"{out}/rates-en.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
check(list(en_rates.columns) == ["unit_code", "unit_name", "period", "total", "synced", "not_synced", "not_evaluated",
                                 "rate_percent", "target_percent", "rate_note", "current_code", "former_codes",
                                 "formerly"], f"rates header {list(en_rates.columns)}")
xl_rates = pd.read_excel(f"{out}/rates.xlsx", dtype=object)
check(list(xl_rates.columns) == [labels["columns"][c] for c in en_rates.columns], f"rates xlsx header {list(xl_rates.columns)}")
check(len(en_rates) == len(rates) == len(xl_rates), "rates: row counts differ")
for i, r in enumerate(rates):
    e = en_rates.iloc[i]
    check(e["rate_percent"] == ("" if r["rate"] is None else f"{r['rate'] * 100:.2f}"), f"rates csv row {i}: {e['rate_percent']}")
    check(e["target_percent"] == f"{r['target']:.2f}", f"rates csv row {i}: target {e['target_percent']}")
    check(int(e["not_synced"]) == r["total"] - r["fully_synced"], f"rates csv row {i}: not_synced")
    check(e["current_code"] == (r["current_code"] or "") and e["former_codes"] == " ".join(r["former_codes"])
          and e["formerly"] == (r["formerly"] or ""), f"rates csv row {i}: successions")
    x = xl_rates.iloc[i]
    check(math.isclose(float(x[labels["columns"]["rate_percent"]]), r["rate"] * 100), f"rates xlsx row {i}: rate")
    check(float(x[labels["columns"]["target_percent"]]) == r["target"], f"rates xlsx row {i}: target")
unit_year = pd.read_csv(f"{out}/rates-unit-year.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
check(len(unit_year) == 1 and unit_year.iloc[0, 0] == unit and unit_year.iloc[0, 2] == "2024",
      f"--unit --year: {unit_year.values.tolist()}")

if failures:
    print("\n".join(failures), file=sys.stderr)
    sys.exit(1)
print(f"exports read back: {len(findings)} findings, {len(wanted)} filtered, {len(rates)} rate rows")
PY
echo "exports read back as written"
