/* ecsig.c — DER ECDSA signatures; see ecsig.h. */
#include <string.h>

#include "asn1/der.h"
#include "x509/ecsig.h"

/* One INTEGER of a 32-byte magnitude: leading zeros dropped, a zero
 * byte added when the top bit is set. */
static size_t
put_int(uint8_t *out, const uint8_t v[EC256_SCALAR_SIZE])
{
	size_t i = 0, n;

	while (i < EC256_SCALAR_SIZE - 1 && v[i] == 0)
		i++;
	n = EC256_SCALAR_SIZE - i;
	out[0] = DER_INTEGER;
	if (v[i] & 0x80) {
		out[1] = (uint8_t)(n + 1);
		out[2] = 0;
		memcpy(out + 3, v + i, n);
		return n + 3;
	}
	out[1] = (uint8_t)n;
	memcpy(out + 2, v + i, n);
	return n + 2;
}

size_t
ecsig_encode(const uint8_t r[EC256_SCALAR_SIZE],
    const uint8_t s[EC256_SCALAR_SIZE], uint8_t out[ECSIG_MAX_SIZE])
{
	size_t n;

	/* The content is at most 70 bytes: a one-byte length always. */
	n = put_int(out + 2, r);
	n += put_int(out + 2 + n, s);
	out[0] = DER_SEQUENCE;
	out[1] = (uint8_t)n;
	return n + 2;
}

static int
get_scalar(struct der *d, const char *what, uint8_t v[EC256_SCALAR_SIZE])
{
	struct der_tlv t;
	const uint8_t *p;
	size_t n;

	if (der_get_int(d, what, &t) == -1)
		return -1;
	if (t.val[0] & 0x80)
		return der_fail(d, t.off, "ECDSA signature: %s is negative",
		    what);
	p = t.val;
	n = t.len;
	if (n > 1 && p[0] == 0) {
		p++;
		n--;
	}
	if (n > EC256_SCALAR_SIZE)
		return der_fail(d, t.off, "ECDSA signature: %s longer than "
		    "32 bytes", what);
	memset(v, 0, EC256_SCALAR_SIZE);
	memcpy(v + EC256_SCALAR_SIZE - n, p, n);
	return 0;
}

int
ecsig_decode(const uint8_t *der, size_t len, uint8_t r[EC256_SCALAR_SIZE],
    uint8_t s[EC256_SCALAR_SIZE], struct err *e)
{
	struct der d, seq;

	der_init(&d, der, len, e);
	if (der_enter(&d, DER_SEQUENCE, "Ecdsa-Sig-Value", &seq) == -1 ||
	    get_scalar(&seq, "r", r) == -1 ||
	    get_scalar(&seq, "s", s) == -1 ||
	    der_finish(&seq, "Ecdsa-Sig-Value") == -1 ||
	    der_finish(&d, "ECDSA signature") == -1)
		return -1;
	return 0;
}

int
ecsig_verify(const struct ec256key *k, const uint8_t *digest, size_t dlen,
    const uint8_t *sig, size_t siglen, struct err *e)
{
	uint8_t r[EC256_SCALAR_SIZE], s[EC256_SCALAR_SIZE];

	if (ecsig_decode(sig, siglen, r, s, e) == -1) {
		/* A malformed signature is a bad signature to the caller. */
		if (e != NULL)
			e->kind = ERR_REFUSED;
		return -1;
	}
	return ecdsa256_verify(k, digest, dlen, r, s, e);
}

size_t
ecsig_sign(const struct ec256key *k, const uint8_t *digest, size_t dlen,
    uint8_t out[ECSIG_MAX_SIZE], struct err *e)
{
	uint8_t r[EC256_SCALAR_SIZE], s[EC256_SCALAR_SIZE];

	if (ecdsa256_sign(k, digest, dlen, r, s, e) == -1)
		return 0;
	return ecsig_encode(r, s, out);
}
