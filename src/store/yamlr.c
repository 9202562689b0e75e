/* yamlr.c — bounded YAML document reader over libyaml events; see yamlr.h. */
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "store/yamlr.h"
#include "util/xalloc.h"

void
yamlr_init(struct yamlr_doc *d)
{
	d->root = NULL;
	d->nodes = 0;
}

static void
node_free(struct yamlr_node *n)
{
	size_t i;

	if (n == NULL)
		return;
	for (i = 0; i < n->nkids; i++)
		node_free(n->kids[i]);
	free(n->kids);
	free(n->str);
	free(n);
}

void
yamlr_clear(struct yamlr_doc *d)
{
	node_free(d->root);
	yamlr_init(d);
}

static struct yamlr_node *
node_new(enum yamlr_kind kind, unsigned long line)
{
	struct yamlr_node *n = xcalloc(1, sizeof *n);

	n->kind = kind;
	n->line = line;
	return n;
}

/* Adds kid to parent; a mapping key that repeats an earlier one is an
 * error, as is a key that is not a scalar. */
static int
add_kid(struct yamlr_node *parent, struct yamlr_node *kid, struct err *e)
{
	size_t i;

	if (parent->kind == YAMLR_MAP && parent->nkids % 2 == 0) {
		if (kid->kind != YAMLR_SCALAR)
			return err_set(e, ERR_INPUT, "line %lu: a mapping key "
			    "must be a plain string", kid->line);
		for (i = 0; i < parent->nkids; i += 2)
			if (strcmp(parent->kids[i]->str, kid->str) == 0)
				return err_set(e, ERR_INPUT, "line %lu: "
				    "duplicate key '%.64s'", kid->line, kid->str);
	}
	parent->kids = xreallocarray(parent->kids, parent->nkids + 1,
	    sizeof *parent->kids);
	parent->kids[parent->nkids++] = kid;
	return 0;
}

int
yamlr_parse(struct yamlr_doc *d, const void *data, size_t len,
    const struct yamlr_limits *lim, struct err *e)
{
	struct yamlr_node **stack = NULL, *n = NULL;
	yaml_parser_t parser;
	yaml_event_t ev;
	unsigned depth = 0;
	int rc = -1, done = 0, docs = 0, have_ev = 0;
	unsigned long line;

	yamlr_clear(d);
	if (!yaml_parser_initialize(&parser))
		xalloc_fail("yaml parser");
	yaml_parser_set_input_string(&parser, data, len);
	stack = xcalloc(lim->max_depth + 1, sizeof *stack);
	while (!done) {
		if (!yaml_parser_parse(&parser, &ev)) {
			err_set(e, ERR_INPUT, "line %lu: %s",
			    (unsigned long)parser.problem_mark.line + 1,
			    parser.problem != NULL ? parser.problem :
			    "not valid YAML");
			goto out;
		}
		have_ev = 1;
		line = (unsigned long)ev.start_mark.line + 1;
		n = NULL;
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (++docs > 1) {
				err_set(e, ERR_INPUT, "line %lu: more than one "
				    "YAML document", line);
				goto out;
			}
			break;
		case YAML_ALIAS_EVENT:
			err_set(e, ERR_INPUT, "line %lu: aliases are not "
			    "supported", line);
			goto out;
		case YAML_SCALAR_EVENT:
			if (ev.data.scalar.length > lim->max_scalar) {
				err_set(e, ERR_INPUT, "line %lu: value longer "
				    "than %zu bytes", line, lim->max_scalar);
				goto out;
			}
			n = node_new(YAMLR_SCALAR, line);
			n->str = xstrndup((const char *)ev.data.scalar.value,
			    ev.data.scalar.length);
			n->len = strlen(n->str);
			if (n->len != ev.data.scalar.length) {
				err_set(e, ERR_INPUT, "line %lu: NUL character "
				    "in a value", line);
				goto out;
			}
			break;
		case YAML_MAPPING_START_EVENT:
		case YAML_SEQUENCE_START_EVENT:
			if (depth >= lim->max_depth) {
				err_set(e, ERR_INPUT, "line %lu: nested deeper "
				    "than %u levels", line, lim->max_depth);
				goto out;
			}
			n = node_new(ev.type == YAML_MAPPING_START_EVENT ?
			    YAMLR_MAP : YAMLR_SEQ, line);
			break;
		case YAML_MAPPING_END_EVENT:
		case YAML_SEQUENCE_END_EVENT:
			depth--;
			break;
		default:
			break;
		}
		if (n != NULL) {
			if (++d->nodes > lim->max_nodes) {
				err_set(e, ERR_INPUT, "line %lu: more than %zu "
				    "values", line, lim->max_nodes);
				goto out;
			}
			if (depth == 0)
				d->root = n;
			else if (add_kid(stack[depth - 1], n, e) == -1)
				goto out;
			if (n->kind != YAMLR_SCALAR)
				stack[depth++] = n;
			n = NULL;
		}
		yaml_event_delete(&ev);
		have_ev = 0;
	}
	rc = 0;
out:
	if (have_ev)
		yaml_event_delete(&ev);
	/* A node not yet linked into the tree is ours to free. */
	if (n != NULL && n != d->root)
		node_free(n);
	yaml_parser_delete(&parser);
	free(stack);
	if (rc == -1)
		yamlr_clear(d);
	return rc;
}

const struct yamlr_node *
yamlr_get(const struct yamlr_node *map, const char *key)
{
	size_t i;

	if (map == NULL || map->kind != YAMLR_MAP)
		return NULL;
	for (i = 0; i + 1 < map->nkids; i += 2)
		if (strcmp(map->kids[i]->str, key) == 0)
			return map->kids[i + 1];
	return NULL;
}
