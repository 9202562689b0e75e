/* httpdec.h — decoders for what HTTP requests carry to the EST and OCSP
 * endpoints; each bounds its output and names the offset of a fault.
 *
 * out is appended to; on failure out keeps its previous length. */
#ifndef MP_NET_HTTPDEC_H
#define MP_NET_HTTPDEC_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/err.h"

/* A base64 body (EST, RFC 7030 4.1.3: "base64" Content-Transfer-Encoding
 * with line breaks): whitespace (CR, LF, space, tab) anywhere is skipped;
 * anything else outside the alphabet, bad padding or a truncated group is
 * ERR_INPUT "offset N: ...". More than max_out decoded bytes is ERR_INPUT
 * before anything is decoded. */
int httpdec_base64(const uint8_t *in, size_t len, size_t max_out,
    struct buf *out, struct err *);
/* Percent-decoding of a path (OCSP GET, RFC 6960 appendix A: the base64
 * request URL-encoded): "%2B" -> '+', other bytes kept as they are ('+'
 * stays '+': this is a path, not a form). A '%' without two hex digits,
 * "%00" (a NUL), a raw byte outside 0x21..0x7e, or more than max_out bytes
 * is ERR_INPUT. */
int httpdec_percent(const char *in, size_t len, size_t max_out,
    struct buf *out, struct err *);
/* An Authorization value "Basic <base64 of user:password>" (RFC 7617; the
 * scheme in any case, blanks around the token): user and pass get the two
 * parts, NUL-terminated, at most max_out bytes together. Another scheme,
 * bad base64, no ':', or a control byte in either part is ERR_INPUT.
 * pass holds a secret: free it with buf_clear_secret. */
int httpdec_basic(const char *value, size_t len, size_t max_out,
    struct buf *user, struct buf *pass, struct err *);

#endif
