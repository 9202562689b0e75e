/* audit.h — a CA's audit log, ca/NAME/audit.yaml: append-only YAML, one
 * record per CA action, each with its checksum and the SHA-256 of the
 * record before it. Format, what the chain detects and the torn-tail
 * rule: store/FORMATS.md. Appends are one write(2) on O_APPEND plus
 * fdatasync, under flock(LOCK_EX) of audit.yaml itself: the CA lock
 * and the enrollment store's lock (store/enrolldb.h) are held by
 * different processes at once. */
#ifndef MP_STORE_AUDIT_H
#define MP_STORE_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "store/ws.h"
#include "util/err.h"

#define AUDIT_DETAILS_MAX 2048
#define AUDIT_RECORD_MAX (16 * 1024)

/* Appends one record to ca/CA/audit.yaml (created when missing). A torn
 * last record (a crash mid-append) is cut off first and kept in
 * audit.yaml.torn. A last record that fails its own sum (edited) is not
 * chained on: ERR_INPUT in audit_read's words ("...: line 40: record 4:
 * checksum does not match its contents (the record was edited)"), the log
 * left as it is. Only that record is checked (appending reads the tail
 * only); audit_read checks the chain. action is [a-z-]+; details is free
 * text (UTF-8, at most AUDIT_DETAILS_MAX bytes). */
int audit_append(const struct ws *, const char *ca, const char *action,
    const char *details, struct err *);
/* The same; with AUDIT_NOSYNC the record is written but not synced, and the
 * caller calls audit_sync before it acts on the result (batches). */
#define AUDIT_NOSYNC 0x1
int audit_append_flags(const struct ws *, const char *ca, const char *action,
    const char *details, int flags, struct err *);
int audit_sync(const struct ws *, const char *ca, struct err *);
/* audit_append on the log in the CA directory dir (the store's own
 * writers, which know the directory, not the workspace). */
int audit_append_dir(const char *dir, const char *ca, const char *action,
    const char *details, struct err *);

/* While j is set (the CA service gathering a batch: store/journal.h),
 * every record appended is also added to j; NULL stops it. An append
 * that finds the log not as this process left it first writes again
 * what the journal holds and the log lost (journal_replay), then a
 * "journal-replay" record saying so. */
struct journal;
void audit_set_journal(struct journal *);
/* That replay alone, under the log's flock: the number of records
 * written again (then audited), 0 when none. */
int audit_replay(const struct ws *, const char *ca, struct err *);

/* One record as read back. */
struct audit_rec {
	unsigned long seq;
	unsigned long line;	/* of its "---" */
	char time[32];
	char action[32];
	char *user, *from, *details;	/* owned; from may be NULL */
};

struct audit_log {
	struct audit_rec *v;	/* owned */
	size_t n;
	/* Bytes of a torn last record (incomplete, nothing after it), which
	 * audit_check reports as a warning and audit_repair cuts off. */
	uint64_t valid_end, size;
};

void audit_log_init(struct audit_log *);
void audit_log_clear(struct audit_log *);

/* Reads and checks the whole log: the magic line, every record's shape
 * and sum, seq counting up from 1, every prev against the record before.
 * The first problem is ERR_INPUT naming the line and the record:
 * "ca/NAME/audit.yaml: line 40: record 4: checksum does not match its
 * contents (the record was edited)". A missing log is an empty one. A
 * torn last record is not an error: log->valid_end < log->size says so. */
int audit_read(const struct ws *, const char *ca, struct audit_log *,
    struct err *);
/* The same on a log held in memory (tests, fuzzing). */
int audit_parse(const void *data, size_t len, const char *label,
    struct audit_log *, struct err *);
/* Cuts a torn last record off (kept in audit.yaml.torn); 1 when it did,
 * 0 when there was none. The caller holds the CA lock. */
int audit_repair(const struct ws *, const char *ca, struct err *);

#endif
