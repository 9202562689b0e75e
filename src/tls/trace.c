/* trace.c — a readable decode of each handshake message and the key
 * schedule steps, one line at a time to the configured callback. Public
 * values only: randoms, suites, extensions, subjects, key shares. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/hex.h"
#include "tls/internal.h"
#include "x509/cert.h"

struct name {
	unsigned code;
	const char *name;
};

static const struct name hs_names[] = {
	{ HS_CLIENT_HELLO, "ClientHello" },
	{ HS_SERVER_HELLO, "ServerHello" },
	{ HS_NEW_SESSION_TICKET, "NewSessionTicket" },
	{ HS_END_OF_EARLY_DATA, "EndOfEarlyData" },
	{ HS_ENCRYPTED_EXTENSIONS, "EncryptedExtensions" },
	{ HS_CERTIFICATE, "Certificate" },
	{ HS_SERVER_KEY_EXCHANGE, "ServerKeyExchange" },
	{ HS_CERTIFICATE_REQUEST, "CertificateRequest" },
	{ HS_SERVER_HELLO_DONE, "ServerHelloDone" },
	{ HS_CERTIFICATE_VERIFY, "CertificateVerify" },
	{ HS_CLIENT_KEY_EXCHANGE, "ClientKeyExchange" },
	{ HS_FINISHED, "Finished" },
	{ HS_KEY_UPDATE, "KeyUpdate" },
	{ 0, NULL },
};

static const struct name ext_names[] = {
	{ EXT_SERVER_NAME, "server_name" },
	{ EXT_SUPPORTED_GROUPS, "supported_groups" },
	{ EXT_EC_POINT_FORMATS, "ec_point_formats" },
	{ EXT_SIGNATURE_ALGORITHMS, "signature_algorithms" },
	{ EXT_ALPN, "alpn" },
	{ 22, "encrypt_then_mac" },
	{ EXT_EXTENDED_MASTER_SECRET, "extended_master_secret" },
	{ EXT_RECORD_SIZE_LIMIT, "record_size_limit" },
	{ EXT_SESSION_TICKET, "session_ticket" },
	{ 41, "pre_shared_key" },
	{ 42, "early_data" },
	{ EXT_SUPPORTED_VERSIONS, "supported_versions" },
	{ EXT_COOKIE, "cookie" },
	{ EXT_PSK_KEY_EXCHANGE_MODES, "psk_key_exchange_modes" },
	{ 49, "post_handshake_auth" },
	{ EXT_SIGNATURE_ALGORITHMS_CERT, "signature_algorithms_cert" },
	{ EXT_KEY_SHARE, "key_share" },
	{ EXT_RENEGOTIATION_INFO, "renegotiation_info" },
	{ 0, NULL },
};

static const struct name suite_names[] = {
	{ 0x1301, "TLS_AES_128_GCM_SHA256" },
	{ 0x1302, "TLS_AES_256_GCM_SHA384" },
	{ 0x1303, "TLS_CHACHA20_POLY1305_SHA256" },
	{ 0xc02f, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256" },
	{ 0xc030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384" },
	{ 0xcca8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256" },
	{ 0xcca9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256" },
	{ 0xc02c, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384" },
	{ 0xc02b, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256" },
	{ 0x009c, "TLS_RSA_WITH_AES_128_GCM_SHA256" },
	{ 0x00ff, "TLS_EMPTY_RENEGOTIATION_INFO_SCSV" },
	{ 0, NULL },
};

static const struct name group_names[] = {
	{ 0x001d, "x25519" },
	{ 0x001e, "x448" },
	{ 0x0017, "secp256r1" },
	{ 0x0018, "secp384r1" },
	{ 0x0019, "secp521r1" },
	{ 0x0100, "ffdhe2048" },
	{ 0, NULL },
};

static const struct name sig_names[] = {
	{ 0x0804, "rsa_pss_rsae_sha256" },
	{ 0x0805, "rsa_pss_rsae_sha384" },
	{ 0x0806, "rsa_pss_rsae_sha512" },
	{ 0x0809, "rsa_pss_pss_sha256" },
	{ 0x0401, "rsa_pkcs1_sha256" },
	{ 0x0501, "rsa_pkcs1_sha384" },
	{ 0x0601, "rsa_pkcs1_sha512" },
	{ 0x0403, "ecdsa_secp256r1_sha256" },
	{ 0x0807, "ed25519" },
	{ 0, NULL },
};

static const char *
lookup(const struct name *t, unsigned code)
{
	for (; t->name != NULL; t++)
		if (t->code == code)
			return t->name;
	return NULL;
}

const char *
trace_hs_name(int type)
{
	const char *n = lookup(hs_names, (unsigned)type);

	return n != NULL ? n : "unknown handshake";
}

const char *
trace_ext_name(unsigned type)
{
	return lookup(ext_names, type);
}

int
trace_on(const struct tls_engine *t)
{
	return t->cfg->trace != NULL;
}

void
trace_printf(struct tls_engine *t, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	if (t->cfg->trace == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	t->cfg->trace(t->cfg->cb_ctx, line);
}

/* Appends "name (0xNNNN)" items of a u16 list. */
static void
trace_list16(struct buf *out, struct rd *r, const struct name *names)
{
	unsigned v;
	const char *n;

	while (rd_left(r) >= 2) {
		v = rd_u16(r);
		n = lookup(names, v);
		if (n != NULL)
			buf_printf(out, " %s", n);
		else
			buf_printf(out, " 0x%04x", v);
	}
}

