/* fuzztls.c — see fuzztls.h. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/rand.h"
#include "tls/tls.h"
#include "x509/cert.h"

#include "fuzztls.h"

/* The RSA key is the smallest every signature scheme we offer fits:
 * rsa_pss_rsae_sha512 with its 64-byte salt needs a 1034-bit modulus
 * (RFC 8017 9.1.1). A 2048-bit key reaches nothing more and its private
 * operations (CertificateVerify, ServerKeyExchange, the RSA key
 * transport) would be most of a handshake's time: the soak would run
 * eight times fewer inputs. Only the fuzz targets use it. */
#ifndef FUZZTLS_RSA_BITS	/* -D to compare (tests/fuzz/README.md) */
#define FUZZTLS_RSA_BITS 1056
#endif

static struct rsakey key;
static struct ec256key eckey;
static struct cert_list chain, ecchain;
static int ready;
static struct tls_ticket_keys tickets;

/* A self-signed CN=fuzz certificate (valid 1970-2100) for the RSA or the
 * P-256 key into c. */
static void
selfsign(const struct rsakey *rsa, const struct ec256key *ec,
    struct cert_list *c)
{
	struct cert_template tp;
	struct cert_signer sg;
	struct dn n;
	struct err e;
	uint8_t serial[1] = { 1 }, *der;
	size_t len;

	memset(&tp, 0, sizeof tp);
	dn_init(&n);
	dn_from_string(&n, "CN=fuzz", &e);
	tp.serial = serial;
	tp.serial_len = 1;
	tp.issuer = &n;
	tp.subject = &n;
	tp.not_before = 0;
	tp.not_after = 4102444800;
	tp.subject_key = rsa;
	tp.subject_ec = ec;
	sg.rsa = rsa;
	sg.ec = ec;
	ext_info_init(&tp.ext);
	if (cert_build_by(&tp, &sg, &der, &len, &e) == 0) {
		cert_list_load(c, der, len, &e);
		free(der);
	}
	ext_info_clear(&tp.ext);
	dn_clear(&n);
}

static void
setup(void)
{
	struct err e;

	rsakey_init(&key);
	cert_list_init(&chain);
	cert_list_init(&ecchain);
	if (rsakey_generate(&key, FUZZTLS_RSA_BITS, NULL, NULL, &e) == -1)
		abort();
	selfsign(&key, NULL, &chain);
	tls_ticket_keys_init(&tickets, 1700000000, 0);
	ec256key_init(&eckey);
	ec256key_generate(&eckey);
	selfsign(NULL, &eckey, &ecchain);
	if (chain.n != 1 || ecchain.n != 1)
		abort();
	ready = 1;
}

/* The keys do not depend on what ran before: their own seed, and the
 * caller's stream put back. */
static void
ensure(void)
{
	struct rand_fuzz_state saved;

	if (ready)
		return;
	rand_fuzz_get(&saved);
	rand_fuzz_seed("fuzztls key", 11);
	setup();
	rand_fuzz_set(&saved);
}

void
fuzztls_identity(const struct rsakey **k, const struct cert_list **c)
{
	ensure();
	*k = &key;
	*c = &chain;
}

void
fuzztls_identity_ec(const struct ec256key **k, const struct cert_list **c)
{
	ensure();
	*k = &eckey;
	*c = &ecchain;
}

const struct tls_ticket_keys *
fuzztls_tickets(void)
{
	ensure();
	return &tickets;
}

void
fuzztls_run(int is_server, const char *server_name, const uint8_t *data,
    size_t len)
{
	static struct tls_engine t;
	struct tls_config cfg;
	uint8_t *b;
	size_t n, piece;

	/* The fuzzing build's generator (crypto/rand.c): the key is the same
	 * in every process, the handshake's randoms follow from the input. */
	ensure();
	rand_fuzz_seed(data, len);
	if (len < 1)
		return;
	piece = 1 + data[0] % 64;
	if (data[0] >= 128)
		piece = 16384;
	data++;
	len--;
	memset(&cfg, 0, sizeof cfg);
	/* both versions, so that the TLS 1.2 parsers are reached too */
	cfg.min_version = TLS_VERSION_12;
	cfg.max_version = TLS_VERSION_13;
	cfg.is_server = is_server;
	cfg.server_name = server_name;
	cfg.chain = &chain;
	cfg.key = &key;
	cfg.anchors = &chain;
	cfg.client_auth = TLS_AUTH_OPTIONAL;
	cfg.tickets = &tickets;	/* pre_shared_key is parsed */
	tls_engine_init(&t, &cfg, 1700000000);
	while (len > 0) {
		b = tls_engine_recvrec_buf(&t, &n);
		if (b == NULL)
			break;
		if (n > len)
			n = len;
		if (n > piece)
			n = piece;
		memcpy(b, data, n);
		tls_engine_recvrec_ack(&t, n);
		data += n;
		len -= n;
		/* drain output and application data as a peer would */
		while ((b = tls_engine_sendrec_buf(&t, &n)) != NULL)
			tls_engine_sendrec_ack(&t, n);
		while ((b = tls_engine_recvapp_buf(&t, &n)) != NULL)
			tls_engine_recvapp_ack(&t, n);
	}
	tls_engine_eof(&t);
	tls_engine_clear(&t);
}
