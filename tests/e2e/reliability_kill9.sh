#!/usr/bin/env bash
# Crash safety: `dvcrecon run` is killed with SIGKILL at random moments (mid-poll, mid-evaluation, between
# cycles) and restarted, again and again. After every kill the ledger passes `PRAGMA integrity_check`; at the end
# a `run --once` completes and the findings' (key, kind, reason, state) equal those of an uninterrupted run on a
# fresh ledger against the same frozen simulator, and the open ones equal the independent oracle's on the
# simulator's dump (oracle/reference.py, read in the same shape).
# Usage: reliability_kill9.sh DVCRECON_BINARY   (DVC_LONG=1: 100 kills over 40 000 dossiers; RELIABILITY_SEED=N replays)
# E2E_SHAPE=b: the simulator in shape B, read through the shape-b profiles — a descending provincial listing and a
# national side looked up dossier by dossier, whose look-up state must resume after each kill (10 kills, 3000
# dossiers: each look-up is a request of its own).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bin=$(dvcrecon_binary "${1:?usage: reliability_kill9.sh DVCRECON_BINARY}")

kills=20 dossiers=20000
[[ $e2e_shape == b ]] && kills=10 dossiers=3000
[[ $long == 1 ]] && kills=100 dossiers=40000
seed=${RELIABILITY_SEED:-$(( $(date +%s) % 100000 ))}
RANDOM=$seed
echo "kill9: $kills kills over $dossiers dossiers of shape $e2e_shape, random seed $seed"

# One frozen simulator serves both the reference and the interrupted service: the same data for both.
# 2 ms per answer stretches each side's poll over its 100 pages, so kills land inside polls as well as after.
start_sim kill9 --seed 23 --dossiers "$dossiers" --faults "latency=2ms" --dump "$work/dump"
ref=$work/reference
write_config "$ref" "$sim_url"
"$bin" run --config "$ref/config.json" --once 2>"$ref/run.err" ||
  { tail -5 "$ref/run.err" >&2; fail "the uninterrupted run --once failed"; }
findings_set "$ref/ledger.db" "$ref/findings.tsv"
[[ $(wc -l <"$ref/findings.tsv") -gt 100 ]] || fail "the uninterrupted run raised too few findings"
echo "ok: uninterrupted run: $(wc -l <"$ref/findings.tsv") findings"

# Each kill follows an event of the service's (debug) log drawn at random, so kills land at every stage without
# waiting on the clock: at once (the ledger may still be being created), after the start, a cycle's start, the k-th
# batch of records committed by the polls (the kill lands while the next batch is written; a restart goes on from the
# committed cursors, so successive kills walk through the whole first listing; in a short cycle the k-th event may
# be its end, and the kill lands while the service waits for its next cycle), the end of the first poll (the other
# is running) or of both (the evaluation is running).
kill_events=('' ' started ' ' cycle_start ' ' (batch_committed|cycle_end) ' ' (batch_committed|cycle_end) '
             ' (batch_committed|cycle_end) ' ' poll_done ')
svc=$work/killed
write_config "$svc" "$sim_url" interval=10 log=debug
survived=0 phases_poll=0 phases_other=0
for i in $(seq 1 "$kills"); do
  log=$svc/run.$i.err
  "$bin" run --config "$svc/config.json" 2>"$log" &
  svc_pid=$!
  event=${kill_events[RANDOM % ${#kill_events[@]}]} count=1
  [[ $event == *batch_committed* ]] && count=$((1 + RANDOM % 4))
  [[ $event == *poll_done* ]] && count=$((1 + RANDOM % 2))
  if [[ -n $event ]]; then
    wait_for_lines "$log" "$event" "$count" 60 "$svc_pid" ||
      { tail -5 "$log" >&2; fail "kill $i: the service did not log /$event/ $count time(s)"; }
  fi
  kill -0 "$svc_pid" 2>/dev/null || { tail -5 "$log" >&2; fail "kill $i: the service had already exited"; }
  kill -KILL "$svc_pid"
  wait "$svc_pid" 2>/dev/null || true
  svc_pid=
  if [[ -f "$svc/ledger.db" ]]; then
    integrity "$svc/ledger.db"
    if [[ $(last_run "$svc/ledger.db" status) == running ]]; then phases_poll=$((phases_poll + 1)); else phases_other=$((phases_other + 1)); fi
  fi
  survived=$((survived + 1))
done
echo "ok: $survived kills survived, integrity ok after each ($phases_poll inside a run, $phases_other between runs)"

"$bin" run --config "$svc/config.json" --once 2>"$svc/final.err" ||
  { tail -5 "$svc/final.err" >&2; fail "run --once after $survived kills failed"; }
integrity "$svc/ledger.db"
[[ $(last_run "$svc/ledger.db" status) == ok ]] || fail "the final run is not ok"
left_running=$(sqlite3 "$svc/ledger.db" "SELECT count(*) FROM runs WHERE status = 'running'")
[[ $left_running -eq 0 ]] || fail "$left_running killed runs are still shown as running after the restarts"
"$bin" verify-ledger --config "$svc/config.json" >"$svc/verify.out" 2>&1 ||
  { cat "$svc/verify.out" >&2; fail "verify-ledger after $survived kills"; }
findings_set "$svc/ledger.db" "$svc/findings.tsv"
same_findings "$ref/findings.tsv" "$svc/findings.tsv" "after $survived kills"
runs=$(sqlite3 "$svc/ledger.db" "SELECT count(*) FROM runs")
echo "ok: after $survived kills and $runs recorded runs, $(wc -l <"$svc/findings.tsv") findings equal the uninterrupted run's"
oracle_agrees "$svc/ledger.db" "$work/dump" "after $survived kills"
echo "ok: the open findings after $survived kills equal the oracle's (shape $e2e_shape)"
echo "kills_survived=$survived"
echo "4 passed, 0 failed"
