#!/usr/bin/env bash
# TLS end to end: certificates made here with the openssl CLI, served by `dvcrecon sim --tls-cert/--tls-key`,
# read by `dvcrecon run --once` with `ca_file`. A certificate from the configured CA for 127.0.0.1 / localhost is
# accepted, by IP address and by host name; self-signed, expired, not-yet-valid, wrong-host and other-CA
# certificates, and the right certificate without ca_file (system store), are refused with an error that says
# TLS/certificate and names what failed, and nothing is evaluated.
# (tests/connectors/tls_test.cpp checks the same refusals at the client level; this is the whole path.)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bin=$(dvcrecon_binary "${1:?usage: reliability_tls.sh DVCRECON_BINARY}")
command -v openssl >/dev/null || { echo "reliability_tls: openssl is not installed" >&2; exit 2; }

pki=$work/pki
mkdir -p "$pki"
cd "$pki"
quiet() { "$@" >/dev/null 2>&1 || { "$@" >&2 || true; fail "openssl: $*"; }; }
# CA NAME: a self-signed CA certificate and key.
make_ca() {
  quiet openssl req -x509 -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.pem" -days 2 -subj "/CN=$1" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
}
# leaf NAME CA SAN START END: a server certificate signed by CA with validity START..END (YYYYMMDDHHMMSSZ).
leaf() {
  local name=$1 ca=$2 san=$3 start=$4 end=$5
  quiet openssl req -new -newkey rsa:2048 -nodes -keyout "$name.key" -out "$name.csr" -subj "/CN=$name"
  mkdir -p "db.$name"
  : >"db.$name/index.txt"
  echo 01 >"db.$name/serial"
  cat >"$name.cnf" <<CNF
[ca]
default_ca = ca_section
[ca_section]
database = db.$name/index.txt
serial = db.$name/serial
new_certs_dir = db.$name
default_md = sha256
policy = any
copy_extensions = none
[any]
commonName = supplied
[ext]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = $san
CNF
  quiet openssl ca -batch -config "$name.cnf" -cert "$ca.pem" -keyfile "$ca.key" -in "$name.csr" -out "$name.pem" \
    -startdate "$start" -enddate "$end" -extensions ext -notext
}
now=$(date -u +%s)
stamp() { date -u -d "@$1" +%Y%m%d%H%M%SZ; }
day=86400
make_ca ca
make_ca other_ca
valid="IP:127.0.0.1,DNS:localhost"
leaf good ca "$valid" "$(stamp $((now - day)))" "$(stamp $((now + day)))"
leaf expired ca "$valid" "$(stamp $((now - 3 * day)))" "$(stamp $((now - day)))"
leaf future ca "$valid" "$(stamp $((now + day)))" "$(stamp $((now + 3 * day)))"
leaf wrong_host ca "DNS:portal.example.vn" "$(stamp $((now - day)))" "$(stamp $((now + day)))"
leaf other_ca_leaf other_ca "$valid" "$(stamp $((now - day)))" "$(stamp $((now + day)))"
quiet openssl req -x509 -newkey rsa:2048 -nodes -keyout self_signed.key -out self_signed.pem -days 2 \
  -subj /CN=127.0.0.1 -addext "subjectAltName=$valid"
cd - >/dev/null

