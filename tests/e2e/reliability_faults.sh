#!/usr/bin/env bash
# Portal faults at high rates, one kind at a time and all together, including connections that hang: `dvcrecon
# run --once` against the faulty simulator records the same findings as against a clean one, within a bounded
# time; the clean run's open findings equal the independent oracle's (oracle/reference.py) on the simulator's
# dump. At the combined rates a whole listing can still fail after every retry of one request; a cycle that could
# not read a side evaluates nothing, so the run is repeated, as the service would at its next cycle, and must come
# out ok within a bounded number of attempts: a failed listing keeps the cursor it reached, so each attempt goes on
# from where the last one stopped (docs/rules.md#cycles-and-cursors). Fault counts are replayed from the
# simulator's request count with reliability_fault_count.py.
# Usage: reliability_faults.sh DVCRECON_BINARY   (DVC_LONG=1: 6000 dossiers instead of 1500)
# E2E_SHAPE=b: against shape B, read through the shape-b profiles. There a run is also repeated while look-ups
# failed after their retries or dossiers wait for one (they stay due: docs/lookups.md#failures), and drift needs
# a second cycle: a record that jumps to the top of a descending listing is read by the next one. Shape B looks
# dossiers up on 16 connections rather than 4: each fault's retry delay (a second per 429, backoff after a 5xx or
# a truncated body, the timeout of a hung connection) holds one connection, so more of them overlap the same
# injected faults instead of queueing behind them.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bin=$(dvcrecon_binary "${1:?usage: reliability_faults.sh DVCRECON_BINARY}")

seed=31 dossiers=1500
[[ $long == 1 ]] && dossiers=6000
reference_run reference --seed "$seed" --dossiers "$dossiers" --dump "$work/reference-dump"
oracle_agrees "$ref_dir/ledger.db" "$work/reference-dump" "the clean run"
echo "ok: clean run: $(wc -l <"$ref_dir/findings.tsv") findings, the open ones equal the oracle's"

passed=1
# settled DIR ATTEMPTS: the last run left nothing for a later one. Against a listed national side that is any
# complete run; against a looked-up one, its look-ups did not stop, none failed, no dossier still waits for one,
# and a second run read what moved while the first paged.
settled() {
  [[ $e2e_shape == b ]] || return 0
  local last
  last=$(tac "$1/run.err" | sed '/ cycle_start /q' | grep -E '^(info|error) (lookups_done|cycle_end|poll_failed) ')
  [[ $2 -ge 2 && $last != *poll_failed* && $last == *' failed=0 '* && $last == *' awaiting_lookup=0 '* ]]
}

# faulty NAME SPEC MAX_ATTEMPTS MAX_SECONDS
faulty() {
  local name=$1 spec=$2 max_attempts=$3 max_s=$4
  # Shape B looks every dossier up with a request of its own, about 15 times the requests of two listings, and
  # each fault costs its retry delay: the bound of time grows with them.
  [[ $e2e_shape == b ]] && max_attempts=$((max_attempts + 1)) max_s=$((max_s * 3))
  local dir=$work/$name
  start_sim "$name" --seed "$seed" --dossiers "$dossiers" --faults "$spec"
  # timeout_s 1: a hung connection costs one second per attempt rather than the connectors' default.
  write_config "$dir" "$sim_url" page=100 timeout=1 concurrency=16
  local started attempts=0 rc
  started=$(date +%s)
  while :; do
    attempts=$((attempts + 1))
    rc=0
    "$bin" run --config "$dir/config.json" --once 2>>"$dir/run.err" || rc=$?
    [[ $rc -eq 0 ]] && settled "$dir" "$attempts" && break
    [[ $rc -eq 0 || $rc -eq 3 ]] || { tail -5 "$dir/run.err" >&2; fail "$name: run --once exited $rc"; }
    integrity "$dir/ledger.db"
    [[ $attempts -lt $max_attempts ]] || { tail -5 "$dir/run.err" >&2; fail "$name: no complete run in $attempts attempts"; }
  done
  local elapsed=$(( $(date +%s) - started ))
  local requests
  requests=$(curl -fsS "$sim_url/sim/status" | python3 -c 'import json,sys; print(json.load(sys.stdin)["requests"])')
  stop_sim
  [[ $elapsed -le $max_s ]] || fail "$name: took ${elapsed} s, more than the bound of ${max_s} s"
  integrity "$dir/ledger.db"
  findings_set "$dir/ledger.db" "$dir/findings.tsv"
  same_findings "$ref_dir/findings.tsv" "$dir/findings.tsv" "$name"
  local counts
  counts=$(python3 "$e2e_dir/reliability_fault_count.py" "$seed" "$requests" "$spec" | { grep -v '=0$' || true; } | paste -sd' ')
  echo "ok: $name ($spec): same findings in ${elapsed} s, $attempts run(s), $requests requests; injected: ${counts:-expiries only}"
  passed=$((passed + 1))
}

faulty error5xx "error5xx=0.3" 3 60
faulty rate429 "rate429=0.2,retry_after=1" 3 60
faulty truncate "truncate=0.2" 3 60
faulty drift "drift=0.3" 1 60
faulty expiry "token_ttl=3r,session_ttl=3r" 1 60
faulty hang "hang=0.05" 3 60
# All together, 57 % of requests fail. A look-up-only national side needs each of its 1500 dossiers answered, one
# request apiece; at those rates every look-up pass stops after a few hundred (three failing in a row), so covering
# them takes a dozen cycles. Shape B takes the same mix at half the rates (33 % of requests failing).
if [[ $e2e_shape == b ]]; then
  faulty combined "error5xx=0.15,rate429=0.1,retry_after=1,truncate=0.1,drift=0.3,token_ttl=5r,session_ttl=5r,hang=0.025" 8 240
else
  faulty combined "error5xx=0.3,rate429=0.2,retry_after=1,truncate=0.2,drift=0.3,token_ttl=5r,session_ttl=5r,hang=0.05" 8 240
fi
echo "$passed passed, 0 failed"
