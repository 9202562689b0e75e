/* fuzz-audit.c — libFuzzer entry point for the audit log reader. */
#include <stddef.h>
#include <stdint.h>

#include "store/audit.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct audit_log l;
	struct err e;

	audit_log_init(&l);
	(void)audit_parse(data, len, "fuzz", &l, &e);
	audit_log_clear(&l);
	return 0;
}
