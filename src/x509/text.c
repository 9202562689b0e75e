/* text.c — readable renderings of certificates, requests and keys; see text.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "asn1/der.h"
#include "asn1/oid.h"
#include "crypto/hash.h"
#include "util/xalloc.h"
#include "x509/pkey.h"
#include "x509/nameconstr.h"
#include "x509/text.h"

#define MAX_SHOW_DEPTH 8

void
text_time(int64_t t, char out[32])
{
	struct tm tm;
	time_t tt = (time_t)t;

	if ((int64_t)tt != t || gmtime_r(&tt, &tm) == NULL ||
	    strftime(out, 32, "%Y-%m-%d %H:%M:%S UTC", &tm) == 0)
		snprintf(out, 32, "(out of range)");
}

static void
indent(struct buf *b, int n)
{
	while (n-- > 0)
		buf_putc(b, ' ');
}

/* Hex bytes with colons, wrapped at per_line bytes, each line indented. */
static void
hex_block(struct buf *b, int ind, const uint8_t *p, size_t len,
    size_t per_line)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (i % per_line == 0)
			indent(b, ind);
		buf_printf(b, "%02x%s", p[i], i + 1 < len ? ":" : "");
		if ((i + 1) % per_line == 0 || i + 1 == len)
			buf_putc(b, '\n');
	}
}

static void
hex_line(struct buf *b, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf_printf(b, "%02X%s", p[i], i + 1 < len ? ":" : "");
}

static const char *
sigalg_name(const struct sigalg *sa)
{
	return sa->oid == OID_UNKNOWN ? "unknown" : oid_get(sa->oid)->sn;
}

static void
show_sigalg(struct buf *b, int ind, const struct sigalg *sa)
{
	indent(b, ind);
	buf_printf(b, "Signature Algorithm: %s\n", sigalg_name(sa));
	if (sa->pss) {
		indent(b, ind + 4);
		buf_printf(b, "Hash Algorithm: %s, Mask Algorithm: mgf1 with "
		    "%s, Salt Length: %zu\n", hash_name(sa->hash),
		    hash_name(sa->hash), sa->salt_len);
	}
}

static void
show_rsa_public(struct buf *b, int ind, const struct rsakey *k, int modulus)
{
	size_t n = 0, nb;
	uint8_t *p;

	indent(b, ind);
	buf_printf(b, "Public-Key: (%u bit)\n", rsakey_bits(k));
	if (!modulus)
		goto exponent;
	indent(b, ind);
	buf_puts(b, "Modulus:\n");
	nb = (mpz_sizeinbase(k->pub.n, 2) + 7) / 8;
	p = xmalloc(nb + 1);
	p[0] = 0;
	mpz_export(p + 1, &n, 1, 1, 1, 0, k->pub.n);
	/* A leading zero when the top bit is set, as openssl shows. */
	if (n > 0 && (p[1] & 0x80))
		hex_block(b, ind + 4, p, n + 1, 15);
	else
		hex_block(b, ind + 4, p + 1, n, 15);
	free(p);
exponent:
	indent(b, ind);
	if (mpz_sizeinbase(k->pub.e, 2) <= 64) {
		unsigned long long e = 0;
		size_t en = 0;
		uint8_t eb[8] = { 0 }, i;

		mpz_export(eb, &en, 1, 1, 1, 0, k->pub.e);
		for (i = 0; i < en; i++)
			e = e << 8 | eb[i];
		buf_printf(b, "Exponent: %llu (0x%llx)\n", e, e);
	} else {
		char *s = mpz_get_str(NULL, 16, k->pub.e);

		buf_printf(b, "Exponent: 0x%s\n", s);
		free(s);
	}
}

