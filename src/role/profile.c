/* profile.c — the certificate profiles as one table; see profile.h. */
#include <string.h>

#include "role/profile.h"

static const struct profile profiles[PROFILE__COUNT] = {
	[PROFILE_SERVER] = {
		.id = PROFILE_SERVER,
		.name = "server",
		.summary = "TLS server: digitalSignature, keyEncipherment; "
		    "serverAuth; DNS and IP names",
		.ca = 0,
		.ku = KU_DIGITAL_SIGNATURE | KU_KEY_ENCIPHERMENT,
		.eku = { OID_KP_SERVER_AUTH },
		.neku = 1,
		.san_types = 1u << SAN_DNS | 1u << SAN_IP,
		.cn_as_dns = 1,
		.days = 365,
	},
	[PROFILE_CLIENT] = {
		.id = PROFILE_CLIENT,
		.name = "client",
		.summary = "TLS client: digitalSignature; clientAuth; email and "
		    "DNS names",
		.ca = 0,
		.ku = KU_DIGITAL_SIGNATURE,
		.eku = { OID_KP_CLIENT_AUTH },
		.neku = 1,
		.san_types = 1u << SAN_EMAIL | 1u << SAN_DNS,
		.cn_as_dns = 0,
		.days = 365,
	},
	[PROFILE_CA] = {
		.id = PROFILE_CA,
		.name = "ca",
		.summary = "subordinate CA: CA:TRUE; keyCertSign, cRLSign",
		.ca = 1,
		.ku = KU_KEY_CERT_SIGN | KU_CRL_SIGN,
		.neku = 0,
		.san_types = 0,
		.cn_as_dns = 0,
		.days = 1825,
	},
	[PROFILE_PEER] = {
		.id = PROFILE_PEER,
		.name = "peer",
		.summary = "client that also listens and exchanges messages: "
		    "digitalSignature, keyEncipherment; clientAuth, serverAuth, "
		    "emailProtection; email, DNS and IP names",
		.ca = 0,
		.ku = KU_DIGITAL_SIGNATURE | KU_KEY_ENCIPHERMENT,
		.eku = { OID_KP_CLIENT_AUTH, OID_KP_SERVER_AUTH,
		    OID_KP_EMAIL_PROTECTION },
		.neku = 3,
		.san_types = 1u << SAN_EMAIL | 1u << SAN_DNS | 1u << SAN_IP,
		.cn_as_dns = 0,
		.days = 365,
	},
};

const struct profile *
profile_get(enum profile_id id)
{
	if ((unsigned)id >= PROFILE__COUNT)
		return NULL;
	return &profiles[id];
}

const struct profile *
profile_find(const char *name)
{
	size_t i;

	for (i = 0; i < PROFILE__COUNT; i++)
		if (strcmp(profiles[i].name, name) == 0)
			return &profiles[i];
	return NULL;
}

const char *
profile_names(void)
{
	return "server, client, ca, peer";
}

/* A CN worth copying as a DNS name: one that --san would accept as such
 * (letters, digits, inner '-', a leading "*." wildcard label). */
static int
profile_hostlike(const char *s)
{
	struct san n;

	memset(&n, 0, sizeof n);
	n.type = SAN_DNS;
	n.value = (char *)s;
	return san_value_ok(&n);
}

void
profile_apply(const struct profile *p, const struct ext_info *req,
    const char *cn, struct ext_info *out, size_t *dropped)
{
	size_t i, nd = 0;
	int named = 0;

	out->has_bc = 1;
	out->bc_critical = 1;
	out->ca = p->ca;
	out->pathlen = -1;
	out->has_ku = 1;
	out->ku_critical = 1;
	out->ku = p->ku;
	out->has_eku = p->neku > 0;
	out->eku_critical = 0;
	for (i = 0; i < p->neku; i++)
		out->eku[i] = p->eku[i];
	out->neku = p->neku;

	if (req != NULL && req->has_san) {
		for (i = 0; i < req->san.n; i++) {
			const struct san *s = &req->san.v[i];

			/* A type the profile allows, and well formed: a
			 * request from another tool may hold any IA5String. */
			if (s->type > SAN_OTHER ||
			    !(p->san_types & 1u << s->type) ||
			    !san_value_ok(s)) {
				nd++;
				continue;
			}
			san_list_add(&out->san, s->type, s->value, s->ip,
			    s->iplen);
			if (s->type == SAN_DNS || s->type == SAN_IP)
				named = 1;
		}
	}
	if (p->cn_as_dns && !named && cn != NULL && profile_hostlike(cn))
		san_list_add(&out->san, SAN_DNS, cn, NULL, 0);
	out->has_san = out->san.n > 0;
	out->san_critical = 0;
	if (dropped != NULL)
		*dropped = nd;
}
