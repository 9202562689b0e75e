/* msgnet.h — signed messages between clients over mutual TLS: `client
 * send` signs a message (CMS SignedData, attached, SHA-256, the signer's
 * chain), with --seal seals that to the listener's certificate from the
 * handshake (sign-then-encrypt, role/msg.h), and sends it in a frame
 * (net/frame.h); `client listen` opens a sealed one with its key,
 * verifies each one it receives, stores it as received with its verdict
 * in the inbox (store/inbox.h) and answers with the verdict.
 *
 * msgnet_check.c: the verdict; msgnet_listen.c: the listener's service;
 * msgnet_send.c: the sender's connection. */
#ifndef MP_ROLE_MSGNET_H
#define MP_ROLE_MSGNET_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "crypto/rsakey.h"
#include "net/addr.h"
#include "net/dialwait.h"
#include "role/msg.h"
#include "role/peerstatus.h"
#include "role/server.h"
#include "store/inbox.h"
#include "tls/tls.h"
#include "util/buf.h"
#include "util/err.h"
#include "x509/cert.h"

/* ---- the verdict on one message (msgnet-check.c) ---- */

struct msgnet_verdict {
	int sealed;		/* it arrived sealed (EnvelopedData or
				 * AuthEnvelopedData around the SignedData) */
	char verdict[12];	/* good, revoked, invalid, unknown,
				 * unchecked (store/inbox.h) */
	char why[600];		/* one line */
	char from[512];		/* the signer's subject; "" when not known */
	uint8_t *content;	/* the signed content (owned); NULL unless
				 * the signature verified */
	size_t content_len;
};

/* Checks der: a CMS SignedData with one signer and attached content, its
 * signature, the signer's chain to anchors at now (the message's own
 * certificates as intermediates), then, when ps is not NULL, the signer's
 * status with the CA. Never fails: what is wrong is the verdict. */
void msgnet_check(const uint8_t *der, size_t len,
    const struct cert_list *anchors, struct peerstatus *ps, int64_t now,
    struct msgnet_verdict *);
void msgnet_verdict_clear(struct msgnet_verdict *);

/* What the listener does with one message as received: a sealed one
 * (sign-then-encrypt, `client send --seal`) is opened with key, whose
 * certificate is cert, and its content checked as above; a signed one is
 * checked as it is. A sealed message that does not open is "invalid"
 * with the reason ("not opened: the message is not sealed to ..."); the
 * why of one that opened starts "sealed, opened; ". key NULL: a sealed
 * message is "invalid" (no key to open it). */
void msgnet_receive(const uint8_t *der, size_t len, const struct rsakey *key,
    const struct cert *cert, const struct cert_list *anchors,
    struct peerstatus *ps, int64_t now, struct msgnet_verdict *);

/* The content as one printable line for a listing: at most max bytes
 * (then "..."), control bytes as '.'. */
void msgnet_preview(const uint8_t *b, size_t n, size_t max, struct buf *);

/* ---- the listener (msgnet-listen.c) ---- */

struct msgnet_listen {
	const struct cert_list *anchors;
	struct peerstatus *ps;		/* NULL: no status asked */
	struct inbox_writer *inbox;
	const struct rsakey *key;	/* ours, to open sealed messages */
	const struct cert *cert;	/* ours (the key's certificate) */
	FILE *out;			/* one line per message */
	FILE *log;			/* errors; NULL: none */
	struct server_service service;	/* for server_conf.service */
	unsigned long count;		/* messages received */
};

/* Fills l->service; the rest is the caller's. */
void msgnet_listen_init(struct msgnet_listen *);

/* ---- the sender (msgnet-send.c) ---- */

struct msgnet_send_conf {
	struct addr addr;
	const struct tls_config *tls;	/* client, with our chain and key */
	int timeout;			/* seconds per step */
	const struct dialwait *wait;	/* a listener not up yet */
	const uint8_t *msg;		/* the SignedData to send */
	size_t len;
	int seal;			/* seal it (msg_seal) to the
					 * listener's certificate from the
					 * handshake */
	const struct msg_seal_opts *seal_opts;	/* its cipher and key
					 * transport; NULL: AES-256-CBC,
					 * RSA-OAEP */
	FILE *log;			/* "connected: ..."; NULL: none */
};

/* Connects, shakes hands, (with seal: seals the message to the
 * certificate the listener authenticated with,) sends the MSG frame and reads the VERDICT into
 * verdict (NUL-terminated, at most FRAME_MAX_TEXT bytes). ERR_IO for the
 * transport, ERR_REFUSED for a TLS refusal or a listener that closed
 * without a verdict, ERR_INPUT for a frame that does not parse. */
int msgnet_send(const struct msgnet_send_conf *, char *verdict,
    size_t verdictlen, struct err *);

#endif
