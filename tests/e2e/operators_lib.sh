# Shared by the operators_* end-to-end scripts (source it): a scratch directory, a configuration naming a ledger
# built by `dvcrecon reconcile --ledger` from the adversarial data set, and a serve-api process on a free port.
# Expects $binary (the dvcrecon executable) to be set by the caller.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
data=$root/tests/data/adversarial
work=$(mktemp -d)
api_pid=
ops_cleanup() {
  if [[ -n $api_pid ]]; then kill "$api_pid" 2>/dev/null || true; wait "$api_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap ops_cleanup EXIT

fail() {
  echo "$(basename "$0"): $*" >&2
  exit 1
}

# write_config [LISTEN]: $work/config.json naming $work/ledger.db, the units of the data set, an API token.
write_config() {
  local listen=${1:-127.0.0.1:0}
  printf 'p-secret\n' >"$work/provincial.secret"
  printf 'n-secret\n' >"$work/national.secret"
  printf 'e2e-token-5f1c\n' >"$work/api.token"
  cat >"$work/config.json" <<JSON
{
  "ledger": "ledger.db",
  "units": [],
  "provincial": {"base_url": "http://127.0.0.1:9/api", "token_url": "http://127.0.0.1:9/token",
                 "client_id": "dvcrecon", "client_secret_file": "provincial.secret"},
  "national": {"base_url": "http://127.0.0.1:9/adapter", "dstcode": "H10", "madonvi": "000.00.00.H10",
               "username": "dvcrecon", "password_file": "national.secret"},
  "http": {"listen": "$listen", "token_file": "api.token"}
}
JSON
}

# build_ledger: one offline run over the adversarial JSONL pair at the data set's T and G.
build_ledger() {
  local as_of grace
  as_of=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["as_of"])' "$data/params.json")
  grace=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["grace"])' "$data/params.json")
  "$binary" reconcile --provincial "$data/provincial.jsonl" --national "$data/national.jsonl" --as-of "$as_of" \
    --grace "$grace" --ledger "$work/ledger.db" >"$work/reconcile.out" 2>"$work/reconcile.err" ||
    fail "dvcrecon reconcile --ledger failed: $(tail -3 "$work/reconcile.err")"
}

# start_api: serve-api in the background; sets $api_url once it listens.
start_api() {
  "$binary" serve-api --config "$work/config.json" >"$work/api.out" 2>"$work/api.err" &
  api_pid=$!
  for _ in $(seq 100); do
    if grep -q '^listening on ' "$work/api.out"; then
      api_url=$(sed -n 's/^listening on \(http:[^ ]*\)\/$/\1/p' "$work/api.out")
      return 0
    fi
    kill -0 "$api_pid" 2>/dev/null || fail "serve-api exited: $(cat "$work/api.err")"
    sleep 0.1
  done
  fail "serve-api did not start listening within 10 s"
}