/* A P-256 point as `openssl x509 -text` shows it. */
static void
show_ec_public(struct buf *b, int ind, const struct ec256key *k)
{
	indent(b, ind);
	buf_puts(b, "Public-Key: (256 bit)\n");
	indent(b, ind);
	buf_puts(b, "pub:\n");
	hex_block(b, ind + 4, k->pub, EC256_PUB_SIZE, 15);
	indent(b, ind);
	buf_puts(b, "ASN1 OID: prime256v1\n");
	indent(b, ind);
	buf_puts(b, "NIST CURVE: P-256\n");
}

static void
show_key_info(struct buf *b, int ind, enum oid_id alg, const struct rsakey *k,
    const struct ec256key *ec)
{
	indent(b, ind);
	buf_puts(b, "Subject Public Key Info:\n");
	indent(b, ind + 4);
	buf_printf(b, "Public Key Algorithm: %s\n",
	    alg == OID_UNKNOWN ? "unknown" : oid_get(alg)->sn);
	if (alg == OID_RSA_ENCRYPTION)
		show_rsa_public(b, ind + 8, k, 1);
	else if (alg == OID_EC_PUBLIC_KEY && ec256key_has_public(ec))
		show_ec_public(b, ind + 8, ec);
	else {
		indent(b, ind + 8);
		buf_puts(b, "(not supported by this program)\n");
	}
}

static const char *const ku_names[] = {
	"Digital Signature", "Non Repudiation", "Key Encipherment",
	"Data Encipherment", "Key Agreement", "Certificate Sign", "CRL Sign",
	"Encipher Only", "Decipher Only",
};

static const struct {
	enum oid_id id;
	const char *name;
} eku_names[] = {
	{ OID_ANY_EKU, "Any Extended Key Usage" },
	{ OID_KP_SERVER_AUTH, "TLS Web Server Authentication" },
	{ OID_KP_CLIENT_AUTH, "TLS Web Client Authentication" },
	{ OID_KP_CODE_SIGNING, "Code Signing" },
	{ OID_KP_EMAIL_PROTECTION, "E-mail Protection" },
	{ OID_KP_TIME_STAMPING, "Time Stamping" },
	{ OID_KP_OCSP_SIGNING, "OCSP Signing" },
};

static const struct {
	enum oid_id id;
	const char *name;
} ext_names[] = {
	{ OID_BASIC_CONSTRAINTS, "X509v3 Basic Constraints" },
	{ OID_KEY_USAGE, "X509v3 Key Usage" },
	{ OID_EXT_KEY_USAGE, "X509v3 Extended Key Usage" },
	{ OID_SUBJECT_ALT_NAME, "X509v3 Subject Alternative Name" },
	{ OID_ISSUER_ALT_NAME, "X509v3 Issuer Alternative Name" },
	{ OID_SUBJECT_KEY_ID, "X509v3 Subject Key Identifier" },
	{ OID_AUTHORITY_KEY_ID, "X509v3 Authority Key Identifier" },
	{ OID_NAME_CONSTRAINTS, "X509v3 Name Constraints" },
	{ OID_CERT_POLICIES, "X509v3 Certificate Policies" },
	{ OID_POLICY_MAPPINGS, "X509v3 Policy Mappings" },
	{ OID_POLICY_CONSTRAINTS, "X509v3 Policy Constraints" },
	{ OID_INHIBIT_ANY_POLICY, "X509v3 Inhibit Any Policy" },
	{ OID_CRL_DIST_POINTS, "X509v3 CRL Distribution Points" },
	{ OID_FRESHEST_CRL, "X509v3 Freshest CRL" },
	{ OID_AUTHORITY_INFO_ACCESS, "Authority Information Access" },
};

static const char *
name_prefix(const struct san *s)
{
	static const char *const pfx[] = { "DNS:", "IP Address:", "email:",
	    "URI:", "" };

	return pfx[s->type <= SAN_OTHER ? s->type : SAN_OTHER];
}

static void
show_san(struct buf *b, const struct san_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		buf_printf(b, "%s%s%s", i > 0 ? ", " : "",
		    name_prefix(&l->v[i]), l->v[i].value);
	buf_putc(b, '\n');
}

