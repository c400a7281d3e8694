# Shell functions the bench scripts share (sourced, not run). Messages name the script that sourced them.

# stop_pid PID: stops a background process of the script, if there is one, and reaps it.
stop_pid() {
  local pid=$1
  [[ -n "$pid" ]] || return 0
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# wait_listening PID FILE WHAT SECONDS: echoes the URL, without a trailing '/', once FILE has a "listening on URL"
# line; fails if PID exits first or SECONDS pass.
wait_listening() {
  local pid=$1 file=$2 what=$3 limit=$4 url i
  for ((i = 0; i < limit * 10; i++)); do
    url=$(sed -n 's/^listening on //p' "$file" 2>/dev/null)
    [[ -n "$url" ]] && { echo "${url%/}"; return 0; }
    kill -0 "$pid" 2>/dev/null || { echo "bench/$(basename "$0"): $what exited before listening" >&2; return 1; }
    sleep 0.1
  done
  echo "bench/$(basename "$0"): $what did not listen within $limit s" >&2
  return 1
}

# timed DIR NAME CMD…: runs CMD under /usr/bin/time -v; the command, stdout, stderr and the figures go to
# DIR/NAME.{cmd,out,err,time}. Exits the script (3) if CMD fails.
timed() {
  local dir=$1 name=$2
  shift 2
  echo "$*" >"$dir/$name.cmd"
  # The step before may have left gigabytes of dirty pages (a full cycle writes its ledger twice, WAL and
  # checkpoint); flushed now, or the kernel's writeback of them would be timed as this step's fdatasync.
  sync
  if ! /usr/bin/time -v -o "$dir/$name.time" "$@" >"$dir/$name.out" 2>"$dir/$name.err"; then
    tail -20 "$dir/$name.err" >&2
    echo "bench/$(basename "$0"): $name failed (command: $*; logs: $dir/$name.err)" >&2
    exit 3
  fi
}
