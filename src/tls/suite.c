/* suite.c — the cipher suites we speak, one table in the server's default
 * order of preference: for TLS 1.3 AES-128-GCM (the mandatory suite, and
 * the fastest with AES instructions), AES-256-GCM, ChaCha20-Poly1305 (for
 * clients without AES hardware, which put it first); TLS 1.2 ECDHE_ECDSA
 * and ECDHE_RSA in the same order (the server's certificate key decides
 * which of the two it can use), then RSA key transport last (no forward
 * secrecy). */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "tls/internal.h"

static const struct suite_info suite_table[] = {
	{ TLS_SUITE_AES128_GCM_SHA256, "TLS_AES_128_GCM_SHA256",
	    TLS_VERSION_13, KX_TLS13, AUTH_ANY, AEAD_AES_GCM, 16, 0, HASH_SHA256,
	    "AES-128-GCM" },
	{ TLS_SUITE_AES256_GCM_SHA384, "TLS_AES_256_GCM_SHA384",
	    TLS_VERSION_13, KX_TLS13, AUTH_ANY, AEAD_AES_GCM, 32, 0, HASH_SHA384,
	    "AES-256-GCM" },
	{ TLS_SUITE_CHACHA20_POLY1305_SHA256, "TLS_CHACHA20_POLY1305_SHA256",
	    TLS_VERSION_13, KX_TLS13, AUTH_ANY, AEAD_CHACHA20_POLY1305, 32, 0,
	    HASH_SHA256, "ChaCha20-Poly1305" },
	{ TLS_SUITE_ECDHE_ECDSA_AES128_GCM,
	    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", TLS_VERSION_12, KX_ECDHE,
	    AUTH_ECDSA, AEAD_AES_GCM, 16, 4, HASH_SHA256, "AES-128-GCM" },
	{ TLS_SUITE_ECDHE_ECDSA_AES256_GCM,
	    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", TLS_VERSION_12, KX_ECDHE,
	    AUTH_ECDSA, AEAD_AES_GCM, 32, 4, HASH_SHA384, "AES-256-GCM" },
	{ TLS_SUITE_ECDHE_ECDSA_CHACHA20,
	    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", TLS_VERSION_12,
	    KX_ECDHE, AUTH_ECDSA, AEAD_CHACHA20_POLY1305, 32, 12, HASH_SHA256,
	    "ChaCha20-Poly1305" },
	{ TLS_SUITE_ECDHE_RSA_AES128_GCM,
	    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", TLS_VERSION_12, KX_ECDHE,
	    AUTH_RSA, AEAD_AES_GCM, 16, 4, HASH_SHA256, "AES-128-GCM" },
	{ TLS_SUITE_ECDHE_RSA_AES256_GCM,
	    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", TLS_VERSION_12, KX_ECDHE,
	    AUTH_RSA, AEAD_AES_GCM, 32, 4, HASH_SHA384, "AES-256-GCM" },
	{ TLS_SUITE_ECDHE_RSA_CHACHA20,
	    "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", TLS_VERSION_12,
	    KX_ECDHE, AUTH_RSA, AEAD_CHACHA20_POLY1305, 32, 12, HASH_SHA256,
	    "ChaCha20-Poly1305" },
	{ TLS_SUITE_RSA_AES128_GCM, "TLS_RSA_WITH_AES_128_GCM_SHA256",
	    TLS_VERSION_12, KX_RSA, AUTH_RSA, AEAD_AES_GCM, 16, 4, HASH_SHA256,
	    "AES-128-GCM" },
};
#define NSUITES (sizeof suite_table / sizeof suite_table[0])

const struct suite_info *
suite_find(unsigned id)
{
	size_t i;

	for (i = 0; i < NSUITES; i++)
		if (suite_table[i].id == id)
			return &suite_table[i];
	return NULL;
}

/* A TLS 1.2 client lists supported_groups, and a server that honours
 * RFC 8422 5.1 then takes an ECDSA suite only with a certificate on a
 * listed curve: our ECDSA suites need secp256r1 among our groups (the
 * default list has it). The server side is tls12_server_choose. */
