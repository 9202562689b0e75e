/* yamlw.c — one YAML document through libyaml's emitter; see yamlw.h. */
#include <stdio.h>
#include <string.h>

#include "store/yamlw.h"
#include "util/xalloc.h"

static int
write_out(void *data, unsigned char *p, size_t n)
{
	buf_append(data, p, n);
	return 1;
}

static void
emit(struct yamlw *w, yaml_event_t *ev, int ok)
{
	if (!ok) {
		w->failed = 1;
		return;
	}
	if (w->failed) {
		yaml_event_delete(ev);
		return;
	}
	/* yaml_emitter_emit takes the event, failing or not. */
	if (!yaml_emitter_emit(&w->em, ev))
		w->failed = 1;
}

static void
scalar(struct yamlw *w, const char *s, yaml_scalar_style_t style)
{
	yaml_event_t ev;
	struct buf fixed;

	buf_init(&fixed);
	yamlw_utf8_repair(s, strlen(s), &fixed);
	if (fixed.len > 0x7fffffff) {
		w->failed = 1;
		buf_clear(&fixed);
		return;
	}
	emit(w, &ev, yaml_scalar_event_initialize(&ev, NULL, NULL,
	    fixed.len > 0 ? fixed.data : (yaml_char_t *)"", (int)fixed.len,
	    1, 1, style));
	buf_clear(&fixed);
}

static void
map_start(struct yamlw *w)
{
	yaml_event_t ev;

	emit(w, &ev, yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
	    YAML_BLOCK_MAPPING_STYLE));
}

void
yamlw_begin(struct yamlw *w, struct buf *out, const char *comment)
{
	yaml_event_t ev;
	const char *p, *nl;

	w->out = out;
	w->failed = 0;
	/* libyaml cannot emit comments: put them before the stream. */
	for (p = comment; p != NULL && *p != '\0'; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL)
			nl = p + strlen(p);
		buf_printf(out, "# %.*s\n", (int)(nl - p), p);
		if (*nl == '\0')
			break;
	}
	if (!yaml_emitter_initialize(&w->em))
		xalloc_fail("yaml emitter");
	yaml_emitter_set_output(&w->em, write_out, out);
	yaml_emitter_set_unicode(&w->em, 1);
	yaml_emitter_set_width(&w->em, 1000);
	emit(w, &ev, yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING));
	emit(w, &ev, yaml_document_start_event_initialize(&ev, NULL, NULL, NULL,
	    0));
	map_start(w);
}

void
yamlw_str(struct yamlw *w, const char *key, const char *value)
{
	scalar(w, key, YAML_PLAIN_SCALAR_STYLE);
	scalar(w, value, YAML_ANY_SCALAR_STYLE);
}

void
yamlw_uint(struct yamlw *w, const char *key, unsigned long long v)
{
	char num[24];

	snprintf(num, sizeof num, "%llu", v);
	scalar(w, key, YAML_PLAIN_SCALAR_STYLE);
	scalar(w, num, YAML_PLAIN_SCALAR_STYLE);
}

void
yamlw_block(struct yamlw *w, const char *key, const char *text)
{
	scalar(w, key, YAML_PLAIN_SCALAR_STYLE);
	scalar(w, text, YAML_LITERAL_SCALAR_STYLE);
}

void
yamlw_map(struct yamlw *w, const char *key)
{
	scalar(w, key, YAML_PLAIN_SCALAR_STYLE);
	map_start(w);
}

void
yamlw_end(struct yamlw *w)
{
	yaml_event_t ev;

	emit(w, &ev, yaml_mapping_end_event_initialize(&ev));
}

int
yamlw_finish(struct yamlw *w, struct err *e)
{
	yaml_event_t ev;
	const char *problem;

	yamlw_end(w);
	emit(w, &ev, yaml_document_end_event_initialize(&ev, 1));
	emit(w, &ev, yaml_stream_end_event_initialize(&ev));
	if (!w->failed && !yaml_emitter_flush(&w->em))
		w->failed = 1;
	problem = w->em.problem;	/* a static string in libyaml */
	yaml_emitter_delete(&w->em);
	if (w->failed)
		return err_set(e, ERR_INPUT, "cannot write YAML: %s",
		    problem != NULL ? problem : "emitter error");
	return 0;
}

size_t
yamlw_utf8_char(const unsigned char *p, size_t n, unsigned long *cp)
{
	unsigned long c;
	size_t len, i;

	if (n == 0)
		return 0;
	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		len = 2;
		c = p[0] & 0x1f;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		len = 3;
		c = p[0] & 0x0f;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		len = 4;
		c = p[0] & 0x07;
	} else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3f);
	}
	/* Overlong forms, surrogates and past U+10FFFF are invalid. */
	if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	*cp = c;
	return len;
}

void
yamlw_utf8_repair(const char *s, size_t len, struct buf *out)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned long cp;
	size_t i = 0, k;

	while (i < len) {
		if ((k = yamlw_utf8_char(p + i, len - i, &cp)) == 0) {
			buf_append(out, "\xef\xbf\xbd", 3);
			i++;
		} else {
			buf_append(out, p + i, k);
			i += k;
		}
	}
}
