/* crl.c — X.509 v2 CRLs: parse, build, look up; see crl.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "asn1/pem.h"
#include "x509/crl.h"
#include "util/file.h"
#include "util/xalloc.h"

void
crl_init(struct crl *c)
{
	memset(c, 0, sizeof *c);
	dn_init(&c->issuer);
}

void
crl_clear(struct crl *c)
{
	size_t i;

	for (i = 0; i < c->n_entry_issuers; i++)
		dn_clear(&c->entry_issuers[i]);
	free(c->entry_issuers);
	crldp_idp_clear(&c->idp);
	free(c->der);
	free(c->entries);
	dn_clear(&c->issuer);
	crl_init(c);
}

static const char *const reason_names[] = {
	"unspecified", "keyCompromise", "cACompromise", "affiliationChanged",
	"superseded", "cessationOfOperation", "certificateHold", NULL,
	"removeFromCRL", "privilegeWithdrawn", "aACompromise",
};
#define NREASONS (sizeof reason_names / sizeof reason_names[0])

const char *
crl_reason_name(int reason)
{
	static char other[32];

	if (reason == CRL_REASON_NONE)
		return NULL;
	if (reason >= 0 && (size_t)reason < NREASONS &&
	    reason_names[reason] != NULL)
		return reason_names[reason];
	snprintf(other, sizeof other, "reason %d", reason);
	return other;
}

int
crl_reason_find(const char *name)
{
	size_t i;

	for (i = 0; i < NREASONS; i++)
		if (reason_names[i] != NULL &&
		    strcasecmp(name, reason_names[i]) == 0)
			return (int)i;
	return -2;
}

/* ---- parsing ---- */

static void
note_critical(struct crl *c, const struct der_tlv *oid)
{
	if (c->unsupported_critical)
		return;
	c->unsupported_critical = 1;
	oid_to_text(oid->val, oid->len, c->unsupported_oid,
	    sizeof c->unsupported_oid);
}

/* Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE,
 * extnValue OCTET STRING }: reads one, leaving val on the contents of
 * extnValue. */
static int
get_ext(struct der *list, struct der_tlv *oid, int *critical, struct der *val)
{
	struct der ext;
	struct der_tlv t;

	*critical = 0;
	if (der_enter(list, DER_SEQUENCE, "Extension", &ext) == -1 ||
	    der_get_oid(&ext, "extnID", oid) == -1)
		return -1;
	if (der_peek(&ext) == DER_BOOLEAN) {
		if (der_get_bool(&ext, "critical", critical) == -1)
			return -1;
		if (!*critical)
			return der_fail(&ext, ext.pos, "critical FALSE is "
			    "encoded (DER omits the default)");
	}
	if (der_get(&ext, DER_OCTET_STRING, "extnValue", &t) == -1 ||
	    der_finish(&ext, "Extension") == -1)
		return -1;
	der_sub(&ext, &t, val);
	return 0;
}

/* Each extension OID once per list. */
static int
check_dup(struct der *list, const struct der_tlv *oid, const uint8_t **seen,
    size_t *lens, size_t *nseen)
{
	size_t i;

	for (i = 0; i < *nseen; i++)
		if (lens[i] == oid->len && memcmp(seen[i], oid->val,
		    oid->len) == 0)
			return der_fail(list, oid->off, "extension appears "
			    "twice");
	if (*nseen < 32) {
		seen[*nseen] = oid->val;
		lens[(*nseen)++] = oid->len;
	}
	return 0;
}

/* certificateIssuer ::= GeneralNames: its directoryName becomes the
 * issuer of this entry and the ones after it (RFC 5280 5.3.3). */
