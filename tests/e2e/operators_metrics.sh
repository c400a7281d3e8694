#!/usr/bin/env bash
# /metrics of a running API passes `promtool check metrics` and carries the families operators graph.
# Usage: operators_metrics.sh DVCRECON_BINARY
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bin=$(dvcrecon_binary "${1:?usage: operators_metrics.sh DVCRECON_BINARY}")

command -v promtool >/dev/null || fail "promtool is not installed (Debian prometheus; scripts/packages)"
write_config "$work" http://127.0.0.1:9 token=e2e-token-5f1c-0123456789abcdef0123456789 audit=yes
build_ledger "$work"
start_api "$work"
curl -sfS "$api_url/metrics" >"$work/metrics.txt" || fail "GET /metrics failed"
promtool check metrics <"$work/metrics.txt" >"$work/promtool.out" 2>&1 ||
  fail "promtool check metrics: $(cat "$work/promtool.out")"
for family in dvcrecon_findings dvcrecon_poll_duration_seconds dvcrecon_records_read_total dvcrecon_http_errors_total \
  dvcrecon_last_success_timestamp_seconds dvcrecon_ledger_bytes dvcrecon_ledger_wal_bytes dvcrecon_cycles_total \
  dvcrecon_sync_rate_ratio dvcrecon_build_info; do
  grep -q "^# TYPE $family " "$work/metrics.txt" || fail "/metrics lacks $family"
done
grep -q '^dvcrecon_findings{kind="field_mismatch",state="open"} [1-9]' "$work/metrics.txt" ||
  fail "/metrics does not count the open field_mismatch findings"
curl -sfS -o /dev/null -w '%{http_code}' "$api_url/readyz" >"$work/ready.code" 2>/dev/null || true
[[ $(cat "$work/ready.code") == 503 ]] || fail "/readyz without any poll answered $(cat "$work/ready.code"), expected 503"
# A second serve-api on the address the first holds: exit 2 naming http.listen.
write_config "$work/second" http://127.0.0.1:9 listen="${api_url#http://}"
rc=0
"$bin" serve-api --config "$work/second/config.json" >"$work/second.out" 2>&1 || rc=$?
[[ $rc -eq 2 ]] || fail "a second serve-api on ${api_url#http://} exited $rc: $(cat "$work/second.out")"
grep -q "http.listen ${api_url#http://}: Address already in use" "$work/second.out" ||
  fail "the second serve-api does not name http.listen: $(cat "$work/second.out")"
echo "/metrics passes promtool ($(grep -c '^# TYPE' "$work/metrics.txt") families)"
