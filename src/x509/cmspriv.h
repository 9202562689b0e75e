/* cmspriv.h — the ContentInfo and PEM reading that SignedData (cms.c) and
 * EnvelopedData (cms-envread.c) share; not for other callers. */
#ifndef MP_X509_CMSPRIV_H
#define MP_X509_CMSPRIV_H

#include <stddef.h>
#include <stdint.h>

#include "asn1/der.h"
#include "util/err.h"
#include "x509/dn.h"

/* Copies der (at most CMS_MAX_SIZE bytes, else ERR_INPUT "CMS message
 * larger than N bytes") into *copy (the caller frees it, also on failure)
 * and opens ContentInfo ::= SEQUENCE { contentType, content [0] }: ci is
 * the cursor inside it and *type the contentType read. */
int cms_content_info(const uint8_t *der, size_t len, uint8_t **copy,
    size_t *copy_len, struct der *ci, struct der_tlv *type, struct err *);
/* Enters content [0] EXPLICIT and its SEQUENCE named what (the content
 * type's structure) ... */
int cms_content_enter(struct der *ci, const char *what, struct der *content,
    struct der *inner);
/* ... and, once inner is read, checks that nothing follows it. */
int cms_content_leave(struct der *ci, struct der *content);

/* SignerIdentifier / RecipientIdentifier ::= CHOICE {
 *     issuerAndSerialNumber IssuerAndSerialNumber,
 *     subjectKeyIdentifier [0] SubjectKeyIdentifier }
 * the first when by_name (issuer, serial of at most CERT_MAX_SERIAL
 * bytes), else the second (ski, 1 to EXT_MAX_KEYID bytes). */
int cms_get_sid(struct der *, int by_name, struct dn *issuer,
    uint8_t *serial, size_t *serial_len, uint8_t *ski, size_t *ski_len);

typedef int cms_parse_fn(void *c, const uint8_t *der, size_t len,
    struct err *);
/* What cms_load and cms_env_load share: data that is not PEM goes to parse
 * as it is; in PEM, the first block labelled PKCS7 or CMS does, its errors
 * prefixed "line N"; PEM without one is ERR_INPUT none. */
int cms_read_pem(void *c, const uint8_t *data, size_t len,
    cms_parse_fn *parse, const char *none, struct err *);

#endif
