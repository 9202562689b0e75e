/* csr-test.c — PKCS#10: OpenSSL-made requests, our own built and parsed back,
 * broken inputs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "asn1/pem.h"
#include "util/buf.h"
#include "util/xalloc.h"
#include "x509/csr.h"
#include "x509/pkey.h"
#include "x509/text.h"
#include "testlib.h"

static uint8_t *
fixture_der(const char *name, size_t *len)
{
	char path[256];
	struct pem_list pl;
	uint8_t *data, *der;
	size_t n;
	struct err e;

	/* A bare name is in tests/data/; one with a folder is from the root. */
	snprintf(path, sizeof path, "%s%s", strchr(name, '/') ? "" :
	    "tests/data/", name);
	if ((data = test_read_file(path, &n)) == NULL) {
		fprintf(stderr, "cannot read %s (run from the repository root)\n", path);
		exit(1);
	}
	pem_list_init(&pl);
	if (pem_decode((const char *)data, n, &pl, &e) == -1) {
		fprintf(stderr, "%s: %s\n", path, e.msg);
		exit(1);
	}
	der = xmalloc(pl.v[0].len);
	memcpy(der, pl.v[0].der, pl.v[0].len);
	*len = pl.v[0].len;
	pem_list_clear(&pl);
	free(data);
	return der;
}

static void
test_openssl_requests(void)
{
	struct csr r;
	struct err e;
	uint8_t *der;
	size_t len;
	char *s;

	csr_init(&r);
	der = fixture_der("csr.pem", &len);
	CHECK_EQ(csr_parse(&r, der, len, &e), 0);
	CHECK_EQ(r.version, 0);
	s = dn_to_string(&r.subject);
	CHECK_STR(s, "CN=csr.example, O=Mini PKI Test");
	free(s);
	CHECK_EQ(r.key_alg, OID_RSA_ENCRYPTION);
	CHECK_EQ(rsakey_bits(&r.key), 2048);
	CHECK(r.has_ext);
	CHECK(r.ext.has_san);
	CHECK_EQ(r.ext.san.n, 2);
	if (r.ext.san.n == 2) {
		CHECK_STR(r.ext.san.v[0].value, "csr.example");
		CHECK_EQ(r.ext.san.v[1].type, SAN_IP);
		CHECK_STR(r.ext.san.v[1].value, "10.0.0.1");
	}
	CHECK_EQ(csr_check_signature(&r, &e), 0);
	/* One flipped signature bit. */
	der[len - 5] ^= 1;
	CHECK_EQ(csr_parse(&r, der, len, &e), 0);
	CHECK_ERR(csr_check_signature(&r, &e), &e, "request signature does not verify");
	CHECK_EQ(e.kind, ERR_REFUSED);
	/* Truncated and with trailing bytes. */
	CHECK_ERR(csr_parse(&r, der, len - 1, &e), &e, "offset 0x");
	{
		uint8_t *b = xmalloc(len + 1);

		memcpy(b, der, len);
		b[len] = 0;
		CHECK_ERR(csr_parse(&r, b, len + 1, &e), &e,
		    "1 bytes left over at end of request");
		free(b);
	}
	free(der);

	/* Without -addext: openssl still writes an empty attribute set. */
	der = fixture_der("csr-plain.pem", &len);
	CHECK_EQ(csr_parse(&r, der, len, &e), 0);
	CHECK(!r.ext.has_san);
	CHECK_EQ(csr_check_signature(&r, &e), 0);
	CHECK_STR(dn_get(&r.subject, OID_CN), "plain.example");
	free(der);
	csr_clear(&r);
}

/* OpenSSL-made requests whose self-signature is good but made with a
 * broken digest: SHA-1 parses and is refused as proof of possession, MD5 is
 * refused while parsing. Both name the algorithm. */
