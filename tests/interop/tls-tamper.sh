#!/bin/sh
# tls-tamper.sh — a tampered record on the wire: a small proxy (python3)
# flips one bit in the first application-data record that crosses it after
# the handshake (records seen after a pause). Our server must end the
# connection with bad_record_mac against s_client (which must hear the
# alert), and our client must do the same against s_server. Both TLS 1.3
# and TLS 1.2. Skipped without python3 or openssl.
set -u
for p in python3 openssl; do
	command -v $p >/dev/null 2>&1 || { echo "$p not installed"; exit 77; }
done
. tests/interop/tlslib
test_setup tls-tamper tls-pass

srv_pki "Tamper Root" localhost DNS:localhost
[ "$fails" -eq 0 ] || exit 1

# proxy.py LISTEN_PORT_FILE TARGET_PORT DIRECTION: DIRECTION c2s or s2c
# says which way to tamper; it prints its port into LISTEN_PORT_FILE.
cat >proxy.py <<'PY'
import socket, sys, threading, time
portfile, target, direction = sys.argv[1], int(sys.argv[2]), sys.argv[3]
ls = socket.socket()
ls.bind(("127.0.0.1", 0))
ls.listen(1)
open(portfile, "w").write(str(ls.getsockname()[1]))
c, _ = ls.accept()
s = socket.create_connection(("127.0.0.1", target))
start = time.time()
done = [False]

def pump(src, dst, tamper):
    buf = b""
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            if not tamper:
                dst.sendall(data)
                continue
            buf += data
            out = b""
            while len(buf) >= 5:
                n = 5 + int.from_bytes(buf[3:5], "big")
                if len(buf) < n:
                    break
                rec, buf = bytearray(buf[:n]), buf[n:]
                if (rec[0] == 23 and not done[0] and n > 21 and
                        time.time() - start > 1.0):
                    rec[n - 1] ^= 0x01
                    done[0] = True
                out += bytes(rec)
            dst.sendall(out)
    except OSError:
        pass
    for x in (src, dst):
        try:
            x.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

t1 = threading.Thread(target=pump, args=(c, s, direction == "c2s"))
t2 = threading.Thread(target=pump, args=(s, c, direction == "s2c"))
t1.start(); t2.start(); t1.join(); t2.join()
PY

proxy() {	# proxy TARGET DIRECTION: sets $pport
	rm -f pport
	timeout 30 python3 proxy.py pport "$1" "$2" &
	pids="$pids $!"
	i=0
	while [ ! -s pport ]; do
		i=$((i + 1))
		[ $i -gt 50 ] && { fail "proxy did not start"; return 1; }
		sleep 0.1
	done
	pport=$(cat pport)
}

for v in 1.3 1.2; do
	ov=-tls${v%.*}_${v#*.}
	s_server_version=$ov
	# s_client -> proxy (tampers client to server) -> our server.
	our_server srv --tls $v
	proxy "$oport" c2s
	(sleep 1.5; printf 'WHOAMI\n'; sleep 1) | timeout 20 openssl s_client $ov \
	    -connect 127.0.0.1:$pport -CAfile root.pem -quiet >out 2>err
	# the server logs the alert after s_client has gone: poll
	i=0
	while ! grep -q "bad_record_mac" srv.err && [ $i -lt 200 ]; do
		i=$((i + 1)); sleep 0.1
	done
	if grep -q "bad_record_mac" srv.err && grep -qi "bad record mac" err; then
		ok "TLS $v: tampered record to our server: bad_record_mac, s_client told"
	else
		fail "TLS $v: tamper toward our server"; cat err srv.err
	fi
	stop

	# our client -> proxy (tampers server to client) -> s_server -rev
	s_server -cert srv.pem -key srv.key
	proxy "$port" s2c
	(sleep 1.5; printf 'hello\n') | timeout 20 "$M" client connect \
	    tcp:127.0.0.1:$pport --ca root.pem --server-name localhost >out 2>err
	rc=$?
	# (s_server -rev does not print the alert it receives)
	if [ $rc -eq 1 ] && grep -q "failed authentication (bad_record_mac)" err; then
		ok "TLS $v: tampered record to our client: bad_record_mac (exit 1)"
	else
		fail "TLS $v: tamper toward our client: exit $rc"; cat err; grep -i alert oss.out
	fi
	stop
done

[ "$fails" -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
echo "tls-tamper: all passed"
