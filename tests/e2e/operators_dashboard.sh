#!/usr/bin/env bash
# The dashboard in headless Chromium over a ledger built from the adversarial data: unit names appear, filtering
# the findings table by a dossier code works, the dossier page marks differing fields and its ack form records a
# note with the right token only. Screenshots go to
# $DVC_SCREENSHOT_DIR (default /tmp).
# Usage: operators_dashboard.sh DVCRECON_BINARY
binary=${1:?usage: operators_dashboard.sh DVCRECON_BINARY}
source "$(dirname "${BASH_SOURCE[0]}")/operators_lib.sh"

for tool in chromium chromedriver; do
  command -v "$tool" >/dev/null || fail "$tool is not installed (Debian chromium, chromium-driver; scripts/packages)"
done
write_config
build_ledger
start_api
python3 "$here/operators_dashboard.py" "$api_url" "${DVC_SCREENSHOT_DIR:-/tmp}" "$(cat "$work/api.token")"
