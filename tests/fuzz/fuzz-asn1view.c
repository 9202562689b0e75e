/* fuzz-asn1view.c — libFuzzer entry point for the TUI's ASN.1 tree
 * (tui/asn1view.c: asn1view_flatten and the tag names), without ncurses:
 * every node shown must lie inside the input. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "tui/ui.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct asn1_node *nodes = NULL;
	size_t n, i;

	if (len > 256 * 1024)
		return 0;
	n = asn1view_flatten(data, len, &nodes);
	for (i = 0; i < n; i++) {
		if (nodes[i].off > len || nodes[i].hdrlen > len - nodes[i].off ||
		    nodes[i].len > len - nodes[i].off - nodes[i].hdrlen)
			abort();
		(void)asn1view_tag_name(nodes[i].tag);
	}
	free(nodes);
	return 0;
}
