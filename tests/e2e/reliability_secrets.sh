#!/usr/bin/env bash
# Secrets never leak: canary values in the client-secret, password and API-token files must not appear in the
# stderr/stdout of `run`, `check-config`, `sim`, `verify-ledger`, `mismatches`, in any answer of the API (every
# endpoint, good and bad requests, with debug logging on), or anywhere in the ledger files — neither when the
# portals accept the credentials nor when they reject them, nor when a secret file itself is unusable.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bin=$(dvcrecon_binary "${1:?usage: reliability_secrets.sh DVCRECON_BINARY}")
command -v curl >/dev/null || { echo "reliability_secrets: curl is not installed" >&2; exit 2; }

canary_secret="CANARY-client-secret-$RANDOM$RANDOM"
canary_password="CANARY-national-pass-$RANDOM$RANDOM"
canary_token="CANARY-api-token-$RANDOM$RANDOM-0123456789abcdef"  # at least 32 bytes, as tokens must be
out=$work/out   # every captured output goes here, scanned at the end
mkdir -p "$out"
printf '%s\n' "$canary_secret" >"$work/sim.secret"
printf '%s\n' "$canary_password" >"$work/sim.password"
passed=0

# no_canary WHAT FILE…: fails naming the file and line if any canary is in the files.
no_canary() {
  local what=$1
  shift
  local hit
  if hit=$(grep -a -n -F -e "$canary_secret" -e "$canary_password" -e "$canary_token" "$@" 2>/dev/null); then
    printf '%s\n' "$hit" | head -3 | cut -c1-200 >&2
    fail "$what: a secret appears in the output"
  fi
}

# 1. Accepted credentials: a full run, then the service with its API, every endpoint asked.
start_sim secrets --seed 61 --dossiers 400 --client-secret-file "$work/sim.secret" --password-file "$work/sim.password"
cp "$work/secrets.sim.out" "$work/secrets.sim.err" "$out/"
dir=$work/accepted
write_config "$dir" "$sim_url" psecret="$canary_secret" npass="$canary_password" token="$canary_token" interval=600
set_config "$dir" log_level '"debug"'
"$bin" check-config --config "$dir/config.json" >"$out/check.out" 2>"$out/check.err" ||
  fail "check-config refused a good configuration: $(cat "$out/check.err")"
"$bin" run --config "$dir/config.json" --once 2>"$out/once.err" >"$out/once.out" ||
  { tail -5 "$out/once.err" >&2; fail "run --once with the canary credentials failed"; }
"$bin" run --config "$dir/config.json" 2>"$out/service.err" >"$out/service.out" &
svc_pid=$!
api=http://$(api_address "$out/service.err")
key=$(sqlite3 "$dir/ledger.db" "SELECT key FROM findings ORDER BY id LIMIT 1")
id=$(sqlite3 "$dir/ledger.db" "SELECT id FROM findings ORDER BY id LIMIT 1")
n=0
for path in / /healthz /readyz /metrics "/api/findings?limit=1000" "/api/findings/$id" "/api/dossiers/$key" \
            /api/sync-rates "/api/sync-rates?period=2024-Q3" "/api/runs?limit=100" /api/findings/999999 \
            "/api/findings?limit=bogus" /no/such/path /index.html /dossier.html /common.js /dashboard.js /dossier.js \
            /style.css; do
  n=$((n + 1))
  curl -sS -i "$api$path" >"$out/api.$n" 2>&1 || true
done
# Acks: wrong token, no token, a token that is the canary with a typo, then the right one (its answer too).
curl -sS -i -X POST -H 'Authorization: Bearer wrong' -d '{"note":"x","by":"t"}' "$api/api/findings/$id/ack" >"$out/ack.1" 2>&1 || true
curl -sS -i -X POST -d '{"note":"x","by":"t"}' "$api/api/findings/$id/ack" >"$out/ack.2" 2>&1 || true
curl -sS -i -X POST -H "Authorization: Bearer ${canary_token}x" -d '{"note":"x"}' "$api/api/findings/$id/ack" >"$out/ack.3" 2>&1 || true
curl -sS -i -X POST -H "Authorization: Bearer $canary_token" -d '{"note":"checked","by":"secrets test"}' \
  "$api/api/findings/$id/ack" >"$out/ack.4" 2>&1 || true
