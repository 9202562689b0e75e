/* group.c — the key exchange groups: x25519 (RFC 7748) and secp256r1
 * (RFC 8446 4.2.8.2, uncompressed points), in our default order of
 * preference (x25519 first: fastest, and what every client sends a share
 * for). The same shares serve TLS 1.3 key_share and TLS 1.2 ECDHE. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "crypto/ecdh256.h"
#include "crypto/x25519.h"
#include "tls/internal.h"

static int
group_x25519_shared(const uint8_t *priv, const uint8_t *peer, size_t len,
    uint8_t *out, struct err *e)
{
	(void)len;	/* checked by group_shared */
	return x25519_shared(priv, peer, out, e);
}

static const struct group_info group_table[] = {
	{ TLS_GROUP_X25519, "x25519", X25519_SIZE, X25519_SIZE,
	    x25519_keygen, group_x25519_shared },
	{ TLS_GROUP_SECP256R1, "secp256r1", ECDH256_PUB_SIZE,
	    ECDH256_SHARED_SIZE, ecdh256_keygen, ecdh256_shared },
};
#define NGROUPS (sizeof group_table / sizeof group_table[0])

/* Other spellings users type (OpenSSL's). */
static const struct {
	const char *alias;
	uint16_t id;
} group_aliases[] = {
	{ "X25519", TLS_GROUP_X25519 },
	{ "P-256", TLS_GROUP_SECP256R1 },
	{ "prime256v1", TLS_GROUP_SECP256R1 },
};

const struct group_info *
group_find(unsigned id)
{
	size_t i;

	for (i = 0; i < NGROUPS; i++)
		if (group_table[i].id == id)
			return &group_table[i];
	return NULL;
}

size_t
group_list(const struct tls_engine *t, const struct group_info **out)
{
	const struct tls_config *c = t->cfg;
	const struct group_info *g;
	size_t i, n = 0, count = c->groups != NULL ? c->ngroups : NGROUPS;

	for (i = 0; i < count && n < TLS_MAX_GROUPS; i++) {
		g = c->groups != NULL ? group_find(c->groups[i]) :
		    &group_table[i];
		if (g != NULL)
			out[n++] = g;
	}
	return n;
}

int
group_rank(const struct tls_engine *t, unsigned id)
{
	const struct group_info *l[TLS_MAX_GROUPS];
	size_t i, n = group_list(t, l);

	for (i = 0; i < n; i++)
		if (l[i]->id == id)
			return (int)i;
	return -1;
}

void
group_keygen(struct tls_engine *t, const struct group_info *g)
{
	g->keygen(t->kx_priv, t->kx_pub);
	t->kx_publen = g->share_len;
	t->group = g->id;
}

int
group_shared(struct tls_engine *t, const uint8_t *peer, size_t len,
    uint8_t *secret, const char *what)
{
	const struct group_info *g = group_find(t->group);
	struct err e;
	int rc;

	if (g == NULL)
		return engine_fail(t, TLS_ALERT_INTERNAL_ERROR, "%s: no key "
		    "exchange group chosen", what);
	/* RFC 8446 4.2.8.2 / RFC 7748: a share of the wrong size for its
	 * group is an illegal parameter, not a decoding error. */
	if (len != g->share_len) {
		explicit_bzero(t->kx_priv, sizeof t->kx_priv);
		return engine_fail(t, TLS_ALERT_ILLEGAL_PARAMETER, "%s: %s key "
		    "share of %zu bytes (want %zu)", what, g->name, len,
		    g->share_len);
	}
	err_clear(&e);
	rc = g->shared(t->kx_priv, peer, len, secret, &e);
	explicit_bzero(t->kx_priv, sizeof t->kx_priv);
	if (rc == -1)
		return engine_fail(t, TLS_ALERT_ILLEGAL_PARAMETER, "%s: %s",
		    what, e.msg);
	return 0;
}

const char *
tls_group_name(uint16_t id)
{
	const struct group_info *g = group_find(id);

	return g != NULL ? g->name : "(no group)";
}

uint16_t
tls_engine_group(const struct tls_engine *t)
{
	return t->group;
}

const char *
tls_groups_known(void)
{
	return "x25519, secp256r1 (also P-256, prime256v1)";
}

int
tls_groups_parse(const char *list, uint16_t *out, size_t max,
    struct err *e)
{
	char name[64];
	const char *p = list, *end;
	size_t n = 0, len, i, k;
	unsigned id;

	while (*p != '\0') {
		end = p + strcspn(p, ",:");
		len = (size_t)(end - p);
		snprintf(name, sizeof name, "%.*s", (int)(len < 60 ? len : 60),
		    p);
		id = 0;
		for (i = 0; i < NGROUPS; i++)
			if (strlen(group_table[i].name) == len &&
			    strncasecmp(group_table[i].name, p, len) == 0)
				id = group_table[i].id;
		for (i = 0; i < sizeof group_aliases / sizeof group_aliases[0];
		    i++)
			if (strlen(group_aliases[i].alias) == len &&
			    strncasecmp(group_aliases[i].alias, p, len) == 0)
				id = group_aliases[i].id;
		if (id == 0)
			return err_set(e, ERR_USAGE, "unknown group '%s' "
			    "(known: %s)", name, tls_groups_known());
		for (k = 0; k < n; k++)
			if (out[k] == id)
				return err_set(e, ERR_USAGE, "group '%s' named "
				    "twice", name);
		if (n == max)
			return err_set(e, ERR_USAGE, "more than %zu groups",
			    max);
		out[n++] = (uint16_t)id;
		p = *end != '\0' ? end + 1 : end;
	}
	if (n == 0)
		return err_set(e, ERR_USAGE, "empty group list");
	return (int)n;
}