/* One name a line, as openssl shows the names of a distribution point. */
static void
show_names(struct buf *b, int ind, const struct san_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		indent(b, ind);
		buf_printf(b, "%s%s\n", name_prefix(&l->v[i]), l->v[i].value);
	}
}

/* ReasonFlags bits, by bit number, in openssl's words. */
static const char *const dp_reason_names[] = {
	"Unused", "Key Compromise", "CA Compromise", "Affiliation Changed",
	"Superseded", "Cessation Of Operation", "Certificate Hold",
	"Privilege Withdrawn", "AA Compromise",
};

/* authorityInfoAccess: "OCSP - URI:...", "CA Issuers - URI:...", one a
 * line; another method by its dotted OID. */
static void
show_aia(struct buf *b, int ind, const struct ext_info *x)
{
	const struct ext_access *a;
	size_t i;

	for (i = 0; i < x->naia; i++) {
		a = &x->aia[i];
		indent(b, ind);
		buf_printf(b, "%s - %s%s\n", a->method == OID_AD_OCSP ? "OCSP" :
		    a->method == OID_AD_CA_ISSUERS ? "CA Issuers" :
		    a->method_oid, name_prefix(&a->loc), a->loc.value);
	}
}

/* cRLDistributionPoints: each point's full name, relative name, reasons
 * and CRL issuer, as openssl lays them out. */
static void
show_cdp(struct buf *b, int ind, const struct ext_info *x)
{
	const struct ext_dp *dp;
	size_t i, k, n;

	for (i = 0; i < x->ncdp; i++) {
		dp = &x->cdp[i];
		if (dp->full.n > 0) {
			indent(b, ind);
			buf_puts(b, "Full Name:\n");
			show_names(b, ind + 2, &dp->full);
		}
		if (dp->relative) {
			indent(b, ind);
			buf_puts(b, "Relative Name: (relative to the CRL "
			    "issuer, not shown)\n");
		}
		if (dp->has_reasons) {
			indent(b, ind);
			buf_puts(b, "Reasons:\n");
			indent(b, ind + 2);
			for (k = 0, n = 0; k < sizeof dp_reason_names /
			    sizeof dp_reason_names[0]; k++)
				if (dp->reasons & (1u << k))
					buf_printf(b, "%s%s", n++ ? ", " : "",
					    dp_reason_names[k]);
			buf_putc(b, '\n');
		}
		if (dp->crl_issuer.n > 0) {
			indent(b, ind);
			buf_puts(b, "CRL Issuer:\n");
			show_names(b, ind + 2, &dp->crl_issuer);
		}
	}
}

/* The value of a processed extension, from the parsed fields. */
static void
show_ext_value(struct buf *b, int ind, enum oid_id id, const struct ext_info *x)
{
	size_t i, k, n = 0;

	/* Several lines, each indented on its own. */
	if (id == OID_AUTHORITY_INFO_ACCESS) {
		show_aia(b, ind, x);
		return;
	}
	if (id == OID_CRL_DIST_POINTS) {
		show_cdp(b, ind, x);
		return;
	}
	indent(b, ind);
	switch (id) {
	case OID_BASIC_CONSTRAINTS:
		buf_printf(b, "CA:%s", x->ca ? "TRUE" : "FALSE");
		if (x->pathlen >= 0)
			buf_printf(b, ", pathlen:%ld", x->pathlen);
		buf_putc(b, '\n');
		break;
	case OID_KEY_USAGE:
		for (i = 0; i < 9; i++)
			if (x->ku & (1u << i))
				buf_printf(b, "%s%s", n++ ? ", " : "", ku_names[i]);
		buf_putc(b, '\n');
		break;
	case OID_EXT_KEY_USAGE:
		for (i = 0; i < x->neku; i++) {
			const char *name = "(unknown purpose)";

			for (k = 0; k < sizeof eku_names / sizeof eku_names[0]; k++)
				if (eku_names[k].id == x->eku[i])
					name = eku_names[k].name;
			buf_printf(b, "%s%s", i ? ", " : "", name);
		}
		buf_putc(b, '\n');
		break;
	case OID_SUBJECT_ALT_NAME:
		show_san(b, &x->san);
		break;
	case OID_SUBJECT_KEY_ID:
		hex_line(b, x->ski, x->ski_len);
		buf_putc(b, '\n');
		break;
	case OID_AUTHORITY_KEY_ID:
		if (x->aki_len > 0)
			hex_line(b, x->aki, x->aki_len);
		else
			buf_puts(b, "(issuer and serial only)");
		buf_putc(b, '\n');
		break;
	default:
		buf_putc(b, '\n');
		break;
	}
}