static int
parse_cert_issuer(struct crl *c, struct der *val, struct crl_entry *en)
{
	struct crldp_names l;
	size_t i;

	memset(&l, 0, sizeof l);
	if (crldp_parse_names(val, "certificateIssuer", &l) == -1 ||
	    der_finish(val, "certificateIssuer") == -1) {
		crldp_names_clear(&l);
		return -1;
	}
	en->issuer = -2;
	for (i = 0; i < l.n; i++)
		if (l.v[i].tag == DER_CTX_CONS(4)) {
			c->entry_issuers = xreallocarray(c->entry_issuers,
			    c->n_entry_issuers + 1, sizeof *c->entry_issuers);
			dn_copy(&c->entry_issuers[c->n_entry_issuers],
			    &l.v[i].dn);
			en->issuer = (int)c->n_entry_issuers++;
			break;
		}
	crldp_names_clear(&l);
	return 0;
}

/* crlEntryExtensions: reasonCode, invalidityDate, certificateIssuer. */
static int
parse_entry_exts(struct crl *c, struct der *list, struct crl_entry *en)
{
	struct der_tlv oid, t;
	struct der val;
	const uint8_t *seen[32];
	size_t lens[32], nseen = 0;
	int critical;
	enum oid_id id;

	if (!der_more(list))
		return der_fail(list, list->pos, "empty crlEntryExtensions");
	while (der_more(list)) {
		if (get_ext(list, &oid, &critical, &val) == -1 ||
		    check_dup(list, &oid, seen, lens, &nseen) == -1)
			return -1;
		id = oid_find(oid.val, oid.len);
		if (id == OID_CRL_REASON) {
			if (der_get(&val, DER_ENUMERATED, "reasonCode", &t) ==
			    -1)
				return -1;
			if (t.len != 1 || t.val[0] > 10 || t.val[0] == 7)
				return der_fail(&val, t.off, "reasonCode: not "
				    "a CRLReason value");
			en->reason = t.val[0];
			if (der_finish(&val, "reasonCode") == -1)
				return -1;
		} else if (id == OID_INVALIDITY_DATE) {
			if (der_get(&val, DER_GENERALIZEDTIME,
			    "invalidityDate", &t) == -1 ||
			    der_parse_time(&val, &t, &en->invalidity) == -1 ||
			    der_finish(&val, "invalidityDate") == -1)
				return -1;
			en->has_invalidity = 1;
		} else if (id == OID_CERTIFICATE_ISSUER) {
			if (parse_cert_issuer(c, &val, en) == -1)
				return -1;
		} else if (critical)
			note_critical(c, &oid);
	}
	return 0;
}

/* revokedCertificates: SEQUENCE OF SEQUENCE { userCertificate INTEGER,
 * revocationDate Time, crlEntryExtensions Extensions OPTIONAL } */
static int
parse_entries(struct crl *c, struct der *list)
{
	struct der ent, exts;
	struct der_tlv t;
	struct crl_entry *en;
	int cur = -1;	/* the certificateIssuer in force */

	if (!der_more(list))
		return der_fail(list, list->pos, "empty revokedCertificates "
		    "(omit it when nothing is revoked)");
	while (der_more(list)) {
		if (c->n == c->cap) {
			c->cap = c->cap == 0 ? 16 : c->cap * 2;
			c->entries = xreallocarray(c->entries, c->cap,
			    sizeof *c->entries);
		}
		en = &c->entries[c->n];
		memset(en, 0, sizeof *en);
		en->reason = CRL_REASON_NONE;
		en->issuer = cur;
		if (der_enter(list, DER_SEQUENCE, "revokedCertificate",
		    &ent) == -1 ||
		    der_get_int(&ent, "userCertificate", &t) == -1)
			return -1;
		if (t.len > CERT_MAX_SERIAL)
			return der_fail(&ent, t.off, "serial number of %zu "
			    "bytes (at most %d)", t.len, CERT_MAX_SERIAL);
		memcpy(en->serial, t.val, t.len);
		en->serial_len = t.len;
		if (der_get_time(&ent, "revocationDate", &en->date) == -1)
			return -1;
		if (der_more(&ent)) {
			if (c->version < 2)
				return der_fail(&ent, ent.pos, "entry "
				    "extensions in a version 1 CRL");
			if (der_enter(&ent, DER_SEQUENCE,
			    "crlEntryExtensions", &exts) == -1 ||
			    parse_entry_exts(c, &exts, en) == -1)
				return -1;
			cur = en->issuer;
		}
		if (der_finish(&ent, "revokedCertificate") == -1)
			return -1;
		c->n++;
	}
	return 0;
}

