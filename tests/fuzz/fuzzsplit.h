/* fuzzsplit.h — what the stream fuzz targets (the HTTP request engine and
 * the response reader) share: the input fed at once and in pieces must
 * give the same messages, and fail alike. */
#ifndef MP_FUZZSPLIT_H
#define MP_FUZZSPLIT_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

/* Runs data through a fresh engine in pieces (fuzzsplit_piece says how
 * long each is), the messages seen written to log as text; nonzero when
 * the stream failed. */
typedef int fuzzsplit_run_fn(const uint8_t *data, size_t size, size_t step,
    const size_t *cut, struct buf *log);

/* The length of the piece at off: the rest, at most step bytes (0: no
 * bound), ending at the cut points cut[0..1] (NULL: none). */
size_t fuzzsplit_piece(size_t off, size_t size, size_t step,
    const size_t *cut);
/* Runs data whole, then cut at one of four patterns of points (picked by
 * the input) and byte by byte (up to 2 KiB; longer inputs: at a second
 * pattern);
 * aborts when a run fails where the whole did not (or the other way) or,
 * when neither failed, sees other messages. An error may be found at
 * another place in pieces (a long field is seen before a bad byte after
 * it), so only the failure itself is compared. */
void fuzzsplit_check(const uint8_t *data, size_t size, fuzzsplit_run_fn *);

#endif
