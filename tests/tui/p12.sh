#!/bin/sh
# p12.sh — PKCS#12 in the TUI: the Export form writes zed's key,
# certificate and chain as PKCS#12 (a wrong keystore passphrase first),
# which OpenSSL then reads; the Open form lists the file's bags, and
# with its passphrase opens it (MAC verified, the certificate on top, the
# key by size only); a wrong passphrase is an error in the log.
. tests/tui/tuilib
command -v openssl >/dev/null 2>&1 || { echo "openssl not installed"; exit 77; }
tui_setup p12
M=$MINIPKI
export MINIPKI_DIR="$W/ws" MINIPKI_PASSPHRASE=zed-pass
"$M" ca init --subject "CN=TUI P12 Root" --bits 2048 >/dev/null 2>&1 || tui_fail "ca init"
"$M" key new zed >/dev/null 2>&1 || tui_fail "key new zed"
"$M" csr new zed --subject "CN=zed" --out "$W/zed.csr" >/dev/null 2>&1 || tui_fail "csr new"
"$M" ca issue --csr "$W/zed.csr" --profile client --out "$W/zed.pem" >/dev/null 2>&1 ||
    tui_fail "ca issue"
unset MINIPKI_PASSPHRASE
tui_start "MINIPKI_LOG='$W/tui.log'"
tui_wait "Entities"
tui_keys 1
tui_wait "Entities *"
# zed is the last entity; What: certificate, key, PKCS#12.
tui_keys G x
tui_wait "Export"
tui_keys Tab Right Right
tui_wait "PKCS#12"
tui_keys Tab Tab C-u; tui_type "$W/out/zed.p12"
tui_keys Tab; tui_type "bad"; tui_keys Tab Tab; tui_type "p12-pass"
tui_keys Enter
tui_wait "wrong passphrase"
tui_keys C-u; tui_type "zed-pass"; tui_keys Enter
tui_wait_log "exported key, certificate and chain of 'zed' to $W/out/zed.p12 (PKCS#12, PBES2 AES-256-CBC, HMAC-SHA256, mode 0600)"
# Open it: without the passphrase, the bags listed.
tui_keys O
tui_wait "Open a file"
tui_keys C-u; tui_type "$W/out/zed.p12"; tui_keys Enter
tui_wait_log "opened $W/out/zed.p12"
tui_wait "PKCS#12 file"
tui_wait "its bags need the passphrase"
# A wrong passphrase: the MAC says so.
tui_keys O
tui_wait "Open a file"
tui_keys C-u; tui_type "$W/out/zed.p12"; tui_keys Tab; tui_type "nope"; tui_keys Enter
tui_wait_log "wrong passphrase (the PKCS#12 MAC does not match)"
# The right one: opened, the certificate on top.
tui_keys O
tui_wait "Open a file"
tui_keys C-u; tui_type "$W/out/zed.p12"; tui_keys Tab C-u; tui_type "p12-pass"; tui_keys Enter
tui_wait "Subject: CN=zed"
tui_keys End
tui_wait "RSA key, 2048 bits (private part not shown)"
tui_keys q
tui_wait "EXITED 0"

p=$W/out/zed.p12
[ "$(stat -c %a "$p")" = 600 ] || tui_fail "zed.p12 mode $(stat -c %a "$p")"
openssl pkcs12 -info -nodes -in "$p" -passin pass:p12-pass >"$W/info" 2>&1 ||
    tui_fail "openssl pkcs12 refuses zed.p12"
grep -q "friendlyName: zed" "$W/info" || tui_fail "no friendlyName zed"
grep -q "BEGIN PRIVATE KEY" "$W/info" || tui_fail "no key in zed.p12"
openssl pkcs12 -info -nodes -in "$p" -passin pass:wrong >/dev/null 2>&1 &&
    tui_fail "openssl opens zed.p12 with a wrong passphrase"
echo "p12 ok"