passed=0
# serve CERT HOST: the simulator over HTTPS with CERT; sets url to https://HOST:PORT. Each call has its own
# output file, so the address read is never an earlier simulator's.
serve() {
  start_sim "$1-$2-${3:-ca}" --seed 41 --dossiers 300 --tls-cert "$pki/$1.pem" --tls-key "$pki/$1.key"
  [[ $sim_url == https://* ]] || fail "$1: the simulator does not say it serves https ($sim_url)"
  url=${sim_url/127.0.0.1/$2}
}

# accepted NAME HOST: run --once completes over https with ca_file.
accepted() {
  local name=$1 host=$2 dir=$work/accept_$1_$2
  serve "$name" "$host"
  write_config "$dir" "$url" ca="$pki/ca.pem"
  "$bin" check-config --config "$dir/config.json" >/dev/null 2>"$dir/check.err" ||
    fail "$name via $host: check-config refused the https configuration: $(cat "$dir/check.err")"
  "$bin" run --config "$dir/config.json" --once 2>"$dir/run.err" ||
    { tail -5 "$dir/run.err" >&2; fail "$name via $host: run --once over https failed"; }
  stop_sim
  [[ $(last_run "$dir/ledger.db" status) == ok ]] || fail "$name via $host: the run is not ok"
  echo "ok: $name certificate via https://$host accepted with ca_file: $(last_run "$dir/ledger.db" provincial_read) records read"
  passed=$((passed + 1))
}

# refused NAME CA PATTERN: run --once exits 3, its error matches PATTERN (grep -E, case-insensitive), says TLS
# or certificate, and the run evaluated nothing.
refused() {
  local name=$1 ca=$2 pattern=$3 dir=$work/refuse_$1
  serve "$name" 127.0.0.1 "${ca:-system}"
  if [[ -n $ca ]]; then write_config "$dir" "$url" ca="$pki/$ca.pem"; else write_config "$dir" "$url"; fi
  local rc=0
  timeout 60 "$bin" run --config "$dir/config.json" --once 2>"$dir/run.err" || rc=$?
  stop_sim
  [[ $rc -eq 3 ]] || { tail -5 "$dir/run.err" >&2; fail "$name: run --once exited $rc, not 3"; }
  grep -Eiq 'tls|certificate' "$dir/run.err" || { cat "$dir/run.err" >&2; fail "$name: the error does not say TLS or certificate"; }
  grep -Eiq "$pattern" "$dir/run.err" || { cat "$dir/run.err" >&2; fail "$name: the error does not match /$pattern/"; }
  [[ $(last_run "$dir/ledger.db" status) != ok ]] || fail "$name: the run was recorded as ok"
  [[ $(sqlite3 "$dir/ledger.db" "SELECT count(*) FROM findings") == 0 ]] || fail "$name: findings were recorded"
  echo "ok: $name refused: $(grep -o 'kind=tls.*error="[^"]*"' "$dir/run.err" | head -1 | sed 's/.*error=//' | cut -c1-200)"
  passed=$((passed + 1))
}

accepted good 127.0.0.1
accepted good localhost
refused self_signed ca 'self.signed|verify|certificate'
refused expired ca 'expired'
refused future ca 'not yet valid'
refused wrong_host ca 'host|name|match'
refused other_ca_leaf ca 'issuer|unable to get local|verify'
refused good "" 'issuer|unable to get local|verify'

# A ca_file that cannot be read is a problem of the host naming the key: check-config lists it (and fails with
# --strict), and the service refuses to start on it, before any connection.
dir=$work/bad_ca
write_config "$dir" "https://127.0.0.1:9" ca="$pki/absent.pem"
rc=0
"$bin" check-config --config "$dir/config.json" --strict >/dev/null 2>"$dir/check.err" || rc=$?
[[ $rc -eq 2 ]] || fail "check-config --strict with an absent ca_file exited $rc, not 2"
grep -q '\[host\] provincial.ca_file' "$dir/check.err" ||
  fail "the error does not name ca_file as the host's: $(cat "$dir/check.err")"
rc=0
"$bin" run --once --config "$dir/config.json" >/dev/null 2>"$dir/run.err" || rc=$?
[[ $rc -eq 2 ]] || fail "run --once with an absent ca_file exited $rc, not 2"
grep -q 'ca_file' "$dir/run.err" || fail "run does not name ca_file: $(cat "$dir/run.err")"
passed=$((passed + 1))
echo "ok: an unreadable ca_file is a problem of the host naming it"
echo "$passed passed, 0 failed"
