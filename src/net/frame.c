/* frame.c — the client message framing; see frame.h. */
#include <string.h>

#include "net/frame.h"

static int
frame_text_ok(const uint8_t *b, size_t n, struct err *e)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i] < 0x20 || b[i] == 0x7f)
			return err_set(e, ERR_INPUT, "frame: VERDICT: byte "
			    "0x%02x at offset %zu is not printable", b[i], i);
	return 0;
}

int
frame_parse(const uint8_t *b, size_t n, struct frame *f, size_t *used,
    struct err *e)
{
	uint32_t len;
	size_t max;
	const char *name;

	*used = 0;
	/* Check what is there of the header as soon as it is there. */
	if ((n >= 1 && b[0] != 'M') || (n >= 2 && b[1] != 'M'))
		return err_set(e, ERR_INPUT, "frame: bad magic 0x%02x%02x",
		    b[0], n >= 2 ? b[1] : 0);
	if (n >= 3 && b[2] != FRAME_VERSION)
		return err_set(e, ERR_INPUT, "frame: version %u (only %d)",
		    b[2], FRAME_VERSION);
	if (n < 4)
		return 0;
	switch (b[3]) {
	case FRAME_MSG:
		name = "MSG";
		max = FRAME_MAX_MSG;
		break;
	case FRAME_VERDICT:
		name = "VERDICT";
		max = FRAME_MAX_TEXT;
		break;
	default:
		return err_set(e, ERR_INPUT, "frame: unknown type 0x%02x",
		    b[3]);
	}
	if (n < FRAME_HDR)
		return 0;
	len = (uint32_t)b[4] << 24 | (uint32_t)b[5] << 16 |
	    (uint32_t)b[6] << 8 | b[7];
	if (len == 0)
		return err_set(e, ERR_INPUT, "frame: empty %s", name);
	if (len > max)
		return err_set(e, ERR_INPUT, "frame: %s of %lu bytes (at most "
		    "%zu)", name, (unsigned long)len, max);
	if (n - FRAME_HDR < len)
		return 0;
	if (b[3] == FRAME_VERDICT && frame_text_ok(b + FRAME_HDR, len, e)
	    == -1)
		return -1;
	f->type = (enum frame_type)b[3];
	f->body = b + FRAME_HDR;
	f->len = len;
	*used = FRAME_HDR + len;
	return 1;
}

void
frame_put(struct buf *out, enum frame_type type, const void *body,
    size_t len)
{
	uint8_t h[FRAME_HDR];

	h[0] = 'M';
	h[1] = 'M';
	h[2] = FRAME_VERSION;
	h[3] = (uint8_t)type;
	h[4] = (uint8_t)(len >> 24);
	h[5] = (uint8_t)(len >> 16);
	h[6] = (uint8_t)(len >> 8);
	h[7] = (uint8_t)len;
	buf_append(out, h, sizeof h);
	buf_append(out, body, len);
}
