/* cacrl-test.c — what a CA's CRLs carry beyond their entries: the
 * issuingDistributionPoint only when every unexpired certificate has the
 * CDP (and never on a root's), freshestCRL with a URL, delta CRLs against crl.pem (entries since
 * the base, removeFromCRL for a lifted hold, the base's IDP), and exact
 * refusals (role/cacrl.h, lifecycle_crl_ex), in a workspace under
 * tests/work. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testlib.h"
#include "role/cacrl.h"
#include "role/lifecycle.h"
#include "util/xalloc.h"

static const char pass[] = "cacrl unit pass";
static const int64_t now = 1790000000;

static void
test_entry(void)
{
	struct cadb_cert c;
	struct crl_entry en;
	static const uint8_t hi[] = { 0x00, 0x80, 0x01 }, lo[] = { 0x0a };

	memset(&c, 0, sizeof c);
	c.serial = "8001";
	c.reason = "unspecified";
	c.revoked_at = now;
	CHECK(cacrl_entry(&c, &en) == 0);
	CHECK_EQ(en.serial_len, sizeof hi);
	CHECK_MEM(en.serial, hi, sizeof hi);
	CHECK_EQ(en.reason, CRL_REASON_NONE);
	c.serial = "000a";
	c.reason = "keyCompromise";
	CHECK(cacrl_entry(&c, &en) == 0);
	CHECK_EQ(en.serial_len, 1);
	CHECK_MEM(en.serial, lo, 1);
	CHECK_EQ(en.reason, CRL_REASON_KEY_COMPROMISE);
	c.serial = "0g";
	CHECK(cacrl_entry(&c, &en) == -1);
}

static void
issue(struct ca *ca, const char *cn, long days, struct ca_issued *out)
{
	struct rsakey k;
	struct dn subject;
	struct csr req;
	struct err e;
	uint8_t *der = NULL;
	size_t len = 0;
	char *s = xasprintf("CN=%s", cn);

	rsakey_init(&k);
	dn_init(&subject);
	csr_init(&req);
	CHECK(rsakey_generate(&k, 2048, NULL, NULL, &e) == 0);
	CHECK(dn_from_string(&subject, s, &e) == 0);
	CHECK(csr_build(&subject, NULL, &k, &der, &len, &e) == 0);
	CHECK(csr_parse(&req, der, len, &e) == 0);
	ca_issued_init(out);
	CHECK(ca_issue(ca, &req, profile_get(PROFILE_CLIENT), days, now, out,
	    &e) == 0);
	free(der);
	free(s);
	csr_clear(&req);
	dn_clear(&subject);
	rsakey_clear(&k);
}

static void
open_ca(struct ws *ws, const char *name, struct ca *ca)
{
	struct dn subject;
	struct err e;
	uint8_t *der = NULL;
	size_t len = 0;
	char *s = xasprintf("CN=%s", name);

	dn_init(&subject);
	CHECK(dn_from_string(&subject, s, &e) == 0);
	CHECK(ca_create(ws, name, &subject, 2048, 1000, now, pass,
	    strlen(pass), NULL, NULL, &der, &len, &e) == 0);
	ca_init(ca);
	CHECK(ca_open(ca, ws, name, CA_WRITE, &e) == 0);
	CHECK(ca_unlock(ca, pass, strlen(pass), &e) == 0);
	free(der);
	free(s);
	dn_clear(&subject);
}

/* An intermediate CA name below root (open, unlocked), open and
 * unlocked in ca: a root's CRL carries no IDP (cacrl.h). */
static void
open_sub(struct ws *ws, const char *name, struct ca *root, struct ca *ca)
{
	struct dn subject;
	struct err e;
	uint8_t *der = NULL;
	size_t len = 0;
	char *s = xasprintf("CN=%s", name);

	dn_init(&subject);
	CHECK(dn_from_string(&subject, s, &e) == 0);
	CHECK(lifecycle_init_intermediate(ws, name, root, &subject, 0, 2048,
	    1000, now, pass, strlen(pass), &der, &len, &e) == 0);
	ca_init(ca);
	CHECK(ca_open(ca, ws, name, CA_WRITE, &e) == 0);
	CHECK(ca_unlock(ca, pass, strlen(pass), &e) == 0);
	free(der);
	free(s);
	dn_clear(&subject);
}

static void
make(struct ca *ca, int delta, int64_t when, struct lifecycle_crl_info *in,
    struct crl *out)
{
	struct err e;
	uint8_t *der = NULL;
	size_t len = 0;
	uint64_t num;

	CHECK(lifecycle_crl_ex(ca, delta, 0, when, &der, &len, &num, in,
	    &e) == 0);
	crl_clear(out);
	crl_init(out);
	if (der != NULL)
		CHECK(crl_parse(out, der, len, &e) == 0);
	free(der);
}

