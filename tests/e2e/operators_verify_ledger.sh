#!/usr/bin/env bash
# verify-ledger on a ledger built from the adversarial data: exit 0 while intact; after an UPDATE of an event
# through the sqlite3 shell, exit 1 naming that event; after a DELETE of the newest event, exit 1.
# Usage: operators_verify_ledger.sh DVCRECON_BINARY
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bin=$(dvcrecon_binary "${1:?usage: operators_verify_ledger.sh DVCRECON_BINARY}")

write_config "$work" http://127.0.0.1:9 token=e2e-token-5f1c
build_ledger "$work"
"$bin" verify-ledger --config "$work/config.json" >"$work/ok.out" 2>"$work/ok.err" ||
  fail "verify-ledger on an intact ledger failed: $(cat "$work/ok.err")"
grep -q 'intact' "$work/ok.out" || fail "verify-ledger did not say the chain is intact: $(cat "$work/ok.out")"

events=$(sqlite3 "$work/ledger.db" 'SELECT count(*) FROM events')
[[ $events -ge 10 ]] || fail "expected a ledger with events, found $events"
cp "$work/ledger.db" "$work/pristine.db"

victim=$(sqlite3 "$work/ledger.db" 'SELECT id FROM events ORDER BY id LIMIT 1 OFFSET 4')
sqlite3 "$work/ledger.db" "UPDATE events SET cause = 'sửa tay' WHERE id = $victim"
set +e
"$bin" verify-ledger --config "$work/config.json" >"$work/upd.out" 2>"$work/upd.err"
status=$?
set -e
[[ $status -eq 1 ]] || fail "verify-ledger after an UPDATE exited $status, expected 1"
grep -q "event id $victim)" "$work/upd.err" || fail "verify-ledger did not name event $victim: $(cat "$work/upd.err")"

cp "$work/pristine.db" "$work/ledger.db"
sqlite3 "$work/ledger.db" 'DELETE FROM events WHERE id = (SELECT max(id) FROM events)'
set +e
"$bin" verify-ledger --config "$work/config.json" >"$work/del.out" 2>"$work/del.err"
status=$?
set -e
[[ $status -eq 1 ]] || fail "verify-ledger after a DELETE exited $status, expected 1"
grep -q 'event' "$work/del.err" || fail "verify-ledger did not name the event: $(cat "$work/del.err")"

cp "$work/pristine.db" "$work/ledger.db"
middle=$(sqlite3 "$work/ledger.db" 'SELECT id FROM events ORDER BY id LIMIT 1 OFFSET 2')
sqlite3 "$work/ledger.db" "DELETE FROM events WHERE id = $middle"
set +e
"$bin" verify-ledger --config "$work/config.json" >"$work/mid.out" 2>"$work/mid.err"
status=$?
set -e
[[ $status -eq 1 ]] || fail "verify-ledger after deleting event $middle exited $status, expected 1"
echo "verify-ledger: intact 0, UPDATE of event $victim 1, DELETE of the newest and of event $middle 1"
