/* cadbpriv.h — private to src/store: what cadb.c, cadbrec.c, cadbstr.c,
 * cadbserial.c, cadbsnap.c and cadbidx.c share about a struct cadb. The
 * formats they read and write are in store/FORMATS.md. */
#ifndef MP_STORE_CADBPRIV_H
#define MP_STORE_CADBPRIV_H

#include <stddef.h>
#include <stdint.h>

#include "store/cadb.h"
#include "util/buf.h"
#include "util/err.h"

#define CADB_MAGIC "# minipki-cadb 1\n"
#define CADB_TOKEN_MAX 64	/* type, profile, status, reason */

/* ---- cadb.c ---- */

/* Room for certs[ncerts], not initialised. */
struct cadb_cert *cadb_cert_new(struct cadb *);
/* Empties the state (certificates, strings, serial table, CRL, snapshot)
 * keeping the file, the lock and the warnings. */
void cadb_reset(struct cadb *);
/* Adds a warning line for the caller to print. */
void cadb_warn(struct cadb *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Asks for huge pages for a large array (a hint only). */
void cadb_huge(void *, size_t);

/* ---- cadbrec.c: the records of certs.yaml ---- */

/* The bytes being read: all of them (memory), or a window sliding over
 * a file so that memory does not grow with the database. */
struct cadbrec_reader {
	int fd;			/* -1: win is the whole input */
	const char *label;
	char *win;
	size_t len, cap;
	uint64_t base;		/* file offset of win[0] */
	uint64_t limit;		/* read no further (0: to the end) */
	int eof;
};

#define CADBREC_WINDOW (1024 * 1024)	/* first size of a file's window */

/* Reads every record from the magic line on and applies it to db; when
 * r->base is not 0 (after a snapshot or certs.idx), records only, from
 * there, the first on line *lines. A malformed record with nothing after it is a torn write when it is
 * incomplete: a warning, and *valid_end (a file offset) stops before it.
 * A malformed or wrong record anywhere else, a complete last one
 * included, is ERR_INPUT "LABEL: line N: why". *lines is the number of
 * the line after the last valid record. */
int cadbrec_read(struct cadb *, struct cadbrec_reader *, uint64_t *valid_end,
    unsigned long *lines, struct err *);
/* Applies one record just written (rec, the bytes at file offset base,
 * its "---" on line *line) through the same reader; *line is advanced.
 * ERR_INPUT "line N: why" when it does not read back. */
int cadbrec_add(struct cadb *, const struct buf *rec, uint64_t base,
    unsigned long *line, struct err *);
/* Whether v[0..n) is a serial as recorded: "lower-case hex", 1 to
 * CADB_SERIAL_MAX digits, quotes included. */
int cadbrec_serial_ok(const char *v, size_t n);
/* Whether s[0..n) is a token: 1 to CADB_TOKEN_MAX of [A-Za-z0-9_-]. */
int cadbrec_token_ok(const char *s, size_t n);

/* ---- cadbstr.c: the certificates' strings ---- */

/* A copy of s[0..n) with a NUL, living until the database is reset. */
char *cadbstr_copy(struct cadb *, const char *s, size_t n);
/* The one copy of a string that many certificates share (issuer,
 * profile, reason). */
char *cadbstr_intern(struct cadb *, const char *s, size_t n);
/* A quoted scalar (store/yamlq.h) as a string of the database, interned
 * when shared; NULL with the reason in why (may be NULL). */
char *cadbstr_quoted(struct cadb *, const char *v, size_t n, int shared,
    struct err *why);
/* Frees every string. */
void cadbstr_free(struct cadb *);

/* ---- cadbserial.c: the in-memory serial table ----
 *
 * Not certs.idx (cadbidx.c, on disk): this is the open-addressing hash
 * table from serial to certs[] index that every full open builds. */

/* The 64-bit hash of serial s (lower-case hex) that the serial table and
 * certs.idx use: leading zeros do not count. */
uint64_t cadbserial_key(const char *s, size_t n);
/* Lower-cases serial into out; -1 when it is not 1..CADB_SERIAL_MAX hex
 * digits. */
int cadbserial_norm(const char *serial, char out[CADB_SERIAL_MAX + 1]);
/* Index in certs of the certificate with serial s (lower-case), or -1. */
long cadbserial_find(const struct cadb *, const char *s, size_t n);
/* Adds certs[k] (the newest), growing the table to stay at most half
 * full. */
void cadbserial_add(struct cadb *, size_t k);
/* The same, unless its serial is there already: -1, not added. */
int cadbserial_add_new(struct cadb *, size_t k);
/* Sizes the table for n certificates (the first ncerts are in it). */
void cadbserial_reserve(struct cadb *, size_t n);
/* Empties the table, keeping its size. */
void cadbserial_empty(struct cadb *);
/* Frees the table. */
void cadbserial_free(struct cadb *);

#endif
