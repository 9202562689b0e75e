/* demo.c — the demo lab (role/demo.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "asn1/pem.h"
#include "role/ca.h"
#include "role/demo.h"
#include "util/xalloc.h"

const char *const demo_names[4] = { DEMO_CA, "server", "alice", "bob" };

struct demo_entity {
	const char *name;
	const char *subject;
	const char *san;	/* NULL: none */
	enum profile_id profile;
};

static const struct demo_entity demo_entities[] = {
	{ "server", "CN=localhost,O=minipki demo", "DNS:localhost,IP:127.0.0.1",
	    PROFILE_SERVER },
	/* The clients talk to each other (either may listen) and exchange
	 * signed and sealed messages: the peer profile (profile.h). */
	{ "alice", "CN=alice,O=minipki demo", "email:alice@example.org",
	    PROFILE_PEER },
	{ "bob", "CN=bob,O=minipki demo", "email:bob@example.org",
	    PROFILE_PEER },
};

static void
demo_stage(void *ctx, demo_stage_fn *fn, const char *what, const char *name)
{
	char s[128];

	if (fn == NULL)
		return;
	snprintf(s, sizeof s, "%s %s", what, name);
	fn(ctx, s);
}

/* Key, request, certificate (leaf and root in the keystore) for one. */
static int
demo_entity(const struct ws *ws, struct ca *ca, const struct demo_entity *d,
    const void *pass, size_t passlen, void *ctx, demo_stage_fn *fn,
    struct err *e)
{
	struct dn subject;
	struct san_list san;
	struct csr req;
	struct ca_issued res;
	struct buf pem;
	char until[WS_TIME_LEN];
	uint8_t *der = NULL;
	size_t len = 0;
	int rc = -1;

	dn_init(&subject);
	san_list_init(&san);
	csr_init(&req);
	ca_issued_init(&res);
	buf_init(&pem);
	demo_stage(ctx, fn, "key", d->name);
	if (entity_new_key(ws, d->name, DEMO_BITS, pass, passlen, NULL, NULL,
	    NULL, e) == -1)
		goto out;
	demo_stage(ctx, fn, "request", d->name);
	if (dn_from_string(&subject, d->subject, e) == -1)
		goto out;
	if (d->san != NULL && san_parse_list(&san, d->san, e) == -1)
		goto out;
	if (entity_new_csr(ws, d->name, &subject, &san, pass, passlen, &der,
	    &len, e) == -1)
		goto out;
	if (csr_parse(&req, der, len, e) == -1)
		goto out;
	demo_stage(ctx, fn, "certificate", d->name);
	if (ca_issue(ca, &req, profile_get(d->profile), 0, (int64_t)time(NULL),
	    &res, e) == -1)
		goto out;
	pem_encode("CERTIFICATE", res.der, res.len, &pem);
	pem_encode("CERTIFICATE", ca->root.der, ca->root.len, &pem);
	ws_time_format(res.not_after, until);
	if (keystore_set_cert(ws, d->name, (const char *)pem.data, res.subject,
	    until, e) == -1)
		goto out;
	rc = 0;
out:
	free(der);
	buf_clear(&pem);
	ca_issued_clear(&res);
	csr_clear(&req);
	san_list_clear(&san);
	dn_clear(&subject);
	return rc;
}

int
demo_create(const struct ws *ws, const void *pass, size_t passlen, void *ctx,
    demo_stage_fn *fn, struct err *e)
{
	struct dn subject;
	struct ca ca;
	uint8_t *root = NULL;
	size_t rootlen = 0, i;
	int rc = -1;

	for (i = 0; i < sizeof demo_names / sizeof demo_names[0]; i++)
		if (keystore_exists(ws, demo_names[i]))
			return err_set(e, ERR_REFUSED, "keystore '%s' already "
			    "exists: the demo lab needs the names %s, %s, %s "
			    "and %s", demo_names[i], demo_names[0],
			    demo_names[1], demo_names[2], demo_names[3]);
	dn_init(&subject);
	ca_init(&ca);
	demo_stage(ctx, fn, "root CA", DEMO_CA);
	if (dn_from_string(&subject, "CN=minipki Demo Root CA,O=minipki demo",
	    e) == -1)
		goto out;
	if (ca_create(ws, DEMO_CA, &subject, DEMO_BITS, CA_DEFAULT_DAYS,
	    (int64_t)time(NULL), pass, passlen, NULL, NULL, &root, &rootlen,
	    e) == -1)
		goto out;
	if (ca_open(&ca, ws, DEMO_CA, CA_WRITE, e) == -1 ||
	    ca_unlock(&ca, pass, passlen, e) == -1)
		goto out;
	for (i = 0; i < sizeof demo_entities / sizeof demo_entities[0]; i++)
		if (demo_entity(ws, &ca, &demo_entities[i], pass, passlen,
		    ctx, fn, e) == -1)
			goto out;
	rc = 0;
out:
	free(root);
	ca_clear(&ca);
	dn_clear(&subject);
	return rc;
}
