/* httpdec.c — base64 bodies, percent-decoded paths, Basic credentials;
 * see httpdec.h. */
#include <string.h>
#include <strings.h>

#include "crypto/b64.h"
#include "crypto/hex.h"
#include "net/httpdec.h"

int
httpdec_base64(const uint8_t *in, size_t len, size_t max_out,
    struct buf *out, struct err *e)
{
	size_t i, chars = 0, keep = out->len;

	/* The output's size before decoding: 3 bytes per 4 characters
	 * ('=' excluded), 1 or 2 for a last group of 2 or 3. */
	for (i = 0; i < len; i++)
		if (in[i] != ' ' && in[i] != '\t' && in[i] != '\r' &&
		    in[i] != '\n' && in[i] != '=')
			chars++;
	if (chars / 4 * 3 + (chars % 4 > 0 ? chars % 4 - 1 : 0) > max_out)
		return err_set(e, ERR_INPUT,
		    "base64 body decodes to more than %zu bytes", max_out);
	if (b64_decode((const char *)in, len, out, e) == -1) {
		out->len = keep;
		if (out->data != NULL)
			out->data[keep] = '\0';
		return -1;
	}
	return 0;
}

int
httpdec_percent(const char *in, size_t len, size_t max_out, struct buf *out,
    struct err *e)
{
	size_t i, n = 0, keep = out->len;
	unsigned char c;
	int hi, lo;

	for (i = 0; i < len; i++, n++) {
		c = (unsigned char)in[i];
		if (n == max_out) {
			err_set(e, ERR_INPUT, "offset %zu: path decodes to "
			    "more than %zu bytes", i, max_out);
			goto fail;
		}
		if (c == '%') {
			if (len - i < 3 || (hi = hex_digit(in[i + 1])) < 0 ||
			    (lo = hex_digit(in[i + 2])) < 0) {
				err_set(e, ERR_INPUT, "offset %zu: '%%' "
				    "without two hex digits", i);
				goto fail;
			}
			c = (unsigned char)(hi << 4 | lo);
			if (c == 0) {
				err_set(e, ERR_INPUT, "offset %zu: %%00 (NUL) "
				    "in a path", i);
				goto fail;
			}
			i += 2;
		} else if (c < 0x21 || c > 0x7e) {
			err_set(e, ERR_INPUT, "offset %zu: byte 0x%02x in a "
			    "path", i, c);
			goto fail;
		}
		buf_putc(out, c);
	}
	return 0;
fail:
	out->len = keep;
	if (out->data != NULL)
		out->data[keep] = '\0';
	return -1;
}

static int
httpdec_ctl(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] < 0x20 || p[i] == 0x7f)
			return 1;
	return 0;
}

int
httpdec_basic(const char *v, size_t len, size_t max_out, struct buf *user,
    struct buf *pass, struct err *e)
{
	size_t s, end, ukeep = user->len, pkeep = pass->len;
	struct buf raw;
	uint8_t *colon;
	int rc = -1;

	buf_init(&raw);
	for (s = 0; s < len && (v[s] == ' ' || v[s] == '\t'); s++)
		;
	if (len - s < 6 || strncasecmp(v + s, "basic", 5) != 0 ||
	    (v[s + 5] != ' ' && v[s + 5] != '\t')) {
		err_set(e, ERR_INPUT, "Authorization: not the Basic scheme");
		goto out;
	}
	for (s += 5; s < len && (v[s] == ' ' || v[s] == '\t'); s++)
		;
	for (end = len; end > s && (v[end - 1] == ' ' || v[end - 1] == '\t');
	    end--)
		;
	/* One token68: no blank inside (b64_decode would skip it). */
	if (memchr(v + s, ' ', end - s) != NULL ||
	    memchr(v + s, '\t', end - s) != NULL ||
	    memchr(v + s, '\r', end - s) != NULL ||
	    memchr(v + s, '\n', end - s) != NULL) {
		err_set(e, ERR_INPUT, "Authorization: Basic credentials "
		    "with a blank inside");
		goto out;
	}
	if (httpdec_base64((const uint8_t *)v + s, end - s, max_out, &raw,
	    e) == -1) {
		err_wrap(e, "Authorization: Basic");
		goto out;
	}
	if (raw.len == 0 || (colon = memchr(raw.data, ':', raw.len)) == NULL) {
		err_set(e, ERR_INPUT, "Authorization: Basic credentials "
		    "without ':'");
		goto out;
	}
	if (httpdec_ctl(raw.data, raw.len)) {
		err_set(e, ERR_INPUT, "Authorization: Basic credentials "
		    "with a control byte");
		goto out;
	}
	buf_append(user, raw.data, (size_t)(colon - raw.data));
	buf_append(pass, colon + 1, raw.len - (size_t)(colon - raw.data) - 1);
	rc = 0;
out:
	if (rc == -1) {
		user->len = ukeep;
		if (pass->data != NULL)
			explicit_bzero(pass->data + pkeep, pass->len - pkeep);
		pass->len = pkeep;
	}
	buf_clear_secret(&raw);
	return rc;
}
