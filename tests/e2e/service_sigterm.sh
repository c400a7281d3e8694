#!/usr/bin/env bash
# SIGTERM in the middle of a poll: `dvcrecon run` exits 0 within 5 s, the ledger passes `PRAGMA integrity_check`,
# and a restart with --once completes from what was committed.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bin=$(dvcrecon_binary "${1:?usage: service_sigterm.sh DVCRECON_BINARY}")

# 60 000 dossiers in pages of 200 with 40 ms per answer: each side's poll takes well over 10 s.
start_sim sigterm --seed 5 --dossiers 60000 --faults "latency=40ms"
dir=$work/svc
write_config "$dir" "$sim_url" page=200 log=debug
"$bin" run --config "$dir/config.json" 2>"$dir/run.err" &
svc_pid=$!

# Wait until records are being committed (batches of 2000; the debug log says when each is), then stop the service
# mid-poll.
wait_for_lines "$dir/run.err" ' batch_committed ' 3 30 "$svc_pid" || fail "the service did not commit three batches"
stored=$(sqlite3 "$dir/ledger.db" "SELECT count(*) FROM records")
[[ $stored -ge 4000 ]] || fail "the service stored only $stored records in three batches"
sent=$(date +%s%N)
kill -TERM "$svc_pid"
rc=0
wait "$svc_pid" || rc=$?
svc_pid=
elapsed_ms=$(( ($(date +%s%N) - sent) / 1000000 ))
[[ $rc -eq 0 ]] || { tail -5 "$dir/run.err" >&2; fail "dvcrecon run exited $rc after SIGTERM"; }
[[ $elapsed_ms -le 5000 ]] || fail "dvcrecon run took ${elapsed_ms} ms to stop"
grep -q 'stopping' "$dir/run.err" || fail "no 'stopping' event in the log"
check=$(sqlite3 "$dir/ledger.db" "PRAGMA integrity_check")
[[ "$check" == ok ]] || fail "integrity_check after SIGTERM: $check"
interrupted=$(sqlite3 "$dir/ledger.db" "SELECT status FROM runs ORDER BY id DESC LIMIT 1")
[[ "$interrupted" == failed ]] || fail "the interrupted run was recorded as '$interrupted'"
echo "ok: stopped ${elapsed_ms} ms after SIGTERM with $stored records stored; integrity ok"

# The restart reads from the committed cursors (or from the start where none was committed) and completes.
"$bin" run --config "$dir/config.json" --once 2>"$dir/restart.err" || { tail -5 "$dir/restart.err" >&2; fail "restart --once failed"; }
status=$(sqlite3 "$dir/ledger.db" "SELECT status FROM runs ORDER BY id DESC LIMIT 1")
[[ "$status" == ok ]] || fail "the restarted run was recorded as '$status'"
records=$(sqlite3 "$dir/ledger.db" "SELECT count(*) FROM records")
[[ $records -gt $stored ]] || fail "the restart stored nothing more than the interrupted run ($records records)"
read_both=$(sqlite3 "$dir/ledger.db" "SELECT provincial_read > 0 AND national_read > 0 FROM runs ORDER BY id DESC LIMIT 1")
[[ $read_both == 1 ]] || fail "the restarted run read nothing from a side"
[[ $(sqlite3 "$dir/ledger.db" "PRAGMA integrity_check") == ok ]] || fail "integrity_check after the restart"
echo "ok: restart completed with $records records in the ledger"
echo "2 passed, 0 failed"
