#!/bin/sh
# p12-openssl.sh — PKCS#12 with OpenSSL (and GnuTLS) as the judges:
# `openssl pkcs12 -info -nodes` reads what `export --p12` writes, default
# and --legacy (with -legacy too when the legacy provider is there), and
# refuses a wrong passphrase; `import --p12` reads `openssl pkcs12
# -export` output, default and -legacy, and `certtool --to-p12`; a key
# exported and imported again signs the same as before; wrong passphrase,
# key without certificate and an existing keystore refused with their
# exact messages; the file is 0600 and never overwritten; `show` lists it.
set -u
command -v openssl >/dev/null 2>&1 || { echo "openssl not installed"; exit 77; }
. tests/interop/testlib
test_setup p12-openssl p12-store-pass

skip() { echo "skip: $*"; }
# has_legacy: OpenSSL's legacy provider (RC2, needed for -legacy) loads.
has_legacy() { openssl list -providers -provider legacy >/dev/null 2>&1; }

run "$M" ca init --subject "CN=P12 Root,O=Lab" --bits 2048
run "$M" export ca --cert --out root.pem
run "$M" key new alice
run "$M" csr new alice --subject "CN=alice,O=Lab" --out alice.csr
run "$M" ca issue --csr alice.csr --profile client --out alice.pem

# ---- what we write, OpenSSL reads ----
MINIPKI_EXPORT_PASSPHRASE=p12-export-pass
export MINIPKI_EXPORT_PASSPHRASE
run "$M" export alice --p12 --out alice.p12
[ "$(stat -c %a alice.p12)" = 600 ] || fail "alice.p12: mode $(stat -c %a alice.p12), want 600"
expect 3 "minipki-tui: alice.p12: already exists" "$M" export alice --p12 --out alice.p12
if openssl pkcs12 -info -nodes -in alice.p12 -passin pass:p12-export-pass >info 2>info.err; then
	ok "openssl pkcs12 -info reads the default form"
else
	fail "openssl pkcs12 -info refuses alice.p12"
	sed 's/^/    | /' info.err
fi
grep -q "MAC: sha256, Iteration 600000" info.err || fail "default form: MAC not HMAC-SHA256 at 600000"
grep -q "Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 600000, PRF hmacWithSHA256" info.err ||
    fail "default form: key bag not PBES2 AES-256-CBC"
grep -q "PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, Iteration 600000, PRF hmacWithSHA256" info.err ||
    fail "default form: certificates not PBES2 AES-256-CBC"
grep -q "friendlyName: alice" info || fail "default form: no friendlyName alice"
[ "$(grep -c "BEGIN CERTIFICATE" info)" = 2 ] || fail "default form: not 2 certificates"
grep -q "BEGIN PRIVATE KEY" info || fail "default form: no key"
# The key in it is alice's.
openssl pkey -in info -pubout >p12.pub 2>/dev/null
openssl x509 -in alice.pem -noout -pubkey >alice.pub
cmp -s p12.pub alice.pub && ok "the key in alice.p12 is alice's" || fail "the key in alice.p12 is not alice's"
if openssl pkcs12 -info -nodes -in alice.p12 -passin pass:wrong >/dev/null 2>wrong.err; then
	fail "openssl accepts alice.p12 under a wrong passphrase"
else
	grep -q "Mac verify error" wrong.err && ok "openssl: wrong passphrase is a MAC error" ||
	    fail "openssl: wrong passphrase not a MAC error"
fi

run "$M" export alice --p12 --legacy --out legacy.p12
if openssl pkcs12 -info -nodes -in legacy.p12 -passin pass:p12-export-pass >linfo 2>linfo.err; then
	ok "openssl pkcs12 -info reads the legacy form (3DES: no legacy provider needed)"
else
	fail "openssl pkcs12 -info refuses legacy.p12"
	sed 's/^/    | /' linfo.err
fi
grep -q "MAC: sha1," linfo.err || fail "legacy form: MAC not SHA-1"
grep -q "Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC" linfo.err || fail "legacy form: key not 3DES"
grep -q "PKCS7 Encrypted data: pbeWithSHA1And3-KeyTripleDES-CBC" linfo.err || fail "legacy form: certificates not 3DES"
grep -q "BEGIN PRIVATE KEY" linfo || fail "legacy form: no key"
if has_legacy; then
	openssl pkcs12 -legacy -info -nodes -in legacy.p12 -passin pass:p12-export-pass >/dev/null 2>&1 &&
	    ok "openssl pkcs12 -legacy reads legacy.p12" || fail "openssl pkcs12 -legacy refuses legacy.p12"
	openssl pkcs12 -legacy -info -nodes -in legacy.p12 -passin pass:wrong >/dev/null 2>&1 &&
	    fail "openssl -legacy accepts a wrong passphrase" || ok "openssl -legacy refuses a wrong passphrase"
else
	skip "openssl -legacy (no legacy provider)"
fi

# ---- show ----
run "$M" show alice.p12
grep -q "pkcs8ShroudedKeyBag, PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC), 600000 iterations" out ||
    fail "show: no shrouded key bag line"
