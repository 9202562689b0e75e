/* certext.h — finding one extension in a certificate's DER, for the
 * checks that need more of an extension than struct ext_info keeps
 * (policies, distribution point names). */
#ifndef MP_X509_CERTEXT_H
#define MP_X509_CERTEXT_H

#include "asn1/der.h"
#include "x509/cert.h"

/* Finds extension id in c (parsed by cert_parse, so well formed). Returns
 * 1 with val on the extnValue contents (val->err = e) and *critical set,
 * 0 when absent, -1 on a structure error in e. */
int certext_find(const struct cert *c, enum oid_id id, struct der *val,
    int *critical, struct err *e);

#endif