static void
test_crls(const char *dir)
{
	struct ws ws;
	struct err e;
	struct ca ca, m, r;
	struct ca_issued a, b, x, y;
	struct lifecycle_crl_info in;
	struct crl base, d;
	uint8_t *der = NULL;
	size_t len = 0;
	uint64_t num;
	char want[256];

	ws_init(&ws);
	CHECK(ws_open(&ws, dir, &e) == 0);
	crl_init(&base);
	crl_init(&d);

	/* A root with a URL: freshestCRL, but no IDP, as its own
	 * certificate (checked against this CRL by openssl verify
	 * -crl_check_all) lacks the CDP. */
	open_ca(&ws, "root", &r);
	CHECK(ca_set_url(&r, "http://h:1/", &e) == 0);
	make(&r, 0, now, &in, &base);
	CHECK(!in.idp && in.freshest && !base.has_idp && base.has_freshest);
	CHECK_STR(in.idp_note, "the CA is a root, whose own certificate lacks "
	    "the CDP http://h:1/crl (openssl verify -crl_check_all checks it "
	    "against this CRL)");
	CHECK(ca_set_url(&r, NULL, &e) == 0);

	/* No crl.pem, then one without freshestCRL: no delta. */
	open_sub(&ws, "lab", &r, &ca);
	CHECK_ERR(lifecycle_crl_ex(&ca, 1, 0, now, &der, &len, &num, &in, &e),
	    &e, "CA 'lab' has no complete CRL to be the base of a delta: run "
	    "`ca crl` first");
	CHECK_EQ(e.kind, ERR_USAGE);
	make(&ca, 0, now, &in, &base);
	CHECK(!in.idp && !in.freshest && !base.has_idp && !base.has_freshest);
	CHECK_STR(in.idp_note, "the CA has no URL");
	CHECK_ERR(lifecycle_crl_ex(&ca, 1, 0, now, &der, &len, &num, &in, &e),
	    &e, "ca/lab/crl.pem (number 1) names no freshestCRL, so relying "
	    "parties would not look for a delta: set the CA's URL (`ca "
	    "set-url`) and run `ca crl` first");
	CHECK_EQ(e.kind, ERR_REFUSED);

	/* With a URL, everything issued has the CDP: IDP and freshestCRL. */
	CHECK(ca_set_url(&ca, "http://h:1/", &e) == 0);
	issue(&ca, "a", 0, &a);
	issue(&ca, "b", 0, &b);
	make(&ca, 0, now + 10, &in, &base);
	CHECK(in.idp && in.freshest && base.has_idp && base.has_freshest);
	CHECK_STR(in.idp_note, "http://h:1/crl");
	CHECK(!base.is_delta);
	CHECK_EQ(base.n, 0);

	/* A delta: what was revoked since, the base's number and IDP. */
	CHECK(lifecycle_revoke(&ca, a.serial, "keyCompromise", now + 20, 0,
	    &e) == 0);
	make(&ca, 1, now + 30, &in, &d);
	CHECK(in.delta);
	CHECK_EQ(in.base_number, 2);
	CHECK_EQ(in.n, 1);
	CHECK(d.is_delta && !d.has_freshest && d.has_idp);
	CHECK_EQ(d.base_number_len, base.number_len);
	CHECK_MEM(d.base_number, base.number, base.number_len);
	CHECK_EQ(d.idp_len, base.idp_len);
	CHECK_MEM(d.idp_der, base.idp_der, base.idp_len);
	CHECK_EQ(d.n, 1);
	CHECK_EQ(d.entries[0].reason, CRL_REASON_KEY_COMPROMISE);
	CHECK_EQ(d.next_update, now + 30 + LIFECYCLE_DELTA_DAYS * 86400);
	CHECK(crl_check_signature(&d, &ca.root, &e));
	CHECK(crl_find(&d, d.entries[0].serial, d.entries[0].serial_len));

	/* A hold on the base, lifted: removeFromCRL in the delta; the
	 * revocation already on the base is not repeated. */
	CHECK(lifecycle_revoke(&ca, b.serial, "certificateHold", now + 40, 0,
	    &e) == 0);
	make(&ca, 0, now + 50, &in, &base);
	CHECK_EQ(base.n, 2);
	CHECK(lifecycle_revoke(&ca, b.serial, "removeFromCRL", now + 60, 0,
	    &e) == 0);
	make(&ca, 1, now + 70, &in, &d);
	CHECK_EQ(d.n, 1);
	CHECK_EQ(d.entries[0].reason, CRL_REASON_REMOVE_FROM_CRL);
	CHECK_EQ(d.entries[0].date, now + 40);

	/* A URL changed since the base: the delta would not pair with it. */
	CHECK(ca_set_url(&ca, "http://other:2", &e) == 0);
	CHECK_ERR(lifecycle_crl_ex(&ca, 1, 0, now + 80, &der, &len, &num, &in,
	    &e), &e, "the CA's URL changed since ca/lab/crl.pem was made: run "
	    "`ca crl` first");
	CHECK(der == NULL);

	/* A certificate from before the URL: no IDP, until it expires. */
	open_sub(&ws, "mixed", &r, &m);
	issue(&m, "x", 1, &x);
	CHECK(ca_set_url(&m, "http://h:1", &e) == 0);
	issue(&m, "y", 0, &y);
	make(&m, 0, now + 100, &in, &base);
	CHECK(!in.idp && !base.has_idp && in.freshest);
	snprintf(want, sizeof want, "1 of 2 unexpired certificates lack the "
	    "CDP http://h:1/crl (the first: serial %s)", x.serial);
	CHECK_STR(in.idp_note, want);
	make(&m, 0, now + 3 * 86400, &in, &base);
	CHECK(in.idp && base.has_idp);

	ca_issued_clear(&a);
	ca_issued_clear(&b);
	ca_issued_clear(&x);
	ca_issued_clear(&y);
	crl_clear(&base);
	crl_clear(&d);
	ca_clear(&ca);
	ca_clear(&m);
	ca_clear(&r);
	ws_clear(&ws);
}

int
main(void)
{
	char dir[128];

	snprintf(dir, sizeof dir, "tests/work/cacrl-test.%ld", (long)getpid());
	(void)mkdir("tests/work", 0700);
	test_entry();
	test_crls(dir);
	if (test_failures == 0) {
		char *cmd = xasprintf("rm -rf '%s'", dir);

		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", dir);
		free(cmd);
	}
	return test_done();
}
