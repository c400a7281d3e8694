#!/usr/bin/env bash
# Recheck on demand (docs/cli.md#recheck) against the simulator: after one cycle, `dvcrecon mismatches recheck KEY`
# fetches an open finding's dossier from both portals, re-evaluates it in a run of its own that names the dossier
# (no complete evaluation: the freshness banner and the next cycle's windows ignore it), and prints its findings
# before and after; the audit chain stays intact. A provincial profile without a look-up says it cannot fetch one
# dossier instead of guessing. Then the API's recheck button path: refused without an operator's token, answered
# with the same report with one.
# Usage: recheck.sh DVCRECON_BINARY
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bin=$(dvcrecon_binary "${1:?usage: recheck.sh DVCRECON_BINARY}")

start_sim recheck --seed 5 --dossiers 400
dir=$work/svc
write_config "$dir" "$sim_url" token=e2e-token-5f1c-0123456789abcdef0123456789 audit=yes
"$bin" run --config "$dir/config.json" --once >"$dir/run.out" 2>"$dir/run.err" ||
  fail "run --once failed: $(tail -3 "$dir/run.err")"
cycle=$(last_run "$dir/ledger.db" id)
key=$(sqlite3 "$dir/ledger.db" "SELECT key FROM findings WHERE state = 'open' AND kind IN ('field_mismatch',
  'status_mismatch', 'falsely_closed') ORDER BY key LIMIT 1")
[[ -n $key ]] || fail "the cycle raised no finding on a dossier both portals hold"
before=$(sqlite3 "$dir/ledger.db" "SELECT kind || ' ' || state FROM findings WHERE key = '$key' ORDER BY kind")

"$bin" mismatches recheck "$key" --config "$dir/config.json" >"$dir/recheck.out" 2>"$dir/recheck.err" ||
  fail "mismatches recheck $key failed: $(cat "$dir/recheck.out" "$dir/recheck.err")"
grep -q "^recheck of $key (run [0-9]*)" "$dir/recheck.out" || fail "no recheck header: $(cat "$dir/recheck.out")"
grep -q "^  provincial: found" "$dir/recheck.out" || fail "provincial not fetched: $(cat "$dir/recheck.out")"
grep -q "^  national: found" "$dir/recheck.out" || fail "national not fetched: $(cat "$dir/recheck.out")"
grep -q "^  before: #[0-9]* " "$dir/recheck.out" || fail "the findings before are not shown: $(cat "$dir/recheck.out")"
grep -q "^  after: #[0-9]* " "$dir/recheck.out" || fail "the findings after are not shown: $(cat "$dir/recheck.out")"
# The simulator is frozen: the dossier is as the cycle read it, so the re-evaluation keeps the same findings.
after=$(sqlite3 "$dir/ledger.db" "SELECT kind || ' ' || state FROM findings WHERE key = '$key' ORDER BY kind")
[[ "$after" == "$before" ]] || fail "findings of an unchanged dossier changed: '$before' → '$after'"
recheck_run=$(sqlite3 "$dir/ledger.db" "SELECT id || ' ' || status FROM runs WHERE recheck_key = '$key'")
[[ $recheck_run == *" ok" ]] || fail "no ok run naming $key: '$recheck_run'"
seen=$(sqlite3 "$dir/ledger.db" "SELECT seen_run FROM records WHERE key = '$key' AND side = 'provincial'")
[[ $seen == "${recheck_run% ok}" ]] || fail "the record was not stored by the recheck's run: seen_run $seen"
"$bin" verify-ledger --config "$dir/config.json" >"$dir/verify.out" 2>&1 || fail "verify-ledger: $(cat "$dir/verify.out")"
echo "ok: recheck of $key fetched both sides in run ${recheck_run% ok}, findings unchanged ($before), chain intact"

# JSON for scripts.
"$bin" mismatches recheck "$key" --config "$dir/config.json" --format json >"$dir/recheck.json" 2>/dev/null ||
  fail "recheck --format json failed"
python3 - "$dir/recheck.json" "$key" <<'PY' || fail "recheck JSON: $(cat "$dir/recheck.json")"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["key"] == sys.argv[2] and r["evaluated"] is True, r
assert r["provincial"]["result"] == "found" and r["national"]["result"] == "found", r
assert [f["kind"] for f in r["before"]] == [f["kind"] for f in r["after"]] and r["before"], r
PY
echo "ok: --format json"

# A profile that cannot fetch one dossier says so; the stored record stands in for that side.
python3 - "$e2e_dir/../../profiles/contract-provincial.json" "$dir/no-lookup-provincial.json" <<'PY'
import json, sys
# Shipped profiles open with // comments, which JSON has not.
text = "".join(line for line in open(sys.argv[1], encoding="utf-8") if not line.lstrip().startswith("//"))
profile = json.loads(text)
del profile["lookup"]
json.dump(profile, open(sys.argv[2], "w"))
PY
python3 - "$dir/config.json" <<'PY'
import json, sys
config = json.load(open(sys.argv[1]))
config["provincial"]["profile"] = "no-lookup-provincial.json"
json.dump(config, open(sys.argv[1], "w"), indent=1)
PY
"$bin" mismatches recheck "$key" --config "$dir/config.json" >"$dir/unsupported.out" 2>"$dir/unsupported.err" ||
  fail "recheck with a list-only provincial profile failed: $(cat "$dir/unsupported.out" "$dir/unsupported.err")"
grep -q "^  provincial: unsupported .*has no look-up" "$dir/unsupported.out" ||
  fail "a profile without a look-up should say so: $(cat "$dir/unsupported.out")"
echo "ok: a profile without a look-up is reported as unsupported"

# Rechecks are no complete evaluation: the latest evaluated run is still the cycle.
evaluated=$(sqlite3 "$dir/ledger.db" "SELECT MAX(id) FROM runs WHERE recheck_key IS NULL AND status = 'ok'")
[[ $evaluated == "$cycle" ]] || fail "a recheck run counts as a cycle: latest ok run $evaluated, cycle $cycle"

# The API's button path: an operator's token is required, as for an acknowledgement.
python3 - "$dir/config.json" <<'PY'
import json, sys
config = json.load(open(sys.argv[1]))
del config["provincial"]["profile"]
json.dump(config, open(sys.argv[1], "w"), indent=1)
PY
"$bin" run --config "$dir/config.json" 2>"$dir/svc.err" &
svc_pid=$!
api="http://$(api_address "$dir/svc.err" "$svc_pid")"
code=$(curl -s -o "$dir/refused.json" -w '%{http_code}' -X POST "$api/api/dossiers/$key/recheck")
[[ $code == 401 ]] || fail "a recheck without a token answered $code: $(cat "$dir/refused.json")"
code=$(curl -s -o "$dir/api-recheck.json" -w '%{http_code}' -X POST \
  -H "Authorization: Bearer $(cat "$dir/api.token")" "$api/api/dossiers/$key/recheck")
[[ $code == 200 ]] || fail "the recheck over the API answered $code: $(cat "$dir/api-recheck.json")"
python3 - "$dir/api-recheck.json" "$key" <<'PY' || fail "API recheck: $(cat "$dir/api-recheck.json")"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["key"] == sys.argv[2] and r["evaluated"] is True and r["before"] and r["after"], r
PY
kill "$svc_pid"
wait "$svc_pid" 2>/dev/null || true
echo "ok: the API's recheck needs an operator's token and answers the report"
echo "1 passed, 0 failed"
