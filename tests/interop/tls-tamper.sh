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
. tests/interop/testlib
test_setup tls-tamper tls-pass

quiet "$M" ca init --subject "CN=Tamper Root" --bits 2048
quiet "$M" export ca --cert --out root.pem
quiet "$M" key new srv --bits 2048
quiet "$M" csr new srv --subject CN=localhost --san DNS:localhost --out srv.csr
quiet "$M" ca issue --csr srv.csr --profile server --out srv.pem
quiet "$M" import srv --cert srv.pem
quiet "$M" export srv --key --no-encrypt --out srv.key
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
stop() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	for p in $pids; do wait "$p" 2>/dev/null; done
	pids=
}

for v in 1.3 1.2; do
	ov=-tls${v%.*}_${v#*.}
	# s_client -> proxy (tampers client to server) -> our server.
	# (The last round's srv.out goes first: the shell truncates it only
	# once the child runs, and its "listening on" would pass for this one.)
	rm -f srv.out srv.err
	timeout --foreground 30 "$M" server run srv --listen tcp:127.0.0.1:0 --tls $v \
	    >srv.out 2>srv.err &
	pids="$pids $!"
	i=0
	while ! grep -q "^listening on " srv.out 2>/dev/null; do
		i=$((i + 1)); [ $i -gt 200 ] && break; sleep 0.1
	done
	proxy "$(sed -n 's/^listening on tcp:127.0.0.1://p' srv.out)" c2s
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
	# sleep holds s_server's input open; timeout's kill reaches both.
	# Port 0: a free one, named by its ACCEPT line.
	rm -f oss.out
	timeout 30 sh -c 'sleep 30 | "$@"' sh openssl s_server $ov -rev \
	    -accept "127.0.0.1:0" -cert srv.pem -key srv.key >oss.out 2>&1 &
	pids="$pids $!"
	i=0
	while ! grep -q '^ACCEPT 127.0.0.1:[0-9]' oss.out 2>/dev/null; do
		i=$((i + 1)); [ $i -gt 200 ] && break; sleep 0.1
	done
	port=$(sed -n 's/^ACCEPT 127.0.0.1:\([0-9]*\).*/\1/p' oss.out | head -1)
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
