/* fuzz-crlcheck.c — libFuzzer entry point for revocation checking
 * (x509/crlcheck.c): the fixed valid path of fuzzpki.c (fuzz.example,
 * Fuzz Intermediate, Fuzz Root) checked against the CRLs of the input.
 *
 * The input: one byte of flags (bit 0 crl_all, bit 1 the whole
 * verify_chain), then up to four CRLs (PEM or DER) separated as in
 * fuzzparts.h.
 *
 * The path is fixed, so everything verify_chain does before the
 * revocation check (chain search, signatures, the path, name and policy
 * checks) is the same for every input and was most of each run's time.
 * Unless bit 1 is set, the target checks once that the path validates and
 * then calls crlcheck_path on it, as verify.c's check_path does after
 * those checks; bit 1 runs the whole verify_chain, so a mismatch between
 * the two would still be reachable. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "util/buf.h"
#include "x509/crl.h"
#include "x509/crlcheck.h"
#include "x509/verify.h"

#include "fuzzparts.h"
#include "fuzzpki.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define NCRL 4

/* The fixed path (leaf, Fuzz Intermediate, Fuzz Root), validated once. */
static const struct cert *path[3];

static void
path_setup(const struct verify_params *base)
{
	const struct cert_list *chain = fuzzpki_chain();
	const struct cert_list *anchors = fuzzpki_anchors();
	struct verify_params vp = *base;
	struct verify_result res;

	vp.crls = NULL;
	vp.crl_names = NULL;
	vp.ncrls = 0;
	vp.crl_all = 0;
	verify_result_init(&res);
	if (verify_chain(&chain->v[0], &vp, &res) != 0 ||
	    res.chain_len != 3 || res.chain[1] != &chain->v[1] ||
	    res.chain[2] != &anchors->v[2])
		abort();	/* the fixture no longer validates: a bug */
	verify_result_clear(&res);
	path[0] = &chain->v[0];
	path[1] = &chain->v[1];
	path[2] = &anchors->v[2];
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static const char *const names[NCRL] = { "a.crl", "b.crl", "c.crl",
	    "d.crl" };
	const struct cert_list *chain = fuzzpki_chain();
	struct cert_list untrusted;
	struct fuzzpart part[NCRL];
	struct crl crls[NCRL];
	const struct crl *use[NCRL];
	const char *usenames[NCRL];
	struct verify_params vp = { 0 };
	struct verify_result res;
	struct buf out;
	struct err e;
	size_t i, k;

	if (len < 1 || len > 64 * 1024)
		return 0;
	fuzzparts_split(data + 1, len - 1, part, NCRL);
	for (i = k = 0; i < NCRL; i++) {
		crl_init(&crls[i]);
		if (crl_load(&crls[i], part[i].p, part[i].n, &e) == 0) {
			usenames[k] = names[i];
			use[k++] = &crls[i];
		}
	}
	/* The intermediate as the one candidate (borrowed, not owned). */
	untrusted.v = chain->v + 1;
	untrusted.n = 1;
	vp.anchors = fuzzpki_anchors();
	vp.untrusted = &untrusted;
	vp.purpose = VERIFY_PURPOSE_SERVER;
	vp.at = FUZZPKI_AT;
	vp.crls = use;
	vp.crl_names = usenames;
	vp.ncrls = k;
	vp.crl_all = data[0] & 1;
	verify_result_init(&res);
	if (data[0] & 2)
		(void)verify_chain(&chain->v[0], &vp, &res);
	else {
		if (path[0] == NULL)
			path_setup(&vp);
		crlcheck_path(&vp, path, 3, &res);
	}
	buf_init(&out);
	verify_render(&out, &res);
	buf_clear(&out);
	verify_result_clear(&res);
	for (i = 0; i < NCRL; i++)
		crl_clear(&crls[i]);
	return 0;
}
