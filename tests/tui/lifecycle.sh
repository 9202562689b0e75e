#!/bin/sh
# lifecycle.sh — the certificate lifecycle in the interface: a root and an
# intermediate CA made headless, then in tmux: status filters, a revoke
# with a reason picker and a y/n question (cancelled once), the CRL and
# audit-log windows, renew, a rekey from a new request (a bad path and a
# wrong subject first), a backdated revoke (a malformed date first), the
# three-level chain of an intermediate's certificate, a cancelled unlock
# that lets other writers in, and opening files
# (good and garbage). The CLI and OpenSSL then judge what the interface did.
. tests/tui/tuilib
command -v openssl >/dev/null 2>&1 || { echo "openssl not installed"; exit 77; }
tui_setup lifecycle
M="$MINIPKI"
D="$W/ws"
export MINIPKI_PASSPHRASE=ca-pass
"$M" --dir "$D" ca init root --subject "CN=Test Root,O=Lab" --bits 2048 \
    >/dev/null || tui_fail "ca init root"
"$M" --dir "$D" ca init inter --parent root --subject "CN=Test Inter,O=Lab" \
    --bits 2048 >/dev/null || tui_fail "ca init inter"
for n in alice bob carol; do
	"$M" --dir "$D" key new $n >/dev/null || tui_fail "key new $n"
	"$M" --dir "$D" csr new $n --subject "CN=$n,O=Lab" --out "$W/$n.csr" ||
	    tui_fail "csr new $n"
done
"$M" --dir "$D" ca issue --ca root --profile client --csr "$W/alice.csr" \
    --out "$W/alice.pem" >/dev/null 2>&1 || tui_fail "issue alice"
# Over SSH: the audit records say from where.
SSH_CONNECTION="192.0.2.7 50122 192.0.2.1 22" "$M" --dir "$D" ca issue \
    --ca root --profile client --csr "$W/bob.csr" --out "$W/bob.pem" \
    >/dev/null 2>&1 || tui_fail "issue bob"
"$M" --dir "$D" ca issue --ca inter --profile client --csr "$W/carol.csr" \
    --out "$W/carol.pem" >/dev/null 2>&1 || tui_fail "issue carol"
# bob's keystore holds its certificate (a renew replaces it there); a new
# key for bob, in its own keystore, and a request for the same subject.
"$M" --dir "$D" import bob --cert "$W/bob.pem" >/dev/null 2>&1 ||
    tui_fail "import bob --cert"
"$M" --dir "$D" key new bob2 >/dev/null || tui_fail "key new bob2"
"$M" --dir "$D" csr new bob2 --subject "CN=bob,O=Lab" --out "$W/bob2.csr" ||
    tui_fail "csr new bob2"
unset MINIPKI_PASSPHRASE
serial() { openssl x509 -in "$1" -noout -serial | sed 's/serial=//' |
    tr 'A-F' 'a-f'; }
A=$(serial "$W/alice.pem")
B=$(serial "$W/bob.pem")
printf 'this is not a certificate\n' >"$W/garbage.pem"

tui_start "MINIPKI_LOG='$W/tui.log'"
tui_wait "Entities *"
tui_keys 2
tui_wait "Inventory *"
# The CAs are listed by name: inter first; C goes to root.
tui_wait "CA inter: 1 certificates"
tui_keys C
tui_wait "CA root: 3 certificates, 3 shown; status all (f)"

# Revoke alice: the reason picker, a cancelled question, then y.
tui_keys / a l i c e Enter
tui_wait "CA root: 3 certificates, 1 shown"
tui_keys r
tui_wait "Revoke serial $A"
tui_wait "< unspecified >"
tui_keys Right
tui_wait "< keyCompromise >"
tui_keys Enter
tui_wait "Revoke serial $A of CN=alice, O=Lab? y/n"
tui_keys n
tui_wait "revoke of $A cancelled"
tui_gone "? y/n"
tui_keys r
tui_wait "< unspecified >"
tui_keys Right Tab
tui_type "yesterday"; tui_keys Enter
tui_wait "expected YYYY-MM-DD"
tui_keys C-u; tui_type "2026-11-01"; tui_keys Enter
tui_wait "? y/n"
tui_keys y
tui_wait "Unlock CA 'root'"
tui_type "wrong"; tui_keys Enter
tui_wait "wrong passphrase"
tui_keys C-u; tui_type "ca-pass"; tui_keys Enter
tui_wait "revoked $A (keyCompromise)"
tui_wait "CRL 1 written to"
tui_wait "revoked   "
tui_wait "status     revoked, keyCompromise"
# Already revoked: refused at once, nothing asked.
tui_keys r
tui_wait "refused: serial $A is already revoked (keyCompromise)"
# Nor renewed: refused before any form.
tui_keys n
tui_wait "refused: serial $A is revoked (keyCompromise): issue a new certificate"
tui_gone "Renew serial $A"
"$M" --dir "$D" ca list --ca root --status revoked >"$W/revoked" ||
    tui_fail "ca list --status revoked"