/* Any DER, shown generically: OIDs by name, strings as text, URIs and
 * DNS names with a prefix, other primitives in hex. */
static void
show_generic(struct buf *b, int ind, struct der *d, int depth)
{
	struct der_tlv t;
	struct der in;
	char name[96];
	size_t i;
	int text;

	while (der_more(d)) {
		if (der_next(d, &t) == -1) {
			indent(b, ind);
			buf_puts(b, "(malformed)\n");
			return;
		}
		if ((t.tag & 0x20) && depth < MAX_SHOW_DEPTH) {
			der_sub(d, &t, &in);
			show_generic(b, ind, &in, depth + 1);
			continue;
		}
		indent(b, ind);
		switch (t.tag) {
		case DER_OID:
			oid_to_text(t.val, t.len, name, sizeof name);
			buf_printf(b, "%s\n", name);
			continue;
		case DER_CTX(6):
			buf_puts(b, "URI:");
			break;
		case DER_CTX(2):
			buf_puts(b, "DNS:");
			break;
		case DER_CTX(1):
			buf_puts(b, "email:");
			break;
		default:
			break;
		}
		text = t.tag == DER_CTX(6) || t.tag == DER_CTX(2) ||
		    t.tag == DER_CTX(1) || t.tag == DER_UTF8STRING ||
		    t.tag == DER_IA5STRING || t.tag == DER_PRINTABLESTRING ||
		    t.tag == 0x1a;
		for (i = 0; text && i < t.len; i++)
			if (t.val[i] < 0x20 || t.val[i] == 0x7f)
				text = 0;
		if (text && t.len > 0)
			buf_printf(b, "%.*s\n", (int)t.len, (const char *)t.val);
		else if (t.len == 0)
			buf_puts(b, "(empty)\n");
		else {
			buf_putc(b, '\n');
			hex_block(b, ind + 4, t.val, t.len < 64 ? t.len : 64, 16);
		}
	}
}

static const char *
ext_display_name(enum oid_id id, const struct der_tlv *oid, char *tmp,
    size_t tmplen)
{
	size_t i;

	for (i = 0; i < sizeof ext_names / sizeof ext_names[0]; i++)
		if (ext_names[i].id == id)
			return ext_names[i].name;
	oid_to_text(oid->val, oid->len, tmp, tmplen);
	return tmp;
}

static void
show_subtrees(struct buf *b, int ind, const char *label,
    const struct nc_list *l)
{
	size_t i;
	char *s;

	if (l->n == 0)
		return;
	indent(b, ind);
	buf_printf(b, "%s:\n", label);
	for (i = 0; i < l->n; i++) {
		s = nc_name_text(&l->v[i]);
		indent(b, ind + 2);
		buf_printf(b, "%s%s\n", s, l->v[i].bounded ?
		    " (with minimum/maximum)" : "");
		free(s);
	}
}

/* As OpenSSL shows it: "Permitted:" and "Excluded:", a subtree a line. */
static void
show_name_constraints(struct buf *b, int ind, const struct der_tlv *val)
{
	struct nameconstr nc;

	nameconstr_init(&nc);
	if (nameconstr_parse(&nc, val->val, val->len, NULL) == 0) {
		show_subtrees(b, ind, "Permitted", &nc.permitted);
		show_subtrees(b, ind, "Excluded", &nc.excluded);
	} else {
		indent(b, ind);
		buf_puts(b, "(malformed)\n");
	}
	nameconstr_clear(&nc);
}

