/* crlcheck-test.c — revocation checking as RFC 5280 6.3 says
 * (x509/crlcheck.h), on certificates and CRLs built here (crl_build's
 * issuingDistributionPoint, delta, freshestCRL and certificateIssuer
 * included): distribution point scope, onlyContains*, reasons masks, an
 * indirect CRL and its issuer's own path (a cycle included), delta CRLs
 * with and without freshestCRL, and the UNDETERMINED verdict. One key
 * signs everything: names make the paths. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "testcert.h"
#include "testextcert.h"
#include "testlib.h"
#include "x509/crl.h"
#include "x509/ext.h"
#include "x509/verify.h"

static struct rsakey key;
static int64_t now;
static unsigned serial = 0x100;

/* cRLDistributionPoints: one point, fullName URI uri (NULL: none),
 * cRLIssuer dirName issuer (NULL: none). */
struct dp {
	const char *uri, *issuer;
	int freshest;	/* also a freshestCRL */
};

static void
dp_exts(struct derw *w, const void *arg)
{
	const struct dp *d = arg;
	struct dn dn;
	struct err e;

	if (d == NULL)
		return;
	ext_begin(w, OID_CRL_DIST_POINTS, 0);
	derw_begin(w, DER_SEQUENCE);
	derw_begin(w, DER_SEQUENCE);
	if (d->uri != NULL) {
		derw_begin(w, DER_CTX_CONS(0));
		derw_begin(w, DER_CTX_CONS(0));
		derw_tlv(w, DER_CTX(6), d->uri, strlen(d->uri));
		derw_end(w);
		derw_end(w);
	}
	if (d->issuer != NULL) {
		dn_init(&dn);
		if (dn_from_string(&dn, d->issuer, &e) == -1)
			exit(1);
		derw_begin(w, DER_CTX_CONS(2));
		derw_begin(w, DER_CTX_CONS(4));
		dn_encode(w, &dn);
		derw_end(w);
		derw_end(w);
		dn_clear(&dn);
	}
	derw_end(w);
	derw_end(w);
	ext_end(w);
	if (d->freshest) {
		ext_begin(w, OID_FRESHEST_CRL, 0);
		derw_begin(w, DER_SEQUENCE);
		derw_begin(w, DER_SEQUENCE);
		derw_begin(w, DER_CTX_CONS(0));
		derw_begin(w, DER_CTX_CONS(0));
		derw_tlv(w, DER_CTX(6), "h:d", 3);
		derw_end(w);
		derw_end(w);
		derw_end(w);
		derw_end(w);
		ext_end(w);
	}
}

static void
cert(struct cert_list *l, const char *subject, const char *issuer, int ca,
    const struct dp *d)
{
	test_ext_cert(l, subject, issuer, &key, &key, serial++, ca,
	    now - 86400, now + 86400, dp_exts, d);
}

/* A CRL by issuer; revoked: the certificates on it (NULL-ended), under
 * their own issuer's name with certificateIssuer when indirect. */
struct crlspec {
	const char *issuer;
	uint64_t number;
	int idp, only_user, only_ca, indirect;
	const char *idp_uri;
	uint32_t reasons;
	int delta;
	uint64_t base;
	const char *freshest;
	int remove;	/* entries are removeFromCRL */
};

static void
mkcrl(struct crl *out, const struct crlspec *s, const struct cert *const *rev)
{
	struct crl_template t;
	struct crl_entry en[8];
	struct dn issuer, others[8];
	struct err e;
	uint8_t *der;
	size_t len, n = 0, i;

	dn_init(&issuer);
	CHECK_EQ(dn_from_string(&issuer, s->issuer, &e), 0);
	memset(&t, 0, sizeof t);
	memset(en, 0, sizeof en);
	for (n = 0; rev != NULL && rev[n] != NULL; n++) {
		memcpy(en[n].serial, rev[n]->serial, rev[n]->serial_len);
		en[n].serial_len = rev[n]->serial_len;
		en[n].date = now - 3600;
		en[n].reason = s->remove ? CRL_REASON_REMOVE_FROM_CRL :
		    CRL_REASON_KEY_COMPROMISE;
		dn_copy(&others[n], &rev[n]->issuer);
		en[n].issuer = dn_equal(&rev[n]->issuer, &issuer) ? -1 : (int)n;
	}
	t.issuer = &issuer;
	t.this_update = now - 7200;
	t.next_update = now + 86400;
	t.number = s->number;
	t.entries = en;
	t.n = n;
	t.idp = s->idp;
	t.idp_uri = s->idp_uri;
	t.idp_only_user = s->only_user;
	t.idp_only_ca = s->only_ca;
	t.idp_indirect = s->indirect;
	t.idp_reasons = s->reasons;
	t.delta = s->delta;
	t.base_number = s->base;
	t.freshest_uri = s->freshest;
	if (s->indirect) {
		t.entry_issuers = others;
		t.n_entry_issuers = n;
	}
	crl_init(out);
	CHECK_EQ(crl_build(&t, &key, &der, &len, &e), 0);
	CHECK_EQ(crl_parse(out, der, len, &e), 0);
	free(der);
	for (i = 0; i < n; i++)
		dn_clear(&others[i]);
	dn_clear(&issuer);
}

