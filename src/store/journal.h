/* journal.h — a CA's batch journal, ca/NAME/journal: one record per
 * batch of the CA service, holding every record the batch appended to
 * certs.yaml, enroll.yaml and audit.yaml (file, inode, offset, bytes),
 * written with one write(2) and one fdatasync. That sync is the batch's
 * commit point: the three files are appended to but not synced one by
 * one, and a crash of the system that loses their unsynced tails is
 * undone by writing the journal's parts again (journal_replay), by the
 * next writer of each file, under that file's own lock. A part found in
 * its file already (the same bytes at its offset) is skipped, so a
 * replay can run any number of times. Format, recovery and when the
 * journal is emptied: store/FORMATS.md.
 *
 * The journal is a parser of disk input: every length is checked before
 * use, and a torn or damaged tail (an incomplete or garbled last record,
 * not acknowledged) is reported and ignored, never trusted. */
#ifndef MP_STORE_JOURNAL_H
#define MP_STORE_JOURNAL_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/err.h"

#define JOURNAL_MAGIC "# minipki-journal 1\n"
#define JOURNAL_MAGIC_LEN 20
#define JOURNAL_REC_HEAD 20		/* tag, seq, parts, body */
#define JOURNAL_PART_HEAD 21		/* file, inode, offset, length */
#define JOURNAL_PARTS_MAX 4096		/* parts in one record */
#define JOURNAL_PART_MAX (1024 * 1024)	/* bytes of one part */
#define JOURNAL_BODY_MAX (64UL * 1024 * 1024)	/* bytes of one record */
#define JOURNAL_FILE_MAX (256UL * 1024 * 1024)	/* largest journal read */
/* The file is written with zeros up to this size once (journal_open),
 * so that a record overwrites blocks that exist and its fdatasync has no
 * metadata to commit. */
#define JOURNAL_PREALLOC (4UL * 1024 * 1024)

/* The files a part belongs to (its first byte). */
enum journal_file {
	JOURNAL_CERTS = 1,	/* certs.yaml */
	JOURNAL_ENROLL = 2,	/* enroll.yaml */
	JOURNAL_AUDIT = 3,	/* audit.yaml */
};

/* One part as read back; data points into the parsed buffer. */
struct journal_part {
	int file;
	uint64_t inode, off;
	const uint8_t *data;
	uint32_t len;
	unsigned long rec;	/* its record, 1, 2, ... */
};

struct journal_log {
	struct journal_part *v;	/* owned; the data is the caller's */
	size_t n;
	unsigned long nrecs;
	uint64_t valid_end;	/* end of the last whole record */
	/* Set when bytes after valid_end were ignored: "ca/X/journal:
	 * offset 1234: record 3: checksum does not match; the rest ignored
	 * (an incomplete or damaged last batch, never acknowledged)";
	 * bad_end is then the end of those bytes, zeros after it left out. */
	char warning[512];
	uint64_t bad_end;
};

void journal_log_init(struct journal_log *);
void journal_log_clear(struct journal_log *);
/* Reads the journal in data[0..len): its records up to four zero bytes
 * where a record's tag would be (the end the writer marks after each
 * record), the end of the input or the first bad record (log->warning
 * says what was ignored and why). An empty input is
 * an empty journal; one that does not start with JOURNAL_MAGIC (or a
 * prefix of it, a torn header) is ERR_INPUT "LABEL: not a minipki
 * journal (bad magic line)". For the writers, ca check and fuzzing. */
int journal_parse(const void *data, size_t len, const char *label,
    struct journal_log *, struct err *);

/* The writer's side: the CA service, which holds the journal for its
 * life (journal_open marks this process as its holder: its own writes
 * to the three files skip journal_replay, being what the journal
 * holds). */
struct journal {
	char *path;		/* ca/NAME/journal */
	char *label;
	int fd;
	uint64_t size;		/* bytes on disk */
	uint64_t seq;		/* of the last record written */
	unsigned long batches;	/* records since it was last emptied */
	struct buf rec;		/* the batch being gathered */
	uint32_t nparts;
	int broken;		/* a write failed: journal_commit refuses */
};

void journal_init(struct journal *);
void journal_clear(struct journal *);
/* Opens (creates, 0600) DIR/journal for writing, flock(LOCK_EX) for the
 * handle's life (held by another process: ERR_LOCKED "ca/X/journal is
 * held by another process"), written with zeros up to JOURNAL_PREALLOC,
 * and empties it: the caller has replayed it into
 * the three files (journal_replay) and synced them. Records are written
 * with pwrite after the last one, each followed by a zero tag. */
int journal_open(struct journal *, const char *dir, const char *ca,
    struct err *);
/* Adds a part to the batch being gathered: len bytes appended to file
 * (its inode) at offset off. */
void journal_add(struct journal *, enum journal_file file, uint64_t inode,
    uint64_t off, const void *data, size_t len);
/* Writes the gathered batch as one record (one write(2)) and
 * fdatasyncs it: the commit point. Nothing gathered: nothing written.
 * A failure is ERR_IO and the journal writes no more (broken). */
int journal_commit(struct journal *, struct err *);
/* Forgets a gathered batch that will not be committed. */
void journal_drop(struct journal *);
/* Empties the journal (a zero tag after the header); the caller has
 * synced the three files. */
int journal_empty(struct journal *, struct err *);

/* Appends the ignored bytes of l (parsed from data), up to bad_end, to
 * PATH.torn, best effort. */
void journal_keep_torn(const char *path, const uint8_t *data,
    const struct journal_log *l);

/* Whether this process holds the journal of CA directory dir. */
int journal_held(const char *dir);

/* Writes again into one file the journal's parts for it that are not in
 * it: fd is the file (O_RDWR|O_APPEND), its writer's lock held; path
 * and label name it. Per part, in journal order: skipped when its inode
 * is not the file's (the file was rewritten whole since: compaction) or
 * its bytes are at its offset; else the file must end at the offset, or
 * inside the part, or hold only zero bytes from it (a tail lost or torn
 * by a crash: cut off there, into PATH.torn) and the part is appended;
 * anything else is ERR_INPUT ("ca/X/journal: record 2: part 1:
 * ca/X/certs.yaml differs at offset 812 (changed behind the journal)").
 * Returns the number of parts written (then fdatasynced), 0 when none
 * (or no journal), -1 on error. note, when not NULL, gets one line for
 * the log when parts were written or the journal's tail was ignored. */
int journal_replay(const char *dir, enum journal_file file, int fd,
    const char *path, const char *label, struct buf *note, struct err *);

/* What ca check says of the journal in dir without writing anything:
 * *nrecs batches, *missing of their parts not in their files (inode
 * and bytes as journal_replay judges), warning (may be NULL, 512 bytes)
 * the ignored tail's. 0, or -1 (I/O; a damaged file is a warning). */
int journal_status(const char *dir, const char *ca, unsigned long *nrecs,
    unsigned long *missing, char *warning, struct err *);

#endif
