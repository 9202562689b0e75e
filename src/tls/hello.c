/* hello.c — ClientHello and ServerHello: building ours, reading theirs,
 * for both TLS 1.3 and TLS 1.2 (the version is chosen from them). */
#include <string.h>

#include "crypto/rand.h"
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

/* The extensions a hello may carry that we track, one bit each. */
static const uint16_t hello_ext_types[] = {
	EXT_SERVER_NAME, EXT_SUPPORTED_GROUPS, EXT_EC_POINT_FORMATS,
	EXT_SIGNATURE_ALGORITHMS, EXT_ALPN, EXT_EXTENDED_MASTER_SECRET,
	EXT_SESSION_TICKET, EXT_SUPPORTED_VERSIONS, EXT_COOKIE,
	EXT_PSK_KEY_EXCHANGE_MODES, EXT_SIGNATURE_ALGORITHMS_CERT,
	EXT_KEY_SHARE, EXT_RENEGOTIATION_INFO, 41 /* pre_shared_key */,
	42 /* early_data */, 28 /* record_size_limit */,
};

uint32_t
hello_ext_bit(unsigned type)
{
	size_t i;

	for (i = 0; i < sizeof hello_ext_types / sizeof hello_ext_types[0];
	    i++)
		if (hello_ext_types[i] == type)
			return UINT32_C(1) << i;
	return 0;
}

int
hello_sh_ext_begin(struct buf *b, const struct ch_offer *o, unsigned type,
    size_t *mark)
{
	/* RFC 5746 3.6: the SCSV stands for an empty renegotiation_info. */
	if (!(o->exts & hello_ext_bit(type)) &&
	    !(type == EXT_RENEGOTIATION_INFO && o->scsv))
		return 0;
	hello_ext_begin(b, type, mark);
	return 1;
}

