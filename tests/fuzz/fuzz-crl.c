/* fuzz-crl.c — libFuzzer entry point for the CRL parser (DER and PEM),
 * its text rendering (`show`) and the look-ups revocation checking makes
 * (an entry under its certificateIssuer, the IDP's names). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "util/buf.h"
#include "x509/crl.h"
#include "x509/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct crl c, again;
	struct buf txt;
	struct err e;
	uint64_t n;
	size_t i;

	crl_init(&c);
	crl_init(&again);
	if (crl_parse(&c, data, len, &e) == 0) {
		(void)crl_number_u64(&c, &n);
		for (i = 0; i < c.n; i++) {
			(void)crl_find(&c, c.entries[i].serial,
			    c.entries[i].serial_len);
			if (c.entries[i].issuer >= 0 &&
			    (size_t)c.entries[i].issuer >= c.n_entry_issuers)
				abort();
			if (crl_find_issued(&c, c.entries[i].issuer >= 0 ?
			    &c.entry_issuers[c.entries[i].issuer] : &c.issuer,
			    c.entries[i].serial, c.entries[i].serial_len) ==
			    NULL && c.entries[i].issuer != -2)
				abort();
			(void)crl_reason_name(c.entries[i].reason);
		}
		if (c.has_idp)
			(void)crldp_points_match(&c.idp.dp, &c.issuer,
			    &c.idp.dp, &c.issuer);
		buf_init(&txt);
		text_crl(&txt, &c);
		buf_clear(&txt);
		/* Re-parse from the copy: the pointers must stay inside. */
		(void)crl_parse(&again, c.der, c.len, &e);
	}
	crl_clear(&c);
	(void)crl_load(&c, data, len, &e);
	crl_clear(&c);
	crl_clear(&again);
	return 0;
}
