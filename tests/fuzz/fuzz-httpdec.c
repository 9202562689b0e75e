/* fuzz-httpdec.c — the HTTP body decoders on any bytes: base64 bodies,
 * percent-decoded paths and Basic credentials keep their bounds, write
 * nothing when they fail, and what base64 decodes encodes back to the
 * same bytes. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/b64.h"
#include "net/httpdec.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define FUZZ_MAX 96

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf out, enc, back, user, pass, auth;
	struct err e;
	size_t i;

	buf_init(&out);
	buf_init(&enc);
	buf_init(&back);
	if (httpdec_base64(data, size, FUZZ_MAX, &out, &e) == 0) {
		if (out.len > FUZZ_MAX)
			abort();
		b64_encode(out.data, out.len, 1, &enc);
		if (httpdec_base64(enc.data, enc.len, FUZZ_MAX, &back, &e) != 0 ||
		    back.len != out.len ||
		    (out.len > 0 && memcmp(back.data, out.data, out.len) != 0))
			abort();
	} else if (out.len != 0 || e.msg[0] == '\0')
		abort();
	buf_clear(&out);
	buf_clear(&enc);
	buf_clear(&back);

	if (httpdec_percent((const char *)data, size, FUZZ_MAX, &out, &e) == 0) {
		if (out.len > FUZZ_MAX || out.len > size || (out.len > 0 &&
		    memchr(out.data, '\0', out.len) != NULL))
			abort();
	} else if (out.len != 0)
		abort();
	buf_clear(&out);

	/* As an Authorization value, and as the token after "Basic ". */
	buf_init(&user);
	buf_init(&pass);
	buf_init(&auth);
	buf_puts(&auth, "Basic ");
	buf_append(&auth, data, size);
	for (i = 0; i < 2; i++) {
		const char *v = i == 0 ? (const char *)data : (const char *)auth.data;
		size_t n = i == 0 ? size : auth.len;

		if (httpdec_basic(v, n, FUZZ_MAX, &user, &pass, &e) == 0) {
			if (user.len + pass.len + 1 > FUZZ_MAX ||
			    (user.len > 0 &&
			    memchr(user.data, ':', user.len) != NULL))
				abort();
		} else if (user.len != 0 || pass.len != 0)
			abort();
		user.len = pass.len = 0;
	}
	buf_clear(&auth);
	buf_clear(&user);
	buf_clear_secret(&pass);
	return 0;
}
