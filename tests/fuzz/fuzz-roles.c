/* fuzz-roles.c — libFuzzer entry point for the registry of running roles
 * (run/KIND.PID.yaml). */
#include <stddef.h>
#include <stdint.h>

#include "store/roles.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct roles_entry r;
	struct err e;

	(void)roles_parse(&r, data, len, &e);
	return 0;
}
