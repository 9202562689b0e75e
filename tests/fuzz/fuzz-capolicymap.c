/* fuzz-capolicymap.c — libFuzzer entry point for the command-line form of
 * `ca init --policy LIST --policy-map MAPS`: the input is LIST, a newline,
 * MAPS. What is accepted must read back as a policyMappings without
 * anyPolicy, and a CA with these policies and mappings must accept, for
 * what it signs, the subject-domain policies it passes on by itself. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "asn1/der.h"
#include "role/capolicy.h"
#include "x509/polext.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct capolicy p;
	struct cert issuer;
	struct ext_info t;
	struct pol_info *info;
	struct der d;
	struct err e;
	char *s, *nl;
	size_t i;

	if (len > 4096)
		return 0;
	s = malloc(len + 1);
	info = malloc(sizeof *info);
	if (s == NULL || info == NULL) {
		free(s);
		free(info);
		return 0;
	}
	memcpy(s, data, len);
	s[len] = '\0';
	capolicy_init(&p);
	p.policies = s;
	if ((nl = strchr(s, '\n')) != NULL) {
		*nl = '\0';
		p.mappings = nl + 1;
	}
	cert_init(&issuer);
	ext_info_init(&t);
	if (capolicy_set(&issuer.ext, &p, &e) == 0 && p.mappings != NULL) {
		pol_info_init(info);
		der_init(&d, issuer.ext.polmap, issuer.ext.polmap_len, &e);
		if (polext_parse_mappings(&d, info) != 0 || info->nmaps == 0)
			abort();
		for (i = 0; i < info->nmaps; i++)
			if (pol_oid_is_any(&info->maps[i].issuer) ||
			    pol_oid_is_any(&info->maps[i].subject))
				abort();
		/* Its own subject domain, given back, is within itself. */
		if (capolicy_apply(&issuer, &t, &e) != 0 || t.pol_len == 0 ||
		    capolicy_apply(&issuer, &t, &e) != 0)
			abort();
	}
	ext_info_clear(&t);
	cert_clear(&issuer);
	free(info);
	free(s);
	return 0;
}
