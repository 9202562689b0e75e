/* pem.c — PEM blocks (RFC 7468) in and out; see pem.h. */
#include <stdlib.h>
#include <string.h>

#include "asn1/pem.h"
#include "crypto/b64.h"
#include "util/xalloc.h"

#define PEM_BEGIN "-----BEGIN "
#define PEM_END "-----END "
#define PEM_DASHES "-----"

void
pem_list_init(struct pem_list *l)
{
	l->v = NULL;
	l->n = 0;
}

static void
pem_block_clear(struct pem_block *b)
{
	xfree_secret(b->der, b->len);
	b->der = NULL;
	b->len = 0;
}

void
pem_list_clear(struct pem_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		pem_block_clear(&l->v[i]);
	free(l->v);
	pem_list_init(l);
}

/* If line (without its end of line) is "-----<kw>LABEL-----", copies LABEL
 * into label and returns 1; returns 0 when the line does not start with kw
 * and -1 when it does but is malformed. */
static int
pem_marker(const char *line, size_t n, const char *kw, char label[64])
{
	size_t kl = strlen(kw), dl = strlen(PEM_DASHES), ll, i;

	if (n < kl || memcmp(line, kw, kl) != 0)
		return 0;
	/* Trailing blanks after the dashes are tolerated. */
	while (n > kl && (line[n - 1] == ' ' || line[n - 1] == '\t'))
		n--;
	if (n < kl + dl || memcmp(line + n - dl, PEM_DASHES, dl) != 0)
		return -1;
	ll = n - kl - dl;
	if (ll == 0 || ll > 63)
		return -1;
	for (i = 0; i < ll; i++)
		if (line[kl + i] < 0x20 || line[kl + i] > 0x7e)
			return -1;
	memcpy(label, line + kl, ll);
	label[ll] = '\0';
	return 1;
}

/* The 1-based line of offset off in a body that starts on line first. */
static size_t
pem_line_of(const char *body, size_t off, size_t first)
{
	size_t i, line = first;

	for (i = 0; i < off; i++)
		if (body[i] == '\n')
			line++;
	return line;
}

int
pem_decode(const char *text, size_t len, struct pem_list *l, struct err *e)
{
	struct buf der;
	struct pem_block *b;
	char label[64], endlabel[64];
	const char *p = text, *end = text + len, *nl, *body = NULL;
	size_t lineno = 0, beginline = 0, n, where, old = l->n;
	int inside = 0, r, rc = -1, first = 0;

	buf_init(&der);
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		n = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);
		lineno++;
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (!inside) {
			r = pem_marker(p, n, PEM_BEGIN, label);
			if (r == -1) {
				err_set(e, ERR_INPUT, "line %zu: malformed "
				    "BEGIN line", lineno);
				goto out;
			}
			if (r == 1) {
				inside = 1;
				first = 1;
				beginline = lineno;
				body = nl != NULL ? nl + 1 : end;
			}
		} else if (pem_marker(p, n, PEM_BEGIN, endlabel) != 0) {
			err_set(e, ERR_INPUT, "line %zu: BEGIN %s without END",
			    beginline, label);
			goto out;
		} else if ((r = pem_marker(p, n, PEM_END, endlabel)) != 0) {
			if (r == -1) {
				err_set(e, ERR_INPUT, "line %zu: malformed "
				    "END line", lineno);
				goto out;
			}
			if (strcmp(label, endlabel) != 0) {
				err_set(e, ERR_INPUT, "line %zu: END %s does "
				    "not match BEGIN %s", lineno, endlabel,
				    label);
				goto out;
			}
			if (l->n >= PEM_MAX_BLOCKS) {
				err_set(e, ERR_INPUT, "line %zu: more than %d "
				    "PEM blocks", beginline, PEM_MAX_BLOCKS);
				goto out;
			}
			if (b64_decode_at(body, (size_t)(p - body), &der,
			    &where, e) == -1) {
				err_wrap(e, "line %zu", pem_line_of(body,
				    where, beginline + 1));
				goto out;
			}
			if (der.len == 0) {
				err_set(e, ERR_INPUT, "line %zu: empty PEM "
				    "block %s", beginline, label);
				goto out;
			}
			l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
			b = &l->v[l->n++];
			memcpy(b->label, label, sizeof b->label);
			b->line = beginline;
			b->der = xmalloc(der.len);
			memcpy(b->der, der.data, der.len);
			b->len = der.len;
			buf_clear_secret(&der);
			inside = 0;
		} else if (first && n >= 10 &&
		    strncmp(p, "Proc-Type:", 10) == 0) {
			err_set(e, ERR_INPUT, "line %zu: encrypted PEM "
			    "(Proc-Type) is not supported: convert with "
			    "openssl pkey", lineno);
			goto out;
		} else
			first = 0;
		p = nl != NULL ? nl + 1 : end;
	}
	if (inside) {
		err_set(e, ERR_INPUT, "line %zu: BEGIN %s without END",
		    beginline, label);
		goto out;
	}
	if (l->n == old) {
		err_set(e, ERR_INPUT, "no PEM block found");
		goto out;
	}
	rc = 0;
out:
	buf_clear_secret(&der);
	if (rc == -1) {
		/* Drop the blocks this call added, keep the caller's. */
		while (l->n > old)
			pem_block_clear(&l->v[--l->n]);
		if (l->n == 0)
			pem_list_clear(l);
	}
	return rc;
}

int
pem_detect(const uint8_t *data, size_t len)
{
	return memmem(data, len, PEM_BEGIN, strlen(PEM_BEGIN)) != NULL;
}

void
pem_encode(const char *label, const uint8_t *der, size_t len,
    struct buf *out)
{
	buf_printf(out, "-----BEGIN %s-----\n", label);
	b64_encode(der, len, 1, out);
	buf_printf(out, "-----END %s-----\n", label);
}