grep -q "its bags need the passphrase" out || fail "show: encrypted SafeContents not marked"
MINIPKI_IMPORT_PASSPHRASE=p12-export-pass run "$M" show --open alice.p12
grep -q "MAC: HMAC-SHA256, 600000 iterations, verified" out || fail "show --open: MAC not verified"
grep -q "Subject: CN=alice, O=Lab" out || fail "show --open: no alice certificate"
grep -q "RSA key, 2048 bits (private part not shown)" out || fail "show --open: no key line"
grep -q "PRIVATE\|BEGIN" out && fail "show --open printed key material"

# ---- a round trip signs the same ----
MINIPKI_IMPORT_PASSPHRASE=p12-export-pass run "$M" import alice2 --p12 alice.p12
grep -qx "certificate: CN=alice, O=Lab" out || fail "import: certificate line"
grep -qx "chain: 2 certificates" out || fail "import: chain line"
run "$M" csr new alice --subject "CN=same" --out a1.csr
run "$M" csr new alice2 --subject "CN=same" --out a2.csr
cmp -s a1.csr a2.csr && ok "alice2 (from PKCS#12) signs as alice" || fail "alice2 signs differently"
run "$M" export alice2 --cert --out alice2.pem
cat alice.pem root.pem | cmp -s - alice2.pem && ok "alice2's chain is alice's and the root" ||
    fail "alice2's chain differs"
MINIPKI_IMPORT_PASSPHRASE=p12-export-pass run "$M" import alice3 --p12 legacy.p12
run "$M" csr new alice3 --subject "CN=same" --out a3.csr
cmp -s a1.csr a3.csr && ok "alice3 (from the legacy form) signs as alice" || fail "alice3 signs differently"

# ---- refusals ----
MINIPKI_IMPORT_PASSPHRASE=wrong expect 3 \
    "minipki-tui: alice.p12: wrong passphrase (the PKCS#12 MAC does not match)" \
    "$M" import bad --p12 alice.p12
[ -e ws/keys/bad.yaml ] && fail "a keystore was made under a wrong passphrase"
MINIPKI_IMPORT_PASSPHRASE=secret expect 3 \
    "minipki-tui: $top/tests/data/p12-nocert.p12: the private key's certificate is not in the file" \
    "$M" import nocert --p12 "$top/tests/data/p12-nocert.p12"
MINIPKI_IMPORT_PASSPHRASE=p12-export-pass expect 1 \
    "minipki-tui: keystore 'alice2' already exists" "$M" import alice2 --p12 alice.p12
head -c 1000 alice.p12 >cut.p12
MINIPKI_IMPORT_PASSPHRASE=p12-export-pass expect 3 \
    "minipki-tui: cut.p12: offset 0x0: length runs past end of input" "$M" import cut --p12 cut.p12
expect 2 "minipki-tui export: --legacy applies to --p12 only" "$M" export alice --key --legacy

# ---- what OpenSSL and GnuTLS write, we read ----
unset MINIPKI_EXPORT_PASSPHRASE
openssl req -x509 -newkey rsa:2048 -nodes -keyout os.key -subj "/CN=os-leaf" -days 30 -out os.pem 2>/dev/null ||
    fail "openssl req"
openssl pkcs12 -export -inkey os.key -in os.pem -name os -passout pass:os-pass -out os.p12 ||
    fail "openssl pkcs12 -export"
MINIPKI_IMPORT_PASSPHRASE=os-pass run "$M" import os1 --p12 os.p12
grep -qx "certificate: CN=os-leaf" out || fail "os1: certificate line"
# The key stored is OpenSSL's key.
run "$M" export os1 --key --no-encrypt --out os1.key
openssl pkey -in os1.key >os1.norm && openssl pkey -in os.key >os.norm &&
    cmp -s os1.norm os.norm && ok "os1's key is OpenSSL's" || fail "os1's key differs from os.key"
if has_legacy; then
	openssl pkcs12 -export -legacy -inkey os.key -in os.pem -passout pass:os-pass -out osl.p12 ||
	    fail "openssl pkcs12 -export -legacy"
	MINIPKI_IMPORT_PASSPHRASE=os-pass run "$M" import os2 --p12 osl.p12
	grep -qx "certificate: CN=os-leaf" out || fail "os2: certificate line"
else
	skip "openssl pkcs12 -export -legacy (no legacy provider)"
fi
MINIPKI_IMPORT_PASSPHRASE=nope expect 3 \
    "minipki-tui: os.p12: wrong passphrase (the PKCS#12 MAC does not match)" \
    "$M" import os3 --p12 os.p12
if command -v certtool >/dev/null 2>&1; then
	if certtool --load-privkey os.key --load-certificate os.pem --to-p12 --outder \
	    --outfile gt.p12 --password gt-pass --p12-name gt >gt.log 2>&1; then
		MINIPKI_IMPORT_PASSPHRASE=gt-pass run "$M" import gt --p12 gt.p12
		grep -qx "certificate: CN=os-leaf" out || fail "gt: certificate line"
	else
		fail "certtool --to-p12"
		sed 's/^/    | /' gt.log
	fi
else
	skip "certtool --to-p12 (GnuTLS certtool not installed)"
fi

[ "$fails" -eq 0 ] || exit 1
echo "p12-openssl: all passed"
