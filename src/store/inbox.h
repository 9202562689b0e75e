/* inbox.h — a client's received messages: WORKSPACE/inbox/NAME/, each
 * message as received (the CMS SignedData, or the EnvelopedData sealing
 * one, DER) in its own file and an append-only index of them with the
 * listener's verdict. Format and crash rules: store/FORMATS.md, "inbox". */
#ifndef MP_STORE_INBOX_H
#define MP_STORE_INBOX_H

#include <stddef.h>
#include <stdint.h>

#include "store/ws.h"
#include "util/err.h"

#define INBOX_TEXT_MAX 4096		/* a string field */
#define INBOX_FILE_MAX (64 * 1024 * 1024)	/* index.yaml */
#define INBOX_MSG_MAX (1024 * 1024)	/* a message file */
#define INBOX_MAX_ID 999999999UL

/* The verdicts, as written. */
#define INBOX_VERDICTS "good, revoked, invalid, unknown, unchecked"

struct inbox_rec {
	unsigned long id;	/* 1, 2, ... in file order */
	int64_t time;		/* received */
	char *from;		/* the signer's subject ("" when none); owned */
	char *peer;		/* the TLS peer's subject; owned */
	char verdict[12];	/* one of INBOX_VERDICTS */
	char *why;		/* the verdict's reason, one line; owned */
	size_t size;		/* the message file's bytes */
	char file[20];		/* "000000001.cms" in the inbox directory */
};

struct inbox {
	struct inbox_rec *v;
	size_t n, cap;
	size_t good_len;	/* bytes of index.yaml up to the last whole
				 * record */
	int torn;		/* an incomplete last record was skipped */
};

void inbox_init(struct inbox *);
void inbox_clear(struct inbox *);

/* WORKSPACE/inbox/NAME (the caller frees). */
char *inbox_dir(const struct ws *, const char *name);

/* Parses index.yaml's bytes. label names the file in errors, which are
 * ERR_INPUT "LABEL: line N: ..." (a bad magic line, a field out of its
 * order or shape, a checksum that does not match, ids not 1, 2, ...).
 * An incomplete last record (a crash while appending) is skipped: torn
 * is set and good_len says where the whole records end. */
int inbox_parse(struct inbox *, const char *data, size_t len,
    const char *label, struct err *);
/* Reads inbox NAME's index; no inbox yet is an empty one. */
int inbox_read(const struct ws *, const char *name, struct inbox *,
    struct err *);

/* The writer: one listener per inbox (flock on inbox/NAME/lock; another
 * is ERR_LOCKED "inbox 'NAME' is in use by another listener (pid N)"). */
struct inbox_writer {
	char *dir;
	char *label;		/* "inbox/NAME/index.yaml" */
	int lockfd, fd;
	unsigned long next;	/* the next message's id */
};

/* Creates the inbox when needed, takes the lock, reads the index (a torn
 * tail is cut off, saved to index.yaml.torn) and opens it for appending. */
int inbox_open(struct inbox_writer *, const struct ws *, const char *name,
    struct err *);
/* Stores one message: der into its file (written whole and synced
 * first), then its record (r's id and file are set here) appended with
 * one write(2) and synced. After a crash between the two the file is an
 * orphan that no record names; the id is used again and the file
 * replaced. */
int inbox_add(struct inbox_writer *, struct inbox_rec *r,
    const uint8_t *der, size_t len, struct err *);
void inbox_close(struct inbox_writer *);

#endif
