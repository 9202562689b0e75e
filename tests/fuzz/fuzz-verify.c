/* fuzz-verify.c — libFuzzer entry point for path validation
 * (x509/verify.c: chain building, name chaining, signatures, host and IP
 * matching, the --at time parser) and revocation checking (crlcheck.c)
 * against the fixed trust anchors of fuzzpki.c.
 *
 * The input: one byte of flags (bits 0-1 the purpose, bit 2 crl_all),
 * then parts (fuzzparts.h): the leaf (PEM or DER; the first certificate
 * there), candidate intermediates (PEM, or one DER),
 * the host, the time ("2027-06-01", "@SECONDS"; else FUZZPKI_AT) and up
 * to three CRLs. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "util/buf.h"
#include "x509/crl.h"
#include "x509/verify.h"

#include "fuzzparts.h"
#include "fuzzpki.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define NCRL 3

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct fuzzpart part[4 + NCRL];
	struct cert_list leaf, untrusted;
	struct crl crls[NCRL];
	const struct crl *use[NCRL];
	struct verify_params vp = { 0 };
	struct verify_result res;
	char *host, *at, *why, when[32];
	struct buf out;
	struct err e;
	size_t i, k;

	if (len < 1 || len > 64 * 1024)
		return 0;
	fuzzparts_split(data + 1, len - 1, part, 4 + NCRL);
	cert_list_init(&leaf);
	cert_list_init(&untrusted);
	(void)cert_list_load(&leaf, part[0].p, part[0].n, &e);
	(void)cert_list_load(&untrusted, part[1].p, part[1].n, &e);
	host = fuzzparts_str(&part[2]);
	at = fuzzparts_str(&part[3]);
	vp.anchors = fuzzpki_anchors();
	vp.untrusted = &untrusted;
	vp.purpose = (enum verify_purpose)(data[0] & 3);
	vp.crl_all = (data[0] >> 2) & 1;
	vp.host = host;
	if (at == NULL || verify_parse_time(at, &vp.at, &e) == -1)
		vp.at = FUZZPKI_AT;
	verify_format_time(vp.at, when, sizeof when);
	for (i = k = 0; i < NCRL; i++) {
		crl_init(&crls[i]);
		if (crl_load(&crls[i], part[4 + i].p, part[4 + i].n, &e) == 0)
			use[k++] = &crls[i];
	}
	vp.crls = use;
	vp.ncrls = k;

	verify_result_init(&res);
	if (leaf.n > 0) {
		(void)verify_chain(&leaf.v[0], &vp, &res);
		buf_init(&out);
		verify_render(&out, &res);
		buf_clear(&out);
		if (host != NULL) {
			why = NULL;
			(void)verify_host(&leaf.v[0], host, &why);
			free(why);
		}
	}
	verify_result_clear(&res);
	for (i = 0; i < NCRL; i++)
		crl_clear(&crls[i]);
	cert_list_clear(&leaf);
	cert_list_clear(&untrusted);
	free(host);
	free(at);
	return 0;
}
