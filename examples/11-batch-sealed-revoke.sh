#!/bin/sh
# Flow 5: a batch of enrollments in one connection, a signed and sealed
# message from one client to another, the receiver asking the CA about
# the sender — then the sender is revoked and the receiver's verdict
# changes.
#
# The CA service runs on a Unix socket. The operator makes one token of
# the peer profile good for three certificates (`--uses 3`), limited to
# the subjects CN=student-N. `client enroll student --count 3` enrolls
# student-1, student-2 and student-3 over one kept-alive connection: three
# keys, three requests, three certificates checked and stored. The peer
# profile gives each clientAuth, serverAuth and emailProtection, so each
# can listen, send, and sign messages; no --san is needed.
#
# student-2 listens. student-1 sends with --seal: the message is signed
# (CMS SignedData, with student-1's chain), then sealed (CMS
# EnvelopedData, AES-256-CBC, the key encrypted with RSA-OAEP) to the
# certificate student-2 presented in the TLS handshake — sign-then-encrypt.
# student-2's listener opens it with its own key, verifies the signature
# and the chain, asks the CA over OCSP whether student-1 is still good
# (--status), stores the message as received (still sealed) in its inbox
# and answers with the verdict.
#
# Then student-2 asks the CA about the sender again, by hand: `msg open`
# the stored message, `msg verify --status` the signed message inside.
# The CA revokes student-1; the same stored message now verifies as
# REVOKED, and a new sealed message from student-1 gets the verdict
# revoked from the listener.
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

# 1. The CA and its service.
minipki-tui ca init ca --subject "CN=Example Lab Root CA" --bits 2048
minipki-tui export ca --cert --out root.pem
ca=unix:$PWD/ca.sock
minipki-tui ca serve --ca ca --listen "$ca" >serve.out 2>serve.log &
pids="$pids $!"
waitfor serve.out "^listening on "

# 2. One token for three peers, and the batch: three enrollments over
#    one connection.
tok=$(minipki-tui ca token new --ca ca --profile peer --uses 3 \
    --subject-match "CN=student-[0-9]+")
minipki-tui client enroll student --count 3 --ca "$ca" --anchor root.pem \
    --token "$tok"
minipki-tui ca list --ca ca

# 3. student-2 listens, asking the CA about each signer.
minipki-tui client listen student-2 --listen "unix:$PWD/s2.sock" \
    --status "$ca" >listen.out 2>listen.log &
pids="$pids $!"
waitfor listen.out "^listening on "

# 4. student-1 signs and seals a message to student-2; the verdict comes
#    back: "message 1: good: sealed, opened; signature, chain and status
#    good: good (OCSP)".
minipki-tui client send student-1 "unix:$PWD/s2.sock" --seal \
    --message "the answer to exercise 3 is 42"
waitfor listen.out "^message 1 from CN=student-1 .*: good: sealed, opened; "
cat listen.out

# 5. The receiver asks the CA about the sender once more, by hand: the
#    stored message is sealed; open it, then verify the signed message
#    inside with its status (the last line is the verdict).
stored=$MINIPKI_DIR/inbox/student-2/000000001.cms
minipki-tui msg open student-2 "$stored" --out inner.cms
minipki-tui msg verify --ca root.pem --status "$ca" inner.cms

# 6. The CA revokes student-1 (its key was lost).
serial=$(minipki-tui ca list --ca ca | sed -n 's/^\([0-9a-f]*\) .*CN=student-1$/\1/p')
minipki-tui ca revoke --ca ca "$serial" --reason keyCompromise

# 7. The same message, asked again: REVOKED now (exit 1).
rc=0
minipki-tui msg verify --ca root.pem --status "$ca" inner.cms >verify2.out || rc=$?
cat verify2.out
[ $rc -eq 1 ] || { echo "msg verify after revocation: exit $rc" >&2; exit 1; }
tail -n 1 verify2.out | grep -q REVOKED

# 8. A new sealed message from student-1 still arrives, and the
#    listener's verdict is revoked (student-1's send exits 1).
rc=0
minipki-tui client send student-1 "unix:$PWD/s2.sock" --seal \
    --message "it is still me" || rc=$?
[ $rc -eq 1 ] || { echo "client send after revocation: exit $rc" >&2; exit 1; }
waitfor listen.out "^message 2 from CN=student-1 .*: revoked: sealed, opened; "

# 9. student-2's inbox: both messages, sealed, each with the verdict it
#    had when it arrived.
minipki-tui client inbox student-2
