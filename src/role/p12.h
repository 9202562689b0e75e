/* p12.h — an entity's key and chain to and from PKCS#12 (x509/pkcs12.h):
 * the operations behind `export --p12` and `import --p12`, shared by the
 * CLI and the TUI. Nothing here prints. */
#ifndef MP_ROLE_P12_H
#define MP_ROLE_P12_H

#include <stddef.h>
#include <stdint.h>

#include "store/ws.h"
#include "util/buf.h"
#include "util/err.h"

/* What an import found and stored. */
struct p12_imported {
	const char *key_type;	/* "rsa" or "ec" (P-256); static */
	unsigned bits;		/* the key's size */
	size_t ncerts;		/* certificates stored (leaf first) */
	size_t nskipped;	/* certificates in the file not in the chain */
	char *subject;		/* the key's certificate subject; owned */
};

void p12_imported_clear(struct p12_imported *);

/* Appends keystore NAME's key (RSA or P-256, as PKCS#8 in a shrouded key
 * bag; unlocked with pass), its certificate and
 * the stored chain to out as a PFX under outpass; legacy selects the
 * 3DES / SHA-1 form. No certificate yet is ERR_REFUSED. */
int p12_export(const struct ws *, const char *name, const void *pass,
    size_t passlen, const char *outpass, size_t outpasslen, int legacy,
    struct buf *out, struct err *);

/* Reads a PFX opened with p12pass (MAC first: a wrong passphrase is
 * ERR_PASS), finds its one private key and that key's certificate (by
 * localKeyID, else by public key), orders the chain from it by issuer,
 * and creates keystore NAME under storepass. A key without its
 * certificate is ERR_INPUT "the private key's certificate is not in the
 * file". res may be NULL. */
int p12_import(const struct ws *, const char *name, const uint8_t *data,
    size_t len, const char *p12pass, size_t p12passlen,
    const void *storepass, size_t storepasslen, struct p12_imported *res,
    struct err *);

#endif
