/* cadbserial.c — the in-memory serial table of a CA database: open
 * addressing from a serial's hash to its certificate, so that a lookup
 * costs the same however many there are. Not certs.idx (cadbidx.c), the
 * file that an issuing open reads instead; see cadbpriv.h. */
#include <stdlib.h>
#include <string.h>

#include "store/cadbpriv.h"
#include "util/xalloc.h"

/* Serials: lower-case hex; the table compares them without leading
 * zeros, so "00ab" and "AB" are the same serial. */
static void
serial_strip(const char **s, size_t *n)
{
	while (*n > 1 && (*s)[0] == '0') {
		(*s)++;
		(*n)--;
	}
}

uint64_t
cadbserial_key(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;	/* FNV-1a */
	size_t i;

	serial_strip(&s, &n);
	for (i = 0; i < n; i++) {
		h ^= (uint8_t)s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

static int
serial_eq(const char *a, size_t an, const char *b, size_t bn)
{
	serial_strip(&a, &an);
	serial_strip(&b, &bn);
	return an == bn && memcmp(a, b, an) == 0;
}

/* Each slot of the table keeps 32 more bits of the serial's hash: a
 * probe looks at a certificate only when they match (1 << 31 marks the
 * tag as set). */
static uint32_t
tag_of(uint64_t h)
{
	return (uint32_t)(h >> 32) | UINT32_C(0x80000000);
}

long
cadbserial_find(const struct cadb *db, const char *s, size_t n)
{
	size_t mask = db->index_cap - 1, i;
	const struct cadb_cert *c;
	uint64_t h;
	uint32_t tag;

	if (db->index_cap == 0)
		return -1;
	h = cadbserial_key(s, n);
	tag = tag_of(h);
	for (i = h & mask; db->index[i] != 0; i = (i + 1) & mask) {
		if (db->index_tag[i] != tag)
			continue;
		c = &db->certs[db->index[i] - 1];
		if (serial_eq(c->serial, strlen(c->serial), s, n))
			return (long)(db->index[i] - 1);
	}
	return -1;
}

/* Puts certs[k] in the table; -1 (and not put) when its serial is in it
 * already, if dup is set. */
static int
index_put(struct cadb *db, size_t k, int dup)
{
	size_t mask = db->index_cap - 1, i, n;
	const char *s = db->certs[k].serial, *t;
	uint64_t h;
	uint32_t tag;

	n = strlen(s);
	h = cadbserial_key(s, n);
	tag = tag_of(h);
	for (i = h & mask; db->index[i] != 0; i = (i + 1) & mask) {
		if (dup && db->index_tag[i] == tag) {
			t = db->certs[db->index[i] - 1].serial;
			if (serial_eq(t, strlen(t), s, n))
				return -1;
		}
	}
	db->index[i] = (uint32_t)(k + 1);
	db->index_tag[i] = tag;
	return 0;
}

void
cadbserial_add(struct cadb *db, size_t k)
{
	if ((k + 1) * 2 > db->index_cap)
		cadbserial_reserve(db, k + 1);
	(void)index_put(db, k, 0);
}

int
cadbserial_add_new(struct cadb *db, size_t k)
{
	if ((k + 1) * 2 > db->index_cap)
		cadbserial_reserve(db, k + 1);
	return index_put(db, k, 1);
}

void
cadbserial_reserve(struct cadb *db, size_t n)
{
	size_t i, cap = db->index_cap == 0 ? 1024 : db->index_cap;

	while (n * 2 > cap)
		cap *= 2;
	if (cap == db->index_cap)
		return;
	free(db->index);
	free(db->index_tag);
	db->index_cap = cap;
	db->index = xcalloc(db->index_cap, sizeof *db->index);
	db->index_tag = xcalloc(db->index_cap, sizeof *db->index_tag);
	cadb_huge(db->index, db->index_cap * sizeof *db->index);
	cadb_huge(db->index_tag, db->index_cap * sizeof *db->index_tag);
	for (i = 0; i < db->ncerts; i++)
		(void)index_put(db, i, 0);
}

int
cadbserial_norm(const char *serial, char out[CADB_SERIAL_MAX + 1])
{
	size_t i, n = strnlen(serial, CADB_SERIAL_MAX + 1);

	if (n == 0 || n > CADB_SERIAL_MAX)
		return -1;
	for (i = 0; i < n; i++) {
		char c = serial[i];

		if (c >= 'A' && c <= 'F')
			c = (char)(c - 'A' + 'a');
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return -1;
		out[i] = c;
	}
	out[n] = '\0';
	return 0;
}

void
cadbserial_empty(struct cadb *db)
{
	if (db->index != NULL)
		memset(db->index, 0, db->index_cap * sizeof *db->index);
}

void
cadbserial_free(struct cadb *db)
{
	free(db->index);
	free(db->index_tag);
	db->index = NULL;
	db->index_tag = NULL;
	db->index_cap = 0;
}
