#!/usr/bin/env bash
# Graceful stop beyond service_sigterm.sh (which stops a poll in progress): SIGTERM while a request hangs on a
# portal that never answers, SIGTERM between the polls and the end of the evaluation, and SIGTERM while idle;
# each time exit 0 within 5 s and integrity ok. After the stop during evaluation, the restart reads only from the
# committed cursors (far fewer records than a full listing) and still records exactly the findings of an
# uninterrupted run: the records stored by the stopped run must be evaluated by the next one.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bin=$(dvcrecon_binary "${1:?usage: reliability_sigterm.sh DVCRECON_BINARY}")

# term WHAT: SIGTERM the service; it must exit 0 within 5 s.
term() {
  local sent rc=0 elapsed_ms
  sent=$(date +%s%N)
  kill -TERM "$svc_pid"
  wait_for_exit "$svc_pid" 5 || fail "$1: still running 5 s after SIGTERM"
  wait "$svc_pid" || rc=$?
  svc_pid=
  elapsed_ms=$(( ($(date +%s%N) - sent) / 1000000 ))
  [[ $rc -eq 0 ]] || fail "$1: exit $rc after SIGTERM"
  stop_ms=$elapsed_ms
}

# 1. A portal that never answers: the first request hangs, its deadline a minute away; the stop comes once the
#    portal has read it.
python3 "$e2e_dir/hung_portal.py" >"$work/hung.out" &
sim_pid=$!
wait_for_line "$work/hung.out" '^listening on ' 10 "$sim_pid" || fail "the hung portal did not listen"
dir=$work/hang
write_config "$dir" "$(sed -n 's/^listening on //p' "$work/hung.out")" timeout=60
"$bin" run --config "$dir/config.json" 2>"$dir/run.err" &
svc_pid=$!
wait_for_line "$work/hung.out" '^request ' 30 "$svc_pid" || fail "no request reached the hung portal"
term "hung request"
stop_sim
integrity "$dir/ledger.db"
echo "ok: SIGTERM during a hung request: exit 0 in ${stop_ms} ms, integrity ok"

# 2. Between the polls and the end of the evaluation, then a restart from the cursors.
dossiers=20000
[[ $long == 1 ]] && dossiers=60000
start_sim eval --seed 83 --dossiers "$dossiers"
ref=$work/reference
write_config "$ref" "$sim_url"
"$bin" run --config "$ref/config.json" --once 2>"$ref/run.err" || { tail -5 "$ref/run.err" >&2; fail "reference run failed"; }
findings_set "$ref/ledger.db" "$ref/findings.tsv"
dir=$work/eval
write_config "$dir" "$sim_url" interval=600
"$bin" run --config "$dir/config.json" 2>"$dir/run.err" &
svc_pid=$!
wait_for_lines "$dir/run.err" ' poll_done ' 2 60 "$svc_pid" || fail "the polls of the first cycle did not finish"
term "evaluation"
integrity "$dir/ledger.db"
evaluated_before=$(grep -c 'cycle_end' "$dir/run.err" || true)
phase=$([[ $evaluated_before -eq 0 ]] && echo "during the evaluation" || echo "just after the evaluation")
cursors=$(sqlite3 "$dir/ledger.db" "SELECT count(*) FROM cursors")
[[ $cursors -eq 2 ]] || fail "after both polls completed, $cursors cursors were committed, not 2"
echo "ok: SIGTERM $phase: exit 0 in ${stop_ms} ms, integrity ok, both cursors committed"

"$bin" run --config "$dir/config.json" --once 2>"$dir/restart.err" ||
  { tail -5 "$dir/restart.err" >&2; fail "restart --once failed"; }
read_again=$(last_run "$dir/ledger.db" "provincial_read + national_read")
full=$(sqlite3 "$ref/ledger.db" "SELECT provincial_read + national_read FROM runs ORDER BY id DESC LIMIT 1")
[[ $read_again -lt $((full / 4)) ]] ||
  fail "the restart read $read_again records, as many as a full listing ($full): the cursors were not used"
findings_set "$dir/ledger.db" "$dir/findings.tsv"
same_findings "$ref/findings.tsv" "$dir/findings.tsv" "restart after SIGTERM $phase"
echo "ok: the restart read $read_again records (a full listing: $full) and records the uninterrupted run's findings"

# 3. Idle between cycles.
"$bin" run --config "$dir/config.json" 2>"$dir/idle.err" &
svc_pid=$!
# The cycle has ended and the next is ten minutes away: the service is waiting on its timer.
wait_for_line "$dir/idle.err" ' cycle_end ' 60 "$svc_pid" || fail "no cycle ended"
term "idle"
stop_sim
integrity "$dir/ledger.db"
[[ $(last_run "$dir/ledger.db" status) == ok ]] || fail "the cycle before the idle stop is not recorded as ok"
echo "ok: SIGTERM while idle: exit 0 in ${stop_ms} ms, the last run stays ok"
echo "3 passed, 0 failed"