static void
trace_exts(struct tls_engine *t, struct rd *exts, int type)
{
	struct rd e, l, k;
	struct buf b;
	unsigned et, g;
	const char *n;

	buf_init(&b);
	while (rd_left(exts) >= 4) {
		et = rd_u16(exts);
		rd_vec(exts, 2, &e);
		b.len = 0;
		n = lookup(ext_names, et);
		if (n != NULL)
			buf_printf(&b, "    extension %s:", n);
		else
			buf_printf(&b, "    extension %u:", et);
		switch (et) {
		case EXT_RECORD_SIZE_LIMIT:
			buf_printf(&b, " %u", rd_u16(&e));
			break;
		case EXT_SERVER_NAME:
			rd_vec(&e, 2, &l);
			if (rd_u8(&l) == 0) {
				rd_vec(&l, 2, &k);
				if (!k.bad)
					buf_printf(&b, " %.*s", (int)k.len,
					    (const char *)k.p);
			}
			break;
		case EXT_SUPPORTED_GROUPS:
			rd_vec(&e, 2, &l);
			trace_list16(&b, &l, group_names);
			break;
		case EXT_SIGNATURE_ALGORITHMS:
		case EXT_SIGNATURE_ALGORITHMS_CERT:
			rd_vec(&e, 2, &l);
			trace_list16(&b, &l, sig_names);
			break;
		case EXT_SUPPORTED_VERSIONS:
			if (type == HS_CLIENT_HELLO) {
				rd_vec(&e, 1, &l);
				while (rd_left(&l) >= 2)
					buf_printf(&b, " 0x%04x", rd_u16(&l));
			} else
				buf_printf(&b, " 0x%04x", rd_u16(&e));
			break;
		case EXT_KEY_SHARE:
			if (type == HS_CLIENT_HELLO)
				rd_vec(&e, 2, &l);
			else
				l = e;
			while (rd_left(&l) >= 2) {
				g = rd_u16(&l);
				n = lookup(group_names, g);
				buf_printf(&b, " %s", n != NULL ? n : "?");
				if (rd_left(&l) == 0)
					break;	/* HelloRetryRequest */
				rd_vec(&l, 2, &k);
				buf_printf(&b, " (%zu bytes: ", k.len);
				hex_put(&b, k.p, k.len > 8 ? 8 : k.len);
				buf_printf(&b, "%s)", k.len > 8 ? "..." : "");
			}
			break;
		default:
			buf_printf(&b, " %zu bytes", e.len);
		}
		trace_printf(t, "%s", (const char *)b.data);
	}
	buf_clear(&b);
}

static void
trace_hello(struct tls_engine *t, int type, struct rd *r)
{
	struct rd sid, l, exts;
	struct buf b;
	const uint8_t *rnd;
	unsigned v;
	const char *n;

	buf_init(&b);
	v = rd_u16(r);
	rnd = rd_bytes(r, 32);
	rd_vec(r, 1, &sid);
	if (rnd == NULL)
		goto out;
	trace_printf(t, "    legacy_version 0x%04x", v);
	hex_put(&b, rnd, 32);
	trace_printf(t, "    random %s", (const char *)b.data);
	trace_printf(t, "    session_id %zu bytes", sid.len);
	b.len = 0;
	if (type == HS_CLIENT_HELLO) {
		rd_vec(r, 2, &l);
		buf_puts(&b, "    cipher suites offered:");
		trace_list16(&b, &l, suite_names);
		trace_printf(t, "%s", (const char *)b.data);
		rd_vec(r, 1, &l);
	} else {
		v = rd_u16(r);
		n = lookup(suite_names, v);
		trace_printf(t, "    cipher suite chosen: %s (0x%04x)",
		    n != NULL ? n : "?", v);
		rd_u8(r);
	}
	if (rd_left(r) > 0) {
		rd_vec(r, 2, &exts);
		trace_exts(t, &exts, type);
	}
out:
	buf_clear(&b);
}