static void
test_weak_digests(void)
{
	struct csr r;
	struct err e;
	uint8_t *der;
	size_t len;

	csr_init(&r);
	der = fixture_der("tests/unit/data/csr-sha1.pem", &len);
	CHECK_EQ(csr_parse(&r, der, len, &e), 0);
	CHECK_EQ(r.sigalg.hash, HASH_SHA1);
	CHECK_ERR(csr_check_signature(&r, &e), &e, "request signed with "
	    "sha1WithRSAEncryption: SHA-1 is refused for proof of possession");
	CHECK_EQ(e.kind, ERR_REFUSED);
	free(der);

	der = fixture_der("tests/unit/data/csr-md5.pem", &len);
	CHECK_ERR(csr_parse(&r, der, len, &e), &e, "request signed with "
	    "md5WithRSAEncryption: MD5 is refused for proof of possession");
	CHECK_EQ(e.kind, ERR_REFUSED);
	CHECK(strstr(e.msg, "offset 0x") != NULL);
	/* The same request with md4 and md2 in place of md5 (last OID byte). */
	{
		static const uint8_t md5[] = { 0x06, 0x09, 0x2a, 0x86, 0x48,
		    0x86, 0xf7, 0x0d, 0x01, 0x01, 0x04 };
		uint8_t *p = memmem(der, len, md5, sizeof md5);

		CHECK(p != NULL);
		if (p != NULL) {
			p[sizeof md5 - 1] = 3;
			CHECK_ERR(csr_parse(&r, der, len, &e), &e,
			    "md4WithRSAEncryption: MD4 is refused");
			p[sizeof md5 - 1] = 2;
			CHECK_ERR(csr_parse(&r, der, len, &e), &e,
			    "md2WithRSAEncryption: MD2 is refused");
			/* Another unknown PKCS#1 OID is still just unsupported. */
			p[sizeof md5 - 1] = 0x7f;
			CHECK_ERR(csr_parse(&r, der, len, &e), &e,
			    "unsupported signature algorithm 1.2.840.113549.1.1.127");
			CHECK_EQ(e.kind, ERR_INPUT);
		}
	}
	free(der);
	csr_clear(&r);
}

static void
test_build(void)
{
	struct rsakey k;
	struct san_list san;
	struct dn subject, empty;
	struct csr r;
	struct err e;
	uint8_t *der, *p;
	size_t len, plen;
	struct buf b;

	p = fixture_der("key-pkcs8.pem", &plen);
	rsakey_init(&k);
	CHECK_EQ(pkey_decode(&k, p, plen, NULL, 0, &e), 0);
	free(p);
	dn_init(&subject);
	dn_init(&empty);
	san_list_init(&san);
	csr_init(&r);
	CHECK_EQ(dn_from_string(&subject, "CN=built.example,O=Example,C=DE", &e), 0);
	CHECK_EQ(san_parse_list(&san, "built.example,IP:192.0.2.1", &e), 0);
	CHECK_EQ(csr_build(&subject, &san, &k, &der, &len, &e), 0);
	CHECK_EQ(csr_parse(&r, der, len, &e), 0);
	CHECK_EQ(csr_check_signature(&r, &e), 0);
	CHECK(dn_equal(&r.subject, &subject));
	CHECK(r.has_ext && r.ext.has_san && !r.ext.san_critical);
	CHECK_EQ(r.ext.san.n, 2);
	buf_init(&b);
	text_csr(&b, &r);
	CHECK(strstr((char *)b.data, "DNS:built.example, IP Address:192.0.2.1") != NULL);
	buf_clear(&b);
	free(der);

	/* No SAN: no extensionRequest. */
	CHECK_EQ(csr_build(&subject, NULL, &k, &der, &len, &e), 0);
	CHECK_EQ(csr_parse(&r, der, len, &e), 0);
	CHECK(!r.has_ext);
	CHECK_EQ(csr_check_signature(&r, &e), 0);
	free(der);

	/* Empty subject: the SAN becomes critical (RFC 5280 4.2.1.6). */
	CHECK_EQ(dn_from_string(&empty, "", &e), 0);
	CHECK_EQ(csr_build(&empty, &san, &k, &der, &len, &e), 0);
	CHECK_EQ(csr_parse(&r, der, len, &e), 0);
	CHECK(r.ext.san_critical);
	CHECK(dn_empty(&r.subject));
	free(der);
	CHECK_ERR(csr_build(&empty, NULL, &k, &der, &len, &e), &e,
	    "a request needs a subject name or a subject alternative name");

	/* A public key alone cannot sign. */
	{
		struct rsakey pub;

		p = fixture_der("pub-spki.pem", &plen);
		rsakey_init(&pub);
		CHECK_EQ(pkey_decode(&pub, p, plen, NULL, 0, &e), 0);
		CHECK_ERR(csr_build(&subject, NULL, &pub, &der, &len, &e), &e,
		    "signing needs a private key");
		rsakey_clear(&pub);
		free(p);
	}
	csr_clear(&r);
	san_list_clear(&san);
	dn_clear(&subject);
	dn_clear(&empty);
	rsakey_clear(&k);
}

/* A request whose version is 1 and one with a duplicate extension inside
 * extensionRequest, both hand-made. */
