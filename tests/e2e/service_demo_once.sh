#!/usr/bin/env bash
# `dvcrecon demo --once` needs no set-up: one cycle against the in-process simulator, a summary with findings,
# exit 0, and its temporary directory removed.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bin=$(dvcrecon_binary "${1:?usage: service_demo_once.sh DVCRECON_BINARY}")
out=$work/demo.out
rc=0
TMPDIR=$work "$bin" demo --once >"$out" 2>/dev/null || rc=$?
[[ $rc -eq 0 ]] || fail "dvcrecon demo --once exited $rc"
grep -q '^cycle 1 (ok): provincial [1-9][0-9]* records, national [1-9][0-9]* records' "$out" ||
  fail "no complete first cycle in the summary: $(cat "$out")"
grep -Eq '^  open findings: [1-9][0-9]*' "$out" || fail "the summary shows no open findings"
dir=$(sed -n 's/^  ledger: *//p' "$out" | xargs dirname)
[[ -n "$dir" && ! -e "$dir" ]] || fail "the temporary directory $dir was not removed"
echo "ok: $(grep '^  open findings' "$out" | sed 's/^ *//')"
echo "1 passed, 0 failed"
