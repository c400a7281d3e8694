#!/usr/bin/env bash
# `reconcile --ledger` across three runs of changing exports: a finding opens, resolves when the data is fixed,
# and reopens when the fault comes back; malformed input is reported as file:line and skipped; bad usage exits 2.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bin=$(dvcrecon_binary "${1:?usage: reconcile_lifecycle.sh DVCRECON_BINARY}")
cd "$work"

prov() {  # status code, due date
  cat > p.jsonl <<JSON
{"id":"1","code":"000.00.12.H10-240715-0001","nationCode":null,"agency":{"code":"000.00.12.H10","name":"Sở Giao thông vận tải"},"procedure":{"code":"1.003560"},"applyMethod":{"id":1},"status":{"code":"$1"},"appliedDate":"2024-07-15T08:00:00+07:00","appointmentDate":"$2","completedDate":null,"updatedDate":"2024-07-16T08:00:00+07:00","digitized":true,"onlinePayment":false,"results":[],"steps":[]}
not json at all
{"id":"2","code":"000.00.12.H10-240715-0002","agency":{"code":"000.00.12.H10"},"status":{"code":"RECEIVED"},"appliedDate":"2024-07-15T08:00:00+07:00","updatedDate":"2024-07-16T08:00:00+07:00"}
JSON
}
cat > n.jsonl <<'JSON'
{"MaHoSo":"000.00.12.h10-240715-0001 ","MaTTHC":"1.003560","DonViXuLy":"000.00.12.H10","TrangThaiHoSo":4,"KenhThucHien":"2","HoSoCoThanhPhanSoHoa":"1","DuocThanhToanTrucTuyen":"3","NgayTiepNhan":"20240715080000","NgayHenTra":"20240720170000","NgayKetThucXuLy":"","NgayCapNhat":"20240716080000"}
JSON

run() { "$bin" reconcile --provincial p.jsonl --national n.jsonl --as-of 2024-07-17T00:00:00+07:00 --ledger l.db --format jsonl 2>err.txt; }
states() { python3 -c 'import json,sys; print(" ".join(sorted(j["key"][-4:]+":"+j["kind"]+":"+j["state"] for j in map(json.loads, sys.stdin))))'; }

prov RECEIVED 2024-07-20T17:00:00+07:00
got=$(run | states)
[ "$got" = "0001:status_mismatch:open 0002:missing_on_national:open" ] || { echo "run 1: $got"; exit 1; }
grep -q 'p.jsonl:2: invalid JSON' err.txt || { echo "malformed line not reported as file:line"; cat err.txt; exit 1; }
grep -q '1 malformed' err.txt || { echo "summary does not count the malformed line"; cat err.txt; exit 1; }

prov PROCESSING 2024-07-20T17:00:00+07:00
got=$(run | states)
[ "$got" = "0001:status_mismatch:resolved 0002:missing_on_national:open" ] || { echo "run 2: $got"; exit 1; }

prov PROCESSING 2024-07-21T17:00:00+07:00
prov_status_back=$(run | states)
[ "$prov_status_back" = "0001:deadline_mismatch:open 0002:missing_on_national:open" ] || { echo "run 3: $prov_status_back"; exit 1; }

prov RECEIVED 2024-07-20T17:00:00+07:00
got=$(run | states)
[ "$got" = "0001:deadline_mismatch:resolved 0001:status_mismatch:reopened 0002:missing_on_national:open" ] || { echo "run 4: $got"; exit 1; }

[ "$(sqlite3 l.db "select count(*) from runs")" = 4 ] || { echo "runs not recorded"; exit 1; }

# Usage errors: exit 2 with one sentence naming the input.
set +e
"$bin" reconcile --provincial missing.jsonl --national n.jsonl 2>err.txt; rc=$?
set -e
[ $rc = 2 ] && grep -q 'missing.jsonl' err.txt || { echo "missing file: rc=$rc"; cat err.txt; exit 1; }
set +e
"$bin" reconcile --provincial p.jsonl 2>err.txt; rc=$?
set -e
[ $rc = 2 ] || { echo "missing --national: rc=$rc"; exit 1; }
echo "binary garbage" > junk.json
set +e
"$bin" reconcile --provincial junk.json --national n.jsonl 2>err.txt; rc=$?
set -e
[ $rc = 2 ] && grep -q 'junk.json' err.txt || { echo "unreadable file: rc=$rc"; cat err.txt; exit 1; }
echo "reconcile lifecycle: ok"