grep -q "$A" "$W/revoked" || tui_fail "alice not revoked: $(cat "$W/revoked")"
grep -q "$B" "$W/revoked" && tui_fail "bob revoked: $(cat "$W/revoked")"
openssl crl -in "$D/ca/root/crl.pem" -noout -text >"$W/crl.txt" ||
    tui_fail "openssl crl"
grep -q "Key Compromise" "$W/crl.txt" || tui_fail "no reason: $(cat "$W/crl.txt")"
grep -q "Invalidity Date" "$W/crl.txt" || tui_fail "no invalidity date"
"$M" --dir "$D" ca show --ca root "$A" | grep -q "invalid since: 2026-11-01" ||
    tui_fail "ca show: no invalidity date"
grep -qi "$A" "$W/crl.txt" || tui_fail "serial not in the CRL"
"$M" --dir "$D" export root --cert --out "$W/root.pem" >/dev/null 2>&1 ||
    tui_fail "export root"
openssl crl -in "$D/ca/root/crl.pem" -CAfile "$W/root.pem" -noout 2>&1 |
    grep -q "verify OK" || tui_fail "openssl crl -verify"

# Status filter: only the revoked one.
tui_keys / Escape
tui_wait "3 shown; status all"
tui_keys f
tui_wait "status valid (f)"
tui_keys f
tui_wait "CA root: 3 certificates, 1 shown; status revoked (f)"
tui_wait "CN=alice, O=Lab"
tui_gone "CN=bob, O=Lab"
tui_gone "CN=Test Inter"
tui_keys f f f f
tui_wait "3 shown; status all (f)"

# Renew bob: a new serial in the log, the old one superseded.
tui_keys / b o b Enter
tui_wait "1 shown"
tui_keys n
tui_wait "Renew serial $B"
tui_keys Enter
tui_wait "renewed $B as "
tui_wait "the renewed certificate replaces the old in keystore 'bob'"
NEW=$(tui_screen | sed -n "s/.*renewed $B as \([0-9a-f]*\) .*/\1/p" | head -1)
[ -n "$NEW" ] || tui_fail "no new serial on the screen"
tui_wait "2 shown"
"$M" --dir "$D" ca list --ca root --status superseded | grep -q "$B" ||
    tui_fail "bob's old certificate not superseded"
"$M" --dir "$D" ca list --ca root --status valid | grep -q "$NEW" ||
    tui_fail "renewed serial $NEW not valid"
tui_keys / Escape

# The CRL window: number, issuer, alice's entry; a new CRL now.
tui_keys Escape
tui_wait "Menu *"
tui_keys j j j j Enter
tui_wait "CRL of CA root"
tui_wait "CRL number   1"
tui_wait "Issuer       CN=Test Root, O=Lab"
tui_wait "Signature    ok"
tui_wait "keyCompromise"
tui_wait "$A"
tui_keys n
tui_wait "CRL 2 written to"
tui_wait "CRL number   2"
# Zoomed, the rows are wrapped again for the width: the head once.
tui_keys z
tui_wait_gone "Menu "
[ "$(tui_screen | grep -c "CRL of CA root")" = 1 ] ||
    tui_fail "the CRL window's head drawn twice after a zoom"
tui_keys z
tui_wait "Menu "

