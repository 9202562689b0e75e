/* fuzz-journal.c — libFuzzer entry point for the batch journal reader
 * (store/journal.h): the records of ca/NAME/journal, read at every
 * writer's open and at `ca serve` start. */
#include <stddef.h>
#include <stdint.h>

#include "store/journal.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct journal_log l;
	struct err e;
	uint64_t sum = 0;
	size_t i;

	journal_log_init(&l);
	if (journal_parse(data, len, "fuzz", &l, &e) == 0) {
		/* Every part lies inside the input. */
		for (i = 0; i < l.n; i++) {
			if (l.v[i].data < data ||
			    l.v[i].data + l.v[i].len > data + len ||
			    l.v[i].file < JOURNAL_CERTS ||
			    l.v[i].file > JOURNAL_AUDIT)
				__builtin_trap();
			sum += l.v[i].data[l.v[i].len - 1];
		}
		if (l.valid_end > len)
			__builtin_trap();
	}
	journal_log_clear(&l);
	return (int)(sum & 0);
}
