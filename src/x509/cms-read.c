/* cms-read.c — the ContentInfo and PEM reading that SignedData (cms.c) and
 * EnvelopedData (cms-envread.c) share; see cmspriv.h. */
#include <stdlib.h>
#include <string.h>

#include "asn1/pem.h"
#include "util/xalloc.h"
#include "x509/cms.h"
#include "x509/cmspriv.h"

int
cms_content_info(const uint8_t *der, size_t len, uint8_t **copy,
    size_t *copy_len, struct der *ci, struct der_tlv *type, struct err *e)
{
	struct der d;

	if (len > CMS_MAX_SIZE)
		return err_set(e, ERR_INPUT, "CMS message larger than %d bytes",
		    CMS_MAX_SIZE);
	*copy = xmalloc(len > 0 ? len : 1);
	if (len > 0)
		memcpy(*copy, der, len);
	*copy_len = len;
	der_init(&d, *copy, len, e);
	if (der_enter(&d, DER_SEQUENCE, "ContentInfo", ci) == -1 ||
	    der_finish(&d, "CMS message") == -1 ||
	    der_get_oid(ci, "contentType", type) == -1)
		return -1;
	return 0;
}

int
cms_content_enter(struct der *ci, const char *what, struct der *content,
    struct der *inner)
{
	if (der_enter(ci, DER_CTX_CONS(0), "content", content) == -1 ||
	    der_enter(content, DER_SEQUENCE, what, inner) == -1)
		return -1;
	return 0;
}

int
cms_content_leave(struct der *ci, struct der *content)
{
	if (der_finish(content, "content") == -1 ||
	    der_finish(ci, "ContentInfo") == -1)
		return -1;
	return 0;
}

int
cms_get_sid(struct der *d, int by_name, struct dn *issuer, uint8_t *serial,
    size_t *serial_len, uint8_t *ski, size_t *ski_len)
{
	struct der ias;
	struct der_tlv t;

	if (by_name) {
		if (der_enter(d, DER_SEQUENCE, "issuerAndSerialNumber",
		    &ias) == -1 || dn_parse(&ias, issuer) == -1 ||
		    der_get_int(&ias, "serialNumber", &t) == -1)
			return -1;
		if (t.len > CERT_MAX_SERIAL)
			return der_fail(&ias, t.off, "serial number of %zu "
			    "bytes (at most %d)", t.len, CERT_MAX_SERIAL);
		memcpy(serial, t.val, t.len);
		*serial_len = t.len;
		return der_finish(&ias, "issuerAndSerialNumber");
	}
	if (der_get(d, DER_CTX(0), "subjectKeyIdentifier", &t) == -1)
		return -1;
	if (t.len == 0 || t.len > EXT_MAX_KEYID)
		return der_fail(d, t.off, "subjectKeyIdentifier of %zu bytes "
		    "(1 to %d)", t.len, EXT_MAX_KEYID);
	memcpy(ski, t.val, t.len);
	*ski_len = t.len;
	return 0;
}

int
cms_read_pem(void *c, const uint8_t *data, size_t len, cms_parse_fn *parse,
    const char *none, struct err *e)
{
	struct pem_list pl;
	size_t i;
	int rc = -1;

	if (!pem_detect(data, len))
		return parse(c, data, len, e);
	pem_list_init(&pl);
	if (pem_decode((const char *)data, len, &pl, e) == -1)
		goto out;
	for (i = 0; i < pl.n; i++)
		if (strcmp(pl.v[i].label, "PKCS7") == 0 ||
		    strcmp(pl.v[i].label, "CMS") == 0)
			break;
	if (i == pl.n) {
		err_set(e, ERR_INPUT, "%s", none);
		goto out;
	}
	if ((rc = parse(c, pl.v[i].der, pl.v[i].len, e)) == -1)
		err_wrap(e, "line %zu", pl.v[i].line);
out:
	pem_list_clear(&pl);
	return rc;
}
