#!/usr/bin/env bash
# verify-ledger on a keyed ledger built from the adversarial data: exit 0 while intact, printing the chain head;
# exit 1 after each edit the sqlite3 shell can make without the audit key — an UPDATE of an event (named), a
# DELETE of the newest event or of a middle one, findings resolved by hand (the finding named), an ack removed,
# a stored record's status edited; --expect-head with the head kept from the first run passes while the history
# holds it and fails once it is rolled back; without the key in the configuration, exit 2.
# Usage: operators_verify_ledger.sh DVCRECON_BINARY
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bin=$(dvcrecon_binary "${1:?usage: operators_verify_ledger.sh DVCRECON_BINARY}")

write_config "$work" http://127.0.0.1:9 token=e2e-token-5f1c-0123456789abcdef0123456789 audit=yes
build_ledger "$work"
"$bin" verify-ledger --config "$work/config.json" >"$work/ok.out" 2>"$work/ok.err" ||
  fail "verify-ledger on an intact ledger failed: $(cat "$work/ok.err")"
grep -q 'intact' "$work/ok.out" || fail "verify-ledger did not say the chain is intact: $(cat "$work/ok.out")"
grep -q 'keyed from event 1' "$work/ok.out" || fail "the ledger built with the key is not keyed: $(cat "$work/ok.out")"
head=$(sed -n 's/^chain head \([0-9]*:[0-9a-f]*\)$/\1/p' "$work/ok.out")
[[ -n $head ]] || fail "verify-ledger printed no chain head: $(cat "$work/ok.out")"

events=$(sqlite3 "$work/ledger.db" 'SELECT count(*) FROM events')
[[ $events -ge 10 ]] || fail "expected a ledger with events, found $events"
cp "$work/ledger.db" "$work/pristine.db"

# expect STATUS NAME PATTERN [ARGS…]: verify-ledger exits STATUS and its stderr matches PATTERN.
expect() {
  local want=$1 name=$2 pattern=$3 status
  shift 3
  set +e
  "$bin" verify-ledger --config "$work/config.json" "$@" >"$work/$name.out" 2>"$work/$name.err"
  status=$?
  set -e
  [[ $status -eq $want ]] || fail "verify-ledger after $name exited $status, expected $want: $(cat "$work/$name.err")"
  grep -q -- "$pattern" "$work/$name.err" || fail "verify-ledger after $name did not say '$pattern': $(cat "$work/$name.err")"
  cp "$work/pristine.db" "$work/ledger.db"
}

victim=$(sqlite3 "$work/ledger.db" 'SELECT id FROM events ORDER BY id LIMIT 1 OFFSET 4')
sqlite3 "$work/ledger.db" "UPDATE events SET cause = 'sửa tay' WHERE id = $victim"
expect 1 update "event id $victim)"

sqlite3 "$work/ledger.db" 'DELETE FROM events WHERE id = (SELECT max(id) FROM events)'
expect 1 delete-newest 'event'

middle=$(sqlite3 "$work/ledger.db" 'SELECT id FROM events ORDER BY id LIMIT 1 OFFSET 2')
sqlite3 "$work/ledger.db" "DELETE FROM events WHERE id = $middle"
expect 1 delete-middle 'does not link'

first=$(sqlite3 "$work/ledger.db" "SELECT min(id) FROM findings WHERE kind = 'falsely_closed'")
sqlite3 "$work/ledger.db" "UPDATE findings SET state = 'resolved' WHERE kind = 'falsely_closed'"
expect 1 mass-resolve "first differing finding id $first)"

sqlite3 "$work/ledger.db" "UPDATE records SET status = 9 WHERE id = (SELECT min(id) FROM records WHERE status <> 9)"
expect 1 record-status 'its status differs from its body'

# An ack, then the ack removed from the finding and its event deleted with the head set back.
id=$(sqlite3 "$work/ledger.db" 'SELECT min(id) FROM findings')
"$bin" mismatches ack "$id" --note "đã kiểm tra" --by "e2e" --config "$work/config.json" >/dev/null
"$bin" verify-ledger --config "$work/config.json" --expect-head "$head" >"$work/after-ack.out" 2>&1 ||
  fail "verify-ledger after an ack by dvcrecon failed: $(cat "$work/after-ack.out")"
cp "$work/ledger.db" "$work/pristine.db"
sqlite3 "$work/ledger.db" "DELETE FROM events WHERE type = 'ack';
  UPDATE findings SET ack_note = NULL, ack_by = NULL, ack_at = NULL WHERE id = $id;
  UPDATE chain_head SET last_event_id = (SELECT max(id) FROM events),
    last_hash = (SELECT hash FROM events WHERE id = (SELECT max(id) FROM events))"
expect 1 ack-removed 'does not match its MAC'

# A head the chain does not hold (as after a rollback to an older copy) fails --expect-head.
later=$(sed -n 's/^chain head \([0-9]*:[0-9a-f]*\)$/\1/p' "$work/after-ack.out")
"$bin" verify-ledger --config "$work/config.json" --expect-head "$later" >/dev/null 2>&1 ||
  fail "verify-ledger --expect-head with the current head failed"
expect 1 expect-head 'does not hold the expected head' --expect-head "${later%%:*}:$(printf '0%.0s' {1..64})"
expect 2 bad-head 'EVENT_ID:HASH' --expect-head 'not-a-head'

# Without the key, a keyed ledger cannot be checked: a configuration error, not a verdict.
set_config "$work" audit '{}'
expect 2 no-key 'needs the key'
echo "verify-ledger: intact 0 (head $head); UPDATE, DELETE newest/middle, mass resolve, record status, ack removed 1; --expect-head checked; no key 2"