static void
trace_certificate(struct tls_engine *t, struct rd *r)
{
	struct rd ctx, list, ent, ext;
	struct cert c;
	struct err e;
	size_t i = 0;
	char *s;
	int v12 = t->version == TLS_VERSION_12;

	if (!v12)
		rd_vec(r, 1, &ctx);
	rd_vec(r, 3, &list);
	while (rd_left(&list) > 0 && !list.bad) {
		rd_vec(&list, 3, &ent);
		if (!v12)
			rd_vec(&list, 2, &ext);
		if (list.bad)
			break;
		cert_init(&c);
		if (cert_parse(&c, ent.p, ent.len, &e) == 0) {
			s = dn_to_string(&c.subject);
			trace_printf(t, "    [%zu] subject %s (%zu bytes)", i, s,
			    ent.len);
			free(s);
			s = dn_to_string(&c.issuer);
			trace_printf(t, "        issuer %s", s);
			free(s);
		} else
			trace_printf(t, "    [%zu] unparsable certificate (%zu "
			    "bytes)", i, ent.len);
		cert_clear(&c);
		i++;
	}
	if (i == 0)
		trace_printf(t, "    no certificate");
}

void
trace_message(struct tls_engine *t, int sent, const uint8_t *msg, size_t len)
{
	struct rd r, l;
	int type = msg[0];
	unsigned v;
	const char *n;

	trace_printf(t, "%s %s (%zu bytes)", sent ? ">" : "<",
	    type == HS_SERVER_HELLO && len >= 38 && msg[6] == 0xcf &&
	    msg[7] == 0x21 ? "HelloRetryRequest" : trace_hs_name(type),
	    len - 4);
	rd_init(&r, msg + 4, len - 4);
	switch (type) {
	case HS_CLIENT_HELLO:
	case HS_SERVER_HELLO:
		trace_hello(t, type, &r);
		break;
	case HS_ENCRYPTED_EXTENSIONS:
		rd_vec(&r, 2, &l);
		trace_exts(t, &l, type);
		break;
	case HS_CERTIFICATE_REQUEST:
		rd_vec(&r, 1, &l);
		rd_vec(&r, 2, &l);
		if (t->version == TLS_VERSION_12) {
			struct buf b;

			buf_init(&b);
			buf_puts(&b, "    signature algorithms:");
			trace_list16(&b, &l, sig_names);
			trace_printf(t, "%s", (const char *)b.data);
			buf_clear(&b);
			rd_vec(&r, 2, &l);
			trace_printf(t, "    certificate authorities: %zu bytes "
			    "of names", l.len);
		} else
			trace_exts(t, &l, type);
		break;
	case HS_SERVER_KEY_EXCHANGE:
		rd_u8(&r);
		v = rd_u16(&r);
		rd_vec(&r, 1, &l);
		n = lookup(group_names, v);
		{
			struct buf b;

			buf_init(&b);
			hex_put(&b, l.p, l.len > 8 ? 8 : l.len);
			trace_printf(t, "    ECDHE key share: %s, %zu bytes "
			    "(%s...)", n != NULL ? n : "?", l.len,
			    b.len > 0 ? (const char *)b.data : "");
			buf_clear(&b);
		}
		v = rd_u16(&r);
		rd_vec(&r, 2, &l);
		n = lookup(sig_names, v);
		trace_printf(t, "    signed with %s (0x%04x), %zu bytes",
		    n != NULL ? n : "?", v, l.len);
		break;
	case HS_CLIENT_KEY_EXCHANGE:
		trace_printf(t, "    %s%s%s, %zu bytes",
		    t->su != NULL && t->su->kx == KX_RSA ? "premaster secret "
		    "encrypted to the server's RSA key" : "client's ",
		    t->su != NULL && t->su->kx == KX_RSA ? "" :
		    tls_group_name(t->group), t->su != NULL &&
		    t->su->kx == KX_RSA ? "" : " key share", len - 4);
		break;
	case HS_CERTIFICATE:
		trace_certificate(t, &r);
		break;
	case HS_CERTIFICATE_VERIFY:
		v = rd_u16(&r);
		rd_vec(&r, 2, &l);
		n = lookup(sig_names, v);
		trace_printf(t, "    signature %s (0x%04x), %zu bytes",
		    n != NULL ? n : "?", v, l.len);
		break;
	case HS_FINISHED:
		trace_printf(t, "    verify_data %zu bytes (%s over the "
		    "transcript)", len - 4, t->version == TLS_VERSION_12 ?
		    "PRF" : "HMAC");
		break;
	case HS_KEY_UPDATE:
		v = rd_u8(&r);
		trace_printf(t, "    request_update %s", v == 1 ?
		    "update_requested" : "update_not_requested");
		break;
	case HS_NEW_SESSION_TICKET:
		{
			uint32_t life = (uint32_t)rd_u16(&r) << 16;

			life |= rd_u16(&r);
			trace_printf(t, "    ticket lifetime %u s", (unsigned)life);
		}
		break;
	}
}
