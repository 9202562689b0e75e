/* pkcs12-text.c — a read PKCS#12 file as text, for `show` and the TUI's
 * Open: its MAC, its SafeContents and their bags. A key bag shows only
 * its public part; no secret is ever written. */
#include <stdlib.h>

#include "crypto/hex.h"
#include "x509/pkcs12.h"
#include "x509/pkey.h"
#include "x509/text.h"

static void
text_bag_cert(struct buf *b, const struct pkcs12_bag *bag)
{
	struct cert c;
	char t[32], *s;

	cert_init(&c);
	if (cert_parse(&c, bag->data, bag->len, NULL) == -1) {
		buf_puts(b, "        (not a certificate we can read)\n");
		cert_clear(&c);
		return;
	}
	s = dn_to_string(&c.subject);
	buf_printf(b, "        Subject: %s\n", s);
	free(s);
	s = dn_to_string(&c.issuer);
	buf_printf(b, "        Issuer: %s\n", s);
	free(s);
	text_time(c.not_after, t);
	buf_printf(b, "        Not After: %s\n", t);
	buf_puts(b, "        SHA-256: ");
	hex_put(b, c.fp_sha256, sizeof c.fp_sha256);
	buf_puts(b, "\n");
	cert_clear(&c);
}

static void
text_bag_key(struct buf *b, const struct pkcs12_bag *bag)
{
	struct pkey k;
	uint8_t id[20];

	if (bag->data == NULL) {
		buf_puts(b, "        (encrypted: the passphrase opens it)\n");
		return;
	}
	pkey_init(&k);
	if (pkey_decode_any(&k, bag->data, bag->len, NULL, 0, NULL) == -1)
		buf_puts(b, "        (not an RSA or P-256 key we can read)\n");
	else {
		/* The public numbers' identity only. */
		pkey_key_id_any(&k, id);
		if (k.type == PKEY_EC)
			buf_puts(b, "        EC key, P-256 (private part not "
			    "shown)\n");
		else
			buf_printf(b, "        RSA key, %u bits (private part "
			    "not shown)\n", rsakey_bits(&k.rsa));
		buf_puts(b, "        Key identifier (SHA-1 of the public "
		    "key): ");
		hex_put(b, id, sizeof id);
		buf_puts(b, "\n");
	}
	pkey_clear(&k);
}

void
pkcs12_text(struct buf *b, const struct pkcs12 *p)
{
	size_t i, j;

	buf_puts(b, "PKCS#12 (PFX)\n");
	if (p->mac[0] == '\0')
		buf_puts(b, "    MAC: none (no integrity check)\n");
	else
		buf_printf(b, "    MAC: %s%s\n", p->mac, p->mac_checked ?
		    ", verified" : " (not checked: no passphrase)");
	for (i = 0; i < p->nsafe; i++) {
		const struct pkcs12_safe *s = &p->safe[i];

		if (s->encrypted)
			buf_printf(b, "    SafeContents %zu: encrypted, %s%s\n",
			    i + 1, s->prot, s->opened ? "" :
			    " (its bags need the passphrase)");
		else
			buf_printf(b, "    SafeContents %zu: plain\n", i + 1);
		for (j = 0; j < p->nbag; j++) {
			const struct pkcs12_bag *bag = &p->bag[j];

			if (bag->safe != i)
				continue;
			buf_printf(b, "      %s%s%s\n",
			    pkcs12_bag_name(bag->type),
			    bag->prot[0] != '\0' ? ", " : "", bag->prot);
			if (bag->friendly_name != NULL)
				buf_printf(b, "        friendlyName: %s\n",
				    bag->friendly_name);
			if (bag->key_id_len > 0) {
				buf_puts(b, "        localKeyID: ");
				hex_put(b, bag->key_id, bag->key_id_len);
				buf_puts(b, "\n");
			}
			if (bag->type == OID_P12_CERT_BAG)
				text_bag_cert(b, bag);
			else if (bag->type == OID_P12_KEY_BAG ||
			    bag->type == OID_P12_SHROUDED_KEY_BAG)
				text_bag_key(b, bag);
		}
	}
}
