/* httpresp.h — HTTP/1.1 responses written into a struct buf.
 *
 * The status line, then the headers in a fixed order: Date (when given),
 * Content-Type, Content-Length, Content-Transfer-Encoding, Retry-After,
 * WWW-Authenticate, Allow, Connection: close (or keep-alive for an HTTP/1.0
 * client kept open), then the body (none for HEAD). Content-Length is
 * always written except for 1xx, 204 and 304, which carry no body. */
#ifndef MP_NET_HTTPRESP_H
#define MP_NET_HTTPRESP_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/err.h"

struct httpresp {
	int status;			/* 100..599 */
	const char *content_type;	/* NULL: none */
	const uint8_t *body;		/* body_len bytes; NULL when 0 */
	size_t body_len;
	int close;			/* Connection: close */
	int http10;			/* the request was HTTP/1.0: a kept
					 * connection says keep-alive */
	int head;			/* answer to HEAD: headers only */
	int64_t date;			/* since 1970; 0: no Date */
	long retry_after;		/* seconds; 0: none */
	const char *www_authenticate;	/* NULL: none */
	/* NULL: none; "base64" for EST bodies */
	const char *content_transfer_encoding;
	const char *allow;		/* NULL: none ("GET, POST") */
};

/* "Payload Too Large"; "" for a code without a name. */
const char *httpresp_reason(int status);
/* Appends the response to out. ERR_USAGE (nothing appended) for a status
 * outside 100..599, a header value with a control byte (CR, LF: header
 * injection), or a body for a status that has none. */
int httpresp_write(const struct httpresp *, struct buf *out, struct err *);
/* An error answer: the status, text/plain "413 Payload Too Large\n", and
 * Connection: close when close is set. */
void httpresp_error(int status, int close, struct buf *out);

#endif
