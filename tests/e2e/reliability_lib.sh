# Shared by the reliability_* scripts. Source it after setting `bin` (the dvcrecon binary) and `work` (a scratch
# directory); it sources service_lib.sh for start_sim/stop_sim/fail.
source "$(dirname "${BASH_SOURCE[0]}")/service_lib.sh"

# sim_start NAME ARGS…: start_sim with its output file created first, so that reading the address can neither
# fail on a file the background process has not opened yet nor see an earlier simulator's address.
sim_start() {
  : >"$work/$1.sim.out"
  start_sim "$@"
}

# DVC_LONG=1 enlarges counts (kills, dossiers, fault runs) for a longer soak; the default keeps each script
# under ~90 s on two shared cores.
long=${DVC_LONG:-0}

# write_rel_config DIR URL [KEY=VALUE…]: config.json with secrets in DIR for the portals at URL. Extra settings:
#   page=N          page size of both sides (default 200)
#   timeout=S       timeout_s of both sides (every phase deadline)
#   ca=FILE         ca_file of both sides
#   ledger=PATH     the ledger (default DIR/ledger.db)
#   interval=S      poll_interval_s (default 10, the least allowed)
#   psecret=TEXT    the provincial client secret written to its file (default the simulator's)
#   npass=TEXT      the national password written to its file (default the simulator's)
#   token=TEXT      an API token file for acks
write_rel_config() {
  local dir=$1 url=$2
  shift 2
  local page=200 timeout= ca= ledger=ledger.db interval=10 psecret=sim-provincial-secret npass=sim-national-secret
  local token= kv
  for kv in "$@"; do
    case $kv in
      page=*) page=${kv#*=} ;;
      timeout=*) timeout=${kv#*=} ;;
      ca=*) ca=${kv#*=} ;;
      ledger=*) ledger=${kv#*=} ;;
      interval=*) interval=${kv#*=} ;;
      psecret=*) psecret=${kv#*=} ;;
      npass=*) npass=${kv#*=} ;;
      token=*) token=${kv#*=} ;;
      *) fail "write_rel_config: unknown setting $kv" ;;
    esac
  done
  mkdir -p "$dir"
  printf '%s\n' "$psecret" >"$dir/provincial.secret"
  printf '%s\n' "$npass" >"$dir/national.secret"
  chmod 600 "$dir/provincial.secret" "$dir/national.secret"
  local transport="\"page_size\": $page"
  [[ -n $timeout ]] && transport+=", \"timeout_s\": $timeout"
  [[ -n $ca ]] && transport+=", \"ca_file\": \"$ca\""
  local http="\"listen\": \"127.0.0.1:0\""
  if [[ -n $token ]]; then
    printf '%s\n' "$token" >"$dir/api.token"
    chmod 600 "$dir/api.token"
    http+=", \"token_file\": \"api.token\""
  fi
  cat >"$dir/config.json" <<JSON
{
  "ledger": "$ledger",
  "poll_interval_s": $interval, "sync_grace_s": 1800, "lookback_s": 600,
  "since": "2023-01-01T00:00:00+07:00",
  "provincial": {"base_url": "$url/provincial/api", "token_url": "$url/provincial/oauth/token",
                 "client_id": "dvcrecon", "client_secret_file": "provincial.secret", $transport},
  "national": {"base_url": "$url/national", "dstcode": "H10", "madonvi": "000.00.00.H10",
               "username": "binhphuoc.dvcrecon", "password_file": "national.secret", $transport},
  "http": {$http}
}
JSON
}

# integrity DB: fails unless `PRAGMA integrity_check` says ok.
integrity() {
  local check
  check=$(sqlite3 "$1" "PRAGMA integrity_check" 2>&1) || fail "integrity_check could not read $1: $check"
  [[ "$check" == ok ]] || fail "integrity_check of $1: $check"
}

# findings_set DB OUT: the (key, kind, reason, state) of every finding, sorted, one per line.
findings_set() {
  sqlite3 -separator $'\t' "$1" "SELECT key, kind, reason, state FROM findings" | LC_ALL=C sort >"$2"
}

# same_findings EXPECTED ACTUAL WHAT: fails with the first differences unless the two sets are equal.
same_findings() {
  if ! diff -q "$1" "$2" >/dev/null; then
    diff "$1" "$2" | head -20 >&2
    fail "$3: findings differ from the reference run ($(wc -l <"$1") expected, $(wc -l <"$2") found)"
  fi
}

# last_run DB COLUMN: a column of the newest run.
last_run() {
  sqlite3 "$1" "SELECT $2 FROM runs ORDER BY id DESC LIMIT 1"
}

# reference_run NAME SIM_ARGS…: a clean `run --once` against a clean simulator; sets ref_dir (ledger, findings.tsv).
reference_run() {
  local name=$1
  shift
  ref_dir=$work/$name
  sim_start "$name" "$@"
  write_rel_config "$ref_dir" "$sim_url"
  "$bin" run --config "$ref_dir/config.json" --once 2>"$ref_dir/run.err" ||
    { tail -5 "$ref_dir/run.err" >&2; fail "$name: the reference run --once failed"; }
  stop_sim
  [[ $(last_run "$ref_dir/ledger.db" status) == ok ]] || fail "$name: the reference run is not ok"
  findings_set "$ref_dir/ledger.db" "$ref_dir/findings.tsv"
  [[ $(wc -l <"$ref_dir/findings.tsv") -gt 100 ]] || fail "$name: the reference run raised too few findings"
}

# set_config DIR KEY JSON: sets a top-level key of DIR/config.json (written by write_rel_config, plain JSON).
set_config() {
  python3 - "$1/config.json" "$2" "$3" <<'PY'
import json, sys
path, key, value = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
config = json.load(open(path, encoding="utf-8"))
config[key] = value
json.dump(config, open(path, "w", encoding="utf-8"), indent=1)
PY
}

# api_address LOG: the API's bound address from the service's `api_listening` event; waits up to 30 s.
api_address() {
  local i address
  for i in $(seq 1 300); do
    address=$(sed -n 's/.*api_listening.*address=\([^ ]*\).*/\1/p' "$1" | head -1)
    [[ -n $address ]] && { echo "$address"; return 0; }
    sleep 0.1
  done
  fail "no api_listening event in $1 within 30 s"
}