void
hello_client(struct tls_engine *t, unsigned group)
{
	const struct suite_info *s13[TLS_MAX_SUITES], *s12[TLS_MAX_SUITES];
	const struct group_info *gl[TLS_MAX_GROUPS];
	struct buf b;
	size_t m, x, y, i, ng;
	const char *sn = t->cfg->server_name;
	size_t n13 = engine_max_version(t) >= TLS_VERSION_13 ?
	    suite_list(t, TLS_VERSION_13, s13) : 0;
	size_t n12 = engine_min_version(t) <= TLS_VERSION_12 ?
	    suite_list(t, TLS_VERSION_12, s12) : 0;
	int v13 = n13 > 0, v12 = n12 > 0, ecdhe12 = 0;
	uint32_t offered = 0;

	for (i = 0; i < n12; i++)
		if (s12[i]->kx == KX_ECDHE)
			ecdhe12 = 1;
	ng = group_list(t, gl);
	t->offered13 = v13;
	if (!t->hrr_seen) {
		if (t->cfg->resume != NULL && !session_name_ok(t,
		    t->cfg->resume) && trace_on(t))
			trace_printf(t, "  not resuming: the session was kept "
			    "for server name \"%s\", this connection is for "
			    "\"%s\"", t->cfg->resume->server_name,
			    t->cfg->server_name != NULL ? t->cfg->server_name :
			    "");
		if (engine_min_version(t) <= TLS_VERSION_12 &&
		    !tls_config_ecdsa12_ok(t->cfg) && trace_on(t))
			trace_printf(t, "  TLS 1.2 ECDHE_ECDSA suites not "
			    "offered: secp256r1 is not among our groups (RFC "
			    "8422 5.1)");
		rand_bytes(t->client_random, 32);
		/* RFC 5077 3.4: a session id beside a ticket */
		if (v13 || (v12 && ticket12_client_offer(t) != NULL)) {
			rand_bytes(t->session_id, 32);	/* middlebox compat */
			t->session_id_len = 32;
		}
	}
	if (v13 && ng > 0)
		group_keygen(t, group != 0 ? group_find(group) : gl[0]);
	buf_init(&b);
	wr_u16(&b, 0x0303);
	buf_append(&b, t->client_random, 32);
	wr_u8(&b, (unsigned)t->session_id_len);
	buf_append(&b, t->session_id, t->session_id_len);
	m = wr_begin(&b, 2);
	for (i = 0; i < n13; i++)
		wr_u16(&b, s13[i]->id);
	for (i = 0; i < n12; i++)
		wr_u16(&b, s12[i]->id);
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
		offered |= hello_ext_bit(EXT_SERVER_NAME);
	}
	if ((v13 || ecdhe12) && ng > 0) {
		hello_ext_begin(&b, EXT_SUPPORTED_GROUPS, &x);
		y = wr_begin(&b, 2);
		for (i = 0; i < ng; i++)
			wr_u16(&b, gl[i]->id);
		wr_end(&b, y, 2);
		wr_end(&b, x, 2);
		offered |= hello_ext_bit(EXT_SUPPORTED_GROUPS);
	}
	hello_ext_begin(&b, EXT_SIGNATURE_ALGORITHMS, &x);
	sig_write(&b, sig_offer(t, !v12));
	wr_end(&b, x, 2);
	offered |= hello_ext_bit(EXT_SIGNATURE_ALGORITHMS);
	rsl_client_ext(t, &b);
	offered |= hello_ext_bit(EXT_RECORD_SIZE_LIMIT);
	if (v12) {
		if (ecdhe12) {
			hello_ext_begin(&b, EXT_EC_POINT_FORMATS, &x);
			wr_u8(&b, 1);
			wr_u8(&b, 0);	/* uncompressed */
			wr_end(&b, x, 2);
			offered |= hello_ext_bit(EXT_EC_POINT_FORMATS);
		}
		hello_ext_begin(&b, EXT_EXTENDED_MASTER_SECRET, &x);
		wr_end(&b, x, 2);
		hello_ext_begin(&b, EXT_RENEGOTIATION_INFO, &x);
		wr_u8(&b, 0);
		wr_end(&b, x, 2);
		offered |= hello_ext_bit(EXT_EXTENDED_MASTER_SECRET) |
		    hello_ext_bit(EXT_RENEGOTIATION_INFO);
		/* RFC 5077: our ticket, or an empty one to ask for one */
		hello_ext_begin(&b, EXT_SESSION_TICKET, &x);
		if (ticket12_client_offer(t) != NULL) {
			buf_append(&b, ticket12_client_offer(t)->ticket,
			    ticket12_client_offer(t)->ticket_len);
			t->ticket12 = 1;
		}
		wr_end(&b, x, 2);
		offered |= hello_ext_bit(EXT_SESSION_TICKET);
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
		if (t->kx_publen > 0) {
			wr_u16(&b, t->group);
			wr_u16(&b, (unsigned)t->kx_publen);
			buf_append(&b, t->kx_pub, t->kx_publen);
		}
		wr_end(&b, y, 2);
		wr_end(&b, x, 2);
		offered |= hello_ext_bit(EXT_SUPPORTED_VERSIONS) |
		    hello_ext_bit(EXT_KEY_SHARE);
		if (t->cookie != NULL) {
			/* RFC 8446 4.2.2: echoed from the HelloRetryRequest */
			hello_ext_begin(&b, EXT_COOKIE, &x);
			wr_u16(&b, (unsigned)t->cookie_len);
			buf_append(&b, t->cookie, t->cookie_len);
			wr_end(&b, x, 2);
		}
		if (psk_client_ext(t, &b))
			offered |= hello_ext_bit(EXT_PSK_KEY_EXCHANGE_MODES) |
			    hello_ext_bit(EXT_PRE_SHARED_KEY);
	}
	wr_end(&b, m, 2);
	if (t->psk_offered)
		psk_client_bind(t, &b);
	t->ext_offered = offered;
	hs_send(t, HS_CLIENT_HELLO, b.data, b.len);
	buf_clear(&b);
}

/* Reads a ServerHello into sh; -1 after failing the connection. Every
 * extension must be one our ClientHello offered (RFC 5246 7.4.1.4, RFC
 * 8446 4.2), and none may repeat. */