/* Verifies leaf with anchors root, untrusted u and the n CRLs (all of the
 * path checked, deltas used); returns the code, the reason in why. */
static enum verify_code
check(const struct cert_list *root, const struct cert_list *u,
    const struct cert *leaf, const struct crl *crls, size_t n, char *why,
    size_t whylen)
{
	const struct crl *cp[8];
	struct verify_params p;
	struct verify_result r;
	enum verify_code code;
	size_t i;

	for (i = 0; i < n; i++)
		cp[i] = &crls[i];
	memset(&p, 0, sizeof p);
	p.anchors = root;
	p.untrusted = u;
	p.at = now;
	p.crls = cp;
	p.ncrls = n;
	p.crl_all = 1;
	p.use_deltas = 1;
	verify_result_init(&r);
	verify_chain(leaf, &p, &r);
	code = r.code;
	snprintf(why, whylen, "%s", r.reason != NULL ? r.reason : "");
	verify_result_clear(&r);
	return code;
}

static void
clear_crls(struct crl *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		crl_clear(&c[i]);
}

static void
test_scope(void)
{
	struct cert_list root, u, leaves;
	const struct dp at1 = { "h:1", NULL, 0 }, at2 = { "h:2", NULL, 0 };
	const struct crlspec rootcrl = { "CN=Root", 1, 0, 0, 0, 0, NULL, 0,
	    0, 0, NULL, 0 };
	struct crlspec ca = { "CN=CA", 1, 1, 1, 0, 0, "h:1", 0, 0, 0, NULL, 0 };
	const struct cert *rev[2] = { NULL, NULL };
	struct crl crls[2];
	char why[600];

	cert_list_init(&root);
	cert_list_init(&u);
	cert_list_init(&leaves);
	cert(&root, "CN=Root", "CN=Root", 1, NULL);
	cert(&u, "CN=CA", "CN=Root", 1, NULL);
	cert(&leaves, "CN=at 1", "CN=CA", 0, &at1);
	cert(&leaves, "CN=at 2", "CN=CA", 0, &at2);
	cert(&leaves, "CN=Sub CA", "CN=CA", 1, &at1);
	mkcrl(&crls[0], &rootcrl, NULL);
	rev[0] = &leaves.v[0];
	mkcrl(&crls[1], &ca, rev);
	CHECK_EQ(check(&root, &u, &leaves.v[0], crls, 2, why, sizeof why),
	    VERIFY_REVOKED);
	CHECK(strstr(why, "revoked (keyCompromise)") != NULL);
	CHECK_EQ(check(&root, &u, &leaves.v[1], crls, 2, why, sizeof why),
	    VERIFY_UNDETERMINED);
	CHECK_STR(why, "revocation of 'CN=at 2': revocation status "
	    "undetermined: no usable CRL issued by 'CN=CA'; CRL 2 (cRLNumber "
	    "1): its issuingDistributionPoint names another distribution "
	    "point");
	/* onlyContainsUserCerts: not for the sub-CA at the same point. */
	CHECK_EQ(check(&root, &u, &leaves.v[2], crls, 2, why, sizeof why),
	    VERIFY_UNDETERMINED);
	CHECK(strstr(why, "onlyContainsUserCerts, and the certificate is a "
	    "CA") != NULL);
	/* Without CRL 2 nothing is from CN=CA at all. */
	CHECK_EQ(check(&root, &u, &leaves.v[1], crls, 1, why, sizeof why),
	    VERIFY_CRL);
	CHECK_STR(why, "revocation of 'CN=at 2': no CRL issued by 'CN=CA' "
	    "among the 1 given");
	/* onlyContainsCACerts covers the sub-CA, not a leaf. */
	crl_clear(&crls[1]);
	ca.only_user = 0;
	ca.only_ca = 1;
	mkcrl(&crls[1], &ca, NULL);
	CHECK_EQ(check(&root, &u, &leaves.v[2], crls, 2, why, sizeof why),
	    VERIFY_OK);
	CHECK_EQ(check(&root, &u, &leaves.v[0], crls, 2, why, sizeof why),
	    VERIFY_UNDETERMINED);
	clear_crls(crls, 2);
	cert_list_clear(&root);
	cert_list_clear(&u);
	cert_list_clear(&leaves);
}