/* crlExtensions [0] EXPLICIT Extensions */
static int
parse_crl_exts(struct crl *c, struct der *list)
{
	struct der_tlv oid, t;
	struct der val;
	const uint8_t *seen[32];
	size_t lens[32], nseen = 0;
	int critical;
	enum oid_id id;

	if (!der_more(list))
		return der_fail(list, list->pos, "empty crlExtensions");
	while (der_more(list)) {
		if (get_ext(list, &oid, &critical, &val) == -1 ||
		    check_dup(list, &oid, seen, lens, &nseen) == -1)
			return -1;
		id = oid_find(oid.val, oid.len);
		switch (id) {
		case OID_CRL_NUMBER:
			if (der_get_int(&val, "cRLNumber", &t) == -1)
				return -1;
			if (t.val[0] & 0x80)
				return der_fail(&val, t.off, "cRLNumber is "
				    "negative");
			if (t.len > CRL_MAX_NUMBER + 1 || (t.len ==
			    CRL_MAX_NUMBER + 1 && t.val[0] != 0))
				return der_fail(&val, t.off, "cRLNumber longer "
				    "than %d bytes", CRL_MAX_NUMBER);
			if (t.len == CRL_MAX_NUMBER + 1) {
				memcpy(c->number, t.val + 1, CRL_MAX_NUMBER);
				c->number_len = CRL_MAX_NUMBER;
			} else {
				memcpy(c->number, t.val, t.len);
				c->number_len = t.len;
			}
			c->has_number = 1;
			if (der_finish(&val, "cRLNumber") == -1)
				return -1;
			break;
		case OID_AUTHORITY_KEY_ID:
			if (ext_parse_aki(&val, c->aki, &c->aki_len) == -1 ||
			    der_finish(&val, "authorityKeyIdentifier") == -1)
				return -1;
			break;
		case OID_DELTA_CRL_INDICATOR:
			/* BaseCRLNumber ::= CRLNumber */
			if (der_get_int(&val, "BaseCRLNumber", &t) == -1)
				return -1;
			if (t.val[0] & 0x80)
				return der_fail(&val, t.off, "BaseCRLNumber is "
				    "negative");
			if (t.val[0] == 0 && t.len > 1) {
				t.val++;
				t.len--;
			}
			if (t.len > CRL_MAX_NUMBER)
				return der_fail(&val, t.off, "BaseCRLNumber "
				    "longer than %d bytes", CRL_MAX_NUMBER);
			memcpy(c->base_number, t.val, t.len);
			c->base_number_len = t.len;
			if (der_finish(&val, "deltaCRLIndicator") == -1)
				return -1;
			c->is_delta = 1;
			break;
		case OID_FRESHEST_CRL:
			if (crldp_check_points(&val) == -1 ||
			    der_finish(&val, "freshestCRL") == -1)
				return -1;
			c->has_freshest = 1;
			if (critical)	/* RFC 5280 5.2.6: non-critical */
				note_critical(c, &oid);
			break;
		case OID_ISSUING_DIST_POINT:
			c->idp_der = val.buf + val.pos;
			c->idp_len = val.end - val.pos;
			if (crldp_parse_idp(&val, &c->idp) == -1 ||
			    der_finish(&val, "issuingDistributionPoint") == -1)
				return -1;
			c->has_idp = 1;
			break;
		default:
			if (critical)
				note_critical(c, &oid);
			break;
		}
	}
	return 0;
}

