/* fuzz-tls-server.c — a TLS server engine fed arbitrary bytes as if from a
 * client: record layer, reassembly and the ClientHello parser. The first
 * byte picks the size of the pieces the input is delivered in. */
#include <stddef.h>
#include <stdint.h>

#include "fuzztls.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	fuzztls_run(1, NULL, data, len);
	return 0;
}
