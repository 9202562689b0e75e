/* yamlrec.h — the pieces every append-only record file shares (certs.yaml,
 * audit.yaml, enroll.yaml): a time field, and the checksum line that seals
 * a record and that readers check. Formats: store/FORMATS.md. */
#ifndef MP_STORE_YAMLREC_H
#define MP_STORE_YAMLREC_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

/* Appends "KEY: YYYY-MM-DDTHH:MM:SSZ\n". */
void yamlrec_time(struct buf *, const char *key, int64_t t);
/* Seals the record that starts at b->data[start] ("---\n..."): appends
 * "sum: " and the SHA-256 of its bytes so far in hex, then "\n...\n". */
void yamlrec_seal(struct buf *, size_t start);
/* Whether the line at sum ("sum: " and 64 hex digits; the caller has
 * checked that they are there) holds the SHA-256 of [start, sum). */
int yamlrec_sum_ok(const char *start, const char *sum);
/* Whether p[0..n) starts with the line lit ("---\n", "...\n"): 1; 0
 * when all of p is a proper prefix of it (a torn tail); -1 otherwise. */
int yamlrec_line(const char *p, size_t n, const char *lit);

#endif
