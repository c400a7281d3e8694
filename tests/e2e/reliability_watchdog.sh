#!/usr/bin/env bash
# systemd readiness and watchdog from a real `dvcrecon run`, against a stand-in notify socket (AF_UNIX datagram,
# reliability_notify_listener.py): READY=1 once the ledger is open, WATCHDOG=1 at half of WATCHDOG_USEC with no
# gap longer than WATCHDOG_USEC while a full cycle of 20 000 dossiers polls, writes and evaluates on the same
# thread (a longer gap is a kill by systemd in production), STATUS= after a cycle, STOPPING=1 on SIGTERM, exit 0.
# sd_watchdog_enabled() honours WATCHDOG_PID: set to another process, the service must not ping at all.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bin=$(dvcrecon_binary "${1:?usage: reliability_watchdog.sh DVCRECON_BINARY}")

dossiers=20000
[[ $long == 1 ]] && dossiers=60000
start_sim watchdog --seed 53 --dossiers "$dossiers"

# listen NAME: a fresh notify socket; sets sock and log once the listener has bound it.
listen() {
  sock=$work/$1.notify
  log=$work/$1.log
  python3 "$e2e_dir/reliability_notify_listener.py" "$sock" "$log" &
  listener_pid=$!
  wait_for_line "$log" ' LISTENING$' 10 "$listener_pid" || fail "the notify listener did not bind $sock"
}
stop_listener() {
  kill "$listener_pid" 2>/dev/null || true
  wait "$listener_pid" 2>/dev/null || true
  listener_pid=
}
# stop_service: SIGTERM, then exit 0 within 5 s, and the listener has received the STOPPING=1 sent on the way out.
stop_service() {
  kill -TERM "$svc_pid"
  local rc=0
  wait_for_exit "$svc_pid" 5 || fail "the service did not stop within 5 s of SIGTERM"
  wait "$svc_pid" || rc=$?
  svc_pid=
  [[ $rc -eq 0 ]] || fail "the service exited $rc after SIGTERM"
  wait_for_line "$log" ' STOPPING=1$' 5 || fail "no STOPPING=1 after SIGTERM"
}

# 1. The watchdog is on for this process: WATCHDOG_PID is the pid that exec keeps.
listen on
dir=$work/on
write_config "$dir" "$sim_url" interval=600
watchdog_usec=3000000
( export NOTIFY_SOCKET=$sock WATCHDOG_USEC=$watchdog_usec WATCHDOG_PID=$BASHPID
  exec "$bin" run --config "$dir/config.json" 2>"$dir/run.err" ) &
svc_pid=$!
# Wait for the first cycle to end (its STATUS= line), then for two more pings while idle.
wait_for_line "$log" ' STATUS=run ' 90 "$svc_pid" || { tail -5 "$dir/run.err" >&2; fail "no STATUS= after a cycle"; }
pings_at_status=$(grep -c ' WATCHDOG=1$' "$log")
wait_for_lines "$log" ' WATCHDOG=1$' $((pings_at_status + 2)) 10 "$svc_pid" || fail "the pings stopped once idle"
stop_service
stop_listener
grep -q ' READY=1$' "$log" || fail "no READY=1"
grep -q ' STOPPING=1$' "$log" || fail "no STOPPING=1 after SIGTERM"
[[ $(grep -c ' READY=1$' "$log") -eq 1 ]] || fail "READY=1 sent more than once"
ready_line=$(grep -n ' READY=1$' "$log" | head -1 | cut -d: -f1)
stopping_line=$(grep -n ' STOPPING=1$' "$log" | head -1 | cut -d: -f1)
first_ping=$(grep -n ' WATCHDOG=1$' "$log" | head -1 | cut -d: -f1)
[[ -n $first_ping ]] || fail "no WATCHDOG=1"
[[ $ready_line -lt $stopping_line ]] || fail "STOPPING=1 came before READY=1"
pings=$(grep -c ' WATCHDOG=1$' "$log")
max_gap=$(awk '/ WATCHDOG=1$/ { if (last != "") { g = $1 - last; if (g > max) max = g } last = $1 } END { printf "%.3f", max }' "$log")
status_text=$(grep ' STATUS=run ' "$log" | head -1 | cut -d' ' -f2-)
awk -v g="$max_gap" -v l="$watchdog_usec" 'BEGIN { exit !(g * 1e6 < l) }' ||
  fail "the longest gap between WATCHDOG=1 was ${max_gap} s, over WATCHDOG_USEC (systemd would kill the service)"
[[ $pings -ge 4 ]] || fail "only $pings WATCHDOG=1 in the whole run"
echo "ok: READY=1, $pings WATCHDOG=1 (longest gap ${max_gap} s for WATCHDOG_USEC=${watchdog_usec}), $status_text, STOPPING=1, exit 0"
integrity "$dir/ledger.db"

# 2. WATCHDOG_PID names another process: sd_watchdog_enabled() says no, so no pings (READY=1 still goes out).
listen other
dir=$work/other
write_config "$dir" "$sim_url" interval=600
NOTIFY_SOCKET=$sock WATCHDOG_USEC=200000 WATCHDOG_PID=1 "$bin" run --config "$dir/config.json" 2>"$dir/run.err" &
svc_pid=$!
# The loop pings first thing when the watchdog is on, so by the end of the first cycle any ping would have come.
wait_for_line "$log" ' STATUS=run ' 90 "$svc_pid" || { tail -5 "$dir/run.err" >&2; fail "no STATUS= after a cycle"; }
stop_service
stop_listener
grep -q ' READY=1$' "$log" || fail "no READY=1 with WATCHDOG_PID of another process"
! grep -q ' WATCHDOG=1$' "$log" || fail "WATCHDOG=1 sent although WATCHDOG_PID names another process"
echo "ok: WATCHDOG_PID of another process: READY=1 and no WATCHDOG=1"

# 3. Outside systemd (no NOTIFY_SOCKET) the same calls are no-ops: --once still completes.
dir=$work/plain
write_config "$dir" "$sim_url"
env -u NOTIFY_SOCKET "$bin" run --config "$dir/config.json" --once 2>"$dir/run.err" ||
  { tail -5 "$dir/run.err" >&2; fail "run --once without NOTIFY_SOCKET failed"; }
echo "ok: without NOTIFY_SOCKET, run --once completes"
echo "3 passed, 0 failed"
