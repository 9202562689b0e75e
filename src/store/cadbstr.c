/* cadbstr.c — the certificates' strings: one arena per database, so
 * that memory per certificate stays small, with the strings that many
 * share (issuer, profile, reason) interned; see cadbpriv.h. */
#include <stdlib.h>
#include <string.h>

#include "store/cadbpriv.h"
#include "store/yamlq.h"
#include "util/xalloc.h"

struct cadb_arena {
	struct cadb_arena *next;
	size_t used, cap;
	char data[];
};

#define ARENA_CHUNK (1024 * 1024)
#define INTERN_MAX 64

void
cadbstr_free(struct cadb *db)
{
	struct cadb_arena *a, *next;

	for (a = db->arena; a != NULL; a = next) {
		next = a->next;
		free(a);
	}
	db->arena = NULL;
	free(db->strs);
	db->strs = NULL;
	db->nstrs = 0;
}

char *
cadbstr_copy(struct cadb *db, const char *s, size_t n)
{
	struct cadb_arena *a = db->arena;
	size_t cap;
	char *p;

	if (a == NULL || a->cap - a->used < n + 1) {
		cap = n + 1 > ARENA_CHUNK ? n + 1 : ARENA_CHUNK;
		a = xmalloc(sizeof *a + cap);
		cadb_huge(a, sizeof *a + cap);
		a->used = 0;
		a->cap = cap;
		/* A block of its own goes behind the current one, which still
		 * has room. */
		if (db->arena != NULL && cap > ARENA_CHUNK) {
			a->next = db->arena->next;
			db->arena->next = a;
		} else {
			a->next = db->arena;
			db->arena = a;
		}
	}
	p = a->data + a->used;
	a->used += n + 1;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/* Past INTERN_MAX distinct strings, a copy each: a linear search stays
 * short. */
char *
cadbstr_intern(struct cadb *db, const char *s, size_t n)
{
	size_t i;
	char *p;

	for (i = 0; i < db->nstrs; i++)
		if (strncmp(db->strs[i], s, n) == 0 && db->strs[i][n] == '\0')
			return (char *)db->strs[i];
	p = cadbstr_copy(db, s, n);
	if (db->nstrs < INTERN_MAX) {
		db->strs = xreallocarray(db->strs, db->nstrs + 1,
		    sizeof *db->strs);
		db->strs[db->nstrs++] = p;
	}
	return p;
}

/* Most values are plain ASCII: those are copied as they are. */
char *
cadbstr_quoted(struct cadb *db, const char *v, size_t n, int shared,
    struct err *why)
{
	struct buf b;
	char *out;

	if (yamlq_plain(v, n))
		return shared ? cadbstr_intern(db, v + 1, n - 2) :
		    cadbstr_copy(db, v + 1, n - 2);
	buf_init(&b);
	if (yamlq_get(v, n, &b, why) == -1) {
		buf_clear(&b);
		return NULL;
	}
	out = shared ? cadbstr_intern(db, (char *)b.data, b.len) :
	    cadbstr_copy(db, (char *)b.data, b.len);
	buf_clear(&b);
	return out;
}
