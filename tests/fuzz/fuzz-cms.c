/* fuzz-cms.c — libFuzzer entry point for the CMS SignedData reader (DER and
 * PEM) and, when a message parses, the verification of each signer
 * (attached content, or "hello" as detached content, the seeds' text). */
#include <stddef.h>
#include <stdint.h>

#include "x509/cms.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static const uint8_t hello[] = "hello";
	struct cms_verify_params p = { 0 };
	struct verify_result steps;
	const struct cert *who;
	struct cms c, again;
	struct err e;
	size_t i;

	cms_init(&c);
	cms_init(&again);
	verify_result_init(&steps);
	if (cms_parse(&c, data, len, &e) == 0) {
		if (!c.has_content) {
			p.content = hello;
			p.content_len = sizeof hello - 1;
		}
		p.extra = &c.certs;
		p.steps = &steps;
		for (i = 0; i <= c.nsigners; i++)
			(void)cms_verify(&c, i, &p, &who, &e);
		/* Re-parse from the copy: the pointers must stay inside. */
		(void)cms_parse(&again, c.der, c.len, &e);
	}
	cms_clear(&c);
	(void)cms_load(&c, data, len, &e);
	cms_clear(&c);
	cms_clear(&again);
	verify_result_clear(&steps);
	return 0;
}
