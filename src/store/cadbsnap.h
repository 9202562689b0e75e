/* cadbsnap.h — the CA database's snapshot, ca/NAME/certs.snap: the state
 * after the first COVERS bytes of certs.yaml, so that cadb_open need not
 * re-read and re-hash a large database. Format and the checks before it
 * is trusted: store/FORMATS.md. */
#ifndef MP_STORE_CADBSNAP_H
#define MP_STORE_CADBSNAP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "store/cadb.h"
#include "util/buf.h"
#include "util/err.h"

#define CADBSNAP_MAGIC "# minipki-cadb-snapshot 1\n"
#define CADBSNAP_FILE_MAX (UINT64_C(1) << 36)	/* largest snapshot read */

/* Bytes of records beyond the snapshot that make cadb_open rewrite it
 * (default 8 MiB; tests set 0). */
extern uint64_t cadbsnap_min;

/* Loads a snapshot held in memory into db (cleared first; the label
 * names it in messages); the entry point for tests and fuzzing. ERR_INPUT
 * naming the line when it is malformed or its sum does not match. */
int cadbsnap_parse(struct cadb *, const void *data, size_t len,
    const char *label, struct err *);
/* db's state as a snapshot covering db->size bytes; the samples are read
 * from db->fd (or db->data for cadb_parse). inode is certs.yaml's. */
int cadbsnap_build(const struct cadb *, uint64_t inode, struct buf *out,
    struct err *);
/* Loads path into db (open on certs.yaml, whose stat is st) when it
 * matches certs.yaml: 1, db holds its state (db->snap_covers, size and
 * next_line set); 0 when missing, malformed or not matching: db is
 * reset. */
int cadbsnap_load(struct cadb *, const char *path, const struct stat *st);
/* Writes db's state to path (atomically). */
int cadbsnap_write(const struct cadb *, const char *path, uint64_t inode,
    struct err *);

/* SHA-256 (hex) of the sampled blocks of certs.yaml's first covers bytes,
 * read from db->fd (or db->data); what certs.snap and certs.idx record. */
int cadbsnap_samples(const struct cadb *, uint64_t covers, char out[65]);

/* Whether certs.yaml's first covers bytes end with a whole record, where
 * the records after a snapshot or certs.idx are read from; a cache
 * covering only the header, or ending inside a record, is not used (its
 * tail would be read from inside a record and cut off as a torn one). */
int cadbsnap_record_end(const struct cadb *, uint64_t covers);

/* Removes path.tmp.* that killed writers left (untouched for 10 minutes);
 * certs.idx's writer uses it too. */
void cadbsnap_sweep(const char *path);

#endif
