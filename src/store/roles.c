/* roles.c — the registry of running roles (run/KIND.PID.yaml); see roles.h
 * and store/FORMATS.md. */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "net/addr.h"
#include "store/roles.h"
#include "store/yamlr.h"
#include "store/yamlw.h"
#include "util/buf.h"
#include "util/file.h"
#include "util/xalloc.h"

#define ROLES_FORMAT "minipki-role"
#define ROLES_VERSION 1
#define ROLES_PID_MAX 4194304L	/* the kernel's largest pid_max */

static const char *const roles_kinds[ROLES_KIND__COUNT] = {
	"ca-service", "server", "listener",
};

static const struct yamlr_limits roles_limits = {
	.max_scalar = ROLES_ADDR_MAX + 8,
	.max_nodes = 32,
	.max_depth = 2,
};

const char *
roles_kind_name(enum roles_kind k)
{
	return (unsigned)k < ROLES_KIND__COUNT ? roles_kinds[k] : "?";
}

static int
roles_field_err(struct err *e, const struct yamlr_node *at, const char *field,
    const char *what)
{
	return err_set(e, ERR_INPUT, "line %lu: %s: %s", at != NULL ? at->line :
	    1UL, field, what);
}

/* The scalar of field, at most max bytes; NULL with the error set. */
static const struct yamlr_node *
roles_scalar(const struct yamlr_node *map, const char *field, size_t max,
    struct err *e)
{
	const struct yamlr_node *n = yamlr_get(map, field);

	if (n == NULL) {
		roles_field_err(e, map, field, "missing");
		return NULL;
	}
	if (n->kind != YAMLR_SCALAR) {
		roles_field_err(e, n, field, "expected a single value");
		return NULL;
	}
	if (n->len > max) {
		roles_field_err(e, n, field, "too long");
		return NULL;
	}
	if (strlen(n->str) != n->len) {
		roles_field_err(e, n, field, "holds a NUL byte");
		return NULL;
	}
	return n;
}

/* A decimal lo..hi, no sign, no leading zero. */
static int
roles_number(const struct yamlr_node *map, const char *field, long lo,
    long hi, long *v, struct err *e)
{
	const struct yamlr_node *n = roles_scalar(map, field, 10, e);
	char msg[64];
	long x = 0;
	size_t i;

	if (n == NULL)
		return -1;
	for (i = 0; i < n->len; i++)
		if (n->str[i] < '0' || n->str[i] > '9')
			break;
	if (n->len == 0 || i < n->len || (n->str[0] == '0' && n->len > 1))
		x = -1;
	for (i = 0; x != -1 && i < n->len; i++)
		x = x * 10 + (n->str[i] - '0');
	if (x < lo || x > hi) {
		snprintf(msg, sizeof msg, "not a number from %ld to %ld", lo,
		    hi);
		return roles_field_err(e, n, field, msg);
	}
	*v = x;
	return 0;
}

/* "tls ADDR" or "http ADDR", ADDR as addr_parse reads it. */
static int
roles_addr(const struct yamlr_node *n, const char *field,
    struct roles_addr *a, struct err *e)
{
	const char *sp;
	struct err ae;

	if (strncmp(n->str, "tls ", 4) == 0)
		a->tls = 1;
	else if (strncmp(n->str, "http ", 5) == 0)
		a->tls = 0;
	else
		return roles_field_err(e, n, field, "not \"tls ADDR\" or "
		    "\"http ADDR\"");
	sp = strchr(n->str, ' ') + 1;
	if (strlen(sp) > ROLES_ADDR_MAX)
		return roles_field_err(e, n, field, "too long");
	err_clear(&ae);
	{
		struct addr tmp;

		if (addr_parse(&tmp, sp, &ae) == -1)
			return roles_field_err(e, n, field, ae.msg);
	}
	snprintf(a->addr, sizeof a->addr, "%s", sp);
	return 0;
}

int
roles_parse(struct roles_entry *r, const void *data, size_t len,
    struct err *e)
{
	const struct yamlr_node *root, *n;
	struct yamlr_doc doc;
	char key[32];
	size_t i, k;
	long v;
	int rc = -1;

