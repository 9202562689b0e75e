/* testcert.h — certificates for tests that need a small PKI in memory. */
#ifndef MP_TESTCERT_H
#define MP_TESTCERT_H

#include <stdint.h>

#include "x509/cert.h"

/* Builds a certificate for key, signed by signer, valid from nb to na, and
 * loads it into out; a failure counts as a failed CHECK. ca: a CA
 * (keyCertSign, cRLSign); otherwise an end entity with the one extended key
 * usage eku and, when dns is not NULL, that DNS name. The serial is random. */
void test_make_cert(struct cert_list *out, const char *subject,
    const char *issuer, const struct rsakey *key, const struct rsakey *signer,
    int ca, enum oid_id eku, const char *dns, int64_t nb, int64_t na);

/* The PKI the TLS engine and role tests share: three 2048-bit keys, the
 * self-signed root (ca_key) and other_root ("CN=Other Root", other_key), and
 * under root for leaf_key: server_chain ("CN=localhost", serverAuth, DNS
 * localhost) and client_chain ("CN=alice", clientAuth). */
struct test_pki {
	struct rsakey ca_key, other_key, leaf_key;
	struct cert_list root, other_root, server_chain, client_chain;
};

/* Makes it all: root named root_dn; the roots valid from root_nb to
 * root_na, the leaves from leaf_nb to leaf_na. */
void test_pki_setup(struct test_pki *, const char *root_dn, int64_t root_nb,
    int64_t root_na, int64_t leaf_nb, int64_t leaf_na);
void test_pki_clear(struct test_pki *);

/* Fixtures from files (PEM, e.g. tests/data): the first key of path into
 * k (initialised here), every certificate of path appended to l (which
 * the caller initialised). Either prints "PATH: why" and exits 1 when the
 * file does not load: a test without its fixture cannot run. */
void test_load_key(const char *path, struct rsakey *k);
void test_load_certs(const char *path, struct cert_list *l);

#endif
