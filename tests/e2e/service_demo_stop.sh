#!/usr/bin/env bash
# `dvcrecon demo` stops within 5 s of SIGINT or SIGTERM whenever it comes — while it sets up its province, the
# simulator and the service, polls, evaluates, or serves — exits 0 and leaves no directory behind: 30 stops
# (DVC_DEMO_STOPS changes the count), each after a log line drawn at random among the first ones of the run, or
# as soon as it says it is setting up.
# Usage: service_demo_stop.sh DVCRECON_BINARY
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bin=$(dvcrecon_binary "${1:?usage: service_demo_stop.sh DVCRECON_BINARY}")

stops=${DVC_DEMO_STOPS:-30}
# The lines a demo of 200 dossiers logs up to the end of its first cycle (started, polls, cycle_end, …): a stop
# after line N of them falls anywhere from set-up to serving.
lines=6
for i in $(seq 1 "$stops"); do
  tmp=$work/tmp$i
  mkdir "$tmp"
  : >"$work/err"
  TMPDIR=$tmp "$bin" demo --dossiers 200 >"$work/out" 2>"$work/err" &
  svc_pid=$!
  # Before its first line the demo may not have started at all (a signal then is the shell's business, not its).
  wait_for_line "$work/out" '^dvcrecon demo: setting up ' 30 "$svc_pid" || fail "stop $i: the demo did not start"
  after=$((RANDOM % (lines + 1)))
  if ((after > 0)); then
    wait_for_lines "$work/err" '.' "$after" 60 "$svc_pid" || fail "stop $i: the demo ended before line $after"
  fi
  signal=INT
  ((i % 2)) || signal=TERM
  kill -s "$signal" "$svc_pid"
  wait_for_exit "$svc_pid" 5 ||
    fail "stop $i: demo still running 5 s after SIG$signal (after line $after): $(tail -n 5 "$work/err")"
  rc=0
  wait "$svc_pid" || rc=$?
  svc_pid=
  [[ $rc -eq 0 ]] || fail "stop $i: demo exited $rc after SIG$signal (after line $after): $(tail -n 5 "$work/err")"
  left=$(ls -A "$tmp")
  [[ -z $left ]] || fail "stop $i: SIG$signal left $left behind"
done
echo "demo stopped $stops times within 5 s and removed its directory each time"