/*
 * CertificateList ::= SEQUENCE { tbsCertList TBSCertList,
 *     signatureAlgorithm AlgorithmIdentifier, signatureValue BIT STRING }
 * TBSCertList ::= SEQUENCE { version Version OPTIONAL (v2),
 *     signature AlgorithmIdentifier, issuer Name, thisUpdate Time,
 *     nextUpdate Time OPTIONAL, revokedCertificates SEQUENCE OF ... OPTIONAL,
 *     crlExtensions [0] EXPLICIT Extensions OPTIONAL }
 */
static int
parse_tbs(struct crl *c, struct der *d, size_t *alg_off, size_t *alg_len)
{
	struct der tbs, list, exts;
	struct der_tlv t;
	long v;
	int r;

	if (der_get(d, DER_SEQUENCE, "TBSCertList", &t) == -1)
		return -1;
	c->tbs = d->buf + t.off;
	c->tbs_len = t.hdrlen + t.len;
	der_sub(d, &t, &tbs);
	c->version = 1;
	if (der_peek(&tbs) == DER_INTEGER) {
		if (der_get_small(&tbs, "version", 1, &v) == -1)
			return -1;
		if (v != 1)
			return der_fail(&tbs, tbs.pos, "version 1 must be "
			    "omitted, not encoded");
		c->version = 2;
	}
	*alg_off = tbs.pos;
	if (sigalg_parse(&tbs, &c->sigalg) == -1)
		return -1;
	*alg_len = tbs.pos - *alg_off;
	if (dn_parse(&tbs, &c->issuer) == -1 ||
	    der_get_time(&tbs, "thisUpdate", &c->this_update) == -1)
		return -1;
	r = der_peek(&tbs);
	if (r == DER_UTCTIME || r == DER_GENERALIZEDTIME) {
		if (der_get_time(&tbs, "nextUpdate", &c->next_update) == -1)
			return -1;
		c->has_next_update = 1;
	}
	if (der_peek(&tbs) == DER_SEQUENCE) {
		if (der_enter(&tbs, DER_SEQUENCE, "revokedCertificates",
		    &list) == -1 || parse_entries(c, &list) == -1)
			return -1;
	}
	if ((r = der_opt(&tbs, DER_CTX_CONS(0), "crlExtensions", &t)) == -1)
		return -1;
	if (r == 1) {
		if (c->version < 2)
			return der_fail(&tbs, t.off, "crlExtensions in a "
			    "version 1 CRL");
		der_sub(&tbs, &t, &exts);
		if (der_enter(&exts, DER_SEQUENCE, "Extensions", &list) == -1 ||
		    parse_crl_exts(c, &list) == -1 ||
		    der_finish(&exts, "crlExtensions") == -1)
			return -1;
	}
	return der_finish(&tbs, "TBSCertList");
}

int
crl_parse(struct crl *c, const uint8_t *der, size_t len, struct err *e)
{
	struct der d, top;
	struct der_tlv t;
	size_t inner_off = 0, inner_len = 0;
	struct sigalg outer;	/* the same bytes as c->sigalg */

	crl_clear(c);
	if (len > CRL_MAX_SIZE)
		return err_set(e, ERR_INPUT, "CRL larger than %d bytes",
		    CRL_MAX_SIZE);
	c->der = xmalloc(len > 0 ? len : 1);
	if (len > 0)
		memcpy(c->der, der, len);
	c->len = len;
	der_init(&d, c->der, len, e);
	if (der_get(&d, DER_SEQUENCE, "CertificateList", &t) == -1 ||
	    der_finish(&d, "CRL") == -1)
		goto fail;
	der_sub(&d, &t, &top);
	if (parse_tbs(c, &top, &inner_off, &inner_len) == -1)
		goto fail;
	if (sigalg_parse_signed(&top, inner_off, inner_len, "TBSCertList",
	    "CertificateList", &outer, &c->sig, &c->sig_len) == -1)
		goto fail;
	return 0;
fail:
	crl_clear(c);
	return -1;
}

