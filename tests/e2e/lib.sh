# Shared by every end-to-end script (source it first): strict mode, a scratch directory removed on exit with every
# background process the script started, the dvcrecon binary, bounded waits on log lines, the simulator, service
# configurations for it or for a ledger built offline, and checks on ledgers.
#
# Nothing here sleeps to wait for something: a script waits for the line a process prints once it is ready
# (wait_for_line, wait_for_lines), each wait bounded, and every listener binds port 0 and says which port it got.
set -euo pipefail

e2e_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$e2e_dir/../.." && pwd)
data=$root/tests/data/adversarial
work=$(mktemp -d)

# DVC_LONG=1 enlarges counts (kills, dossiers, fault runs) for a longer soak; the default keeps each script under
# about 90 s on two shared cores.
long=${DVC_LONG:-0}

fail() {
  echo "FAIL: $(basename "$0"): $*" >&2
  exit 1
}

# Background processes the scripts start; whatever is still running at exit is killed and reaped.
sim_pid=
svc_pid=
api_pid=
listener_pid=
exit_hooks=()
# at_exit COMMAND: run COMMAND (with eval) at exit, before the scratch directory goes.
at_exit() {
  exit_hooks+=("$1")
}
e2e_cleanup() {
  local pid hook
  for pid in "$svc_pid" "$api_pid" "$listener_pid" "$sim_pid"; do
    [[ -n $pid ]] || continue
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  for hook in "${exit_hooks[@]}"; do eval "$hook" || true; done
  [[ -n ${E2E_KEEP:-} ]] && echo "kept $work" >&2 || rm -rf "$work"
}
trap e2e_cleanup EXIT

# dvcrecon_binary PATH: the dvcrecon executable, given itself or as the build directory holding it, as an absolute
# path (scripts may change directory).
dvcrecon_binary() {
  local path=$1
  [[ -d $path ]] && path=$path/dvcrecon
  [[ -x $path && -f $path ]] || { echo "$(basename "$0"): no dvcrecon binary at $path" >&2; exit 2; }
  realpath "$path"
}

# wait_for_lines FILE ERE COUNT SECONDS [PID]: returns once FILE holds COUNT lines matching ERE (grep -E), reading
# the file as it grows (tail -F, woken by inotify) rather than polling it. After SECONDS, or as soon as process PID
# has ended without the lines having appeared, it says so on stderr and returns 1.
wait_for_lines() {
  local file=$1 pattern=$2 count=$3 seconds=$4 pid=${5:-}
  local fifo seen tail_pid
  fifo=$(mktemp -u "$work/wait.XXXXXX")
  mkfifo "$fifo"
  tail -n +1 -F ${pid:+--pid="$pid"} "$file" >"$fifo" 2>/dev/null &
  tail_pid=$!
  # grep handles each line as it arrives (awk implementations may wait for a full buffer) and stops at COUNT.
  seen=$(timeout "$seconds" grep -E -c -m "$count" -- "$pattern" <"$fifo") || true
  kill "$tail_pid" 2>/dev/null || true
  wait "$tail_pid" 2>/dev/null || true
  rm -f "$fifo"
  [[ ${seen:-0} -ge $count ]] && return 0
  if [[ -z $seen ]]; then
    echo "$(basename "$0"): no $count line(s) matching /$pattern/ in $file within $seconds s" >&2
  else
    echo "$(basename "$0"): the process writing $file ended before $count line(s) matching /$pattern/" >&2
  fi
  return 1
}

# wait_for_line FILE ERE SECONDS [PID]: wait_for_lines with a count of one.
wait_for_line() {
  wait_for_lines "$1" "$2" 1 "$3" "${4:-}"
}

# wait_for_exit PID SECONDS: true once PID has ended, false when it still runs after SECONDS.
wait_for_exit() {
  timeout "$2" tail --pid="$1" -f /dev/null
}