# The audit log: the chain verdict, the revoke and the renew.
tui_keys Escape
tui_wait "Menu *"
tui_keys j Enter
tui_wait "Audit log of CA root"
tui_wait "Hash chain ok"
tui_wait "revoke   root"
tui_wait "serial $A reason keyCompromise"
tui_wait "serial $B renewed as"
tui_wait "        $NEW"
tui_wait "number 2 entries 1"
tui_keys g
tui_wait "    1 20"
tui_wait "from 192.0.2.7 50122"
tui_keys G
tui_wait "number 2 entries 1"
tui_keys C
tui_wait "Audit log of CA inter"
tui_keys C
tui_wait "Audit log of CA root"

# The three-level chain of a certificate the intermediate issued.
tui_keys 2
tui_wait "Inventory *"
tui_keys C
tui_wait "CA inter: 1 certificates"
tui_keys Enter
tui_wait "CN=Test Root, O=Lab  (root)"
tui_wait "CN=Test Inter, O=Lab  (intermediate)"
tui_wait "CN=carol, O=Lab  (leaf)"

# Open files on the Detail screen: a certificate, garbage, a CRL.
tui_keys O
tui_wait "Open a file"
tui_type "$W/alice.pem"; tui_keys Enter
tui_wait_log "opened $W/alice.pem"
tui_wait "Certificate ($(echo "$W" | cut -c1-20)"
tui_wait "Subject: CN=alice, O=Lab"
tui_keys t
tui_wait "offset   len  ASN.1"
tui_keys Escape
tui_keys O
tui_wait "Open a file"
tui_keys C-u; tui_type "$W/garbage.pem"; tui_keys Enter
tui_wait_log "error: $W/garbage.pem"
tui_wait "Subject: CN=alice, O=Lab"
tui_keys O
tui_wait "Open a file"
tui_keys C-u; tui_type "$W/missing.pem"; tui_keys Enter
tui_wait "No such file or directory"
tui_keys O
tui_wait "Open a file"
tui_keys C-u; tui_type "$D/ca/root/crl.pem"; tui_keys Enter
tui_wait "Certificate revocation list"
tui_wait "CRL number   2"
"$M" --dir "$D" export inter --cert --out "$W/inter.pem" >/dev/null 2>&1 ||
    tui_fail "export inter"
cat "$W/carol.pem" "$W/inter.pem" >"$W/chain.pem"
tui_keys O
tui_wait "Open a file"
tui_keys C-u; tui_type "$W/chain.pem"; tui_keys Enter
tui_wait "CN=Test Root, O=Lab  (root)"
tui_wait "CN=Test Inter, O=Lab  (intermediate)"
tui_wait "CN=carol, O=Lab  (leaf)"
tui_wait_log "$W/chain.pem: 3 certificates; the first is shown"
MINIPKI_PASSPHRASE=ca-pass "$M" --dir "$D" export alice --key --no-encrypt \
    --out "$W/alice.key" >/dev/null 2>&1 || tui_fail "export alice --key"
tui_keys O
tui_wait "Open a file"
tui_keys C-u; tui_type "$W/alice.key"; tui_keys Enter
tui_wait "Private key (PKCS#8), public part"
tui_wait "the private part is not shown"
tui_keys O
tui_wait "Open a file"
tui_keys C-u; tui_type "$W/carol.csr"; tui_keys Enter
tui_wait_log "opened $W/carol.csr"
tui_wait "Certificate request ($(echo "$W" | cut -c1-20)"
# OpenSSL's TRUSTED CERTIFICATE: the certificate, its trust settings last.
tui_keys O
tui_wait "Open a file"
tui_keys C-u; tui_type "$TESTS_TOP/tests/data/leaf-trusted.pem"; tui_keys Enter
tui_wait "Subject: C=DE, O=Mini PKI Test, OU=Unit Tests, CN=leaf.example"
tui_keys G
tui_wait "Trusted uses: serverAuth, clientAuth"
tui_wait "Alias: lab leaf"

# On the Entities screen too.
tui_keys 1
tui_wait "Entities *"
tui_keys O
tui_wait "Open a file"
tui_keys C-u; tui_type "$W/bob.pem"; tui_keys Enter
tui_wait "Subject: CN=bob, O=Lab"

