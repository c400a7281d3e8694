#!/usr/bin/env bash
# The shipped Prometheus alerting rules (systemd/dvcrecon-alerts.rules.yml) are valid and fire as
# tests/e2e/prometheus_alerts.test.yml expects. Skipped (77) only when promtool is absent.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v promtool >/dev/null; then
  echo "SKIP: promtool is not installed (Debian package prometheus, listed in scripts/packages)"
  exit 77
fi
promtool check rules "$here/../../systemd/dvcrecon-alerts.rules.yml"
promtool test rules "$here/prometheus_alerts.test.yml"
