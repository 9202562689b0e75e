/* fuzz-tls-client.c — a TLS client engine fed arbitrary bytes as if from a
 * server: record layer, reassembly, ServerHello and HelloRetryRequest. The first
 * byte picks the size of the pieces the input is delivered in. */
#include <stddef.h>
#include <stdint.h>

#include "fuzztls.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	fuzztls_run(0, "fuzz", data, len);
	return 0;
}
