#!/usr/bin/env bash
# `dvcrecon demo --once` needs no set-up: one cycle against the in-process simulator, a summary with findings,
# exit 0, and its temporary directory removed — in the contract shape and in shape B (read through profiles).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bin=$(dvcrecon_binary "${1:?usage: service_demo_once.sh DVCRECON_BINARY}")
# demo_once SHAPE: one demo --once in that wire shape.
demo_once() {
  local shape=$1 out=$work/demo-$1.out rc=0
  TMPDIR=$work "$bin" demo --once --shape "$shape" >"$out" 2>/dev/null || rc=$?
  [[ $rc -eq 0 ]] || fail "$shape: dvcrecon demo --once exited $rc"
  grep -q '^cycle 1 (ok): provincial [1-9][0-9]* records, national [1-9][0-9]* records' "$out" ||
    fail "$shape: no complete first cycle in the summary: $(cat "$out")"
  grep -Eq '^  open findings: [1-9][0-9]*' "$out" || fail "$shape: the summary shows no open findings"
  # Shape B's national side is looked up: the first cycle's budget covers every dossier, so none is left waiting.
  if grep -q 'awaiting a national look-up' "$out"; then fail "$shape: dossiers left awaiting a look-up: $(cat "$out")"; fi
  local dir
  dir=$(sed -n 's/^  ledger: *//p' "$out" | xargs dirname)
  [[ -n "$dir" && ! -e "$dir" ]] || fail "$shape: the temporary directory $dir was not removed"
  echo "ok: $shape: $(grep '^  open findings' "$out" | sed 's/^ *//')"
}
demo_once contract
demo_once b
rc=0
"$bin" demo --once --shape c >/dev/null 2>"$work/shape.err" || rc=$?
[[ $rc -eq 2 ]] && grep -q 'expected contract or b' "$work/shape.err" || fail "demo --shape c: exit $rc, $(cat "$work/shape.err")"
echo "ok: an unknown shape is refused with exit 2"
echo "3 passed, 0 failed"
