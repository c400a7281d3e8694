#!/usr/bin/env bash
# `dvcrecon run --once` against `dvcrecon sim` records exactly the open findings that `dvcrecon reconcile` computes
# from the simulator's dump at the same T and grace — first on a clean network, then with faults (5xx, 429 with
# Retry-After, truncated bodies, token and session expiry, page drift) — and both again with the simulator in shape B,
# read through the shipped shape-b profiles: the provincial password grant, a descending listing without a time
# filter, and a national side answering only look-ups by code. A look-up-only national side cannot show dossiers
# that only it holds, so missing_on_provincial is left out of the offline set for shape B (docs/lookups.md). Each
# run's open findings must also equal those of the independent oracle (oracle/reference.py) on the dump, read in
# the same shape.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bin=$(dvcrecon_binary "${1:?usage: service_once_vs_offline.sh DVCRECON_BINARY}")

# compare NAME SHAPE FAULTS: one run of the service and of the offline command; the sets must be equal.
compare() {
  local name=$1 shape=$2 faults=$3
  local dir=$work/$name
  local profiles=() skip=none
  use_shape "$shape"
  mkdir -p "$dir"
  start_sim "$name" --seed 11 --dossiers 3000 --dump "$dir/dump" ${faults:+--faults "$faults"}
  write_config "$dir" "$sim_url" page=100
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
  # The independent oracle (tests/e2e/oracle/reference.py, written from the CONTRACT and docs/ alone) reads the same
  # dump in the same shape and must find the same open findings.
  python3 -c '
import json, sys
for line in sys.stdin:
    key, kind, reason = line.rstrip("\n").split("\t")
    print(json.dumps({"key": key, "kind": kind, "reason": reason}, ensure_ascii=False))
' <"$dir/service.tsv" >"$dir/service.jsonl"
  python3 "$e2e_dir/oracle/compare.py" --findings "$dir/service.jsonl" --shape "$shape" \
    --provincial "$dir/dump/provincial.jsonl" --national "$dir/dump/national.jsonl" \
    --as-of "$(date -u -d "@$as_of" +%Y-%m-%dT%H:%M:%SZ)" --grace 1800 >"$dir/oracle.out" 2>&1 ||
    { head -30 "$dir/oracle.out" >&2; fail "$name: the service's open findings differ from the oracle's"; }
  local read
  read=$(sqlite3 "$dir/ledger.db" "SELECT provincial_read || ' ' || national_read FROM runs ORDER BY id DESC LIMIT 1")
  passed=$((passed + 1))
  echo "ok: $name: $n open findings equal the offline evaluation and the oracle's (records read: $read; $requests requests)"
}

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
