#!/bin/sh
# client-crl.sh — `client crl` fetching a CRL made by `openssl ca -gencrl`
# from an independent HTTP server (python3 -m http.server on 127.0.0.1):
# verified and written byte for byte; refused with its reason when
# tampered with, signed by another key of the same name, or issued by
# another CA (nothing written); a missing CRL (404) is exit 3. Skipped
# without openssl or python3.
set -u
for p in openssl python3; do
	command -v $p >/dev/null 2>&1 || { echo "$p not installed"; exit 77; }
done
. tests/interop/testlib
test_setup client-crl pass

osl() { openssl "$@" >>osl.log 2>&1 || { fail "openssl $*"; tail -5 osl.log; }; }
for n in ca other; do
	osl req -x509 -newkey rsa:2048 -nodes -keyout $n.key -out $n.pem \
	    -subj /CN=CRL-Test-CA -days 30 \
	    -addext basicConstraints=critical,CA:TRUE \
	    -addext keyUsage=keyCertSign,cRLSign
done
osl req -x509 -newkey rsa:2048 -nodes -keyout third.key -out third.pem \
    -subj /CN=Third-CA -days 30 -addext basicConstraints=critical,CA:TRUE
cat >ca.cnf <<'CNF'
[ca]
default_ca = c
[c]
database = index.txt
crlnumber = crlnumber
default_md = sha256
default_crl_days = 7
CNF
exp=$(date -u -d '+10 days' +%y%m%d%H%M%SZ)
rev=$(date -u -d '-1 hour' +%y%m%d%H%M%SZ)
printf 'R\t%s\t%s,keyCompromise\t1234\tunknown\t/CN=leaf\n' "$exp" "$rev" >index.txt
echo 05 >crlnumber
mkdir www
for n in ca other third; do
	osl ca -config ca.cnf -gencrl -keyfile $n.key -cert $n.pem -out $n.crl.pem
	osl crl -in $n.crl.pem -outform DER -out $n.crl
done

http_server www

# fetch WANT_RC WANT_STDERR_LINE: client crl --out got.crl
fetch() {
	rm -f got.crl
	timeout 30 "$M" client crl --ca "http://127.0.0.1:$port" \
	    --anchor ca.pem --out got.crl >out 2>err
	rc=$?
	if [ $rc -eq "$1" ] && [ "$(tail -n 1 err)" = "$2" ]; then
		ok "client crl ($3): $2"
	else
		fail "client crl ($3): exit $rc (want $1): '$(tail -n 1 err)' (want '$2')"
		sed 's/^/    | /' out err
	fi
}

cp ca.crl www/crl
fetch 0 "CRL of 'CN=CRL-Test-CA' number 5: signature good; this update $(openssl crl -in ca.crl -inform DER -noout -lastupdate | sed 's/.*=//' | xargs -I{} date -u -d '{}' '+%Y-%m-%d %H:%M:%S UTC'), next update $(openssl crl -in ca.crl -inform DER -noout -nextupdate | sed 's/.*=//' | xargs -I{} date -u -d '{}' '+%Y-%m-%d %H:%M:%S UTC'); 1 revoked" "openssl's CRL"
cmp -s got.crl ca.crl && ok "the CRL written is the one served, byte for byte" ||
    fail "got.crl differs from ca.crl"
openssl crl -in got.crl -inform DER -CAfile ca.pem -noout >/dev/null 2>&1 &&
    ok "openssl crl verifies what was written" || fail "openssl crl -CAfile"

# the last byte of the signature changed
len=$(wc -c <ca.crl)
head -c $((len - 1)) ca.crl >www/crl
printf '\001' >>www/crl
cmp -s www/crl ca.crl && printf '\002' | dd of=www/crl bs=1 seek=$((len - 1)) conv=notrunc 2>/dev/null
fetch 1 "minipki-tui: the CRL's signature does not verify with the key of 'CN=CRL-Test-CA'" "tampered"
[ -e got.crl ] && fail "a refused CRL was written" || ok "a refused CRL is not written"
cp other.crl www/crl
fetch 1 "minipki-tui: the CRL's signature does not verify with the key of 'CN=CRL-Test-CA'" "another key of the same name"
cp third.crl www/crl
fetch 1 "minipki-tui: the CRL is issued by 'CN=Third-CA', which is not an --anchor certificate" "another CA"
rm www/crl
fetch 3 "minipki-tui: GET /crl: 404 Not Found" "none served"
printf 'not a CRL' >www/crl
fetch 3 "minipki-tui: the CRL: offset 0x0: expected SEQUENCE (CertificateList), found 0x6e" "garbage"

[ "$fails" -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
echo "client-crl: all passed"
