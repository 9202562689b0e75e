/* pkeypriv.h — what pkey.c and pkey-ec.c share; not for other callers. */
#ifndef MP_X509_PKEYPRIV_H
#define MP_X509_PKEYPRIV_H

#include "asn1/der.h"
#include "crypto/ecdsa256.h"

/* A key AlgorithmIdentifier as read: which algorithm, and when it cannot
 * be used (another algorithm, another curve), why. */
struct pkey_alg {
	enum oid_id alg;
	char why[160];
};

void pkey_ec_encode_alg(struct derw *);
/* ECPrivateKey without the curve, as it sits inside PKCS#8. */
void pkey_ec_encode_sec1_inner(struct derw *, const struct ec256key *);
int pkey_ec_get_curve(struct der *, struct pkey_alg *);
/* Reads an ECPrivateKey (need_curve: the bare SEC1 form, whose [0] must
 * name prime256v1) and checks its public point against the scalar. */
int pkey_ec_get_private(struct der *, struct ec256key *, int need_curve);

#endif
