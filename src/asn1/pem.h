/* pem.h — PEM (RFC 7468) read and write, several blocks per file. */
#ifndef MP_ASN1_PEM_H
#define MP_ASN1_PEM_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/err.h"

struct pem_block {
	char label[64];		/* "CERTIFICATE", "PRIVATE KEY", ... */
	uint8_t *der;		/* decoded contents; owned by the block */
	size_t len;
	size_t line;		/* line of the BEGIN line, 1-based */
};

struct pem_list {
	struct pem_block *v;
	size_t n;
};

void pem_list_init(struct pem_list *);
/* Frees every block, wiping contents (they may be keys). */
void pem_list_clear(struct pem_list *);

/* Decodes every BEGIN/END block in text, ignoring text between blocks (as
 * OpenSSL does with the -text output before a certificate). Errors name the
 * line: "line 12: END line does not match BEGIN CERTIFICATE". Finding no
 * block at all is an error ("no PEM block found"). Legacy encrypted PEM
 * headers (Proc-Type) are refused with a clear message. At most PEM_MAX_BLOCKS. */
#define PEM_MAX_BLOCKS 1024
int pem_decode(const char *text, size_t len, struct pem_list *, struct err *);
/* Nonzero when the data looks like PEM (contains "-----BEGIN "). */
int pem_detect(const uint8_t *data, size_t len);
/* Appends one block, base64 wrapped at 64 columns. */
void pem_encode(const char *label, const uint8_t *der, size_t len,
    struct buf *out);

#endif
