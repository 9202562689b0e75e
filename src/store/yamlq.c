/* yamlq.c — YAML double-quoted scalars written by hand; see yamlq.h. */
#include <string.h>

#include "crypto/hex.h"
#include "store/yamlq.h"
#include "store/yamlw.h"

/* Whether code point cp may stand unescaped in a double-quoted scalar
 * (YAML printable, not a line break of YAML 1.1, not a BOM). */
static int
printable(unsigned long cp)
{
	if (cp == '"' || cp == '\\')
		return 0;
	return (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xd7ff &&
	    cp != 0x2028 && cp != 0x2029) || (cp >= 0xe000 && cp <= 0xfffd &&
	    cp != 0xfeff) || (cp >= 0x10000 && cp <= 0x10ffff);
}

void
yamlq_put(struct buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), k;
	unsigned long cp;

	buf_putc(b, '"');
	while (n > 0) {
		if ((k = yamlw_utf8_char(p, n, &cp)) == 0) {
			buf_append(b, "\xef\xbf\xbd", 3);
			k = 1;
		} else if (cp == '"' || cp == '\\')
			buf_printf(b, "\\%c", (int)cp);
		else if (printable(cp))
			buf_append(b, p, k);
		else if (cp <= 0xff)
			buf_printf(b, "\\x%02lx", cp);
		else
			buf_printf(b, "\\u%04lx", cp);
		p += k;
		n -= k;
	}
	buf_putc(b, '"');
}

static void
put_utf8(struct buf *b, unsigned long cp)
{
	uint8_t u[4];

	if (cp < 0x80) {
		u[0] = (uint8_t)cp;
		buf_append(b, u, 1);
	} else if (cp < 0x800) {
		u[0] = (uint8_t)(0xc0 | cp >> 6);
		u[1] = (uint8_t)(0x80 | (cp & 0x3f));
		buf_append(b, u, 2);
	} else {
		/* \uNNNN: at most U+FFFF, surrogates refused before. */
		u[0] = (uint8_t)(0xe0 | cp >> 12);
		u[1] = (uint8_t)(0x80 | (cp >> 6 & 0x3f));
		u[2] = (uint8_t)(0x80 | (cp & 0x3f));
		buf_append(b, u, 3);
	}
}

int
yamlq_plain(const char *v, size_t n)
{
	size_t i;

	if (n < 2 || v[0] != '"' || v[n - 1] != '"')
		return 0;
	for (i = 1; i + 1 < n; i++)
		if (v[i] < 0x20 || v[i] > 0x7e || v[i] == '"' || v[i] == '\\')
			return 0;
	return 1;
}

int
yamlq_get(const char *v, size_t n, struct buf *out, struct err *e)
{
	const unsigned char *p = (const unsigned char *)v;
	unsigned long cp;
	size_t i, k, digits;
	int d;

	if (n < 2 || v[0] != '"' || v[n - 1] != '"')
		return err_set(e, ERR_INPUT, "not a double-quoted string");
	p++;
	n -= 2;
	while (n > 0) {
		if (*p == '"')
			return err_set(e, ERR_INPUT, "'\"' inside the string "
			    "is not escaped");
		if (*p != '\\') {
			if ((k = yamlw_utf8_char(p, n, &cp)) == 0)
				return err_set(e, ERR_INPUT, "byte 0x%02x is "
				    "not UTF-8", *p);
			if (!printable(cp))
				return err_set(e, ERR_INPUT, "character U+%04lX "
				    "is not escaped", cp);
			buf_append(out, p, k);
			p += k;
			n -= k;
			continue;
		}
		if (n < 2)
			return err_set(e, ERR_INPUT, "'\\' at the end of the "
			    "string");
		if (p[1] == '"' || p[1] == '\\') {
			buf_putc(out, p[1]);
			p += 2;
			n -= 2;
			continue;
		}
		digits = p[1] == 'x' ? 2 : p[1] == 'u' ? 4 : 0;
		for (cp = 0, i = 0; i < digits; i++) {
			if (2 + i >= n || (d = hex_digit(p[2 + i])) < 0)
				break;
			cp = cp << 4 | (unsigned long)d;
		}
		if (digits == 0 || i < digits) {
			/* The escape up to the character that is wrong. */
			k = digits == 0 ? 2 : 2 + i + 1;
			return err_set(e, ERR_INPUT, "bad escape %.*s",
			    (int)(k < n ? k : n), (const char *)p);
		}
		/* A NUL would cut the C string short. */
		if (cp == 0)
			return err_set(e, ERR_INPUT, "escape \\%.*s is a NUL, "
			    "which a string cannot hold", (int)(1 + digits),
			    (const char *)p + 1);
		if (cp >= 0xd800 && cp <= 0xdfff)
			return err_set(e, ERR_INPUT, "escape \\%.*s is a lone "
			    "surrogate", (int)(1 + digits), (const char *)p + 1);
		put_utf8(out, cp);
		p += 2 + digits;
		n -= 2 + digits;
	}
	buf_reserve(out, 0);
	out->data[out->len] = '\0';
	return 0;
}
