#!/usr/bin/env bash
# Writes the TEST-ONLY TLS material of Tests/Fixtures/tls/ with the openssl CLI: a self-signed CA (ca.pem), a
# server certificate it signs for IP 127.0.0.1 and DNS localhost (server.pem, key server.key), one it signs
# for another name only (other-host.pem, other-host.key: a host-name mismatch), and one that expired in 2000
# (expired.pem, expired.key). 100 years of validity for the others, so the committed files never expire under the
# tests. The CA key is thrown away: nothing else can be signed by it.
# Usage: tools/gen_tls_fixtures.sh   (rewrites the files; commit them)
set -euo pipefail
out="$(cd "$(dirname "$0")/.." && pwd)/Tests/Fixtures/tls"
mkdir -p "$out"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
days=36500

openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days "$days" \
    -subj "/CN=driftd test CA (test only)" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -keyout "$work/ca.key" -out "$out/ca.pem" 2>/dev/null

# leaf NAME SAN: a server certificate signed by the CA.
leaf() {
    local name="$1" san="$2"
    openssl req -newkey rsa:2048 -nodes -sha256 -subj "/CN=$3" \
        -keyout "$out/$name.key" -out "$work/$name.csr" 2>/dev/null
    printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=%s\n' \
        "$san" >"$work/$name.ext"
    openssl x509 -req -in "$work/$name.csr" -CA "$out/ca.pem" -CAkey "$work/ca.key" -CAserial "$work/ca.srl" -CAcreateserial \
        -days "$days" -sha256 -extfile "$work/$name.ext" -out "$out/$name.pem" 2>/dev/null
    openssl verify -CAfile "$out/ca.pem" "$out/$name.pem" >/dev/null
}
leaf server "IP:127.0.0.1,DNS:localhost" "localhost"
leaf other-host "DNS:other-host.invalid" "other-host.invalid"

# expired.pem: for 127.0.0.1 and localhost like server.pem, but valid in 2000 only (`openssl ca` takes explicit
# dates, `openssl x509 -req` does not).
openssl req -newkey rsa:2048 -nodes -sha256 -subj "/CN=localhost" \
    -keyout "$out/expired.key" -out "$work/expired.csr" 2>/dev/null
touch "$work/index.txt"
echo 1000 >"$work/serial"
cat >"$work/ca.cnf" <<CNF
[ca]
default_ca = test
[test]
database = $work/index.txt
new_certs_dir = $work
serial = $work/serial
default_md = sha256
policy = any
[any]
commonName = supplied
[leaf]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1,DNS:localhost
CNF
openssl ca -batch -notext -config "$work/ca.cnf" -cert "$out/ca.pem" -keyfile "$work/ca.key" -extensions leaf \
    -startdate 20000101000000Z -enddate 20001231235959Z -in "$work/expired.csr" -out "$out/expired.pem" 2>/dev/null
chmod 644 "$out"/*.key
echo "gen_tls_fixtures: wrote $(cd "$out" && ls | tr '\n' ' ')"