int
tls_config_ecdsa12_ok(const struct tls_config *c)
{
	size_t i;

	if (c->is_server || c->groups == NULL)
		return 1;
	for (i = 0; i < c->ngroups; i++)
		if (c->groups[i] == TLS_GROUP_SECP256R1)
			return 1;
	return 0;
}

/* The suites of configuration c for version, in its order. */
static size_t
suite_config_list(const struct tls_config *c, uint16_t version,
    const struct suite_info **out)
{
	const struct suite_info *s;
	size_t i, n = 0, count = c->suites != NULL ? c->nsuites : NSUITES;
	int ecdsa_ok = tls_config_ecdsa12_ok(c);

	for (i = 0; i < count && n < TLS_MAX_SUITES; i++) {
		s = c->suites != NULL ? suite_find(c->suites[i]) :
		    &suite_table[i];
		if (s == NULL || s->version != version)
			continue;
		if (version == TLS_VERSION_12 && c->tls12_suite != 0 &&
		    s->id != c->tls12_suite)
			continue;
		if ((c->kx12 == TLS_KX12_ECDHE && s->kx == KX_RSA) ||
		    (c->kx12 == TLS_KX12_RSA && s->kx == KX_ECDHE))
			continue;
		if (version == TLS_VERSION_12 && s->auth == AUTH_ECDSA &&
		    !ecdsa_ok)
			continue;
		out[n++] = s;
	}
	return n;
}

int
suite_auth_ok(const struct tls_engine *t, const struct suite_info *s)
{
	return s->auth == AUTH_ANY ||
	    (s->auth == AUTH_RSA && t->cfg->key != NULL) ||
	    (s->auth == AUTH_ECDSA && t->cfg->eckey != NULL);
}

size_t
suite_list(const struct tls_engine *t, uint16_t version,
    const struct suite_info **out)
{
	return suite_config_list(t->cfg, version, out);
}

size_t
tls_config_suites(const struct tls_config *c, uint16_t version)
{
	const struct suite_info *l[TLS_MAX_SUITES];

	return suite_config_list(c, version, l);
}

const char *
tls_suite_name(uint16_t id)
{
	const struct suite_info *s = suite_find(id);

	return s != NULL ? s->name : "(no cipher suite)";
}

/* A literal, not built from the table: no shared buffer for threads to
 * race on (tls-engine-test checks it names every suite). */
const char *
tls_suites_known(void)
{
	return "TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384, "
	    "TLS_CHACHA20_POLY1305_SHA256, "
	    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, "
	    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, "
	    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, "
	    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, "
	    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, "
	    "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, "
	    "TLS_RSA_WITH_AES_128_GCM_SHA256";
}

int
tls_suites_parse(const char *list, uint16_t *out, size_t max,
    struct err *e)
{
	char name[64];
	const char *p = list, *end;
	size_t n = 0, len, i, k;

	while (*p != '\0') {
		end = p + strcspn(p, ",:");
		len = (size_t)(end - p);
		for (i = 0; i < NSUITES; i++)
			if (strlen(suite_table[i].name) == len &&
			    strncasecmp(suite_table[i].name, p, len) == 0)
				break;
		snprintf(name, sizeof name, "%.*s", (int)(len < 60 ? len : 60),
		    p);
		if (i == NSUITES)
			return err_set(e, ERR_USAGE, "unknown cipher suite '%s' "
			    "(known: %s)", name, tls_suites_known());
		for (k = 0; k < n; k++)
			if (out[k] == suite_table[i].id)
				return err_set(e, ERR_USAGE, "cipher suite '%s' "
				    "named twice", name);
		if (n == max)
			return err_set(e, ERR_USAGE, "more than %zu cipher "
			    "suites", max);
		out[n++] = suite_table[i].id;
		p = *end != '\0' ? end + 1 : end;
	}
	if (n == 0)
		return err_set(e, ERR_USAGE, "empty cipher suite list");
	return (int)n;
}
