#!/usr/bin/env bash
# `dvcrecon report sync-rate` over a ledger built from the adversarial data equals the pandas peer's
# `--sync-rate` (bench/peer/reconcile_pandas.py) at the same T and G: every quarter, and each month one by one.
# The peer prints JSON lines {"unit_code","period","total","fully_synced","rate"} without names or targets;
# rows are compared on those five columns (rates to 1e-12).
# Usage: operators_report.sh DVCRECON_BINARY
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bin=$(dvcrecon_binary "${1:?usage: operators_report.sh DVCRECON_BINARY}")

peer=$root/bench/peer/reconcile_pandas.py
# The peer's shebang names the system python, where Debian's pandas lives.
/usr/bin/python3 -c 'import pandas' 2>/dev/null || fail "python3-pandas is not installed (scripts/packages)"
as_of=$(param as_of)
grace=$(param grace)

write_config "$work" http://127.0.0.1:9 token=e2e-token-5f1c-0123456789abcdef0123456789 audit=yes
build_ledger "$work"
for granularity in quarter month; do
  /usr/bin/python3 "$peer" --provincial "$data/provincial.jsonl" --national "$data/national.jsonl" --as-of "$as_of" \
    --grace "$grace" --sync-rate "$granularity" --quiet >"$work/peer-$granularity.jsonl" ||
    fail "the pandas peer failed for --sync-rate $granularity"
done
"$bin" report sync-rate --config "$work/config.json" --format json >"$work/ours-quarter.json" ||
  fail "report sync-rate failed"
: >"$work/ours-month.json.list"
for month in $(python3 -c 'import json,sys; print(" ".join(sorted({json.loads(l)["period"] for l in open(sys.argv[1])})))' \
  "$work/peer-month.jsonl"); do
  "$bin" report sync-rate --config "$work/config.json" --format json --period "$month" >"$work/ours-$month.json" ||
    fail "report sync-rate --period $month failed"
  echo "$work/ours-$month.json" >>"$work/ours-month.json.list"
done

python3 - "$work" <<'PY'
import json, math, sys
work = sys.argv[1]

def key(row):
    return (row["period"], row["unit_code"] or "")

def ours(paths):
    rows = {}
    for path in paths:
        for r in json.load(open(path)):
            if set(r) != {"unit_code", "unit_name", "period", "current_code", "former_codes", "formerly", "total",
                          "fully_synced", "rate", "target", "not_evaluated", "evaluated", "rate_note"}:
                sys.exit(f"{path}: row with other columns than docs/cli.md#report-sync-rate: {sorted(r)}")
            # The ledger's one offline run evaluated every record it stored.
            if r["not_evaluated"] != 0 or not r["evaluated"] or r["rate_note"] is not None:
                sys.exit(f"{path}: dossiers left not evaluated after a complete offline run: {r}")
            if (r["unit_code"] is None) != (r["unit_name"] == "Toàn tỉnh"):
                sys.exit(f"{path}: province row must have unit_code null and unit_name Toàn tỉnh: {r}")
            rows[key(r)] = r
    return rows

failures = []
for granularity, paths in (("quarter", [f"{work}/ours-quarter.json"]),
                           ("month", open(f"{work}/ours-month.json.list").read().split())):
    peer = {key(r): r for r in map(json.loads, open(f"{work}/peer-{granularity}.jsonl"))}
    mine = ours(paths)
    if not peer:
        failures.append(f"{granularity}: the peer produced no rows")
    for k in sorted(set(peer) | set(mine)):
        p, m = peer.get(k), mine.get(k)
        if p is None or m is None:
            failures.append(f"{granularity} {k}: only in {'ours' if p is None else 'the peer'}")
            continue
        same_rate = (p["rate"] is None and m["rate"] is None) or (
            p["rate"] is not None and m["rate"] is not None and math.isclose(p["rate"], m["rate"], abs_tol=1e-12))
        if p["total"] != m["total"] or p["fully_synced"] != m["fully_synced"] or not same_rate:
            failures.append(f"{granularity} {k}: ours total {m['total']} synced {m['fully_synced']} rate {m['rate']}, "
                            f"peer total {p['total']} synced {p['fully_synced']} rate {p['rate']}")
    print(f"{granularity}: {len(peer)} peer rows, {len(mine)} ours")
if failures:
    print("\n".join(failures), file=sys.stderr)
    sys.exit(1)
PY
echo "report sync-rate equals the pandas peer on the adversarial set"
