#!/usr/bin/env bash
# The dashboard in headless Chromium over a ledger built from the adversarial data: unit names appear, filtering
# the findings table by a dossier code works, national's indicators and the alert episodes are drawn in words, the
# dossier page marks differing fields and its ack form records a
# note with the right token only; after a partial run, and when the last complete run is older than three poll
# intervals, a banner says so over the rates (in /api/status and on the page); then, over the ledger as it is
# during the first sync, the banner says so and no unit shows a rate. Screenshots go to $DVC_SCREENSHOT_DIR
# (default /tmp).
# Usage: operators_dashboard.sh DVCRECON_BINARY
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bin=$(dvcrecon_binary "${1:?usage: operators_dashboard.sh DVCRECON_BINARY}")

for tool in chromium chromedriver; do
  command -v "$tool" >/dev/null || fail "$tool is not installed (Debian chromium, chromium-driver; scripts/packages)"
done
write_config "$work" http://127.0.0.1:9 token=e2e-token-5f1c-0123456789abcdef0123456789 audit=yes
build_ledger "$work"
# Alert episodes as the service records them: a falsely closed dossier still alerted, and national unreadable for a
# while, since recovered.
now=$(date +%s)
sqlite3 "$work/ledger.db" "INSERT INTO alert_episodes (rule, subject, opened_at, details)
    SELECT 'falsely_closed', key, $now - 600, '{}' FROM findings WHERE kind = 'falsely_closed' ORDER BY key LIMIT 1;
  INSERT INTO alert_episodes (rule, subject, opened_at, resolved_at, details, resolution)
    VALUES ('poll_stale', 'national', $now - 7200, $now - 3600, '{\"side\": \"national\"}', '{}')"
start_api "$work"
python3 "$e2e_dir/operators_dashboard.py" "$api_url" "${DVC_SCREENSHOT_DIR:-/tmp}" "$(cat "$work/api.token")"

# The last run was partial (a portal could not be read): the figures are those of the complete run before it.
sqlite3 "$work/ledger.db" "INSERT INTO runs (mode, started_at, ended_at, as_of, grace_s, status, message)
  VALUES ('service', $now, $now, $now, 1800, 'partial', 'national poll failed')"
python3 "$e2e_dir/operators_dashboard.py" "$api_url" "${DVC_SCREENSHOT_DIR:-/tmp}" "$(cat "$work/api.token")" \
  --banner partial "không đọc được đầy đủ cả hai cổng"
# The last complete run ended longer ago than three poll intervals (http.ready_max_age_s): the figures are old.
sqlite3 "$work/ledger.db" "DELETE FROM runs WHERE mode = 'service' AND message = 'national poll failed';
  UPDATE runs SET ended_at = $now - 3600"
python3 "$e2e_dir/operators_dashboard.py" "$api_url" "${DVC_SCREENSHOT_DIR:-/tmp}" "$(cat "$work/api.token")" \
  --banner stale "Số liệu đã cũ"

# The first sync: the ledger as it is while the service's first run has stored records and evaluated nothing.
kill "$api_pid"
wait "$api_pid" 2>/dev/null || true
api_pid=
sqlite3 "$work/ledger.db" "DELETE FROM events; DELETE FROM chain_head; DELETE FROM findings;
  UPDATE runs SET mode = 'service', status = 'running', ended_at = NULL"
start_api "$work"
python3 "$e2e_dir/operators_dashboard.py" "$api_url" "${DVC_SCREENSHOT_DIR:-/tmp}" "$(cat "$work/api.token")" --first-sync
