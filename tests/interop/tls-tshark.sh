#!/bin/sh
# tls-tshark.sh — tshark decodes a captured handshake with our key log
# (SSLKEYLOGFILE, NSS format): for TLS 1.3 the encrypted Certificate and
# CertificateVerify become readable, and for TLS 1.3, TLS 1.2 ECDHE and
# TLS 1.2 RSA the application data decrypts to the lines we sent and got.
# Skipped without tshark or without the right to capture on loopback.
set -u
command -v tshark >/dev/null 2>&1 || { echo "tshark not installed"; exit 77; }
. tests/interop/tlslib
test_setup tls-tshark tls-pass

srv_pki "Capture Root" localhost DNS:localhost
[ "$fails" -eq 0 ] || exit 1

our_server srv || exit 1
port=$oport

# Can we capture at all?
timeout 5 tshark -i lo -c 1 -f "tcp port 9" -a duration:1 >probe 2>&1
if grep -qi "permission\|don't have permission\|not permitted" probe; then
	echo "no permission to capture on loopback"
	exit 77
fi

# capture NAME OPTION: one client session captured into cap.pcapng
capture() {
	rm -f cap.pcapng keys.log ts.out
	timeout 30 tshark -i lo -f "tcp port $port" -w cap.pcapng >ts.out 2>&1 &
	tpid=$!
	pids="$pids $tpid"
	i=0
	while ! grep -q "Capturing on" ts.out 2>/dev/null; do
		i=$((i + 1)); [ $i -gt 100 ] && break; sleep 0.1
	done
	sleep 1
	SSLKEYLOGFILE=$w/keys.log timeout 20 "$M" client connect \
	    tcp:127.0.0.1:$port --ca root.pem --server-name localhost "$2" \
	    --send "ECHO secret words" >out 2>err ||
	    { fail "$1: client failed"; cat err; }
	sleep 1
	kill -INT "$tpid" 2>/dev/null	# tshark finishes the file on SIGINT
	wait "$tpid" 2>/dev/null
}

for v in "1.3 --tls=1.3" "1.2-ecdhe --kx=ecdhe" "1.2-rsa --kx=rsa"; do
	set -- $v
	capture "$1" "$2"
	# a capture that caught nothing (tshark slow to start): once more
	[ -s cap.pcapng ] && tshark -r cap.pcapng 2>/dev/null | grep -q . ||
	    capture "$1" "$2"
	types=$(tshark -r cap.pcapng -o tls.keylog_file:keys.log -Y tls.handshake \
	    -T fields -e tls.handshake.type 2>/dev/null | tr '\n' ',')
	data=$(tshark -r cap.pcapng -o tls.keylog_file:keys.log \
	    -o data.show_as_text:TRUE -Y tls.app_data -T fields -e data.text \
	    2>/dev/null)
	plain=$(tshark -r cap.pcapng -Y tls.app_data -T fields -e data.text \
	    -o data.show_as_text:TRUE 2>/dev/null)
	case $1 in
	1.3) want=15 ;;		# CertificateVerify: encrypted in 1.3
	*) want=16 ;;		# ClientKeyExchange
	esac
	if echo ",$types" | grep -q ",$want" &&
	    echo "$data" | grep -q "ECHO secret words" &&
	    echo "$data" | grep -q '^secret words' &&
	    ! echo "$plain" | grep -q "secret words"; then
		ok "$1: tshark decrypts the capture with our key log (handshake types $types)"
	else
		fail "$1: tshark decode: types '$types', data '$data'"
		cat keys.log | cut -c1-40
	fi
done

[ "$fails" -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
echo "tls-tshark: all passed"