	memset(r, 0, sizeof *r);
	yamlr_init(&doc);
	if (len > ROLES_FILE_MAX) {
		err_set(e, ERR_INPUT, "larger than %d bytes", ROLES_FILE_MAX);
		goto out;
	}
	if (yamlr_parse(&doc, data, len, &roles_limits, e) == -1)
		goto out;
	root = doc.root;
	if (root == NULL || root->kind != YAMLR_MAP) {
		err_set(e, ERR_INPUT, "line %lu: not a minipki role",
		    root != NULL ? root->line : 1UL);
		goto out;
	}
	if ((n = roles_scalar(root, "format", 32, e)) == NULL)
		goto out;
	if (strcmp(n->str, ROLES_FORMAT) != 0) {
		roles_field_err(e, n, "format", "not a minipki role");
		goto out;
	}
	if (roles_number(root, "version", 1, 1000, &v, e) == -1)
		goto out;
	if (v != ROLES_VERSION) {
		roles_field_err(e, yamlr_get(root, "version"), "version",
		    "unsupported version (this program reads version 1)");
		goto out;
	}
	if ((n = roles_scalar(root, "kind", 32, e)) == NULL)
		goto out;
	for (k = 0; k < ROLES_KIND__COUNT; k++)
		if (strcmp(n->str, roles_kinds[k]) == 0)
			break;
	if (k == ROLES_KIND__COUNT) {
		roles_field_err(e, n, "kind", "not ca-service, server or listener");
		goto out;
	}
	r->kind = (enum roles_kind)k;
	if ((n = roles_scalar(root, "name", WS_NAME_MAX, e)) == NULL)
		goto out;
	if (ws_check_name(n->str, NULL) == -1) {
		roles_field_err(e, n, "name", "not a valid name");
		goto out;
	}
	memcpy(r->name, n->str, n->len + 1);
	if (roles_number(root, "pid", 1, ROLES_PID_MAX, &r->pid, e) == -1)
		goto out;
	if ((n = roles_scalar(root, "started", WS_TIME_LEN, e)) == NULL)
		goto out;
	if (ws_time_parse(n->str, n->len, &r->started) == -1) {
		roles_field_err(e, n, "started", "not a time "
		    "YYYY-MM-DDTHH:MM:SSZ");
		goto out;
	}
	/* address-1 .. address-N, N at least 1, none missing between. */
	for (i = 0; i < ROLES_ADDRS_MAX; i++) {
		snprintf(key, sizeof key, "address-%zu", i + 1);
		if (yamlr_get(root, key) == NULL)
			break;
		if ((n = roles_scalar(root, key, ROLES_ADDR_MAX + 5, e)) ==
		    NULL || roles_addr(n, key, &r->addrs[i], e) == -1)
			goto out;
	}
	r->naddrs = i;
	if (i == 0) {
		roles_field_err(e, root, "address-1", "missing");
		goto out;
	}
	/* Every key known: a typo or a fifth address is not ignored. */
	for (i = 0; i + 1 < root->nkids; i += 2) {
		const char *kk = root->kids[i]->str;
		static const char *const known[] = { "format", "version",
			"kind", "name", "pid", "started", NULL };
		size_t j;

		for (j = 0; known[j] != NULL; j++)
			if (strcmp(kk, known[j]) == 0)
				break;
		if (known[j] != NULL)
			continue;
		for (j = 0; j < r->naddrs; j++) {
			snprintf(key, sizeof key, "address-%zu", j + 1);
			if (strcmp(kk, key) == 0)
				break;
		}
		if (j == r->naddrs) {
			roles_field_err(e, root->kids[i], kk, "unknown field");
			goto out;
		}
	}
	rc = 0;
out:
	yamlr_clear(&doc);
	return rc;
}

int
roles_format(const struct roles_entry *r, char **out, size_t *len,
    struct err *e)
{
	struct yamlw w;
	struct buf b;
	char t[WS_TIME_LEN], key[32], val[ROLES_ADDR_MAX + 8];
	size_t i;

	buf_init(&b);
	yamlw_begin(&w, &b, "minipki running role: removed when it stops");
	yamlw_str(&w, "format", ROLES_FORMAT);
	yamlw_uint(&w, "version", ROLES_VERSION);
	yamlw_str(&w, "kind", roles_kind_name(r->kind));
	yamlw_str(&w, "name", r->name);
	yamlw_uint(&w, "pid", (unsigned long long)r->pid);
	ws_time_format(r->started, t);
	yamlw_str(&w, "started", t);
	for (i = 0; i < r->naddrs && i < ROLES_ADDRS_MAX; i++) {
		snprintf(key, sizeof key, "address-%zu", i + 1);
		snprintf(val, sizeof val, "%s %s", r->addrs[i].tls ? "tls" :
		    "http", r->addrs[i].addr);
		yamlw_str(&w, key, val);
	}
	if (yamlw_finish(&w, e) == -1) {
		buf_clear(&b);
		return -1;
	}
	buf_append(&b, "", 1);
	*len = b.len - 1;
	*out = (char *)b.data;
	return 0;
}

static char *
roles_dir(const struct ws *ws)
{
	return xasprintf("%s/run", ws->dir);
}

int
roles_register(const struct ws *ws, const struct roles_entry *r,
    char **path, struct err *e)
{
	char *dir = roles_dir(ws), *text = NULL, *p = NULL;
	size_t len;
	int rc = -1;

	*path = NULL;
	if (ws_mkdir(dir, e) == -1)
		goto out;
	if (roles_format(r, &text, &len, e) == -1)
		goto out;
	p = xasprintf("%s/%s.%ld.yaml", dir, roles_kind_name(r->kind),
	    r->pid);
	if (file_write(p, text, len, 0600, 0, e) == -1)
		goto out;
	*path = p;
	p = NULL;
	rc = 0;
out:
	free(p);
	free(text);
	free(dir);
	return rc;
}