int
crl_load(struct crl *c, const uint8_t *data, size_t len, struct err *e)
{
	struct pem_list pl;
	size_t i;
	int rc = -1;

	if (!pem_detect(data, len))
		return crl_parse(c, data, len, e);
	pem_list_init(&pl);
	if (pem_decode((const char *)data, len, &pl, e) == -1)
		goto out;
	for (i = 0; i < pl.n; i++)
		if (strcmp(pl.v[i].label, "X509 CRL") == 0)
			break;
	if (i == pl.n) {
		err_set(e, ERR_INPUT, "no X509 CRL block found");
		goto out;
	}
	if (crl_parse(c, pl.v[i].der, pl.v[i].len, e) == -1) {
		err_wrap(e, "CRL (line %zu)", pl.v[i].line);
		goto out;
	}
	rc = 0;
out:
	pem_list_clear(&pl);
	return rc;
}

int
crl_load_file(struct crl *c, const char *path, struct err *e)
{
	struct buf b;
	int rc;

	buf_init(&b);
	if (file_read(path, CRL_MAX_SIZE, &b, e) == -1) {
		buf_clear(&b);
		return -1;
	}
	rc = crl_load(c, b.data, b.len, e);
	buf_clear(&b);
	if (rc == -1)
		err_wrap(e, "%s", path);
	return rc;
}

int
crl_check_signature(const struct crl *c, const struct cert *issuer,
    struct err *e)
{
	return cert_issuer_verifies(issuer, &c->sigalg, c->tbs, c->tbs_len,
	    c->sig, c->sig_len, e);
}

const struct crl_entry *
crl_find(const struct crl *c, const uint8_t *serial, size_t len)
{
	size_t i;

	/* Both are minimal INTEGER contents, so equal numbers are equal
	 * bytes; dropping a sign byte would make 255 (00 FF) equal -1 (FF),
	 * which PKITS 4.4.14/15 tell apart. */
	for (i = 0; i < c->n; i++)
		if (c->entries[i].serial_len == len &&
		    memcmp(c->entries[i].serial, serial, len) == 0)
			return &c->entries[i];
	return NULL;
}

const struct crl_entry *
crl_find_issued(const struct crl *c, const struct dn *issuer,
    const uint8_t *serial, size_t len)
{
	const struct crl_entry *en;
	size_t i;

	/* Exact DER INTEGER contents, as crl_find: a sign byte matters. */
	for (i = 0; i < c->n; i++) {
		en = &c->entries[i];
		if (en->serial_len != len || memcmp(en->serial, serial, len) != 0)
			continue;
		if (en->issuer == -1 ? dn_equal(&c->issuer, issuer) :
		    en->issuer >= 0 && (size_t)en->issuer < c->n_entry_issuers &&
		    dn_equal(&c->entry_issuers[en->issuer], issuer))
			return en;
	}
	return NULL;
}

int
crl_number_cmp(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	while (alen > 0 && a[0] == 0) {
		a++;
		alen--;
	}
	while (blen > 0 && b[0] == 0) {
		b++;
		blen--;
	}
	if (alen != blen)
		return alen < blen ? -1 : 1;
	return alen == 0 ? 0 : memcmp(a, b, alen);
}

int
crl_number_u64(const struct crl *c, uint64_t *v)
{
	size_t i;

	if (!c->has_number || c->number_len > 8)
		return -1;
	*v = 0;
	for (i = 0; i < c->number_len; i++)
		*v = (*v << 8) | c->number[i];
	return 0;
}

/* ---- building ---- */

static void
u64_be(uint64_t v, uint8_t out[8])
{
	int i;

	for (i = 7; i >= 0; i--) {
		out[i] = (uint8_t)(v & 0xff);
		v >>= 8;
	}
}

