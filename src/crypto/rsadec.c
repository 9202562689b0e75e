/* rsadec.c — PKCS#1 v1.5 encryption and silent decryption; see rsadec.h. */
#include <string.h>

#include <gmp.h>
#include <nettle/bignum.h>

#include "crypto/rand.h"
#include "crypto/rsadec.h"

int
rsadec_encrypt(const struct rsa_public_key *pub, const uint8_t *msg,
    size_t len, uint8_t *out, struct err *e)
{
	mpz_t c;
	int rc = 0;

	mpz_init(c);
	if (len + 11 > pub->size ||
	    !rsa_encrypt(pub, NULL, rand_nettle, len, msg, c))
		rc = err_set(e, ERR_INPUT, "RSA encryption: %zu bytes do not "
		    "fit a %zu-byte key", len, pub->size);
	else
		nettle_mpz_get_str_256(pub->size, out, c);
	mpz_clear(c);
	return rc;
}

int
rsadec_decrypt(const struct rsakey *key, const uint8_t *ct, size_t ctlen,
    uint8_t *out, size_t len)
{
	mpz_t c;
	int ok;

	/* The length is public (it is the record's); a wrong one fails
	 * like bad padding does. */
	if (!key->has_private || ctlen != key->pub.size) {
		rand_bytes(out, len);
		return 0;
	}
	mpz_init(c);
	nettle_mpz_set_str_256_u(c, ctlen, ct);
	ok = rsa_sec_decrypt(&key->pub, &key->priv, NULL, rand_nettle, len,
	    out, c);
	mpz_clear(c);
	return ok;
}