int
hello_parse_sh(struct tls_engine *t, const uint8_t *body, size_t len,
    struct sh_info *sh, struct rd *exts)
{
	struct rd r, e, ks;
	unsigned type;
	uint32_t bit, seen = 0;

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
		if (exts->bad)
			break;
		bit = hello_ext_bit(type);
		if (!(t->ext_offered & bit))
			return engine_fail(t, TLS_ALERT_UNSUPPORTED_EXTENSION,
			    "ServerHello carries extension %u, which we did "
			    "not offer", type);
		if (seen & bit)
			return engine_fail(t, TLS_ALERT_ILLEGAL_PARAMETER,
			    "ServerHello repeats extension %u", type);
		seen |= bit;
		sh->exts = seen;
		switch (type) {
		case EXT_SUPPORTED_VERSIONS:
			sh->sv = rd_u16(&e);
			break;
		case EXT_KEY_SHARE:
			sh->group = rd_u16(&e);
			rd_vec(&e, 2, &ks);
			sh->share = ks.p;
			sh->share_len = ks.len;
			break;
		case EXT_EXTENDED_MASTER_SECRET:
			sh->ems = 1;
			break;
		case EXT_RENEGOTIATION_INFO:
			rd_vec(&e, 1, &ks);
			sh->reneg = ks.len != 0;
			break;
		case EXT_SESSION_TICKET:
			sh->ticket12 = 1;	/* empty */
			break;
		case EXT_PRE_SHARED_KEY:
			sh->has_psk = 1;
			sh->psk_sel = rd_u16(&e);
			break;
		case EXT_EC_POINT_FORMATS:
			sh->ecpf = 1;
			rd_bytes(&e, rd_left(&e));
			break;
		case EXT_RECORD_SIZE_LIMIT:
			if (rsl_read(t, &e, "ServerHello", &sh->rsl) == -1)
				return -1;
			break;
		default:
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

/* pre_shared_key (RFC 8446 4.2.11): identities and binders, as many of
 * each; we keep the first of each and where the binders begin. */
static int
hello_ch_psk(struct tls_engine *t, struct rd *e, struct ch_offer *o,
    const uint8_t *body)
{
	struct rd ids, binders, id, bd;
	size_t nid = 0, nbd = 0;

	rd_vec(e, 2, &ids);
	if (!e->bad)
		o->psk_trunc = (size_t)(e->p + e->pos - body);
	rd_vec(e, 2, &binders);
	while (rd_left(&ids) > 0 && !ids.bad) {
		rd_vec(&ids, 2, &id);
		rd_u16(&ids);
		rd_u16(&ids);
		if (nid++ == 0) {
			o->psk_id = id.p;
			o->psk_id_len = id.len;
		}
	}
	while (rd_left(&binders) > 0 && !binders.bad) {
		rd_vec(&binders, 1, &bd);
		if (nbd++ == 0) {
			o->psk_binder = bd.p;
			o->psk_binder_len = bd.len;
		}
	}
	if (ids.bad || binders.bad || !rd_done(e) || nid == 0 ||
	    o->psk_id_len == 0 || o->psk_binder_len < 32)
		return engine_fail(t, TLS_ALERT_DECODE_ERROR, "ClientHello: "
		    "bad pre_shared_key");
	if (nid != nbd)
		return engine_fail(t, TLS_ALERT_ILLEGAL_PARAMETER,
		    "ClientHello: pre_shared_key has %zu identities but %zu "
		    "binders", nid, nbd);
	o->has_psk = 1;
	return 0;
}

/* server_name (RFC 6066 3): a list of names, one host_name at most;
 * kept in t->sni in lower case (DNS names ignore case), for the tickets
 * that are bound to it. */
static int
hello_ch_sni(struct tls_engine *t, struct rd *e)
{
	struct rd l, n;
	unsigned type;
	size_t i;
	int seen = 0;

	rd_vec(e, 2, &l);
	while (rd_left(&l) > 0 && !l.bad) {
		type = rd_u8(&l);
		rd_vec(&l, 2, &n);
		if (l.bad || type != 0)
			continue;
		if (seen++ || n.len == 0 || n.len >= sizeof t->sni ||
		    memchr(n.p, 0, n.len) != NULL)
			return engine_fail(t, TLS_ALERT_DECODE_ERROR,
			    "ClientHello: bad server_name");
		for (i = 0; i < n.len; i++)
			t->sni[i] = (char)(n.p[i] >= 'A' && n.p[i] <= 'Z' ?
			    n.p[i] + 32 : n.p[i]);
		t->sni[n.len] = '\0';
	}
	if (l.bad || !rd_done(e) || l.len == 0)
		return engine_fail(t, TLS_ALERT_DECODE_ERROR, "ClientHello: "
		    "bad server_name");
	return 0;
}

static int
hello_ch_exts(struct tls_engine *t, struct rd *exts,
    struct ch_offer *o, const uint8_t *body)
{
	struct rd e, l, k;
	unsigned type, g;
	uint32_t seen = 0;
	const struct group_info *gi;
	int rank;

	while (rd_left(exts) > 0) {
		type = rd_u16(exts);
		rd_vec(exts, 2, &e);
		if (o->exts & hello_ext_bit(type))
			return engine_fail(t, TLS_ALERT_ILLEGAL_PARAMETER,
			    "ClientHello repeats extension %u", type);
		o->exts |= hello_ext_bit(type);
		if (type < 64) {
			if (seen & (UINT32_C(1) << (type & 31)) && type < 32)
				return engine_fail(t, TLS_ALERT_ILLEGAL_PARAMETER,
				    "ClientHello repeats extension %u", type);
			if (type < 32)
				seen |= UINT32_C(1) << type;
		}
		switch (type) {
		case EXT_SERVER_NAME:
			if (hello_ch_sni(t, &e) == -1)
				return -1;
			break;
		case EXT_RECORD_SIZE_LIMIT:
			if (rsl_read(t, &e, "ClientHello", &o->rsl) == -1)
				return -1;
			break;
		case EXT_EARLY_DATA:
			o->early_data = 1;
			break;
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
			o->sigs = sig_read(&l);
			break;
		case EXT_SESSION_TICKET:
			o->has_ticket12 = 1;
			o->ticket12 = e.p;
			o->ticket12_len = e.len;
			rd_bytes(&e, e.len);
			break;
		case EXT_PSK_KEY_EXCHANGE_MODES:
			rd_vec(&e, 1, &l);
			while (rd_left(&l) > 0)
				if (rd_u8(&l) == 1)
					o->psk_dhe = 1;
			break;
		case EXT_PRE_SHARED_KEY:
			/* RFC 8446 4.2.11: it must be the last extension */
			if (rd_left(exts) > 0)
				return engine_fail(t,
				    TLS_ALERT_ILLEGAL_PARAMETER, "ClientHello: "
				    "pre_shared_key is not the last extension");
			if (hello_ch_psk(t, &e, o, body) == -1)
				return -1;
			break;
		case EXT_EXTENDED_MASTER_SECRET:
			o->ems = 1;
			break;
		case EXT_RENEGOTIATION_INFO:
			rd_vec(&e, 1, &l);
			o->reneg = e.bad || l.len != 0;
			break;
		case EXT_SUPPORTED_GROUPS:
			o->has_groups = 1;
			rd_vec(&e, 2, &l);
			while (rd_left(&l) >= 2) {
				g = rd_u16(&l);
				/* our ECDSA key's curve (RFC 8422 5.1) */
				if (g == TLS_GROUP_SECP256R1)
					o->secp256r1 = 1;
				if ((rank = group_rank(t, g)) >= 0)
					o->groups |= UINT32_C(1) << rank;
			}
			break;
		case EXT_KEY_SHARE:
			rd_vec(&e, 2, &l);
			while (rd_left(&l) > 0 && !l.bad) {
				g = rd_u16(&l);
				rd_vec(&l, 2, &k);
				if (l.bad || (rank = group_rank(t, g)) < 0)
					continue;
				gi = group_find(g);
				/* RFC 8446 4.2.8: one share per group, each
				 * of its group's exact size. */
				if (o->share[rank] != NULL)
					return engine_fail(t,
					    TLS_ALERT_ILLEGAL_PARAMETER,
					    "ClientHello: two key shares for "
					    "%s", gi->name);
				if (k.len != gi->share_len)
					return engine_fail(t,
					    TLS_ALERT_ILLEGAL_PARAMETER,
					    "ClientHello: %s key share of %zu "
					    "bytes (want %zu)", gi->name, k.len,
					    gi->share_len);
				o->share[rank] = k.p;
				o->share_len[rank] = k.len;
			}
			if (l.bad || !rd_done(&e))
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
	t->sni[0] = '\0';
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

		if (su == SUITE_SCSV_RENEGOTIATION)
			o.scsv = 1;
		else if (suite_find(su) != NULL &&
		    o.nsuites < sizeof o.suites / sizeof o.suites[0])
			o.suites[o.nsuites++] = (uint16_t)su;
	}
	while (rd_left(&comps) > 0)
		if (rd_u8(&comps) == 0)
			nullcomp = 1;
	if (hello_ch_exts(t, &exts, &o, body) == -1)
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
