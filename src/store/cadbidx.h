/* cadbidx.h — the CA database's serial index, ca/NAME/certs.idx.
 *
 * Issuing one certificate needs only "is this serial taken?", not the
 * certificates themselves: cadb_open with CADB_APPEND reads this small
 * header and the records after COVERS, and answers for the serials before
 * COVERS by a binary search in the file (pread), so issuing costs the same
 * at a hundred certificates as at a million. Written (atomically, through
 * file_write) whenever certs.snap is, and by an append open that could not
 * use it; binary, big-endian:
 *
 *	off  len
 *	0    16	"# minipki-idx 1\n"
 *	16   8	covers		bytes of certs.yaml it is the state after
 *	24   8	inode		certs.yaml's inode
 *	32   8	lines		number of certs.yaml's line after COVERS
 *	40   8	events		records of every type
 *	48   24	crl		number, this and next update (signed)
 *	72   8	n		certificates in the covered bytes
 *	80   64	samples		hex SHA-256 of sampled blocks of the covered
 *				bytes, as in certs.snap
 *	144  32	table samples	SHA-256 of sampled blocks of the table
 *	176  32	sum		SHA-256 of bytes 0..176
 *	208  8n	table		the keys, sorted ascending, no duplicates
 *
 * A key is the 64-bit hash cadbserial_key of a certificate's serial
 * (lower-case, leading zeros stripped: the in-memory index's hash). Two
 * serials may share a key, so a key found means "maybe taken": that only
 * makes ca_issue draw another serial. A key not found means not taken.
 *
 * It is a cache: certs.yaml alone holds the truth. It is used only when
 * its sum and table samples match, its inode, covers and samples match
 * certs.yaml (as for certs.snap), and fewer than cadbsnap_min bytes of
 * records follow COVERS; otherwise the full open runs. Deleting it at any
 * time only makes the next issuance open the database in full (and write
 * it again). ca check (cadb_verify) looks up every certificate and
 * removes a certs.idx that is wrong. */
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
