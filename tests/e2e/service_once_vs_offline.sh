#!/usr/bin/env bash
# `dvcrecon run --once` against `dvcrecon sim` records exactly the open findings that `dvcrecon reconcile` computes
# from the simulator's dump at the same T and grace — first on a clean network, then with faults (5xx, 429 with
# Retry-After, truncated bodies, token and session expiry, page drift) — and both again with the simulator in shape B,
# read through the shipped shape-b profiles: the provincial password grant, a descending listing without a time
# filter, and a national side answering only look-ups by code. A look-up-only national side cannot show dossiers
# that only it holds, so missing_on_provincial is left out of the offline set for shape B (docs/lookups.md). Each
# run's open findings must also equal those of the independent oracle (oracle/reference.py) on the dump, read in
# the same shape.
#
# With E2E_SOURCES=2 the province has two provincial sources (docs/sources.md): the simulator's current one and its
# legacy one (sim --legacy-source), a quarter of whose dossiers moved to the current one. The service reads both and
# must give the findings of the province's merged records (the dump's provincial.jsonl), with every moved dossier
# held by the current source and every legacy-only one by the legacy source.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bin=$(dvcrecon_binary "${1:?usage: service_once_vs_offline.sh DVCRECON_BINARY}")

# compare NAME SHAPE FAULTS: one run of the service and of the offline command; the sets must be equal.
compare() {
  local name=$1 shape=$2 faults=$3
  local dir=$work/$name
  local profiles=() skip=none
  use_shape "$shape"
  mkdir -p "$dir"
  start_sim "$name" --seed 11 --dossiers 3000 --dump "$dir/dump" ${faults:+--faults "$faults"} \
    ${two_sources:+--legacy-source}
  write_config "$dir" "$sim_url" page=100 sources="${E2E_SOURCES:-1}"
  if [[ $shape == b ]]; then
    profiles=(--provincial-profile shape-b --national-profile shape-b)
    skip=missing_on_provincial
  fi
  # A descending listing (shape B) cannot see a record that jumps to the top while it pages; the cursor is the
  # instant the listing began, so the next cycle reads it (docs/wire-formats.md). With drift, shape B gets two.
  local cycles=1 cycle rc
  [[ $shape == b && -n $faults ]] && cycles=2
  for ((cycle = 1; cycle <= cycles; cycle++)); do
    rc=0
    "$bin" run --config "$dir/config.json" --once 2>"$dir/run-$cycle.err" || rc=$?
    [[ $rc -eq 0 ]] || { tail -20 "$dir/run-$cycle.err" >&2; fail "$name: dvcrecon run --once ($cycle) exited $rc"; }
  done
  # Requests the simulator answered: with faults, retries and renewed tokens and sessions add to them.
  requests=$(curl -sf "$sim_url/sim/status" | python3 -c 'import json, sys; print(json.load(sys.stdin)["requests"])')
  stop_sim
  local as_of status
  as_of=$(sqlite3 "$dir/ledger.db" "SELECT as_of FROM runs ORDER BY id DESC LIMIT 1")
  status=$(sqlite3 "$dir/ledger.db" "SELECT status FROM runs ORDER BY id DESC LIMIT 1")
  [[ "$status" == ok ]] || fail "$name: the run was recorded as '$status'"
  "$bin" reconcile --provincial "$dir/dump/provincial.jsonl" --national "$dir/dump/national.jsonl" "${profiles[@]}" \
    --as-of "$(date -u -d "@$as_of" +%Y-%m-%dT%H:%M:%SZ)" --grace 1800 --format jsonl \
    >"$dir/offline.jsonl" 2>"$dir/offline.err" || fail "$name: dvcrecon reconcile failed: $(cat "$dir/offline.err")"
  python3 -c '
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    f = json.loads(line)
    if f["kind"] != sys.argv[2]:
        print("\t".join((f["key"], f["kind"], f["reason"])))
' "$dir/offline.jsonl" "$skip" | LC_ALL=C sort >"$dir/offline.tsv"
  sqlite3 -separator $'\t' "$dir/ledger.db" \
    "SELECT key, kind, reason FROM findings WHERE state IN ('open', 'reopened')" | LC_ALL=C sort >"$dir/service.tsv"
  local n
  n=$(wc -l <"$dir/service.tsv")
  [[ $n -gt 100 ]] || fail "$name: only $n open findings in the ledger"
  if ! diff -q "$dir/offline.tsv" "$dir/service.tsv" >/dev/null; then
    diff "$dir/offline.tsv" "$dir/service.tsv" | head -20 >&2
    fail "$name: the service's open findings differ from the offline evaluation"
  fi
  # The independent oracle reads the same dump in the same shape and must find the same open findings.
  oracle_agrees "$dir/ledger.db" "$dir/dump" "$name"
  [[ -z $two_sources ]] || check_sources "$dir"
  local read
  read=$(sqlite3 "$dir/ledger.db" "SELECT provincial_read || ' ' || national_read FROM runs ORDER BY id DESC LIMIT 1")
  passed=$((passed + 1))
  echo "ok: $name: $n open findings equal the offline evaluation and the oracle's (records read: $read; $requests requests)"
}

# check_sources DIR: each provincial record is held by the source the dump says: a moved dossier by the current
# source, a legacy-only one by the legacy source.
check_sources() {
  local dir=$1
  python3 - "$dir" <<'PY' || fail "$name: the provincial records are not held by the sources the simulator serves them from"
import json, sqlite3, sys
d = sys.argv[1]
def codes(name):
    out = set()
    for line in open(f"{d}/dump/{name}", encoding="utf-8"):
        r = json.loads(line)
        out.add((r.get("code") or r.get("MaHoSo") or "").strip().upper())
    return out
new, legacy = codes("provincial-new.jsonl"), codes("provincial-legacy.jsonl")
moved = new & legacy
db = sqlite3.connect(f"{d}/ledger.db")
held = dict(db.execute("SELECT code, source FROM records WHERE side = 'provincial'"))
wrong = [c for c in moved if held.get(c) != "dong-nai"] + [c for c in legacy - new if held.get(c) != "binh-phuoc"]
if wrong or len(moved) < 20:
    print(f"{len(moved)} moved dossiers; held by the wrong source: {sorted(wrong)[:10]}", file=sys.stderr)
    sys.exit(1)
print(f"{len(moved)} moved dossiers held by dong-nai, {len(legacy - new)} legacy-only by binh-phuoc")
PY
}

two_sources=
[[ ${E2E_SOURCES:-1} == 2 ]] && two_sources=yes
passed=0
faults="error5xx=0.05,rate429=0.03,retry_after=1,truncate=0.03,token_ttl=7r,session_ttl=7r,drift=0.2"
for shape in ${E2E_SHAPES:-contract b}; do
  requests=0
  compare "clean-$shape" "$shape" ""
  clean_requests=$requests
  compare "faults-$shape" "$shape" "$faults"
  [[ $requests -gt $((clean_requests + 10)) ]] ||
    fail "$shape: the faulty run took $requests requests against $clean_requests without faults: were faults injected?"
done
echo "$passed passed, 0 failed"