/* ReasonFlags as [tag] IMPLICIT BIT STRING: named bits, DER-trimmed. */
static void
reason_bits(struct derw *w, unsigned tag, uint32_t mask)
{
	uint8_t v[3] = { 0, 0, 0 };
	size_t n = 1;
	unsigned b, last = 0;

	for (b = 0; b <= 8; b++)
		if (mask & (1u << b)) {
			v[1 + b / 8] |= (uint8_t)(0x80 >> (b % 8));
			last = b;
		}
	if (mask != 0) {
		n = 1 + last / 8 + 1;
		v[0] = (uint8_t)(7 - last % 8);
	}
	derw_tlv(w, tag, v, n);
}

static void
encode_idp(struct derw *w, const struct crl_template *t)
{
	static const uint8_t yes = 0xff;

	ext_begin(w, OID_ISSUING_DIST_POINT, 1);
	derw_begin(w, DER_SEQUENCE);
	if (t->idp_uri != NULL) {
		derw_begin(w, DER_CTX_CONS(0));
		derw_begin(w, DER_CTX_CONS(0));
		derw_tlv(w, DER_CTX(6), t->idp_uri, strlen(t->idp_uri));
		derw_end(w);
		derw_end(w);
	}
	if (t->idp_only_user)
		derw_tlv(w, DER_CTX(1), &yes, 1);
	if (t->idp_only_ca)
		derw_tlv(w, DER_CTX(2), &yes, 1);
	if (t->idp_reasons != 0)
		reason_bits(w, DER_CTX(3), t->idp_reasons);
	if (t->idp_indirect)
		derw_tlv(w, DER_CTX(4), &yes, 1);
	derw_end(w);
	ext_end(w);
}

struct tbs_arg {
	const struct crl_template *t;
	const struct cert_signer *signer;
};

static void
encode_tbs(struct derw *w, const void *arg)
{
	const struct tbs_arg *a = arg;
	const struct crl_template *t = a->t;
	const struct crl_entry *en;
	uint8_t num[8], reason;
	size_t i;
	int cur = -1, ci;

	derw_begin(w, DER_SEQUENCE);
	derw_small(w, 1);
	sigalg_encode_signer(w, a->signer);
	dn_encode(w, t->issuer);
	derw_time(w, t->this_update);
	derw_time(w, t->next_update);
	if (t->n > 0) {
		derw_begin(w, DER_SEQUENCE);
		for (i = 0; i < t->n; i++) {
			en = &t->entries[i];
			derw_begin(w, DER_SEQUENCE);
			derw_uint(w, en->serial, en->serial_len);
			derw_time(w, en->date);
			ci = t->n_entry_issuers > 0 && en->issuer != cur;
			if (en->reason != CRL_REASON_NONE ||
			    en->has_invalidity || ci) {
				derw_begin(w, DER_SEQUENCE);
				if (en->reason != CRL_REASON_NONE) {
					reason = (uint8_t)en->reason;
					ext_begin(w, OID_CRL_REASON, 0);
					derw_tlv(w, DER_ENUMERATED, &reason, 1);
					ext_end(w);
				}
				if (en->has_invalidity) {
					char gt[16];
					struct tm tm;
					time_t tt = (time_t)en->invalidity;

					gmtime_r(&tt, &tm);
					strftime(gt, sizeof gt, "%Y%m%d%H%M%SZ",
					    &tm);
					ext_begin(w, OID_INVALIDITY_DATE, 0);
					derw_tlv(w, DER_GENERALIZEDTIME, gt,
					    strlen(gt));
					ext_end(w);
				}
				if (ci) {
					cur = en->issuer;
					ext_begin(w, OID_CERTIFICATE_ISSUER, 1);
					derw_begin(w, DER_SEQUENCE);
					derw_begin(w, DER_CTX_CONS(4));
					dn_encode(w, cur >= 0 ?
					    &t->entry_issuers[cur] : t->issuer);
					derw_end(w);
					derw_end(w);
					ext_end(w);
				}
				derw_end(w);
			}
			derw_end(w);
		}
		derw_end(w);
	}
	derw_begin(w, DER_CTX_CONS(0));
	derw_begin(w, DER_SEQUENCE);
	if (t->aki_len > 0) {
		ext_begin(w, OID_AUTHORITY_KEY_ID, 0);
		derw_begin(w, DER_SEQUENCE);
		derw_tlv(w, DER_CTX(0), t->aki, t->aki_len);
		derw_end(w);
		ext_end(w);
	}
	ext_begin(w, OID_CRL_NUMBER, 0);
	u64_be(t->number, num);
	derw_uint(w, num, sizeof num);
	ext_end(w);
	if (t->delta) {
		ext_begin(w, OID_DELTA_CRL_INDICATOR, 1);
		u64_be(t->base_number, num);
		derw_uint(w, num, sizeof num);
		ext_end(w);
	}
	if (t->idp)
		encode_idp(w, t);
	if (t->freshest_uri != NULL) {
		ext_begin(w, OID_FRESHEST_CRL, 0);
		derw_begin(w, DER_SEQUENCE);
		derw_begin(w, DER_SEQUENCE);
		derw_begin(w, DER_CTX_CONS(0));
		derw_begin(w, DER_CTX_CONS(0));
		derw_tlv(w, DER_CTX(6), t->freshest_uri,
		    strlen(t->freshest_uri));
		derw_end(w);
		derw_end(w);
		derw_end(w);
		derw_end(w);
		ext_end(w);
	}
	derw_end(w);
	derw_end(w);
	derw_end(w);
}

