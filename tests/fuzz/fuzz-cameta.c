/* fuzz-cameta.c — libFuzzer entry point for a CA's metadata file,
 * ca/NAME/ca.yaml (store/cadb.c: cadb_meta_parse, what cadb_meta_load
 * reads the file with). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "store/cadb.h"
#include "store/ws.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct cadb_meta m;
	struct err e;
	size_t i;

	if (len > 64 * 1024)
		return 0;
	cadb_meta_init(&m);
	if (cadb_meta_parse(data, len, "ca/fuzz/ca.yaml", &m, &e) == 0) {
		/* What loads names a keystore the workspace can open. */
		if (m.name == NULL || m.keystore == NULL ||
		    ws_check_name(m.keystore, NULL) != 0)
			abort();
		/* Every profile entry is named and has its policies. */
		if (m.npp > CADB_PROFPOL_MAX)
			abort();
		for (i = 0; i < m.npp; i++)
			if (!cadb_profile_name_ok(m.pp[i].profile) ||
			    m.pp[i].policies == NULL)
				abort();
	} else if (m.name != NULL || m.keystore != NULL || m.npp != 0)
		abort();
	cadb_meta_clear(&m);
	return 0;
}
