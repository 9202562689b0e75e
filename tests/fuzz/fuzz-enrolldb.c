/* fuzz-enrolldb.c — libFuzzer entry point for the enrollment store reader
 * (ca/NAME/enroll.yaml: tokens and the approval queue). */
#include <stddef.h>
#include <stdint.h>

#include "store/enrolldb.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct enrolldb db;
	struct err e;

	enrolldb_init(&db);
	(void)enrolldb_parse(&db, data, len, "fuzz", &e);
	enrolldb_clear(&db);
	return 0;
}
