#!/usr/bin/env bash
# Cross-checks a dvcrecon binary's offline `reconcile` against the reference reconciler:
# the committed adversarial set (JSONL and JSON-array variants) and three random sets of
# 20,000 dossiers per side. Usage: run_crosscheck.sh /path/to/dvcrecon
# Needs only python3 (standard library). Exit 0 when every comparison is equal.
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
binary=$(dvcrecon_binary "${1:?usage: run_crosscheck.sh DVCRECON_BINARY}")
here=$e2e_dir/oracle
python=${PYTHON:-python3}

passed=0
failed=0
compare() {
  if "$python" "$here/compare.py" --binary "$binary" "$@"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
  fi
}

for provincial in provincial.jsonl provincial.json; do
  compare --provincial "$data/$provincial" --national "$data/national.jsonl" --params "$data/params.json"
done

for seed in 1 2 3; do
  out=$work/random-$seed
  "$python" "$root/tests/data/gen_adversarial.py" --random 20000 --seed "$seed" --out "$out"
  compare --provincial "$out/provincial.jsonl" --national "$out/national.jsonl" --params "$out/params.json"
done

echo "crosscheck: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
