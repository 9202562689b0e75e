/* httphdr.c — header lines of both HTTP engines; see httphdr.h. */
#include <string.h>
#include <strings.h>

#include "net/httphdr.h"

void
httphdr_init(struct httphdr *h, const char *const *names, int count,
    size_t max_headers, size_t max_line)
{
	int i;

	memset(h, 0, sizeof *h);
	h->names = names;
	h->count = count;
	h->max_headers = max_headers;
	h->max_line = max_line;
	for (i = 0; i < HTTPHDR_MAX_KEPT; i++)
		buf_init(&h->hv[i]);
	httphdr_reset(h);
}

void
httphdr_reset(struct httphdr *h)
{
	int i;

	h->n = 0;
	h->line_len = 0;
	h->in_value = 0;
	h->cur = -1;
	h->name_len = 0;
	for (i = 0; i < HTTPHDR_MAX_KEPT; i++) {
		if (h->hv[i].data != NULL)
			explicit_bzero(h->hv[i].data, h->hv[i].len);
		h->hv[i].len = 0;
		h->seen[i] = 0;
	}
}

void
httphdr_clear(struct httphdr *h)
{
	int i;

	for (i = 0; i < HTTPHDR_MAX_KEPT; i++)
		buf_clear_secret(&h->hv[i]);
	memset(h, 0, sizeof *h);
}

enum httphdr_fault
httphdr_field(struct httphdr *h, const char *at, size_t n)
{
	size_t k;

	if (h->in_value || h->n == 0) {
		/* a new header line */
		if (h->n == h->max_headers)
			return HTTPHDR_TOO_MANY;
		h->n++;
		h->in_value = 0;
		h->line_len = 0;
		h->name_len = 0;
		h->cur = -1;
	}
	if (n > h->max_line - h->line_len)
		return HTTPHDR_TOO_LONG;
	h->line_len += n;
	/* Only a short name can be one we keep; a longer one is kept as
	 * "too long" (name_len past the array) and matches nothing. */
	for (k = 0; k < n; k++, h->name_len++)
		if (h->name_len < sizeof h->name)
			h->name[h->name_len] = at[k];
	return HTTPHDR_OK;
}

enum httphdr_fault
httphdr_value(struct httphdr *h, const char *at, size_t n)
{
	int i;

	if (!h->in_value) {
		h->in_value = 1;
		if (h->name_len < sizeof h->name)
			for (i = 0; i < h->count; i++)
				if (strlen(h->names[i]) == h->name_len &&
				    strncasecmp(h->names[i], h->name,
				    h->name_len) == 0)
					h->cur = i;
		if (h->cur >= 0) {
			if (h->seen[h->cur])
				return HTTPHDR_TWICE;
			h->seen[h->cur] = 1;
		}
	}
	if (n > h->max_line - h->line_len)
		return HTTPHDR_TOO_LONG;
	h->line_len += n;
	if (h->cur >= 0)
		buf_append(&h->hv[h->cur], at, n);
	return HTTPHDR_OK;
}

const char *
httphdr_get(struct httphdr *h, int i)
{
	struct buf *b = &h->hv[i];

	if (!h->seen[i])
		return NULL;
	while (b->len > 0 && (b->data[b->len - 1] == ' ' ||
	    b->data[b->len - 1] == '\t'))
		b->len--;
	buf_putc(b, '\0');
	b->len--;
	return (const char *)b->data;
}
