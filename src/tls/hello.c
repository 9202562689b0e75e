/* hello.c — ClientHello and ServerHello: building ours, reading theirs,
 * for both TLS 1.3 and TLS 1.2 (the version is chosen from them). */
#include <string.h>

#include "crypto/rand.h"
#include "crypto/x25519.h"
#include "tls/internal.h"

/* SHA-256("HelloRetryRequest"): the random of a HelloRetryRequest. */
const uint8_t hello_hrr_random[32] = {
	0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02,
	0x1e, 0x65, 0xb8, 0x91, 0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e,
	0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
};

/* "DOWNGRD" 01: the end of a TLS 1.3 server's random when it negotiates
 * TLS 1.2 (RFC 8446 4.1.3). */
const uint8_t hello_downgrade12[8] = {
	0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44, 0x01
};

static int
hello_ip_literal(const char *s)
{
	if (strchr(s, ':') != NULL)
		return 1;
	for (; *s != '\0'; s++)
		if (!(*s == '.' || (*s >= '0' && *s <= '9')))
			return 0;
	return 1;
}

void
hello_ext_begin(struct buf *b, unsigned type, size_t *mark)
{
	wr_u16(b, type);
	*mark = wr_begin(b, 2);
}

/* The 1.2 suites the configuration allows, in our order of preference. */
static int
hello_offer12(const struct tls_engine *t, unsigned suite)
{
	return engine_min_version(t) <= TLS_VERSION_12 &&
	    (t->cfg->tls12_suite == 0 || t->cfg->tls12_suite == suite);
}

void
hello_client(struct tls_engine *t)
{
	struct buf b;
	size_t m, x, y;
	const char *sn = t->cfg->server_name;
	int v13 = engine_max_version(t) >= TLS_VERSION_13;
	int v12 = engine_min_version(t) <= TLS_VERSION_12;

	t->offered13 = v13;
	rand_bytes(t->client_random, 32);
	if (v13) {
		rand_bytes(t->session_id, 32);	/* middlebox compatibility */
		t->session_id_len = 32;
		x25519_keygen(t->x_priv, t->x_pub);
	}
	buf_init(&b);
	wr_u16(&b, 0x0303);
	buf_append(&b, t->client_random, 32);
	wr_u8(&b, (unsigned)t->session_id_len);
	buf_append(&b, t->session_id, t->session_id_len);
	m = wr_begin(&b, 2);
	if (v13)
		wr_u16(&b, SUITE_TLS_AES_128_GCM_SHA256);
	if (hello_offer12(t, TLS_SUITE_ECDHE_RSA_AES128_GCM))
		wr_u16(&b, TLS_SUITE_ECDHE_RSA_AES128_GCM);
	if (hello_offer12(t, TLS_SUITE_RSA_AES128_GCM))
		wr_u16(&b, TLS_SUITE_RSA_AES128_GCM);
	wr_end(&b, m, 2);
	wr_u8(&b, 1);
	wr_u8(&b, 0);
	m = wr_begin(&b, 2);
	if (sn != NULL && *sn != '\0' && !hello_ip_literal(sn) &&
	    strlen(sn) < 256) {
		hello_ext_begin(&b, EXT_SERVER_NAME, &x);
		y = wr_begin(&b, 2);
		wr_u8(&b, 0);	/* host_name */
		wr_u16(&b, (unsigned)strlen(sn));
		buf_puts(&b, sn);
		wr_end(&b, y, 2);
		wr_end(&b, x, 2);
	}
	hello_ext_begin(&b, EXT_SUPPORTED_GROUPS, &x);
	wr_u16(&b, 2);
	wr_u16(&b, GROUP_X25519);
	wr_end(&b, x, 2);
	hello_ext_begin(&b, EXT_SIGNATURE_ALGORITHMS, &x);
	y = wr_begin(&b, 2);
	wr_u16(&b, SIG_RSA_PSS_RSAE_SHA256);
	if (v12)
		wr_u16(&b, SIG_RSA_PKCS1_SHA256);
	wr_end(&b, y, 2);
	wr_end(&b, x, 2);
	if (v12) {
		hello_ext_begin(&b, EXT_EC_POINT_FORMATS, &x);
		wr_u8(&b, 1);
		wr_u8(&b, 0);	/* uncompressed */
		wr_end(&b, x, 2);
		hello_ext_begin(&b, EXT_EXTENDED_MASTER_SECRET, &x);
		wr_end(&b, x, 2);
		hello_ext_begin(&b, EXT_RENEGOTIATION_INFO, &x);
		wr_u8(&b, 0);
		wr_end(&b, x, 2);
	}
	if (v13) {
		hello_ext_begin(&b, EXT_SUPPORTED_VERSIONS, &x);
		y = wr_begin(&b, 1);
		wr_u16(&b, TLS_VERSION_13);
		if (v12)
			wr_u16(&b, TLS_VERSION_12);
		wr_end(&b, y, 1);
		wr_end(&b, x, 2);
		hello_ext_begin(&b, EXT_KEY_SHARE, &x);
		y = wr_begin(&b, 2);
		wr_u16(&b, GROUP_X25519);
		wr_u16(&b, 32);
		buf_append(&b, t->x_pub, 32);
		wr_end(&b, y, 2);
		wr_end(&b, x, 2);
	}
	wr_end(&b, m, 2);
	hs_send(t, HS_CLIENT_HELLO, b.data, b.len);
	buf_clear(&b);
}