/* Two CRLs that split the reasons cover all; one alone does not. */
static void
test_reasons(void)
{
	struct cert_list root, u, leaf;
	const struct crlspec rootcrl = { "CN=Root", 1, 0, 0, 0, 0, NULL, 0,
	    0, 0, NULL, 0 };
	/* keyCompromise and cACompromise; the other seven. */
	const struct crlspec some = { "CN=CA", 1, 1, 0, 0, 0, NULL, 0x006, 0,
	    0, NULL, 0 }, rest = { "CN=CA", 2, 1, 0, 0, 0, NULL, 0x1f8, 0, 0,
	    NULL, 0 };
	struct crl crls[3];
	char why[600];

	cert_list_init(&root);
	cert_list_init(&u);
	cert_list_init(&leaf);
	cert(&root, "CN=Root", "CN=Root", 1, NULL);
	cert(&u, "CN=CA", "CN=Root", 1, NULL);
	cert(&leaf, "CN=leaf", "CN=CA", 0, NULL);
	mkcrl(&crls[0], &rootcrl, NULL);
	mkcrl(&crls[1], &some, NULL);
	mkcrl(&crls[2], &rest, NULL);
	CHECK_EQ(check(&root, &u, &leaf.v[0], crls, 3, why, sizeof why),
	    VERIFY_OK);
	CHECK_EQ(check(&root, &u, &leaf.v[0], crls, 2, why, sizeof why),
	    VERIFY_UNDETERMINED);
	CHECK_STR(why, "revocation of 'CN=leaf': revocation status "
	    "undetermined: the CRLs used cover only keyCompromise, "
	    "cACompromise");
	clear_crls(crls, 3);
	cert_list_clear(&root);
	cert_list_clear(&u);
	cert_list_clear(&leaf);
}

/* An indirect CRL by a CRL issuer the leaf's point names; the issuer's
 * own certificate is covered by a CRL it signed itself (a cycle). */
static void
test_indirect(void)
{
	struct cert_list root, u, leaf;
	const struct dp via = { "h:i", "CN=CRL Issuer", 0 };
	const struct dp self = { "h:i", "CN=CRL Issuer", 0 };
	const struct crlspec rootcrl = { "CN=Root", 1, 0, 0, 0, 0, NULL, 0,
	    0, 0, NULL, 0 };
	const struct crlspec ind = { "CN=CRL Issuer", 1, 1, 0, 0, 1, "h:i", 0,
	    0, 0, NULL, 0 };
	const struct crlspec direct = { "CN=CRL Issuer", 1, 1, 0, 0, 0, "h:i",
	    0, 0, 0, NULL, 0 };
	const struct cert *rev[2] = { NULL, NULL };
	struct crl crls[2];
	char why[600];

	cert_list_init(&root);
	cert_list_init(&u);
	cert_list_init(&leaf);
	cert(&root, "CN=Root", "CN=Root", 1, NULL);
	cert(&u, "CN=CA", "CN=Root", 1, NULL);
	cert(&u, "CN=CRL Issuer", "CN=CA", 0, &self);
	cert(&leaf, "CN=leaf", "CN=CA", 0, &via);
	cert(&leaf, "CN=other", "CN=CA", 0, &via);
	mkcrl(&crls[0], &rootcrl, NULL);
	rev[0] = &leaf.v[0];
	mkcrl(&crls[1], &ind, rev);
	CHECK_EQ(check(&root, &u, &leaf.v[0], crls, 2, why, sizeof why),
	    VERIFY_REVOKED);
	CHECK(strstr(why, "revoked (keyCompromise)") != NULL);
	CHECK_EQ(check(&root, &u, &leaf.v[1], crls, 2, why, sizeof why),
	    VERIFY_OK);
	/* Not marked indirect: not for CN=CA's certificates. */
	crl_clear(&crls[1]);
	mkcrl(&crls[1], &direct, NULL);
	CHECK_EQ(check(&root, &u, &leaf.v[1], crls, 2, why, sizeof why),
	    VERIFY_UNDETERMINED);
	CHECK(strstr(why, "the distribution point names a cRLIssuer but this "
	    "is not an indirect CRL") != NULL);
	clear_crls(crls, 2);
	cert_list_clear(&root);
	cert_list_clear(&u);
	cert_list_clear(&leaf);
}

