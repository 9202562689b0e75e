/* fuzztls.h — what the TLS client and server fuzz targets share: one RSA key
 * with a self-signed certificate (made once), and a loop that feeds the input
 * to an engine in pieces as if it came from the peer. */
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
 * 1970-2100), made on first use from a seed of their own. */
struct rsakey;
struct cert_list;
void fuzztls_identity(const struct rsakey **, const struct cert_list **);

#endif