# sim_clock_start is the simulated present: its base data ends just before. The service's T is the wall clock, after
# it, so no dossier is within the grace period and the offline evaluation at the same T sees exactly what the
# service saw.
# use_shape contract|b: the wire shape the suite's simulators speak (default E2E_SHAPE, else contract); write_config
# reads shape B through the shipped shape-b profiles. A record that jumps to the top of a descending listing while
# it is read is stamped with the simulator's present; for shape B that present is put 45 minutes back — past the
# grace period, so moved records are not pending, but within a look-back of an hour, so the next cycle's cursor
# (the instant the listing began, less the look-back) reaches them, as it does against a real portal whose clock
# is the service's.
use_shape() {
  e2e_shape=$1
  sim_clock_start=2024-08-01T08:00:00+07:00
  e2e_lookback=600
  if [[ $e2e_shape == b ]]; then
    sim_clock_start=$(date -u -d '45 minutes ago' +%Y-%m-%dT%H:%M:%SZ)
    e2e_lookback=3600
  fi
}
use_shape "${E2E_SHAPE:-contract}"

# start_sim NAME ARGS…: `dvcrecon sim` on a free loopback port in the background, frozen at sim_clock_start;
# sets sim_pid and sim_url once it listens. Each NAME has its own output file, so the address read is never an
# earlier simulator's.
start_sim() {
  local name=$1
  shift
  local out=$work/$name.sim.out
  : >"$out"
  "$bin" sim --listen 127.0.0.1:0 --freeze --clock-start "$sim_clock_start" --shape "$e2e_shape" "$@" >"$out" 2>"$work/$name.sim.err" &
  sim_pid=$!
  wait_for_line "$out" '^listening on ' 30 "$sim_pid" ||
    { cat "$work/$name.sim.err" >&2; fail "the simulator did not listen"; }
  sim_url=$(sed -n 's/^listening on //p' "$out")
}

stop_sim() {
  if [[ -n $sim_pid ]]; then
    kill "$sim_pid" 2>/dev/null || true
    wait "$sim_pid" 2>/dev/null || true
    sim_pid=
  fi
}