/* Walks an Extensions body (SEQUENCE contents), each extension decoded on
 * its own so a broken one does not hide the rest. */
static void
show_extensions(struct buf *b, int ind, struct der *d)
{
	struct der_tlv ext, oid, val;
	struct der e1, one;
	struct ext_info x;
	enum oid_id id;
	char tmp[96];
	int critical;

	while (der_more(d)) {
		if (der_get(d, DER_SEQUENCE, "Extension", &ext) == -1)
			return;
		der_sub(d, &ext, &e1);
		critical = 0;
		if (der_get_oid(&e1, "extnID", &oid) == -1 ||
		    (der_peek(&e1) == DER_BOOLEAN &&
		    der_get_bool(&e1, "critical", &critical) == -1) ||
		    der_get(&e1, DER_OCTET_STRING, "extnValue", &val) == -1)
			return;
		id = oid_find(oid.val, oid.len);
		indent(b, ind);
		buf_printf(b, "%s:%s\n", ext_display_name(id, &oid, tmp,
		    sizeof tmp), critical ? " critical" : "");
		switch (id) {
		case OID_BASIC_CONSTRAINTS:
		case OID_KEY_USAGE:
		case OID_EXT_KEY_USAGE:
		case OID_SUBJECT_ALT_NAME:
		case OID_SUBJECT_KEY_ID:
		case OID_AUTHORITY_KEY_ID:
		case OID_AUTHORITY_INFO_ACCESS:
		case OID_CRL_DIST_POINTS:
			ext_info_init(&x);
			der_init(&one, d->buf + ext.off, ext.hdrlen + ext.len,
			    NULL);
			if (ext_parse(&one, &x) == 0)
				show_ext_value(b, ind + 4, id, &x);
			else {
				indent(b, ind + 4);
				buf_puts(b, "(malformed)\n");
			}
			ext_info_clear(&x);
			break;
		case OID_NAME_CONSTRAINTS:
			show_name_constraints(b, ind + 4, &val);
			break;
		default:
			der_sub(&e1, &val, &one);
			show_generic(b, ind + 4, &one, 0);
			break;
		}
	}
}

static void
show_fingerprint(struct buf *b, const char *what, const uint8_t *p, size_t len)
{
	buf_printf(b, "%s: ", what);
	hex_line(b, p, len);
	buf_putc(b, '\n');
}

/* The Extensions body of a certificate, found again in its TBS. */
static int
cert_extensions(const struct cert *c, struct der *out)
{
	struct der d, tbs;
	struct der_tlv t;

	der_init(&d, c->tbs, c->tbs_len, NULL);
	if (der_enter(&d, DER_SEQUENCE, "tbs", &tbs) == -1)
		return -1;
	while (der_more(&tbs)) {
		if (der_next(&tbs, &t) == -1)
			return -1;
		if (t.tag == DER_CTX_CONS(3)) {
			der_sub(&tbs, &t, &d);
			return der_enter(&d, DER_SEQUENCE, "Extensions", out);
		}
	}
	return -1;
}

