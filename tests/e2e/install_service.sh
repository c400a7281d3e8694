#!/usr/bin/env bash
# The README's installation, run: scripts/install-service into a scratch root, `systemd-analyze verify` of the
# installed unit, then the service started as systemd starts it — an unprivileged uid of its own (setpriv), with
# the unit's CREDENTIALS_DIRECTORY and STATE_DIRECTORY, the credentials copied as systemd copies them — against
# `dvcrecon sim`: it must poll and answer /readyz, and take an ack with the API token the installer printed. Then
# an operator runs every read command with the ledger alone and verify-ledger with the audit key, a second
# `run --once` is refused while the service holds the ledger, and SIGTERM stops the service.
# Usage: install_service.sh BUILD_DIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
build=$(realpath "${1:?usage: install_service.sh BUILD_DIR}")
bin=$(dvcrecon_binary "$build")
src=$root

if [[ $(id -u) -ne 0 ]]; then
  echo "install_service: SKIP: running the service under another uid (setpriv --reuid) needs root"
  exit 77
fi
command -v setpriv >/dev/null || fail "setpriv is not installed (util-linux)"
# The dynamic user walks to the installed files like any other user: the scratch directory must let it.
chmod 0755 "$work"
dest=$work/root
uid=61999 # within systemd's range for dynamic users
operator_uid=61998

# --- install, secrets on standard input (as from a pipe: never on a command line) ---
printf 'sim-provincial-secret\nsim-national-secret\n' |
  "$src/scripts/install-service" --build "$build" --root "$dest" --operator le.van.cuong >"$work/install.out" 2>&1 ||
  fail "install-service failed: $(cat "$work/install.out")"
unit=$(find "$dest" -name dvcrecon.service -path '*/systemd/system/*')
[[ -f $unit ]] || fail "no unit installed under $dest"
exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
binary=$dest${exec_start%% *}
config=$dest$(sed -n 's/.*--config \([^ ]*\).*/\1/p' <<<"$exec_start")
creds_src=$dest$(dirname "$(sed -n 's/^LoadCredential=provincial://p' "$unit")")
[[ -x $binary && -f $config ]] || fail "the unit's binary $binary or configuration $config is not installed"
grep -q '^MemoryMax=' "$unit" && grep -q '^TasksMax=' "$unit" || fail "the unit sets no MemoryMax= or TasksMax="

mode() { stat -c '%a %U' "$1"; }
[[ $(mode "$(dirname "$config")") == "755 root" ]] || fail "$(dirname "$config") is $(mode "$(dirname "$config")")"
[[ $(mode "$config") == "644 root" ]] || fail "$config is $(mode "$config"), not readable by the service's user"
[[ $(mode "$creds_src") == "700 root" ]] || fail "$creds_src is $(mode "$creds_src")"
for name in provincial national api-tokens audit-key; do
  [[ $(mode "$creds_src/$name") == "600 root" ]] || fail "$creds_src/$name is $(mode "$creds_src/$name")"
done
[[ $(cat "$creds_src/provincial") == sim-provincial-secret ]] || fail "the provincial secret was not written as given"
[[ $(cat "$creds_src/audit-key") =~ ^[0-9a-f]{64}$ ]] || fail "no generated audit key of 32 bytes"
# The token is shown once; the tokens file holds its SHA-256 under the operator's name, never the token.
token=$(sed -n "s/^generated the API token of operator 'le.van.cuong' (scope ack), shown this once: //p" \
  "$work/install.out")
[[ $token =~ ^[0-9a-f]{64}$ ]] || fail "the installer did not show the generated API token: $(cat "$work/install.out")"
python3 -c '
import json, sys
entries = json.load(open(sys.argv[1]))["tokens"]
sys.exit(0 if entries == [{"name": "le.van.cuong", "scope": "ack", "sha256": sys.argv[2]}] else 1)
' "$creds_src/api-tokens" "$(printf '%s' "$token" | sha256sum | cut -d' ' -f1)" ||
  fail "the tokens file does not hold the token's SHA-256 alone: $(cat "$creds_src/api-tokens")"
grep -q "$token" "$creds_src/api-tokens" && fail "the tokens file holds the token itself"
setpriv --reuid="$uid" --regid="$uid" --clear-groups cat "$config" >/dev/null ||
  fail "the service's user cannot read $config"
if setpriv --reuid="$uid" --regid="$uid" --clear-groups cat "$creds_src/provincial" >/dev/null 2>&1; then
  fail "the service's user can read the stored secrets in $creds_src"
