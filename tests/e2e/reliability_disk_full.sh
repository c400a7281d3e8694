#!/usr/bin/env bash
# A full disk under the ledger: the ledger lives on a small tmpfs. `run --once` that fills it fails with exit 3
# and an error saying the disk is full, the service (without --once) stops with exit 3 instead of carrying on,
# the ledger passes `PRAGMA integrity_check`, no run is recorded as ok and no cursor covers records that were
# not stored. Once space is back, `run --once` completes and records the same findings as a run on a roomy disk.
# Needs to mount a tmpfs (root or CAP_SYS_ADMIN); elsewhere it reports why and is skipped (exit 77).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bin=$(dvcrecon_binary "${1:?usage: reliability_disk_full.sh DVCRECON_BINARY}")
small=$work/small
mkdir -p "$small"
at_exit 'umount "$small" 2>/dev/null'

if ! mount -t tmpfs -o size=1m tmpfs "$small" 2>"$work/mount.err"; then
  echo "skipped: cannot mount a tmpfs here ($(head -1 "$work/mount.err")); run as root to test a full disk"
  exit 77
fi

dossiers=6000
[[ $long == 1 ]] && dossiers=20000
reference_run reference --seed 71 --dossiers "$dossiers"
echo "ok: reference run on a roomy disk: $(wc -l <"$ref_dir/findings.tsv") findings"

start_sim full --seed 71 --dossiers "$dossiers"
dir=$work/full
write_config "$dir" "$sim_url" ledger="$small/ledger.db"

# 1. run --once on the full disk.
rc=0
timeout 120 "$bin" run --config "$dir/config.json" --once 2>"$dir/once.err" || rc=$?
[[ $rc -eq 3 ]] || { tail -5 "$dir/once.err" >&2; fail "run --once on a full disk exited $rc, not 3"; }
grep -Eiq 'full|no space|SQLITE_FULL' "$dir/once.err" ||
  { tail -5 "$dir/once.err" >&2; fail "the error does not say the disk is full"; }
reason=$(grep -Eio '[^"]*(disk is full|no space)[^"]*' "$dir/once.err" | head -1 | cut -c1-160)
integrity "$small/ledger.db"
ok_runs=$(sqlite3 "$small/ledger.db" "SELECT count(*) FROM runs WHERE status = 'ok'")
[[ $ok_runs -eq 0 ]] || fail "a run on the full disk was recorded as ok"
# A cursor may stand part way (a listing keeps its progress), but never past a record that was not stored.
while IFS=$'\t' read -r side value; do
  lost=$(sqlite3 "$small/ledger.db" "ATTACH '$ref_dir/ledger.db' AS ref;
    SELECT count(*) FROM ref.records r WHERE r.side = '$side' AND r.updated < CAST(strftime('%s', '$value') AS INTEGER)
      AND NOT EXISTS (SELECT 1 FROM main.records m WHERE m.key = r.key AND m.side = r.side)")
  [[ $lost -eq 0 ]] || fail "the $side cursor ($value) was committed past $lost records that were not stored"
done < <(sqlite3 -separator $'\t' "$small/ledger.db" "SELECT side, value FROM cursors")
echo "ok: run --once on a full disk: exit 3 ('$reason'), integrity ok, no ok run, no cursor past lost records"

# 2. The service without --once stops on the same failure instead of polling on.
rc=0
timeout 120 "$bin" run --config "$dir/config.json" 2>"$dir/service.err" || rc=$?
[[ $rc -eq 3 ]] || { tail -5 "$dir/service.err" >&2; fail "the service on a full disk exited $rc, not 3"; }
integrity "$small/ledger.db"
echo "ok: the service on a full disk stops with exit 3"

# 3. Space comes back: the next run completes from what was committed, with the reference findings.
mount -o remount,size=256m "$small"
"$bin" run --config "$dir/config.json" --once 2>"$dir/after.err" ||
  { tail -5 "$dir/after.err" >&2; fail "run --once after space came back failed"; }
stop_sim
integrity "$small/ledger.db"
[[ $(last_run "$small/ledger.db" status) == ok ]] || fail "the run after space came back is not ok"
findings_set "$small/ledger.db" "$dir/findings.tsv"
same_findings "$ref_dir/findings.tsv" "$dir/findings.tsv" "after the disk was full"
"$bin" verify-ledger --config "$dir/config.json" >"$dir/verify.out" 2>&1 || { cat "$dir/verify.out" >&2; fail "verify-ledger"; }
echo "ok: with space back, run --once completes with the reference findings; verify-ledger ok"
echo "3 passed, 0 failed"