int
crl_build(const struct crl_template *t, const struct rsakey *signer,
    uint8_t **der, size_t *len, struct err *e)
{
	struct cert_signer s = { signer, NULL };

	return crl_build_by(t, &s, der, len, e);
}

int
crl_build_by(const struct crl_template *t, const struct cert_signer *s,
    uint8_t **der, size_t *len, struct err *e)
{
	struct tbs_arg a = { t, s };
	uint8_t *body;
	size_t body_len, i;
	int rc;

	if (t->next_update <= t->this_update)
		return err_set(e, ERR_USAGE, "nextUpdate must be after "
		    "thisUpdate");
	if (t->aki_len > EXT_MAX_KEYID)
		return err_set(e, ERR_USAGE, "key identifier too long");
	for (i = 0; i < t->n; i++) {
		if (t->entries[i].serial_len == 0 ||
		    t->entries[i].serial_len > CERT_MAX_SERIAL)
			return err_set(e, ERR_USAGE, "entry %zu: bad serial",
			    i + 1);
		if (t->n_entry_issuers > 0 && (t->entries[i].issuer < -1 ||
		    t->entries[i].issuer >= (int)t->n_entry_issuers))
			return err_set(e, ERR_USAGE, "entry %zu: no such "
			    "certificate issuer", i + 1);
	}
	if (t->idp && t->idp_uri == NULL && !t->idp_only_user &&
	    !t->idp_only_ca && !t->idp_indirect && t->idp_reasons == 0)
		return err_set(e, ERR_USAGE, "issuingDistributionPoint: "
		    "nothing to say (RFC 5280 5.2.5)");
	if (t->idp && t->idp_only_user + t->idp_only_ca > 1)
		return err_set(e, ERR_USAGE, "issuingDistributionPoint: "
		    "onlyContainsUserCerts and onlyContainsCACerts both");
	if (t->idp && t->idp_reasons & ~(uint32_t)CRLDP_ALL_REASONS)
		return err_set(e, ERR_USAGE, "issuingDistributionPoint: "
		    "onlySomeReasons has a bit that is not a reason");
	if ((body = der_encode(encode_tbs, &a, &body_len, e)) == NULL)
		return -1;
	rc = cert_sign_wrap_by(body, body_len, s, der, len, e);
	free(body);
	return rc;
}
