/* cadbidx.h — the CA database's serial index, ca/NAME/certs.idx (on
 * disk; not the in-memory serial table of cadbserial.c): the sorted
 * hashes of the serials before COVERS, so that an issuing open answers
 * "is this serial taken?" without reading the certificates. Format, and
 * when it is used or ignored: store/FORMATS.md. */
#ifndef MP_STORE_CADBIDX_H
#define MP_STORE_CADBIDX_H

#include <stddef.h>
#include <stdint.h>

#include "store/cadb.h"
#include "util/buf.h"
#include "util/err.h"

#define CADBIDX_MAGIC "# minipki-idx 1\n"
#define CADBIDX_HEADER 208

struct cadbidx {
	int fd;			/* the file, or -1: data holds it */
	const uint8_t *data;	/* borrowed from cadbidx_parse's caller */
	uint64_t size;		/* of the file */
	uint64_t covers, inode, lines, events, n;
	uint64_t crl_number;
	int64_t crl_this_update, crl_next_update;
	char samples[65];	/* hex, of certs.yaml's covered bytes */
};

void cadbidx_init(struct cadbidx *);
void cadbidx_clear(struct cadbidx *);
/* Opens path and checks its header and the table's samples; nothing
 * else is read. ERR_INPUT naming the label when it is malformed, ERR_IO
 * when it cannot be read (ENOENT: missing). */
int cadbidx_open(struct cadbidx *, const char *path, const char *label,
    struct err *);
/* The same over a file held in memory (not copied; it must outlive x):
 * the entry point for tests and fuzzing. */
int cadbidx_parse(struct cadbidx *, const void *data, size_t len,
    const char *label, struct err *);
/* Whether key is in the table: 1 found, 0 not, -1 the file could not be
 * read or is not sorted where the search went. */
int cadbidx_has(const struct cadbidx *, uint64_t key);
/* db's state (a full one, not an append open) as a serial index covering
 * db->size bytes; the samples are read as cadbsnap_build does. */
int cadbidx_build(const struct cadb *, uint64_t inode, struct buf *out,
    struct err *);
/* Writes it to path (atomically). */
int cadbidx_write(const struct cadb *, const char *path, uint64_t inode,
    struct err *);
/* Checks x against db, a full state read from every byte of certs.yaml
 * (cadb_verify): the table is sorted, each certificate recorded before
 * x->covers has its key in it, and it holds no other keys. 0, or -1 with
 * the reason (no place). */
int cadbidx_check(const struct cadbidx *, const struct cadb *, struct err *);

#endif
