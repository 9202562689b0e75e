/* ticket.h — sealing and opening our own session tickets (ticket.c). */
#ifndef MP_TLS_TICKET_H
#define MP_TLS_TICKET_H

#include <stddef.h>
#include <stdint.h>

#include "tls/tls.h"

#define TICKET_MAX_SUBJECT 512	/* a longer one gets no ticket */

/* What a ticket carries. */
struct ticket_plain {
	uint16_t version, suite;
	int64_t issued;
	uint32_t age_add;
	uint8_t psk[TLS_MAX_HASH];
	size_t psk_len;
	/* the client's authenticated subject, "" for an anonymous one */
	char subject[TICKET_MAX_SUBJECT + 1];
	size_t subject_len;
	/* the server_name of the ClientHello it answered, "" for none: it
	 * resumes only a ClientHello with the same */
	char sni[256];
};
#define TICKET_FIXED 17		/* plain bytes before the PSK */
#define TICKET_PLAIN_MAX (TICKET_FIXED + TLS_MAX_HASH + 2 + \
	TICKET_MAX_SUBJECT + 1 + 255)
#define TICKET_MAX (16 + 12 + TICKET_PLAIN_MAX + 16)

/* Seals tp under the current key into out (TICKET_MAX bytes); returns
 * the length. */
size_t ticket_seal(const struct tls_ticket_keys *,
    const struct ticket_plain *, uint8_t *out);
/* Opens a ticket issued at most lifetime seconds before now: NULL and tp
 * filled, or why not ("expired", "does not decrypt ..."), tp wiped. */
const char *ticket_open(const struct tls_ticket_keys *, const uint8_t *in,
    size_t len, int64_t now, struct ticket_plain *);

/* Whether tp may resume a ClientHello that named sni (t->sni): NULL, or
 * why not, in why (size n). */
const char *ticket_sni_check(const struct ticket_plain *, const char *sni,
    char *why, size_t n);

#endif
