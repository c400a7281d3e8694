#!/usr/bin/env bash
# Ledger care as README describes it: `dvcrecon backup` while the service runs, then the restore — the service
# stopped, the copy put in place of the ledger — after which verify-ledger passes and the service resumes from the
# backup's cursors instead of reading everything again.
# Usage: ledger_backup_restore.sh DVCRECON_BINARY
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bin=$(dvcrecon_binary "${1:?usage: ledger_backup_restore.sh DVCRECON_BINARY}")

start_sim sim --dossiers 600
write_config "$work/svc" "$sim_url"
cfg=$work/svc/config.json

"$bin" run --config "$cfg" 2>"$work/service.err" &
svc_pid=$!
wait_for_line "$work/service.err" 'cycle_end run=1 status=ok' 60 "$svc_pid" ||
  fail "no complete first cycle within 60 s: $(tail -5 "$work/service.err")"
first_read=$(sed -n 's/.*cycle_end run=1 .* provincial=\([0-9]*\) .*/\1/p' "$work/service.err")

# Online: the service holds the ledger (and its lock) while the copy is taken.
umask 022
"$bin" backup --config "$cfg" --to "$work/backup.db" >"$work/backup.out" 2>&1 ||
  fail "backup while the service runs failed: $(cat "$work/backup.out")"
kill -0 "$svc_pid" || fail "the service did not survive the backup"
[[ $(stat -c %a "$work/backup.db") == 600 ]] || fail "the backup is mode $(stat -c %a "$work/backup.db"), not 0600"
rc=0
"$bin" backup --config "$cfg" --to "$work/backup.db" >"$work/again.out" 2>&1 || rc=$?
[[ $rc -eq 3 ]] && grep -q 'never overwrites' "$work/again.out" || fail "a second backup to the same file: $rc"
cursor=$(sqlite3 "$work/backup.db" "SELECT value FROM cursors WHERE side = 'provincial'")
[[ -n $cursor ]] || fail "the backup holds no provincial cursor"

kill -TERM "$svc_pid"
wait "$svc_pid" || fail "the service did not stop cleanly"
svc_pid=

# The restore: the ledger lost, the copy put in its place (its WAL and shared memory files go with the old one).
rm -f "$work/svc/ledger.db" "$work/svc/ledger.db-wal" "$work/svc/ledger.db-shm"
install -m 0600 "$work/backup.db" "$work/svc/ledger.db"
"$bin" verify-ledger --config "$cfg" >"$work/verify.out" 2>&1 || fail "verify-ledger on the restored ledger: $(cat "$work/verify.out")"

"$bin" run --once --config "$cfg" 2>"$work/resumed.err" || fail "run --once on the restored ledger: $(cat "$work/resumed.err")"
# It starts from the backup's cursor, less the look-back (600 s in lib.sh's configuration).
expected_from=$(date -u -d "$cursor - 600 seconds" +%Y-%m-%dT%H:%M:%SZ)
grep -q "poll_done side=provincial from=$expected_from " "$work/resumed.err" ||
  fail "the restored service did not resume from the cursor $cursor: $(grep poll_done "$work/resumed.err")"
resumed_read=$(sed -n 's/.*cycle_end run=[0-9]* status=ok provincial=\([0-9]*\) .*/\1/p' "$work/resumed.err")
((resumed_read < first_read)) || fail "the restored service read $resumed_read records again (first run: $first_read)"
"$bin" verify-ledger --config "$cfg" >"$work/verify.out" 2>&1 || fail "verify-ledger after resuming: $(cat "$work/verify.out")"
echo "backup while running, restore, verify-ledger ok, resumed from $cursor ($resumed_read records read, not $first_read)"
