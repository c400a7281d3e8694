#!/usr/bin/env bash
# The service's alerts end to end: `run --once` against the simulator announces each open falsely closed finding to a
# webhook receiver on loopback, records the episodes and deliveries in the ledger, and a second cycle over the same
# data announces nothing again (once per episode, across a restart of the process).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bin=$(dvcrecon_binary "${1:?usage: alerts_service.sh DVCRECON_BINARY}")

dir=$work/alerts
mkdir -p "$dir"
# A receiver that records each POST body as one line and answers 204; it prints its port once it listens.
python3 - "$dir/hooks.jsonl" >"$dir/receiver.out" 2>"$dir/receiver.err" <<'PY' &
import json, sys
from http.server import BaseHTTPRequestHandler, HTTPServer
out = open(sys.argv[1], "a", encoding="utf-8")
class H(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        out.write(json.dumps(json.loads(body), ensure_ascii=False) + "\n")
        out.flush()
        self.send_response(204)
        self.end_headers()
    def log_message(self, *a):
        pass
server = HTTPServer(("127.0.0.1", 0), H)
print(server.server_address[1], flush=True)
server.serve_forever()
PY
listener_pid=$!
wait_for_line "$dir/receiver.out" '^[0-9]+$' 30 "$listener_pid" || fail "the webhook receiver did not listen"
port=$(head -1 "$dir/receiver.out")
: >"$dir/hooks.jsonl"

start_sim alerts --seed 11 --dossiers 800
write_config "$dir" "$sim_url" page=100
set_config "$dir" alerts "{\"rules\": {\"falsely_closed\": true, \"sync_rate_below_target\": true},
  \"webhooks\": [{\"name\": \"chat\", \"url\": \"http://127.0.0.1:$port/hooks/x\"}], \"max_per_message\": 1000}"

"$bin" run --config "$dir/config.json" --once 2>"$dir/run1.err" || { tail -20 "$dir/run1.err" >&2; fail "first run failed"; }
grep -q 'alert_sent target=chat' "$dir/run1.err" || { grep alert "$dir/run1.err" >&2; fail "no alert_sent line"; }
open=$(sqlite3 "$dir/ledger.db" \
  "SELECT count(*) FROM findings WHERE kind = 'falsely_closed' AND state IN ('open', 'reopened')")
[[ $open -gt 0 ]] || fail "the simulator's data gave no falsely closed finding to alert on"
sent=$(python3 -c '
import json, sys
print(sum(1 for line in open(sys.argv[1], encoding="utf-8") for a in json.loads(line)["alerts"]
          if a["rule"] == "falsely_closed" and a["event"] == "fired"))' "$dir/hooks.jsonl")
[[ $sent -eq $open ]] || fail "$sent falsely_closed alerts sent for $open open findings"
owed=$(sqlite3 "$dir/ledger.db" "SELECT count(*) FROM alert_deliveries WHERE delivered_at IS NULL")
[[ $owed -eq 0 ]] || fail "$owed deliveries still owed after a successful send"
grep -q 'Hồ sơ .* được ghi nhận kết thúc sai' "$dir/hooks.jsonl" || fail "the alert titles are not the Vietnamese texts"
requests=$(wc -l <"$dir/hooks.jsonl")

# Same data, a new process: every episode is still open, nothing is announced again.
"$bin" run --config "$dir/config.json" --once 2>"$dir/run2.err" || { tail -20 "$dir/run2.err" >&2; fail "second run failed"; }
[[ $(wc -l <"$dir/hooks.jsonl") -eq $requests ]] || fail "the second cycle announced again: $(tail -1 "$dir/hooks.jsonl")"
! grep -q 'alerts_failed\|alert_delivery_failed' "$dir/run1.err" "$dir/run2.err" || fail "an alert step failed"
stop_sim
echo "alerts service: $open falsely closed findings announced once ($requests message(s))"
