/* json.c — a small bounded JSON reader for test data; see json.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "util/buf.h"
#include "util/xalloc.h"

struct json_reader {
	const char *p;
	size_t len;
	size_t pos;
	char *errbuf;
	size_t errlen;
	int failed;
};

static int
jr_fail(struct json_reader *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
jr_fail(struct json_reader *r, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	if (r->failed)
		return -1;
	r->failed = 1;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (r->errbuf != NULL && r->errlen > 0)
		snprintf(r->errbuf, r->errlen, "offset %zu: %s", r->pos, msg);
	return -1;
}

static void
jr_space(struct json_reader *r)
{
	while (r->pos < r->len && (r->p[r->pos] == ' ' ||
	    r->p[r->pos] == '\t' || r->p[r->pos] == '\n' ||
	    r->p[r->pos] == '\r'))
		r->pos++;
}

static int
jr_hex4(struct json_reader *r, unsigned *out)
{
	unsigned v = 0;
	int i, c;

	if (r->len - r->pos < 4)
		return jr_fail(r, "truncated \\u escape");
	for (i = 0; i < 4; i++) {
		c = r->p[r->pos++];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return jr_fail(r, "bad hex digit in \\u escape");
	}
	*out = v;
	return 0;
}

static void
put_utf8(struct buf *b, unsigned cp)
{
	if (cp < 0x80)
		buf_putc(b, (int)cp);
	else if (cp < 0x800) {
		buf_putc(b, (int)(0xc0 | (cp >> 6)));
		buf_putc(b, (int)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		buf_putc(b, (int)(0xe0 | (cp >> 12)));
		buf_putc(b, (int)(0x80 | ((cp >> 6) & 0x3f)));
		buf_putc(b, (int)(0x80 | (cp & 0x3f)));
	} else {
		buf_putc(b, (int)(0xf0 | (cp >> 18)));
		buf_putc(b, (int)(0x80 | ((cp >> 12) & 0x3f)));
		buf_putc(b, (int)(0x80 | ((cp >> 6) & 0x3f)));
		buf_putc(b, (int)(0x80 | (cp & 0x3f)));
	}
}

/* Reads a string starting at the opening quote. */
static int
jr_string(struct json_reader *r, char **out, size_t *outlen)
{
	struct buf b;
	unsigned cp, lo;
	int c;

	buf_init(&b);
	r->pos++;	/* the opening quote */
	for (;;) {
		if (r->pos >= r->len) {
			jr_fail(r, "unterminated string");
			goto fail;
		}
		c = (unsigned char)r->p[r->pos++];
		if (c == '"')
			break;
		if (c < 0x20) {
			r->pos--;
			jr_fail(r, "control character in string");
			goto fail;
		}
		if (c != '\\') {
			buf_putc(&b, c);
			continue;
		}
		if (r->pos >= r->len) {
			jr_fail(r, "truncated escape");
			goto fail;
		}
		c = r->p[r->pos++];
		switch (c) {
		case '"': case '\\': case '/':
			buf_putc(&b, c);
			break;
		case 'b': buf_putc(&b, '\b'); break;
		case 'f': buf_putc(&b, '\f'); break;
		case 'n': buf_putc(&b, '\n'); break;
		case 'r': buf_putc(&b, '\r'); break;
		case 't': buf_putc(&b, '\t'); break;
		case 'u':
			if (jr_hex4(r, &cp) == -1)
				goto fail;
			if (cp >= 0xd800 && cp < 0xdc00) {
				if (r->len - r->pos < 2 || r->p[r->pos] != '\\' ||
				    r->p[r->pos + 1] != 'u') {
					jr_fail(r, "lone high surrogate");
					goto fail;
				}
				r->pos += 2;
				if (jr_hex4(r, &lo) == -1)
					goto fail;
				if (lo < 0xdc00 || lo >= 0xe000) {
					jr_fail(r, "bad low surrogate");
					goto fail;
				}
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			} else if (cp >= 0xdc00 && cp < 0xe000) {
				jr_fail(r, "lone low surrogate");
				goto fail;
			}
			put_utf8(&b, cp);
			break;
		default:
			r->pos--;
			jr_fail(r, "bad escape \\%c", c);
			goto fail;
		}
	}
	buf_reserve(&b, 0);	/* a NUL even for the empty string */
	*outlen = b.len;
	*out = (char *)buf_steal(&b, NULL);
	return 0;
fail:
	buf_clear(&b);
	return -1;
}