static void
test_broken(void)
{
	/* CertificationRequestInfo-only structures are enough to hit the
	 * checks before the key: SEQUENCE { SEQUENCE { INTEGER 1 ... } } */
	static const char *v2 = "3005 3003 020101";
	struct csr r;
	struct err e;
	uint8_t *p;
	size_t len;

	csr_init(&r);
	p = test_hex(v2, &len);
	CHECK_ERR(csr_parse(&r, p, 7, &e), &e, "request version 1 (must be 0)");
	free(p);
	CHECK_ERR(csr_parse(&r, (const uint8_t *)"", 0, &e), &e, "offset 0x");
	csr_clear(&r);
}

/* csr_load of dir/name fails with exactly "dir/name: " want, of kind. */
static void
check_load_err(const char *dir, const char *name, const char *want,
    enum err_kind kind, int line)
{
	char path[256], msg[512];
	struct csr r;
	struct err e;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	snprintf(msg, sizeof msg, "%s: %s", path, want);
	csr_init(&r);
	err_clear(&e);
	if (csr_load(&r, path, &e) != -1 || strcmp(e.msg, msg) != 0 ||
	    e.kind != kind)
		test_fail(__FILE__, line, "csr_load(%s): want \"%s\" (kind %d), "
		    "got \"%s\" (kind %d)", name, msg, (int)kind, e.msg,
		    (int)e.kind);
	test_checks++;
	csr_clear(&r);
}

static void
put(const char *dir, const char *name, const void *data, size_t len)
{
	char path[256];

	snprintf(path, sizeof path, "%s/%s", dir, name);
	test_spit(path, data, len);
}

static size_t
lines(const uint8_t *p, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		n += p[i] == '\n';
	return n;
}

/* r's subject is want. */
static void
check_subject(const struct csr *r, const char *want, int line)
{
	char *s = dn_to_string(&r->subject);

	if (strcmp(s, want) != 0)
		test_fail(__FILE__, line, "subject \"%s\", want \"%s\"", s,
		    want);
	test_checks++;
	free(s);
}

/* csr_load of dir/name reads a request for subject want. */
static void
check_load_ok(const char *dir, const char *name, const char *want,
    int line)
{
	char path[256];
	struct csr r;
	struct err e;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	csr_init(&r);
	if (csr_load(&r, path, &e) == -1)
		test_fail(__FILE__, line, "csr_load(%s): %s", name, e.msg);
	else
		check_subject(&r, want, line);
	test_checks++;
	csr_clear(&r);
}

/* Request files: DER, PEM among other blocks, and every way to fail, with
 * the exact messages the CLI and the TUI show. */