# A hold, then removeFromCRL lifts it.
tui_keys 2
tui_wait "Inventory *"
tui_keys C
tui_wait "CA root: 4 certificates"
tui_keys /; tui_type "$NEW"; tui_keys Enter
tui_wait "4 certificates, 1 shown"
tui_keys r
tui_wait "< unspecified >"
tui_keys Right Right Right Right Right Right
tui_wait "< certificateHold >"
tui_keys Enter
tui_wait "Revoke serial $NEW of CN=bob, O=Lab? y/n"
tui_keys y
tui_wait "revoked $NEW (certificateHold)"
tui_wait "on-hold"
"$M" --dir "$D" ca list --ca root --status revoked | grep -q "$NEW" ||
    tui_fail "the hold is not in the database"
tui_keys r
tui_wait "On hold: serial $NEW"
tui_wait "< removeFromCRL >"
# A lift takes no revocation date: refused under the field, no question.
tui_keys Tab Tab
tui_wait "only with a final reason (empty: now)"
tui_type "2020-01-01"; tui_keys Enter
tui_wait "no revocation date when a hold is lifted (it is lifted now)"
tui_gone "Lift the hold on serial"
tui_keys C-u Enter
tui_wait "Lift the hold on serial $NEW"
tui_wait "of CN=bob, O=Lab? y/n"
tui_keys y
tui_wait "hold lifted on $NEW"
"$M" --dir "$D" ca list --ca root --status valid | grep -q "$NEW" ||
    tui_fail "the hold was not lifted"

# Rekey bob: a missing file and a request of another subject are refused
# next to the field, nothing changes; then bob2's request.
tui_keys n
tui_wait "Renew serial $NEW"
tui_keys Tab Tab
tui_wait "empty: same key; to rekey a request (same subject)"
# At 80x24 (the form over the menu's V) the hints are whole too. tmux
# resizes the terminal a little later: wait for the redraw each time.
tmx resize-window -t t -x 80 -y 24
tui_wait "│ V┌ Renew serial $NEW"
tui_wait "empty: same key; to rekey a request (same subject)"
tmx resize-window -t t -x 100 -y 30
tui_wait "│ Aud┌ Renew serial $NEW"
tui_type "$W/missing.csr"; tui_keys Enter
tui_wait "No such file or directory"
tui_wait "Renew serial $NEW"
"$M" --dir "$D" ca show --ca root "$NEW" >"$W/show" || tui_fail "ca show"
grep -q "superseded by" "$W/show" && tui_fail "renewed after a bad path"
tui_keys C-u; tui_type "$W/alice.csr"; tui_keys Enter
tui_wait "the request's subject 'CN=alice, O=Lab' differs from the certificat"
tui_wait "Renew serial $NEW"
tui_keys C-u; tui_type "$W/bob2.csr"; tui_keys Enter
tui_wait "rekeyed $NEW as "
RK=$(sed -n "s/.*rekeyed $NEW as \([0-9a-f]*\) .*/\1/p" "$W/tui.log" | head -1)
[ -n "$RK" ] || tui_fail "no rekeyed serial in the log"
tui_wait_log "keystore has its key)"
tui_keys o
tui_wait "openssl equivalent: openssl ca -keyfile root.key -cert root.crt -in"
tui_wait_log "openssl ca -keyfile root.key -cert root.crt -in $W/bob2.csr -out $RK.pem"
tui_keys o
"$M" --dir "$D" ca show --ca root "$NEW" | grep -q "superseded by: $RK" ||
    tui_fail "the old certificate is not superseded by $RK"
"$M" --dir "$D" ca show --ca root "$RK" | grep -q "subject: CN=bob, O=Lab" ||
    tui_fail "ca show $RK"
[ "$(serial "$W/bob2.csr.crt.pem")" = "$RK" ] ||
    tui_fail "the written certificate is not $RK"
# bob's keystore keeps its certificate: the new one is not for its key.
"$M" --dir "$D" export bob --cert --out "$W/bob-ks.pem" >/dev/null 2>&1 ||
    tui_fail "export bob"
[ "$(serial "$W/bob-ks.pem")" = "$NEW" ] ||
    tui_fail "keystore bob lost its certificate"
openssl x509 -in "$W/bob-ks.pem" -noout -pubkey >"$W/old.pub" &&
    openssl x509 -in "$W/bob2.csr.crt.pem" -noout -pubkey >"$W/new.pub" &&
    openssl req -in "$W/bob2.csr" -noout -pubkey >"$W/req.pub" ||
    tui_fail "openssl -pubkey"
