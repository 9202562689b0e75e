/* fuzz-crldp.c — libFuzzer entry point for issuingDistributionPoint and
 * CRLDistributionPoints (x509/crldp.h): the input parsed as an IDP and as
 * a CRLDistributionPoints value; an IDP that parses is matched against
 * itself with and without a base name (a relative name is built into a
 * DER Name then). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "x509/crldp.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct crldp_idp idp;
	struct dn base;
	struct err e;
	struct der d;
	char rs[200];

	if (len > 65536)
		return 0;
	memset(&idp, 0, sizeof idp);
	der_init(&d, data, len, &e);
	if (crldp_parse_idp(&d, &idp) == 0) {
		dn_init(&base);
		(void)dn_from_string(&base, "CN=Fuzz CA,O=Test", &e);
		(void)crldp_points_match(&idp.dp, &base, &idp.dp, &base);
		(void)crldp_points_match(&idp.dp, NULL, &idp.dp, &base);
		(void)crldp_point_in_names(&idp.dp, &base, &idp.dp.full);
		(void)crldp_names_have_dn(&idp.dp.full, &base);
		crldp_reasons_text(idp.dp.reasons, rs, sizeof rs);
		dn_clear(&base);
	}
	crldp_idp_clear(&idp);
	der_init(&d, data, len, &e);
	(void)crldp_check_points(&d);
	return 0;
}