# write_config DIR URL [KEY=VALUE…]: DIR/config.json with its secrets in DIR, for the portals at URL (a running
# simulator; a closed port such as http://127.0.0.1:9 when only the ledger matters). Settings:
#   page=N          page size of both sides (default 200)
#   timeout=S       timeout_s of both sides (every phase deadline)
#   ca=FILE         ca_file of both sides
#   ledger=PATH     the ledger (default DIR/ledger.db)
#   interval=S      poll_interval_s (default 10, the least allowed)
#   lookback=S      lookback_s (default 600; 3600 with E2E_SHAPE=b)
#   psecret=TEXT    the provincial client secret written to its file (default the simulator's)
#   npass=TEXT      the national password written to its file (default the simulator's)
#   token=TEXT      the tokens file: operator "e2e-operator" (scope ack) holds TEXT (at least 32 bytes), which is
#                   also kept in DIR/api.token for the scripts that send it
#   audit=yes       an audit key in DIR/audit.key as audit.key_file (build_ledger then keys the ledger with it)
#   log=LEVEL       log_level (default info)
#   listen=ADDR     http.listen (default 127.0.0.1:0)
#   sources=2       two provincial sources: the current one and the simulator's legacy source (sim --legacy-source)
#   shape=b         both sides read through the shipped shape-b profiles (default: E2E_SHAPE): the provincial
#                   password grant, and national looked up by code with a budget that covers every dossier in
#                   one cycle
#   concurrency=N   look-up connections of that national side (default 4)
write_config() {
  local dir=$1 url=$2
  shift 2
  local page=200 timeout= ca= ledger=ledger.db interval=10 lookback=$e2e_lookback psecret=sim-provincial-secret npass=sim-national-secret
  local token= audit= log=info listen=127.0.0.1:0 shape=$e2e_shape concurrency=4 sources=1 kv
  for kv in "$@"; do
    case $kv in
      page=*) page=${kv#*=} ;;
      timeout=*) timeout=${kv#*=} ;;
      ca=*) ca=${kv#*=} ;;
      ledger=*) ledger=${kv#*=} ;;
      interval=*) interval=${kv#*=} ;;
      lookback=*) lookback=${kv#*=} ;;
      psecret=*) psecret=${kv#*=} ;;
      npass=*) npass=${kv#*=} ;;
      token=*) token=${kv#*=} ;;
      audit=*) audit=${kv#*=} ;;
      log=*) log=${kv#*=} ;;
      listen=*) listen=${kv#*=} ;;
      shape=*) shape=${kv#*=} ;;
      concurrency=*) concurrency=${kv#*=} ;;
      sources=*) sources=${kv#*=} ;;
      *) fail "write_config: unknown setting $kv" ;;
    esac
  done
  mkdir -p "$dir"
  printf '%s\n' "$psecret" >"$dir/provincial.secret"
  printf '%s\n' "$npass" >"$dir/national.secret"
  chmod 600 "$dir/provincial.secret" "$dir/national.secret"
  local transport="\"page_size\": $page"
  [[ -n $timeout ]] && transport+=", \"timeout_s\": $timeout"
  [[ -n $ca ]] && transport+=", \"ca_file\": \"$ca\""
  local http="\"listen\": \"$listen\""
  local pextra= nextra=
  if [[ $shape == b ]]; then
    printf 'sim-provincial-password\n' >"$dir/provincial.password"
    chmod 600 "$dir/provincial.password"
    pextra=', "profile": "shape-b", "username": "dvcrecon.sim", "password_file": "provincial.password"'
    nextra=', "profile": "shape-b",
               "lookup": {"requests_per_second": 1000, "concurrency": '"$concurrency"', "max_per_cycle": 1000000}'
  fi
  if [[ -n $token ]]; then
    # The operator is known to dvcrecon by the SHA-256 of the token only.
    printf '%s\n' "$token" >"$dir/api.token"
    printf '{"tokens": [{"name": "e2e-operator", "scope": "ack", "sha256": "%s"}]}\n' \
      "$(printf '%s' "$token" | sha256sum | cut -d' ' -f1)" >"$dir/api-tokens.json"
    chmod 600 "$dir/api.token" "$dir/api-tokens.json"
    http+=", \"tokens_file\": \"api-tokens.json\""
  fi
  local audit_setting=
  if [[ $audit == yes ]]; then
    printf 'e2e-audit-key-0123456789abcdef0123456789\n' >"$dir/audit.key"
    chmod 600 "$dir/audit.key"
    audit_setting=',
  "audit": {"key_file": "audit.key"}'
  fi
  local provincial='{"base_url": "'$url'/provincial/api", "token_url": "'$url'/provincial/oauth/token",
                 "client_id": "dvcrecon", "client_secret_file": "provincial.secret", '$transport$pextra'}'
  if [[ $sources == 2 ]]; then
    # The simulator's legacy source (sim --legacy-source) under /legacy, moved into the current one (docs/sources.md).
    provincial='[{"name": "dong-nai", '${provincial#\{}',
                 {"name": "binh-phuoc", "moved_to": "dong-nai", '
    provincial+='"base_url": "'$url'/legacy/provincial/api", "token_url": "'$url'/legacy/provincial/oauth/token",
                  "client_id": "dvcrecon", "client_secret_file": "provincial.secret", '$transport$pextra'}]'
  fi
  cat >"$dir/config.json" <<JSON
{
  "ledger": "$ledger",
  "poll_interval_s": $interval, "sync_grace_s": 1800, "lookback_s": $lookback,
  "since": "2023-01-01T00:00:00+07:00",
  "log_level": "$log",
  "provincial": $provincial,
  "national": {"base_url": "$url/national", "dstcode": "H10", "madonvi": "000.00.00.H19",
               "username": "binhphuoc.dvcrecon", "password_file": "national.secret", $transport$nextra},
  "http": {$http}$audit_setting
}
JSON
}

# set_config DIR KEY JSON: sets a top-level key of DIR/config.json (written by write_config, plain JSON).
set_config() {
  python3 - "$1/config.json" "$2" "$3" <<'PY'
import json, sys
path, key, value = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
config = json.load(open(path, encoding="utf-8"))
config[key] = value
json.dump(config, open(path, "w", encoding="utf-8"), indent=1)
PY
}

