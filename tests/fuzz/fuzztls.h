/* fuzztls.h — what the TLS fuzz targets share: one RSA key and one P-256
 * key, each with a self-signed certificate (made once), ticket keys, and a
 * loop that feeds the input to an engine in pieces as if it came from the
 * peer. */
#ifndef MP_FUZZTLS_H
#define MP_FUZZTLS_H

#include <stddef.h>
#include <stdint.h>

/* Runs one engine over data: the first byte picks the size of the pieces the
 * rest is delivered in. is_server picks the side; server_name is the name a
 * client sends (NULL for a server). */
void fuzztls_run(int is_server, const char *server_name,
    const uint8_t *data, size_t len);

/* The key and its one-certificate chain (CN=fuzz, self-signed, valid
 * 1970-2100), made on first use from a seed of their own: RSA (1056 bits,
 * fuzztls.c says why) or P-256. */
struct rsakey;
struct ec256key;
struct cert_list;
struct tls_ticket_keys;
void fuzztls_identity(const struct rsakey **, const struct cert_list **);
void fuzztls_identity_ec(const struct ec256key **,
    const struct cert_list **);
/* Fixed session ticket keys (made with the identities). */
const struct tls_ticket_keys *fuzztls_tickets(void);

#endif