static void
test_delta(void)
{
	struct cert_list root, u, leaf;
	const struct dp plain = { "h:c", NULL, 0 }, fresh = { "h:c", NULL, 1 };
	const struct crlspec rootcrl = { "CN=Root", 1, 0, 0, 0, 0, NULL, 0,
	    0, 0, NULL, 0 };
	const struct crlspec base = { "CN=CA", 4, 0, 0, 0, 0, NULL, 0, 0, 0,
	    NULL, 0 }, delta = { "CN=CA", 5, 0, 0, 0, 0, NULL, 0, 1, 4, NULL,
	    0 }, release = { "CN=CA", 6, 0, 0, 0, 0, NULL, 0, 1, 4, NULL, 1 },
	    early = { "CN=CA", 7, 0, 0, 0, 0, NULL, 0, 1, 9, NULL, 0 };
	const struct cert *rev[2] = { NULL, NULL };
	struct crl crls[3];
	char why[600];

	cert_list_init(&root);
	cert_list_init(&u);
	cert_list_init(&leaf);
	cert(&root, "CN=Root", "CN=Root", 1, NULL);
	cert(&u, "CN=CA", "CN=Root", 1, NULL);
	cert(&leaf, "CN=announced", "CN=CA", 0, &fresh);
	cert(&leaf, "CN=plain", "CN=CA", 0, &plain);
	mkcrl(&crls[0], &rootcrl, NULL);
	mkcrl(&crls[1], &base, NULL);
	rev[0] = &leaf.v[0];
	mkcrl(&crls[2], &delta, rev);
	CHECK_EQ(check(&root, &u, &leaf.v[0], crls, 3, why, sizeof why),
	    VERIFY_REVOKED);
	CHECK(strstr(why, "according to delta CRL 3 (cRLNumber 5)") != NULL);
	/* The same delta, no freshestCRL anywhere: not looked for. */
	crl_clear(&crls[2]);
	rev[0] = &leaf.v[1];
	mkcrl(&crls[2], &delta, rev);
	CHECK_EQ(check(&root, &u, &leaf.v[1], crls, 3, why, sizeof why),
	    VERIFY_OK);
	/* A delta on a newer base than the complete CRL is not used. */
	crl_clear(&crls[2]);
	rev[0] = &leaf.v[0];
	mkcrl(&crls[2], &early, rev);
	CHECK_EQ(check(&root, &u, &leaf.v[0], crls, 3, why, sizeof why),
	    VERIFY_OK);
	/* removeFromCRL on a delta releases what the base lists. */
	clear_crls(crls + 1, 2);
	mkcrl(&crls[1], &base, rev);
	mkcrl(&crls[2], &release, rev);
	CHECK_EQ(check(&root, &u, &leaf.v[0], crls, 2, why, sizeof why),
	    VERIFY_REVOKED);
	CHECK_EQ(check(&root, &u, &leaf.v[0], crls, 3, why, sizeof why),
	    VERIFY_OK);
	/* A delta alone is no complete CRL (PKITS 4.15.1). */
	CHECK_EQ(check(&root, &u, &leaf.v[0], crls + 2, 1, why, sizeof why),
	    VERIFY_UNDETERMINED);
	CHECK_STR(why, "revocation of 'CN=announced': revocation status "
	    "undetermined: no usable CRL issued by 'CN=CA'");
	clear_crls(crls, 3);
	cert_list_clear(&root);
	cert_list_clear(&u);
	cert_list_clear(&leaf);
}

/* What crl_build refuses. */
static void
test_build_errors(void)
{
	struct crl_template t;
	struct dn issuer;
	struct err e;
	uint8_t *der;
	size_t len;

	dn_init(&issuer);
	CHECK_EQ(dn_from_string(&issuer, "CN=CA", &e), 0);
	memset(&t, 0, sizeof t);
	t.issuer = &issuer;
	t.this_update = now;
	t.next_update = now + 60;
	t.idp = 1;
	CHECK_EQ(crl_build(&t, &key, &der, &len, &e), -1);
	CHECK_STR(e.msg, "issuingDistributionPoint: nothing to say (RFC 5280 "
	    "5.2.5)");
	t.idp_only_user = t.idp_only_ca = 1;
	CHECK_EQ(crl_build(&t, &key, &der, &len, &e), -1);
	CHECK_STR(e.msg, "issuingDistributionPoint: onlyContainsUserCerts and "
	    "onlyContainsCACerts both");
	t.idp_only_ca = 0;
	t.idp_reasons = 0x200;
	CHECK_EQ(crl_build(&t, &key, &der, &len, &e), -1);
	CHECK_STR(e.msg, "issuingDistributionPoint: onlySomeReasons has a bit "
	    "that is not a reason");
	dn_clear(&issuer);
}

int
main(void)
{
	test_load_key("tests/data/key-pkcs8.pem", &key);
	now = (int64_t)time(NULL);
	test_scope();
	test_reasons();
	test_indirect();
	test_delta();
	test_build_errors();
	rsakey_clear(&key);
	return test_done();
}
