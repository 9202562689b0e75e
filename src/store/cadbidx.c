/* cadbidx.c — the CA database's serial index; see cadbidx.h.
 *
 * Opening reads the header and some 72 KiB of table samples, whatever the
 * number of certificates; a lookup is a binary search of 8-byte preads. */
#include <errno.h>
#include <fcntl.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crypto/hash.h"
#include "store/cadbidx.h"
#include "store/cadbpriv.h"
#include "store/cadbsnap.h"
#include "util/file.h"
#include "util/xalloc.h"

#define SAMPLE_BLOCK 4096
#define SAMPLES 16
#define OFF_SAMPLES 80
#define OFF_TSAMPLES 144
#define OFF_SUM 176
#define IDX_MAX (UINT64_C(1) << 32)	/* keys; certificates are fewer */

static void
put64(uint8_t *p, uint64_t v)
{
	int i;

	for (i = 7; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

static uint64_t
get64(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

void
cadbidx_init(struct cadbidx *x)
{
	memset(x, 0, sizeof *x);
	x->fd = -1;
}

void
cadbidx_clear(struct cadbidx *x)
{
	if (x->fd != -1)
		close(x->fd);
	cadbidx_init(x);
}

/* n bytes of the file at off. */
static int
rd(const struct cadbidx *x, uint64_t off, void *out, size_t n)
{
	ssize_t k;

	if (off > x->size || n > x->size - off)
		return -1;
	if (x->fd == -1) {
		memcpy(out, x->data + off, n);
		return 0;
	}
	do
		k = pread(x->fd, out, n, (off_t)off);
	while (k == -1 && errno == EINTR);
	return k == (ssize_t)n ? 0 : -1;
}

/* SHA-256 of sampled blocks of the table (bytes CADBIDX_HEADER on): the
 * first and last 4 KiB and 16 blocks between, or all of it when small.
 * Each block's keys must be sorted, too. */
static int
table_samples(const struct cadbidx *x, uint8_t out[32])
{
	struct sha256_ctx h;
	uint8_t blk[SAMPLE_BLOCK];
	uint64_t len = x->n * 8, off, span;
	size_t n, k;
	int i;

	sha256_init(&h);
	for (i = 0, off = 0; off < len; i++) {
		if (len <= (SAMPLES + 2) * (uint64_t)SAMPLE_BLOCK)
			n = len - off < SAMPLE_BLOCK ? (size_t)(len - off) :
			    SAMPLE_BLOCK;
		else {
			if (i > SAMPLES + 1)
				break;
			span = len - SAMPLE_BLOCK;
			/* Whole keys: offsets a multiple of 8. */
			off = i == SAMPLES + 1 ? span : span / (SAMPLES + 1) *
			    (uint64_t)i & ~(uint64_t)7;
			n = SAMPLE_BLOCK;
		}
		if (rd(x, CADBIDX_HEADER + off, blk, n) == -1)
			return -1;
		for (k = 8; k < n; k += 8)
			if (get64(blk + k - 8) >= get64(blk + k))
				return -1;
		sha256_update(&h, n, blk);
		if (len <= (SAMPLES + 2) * (uint64_t)SAMPLE_BLOCK)
			off += n;
	}
	sha256_digest(&h, 32, out);
	return 0;
}

static int
header(struct cadbidx *x, const char *label, struct err *e)
{
	uint8_t hd[CADBIDX_HEADER], d[32];
	size_t i;

#define BAD(msg) do { \
	err_set(e, ERR_INPUT, "%s: %s", label, msg); \
	goto bad; \
} while (0)
	if (x->size < CADBIDX_HEADER || rd(x, 0, hd, sizeof hd) == -1)
		BAD("shorter than its header");
	if (memcmp(hd, CADBIDX_MAGIC, 16) != 0)
		BAD("not a minipki serial index");
	hash_sha256(hd, OFF_SUM, d);
	if (memcmp(d, hd + OFF_SUM, 32) != 0)
		BAD("header checksum does not match");
	x->covers = get64(hd + 16);
	x->inode = get64(hd + 24);
	x->lines = get64(hd + 32);
	x->events = get64(hd + 40);
	x->crl_number = get64(hd + 48);
	x->crl_this_update = (int64_t)get64(hd + 56);
	x->crl_next_update = (int64_t)get64(hd + 64);
	x->n = get64(hd + 72);
	for (i = 0; i < 64; i++)
		if (!((hd[OFF_SAMPLES + i] >= '0' && hd[OFF_SAMPLES + i] <=
		    '9') || (hd[OFF_SAMPLES + i] >= 'a' &&
		    hd[OFF_SAMPLES + i] <= 'f')))
			BAD("samples: not hex");
	memcpy(x->samples, hd + OFF_SAMPLES, 64);
	x->samples[64] = '\0';
	/* Each certificate's record takes more than 64 bytes. */
	if (x->n > IDX_MAX || x->n > x->events || x->n > x->covers / 64 ||
	    x->lines < 2 || x->covers >= CADB_FILE_MAX)
		BAD("counts out of range");
	if (x->size != CADBIDX_HEADER + 8 * x->n)
		BAD("size does not match the number of keys");
	if (table_samples(x, d) == -1)
		BAD("table is not sorted");
	if (memcmp(d, hd + OFF_TSAMPLES, 32) != 0)
		BAD("table samples do not match");
#undef BAD
	return 0;
bad:
	return -1;
}

int
cadbidx_open(struct cadbidx *x, const char *path, const char *label,
    struct err *e)
{
	struct stat st;

	cadbidx_clear(x);
	if ((x->fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1 ||
	    fstat(x->fd, &st) == -1) {
		err_set(e, ERR_IO, "%s: %s", label, strerror(errno));
		goto bad;
	}
	x->size = (uint64_t)st.st_size;
	if (header(x, label, e) == 0)
		return 0;
bad:
	cadbidx_clear(x);
	return -1;
}

int
cadbidx_parse(struct cadbidx *x, const void *data, size_t len,
    const char *label, struct err *e)
{
	cadbidx_clear(x);
	x->data = data;
	x->size = len;
	if (header(x, label, e) == 0)
		return 0;
	cadbidx_clear(x);
	return -1;
}

int
cadbidx_has(const struct cadbidx *x, uint64_t key)
{
	uint64_t lo = 0, hi = x->n, mid, v, lov = 0, hiv = UINT64_MAX;
	uint8_t b[8];

	/* The keys seen bound the ones between: a table not sorted where
	 * the search goes is an error, not a wrong answer. */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (rd(x, CADBIDX_HEADER + mid * 8, b, 8) == -1)
			return -1;
		v = get64(b);
		if (v < lov || v > hiv)
			return -1;
		if (v == key)
			return 1;
		if (v < key) {
			lo = mid + 1;
			lov = v;
		} else {
			hi = mid;
			hiv = v;
		}
	}
	return 0;
}

static int
key_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

int
cadbidx_build(const struct cadb *db, uint64_t inode, struct buf *out,
    struct err *e)
{
	struct cadbidx t;
	uint64_t *keys;
	uint8_t *hd, *p;
	size_t i, n = 0;
	char hex[65];
	uint8_t d[32];

	if (db->append_only)
		return err_set(e, ERR_USAGE, "%s: opened for issuing only; the "
		    "serial index needs the full state", db->label);
	if (cadbsnap_samples(db, db->size, hex) == -1)
		return err_set(e, ERR_IO, "%s: cannot read the sampled blocks",
		    db->label != NULL ? db->label : "certs.yaml");
	keys = xreallocarray(NULL, db->ncerts + 1, sizeof *keys);
	for (i = 0; i < db->ncerts; i++)
		keys[i] = cadbserial_key(db->certs[i].serial,
		    strlen(db->certs[i].serial));
	qsort(keys, db->ncerts, sizeof *keys, key_cmp);
	/* Serials sharing a key need it once. */
	for (i = 0; i < db->ncerts; i++)
		if (n == 0 || keys[i] != keys[n - 1])
			keys[n++] = keys[i];
	hd = buf_reserve(out, CADBIDX_HEADER + 8 * n);
	memset(hd, 0, CADBIDX_HEADER);
	memcpy(hd, CADBIDX_MAGIC, 16);
	put64(hd + 16, db->size);
	put64(hd + 24, inode);
	put64(hd + 32, db->next_line);
	put64(hd + 40, db->nevents);
	put64(hd + 48, db->crl_number);
	put64(hd + 56, (uint64_t)db->crl_this_update);
	put64(hd + 64, (uint64_t)db->crl_next_update);
	put64(hd + 72, n);
	memcpy(hd + OFF_SAMPLES, hex, 64);
	for (i = 0, p = hd + CADBIDX_HEADER; i < n; i++, p += 8)
		put64(p, keys[i]);
	free(keys);
	cadbidx_init(&t);
	t.data = hd;
	t.size = CADBIDX_HEADER + 8 * n;
	t.n = n;
	if (table_samples(&t, d) == -1)	/* cannot fail: sorted, in memory */
		return err_set(e, ERR_IO, "serial index: not sorted");
	memcpy(hd + OFF_TSAMPLES, d, 32);
	hash_sha256(hd, OFF_SUM, hd + OFF_SUM);
	out->len += CADBIDX_HEADER + 8 * n;
	return 0;
}

int
cadbidx_write(const struct cadb *db, const char *path, uint64_t inode,
    struct err *e)
{
	struct buf out;
	int rc;

	cadbsnap_sweep(path);
	buf_init(&out);
	rc = cadbidx_build(db, inode, &out, e);
	if (rc == 0)
		rc = file_write(path, out.data, out.len, 0600, 0, e);
	buf_clear(&out);
	return rc;
}

int
cadbidx_check(const struct cadbidx *x, const struct cadb *db, struct err *e)
{
	uint8_t chunk[65536];
	uint64_t i, prev = 0, n = 0, key, distinct, *keys;
	size_t k, got;
	int rc = -1;

	/* Sorted, each key once. */
	for (i = 0; i < x->n; i += got) {
		got = x->n - i < sizeof chunk / 8 ? (size_t)(x->n - i) :
		    sizeof chunk / 8;
		if (rd(x, CADBIDX_HEADER + i * 8, chunk, got * 8) == -1) {
			return err_set(e, ERR_IO, "cannot be read");
		}
		for (k = 0; k < got; k++) {
			key = get64(chunk + 8 * k);
			if (i + k > 0 && key <= prev) {
				return err_set(e, ERR_INPUT, "key %llu is out "
				    "of order", (unsigned long long)(i + k));
			}
			prev = key;
		}
	}
	keys = xreallocarray(NULL, db->ncerts + 1, sizeof *keys);
	for (k = 0; k < db->ncerts; k++) {
		const struct cadb_cert *c = &db->certs[k];

		if (c->line >= x->lines)
			continue;
		keys[n++] = cadbserial_key(c->serial, strlen(c->serial));
		if (cadbidx_has(x, keys[n - 1]) != 1) {
			err_set(e, ERR_INPUT, "serial %s (line %lu) is "
			    "missing", c->serial, c->line);
			goto out;
		}
	}
	/* As many keys as distinct ones among the certificates covered. */
	qsort(keys, (size_t)n, sizeof *keys, key_cmp);
	for (i = 0, distinct = 0; i < n; i++)
		if (i == 0 || keys[i] != keys[i - 1])
			distinct++;
	if (distinct != x->n) {
		err_set(e, ERR_INPUT, "holds %llu keys for %llu certificates",
		    (unsigned long long)x->n, (unsigned long long)distinct);
		goto out;
	}
	rc = 0;
out:
	free(keys);
	return rc;
}