void
text_cert(struct buf *b, const struct cert *c)
{
	char tmp[32], serial[3 * CERT_MAX_SERIAL + 1], *s;
	struct der exts;

	buf_puts(b, "Certificate:\n");
	buf_printf(b, "    Version: %d (0x%x)\n", c->version, c->version - 1);
	cert_serial_text(c->serial, c->serial_len, serial, sizeof serial);
	buf_printf(b, "    Serial Number: %s%s\n", serial, c->serial_negative ?
	    " (negative, which RFC 5280 forbids a CA to issue)" : "");
	show_sigalg(b, 4, &c->sigalg);
	s = dn_to_string(&c->issuer);
	buf_printf(b, "    Issuer: %s\n", s);
	free(s);
	buf_puts(b, "    Validity\n");
	text_time(c->not_before, tmp);
	buf_printf(b, "        Not Before: %s\n", tmp);
	text_time(c->not_after, tmp);
	buf_printf(b, "        Not After : %s\n", tmp);
	s = dn_to_string(&c->subject);
	buf_printf(b, "    Subject: %s\n", s);
	free(s);
	show_key_info(b, 4, c->key_alg, &c->key, &c->eckey);
	if (c->version == 3 && cert_extensions(c, &exts) == 0) {
		buf_puts(b, "    X509v3 extensions:\n");
		show_extensions(b, 8, &exts);
	}
	show_sigalg(b, 4, &c->sigalg);
	buf_puts(b, "    Signature Value:\n");
	hex_block(b, 8, c->sig, c->sig_len, 18);
	show_fingerprint(b, "SHA-256 fingerprint", c->fp_sha256, 32);
}

void
text_crl(struct buf *b, const struct crl *l)
{
	char tmp[32], serial[3 * CERT_MAX_SERIAL + 1], *s;
	uint8_t fp[32];
	uint64_t number;
	size_t i;

	buf_puts(b, "Certificate Revocation List (CRL):\n");
	buf_printf(b, "    Version: %d (0x%x)\n", l->version, l->version - 1);
	show_sigalg(b, 4, &l->sigalg);
	s = dn_to_string(&l->issuer);
	buf_printf(b, "    Issuer: %s\n", s);
	free(s);
	text_time(l->this_update, tmp);
	buf_printf(b, "    This Update: %s\n", tmp);
	if (l->has_next_update) {
		text_time(l->next_update, tmp);
		buf_printf(b, "    Next Update: %s\n", tmp);
	} else
		buf_puts(b, "    Next Update: (none)\n");
	if (l->has_number && crl_number_u64(l, &number) == 0)
		buf_printf(b, "    CRL Number: %llu\n",
		    (unsigned long long)number);
	else if (l->has_number) {
		buf_puts(b, "    CRL Number: 0x");
		hex_line(b, l->number, l->number_len);
		buf_putc(b, '\n');
	}
	if (l->aki_len > 0) {
		buf_puts(b, "    Authority Key Identifier: ");
		hex_line(b, l->aki, l->aki_len);
		buf_putc(b, '\n');
	}
	if (l->is_delta) {
		buf_puts(b, "    Delta CRL Indicator: base CRL Number 0x");
		hex_line(b, l->base_number, l->base_number_len);
		buf_putc(b, '\n');
	}
	if (l->has_idp)
		buf_printf(b, "    Issuing Distribution Point:%s%s%s%s%s%s\n",
		    l->idp.dp.has_name ? " named point" : "",
		    l->idp.only_user ? " onlyContainsUserCerts" : "",
		    l->idp.only_ca ? " onlyContainsCACerts" : "",
		    l->idp.only_attr ? " onlyContainsAttributeCerts" : "",
		    l->idp.dp.has_reasons ? " onlySomeReasons" : "",
		    l->idp.indirect ? " indirectCRL" : "");
	if (l->unsupported_critical)
		buf_printf(b, "    Unsupported critical extension: %s\n",
		    l->unsupported_oid);
	if (l->n == 0)
		buf_puts(b, "    No Revoked Certificates.\n");
	else
		buf_printf(b, "    Revoked Certificates: %zu\n", l->n);
	for (i = 0; i < l->n; i++) {
		const struct crl_entry *en = &l->entries[i];

		cert_serial_text(en->serial, en->serial_len, serial,
		    sizeof serial);
		buf_printf(b, "        Serial Number: %s\n", serial);
		text_time(en->date, tmp);
		buf_printf(b, "            Revocation Date: %s\n", tmp);
		if (en->reason != CRL_REASON_NONE)
			buf_printf(b, "            Reason: %s\n",
			    crl_reason_name(en->reason));
		if (en->has_invalidity) {
			text_time(en->invalidity, tmp);
			buf_printf(b, "            Invalidity Date: %s\n", tmp);
		}
		if (en->issuer >= 0 && (size_t)en->issuer < l->n_entry_issuers &&
		    (i == 0 || en->issuer != l->entries[i - 1].issuer)) {
			s = dn_to_string(&l->entry_issuers[en->issuer]);
			buf_printf(b, "            Certificate Issuer: %s\n", s);
			free(s);
		}
	}
	buf_puts(b, "    Signature Value:\n");
	hex_block(b, 8, l->sig, l->sig_len, 18);
	hash_sha256(l->der, l->len, fp);
	show_fingerprint(b, "SHA-256 fingerprint", fp, 32);
}

