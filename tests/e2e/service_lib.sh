# Shared by the service_* scripts: start `dvcrecon sim` on a free loopback port, write a service configuration
# for it. Source it after setting `bin` (the dvcrecon binary) and `work` (a scratch directory).

# The simulated present: its base data ends just before. The service's T is the wall clock, long after, so no
# dossier is within the grace period and the offline evaluation at the same T sees exactly what the service saw.
sim_clock_start=2024-08-01T08:00:00+07:00

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# start_sim NAME ARGS…: runs the simulator in the background; sets sim_pid and sim_url.
start_sim() {
  local name=$1
  shift
  "$bin" sim --listen 127.0.0.1:0 --freeze --clock-start "$sim_clock_start" "$@" \
    >"$work/$name.sim.out" 2>"$work/$name.sim.err" &
  sim_pid=$!
  local i
  for i in $(seq 1 300); do
    sim_url=$(sed -n 's/^listening on //p' "$work/$name.sim.out")
    [[ -n "$sim_url" ]] && return 0
    kill -0 "$sim_pid" 2>/dev/null || { cat "$work/$name.sim.err" >&2; fail "the simulator exited before listening"; }
    sleep 0.1
  done
  fail "the simulator did not listen within 30 s"
}

stop_sim() {
  if [[ -n "${sim_pid:-}" ]]; then
    kill "$sim_pid" 2>/dev/null || true
    wait "$sim_pid" 2>/dev/null || true
    sim_pid=
  fi
}

# write_config DIR [PAGE_SIZE]: config.json, secrets and the ledger path inside DIR, for the running simulator.
write_config() {
  local dir=$1 page_size=${2:-200}
  mkdir -p "$dir"
  printf 'sim-provincial-secret\n' >"$dir/provincial.secret"
  printf 'sim-national-secret\n' >"$dir/national.secret"
  chmod 600 "$dir/provincial.secret" "$dir/national.secret"
  cat >"$dir/config.json" <<JSON
{
  "ledger": "ledger.db",
  "poll_interval_s": 10, "sync_grace_s": 1800, "lookback_s": 600,
  "since": "2023-01-01T00:00:00+07:00",
  "provincial": {"base_url": "$sim_url/provincial/api", "token_url": "$sim_url/provincial/oauth/token",
                 "client_id": "dvcrecon", "client_secret_file": "provincial.secret", "page_size": $page_size},
  "national": {"base_url": "$sim_url/national", "dstcode": "H10", "madonvi": "000.00.00.H10",
               "username": "binhphuoc.dvcrecon", "password_file": "national.secret", "page_size": $page_size},
  "http": {"listen": "127.0.0.1:0"}
}
JSON
}
