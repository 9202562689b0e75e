/* msgnet-check.c — the verdict on a received message; see msgnet.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "role/msg.h"
#include "role/msgnet.h"
#include "x509/cms.h"
#include "x509/verify.h"

void
msgnet_verdict_clear(struct msgnet_verdict *v)
{
	free(v->content);
	memset(v, 0, sizeof *v);
}

static void
msgnet_set(struct msgnet_verdict *v, const char *verdict, const char *fmt,
    const char *a)
{
	snprintf(v->verdict, sizeof v->verdict, "%s", verdict);
	snprintf(v->why, sizeof v->why, fmt, a);
}

void
msgnet_check(const uint8_t *der, size_t len, const struct cert_list *anchors,
    struct peerstatus *ps, int64_t now, struct msgnet_verdict *v)
{
	struct cms c;
	struct cms_verify_params p;
	struct verify_params vp;
	struct verify_result res;
	const struct cert *signer;
	struct err e;
	char *s, status[400];

	memset(v, 0, sizeof *v);
	cms_init(&c);
	verify_result_init(&res);
	err_clear(&e);
	if (cms_parse(&c, der, len, &e) == -1) {
		msgnet_set(v, "invalid", "not a CMS SignedData: %s", e.msg);
		goto out;
	}
	if (c.nsigners != 1) {
		snprintf(v->verdict, sizeof v->verdict, "invalid");
		snprintf(v->why, sizeof v->why, "%zu signers (one expected)",
		    c.nsigners);
		goto out;
	}
	if (!c.has_content) {
		msgnet_set(v, "invalid", "%s", "detached content: nothing to "
		    "check the signature against");
		goto out;
	}
	memset(&p, 0, sizeof p);
	if (cms_verify(&c, 0, &p, &signer, &e) == -1) {
		msgnet_set(v, "invalid", "signature: %s", e.msg);
		goto out;
	}
	s = dn_to_string(&signer->subject);
	snprintf(v->from, sizeof v->from, "%s", s);
	free(s);
	v->content = malloc(c.content_len > 0 ? c.content_len : 1);
	if (v->content == NULL) {
		msgnet_set(v, "invalid", "%s", "out of memory");
		goto out;
	}
	memcpy(v->content, c.content, c.content_len);
	v->content_len = c.content_len;
	memset(&vp, 0, sizeof vp);
	vp.anchors = anchors;
	vp.untrusted = &c.certs;
	vp.purpose = VERIFY_PURPOSE_ANY;
	vp.at = now;
	if (verify_chain(signer, &vp, &res) == -1) {
		msgnet_set(v, "invalid", "signature good; chain: %s",
		    res.reason);
		goto out;
	}
	if (ps == NULL) {
		msgnet_set(v, "unchecked", "%s", "signature and chain good; "
		    "status not asked (no --status)");
		goto out;
	}
	switch (peerstatus_check(ps, signer, &c.certs, now, status,
	    sizeof status)) {
	case PEERSTATUS_GOOD:
		msgnet_set(v, "good", "signature, chain and status good: %s",
		    status);
		break;
	case PEERSTATUS_REVOKED:
		msgnet_set(v, "revoked", "signature and chain good, but the "
		    "signer is %s", status);
		break;
	default:
		msgnet_set(v, "unknown", "signature and chain good; status %s",
		    status);
		break;
	}
out:
	verify_result_clear(&res);
	cms_clear(&c);
}

void
msgnet_receive(const uint8_t *der, size_t len, const struct rsakey *key,
    const struct cert *cert, const struct cert_list *anchors,
    struct peerstatus *ps, int64_t now, struct msgnet_verdict *v)
{
	static const char pre[] = "sealed, opened; ";
	struct buf inner;
	struct err e;
	size_t n;

	if (msg_kind(der, len) != MSG_KIND_SEALED) {
		msgnet_check(der, len, anchors, ps, now, v);
		return;
	}
	buf_init(&inner);
	err_clear(&e);
	if (key == NULL || cert == NULL)
		err_set(&e, ERR_USAGE, "no key to open it with");
	if (key == NULL || cert == NULL ||
	    msg_open_key(key, cert, der, len, &inner, &e) == -1) {
		memset(v, 0, sizeof *v);
		v->sealed = 1;
		msgnet_set(v, "invalid", "sealed, not opened: %s", e.msg);
		goto out;
	}
	/* the inner message: a SignedData, checked as if it came alone */
	msgnet_check(inner.data, inner.len, anchors, ps, now, v);
	v->sealed = 1;
	/* the prefix in front of the reason, cut to fit */
	n = strlen(v->why);
	if (n > sizeof v->why - sizeof pre)
		n = sizeof v->why - sizeof pre;
	memmove(v->why + sizeof pre - 1, v->why, n);
	memcpy(v->why, pre, sizeof pre - 1);
	v->why[sizeof pre - 1 + n] = '\0';
out:
	/* the plaintext was secret: wipe it (v->content holds a copy only
	 * when the signature verified, for the listing) */
	buf_clear_secret(&inner);
}

void
msgnet_preview(const uint8_t *b, size_t n, size_t max, struct buf *out)
{
	size_t i;

	for (i = 0; i < n && i < max; i++)
		buf_putc(out, b[i] >= 0x20 && b[i] < 0x7f ? b[i] : '.');
	if (n > max)
		buf_puts(out, "...");
}