void
text_csr(struct buf *b, const struct csr *r)
{
	static const enum oid_id order[] = { OID_BASIC_CONSTRAINTS,
	    OID_KEY_USAGE, OID_EXT_KEY_USAGE, OID_SUBJECT_ALT_NAME,
	    OID_SUBJECT_KEY_ID, OID_AUTHORITY_KEY_ID };
	const struct ext_info *x = &r->ext;
	int present[6], crit[6];
	char *s, tmp[96];
	struct der_tlv dummy;
	size_t i;

	buf_puts(b, "Certificate Request:\n");
	buf_printf(b, "    Version: %d (0x%x)\n", r->version + 1, r->version);
	s = dn_to_string(&r->subject);
	buf_printf(b, "    Subject: %s\n", s);
	free(s);
	show_key_info(b, 4, r->key_alg, &r->key, &r->eckey);
	buf_puts(b, "    Requested Extensions:");
	present[0] = x->has_bc; crit[0] = x->bc_critical;
	present[1] = x->has_ku; crit[1] = x->ku_critical;
	present[2] = x->has_eku; crit[2] = x->eku_critical;
	present[3] = x->has_san; crit[3] = x->san_critical;
	present[4] = x->ski_len > 0; crit[4] = 0;
	present[5] = x->aki_len > 0; crit[5] = 0;
	if (!r->has_ext)
		buf_puts(b, " (none)");
	buf_putc(b, '\n');
	memset(&dummy, 0, sizeof dummy);
	for (i = 0; i < 6; i++) {
		if (!present[i])
			continue;
		indent(b, 8);
		buf_printf(b, "%s:%s\n", ext_display_name(order[i], &dummy, tmp,
		    sizeof tmp), crit[i] ? " critical" : "");
		show_ext_value(b, 12, order[i], x);
	}
	if (x->unknown_critical) {
		indent(b, 8);
		buf_printf(b, "%s: critical (not understood)\n",
		    x->unknown_critical_oid);
	}
	show_sigalg(b, 4, &r->sigalg);
	buf_puts(b, "    Signature Value:\n");
	hex_block(b, 8, r->sig, r->sig_len, 18);
}

static void
encode_spki(struct derw *w, const void *arg)
{
	pkey_encode_spki(w, arg);
}

void
text_key(struct buf *b, const struct rsakey *k)
{
	uint8_t *spki, fp[32];
	size_t len;

	buf_printf(b, "%s\n", k->has_private ? "RSA private key" :
	    "RSA public key");
	show_rsa_public(b, 4, k, 0);
	if ((spki = der_encode(encode_spki, k, &len, NULL)) != NULL) {
		hash_sha256(spki, len, fp);
		show_fingerprint(b, "    SHA-256 of SubjectPublicKeyInfo", fp, 32);
		free(spki);
	}
}

static void
encode_spki_any(struct derw *w, const void *arg)
{
	pkey_encode_spki_any(w, arg);
}

