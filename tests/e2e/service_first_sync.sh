#!/usr/bin/env bash
# The first sync as an operator sees it, against a simulator slow enough that each side's first poll lasts
# seconds: every progress_interval_s the log says how far each side has got (`poll_progress`, with what is left and
# when it should end, both portals giving totals); /metrics counts the records read page by page while the poll
# runs, not only when it ends; /api/status carries the first-sync notice and /api/sync-rates shows every row
# 'chưa đánh giá' with no rate. Once the first cycle is complete, the notice goes and the rates are evaluated.
# Usage: service_first_sync.sh DVCRECON_BINARY
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bin=$(dvcrecon_binary "${1:?usage: service_first_sync.sh DVCRECON_BINARY}")

# 30 000 dossiers in pages of 200 with 40 ms per answer: each side's first poll takes several seconds.
start_sim first --seed 11 --dossiers 30000 --faults "latency=40ms"
dir=$work/svc
# A long poll interval: no second cycle starts while the first one is looked at.
write_config "$dir" "$sim_url" page=200 interval=600
set_config "$dir" progress_interval_s 1
"$bin" run --config "$dir/config.json" 2>"$dir/run.err" &
svc_pid=$!
api="http://$(api_address "$dir/run.err" "$svc_pid")"

number='[0-9]+'
decimal='[0-9]+\.[0-9]'
for side in provincial national; do
  wait_for_line "$dir/run.err" " poll_progress side=$side records=[1-9]" 60 "$svc_pid" ||
    fail "no poll_progress line with records read for $side: $(tail -3 "$dir/run.err")"
  line=$(grep -E -m1 " poll_progress side=$side records=[1-9]" "$dir/run.err")
  [[ $line =~ poll_progress\ side=$side\ records=$number\ pages=$number\ seconds=$decimal\ records_per_s=$decimal\ remaining=$number\ eta_s=$number$ ]] ||
    fail "the $side progress line lacks a field or an estimate (both portals give totals): $line"
done
echo "ok: poll_progress lines for both sides, with records, pages, rate, remaining and eta"

# One scrape that shows the provincial poll running with records already counted: the counter grew during the
# poll. A scrape follows each provincial progress line (written only while that poll runs), until one shows it or
# the poll has ended.
seen=
for n in $(seq 1 60); do
  wait_for_lines "$dir/run.err" " poll_progress side=provincial records=[1-9]| poll_done side=provincial" "$n" 60 \
    "$svc_pid" || break
  grep -q ' poll_done side=provincial' "$dir/run.err" && break
  metrics=$(curl -sf "$api/metrics") || fail "GET /metrics failed"
  running=$(sed -n 's/^dvcrecon_poll_running{side="provincial"} //p' <<<"$metrics")
  total=$(sed -n 's/^dvcrecon_records_read_total{side="provincial"} //p' <<<"$metrics")
  live=$(sed -n 's/^dvcrecon_poll_records_read{side="provincial"} //p' <<<"$metrics")
  if [[ $running == 1 && ${total:-0} -gt 0 ]]; then
    [[ $live == "$total" ]] || fail "records read by the first poll ($live) differ from the total ($total)"
    seen=yes
    break
  fi
done
[[ -n $seen ]] || fail "no scrape showed records counted while the provincial poll ran: $(grep -E '^dvcrecon_(poll|records)' <<<"$metrics")"
echo "ok: dvcrecon_records_read_total grew to $total while the provincial poll ran"

status=$(curl -sf "$api/api/status") || fail "GET /api/status failed"
python3 - "$status" "$(curl -sf "$api/api/sync-rates")" <<'PY' || fail "during the first sync: $status"
import json, sys
status, rows = json.loads(sys.argv[1]), json.loads(sys.argv[2])
if not status["notice"] or status["notice"]["kind"] != "first_sync":
    sys.exit(f"no first_sync notice: {status}")
if not rows or any(r["rate"] is not None or r["evaluated"] or r["rate_note"] != "chưa đánh giá" for r in rows):
    sys.exit(f"a rate or an evaluated row during the first sync: {rows}")
PY
echo "ok: first_sync notice, every sync-rate row 'chưa đánh giá'"

wait_for_line "$dir/run.err" ' cycle_end run=1 status=ok ' 120 "$svc_pid" ||
  fail "the first cycle did not complete: $(tail -3 "$dir/run.err")"
# The API's table is recomputed when it sees the finished run.
wait_for_lines "$dir/run.err" ' sync_rates_computed run=1 ' 1 60 "$svc_pid" ||
  fail "the sync rates were not computed after the first cycle"
status=$(curl -sf "$api/api/status") || fail "GET /api/status failed"
python3 - "$status" "$(curl -sf "$api/api/sync-rates")" <<'PY' || fail "after the first cycle: $status"
import json, sys
status, rows = json.loads(sys.argv[1]), json.loads(sys.argv[2])
if status["notice"] is not None:
    sys.exit(f"a notice over current figures: {status['notice']}")
if not any(r["rate"] is not None and r["evaluated"] for r in rows):
    sys.exit(f"no evaluated rate after the first complete cycle: {rows}")
PY
metrics=$(curl -sf "$api/metrics") || fail "GET /metrics failed"
grep -q '^dvcrecon_poll_running{side="provincial"} 0$' <<<"$metrics" || fail "a poll still shown running after the cycle"
echo "ok: after the first cycle the notice is gone and rates are evaluated"
kill -TERM "$svc_pid"
wait "$svc_pid" || fail "dvcrecon run exited $? after SIGTERM"
svc_pid=
echo "4 passed, 0 failed"