static int
jr_number(struct json_reader *r, struct json *j)
{
	size_t start = r->pos;
	char *end;

	if (r->pos < r->len && r->p[r->pos] == '-')
		r->pos++;
	if (r->pos >= r->len || r->p[r->pos] < '0' || r->p[r->pos] > '9')
		return jr_fail(r, "bad number");
	while (r->pos < r->len && strchr("0123456789.eE+-", r->p[r->pos]) != NULL)
		r->pos++;
	if (r->pos - start > 64)
		return jr_fail(r, "number too long");
	j->type = JSON_NUMBER;
	j->str = xstrndup(r->p + start, r->pos - start);
	j->len = r->pos - start;
	j->num = strtod(j->str, &end);
	if (*end != '\0') {
		r->pos = start;
		return jr_fail(r, "bad number");
	}
	return 0;
}

static int jr_value(struct json_reader *, struct json *, int);

/* Reads the elements or members of an array or object after its bracket. */
static int
jr_container(struct json_reader *r, struct json *j, int depth, int isobj)
{
	struct json **tail = &j->child, *c;
	char close = isobj ? '}' : ']';

	j->type = isobj ? JSON_OBJECT : JSON_ARRAY;
	r->pos++;
	jr_space(r);
	if (r->pos < r->len && r->p[r->pos] == close) {
		r->pos++;
		return 0;
	}
	for (;;) {
		c = xcalloc(1, sizeof *c);
		*tail = c;
		tail = &c->next;
		j->count++;
		jr_space(r);
		if (isobj) {
			if (r->pos >= r->len || r->p[r->pos] != '"')
				return jr_fail(r, "expected a member name");
			if (jr_string(r, &c->key, &c->len) == -1)
				return -1;
			c->len = 0;
			jr_space(r);
			if (r->pos >= r->len || r->p[r->pos] != ':')
				return jr_fail(r, "expected ':'");
			r->pos++;
		}
		if (jr_value(r, c, depth + 1) == -1)
			return -1;
		jr_space(r);
		if (r->pos >= r->len)
			return jr_fail(r, "unterminated %s",
			    isobj ? "object" : "array");
		if (r->p[r->pos] == close) {
			r->pos++;
			return 0;
		}
		if (r->p[r->pos] != ',')
			return jr_fail(r, "expected ',' or '%c'", close);
		r->pos++;
	}
}

static int
jr_word(struct json_reader *r, const char *w)
{
	size_t n = strlen(w);

	if (r->len - r->pos < n || memcmp(r->p + r->pos, w, n) != 0)
		return jr_fail(r, "unexpected character");
	r->pos += n;
	return 0;
}

static int
jr_value(struct json_reader *r, struct json *j, int depth)
{
	if (depth > JSON_MAX_DEPTH)
		return jr_fail(r, "nesting deeper than %d", JSON_MAX_DEPTH);
	jr_space(r);
	if (r->pos >= r->len)
		return jr_fail(r, "value expected");
	switch (r->p[r->pos]) {
	case '{':
		return jr_container(r, j, depth, 1);
	case '[':
		return jr_container(r, j, depth, 0);
	case '"':
		j->type = JSON_STRING;
		return jr_string(r, &j->str, &j->len);
	case 't':
		j->type = JSON_BOOL;
		j->boolean = 1;
		return jr_word(r, "true");
	case 'f':
		j->type = JSON_BOOL;
		return jr_word(r, "false");
	case 'n':
		j->type = JSON_NULL;
		return jr_word(r, "null");
	default:
		return jr_number(r, j);
	}
}

struct json *
json_parse(const char *text, size_t len, char *errbuf, size_t errlen)
{
	struct json_reader r = { text, len, 0, errbuf, errlen, 0 };
	struct json *root;

	if (len > JSON_MAX_DOC) {
		jr_fail(&r, "document larger than %u bytes", JSON_MAX_DOC);
		return NULL;
	}
	root = xcalloc(1, sizeof *root);
	if (jr_value(&r, root, 0) == -1)
		goto fail;
	jr_space(&r);
	if (r.pos != r.len) {
		jr_fail(&r, "data after the document");
		goto fail;
	}
	return root;
fail:
	json_free(root);
	return NULL;
}

void
json_free(struct json *j)
{
	struct json *c, *next;

	if (j == NULL)
		return;
	for (c = j->child; c != NULL; c = next) {
		next = c->next;
		json_free(c);
	}
	free(j->key);
	free(j->str);
	free(j);
}

const struct json *
json_get(const struct json *j, const char *key)
{
	const struct json *c;

	if (j == NULL || j->type != JSON_OBJECT)
		return NULL;
	for (c = j->child; c != NULL; c = c->next)
		if (strcmp(c->key, key) == 0)
			return c;
	return NULL;
}

const char *
json_get_str(const struct json *j, const char *key)
{
	const struct json *c = json_get(j, key);

	return c != NULL && c->type == JSON_STRING ? c->str : NULL;
}

long long
json_get_int(const struct json *j, const char *key, long long def)
{
	const struct json *c = json_get(j, key);

	return c != NULL && c->type == JSON_NUMBER ? (long long)c->num : def;
}
