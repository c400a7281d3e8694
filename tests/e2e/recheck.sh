#!/usr/bin/env bash
# Recheck on demand (docs/cli.md#recheck) against the simulator: after one cycle, `dvcrecon mismatches recheck KEY`
# fetches an open finding's dossier from both portals, re-evaluates it in a run of its own that names the dossier
# (no complete evaluation: the freshness banner and the next cycle's windows ignore it), and prints its findings
# before and after; the audit chain stays intact. A provincial profile without a look-up says it cannot fetch one
# dossier instead of guessing. Then the API's recheck button path: refused without an operator's token, answered
# with the same report with one. Last, the dossier changes on a portal (tests/e2e/patching_portal.py stands between
# dvcrecon and the simulator): a recheck resolves the finding the change cures and reopens it when the portal changes
# back, each in the ledger's history under the recheck's run.
# Usage: recheck.sh DVCRECON_BINARY
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bin=$(dvcrecon_binary "${1:?usage: recheck.sh DVCRECON_BINARY}")

start_sim recheck --seed 5 --dossiers 400
dir=$work/svc
mkdir -p "$dir"
# The portals as the simulator serves them, but for what $dir/patch.json changes (nothing yet).
python3 "$e2e_dir/patching_portal.py" "$sim_url" "$dir/patch.json" >"$work/portal.out" 2>"$work/portal.err" &
listener_pid=$!
wait_for_line "$work/portal.out" '^listening on ' 30 "$listener_pid" || fail "the patching portal did not listen: $(cat "$work/portal.err")"
portal_url=$(sed -n 's/^listening on //p' "$work/portal.out")
write_config "$dir" "$portal_url" token=e2e-token-5f1c-0123456789abcdef0123456789 audit=yes
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

# The dossier changes on national: its due date is corrected to the provincial one, later set two days off again.
# Each change is stamped an hour ago, past the grace period, as a portal that was corrected earlier would stamp it.
changed=$(sqlite3 "$dir/ledger.db" "SELECT key FROM findings WHERE kind = 'deadline_mismatch' AND state = 'open'
  ORDER BY key LIMIT 1")
[[ -n $changed ]] || fail "the cycle raised no deadline_mismatch to cure"
due=$(sqlite3 "$dir/ledger.db" "SELECT due FROM records WHERE key = '$changed' AND side = 'provincial'")
[[ -n $due ]] || fail "no provincial due date for $changed"
deadline_id=$(sqlite3 "$dir/ledger.db" "SELECT id FROM findings WHERE key = '$changed' AND kind = 'deadline_mismatch'")
# patch_national SHIFT_S: national's NgayHenTra is the provincial due date moved by SHIFT_S seconds.
patch_national() {
  python3 - "$dir/patch.json" "$changed" "$due" "$1" <<'PY'
import datetime, json, sys
path, key, due, shift = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
vn = datetime.timezone(datetime.timedelta(hours=7))
stamp = lambda t: datetime.datetime.fromtimestamp(t, vn).strftime("%Y%m%d%H%M%S")
now = int(datetime.datetime.now(datetime.timezone.utc).timestamp())
json.dump({"key": key, "national": {"NgayHenTra": stamp(due + shift), "NgayCapNhat": stamp(now - 3600)}},
          open(path, "w"))
PY
}
deadline_state() {
  sqlite3 "$dir/ledger.db" "SELECT state FROM findings WHERE id = $deadline_id"
}

patch_national 0
"$bin" mismatches recheck "$changed" --config "$dir/config.json" >"$dir/cured.out" 2>"$dir/cured.err" ||
  fail "recheck of the cured dossier failed: $(cat "$dir/cured.out" "$dir/cured.err")"
grep -q "^  before: #$deadline_id deadline_mismatch (differs) open$" "$dir/cured.out" ||
  fail "the finding before the change is not shown open: $(cat "$dir/cured.out")"
grep -q "^  after: #$deadline_id deadline_mismatch (differs) resolved$" "$dir/cured.out" ||
  fail "the cured finding is not shown resolved: $(cat "$dir/cured.out")"
grep -q "^  raised 0, resolved 1, reopened 0$" "$dir/cured.out" || fail "counts of the cure: $(cat "$dir/cured.out")"
[[ $(deadline_state) == resolved ]] || fail "the ledger holds the cured finding as $(deadline_state)"
cure_run=$(sqlite3 "$dir/ledger.db" "SELECT MAX(id) FROM runs WHERE recheck_key = '$changed'")
resolved_by=$(sqlite3 "$dir/ledger.db" "SELECT run_id FROM events WHERE finding_id = $deadline_id AND type = 'resolved'")
[[ $resolved_by == "$cure_run" ]] || fail "the resolution is recorded under run '$resolved_by', not the recheck's $cure_run"
echo "ok: a due date corrected on national resolves #$deadline_id at the recheck (run $cure_run)"

patch_national $((2 * 86400))
"$bin" mismatches recheck "$changed" --config "$dir/config.json" --format json >"$dir/broken.json" 2>"$dir/broken.err" ||
  fail "recheck of the changed-back dossier failed: $(cat "$dir/broken.json" "$dir/broken.err")"
python3 - "$dir/broken.json" "$deadline_id" <<'PY' || fail "recheck JSON after the change back: $(cat "$dir/broken.json")"
import json, sys
r, id = json.load(open(sys.argv[1])), int(sys.argv[2])
before = {f["id"]: f["state"] for f in r["before"]}
after = {f["id"]: f["state"] for f in r["after"]}
assert before[id] == "resolved" and after[id] == "reopened", (before, after)
assert r["reopened"] == 1 and r["resolved"] == 0, r
PY
[[ $(deadline_state) == reopened ]] || fail "the ledger holds the changed-back finding as $(deadline_state)"
"$bin" mismatches show "$changed" --config "$dir/config.json" >"$dir/history.out" 2>&1 || fail "mismatches show failed"
grep -q "resolved → reopened  run [0-9]*" "$dir/history.out" || fail "the history lacks the reopening: $(cat "$dir/history.out")"
"$bin" verify-ledger --config "$dir/config.json" >"$dir/verify2.out" 2>&1 || fail "verify-ledger: $(cat "$dir/verify2.out")"
echo "ok: set off again, #$deadline_id reopens at the next recheck; the history shows both, the chain is intact"
echo "1 passed, 0 failed"
