#!/bin/sh
# Flow 4: the TLS handshake printed message by message, three ways:
# TLS 1.2 with the RSA key exchange, TLS 1.2 with ECDHE, and TLS 1.3.
#
# A CA service runs on a Unix socket; the application server "web"
# registers with it (`server register`: EST enrollment with a server
# token; its certificate names localhost and 127.0.0.1) and runs
# `server run`. An anonymous client connects three times with --trace,
# which prints on standard error every handshake message decoded ("> "
# sent, "< " received: versions, randoms, cipher suites, extensions, the
# server's certificate chain and each check of its path) and each step of
# the key schedule — never a secret:
#
#  - TLS 1.2, RSA (--kx rsa): the client makes the premaster secret and
#    encrypts it to the server's RSA key (ClientKeyExchange). Whoever has
#    that key later can decrypt a recording: no forward secrecy.
#  - TLS 1.2, ECDHE (--kx ecdhe): the server signs an ephemeral key share
#    (ServerKeyExchange), the client answers with its own; the premaster
#    secret is their Diffie-Hellman result and is never sent.
#  - TLS 1.3 (--tls 1.3): the key shares travel in the hellos; everything
#    after ServerHello (EncryptedExtensions, Certificate,
#    CertificateVerify, Finished) is already encrypted with handshake
#    traffic keys derived by HKDF.
#
# The session key is TLS's own: the trace says where it is derived, and
# SSLKEYLOGFILE, when set, receives the secrets (NSS key log format) so
# that Wireshark can decrypt a capture. Here each connection's secrets go
# to its own key log file.
#
# Needs nothing but minipki-tui. Run it in an empty directory with
# MINIPKI_DIR and MINIPKI_PASSPHRASE set (see 01-request-and-issue.sh).
# The script stops at the first failure.
set -eu

: "${MINIPKI_PASSPHRASE:?set MINIPKI_PASSPHRASE to the passphrase for the keystores}"

pids=
trap 'for p in $pids; do kill $p 2>/dev/null || :; done' EXIT
trap 'exit 1' INT TERM

# waitfor FILE PATTERN: until a line of FILE matches (at most 60 s).
waitfor() {
	i=0
	until grep -q "$2" "$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 600 ] || { echo "no '$2' in $1" >&2; cat "$1" >&2; exit 1; }
		sleep 0.1
	done
}

# 1. The CA, its service, and the server registered with it.
minipki-tui ca init ca --subject "CN=Example Lab Root CA" --bits 2048
minipki-tui export ca --cert --out root.pem
minipki-tui ca serve --ca ca --listen "unix:$PWD/ca.sock" >serve.out 2>serve.log &
pids="$pids $!"
waitfor serve.out "^listening on "
tok=$(minipki-tui ca token new --ca ca --profile server)
minipki-tui server register web --ca "unix:$PWD/ca.sock" --anchor root.pem \
    --token "$tok"
minipki-tui server run web --listen "unix:$PWD/web.sock" --ca root.pem \
    >server.out 2>server.log &
pids="$pids $!"
waitfor server.out "listening"

# 2. Three handshakes, each traced into its own file. A message line
#    starts with "> " or "< "; the key schedule's lines with "  key
#    schedule:".
handshake() {	# handshake NAME OPTION...
	name=$1
	shift
	SSLKEYLOGFILE=$PWD/$name.keys minipki-tui client connect \
	    "unix:$PWD/web.sock" --ca root.pem --server-name localhost \
	    --trace --send WHOAMI "$@" >"$name.out" 2>"$name.trace"
	echo
	echo "== $name: the messages and the key schedule"
	grep -e '^[<>] ' -e '^  key schedule' -e '^  handshake complete' \
	    -e '^connected:' "$name.trace"
}
handshake tls12-rsa --kx rsa
handshake tls12-ecdhe --kx ecdhe
handshake tls13 --tls 1.3

# 3. What tells them apart (each grep fails the script if it is not so):
#    RSA: the premaster secret encrypted to the server's key, no
#    ServerKeyExchange.
grep -q "^connected: TLS 1.2, TLS_RSA_WITH_" tls12-rsa.trace
grep -q "premaster secret encrypted to the server's RSA key" tls12-rsa.trace
if grep -q "^< ServerKeyExchange" tls12-rsa.trace; then
	echo "a ServerKeyExchange with the RSA key exchange" >&2
	exit 1
fi
#    ECDHE: the server's signed key share.
grep -q "^connected: TLS 1.2, TLS_ECDHE_RSA_WITH_" tls12-ecdhe.trace
grep -q "^< ServerKeyExchange" tls12-ecdhe.trace
#    TLS 1.3: encrypted from EncryptedExtensions on, CertificateVerify.
grep -q "^connected: TLS 1.3, " tls13.trace
grep -q "^< EncryptedExtensions" tls13.trace
grep -q "^< CertificateVerify" tls13.trace

# 4. The key logs: TLS 1.2 logs the master secret (CLIENT_RANDOM), TLS
#    1.3 one secret per stage (handshake, then application traffic).
for n in tls12-rsa tls12-ecdhe tls13; do
	echo "$n.keys: $(cut -d' ' -f1 $n.keys | sort -u | tr '\n' ' ')"
done
grep -q "^CLIENT_RANDOM " tls12-rsa.keys
grep -q "^CLIENT_HANDSHAKE_TRAFFIC_SECRET " tls13.keys
grep -q "^CLIENT_TRAFFIC_SECRET_0 " tls13.keys