grep -q '^HTTP/1.1 401\|^HTTP/1.1 403' "$out/ack.1" || fail "an ack with a wrong token was not refused"
grep -q '^HTTP/1.1 200' "$out/ack.4" || { cat "$out/ack.4" >&2; fail "an ack with the right token was not accepted"; }
grep -q '^HTTP/1.1 200' "$out/api.4" || fail "/metrics did not answer 200"
kill -TERM "$svc_pid"
wait "$svc_pid" || true
svc_pid=
"$bin" verify-ledger --config "$dir/config.json" >"$out/verify.out" 2>"$out/verify.err" || true
"$bin" mismatches list --config "$dir/config.json" >"$out/list.out" 2>"$out/list.err" || true
"$bin" mismatches export --format jsonl --all --config "$dir/config.json" >"$out/export.out" 2>"$out/export.err" || true
echo "ok: accepted credentials: run, service, $((n + 4)) API requests, verify-ledger, mismatches"
passed=$((passed + 1))

# 2. Rejected credentials: the simulator expects other values, so both sides refuse them. The values sent begin
#    with the canaries, so a leak of them is caught by the same scan.
dir=$work/rejected
write_config "$dir" "$sim_url" psecret="$canary_secret-wrong" npass="$canary_password-wrong"
set_config "$dir" log_level '"debug"'
rc=0
"$bin" run --config "$dir/config.json" --once 2>"$out/rejected.err" >"$out/rejected.out" || rc=$?
[[ $rc -eq 3 ]] || fail "run --once with rejected credentials exited $rc, not 3"
grep -Eiq 'auth|credential|refused|401|invalid' "$out/rejected.err" ||
  { cat "$out/rejected.err" >&2; fail "the rejection is not reported as an authentication failure"; }
echo "ok: rejected credentials: exit 3 with '$(grep -Eio '[^"]*(auth|credential)[^"]*' "$out/rejected.err" | head -1 | cut -c1-120)'"
passed=$((passed + 1))
stop_sim
cp "$work/secrets.sim.err" "$out/sim-after.err"

# 3. Unusable secret files: a control character after the canary, a canary as the API token that is too long.
dir=$work/badfile
write_config "$dir" "http://127.0.0.1:9"
printf '%s\001tail\n' "$canary_secret" >"$dir/provincial.secret"
printf '%s%s\n' "$canary_password" "$(head -c 70000 /dev/zero | tr '\0' x)" >"$dir/national.secret"
rc=0
"$bin" check-config --config "$dir/config.json" >"$out/badfile.out" 2>"$out/badfile.err" || rc=$?
"$bin" run --config "$dir/config.json" --once >>"$out/badfile.out" 2>>"$out/badfile.err" || true
if [[ $rc -eq 0 ]]; then
  echo "note: check-config accepts a secret with a control character or of 70 000 bytes"
else
  echo "ok: unusable secret files refused: $(head -2 "$out/badfile.err" | cut -c1-160 | paste -sd'|')"
fi
passed=$((passed + 1))

canary_files=("$out"/*)
no_canary "command output and API answers" "${canary_files[@]}"
no_canary "ledger files" "$work"/accepted/ledger.db* "$work"/rejected/ledger.db*
echo "ok: none of 3 canaries in $(ls "$out" | wc -l) outputs or the ledger files ($(cat "$work"/accepted/ledger.db* | wc -c) bytes)"
passed=$((passed + 1))
echo "$passed passed, 0 failed"