void
roles_unregister(const char *path)
{
	if (path != NULL)
		(void)unlink(path);
}

static int
roles_cmp(const void *a, const void *b)
{
	return strcmp(((const struct roles_entry *)a)->file,
	    ((const struct roles_entry *)b)->file);
}

/* KIND.PID.yaml with a known kind and a pid in range: the pid the name
 * says, or 0. A name of another shape is not ours (a temporary file). */
static long
roles_file_pid(const char *name)
{
	const char *dot = strchr(name, '.'), *end;
	size_t k, n = strlen(name);
	long pid = 0;

	if (dot == NULL || n < 6 || strcmp(name + n - 5, ".yaml") != 0)
		return 0;
	for (k = 0; k < ROLES_KIND__COUNT; k++)
		if ((size_t)(dot - name) == strlen(roles_kinds[k]) &&
		    strncmp(name, roles_kinds[k], (size_t)(dot - name)) == 0)
			break;
	if (k == ROLES_KIND__COUNT)
		return 0;
	end = name + n - 5;
	for (dot++; dot < end && *dot >= '0' && *dot <= '9' && pid <=
	    ROLES_PID_MAX; dot++)
		pid = pid * 10 + (*dot - '0');
	return dot == end && pid >= 1 && pid <= ROLES_PID_MAX ? pid : 0;
}

static int
roles_alive(long pid)
{
	return kill((pid_t)pid, 0) == 0 || errno != ESRCH;
}

int
roles_list(const struct ws *ws, struct roles_entry **v, size_t *n,
    size_t *cleaned, char *warn, size_t warnlen, struct err *e)
{
	char *dir = roles_dir(ws), *p;
	struct roles_entry *out = NULL, r;
	struct dirent *d;
	struct buf b;
	struct err fe;
	size_t cnt = 0;
	long pid;
	DIR *dp;

	*v = NULL;
	*n = 0;
	if (cleaned != NULL)
		*cleaned = 0;
	if ((dp = opendir(dir)) == NULL) {
		free(dir);
		if (errno == ENOENT)
			return 0;
		return err_set(e, ERR_IO, "run: %s", strerror(errno));
	}
	buf_init(&b);
	while ((d = readdir(dp)) != NULL && cnt < ROLES_MAX) {
		if ((pid = roles_file_pid(d->d_name)) == 0)
			continue;
		p = xasprintf("%s/%s", dir, d->d_name);
		/* The name's pid decides staleness, even of a damaged file. */
		if (!roles_alive(pid)) {
			if (unlink(p) == 0 && cleaned != NULL)
				(*cleaned)++;
			free(p);
			continue;
		}
		b.len = 0;
		err_clear(&fe);
		if (file_read(p, ROLES_FILE_MAX, &b, &fe) == -1 ||
		    roles_parse(&r, b.data, b.len, &fe) == -1 ||
		    r.pid != pid) {
			if (fe.kind == ERR_NONE)
				err_set(&fe, ERR_INPUT, "pid: not the file "
				    "name's");
			if (warn != NULL && warn[0] == '\0')
				snprintf(warn, warnlen, "run/%s: %s",
				    d->d_name, fe.msg);
			free(p);
			continue;
		}
		free(p);
		snprintf(r.file, sizeof r.file, "%s", d->d_name);
		out = xreallocarray(out, cnt + 1, sizeof *out);
		out[cnt++] = r;
	}
	closedir(dp);
	buf_clear(&b);
	free(dir);
	if (cnt > 1)
		qsort(out, cnt, sizeof *out, roles_cmp);
	*v = out;
	*n = cnt;
	return 0;
}

void
roles_reg_init(struct roles_reg *g, const struct ws *ws, enum roles_kind k,
    const char *name, size_t want)
{
	memset(g, 0, sizeof *g);
	g->ws = ws;
	g->r.kind = k;
	snprintf(g->r.name, sizeof g->r.name, "%s", name);
	g->want = want < ROLES_ADDRS_MAX ? want : ROLES_ADDRS_MAX;
}

int
roles_reg_ready(struct roles_reg *g, int tls, const char *addr,
    struct err *e)
{
	struct roles_addr *a;

	if (g->path != NULL || g->r.naddrs == g->want)
		return 0;	/* more listeners than the registry keeps */
	a = &g->r.addrs[g->r.naddrs++];
	a->tls = tls;
	snprintf(a->addr, sizeof a->addr, "%s", addr);
	if (g->r.naddrs < g->want)
		return 0;
	g->r.pid = (long)getpid();
	g->r.started = (int64_t)time(NULL);
	return roles_register(g->ws, &g->r, &g->path, e);
}

void
roles_reg_clear(struct roles_reg *g)
{
	roles_unregister(g->path);
	free(g->path);
	g->path = NULL;
}