/* Reads a ServerHello into sh; -1 after failing the connection. */
int
hello_parse_sh(struct tls_engine *t, const uint8_t *body, size_t len,
    struct sh_info *sh, struct rd *exts)
{
	struct rd r, e, ks;
	unsigned type;

	memset(sh, 0, sizeof *sh);
	sh->reneg = -1;
	rd_init(&r, body, len);
	sh->legacy_version = rd_u16(&r);
	sh->random = rd_bytes(&r, 32);
	rd_vec(&r, 1, &sh->sid);
	sh->suite = rd_u16(&r);
	sh->comp = rd_u8(&r);
	if (rd_left(&r) > 0)
		rd_vec(&r, 2, exts);
	else
		rd_init(exts, NULL, 0);
	if (!rd_done(&r) || sh->sid.len > 32)
		return engine_fail(t, TLS_ALERT_DECODE_ERROR, "ServerHello: "
		    "lengths do not add up");
	if (memcmp(sh->random, hello_hrr_random, 32) == 0)
		return 0;
	while (rd_left(exts) > 0) {
		type = rd_u16(exts);
		rd_vec(exts, 2, &e);
		switch (type) {
		case EXT_SUPPORTED_VERSIONS:
			sh->sv = rd_u16(&e);
			break;
		case EXT_KEY_SHARE:
			sh->group = rd_u16(&e);
			rd_vec(&e, 2, &ks);
			sh->share = ks.len == 32 ? ks.p : NULL;
			break;
		case EXT_EXTENDED_MASTER_SECRET:
			sh->ems = 1;
			break;
		case EXT_RENEGOTIATION_INFO:
			rd_vec(&e, 1, &ks);
			sh->reneg = ks.len != 0;
			break;
		case EXT_EC_POINT_FORMATS:
			sh->ecpf = 1;
			rd_bytes(&e, rd_left(&e));
			break;
		default:
			if (sh->other_ext == 0)
				sh->other_ext = type ? type : 0xffff;
			rd_bytes(&e, rd_left(&e));
		}
		if (!rd_done(&e))
			return engine_fail(t, TLS_ALERT_DECODE_ERROR,
			    "ServerHello: extension %u is malformed", type);
	}
	if (exts->bad)
		return engine_fail(t, TLS_ALERT_DECODE_ERROR, "ServerHello: "
		    "bad extension list");
	return 0;
}

static int
hello_ch_exts(struct tls_engine *t, struct rd *exts,
    struct ch_offer *o)
{
	struct rd e, l, k;
	unsigned type, g;
	uint32_t seen = 0;

