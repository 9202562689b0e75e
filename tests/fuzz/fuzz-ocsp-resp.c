/* fuzz-ocsp-resp.c — libFuzzer entry point for the OCSP response reader and
 * checker: a response that parses is checked for its first answer, with
 * its own first certificate as the issuer when it carries one (so the
 * responder-ID, delegate and signature paths run), and parsed again from
 * its copy. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "x509/ocsp.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct ocsp_resp r, again;
	struct ocsp_check_params p;
	struct ocsp_result res;
	struct verify_result st;
	struct err e;

	ocsp_resp_init(&r);
	ocsp_resp_init(&again);
	verify_result_init(&st);
	if (ocsp_resp_parse(&r, data, len, &e) == 0) {
		(void)ocsp_resp_status_name(r.status);
		if (r.n > 0 && r.certs.n > 0) {
			p.issuer = &r.certs.v[0];
			p.id = &r.v[0].id;
			p.nonce = &r.nonce;
			p.now = r.produced_at;
			p.skew = 300;
			p.max_age = 3600;
			if (ocsp_resp_check(&r, &p, &res, &st, &e) == 0)
				(void)ocsp_cert_status_name(res.status);
		}
		if (ocsp_resp_parse(&again, r.der, r.len, &e) == -1)
			abort();
	}
	verify_result_clear(&st);
	ocsp_resp_clear(&r);
	ocsp_resp_clear(&again);
	return 0;
}
