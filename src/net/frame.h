/* frame.h — the message framing of `client send` / `client listen`, on top
 * of their mutual-TLS stream (documented in man/minipki.1, CLIENT
 * MESSAGES).
 *
 * Every frame is an 8-byte header and a body:
 *
 *	offset 0  2 bytes  magic "MM"
 *	       2  1 byte   version, FRAME_VERSION (1)
 *	       3  1 byte   type
 *	       4  4 bytes  body length, big-endian
 *	       8  ...      body
 *
 * Types are numbered in ranges by direction (0x01-0x7f sender to
 * listener, 0x80-0xff listener to sender):
 *	0x01 MSG      a CMS SignedData (DER), or one sealed to the listener
 *	              (EnvelopedData / AuthEnvelopedData), 1 ..
 *	              FRAME_MAX_MSG bytes
 *	0x81 VERDICT  the listener's verdict on the last MSG: one line of
 *	              printable text (bytes 0x20-0x7e and UTF-8 above 0x7f,
 *	              no control character), 1 .. FRAME_MAX_TEXT bytes
 * A sender sends MSG frames and reads one VERDICT for each, in order; it
 * ends with close_notify. The lengths are checked before a body is
 * waited for: a header announcing too much is refused at once. */
#ifndef MP_NET_FRAME_H
#define MP_NET_FRAME_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/err.h"

#define FRAME_HDR 8
#define FRAME_VERSION 1
#define FRAME_MAX_MSG (1024 * 1024)
#define FRAME_MAX_TEXT 1024

enum frame_type {
	FRAME_MSG = 0x01,
	FRAME_VERDICT = 0x81,
};

struct frame {
	enum frame_type type;
	const uint8_t *body;	/* into the parsed bytes */
	size_t len;
};

/* Reads one frame from the start of b[0..n). Returns 1 with *f and *used
 * (header and body) when a whole frame is there, 0 when more bytes are
 * needed (a valid prefix), -1 with ERR_INPUT when the bytes cannot start a
 * frame: "frame: bad magic 0x4745", "frame: version 2 (only 1)",
 * "frame: unknown type 0x05", "frame: MSG of 2000000 bytes (at most
 * 1048576)", "frame: empty MSG", "frame: VERDICT: byte 0x0a at offset 3 is
 * not printable". */
int frame_parse(const uint8_t *b, size_t n, struct frame *f, size_t *used,
    struct err *);

/* Appends a frame (the caller keeps len within the type's bound). */
void frame_put(struct buf *out, enum frame_type, const void *body,
    size_t len);

#endif
