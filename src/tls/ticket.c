/* ticket.c — TLS 1.3 session tickets sealed by the server for itself
 * (RFC 8446 4.6.1 leaves the format to the server): AES-256-GCM under a
 * key that lives in the server process's memory only and is rotated, so
 * nothing on disk can open a ticket and a stolen ticket dies with the key.
 *
 *   ticket = key_name[16] nonce[12] AES-GCM(plain, aad = key_name)
 *   plain  = version[2] suite[2] issued[8] age_add[4] psk_len[1] psk
 *            subject<2> (the client's certificate subject, or empty)
 *            sni<1> (the server_name it was issued under, or empty) */
#include <stdio.h>
#include <string.h>

#include "crypto/aead.h"
#include "crypto/rand.h"
#include "tls/internal.h"
#include "tls/ticket.h"

void
tls_ticket_keys_init(struct tls_ticket_keys *k, int64_t now,
    uint32_t lifetime)
{
	memset(k, 0, sizeof *k);
	k->lifetime = lifetime != 0 ? lifetime : TLS_TICKET_LIFETIME;
	rand_bytes(k->name[0], sizeof k->name[0]);
	rand_bytes(k->key[0], sizeof k->key[0]);
	k->made = now;
}

void
tls_ticket_keys_rotate(struct tls_ticket_keys *k, int64_t now)
{
	if (now - k->made < (int64_t)k->lifetime && now >= k->made)
		return;
	memcpy(k->name[1], k->name[0], sizeof k->name[0]);
	memcpy(k->key[1], k->key[0], sizeof k->key[0]);
	k->have_prev = 1;
	rand_bytes(k->name[0], sizeof k->name[0]);
	rand_bytes(k->key[0], sizeof k->key[0]);
	k->made = now;
}

void
tls_ticket_keys_clear(struct tls_ticket_keys *k)
{
	explicit_bzero(k, sizeof *k);
}

static void
put64(uint8_t *p, uint64_t v)
{
	int i;

	for (i = 7; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

static uint64_t
get64(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

size_t
ticket_seal(const struct tls_ticket_keys *k, const struct ticket_plain *tp,
    uint8_t *out)
{
	uint8_t plain[TICKET_PLAIN_MAX];
	size_t n = 0;

	plain[n++] = (uint8_t)(tp->version >> 8);
	plain[n++] = (uint8_t)tp->version;
	plain[n++] = (uint8_t)(tp->suite >> 8);
	plain[n++] = (uint8_t)tp->suite;
	put64(plain + n, (uint64_t)tp->issued);
	n += 8;
	plain[n++] = (uint8_t)(tp->age_add >> 24);
	plain[n++] = (uint8_t)(tp->age_add >> 16);
	plain[n++] = (uint8_t)(tp->age_add >> 8);
	plain[n++] = (uint8_t)tp->age_add;
	plain[n++] = (uint8_t)tp->psk_len;
	memcpy(plain + n, tp->psk, tp->psk_len);
	n += tp->psk_len;
	plain[n++] = (uint8_t)(tp->subject_len >> 8);
	plain[n++] = (uint8_t)tp->subject_len;
	memcpy(plain + n, tp->subject, tp->subject_len);
	n += tp->subject_len;
	plain[n++] = (uint8_t)strlen(tp->sni);
	memcpy(plain + n, tp->sni, strlen(tp->sni));
	n += strlen(tp->sni);
	memcpy(out, k->name[0], 16);
	rand_bytes(out + 16, AEAD_NONCE_SIZE);
	aead_seal(k->key[0], 32, out + 16, out, 16, plain, n,
	    out + 16 + AEAD_NONCE_SIZE);
	explicit_bzero(plain, sizeof plain);
	return 16 + AEAD_NONCE_SIZE + n + AEAD_TAG_SIZE;
}

const char *
ticket_open(const struct tls_ticket_keys *k, const uint8_t *in, size_t len,
    int64_t now, struct ticket_plain *tp)
{
	uint8_t plain[TICKET_PLAIN_MAX];
	const uint8_t *key, *p;
	size_t n;
	int rc;

	memset(tp, 0, sizeof *tp);
	if (len < 16 + AEAD_NONCE_SIZE + TICKET_FIXED + AEAD_TAG_SIZE ||
	    len > 16 + AEAD_NONCE_SIZE + TICKET_PLAIN_MAX + AEAD_TAG_SIZE)
		return "not one of our tickets (length)";
	if (memcmp(in, k->name[0], 16) == 0)
		key = k->key[0];
	else if (k->have_prev && memcmp(in, k->name[1], 16) == 0)
		key = k->key[1];
	else
		return "sealed under a key we no longer have (or not ours)";
	n = len - 16 - AEAD_NONCE_SIZE - AEAD_TAG_SIZE;
	rc = aead_open(key, 32, in + 16, in, 16, in + 16 + AEAD_NONCE_SIZE,
	    len - 16 - AEAD_NONCE_SIZE, plain);
	if (rc == -1)
		return "does not decrypt: tampered with";
	tp->version = (uint16_t)(plain[0] << 8 | plain[1]);
	tp->suite = (uint16_t)(plain[2] << 8 | plain[3]);
	tp->issued = (int64_t)get64(plain + 4);
	tp->age_add = (uint32_t)plain[12] << 24 | (uint32_t)plain[13] << 16 |
	    (uint32_t)plain[14] << 8 | plain[15];
	tp->psk_len = plain[16];
	if (tp->psk_len > TLS_MAX_HASH || TICKET_FIXED + tp->psk_len + 2 > n)
		goto bad;
	memcpy(tp->psk, plain + TICKET_FIXED, tp->psk_len);
	n -= TICKET_FIXED + tp->psk_len;
	p = plain + TICKET_FIXED + tp->psk_len;
	tp->subject_len = (size_t)p[0] << 8 | p[1];
	if (tp->subject_len > TICKET_MAX_SUBJECT || tp->subject_len + 3 > n)
		goto bad;
	memcpy(tp->subject, p + 2, tp->subject_len);
	tp->subject[tp->subject_len] = '\0';
	p += 2 + tp->subject_len;
	n -= 2 + tp->subject_len;
	if ((size_t)p[0] != n - 1 || memchr(p + 1, 0, n - 1) != NULL)
		goto bad;
	memcpy(tp->sni, p + 1, n - 1);
	tp->sni[n - 1] = '\0';
	explicit_bzero(plain, sizeof plain);
	if (now < tp->issued || now - tp->issued > (int64_t)k->lifetime) {
		explicit_bzero(tp, sizeof *tp);
		return "expired";
	}
	return NULL;
bad:
	explicit_bzero(plain, sizeof plain);
	explicit_bzero(tp, sizeof *tp);
	return "malformed inside";
}

const char *
ticket_sni_check(const struct ticket_plain *tp, const char *sni, char *why,
    size_t n)
{
	if (strcmp(tp->sni, sni) == 0)
		return NULL;
	snprintf(why, n, "issued for server name \"%s\", this ClientHello "
	    "names \"%s\"", tp->sni, sni);
	return why;
}