static void
test_load(void)
{
	char dir[] = "/tmp/minipki-csr-test.XXXXXX", path[256], msg[512];
	char *s;
	static const char garbage[] = "not a request\n";
	static const char bad_pem[] = "-----BEGIN CERTIFICATE REQUEST-----\n"
	    "AAAA\n-----END CERTIFICATE REQUEST-----\n";
	static const char no_end[] = "-----BEGIN CERTIFICATE REQUEST-----\n"
	    "AAAA\n";
	uint8_t *req, *plain, *cert, *der, *big;
	size_t reqlen, plainlen, certlen, derlen;
	struct buf b;
	struct csr r;
	struct csr_file f;
	struct err e;

	if (mkdtemp(dir) == NULL)
		test_skip("cannot make a temporary directory");
	req = test_slurp("tests/data/csr.pem", &reqlen);
	plain = test_slurp("tests/data/csr-plain.pem", &plainlen);
	cert = test_slurp("tests/data/leaf.pem", &certlen);
	der = fixture_der("csr.pem", &derlen);

	check_load_err(dir, "missing.csr", "No such file or directory",
	    ERR_IO, __LINE__);
	put(dir, "empty.csr", "", 0);
	check_load_err(dir, "empty.csr", "offset 0x0: expected SEQUENCE "
	    "(CertificationRequest), found end of input", ERR_INPUT, __LINE__);
	put(dir, "garbage.csr", garbage, strlen(garbage));
	check_load_err(dir, "garbage.csr", "offset 0x0: expected SEQUENCE "
	    "(CertificationRequest), found 0x6e", ERR_INPUT, __LINE__);
	put(dir, "cert.csr", cert, certlen);
	check_load_err(dir, "cert.csr", "no CERTIFICATE REQUEST block found",
	    ERR_INPUT, __LINE__);
	put(dir, "no-end.csr", no_end, strlen(no_end));
	check_load_err(dir, "no-end.csr", "line 1: BEGIN CERTIFICATE REQUEST "
	    "without END", ERR_INPUT, __LINE__);
	/* csr_load names a bad PEM request by the file only. */
	put(dir, "bad.csr", bad_pem, strlen(bad_pem));
	check_load_err(dir, "bad.csr", "offset 0x0: expected SEQUENCE "
	    "(CertificationRequest), found 0x00", ERR_INPUT, __LINE__);
	big = xcalloc(CSR_FILE_MAX + 1, 1);
	put(dir, "big.csr", big, CSR_FILE_MAX + 1);
	free(big);
	check_load_err(dir, "big.csr", "larger than 4194304 bytes",
	    ERR_INPUT, __LINE__);

	/* DER; PEM: the first request after a certificate; the old label. */
	put(dir, "req.der", der, derlen);
	check_load_ok(dir, "req.der", "CN=csr.example, O=Mini PKI Test",
	    __LINE__);
	buf_init(&b);
	buf_append(&b, cert, certlen);
	buf_append(&b, plain, plainlen);
	buf_append(&b, req, reqlen);
	put(dir, "chain.csr", b.data, b.len);
	check_load_ok(dir, "chain.csr", "CN=plain.example", __LINE__);
	buf_clear(&b);
	buf_puts(&b, "-----BEGIN NEW CERTIFICATE REQUEST-----");
	s = strchr((const char *)req, '\n');
	buf_append(&b, s, (size_t)(strstr(s, "-----END ") - s));
	buf_puts(&b, "-----END NEW CERTIFICATE REQUEST-----\n");
	put(dir, "new.csr", b.data, b.len);
	buf_clear(&b);
	check_load_ok(dir, "new.csr", "CN=csr.example, O=Mini PKI Test",
	    __LINE__);

	/* Every request of a file, in order; a bad one is named by its line
	 * when lines is set, and those before it were handed out. */
	buf_init(&b);
	buf_append(&b, req, reqlen);
	buf_append(&b, cert, certlen);
	buf_append(&b, plain, plainlen);
	buf_append(&b, bad_pem, strlen(bad_pem));
	put(dir, "three.csr", b.data, b.len);
	buf_clear(&b);
	snprintf(path, sizeof path, "%s/three.csr", dir);
	csr_init(&r);
	CHECK_EQ(csr_file_open(&f, path, 1, &e), 0);
	CHECK_EQ(csr_file_next(&f, &r, &e), 1);
	CHECK_EQ(f.found, 1);
	check_subject(&r, "CN=csr.example, O=Mini PKI Test", __LINE__);
	CHECK_EQ(csr_file_next(&f, &r, &e), 1);
	CHECK_EQ(f.found, 2);
	check_subject(&r, "CN=plain.example", __LINE__);
	snprintf(msg, sizeof msg, "%s: line %zu: offset 0x0: expected "
	    "SEQUENCE (CertificationRequest), found 0x00", path,
	    lines(req, reqlen) + lines(cert, certlen) +
	    lines(plain, plainlen) + 1);
	CHECK_EQ(csr_file_next(&f, &r, &e), -1);
	CHECK_STR(e.msg, msg);
	CHECK_EQ(f.found, 3);
	csr_file_clear(&f);
	csr_clear(&r);

	/* Once every request is out, 0, and 0 again; DER holds one. */
	snprintf(path, sizeof path, "%s/chain.csr", dir);
	CHECK_EQ(csr_file_open(&f, path, 1, &e), 0);
	CHECK_EQ(csr_file_next(&f, &r, &e), 1);
	CHECK_EQ(csr_file_next(&f, &r, &e), 1);
	CHECK_EQ(csr_file_next(&f, &r, &e), 0);
	CHECK_EQ(csr_file_next(&f, &r, &e), 0);
	CHECK_EQ(f.found, 2);
	csr_file_clear(&f);
	snprintf(path, sizeof path, "%s/req.der", dir);
	CHECK_EQ(csr_file_open(&f, path, 1, &e), 0);
	CHECK_EQ(csr_file_next(&f, &r, &e), 1);
	CHECK_EQ(csr_file_next(&f, &r, &e), 0);
	csr_file_clear(&f);
	csr_clear(&r);

	free(req);
	free(plain);
	free(cert);
	free(der);
	/* Leave nothing behind. */
	{
		static const char *const names[] = { "empty.csr",
		    "garbage.csr", "cert.csr", "no-end.csr", "bad.csr",
		    "big.csr", "req.der", "chain.csr", "new.csr",
		    "three.csr", NULL };
		size_t i;

		for (i = 0; names[i] != NULL; i++) {
			snprintf(path, sizeof path, "%s/%s", dir, names[i]);
			unlink(path);
		}
		rmdir(dir);
	}
}

int
main(void)
{
	test_openssl_requests();
	test_weak_digests();
	test_build();
	test_broken();
	test_load();
	return test_done();
}
