/* certext.c — one extension of a certificate, found in its DER; see certext.h. */
#include <string.h>

#include "x509/certext.h"

/* TBSCertificate ::= SEQUENCE { version [0], serialNumber, signature,
 *     issuer, validity, subject, subjectPublicKeyInfo, issuerUniqueID [1],
 *     subjectUniqueID [2], extensions [3] } */
int
certext_find(const struct cert *c, enum oid_id id, struct der *val,
    int *critical, struct err *e)
{
	/* The wanted OID's bytes, compared with each extension's: the same
	 * answer as oid_find (the table's OIDs are distinct) without looking
	 * each one up in the whole table; the path checks call this for every
	 * certificate of every path several times. */
	const struct oid_entry *want = oid_get(id);
	struct der tbs, top, list, ext;
	struct der_tlv t, oid, v;

	*critical = 0;
	der_init(&top, c->tbs, c->tbs_len, e);
	if (der_enter(&top, DER_SEQUENCE, "TBSCertificate", &tbs) == -1)
		return -1;
	while (der_more(&tbs)) {
		if (der_next(&tbs, &t) == -1)
			return -1;
		if (t.tag != DER_CTX_CONS(3))
			continue;
		der_sub(&tbs, &t, &ext);
		if (der_enter(&ext, DER_SEQUENCE, "Extensions", &list) == -1)
			return -1;
		while (der_more(&list)) {
			if (der_enter(&list, DER_SEQUENCE, "Extension", &ext) ==
			    -1 || der_get_oid(&ext, "extnID", &oid) == -1)
				return -1;
			*critical = 0;
			if (der_peek(&ext) == DER_BOOLEAN &&
			    der_get_bool(&ext, "critical", critical) == -1)
				return -1;
			if (der_get(&ext, DER_OCTET_STRING, "extnValue", &v) ==
			    -1)
				return -1;
			if (id != OID_UNKNOWN ? oid.len == want->len &&
			    memcmp(oid.val, want->der, want->len) == 0 :
			    oid_find(oid.val, oid.len) == id) {
				der_sub(&ext, &v, val);
				return 1;
			}
		}
		*critical = 0;
		return 0;
	}
	return 0;
}