# param NAME: a value of the adversarial data set's params.json (as_of, grace).
param() {
  python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$data/params.json" "$1"
}

# build_ledger DIR: one offline run over the adversarial JSONL pair at the data set's T and G into DIR/ledger.db,
# keyed with DIR/audit.key when write_config wrote one.
build_ledger() {
  local key=()
  [[ -f $1/audit.key ]] && key=(--audit-key-file "$1/audit.key")
  "$bin" reconcile --provincial "$data/provincial.jsonl" --national "$data/national.jsonl" --as-of "$(param as_of)" \
    --grace "$(param grace)" --ledger "$1/ledger.db" "${key[@]}" >"$1/reconcile.out" 2>"$1/reconcile.err" ||
    fail "dvcrecon reconcile --ledger failed: $(tail -3 "$1/reconcile.err")"
}

# start_api DIR: `dvcrecon serve-api` over DIR/config.json in the background; sets api_pid and api_url once it
# listens and has computed the sync rates (until then /api/sync-rates answers 503).
start_api() {
  "$bin" serve-api --config "$1/config.json" >"$1/api.out" 2>"$1/api.err" &
  api_pid=$!
  wait_for_line "$1/api.out" '^listening on ' 30 "$api_pid" || fail "serve-api did not listen: $(cat "$1/api.err")"
  wait_for_line "$1/api.err" ' sync_rates_computed ' 30 "$api_pid" ||
    fail "serve-api did not compute the sync rates: $(cat "$1/api.err")"
  api_url=$(sed -n 's/^listening on \(http:[^ ]*\)\/$/\1/p' "$1/api.out")
}

# api_address LOG [PID]: the API's bound address from the service's `api_listening` event; waits up to 30 s.
api_address() {
  wait_for_line "$1" ' api_listening ' 30 "${2:-}" || fail "the service did not say where the API listens"
  sed -n 's/.*api_listening.*address=\([^ ]*\).*/\1/p' "$1" | head -1
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

# oracle_agrees DB DUMP WHAT: the open findings in DB equal those of the independent oracle (oracle/reference.py,
# written from the CONTRACT and docs/ alone) on the simulator's dump DUMP, read in the current shape at the newest
# run's as-of; fails with the oracle's diff otherwise. The oracle's output goes to DB's folder (oracle.out).
oracle_agrees() {
  local db=$1 dump=$2 what=$3 dir as_of
  dir=$(dirname "$db")
  as_of=$(date -u -d "@$(last_run "$db" as_of)" +%Y-%m-%dT%H:%M:%SZ)
  sqlite3 -json "$db" "SELECT key, kind, reason FROM findings WHERE state IN ('open', 'reopened')" |
    python3 -c 'import json, sys; [print(json.dumps(f, ensure_ascii=False)) for f in json.loads(sys.stdin.read() or "[]")]' \
      >"$dir/service.jsonl"
  python3 "$e2e_dir/oracle/compare.py" --findings "$dir/service.jsonl" --shape "$e2e_shape" \
    --provincial "$dump/provincial.jsonl" --national "$dump/national.jsonl" --as-of "$as_of" --grace 1800 \
    >"$dir/oracle.out" 2>&1 || { head -30 "$dir/oracle.out" >&2; fail "$what: the open findings differ from the oracle's"; }
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
  start_sim "$name" "$@"
  write_config "$ref_dir" "$sim_url"
  "$bin" run --config "$ref_dir/config.json" --once 2>"$ref_dir/run.err" ||
    { tail -5 "$ref_dir/run.err" >&2; fail "$name: the reference run --once failed"; }
  stop_sim
  [[ $(last_run "$ref_dir/ledger.db" status) == ok ]] || fail "$name: the reference run is not ok"
  findings_set "$ref_dir/ledger.db" "$ref_dir/findings.tsv"
  [[ $(wc -l <"$ref_dir/findings.tsv") -gt 100 ]] || fail "$name: the reference run raised too few findings"
}
