#!/usr/bin/env bash
# Fails when `systemd-analyze verify` warns about the unit, or `systemd-analyze security` rates its exposure above
# 2.5 (ENGINEERING: reliability tests).
# Usage: systemd_security.sh [UNIT_FILE]   (default: systemd/dvcrecon.service next to this script's tree)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
unit=${1:-"$root/systemd/dvcrecon.service"}
limit=2.5
command -v systemd-analyze >/dev/null || { echo "systemd_security: systemd-analyze is not installed" >&2; exit 2; }
[ -r "$unit" ] || { echo "systemd_security: cannot read unit file $unit" >&2; exit 2; }

# A misspelt directive is ignored with a warning, and the sandbox silently loses it: `verify` must be quiet.
# It also checks that ExecStart= names an existing program, so it reads a copy that runs /bin/true instead.
sed 's|^ExecStart=[^ ]*|ExecStart=/bin/true|' "$unit" > "$work/$(basename "$unit")"
warnings=$(systemd-analyze verify "$work/$(basename "$unit")" 2>&1) || true
if [ -n "$warnings" ]; then
  printf '%s\n' "$warnings" >&2
  echo "systemd_security: systemd-analyze verify complains about $unit" >&2
  exit 1
fi

# The exit status is not used: without --threshold it is 0 even for an exposed unit, so the score is read.
output=$(systemd-analyze security --offline=yes --no-pager "$unit" 2>&1) || true
score=$(printf '%s\n' "$output" | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p' | tail -n 1)
if [ -z "$score" ]; then
  printf '%s\n' "$output" >&2
  echo "systemd_security: no exposure level in the output of systemd-analyze for $unit" >&2
  exit 1
fi
if awk -v s="$score" -v l="$limit" 'BEGIN { exit !(s > l) }'; then
  printf '%s\n' "$output" | grep '✗' >&2 || true
  echo "systemd_security: $unit exposure $score is above $limit" >&2
  exit 1
fi
echo "systemd_security: $unit exposure $score (limit $limit)"