cmp -s "$W/old.pub" "$W/new.pub" && tui_fail "rekeyed with the old key"
cmp -s "$W/req.pub" "$W/new.pub" || tui_fail "not the request's key"
tui_keys / Escape

# Revoke the rekeyed certificate backdated: a malformed date first.
tui_keys /; tui_type "$RK"; tui_keys Enter
tui_wait "5 certificates, 1 shown"
tui_keys r
tui_wait "< unspecified >"
tmx resize-window -t t -x 80 -y 24
tui_wait "│ V┌ Revoke serial $RK"
tui_wait "Space, Left/Right; certificateHold can be lifted"
tui_keys Tab Tab
tui_wait "empty: now; to backdate YYYY-MM-DD[THH:MM:SSZ]"
tmx resize-window -t t -x 100 -y 30
tui_wait "│ Aud┌ Revoke serial $RK"
tui_type "last week"; tui_keys Enter
tui_wait "bad time 'last week': expected YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ or @SECONDS"
tui_gone "? y/n"
tui_keys C-u; tui_type "2026-11-15T10:00:00Z"; tui_keys Enter
tui_wait "reason unspecified, revoked on 2026-11-15 10:00:00 UTC"
tui_keys y
tui_wait "revoked $RK (unspecified) on 2026-11-15 10:00:00 UTC"
"$M" --dir "$D" ca show --ca root "$RK" |
    grep -q "revoked at: 2026-11-15T10:00:00Z" ||
    tui_fail "ca show: not revoked on 2026-11-15"
openssl crl -in "$D/ca/root/crl.pem" -noout -text |
    grep -i -A1 "Serial Number: $RK" |
    grep -q "Revocation Date: Nov 15 10:00:00 2026 GMT" ||
    tui_fail "the CRL lacks the backdated revocation of $RK"
tui_keys / Escape

# Renew carol at the intermediate, revoking the old one (superseded).
C=$(serial "$W/carol.pem")
tui_keys C
tui_wait "CA inter: 1 certificates"
tui_keys n
tui_wait "Renew serial $C"
tui_keys Tab Space
tui_wait "< yes >"
tui_keys Enter
tui_wait "Unlock CA 'inter'"
# Cancelled, the unlock lets go of the CA: another writer is not refused.
tui_keys Escape
tui_wait "cancelled"
MINIPKI_PASSPHRASE=ca-pass "$M" --dir "$D" ca revoke --ca inter 7fff \
    >"$W/out/rv" 2>&1 && tui_fail "ca revoke of an unknown serial"
grep -qx "minipki-tui: CA 'inter' has no certificate with serial 7fff" \
    "$W/out/rv" || tui_fail "ca revoke while the unlock was cancelled: $(cat "$W/out/rv")"
tui_keys n
tui_wait "Renew serial $C"
tui_keys Tab Space
tui_wait "< yes >"
tui_keys Enter
tui_wait "Unlock CA 'inter'"
tui_type "ca-pass"; tui_keys Enter
# The log window holds three lines: these four come at once, so the log
# file is read. carol's keystore got her certificate from `ca issue`
# (attached to the keystore of its key), so the renewal replaces it there.
tui_wait_log "renewed $C as "
tui_wait_log "old certificate $C revoked (superseded)"
tui_wait_log "the renewed certificate replaces the old in keystore 'carol'"
tui_wait "CA inter: 2 certificates"
openssl crl -in "$D/ca/inter/crl.pem" -noout -text | grep -q "Superseded" ||
    tui_fail "the intermediate's CRL lacks carol's old certificate"

# An edited audit record: the window names it.
sed -i 's/reason keyCompromise/reason unspecified/' "$D/ca/root/audit.yaml"
tui_keys Escape
tui_wait "Menu *"
tui_keys j j j j j Enter
tui_wait "Audit log of CA"
tui_keys C
tui_wait "Hash chain FAIL"
tui_wait "record 9: checksum does not match"
tui_wait "(the record was edited)"
tui_wait "(the 8 records before the problem are shown)"
tui_keys q
tui_wait "EXITED 0"
"$M" --dir "$D" ca check --ca root >/dev/null 2>&1 &&
    tui_fail "ca check accepted the edited audit log"
echo "lifecycle ok"