fi

# Run again, as an upgrade: configuration and secrets are kept, nothing is asked.
"$src/scripts/install-service" --build "$build" --root "$dest" </dev/null >"$work/upgrade.out" 2>&1 ||
  fail "install-service over an installation failed: $(cat "$work/upgrade.out")"
grep -q "kept $config" "$work/upgrade.out" || fail "the upgrade did not keep the configuration"
grep -q "kept the secret $creds_src/audit-key" "$work/upgrade.out" || fail "the upgrade did not keep the audit key"
grep -q "generated" "$work/upgrade.out" && fail "the upgrade generated a secret again: $(cat "$work/upgrade.out")"

# --- the unit, as systemd reads it (ExecStart= must name an existing program: the installed one) ---
if command -v systemd-analyze >/dev/null; then
  sed "s|^ExecStart=[^ ]*|ExecStart=$binary|" "$unit" >"$work/dvcrecon.service"
  if ! systemd-analyze verify "$work/dvcrecon.service" >"$work/verify.out" 2>&1 || [[ -s $work/verify.out ]]; then
    fail "systemd-analyze verify: $(cat "$work/verify.out")"
  fi
else
  echo "install_service: SKIP: systemd-analyze is not installed, so the unit cannot be verified"
  exit 77
fi

# --- the administrator's edits: the portals (here the simulator), the state directory inside the scratch root ---
start_sim sim --dossiers 400
state=$dest/var/lib/dvcrecon
sed -i -e "s|https://motcua.example.gov.vn/api|$sim_url/provincial/api|" \
  -e "s|https://motcua.example.gov.vn/oauth/token|$sim_url/provincial/oauth/token|" \
  -e "s|https://api.dichvucong.example.vn/adapter|$sim_url/national|" \
  -e 's|"username": "dvcrecon"|"username": "binhphuoc.dvcrecon"|' \
  -e 's|"madonvi": "000.00.00.H10"|"madonvi": "000.00.00.H19"|' \
  -e 's|"since": "2024-01-01T00:00:00+07:00"|"since": "2023-01-01T00:00:00+07:00"|' \
  -e "s|/var/lib/dvcrecon/ledger.db|$state/ledger.db|" \
  -e 's|"listen": "127.0.0.1:8470"|"listen": "127.0.0.1:0"|' "$config"

# --- what systemd does at start: the state directory owned by the dynamic user, the credentials copied into a
# directory only it can read ---
install -d -m 0700 -o "$uid" -g "$uid" "$state"
creds=$work/run/credentials/dvcrecon.service
install -d -m 0500 -o "$uid" -g "$uid" "$creds"
while read -r entry; do
  install -m 0400 -o "$uid" -g "$uid" "$dest${entry#*:}" "$creds/${entry%%:*}"
done < <(sed -n 's/^LoadCredential=//p' "$unit")

"$binary" --version | grep -Eq '^dvcrecon [0-9]+\.[0-9]+\.[0-9]+ \(ledger schema [0-9]+\)$' ||
  fail "dvcrecon --version says: $("$binary" --version 2>&1)"

# systemd also tells the service that its stderr is the journal's stream (JOURNAL_STREAM=device:inode).
: >"$work/service.err"
journal_stream=$(stat -c '%d:%i' "$work/service.err")
# Called in the background, it runs in a subshell of its own: exec makes $! the service's own pid.
as_service() {
  exec setpriv --reuid="$uid" --regid="$uid" --clear-groups --inh-caps=-all \
    env -i PATH=/usr/bin:/bin CREDENTIALS_DIRECTORY="$creds" STATE_DIRECTORY="$state" \
    JOURNAL_STREAM="$journal_stream" "$@"
}

umask 022 # the ledger's 0600 must be dvcrecon's doing, not the umask's
as_service "$binary" run --config "$config" 2>>"$work/service.err" &
svc_pid=$!
api=$(api_address "$work/service.err" "$svc_pid")
wait_for_line "$work/service.err" 'cycle_end run=1 status=ok' 60 "$svc_pid" ||
  fail "no complete first cycle within 60 s: $(tail -5 "$work/service.err")"
ready=$(curl -s -o /dev/null -w '%{http_code}' "http://$api/readyz" || true)
[[ $ready == 200 ]] || fail "/readyz answered $ready after the first cycle: $(tail -5 "$work/service.err")"
grep -q 'poll_done side=provincial' "$work/service.err" && grep -q 'poll_done side=national' "$work/service.err" ||
  fail "the service did not poll both portals: $(cat "$work/service.err")"
