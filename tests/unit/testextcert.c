/* testextcert.c — certificates with a test's own extensions; see
 * testextcert.h. */
#include <stdio.h>
#include <stdlib.h>

#include "testextcert.h"
#include "testlib.h"
#include "x509/ext.h"
#include "x509/pkey.h"

struct tbs {
	struct dn subject, issuer;
	const struct rsakey *key;
	unsigned serial;
	int ca;
	int64_t nb, na;
	test_ext_fn *exts;
	const void *arg;
};

static void
encode_tbs(struct derw *w, const void *arg)
{
	const struct tbs *a = arg;
	uint8_t sn[4] = { 0x01, (uint8_t)(a->serial >> 16),
	    (uint8_t)(a->serial >> 8), (uint8_t)a->serial };

	derw_begin(w, DER_SEQUENCE);
	derw_begin(w, DER_CTX_CONS(0));
	derw_small(w, 2);
	derw_end(w);
	derw_uint(w, sn, sizeof sn);
	sigalg_encode_sha256(w);
	dn_encode(w, &a->issuer);
	derw_begin(w, DER_SEQUENCE);
	derw_time(w, a->nb);
	derw_time(w, a->na);
	derw_end(w);
	dn_encode(w, &a->subject);
	pkey_encode_spki(w, a->key);
	derw_begin(w, DER_CTX_CONS(3));
	derw_begin(w, DER_SEQUENCE);
	ext_begin(w, OID_BASIC_CONSTRAINTS, 1);
	derw_begin(w, DER_SEQUENCE);
	if (a->ca)
		derw_bool(w, 1);
	derw_end(w);
	ext_end(w);
	if (a->exts != NULL)
		a->exts(w, a->arg);
	derw_end(w);
	derw_end(w);
	derw_end(w);
}

void
test_ext_cert(struct cert_list *out, const char *subject, const char *issuer,
    const struct rsakey *key, const struct rsakey *signer, unsigned serial,
    int ca, int64_t nb, int64_t na, test_ext_fn *exts, const void *arg)
{
	struct tbs a;
	struct err e;
	uint8_t *der;
	size_t len;

	dn_init(&a.subject);
	dn_init(&a.issuer);
	a.key = key;
	a.serial = serial;
	a.ca = ca;
	a.nb = nb;
	a.na = na;
	a.exts = exts;
	a.arg = arg;
	if (dn_from_string(&a.subject, subject, &e) == -1 ||
	    dn_from_string(&a.issuer, issuer, &e) == -1 ||
	    cert_sign_encode(encode_tbs, &a, signer, &der, &len, &e) == -1 ||
	    cert_list_load(out, der, len, &e) == -1) {
		fprintf(stderr, "test_ext_cert %s: %s\n", subject, e.msg);
		exit(1);
	}
	free(der);
	dn_clear(&a.subject);
	dn_clear(&a.issuer);
}
