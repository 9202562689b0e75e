/* testyaml.c — see testyaml.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "testlib.h"
#include "testyaml.h"

struct level {
	int map;		/* else a sequence */
	int key;		/* map: the next scalar is a key */
	long idx;		/* seq: index of the next item */
	char name[64];		/* this level's path */
	char cur[64];		/* map: the current key */
};

static void
item_path(const struct level *l, char *out, size_t outlen)
{
	const char *sep = l->name[0] != '\0' ? "." : "";

	if (l->map)
		snprintf(out, outlen, "%.30s%s%.30s", l->name, sep, l->cur);
	else
		snprintf(out, outlen, "%.30s%s%ld", l->name, sep, l->idx);
}

int
yaml_view(const char *path, struct yview *y)
{
	struct level st[16];
	yaml_parser_t p;
	yaml_event_t ev;
	uint8_t *data;
	size_t len;
	int depth = 0, done = 0, rc = 0;
	char ip[64];

	yview_clear(y);
	data = test_slurp(path, &len);
	yaml_parser_initialize(&p);
	yaml_parser_set_input_string(&p, data, len);
	while (!done) {
		if (!yaml_parser_parse(&p, &ev)) {
			fprintf(stderr, "%s: libyaml: line %lu: %s\n", path,
			    (unsigned long)p.problem_mark.line + 1, p.problem);
			rc = -1;
			break;
		}
		switch (ev.type) {
		case YAML_DOCUMENT_START_EVENT:
			y->docs++;
			break;
		case YAML_MAPPING_START_EVENT:
		case YAML_SEQUENCE_START_EVENT:
			if (depth == 16)
				abort();
			ip[0] = '\0';
			if (depth > 0)
				item_path(&st[depth - 1], ip, sizeof ip);
			memset(&st[depth], 0, sizeof st[depth]);
			st[depth].map = ev.type == YAML_MAPPING_START_EVENT;
			st[depth].key = 1;
			snprintf(st[depth].name, sizeof st[depth].name, "%s", ip);
			depth++;
			break;
		case YAML_MAPPING_END_EVENT:
		case YAML_SEQUENCE_END_EVENT:
			depth--;
			if (depth > 0) {
				if (st[depth - 1].map)
					st[depth - 1].key = 1;
				else
					st[depth - 1].idx++;
			}
			break;
		case YAML_SCALAR_EVENT:
			if (depth == 0)
				break;
			if (st[depth - 1].map && st[depth - 1].key) {
				snprintf(st[depth - 1].cur, sizeof st[0].cur,
				    "%s", (char *)ev.data.scalar.value);
				st[depth - 1].key = 0;
				break;
			}
			if (y->n == y->cap) {
				y->cap = y->cap == 0 ? 256 : 2 * y->cap;
				if ((y->v = realloc(y->v, y->cap *
				    sizeof *y->v)) == NULL)
					abort();
			}
			y->v[y->n].doc = y->docs - 1;
			item_path(&st[depth - 1], y->v[y->n].path,
			    sizeof y->v[0].path);
			/* A NUL inside would show as a shorter string. */
			y->v[y->n].val = malloc(ev.data.scalar.length + 1);
			memcpy(y->v[y->n].val, ev.data.scalar.value,
			    ev.data.scalar.length + 1);
			if (strlen(y->v[y->n].val) != ev.data.scalar.length)
				test_fail(__FILE__, __LINE__, "%s: a NUL in a "
				    "scalar", path);
			y->n++;
			if (st[depth - 1].map)
				st[depth - 1].key = 1;
			else
				st[depth - 1].idx++;
			break;
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	free(data);
	return rc;
}

void
yview_clear(struct yview *y)
{
	size_t i;

	for (i = 0; i < y->n; i++)
		free(y->v[i].val);
	free(y->v);
	y->v = NULL;
	y->n = y->cap = 0;
	y->docs = 0;
}

const char *
yget(const struct yview *y, int doc, const char *path)
{
	size_t i;

	for (i = 0; i < y->n; i++)
		if (y->v[i].doc == doc && strcmp(y->v[i].path, path) == 0)
			return y->v[i].val;
	return NULL;
}
