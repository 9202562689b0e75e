/* testcert.c — see testcert.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asn1/pem.h"
#include "crypto/rand.h"
#include "x509/pkey.h"
#include "testcert.h"
#include "testlib.h"

void
test_make_cert(struct cert_list *out, const char *subject, const char *issuer,
    const struct rsakey *key, const struct rsakey *signer, int ca,
    enum oid_id eku, const char *dns, int64_t nb, int64_t na)
{
	struct cert_template tp;
	struct dn s, i;
	struct err e;
	uint8_t serial[8], *der;
	size_t len;

	memset(&tp, 0, sizeof tp);
	dn_init(&s);
	dn_init(&i);
	CHECK(dn_from_string(&s, subject, &e) == 0);
	CHECK(dn_from_string(&i, issuer, &e) == 0);
	rand_bytes(serial, sizeof serial);
	serial[0] &= 0x7f;
	serial[0] |= 0x01;
	tp.serial = serial;
	tp.serial_len = sizeof serial;
	tp.issuer = &i;
	tp.subject = &s;
	tp.not_before = nb;
	tp.not_after = na;
	tp.subject_key = key;
	ext_info_init(&tp.ext);
	tp.ext.has_bc = 1;
	tp.ext.bc_critical = 1;
	tp.ext.ca = ca;
	tp.ext.pathlen = -1;
	tp.ext.has_ku = 1;
	tp.ext.ku_critical = 1;
	tp.ext.ku = ca ? KU_KEY_CERT_SIGN | KU_CRL_SIGN :
	    KU_DIGITAL_SIGNATURE | KU_KEY_ENCIPHERMENT;
	if (!ca) {
		tp.ext.has_eku = 1;
		tp.ext.eku[0] = eku;
		tp.ext.neku = 1;
	}
	if (dns != NULL) {
		tp.ext.has_san = 1;
		san_list_add(&tp.ext.san, SAN_DNS, dns, NULL, 0);
	}
	CHECK(cert_build(&tp, signer, &der, &len, &e) == 0);
	CHECK(cert_list_load(out, der, len, &e) == 0);
	free(der);
	ext_info_clear(&tp.ext);
	dn_clear(&s);
	dn_clear(&i);
}

void
test_pki_setup(struct test_pki *p, const char *root_dn, int64_t root_nb,
    int64_t root_na, int64_t leaf_nb, int64_t leaf_na)
{
	struct err e;

	rsakey_init(&p->ca_key);
	rsakey_init(&p->other_key);
	rsakey_init(&p->leaf_key);
	CHECK(rsakey_generate(&p->ca_key, 2048, NULL, NULL, &e) == 0);
	CHECK(rsakey_generate(&p->other_key, 2048, NULL, NULL, &e) == 0);
	CHECK(rsakey_generate(&p->leaf_key, 2048, NULL, NULL, &e) == 0);
	cert_list_init(&p->root);
	cert_list_init(&p->other_root);
	cert_list_init(&p->server_chain);
	cert_list_init(&p->client_chain);
	test_make_cert(&p->root, root_dn, root_dn, &p->ca_key, &p->ca_key, 1,
	    0, NULL, root_nb, root_na);
	test_make_cert(&p->other_root, "CN=Other Root", "CN=Other Root",
	    &p->other_key, &p->other_key, 1, 0, NULL, root_nb, root_na);
	test_make_cert(&p->server_chain, "CN=localhost", root_dn, &p->leaf_key,
	    &p->ca_key, 0, OID_KP_SERVER_AUTH, "localhost", leaf_nb, leaf_na);
	test_make_cert(&p->client_chain, "CN=alice", root_dn, &p->leaf_key,
	    &p->ca_key, 0, OID_KP_CLIENT_AUTH, NULL, leaf_nb, leaf_na);
}

void
test_pki_clear(struct test_pki *p)
{
	cert_list_clear(&p->root);
	cert_list_clear(&p->other_root);
	cert_list_clear(&p->server_chain);
	cert_list_clear(&p->client_chain);
	rsakey_clear(&p->ca_key);
	rsakey_clear(&p->other_key);
	rsakey_clear(&p->leaf_key);
}

void
test_load_key(const char *path, struct rsakey *k)
{
	struct pem_list pl;
	struct err e;
	uint8_t *data;
	size_t n;

	data = test_slurp(path, &n);
	pem_list_init(&pl);
	rsakey_init(k);
	if (pem_decode((const char *)data, n, &pl, &e) == -1 ||
	    pkey_decode(k, pl.v[0].der, pl.v[0].len, NULL, 0, &e) == -1) {
		fprintf(stderr, "%s: %s\n", path, e.msg);
		exit(1);
	}
	pem_list_clear(&pl);
	free(data);
}

void
test_load_certs(const char *path, struct cert_list *l)
{
	struct err e;

	if (cert_list_load_file(l, path, &e) == -1) {
		fprintf(stderr, "%s: %s\n", path, e.msg);
		exit(1);
	}
}