	while (rd_left(exts) > 0) {
		type = rd_u16(exts);
		rd_vec(exts, 2, &e);
		if (type < 64) {
			if (seen & (UINT32_C(1) << (type & 31)) && type < 32)
				return engine_fail(t, TLS_ALERT_ILLEGAL_PARAMETER,
				    "ClientHello repeats extension %u", type);
			if (type < 32)
				seen |= UINT32_C(1) << type;
		}
		switch (type) {
		case EXT_SUPPORTED_VERSIONS:
			o->has_sv = 1;
			rd_vec(&e, 1, &l);
			while (rd_left(&l) >= 2) {
				g = rd_u16(&l);
				if (g == TLS_VERSION_13)
					o->v13 = 1;
				else if (g == TLS_VERSION_12)
					o->v12 = 1;
			}
			break;
		case EXT_SIGNATURE_ALGORITHMS:
			rd_vec(&e, 2, &l);
			peercert_schemes(&l, &o->pss, &o->pkcs1);
			break;
		case EXT_EXTENDED_MASTER_SECRET:
			o->ems = 1;
			break;
		case EXT_RENEGOTIATION_INFO:
			rd_vec(&e, 1, &l);
			o->reneg = e.bad || l.len != 0;
			break;
		case EXT_SUPPORTED_GROUPS:
			rd_vec(&e, 2, &l);
			while (rd_left(&l) >= 2)
				if (rd_u16(&l) == GROUP_X25519)
					o->group = 1;
			break;
		case EXT_KEY_SHARE:
			rd_vec(&e, 2, &l);
			while (rd_left(&l) > 0) {
				g = rd_u16(&l);
				rd_vec(&l, 2, &k);
				if (g == GROUP_X25519 && k.len == 32 &&
				    o->share == NULL)
					o->share = k.p;
			}
			if (l.bad)
				return engine_fail(t, TLS_ALERT_DECODE_ERROR,
				    "ClientHello: bad key_share");
			break;
		}
	}
	if (exts->bad)
		return engine_fail(t, TLS_ALERT_DECODE_ERROR, "ClientHello: bad "
		    "extension list");
	return 0;
}

int
hello_parse_ch(struct tls_engine *t, const uint8_t *body, size_t len,
    struct ch_offer *op, struct rd *sidp)
{
	struct rd r, sid, suites, comps, exts;
	struct ch_offer o;
	int nullcomp = 0;

	memset(&o, 0, sizeof o);
	o.reneg = -1;
	rd_init(&r, body, len);
	o.legacy_version = rd_u16(&r);
	rd_bytes(&r, 32);
	if (!r.bad)
		memcpy(t->client_random, body + 2, 32);
	rd_vec(&r, 1, &sid);
	rd_vec(&r, 2, &suites);
	rd_vec(&r, 1, &comps);
	if (rd_left(&r) > 0)
		rd_vec(&r, 2, &exts);
	else
		rd_init(&exts, NULL, 0);
	if (!rd_done(&r) || sid.len > 32 || suites.len % 2 != 0 ||
	    suites.len == 0 || comps.len == 0)
		return engine_fail(t, TLS_ALERT_DECODE_ERROR, "ClientHello: "
		    "malformed");
	while (rd_left(&suites) > 0) {
		unsigned su = rd_u16(&suites);

		if (su == SUITE_TLS_AES_128_GCM_SHA256)
			o.s1301 = 1;
		else if (su == TLS_SUITE_ECDHE_RSA_AES128_GCM)
			o.sc02f = 1;
		else if (su == TLS_SUITE_RSA_AES128_GCM)
			o.s009c = 1;
		else if (su == SUITE_SCSV_RENEGOTIATION)
			o.scsv = 1;
	}
	while (rd_left(&comps) > 0)
		if (rd_u8(&comps) == 0)
			nullcomp = 1;
	if (hello_ch_exts(t, &exts, &o) == -1)
		return -1;
	if (!nullcomp)
		return engine_fail(t, TLS_ALERT_ILLEGAL_PARAMETER, "ClientHello "
		    "without null compression");
	if (!o.has_sv)
		o.v12 = o.legacy_version >= TLS_VERSION_12;
	*op = o;
	*sidp = sid;
	return 0;
}