void
text_pkey(struct buf *b, const struct pkey *k)
{
	uint8_t *spki, fp[32];
	size_t len;

	if (k->type == PKEY_RSA) {
		text_key(b, &k->rsa);
		return;
	}
	buf_printf(b, "%s\n", k->ec.has_private ? "EC private key (P-256)" :
	    "EC public key (P-256)");
	show_ec_public(b, 4, &k->ec);
	if ((spki = der_encode(encode_spki_any, k, &len, NULL)) != NULL) {
		hash_sha256(spki, len, fp);
		show_fingerprint(b, "    SHA-256 of SubjectPublicKeyInfo", fp, 32);
		free(spki);
	}
}

/* One "SEQUENCE OF OBJECT IDENTIFIER" of the trust settings, as a line. */
static int
trust_uses(struct buf *b, const char *what, struct der *d)
{
	struct der_tlv t;
	char name[128];
	int n = 0;

	buf_printf(b, "    %s:", what);
	while (der_more(d)) {
		if (der_get(d, DER_OID, what, &t) == -1)
			return -1;
		oid_to_text(t.val, t.len, name, sizeof name);
		buf_printf(b, "%s %s", n++ > 0 ? "," : "", name);
	}
	buf_puts(b, n > 0 ? "\n" : " none\n");
	return 0;
}

/*
 * X509_CERT_AUX ::= SEQUENCE {
 *     trust	SEQUENCE OF OBJECT IDENTIFIER OPTIONAL,
 *     reject	[0] IMPLICIT SEQUENCE OF OBJECT IDENTIFIER OPTIONAL,
 *     alias	UTF8String OPTIONAL,
 *     keyid	OCTET STRING OPTIONAL,
 *     other	[1] IMPLICIT SEQUENCE OF AlgorithmIdentifier OPTIONAL }
 * (OpenSSL crypto/x509/x_x509a.c)
 */
int
text_trust(struct buf *b, const uint8_t *aux, size_t len, struct err *e)
{
	struct der d, s, in;
	struct der_tlv t;
	int r;

	buf_puts(b, "OpenSSL trust settings (TRUSTED CERTIFICATE):\n");
	if (len == 0) {
		buf_puts(b, "    none\n");
		return 0;
	}
	der_init(&d, aux, len, e);
	if (der_enter(&d, DER_SEQUENCE, "trust settings", &s) == -1 ||
	    der_finish(&d, "trust settings") == -1)
		return -1;
	if ((r = der_opt(&s, DER_SEQUENCE, "trusted uses", &t)) == -1)
		return -1;
	if (r == 1) {
		der_sub(&s, &t, &in);
		if (trust_uses(b, "Trusted uses", &in) == -1)
			return -1;
	} else
		buf_puts(b, "    Trusted uses: none\n");
	if ((r = der_opt(&s, DER_CTX_CONS(0), "rejected uses", &t)) == -1)
		return -1;
	if (r == 1) {
		der_sub(&s, &t, &in);
		if (trust_uses(b, "Rejected uses", &in) == -1)
			return -1;
	}
	if ((r = der_opt(&s, DER_UTF8STRING, "alias", &t)) == -1)
		return -1;
	if (r == 1) {
		size_t i;

		/* The terminal gets no control characters from a file. */
		buf_puts(b, "    Alias: ");
		for (i = 0; i < t.len; i++)
			buf_putc(b, t.val[i] < 0x20 || t.val[i] == 0x7f ? '?' :
			    (char)t.val[i]);
		buf_putc(b, '\n');
	}
	if ((r = der_opt(&s, DER_OCTET_STRING, "keyid", &t)) == -1)
		return -1;
	if (r == 1) {
		buf_puts(b, "    Key id: ");
		hex_line(b, t.val, t.len);
		buf_putc(b, '\n');
	}
	if ((r = der_opt(&s, DER_CTX_CONS(1), "other", &t)) == -1)
		return -1;
	if (r == 1)
		buf_printf(b, "    Other settings: %zu bytes (not shown)\n",
		    t.len);
	return der_finish(&s, "trust settings");
}