# Every line carries its syslog priority for journald.
grep -q '^<6>info started ' "$work/service.err" || fail "no '<6>' priority on the journal: $(head -3 "$work/service.err")"
if grep -v '^<[0-7]>' "$work/service.err" | grep -q .; then
  fail "lines without a priority on the journal: $(grep -v '^<[0-7]>' "$work/service.err" | head -3)"
fi
[[ $(stat -c '%a %u' "$state/ledger.db") == "600 $uid" ]] ||
  fail "the ledger is $(stat -c '%a %u' "$state/ledger.db"), not 0600 of the service's user"

# --- the operator the installer made a token for acknowledges over the API ---
finding=$(sqlite3 "$state/ledger.db" "SELECT id FROM findings LIMIT 1")
[[ -n $finding ]] || fail "the first cycle recorded no finding"
code=$(curl -s -o "$work/ack.out" -w '%{http_code}' -X POST -H "Authorization: Bearer $token" \
  -H 'Content-Type: application/json' -d '{"note": "đã kiểm tra"}' "http://$api/api/findings/$finding/ack" || true)
[[ $code == 200 ]] || fail "an ack with the installer's token answered $code: $(cat "$work/ack.out")"
[[ $(sqlite3 "$state/ledger.db" "SELECT ack_by FROM findings WHERE id = $finding") == le.van.cuong ]] ||
  fail "the ack is not recorded under the token's operator"

# --- an operator, as root from a shell: the ledger alone for reading, no credentials ---
key=$(sqlite3 "$state/ledger.db" "SELECT key FROM findings LIMIT 1")
for command in "mismatches list" "mismatches show $key" "mismatches export --format csv" \
  "report sync-rate --format json"; do
  # shellcheck disable=SC2086 # the command's words
  env -u CREDENTIALS_DIRECTORY "$binary" $command --config "$config" >"$work/operator.out" 2>&1 ||
    fail "dvcrecon $command with the ledger alone failed: $(cat "$work/operator.out")"
done
# verify-ledger checks the keyed chain, so it needs the audit key: from the credentials systemd takes it from.
if env -u CREDENTIALS_DIRECTORY "$binary" verify-ledger --config "$config" >"$work/operator.out" 2>&1; then
  fail "verify-ledger passed without the audit key"
fi
grep -q 'audit.key_file: CREDENTIALS_DIRECTORY is not set' "$work/operator.out" ||
  fail "verify-ledger without the key does not say why: $(cat "$work/operator.out")"
CREDENTIALS_DIRECTORY=$creds_src "$binary" verify-ledger --config "$config" >"$work/operator.out" 2>&1 ||
  fail "verify-ledger with the audit key failed: $(cat "$work/operator.out")"
grep -q 'keyed from event' "$work/operator.out" || fail "the service did not key the chain: $(cat "$work/operator.out")"
# The same as the service's user, without its credentials.
setpriv --reuid="$uid" --regid="$uid" --clear-groups env -i "$binary" mismatches list --config "$config" \
  >"$work/operator.out" 2>&1 || fail "mismatches list as the service's user failed: $(cat "$work/operator.out")"
# Another user cannot read the ledger at all, and is told which file.
if setpriv --reuid="$operator_uid" --regid="$operator_uid" --clear-groups env -i "$binary" mismatches list \
  --config "$config" >"$work/operator.out" 2>&1; then
  fail "a user other than the service's read its 0600 ledger"
fi
grep -q "$state" "$work/operator.out" || fail "the refusal does not name the ledger: $(cat "$work/operator.out")"

# --- a second service on the ledger ---
rc=0
CREDENTIALS_DIRECTORY=$creds "$binary" run --once --config "$config" >"$work/second.out" 2>&1 || rc=$?
[[ $rc -eq 2 ]] || fail "a second run --once next to the service exited $rc: $(cat "$work/second.out")"
grep -q "ledger $state/ledger.db is in use by another dvcrecon service (pid $svc_pid)" "$work/second.out" ||
  fail "the refusal does not name the ledger and the service's pid: $(cat "$work/second.out")"

kill -TERM "$svc_pid"
rc=0
wait "$svc_pid" || rc=$?
svc_pid=
[[ $rc -eq 0 ]] || fail "the service exited $rc on SIGTERM: $(cat "$work/service.err")"
echo "installed, verified, served /readyz and an ack as uid $uid; operators read with the ledger alone"
