/* pem-test.c — PEM decoding of real OpenSSL files (checked against their
 * DER), several blocks with text around them, CRLF, encode round trips,
 * and each error with its line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asn1/pem.h"
#include "testlib.h"

static struct err E;

static int
decode(const char *text, struct pem_list *l)
{
	err_clear(&E);
	return pem_decode(text, strlen(text), l, &E);
}

/* Replaces every "\n" by "\r\n". */
static char *
to_crlf(const char *s, size_t n, size_t *outn)
{
	char *o = malloc(2 * n + 1);
	size_t i, k = 0;

	if (o == NULL)
		abort();
	for (i = 0; i < n; i++) {
		if (s[i] == '\n')
			o[k++] = '\r';
		o[k++] = s[i];
	}
	o[k] = '\0';
	*outn = k;
	return o;
}

static void
test_files(void)
{
	struct pem_list l;
	struct buf text, enc;
	uint8_t *leafpem, *leafder, *rootpem;
	size_t lpn, ldn, rpn, i, lines_root = 0;
	char *crlf;
	size_t crlfn;

	leafpem = test_read_file("tests/data/leaf.pem", &lpn);
	leafder = test_read_file("tests/data/leaf.der", &ldn);
	rootpem = test_read_file("tests/data/root.pem", &rpn);
	CHECK(leafpem != NULL && leafder != NULL && rootpem != NULL);
	if (leafpem == NULL || leafder == NULL || rootpem == NULL)
		goto out;
	for (i = 0; i < rpn; i++)
		lines_root += rootpem[i] == '\n';

	/* One certificate: the DER is exactly OpenSSL's. */
	pem_list_init(&l);
	CHECK(pem_detect(leafpem, lpn));
	CHECK(!pem_detect(leafder, ldn));
	CHECK_EQ(pem_decode((char *)leafpem, lpn, &l, &E), 0);
	CHECK_EQ(l.n, 1);
	CHECK_STR(l.v[0].label, "CERTIFICATE");
	CHECK_EQ(l.v[0].line, 1);
	CHECK_EQ(l.v[0].len, ldn);
	CHECK_MEM(l.v[0].der, leafder, ldn);
	/* Encoding gives back OpenSSL's text byte for byte. */
	buf_init(&enc);
	pem_encode("CERTIFICATE", l.v[0].der, l.v[0].len, &enc);
	CHECK_EQ(enc.len, lpn);
	CHECK_MEM(enc.data, leafpem, lpn);
	buf_clear(&enc);
	pem_list_clear(&l);
	CHECK(l.v == NULL && l.n == 0);

	/* Two certificates with text before, between and after. */
	buf_init(&text);
	buf_puts(&text, "Certificate:\n    Data: (as from openssl x509 -text)\n\n");
	buf_append(&text, rootpem, rpn);
	buf_puts(&text, "subject=CN = leaf.example\n");
	buf_append(&text, leafpem, lpn);
	buf_puts(&text, "trailing words, no newline");
	CHECK_EQ(pem_decode((char *)text.data, text.len, &l, &E), 0);
	CHECK_EQ(l.n, 2);
	if (l.n == 2) {
		CHECK_EQ(l.v[0].line, 4);
		CHECK_EQ(l.v[1].line, 4 + lines_root + 1);
		CHECK_EQ(l.v[1].len, ldn);
		CHECK_MEM(l.v[1].der, leafder, ldn);
		CHECK_EQ(l.v[0].der[0], 0x30);
	}
	pem_list_clear(&l);

	/* The same with CRLF line ends. */
	crlf = to_crlf((char *)text.data, text.len, &crlfn);
	CHECK_EQ(pem_decode(crlf, crlfn, &l, &E), 0);
	CHECK_EQ(l.n, 2);
	if (l.n == 2) {
		CHECK_EQ(l.v[1].line, 4 + lines_root + 1);
		CHECK_EQ(l.v[1].len, ldn);
		CHECK_MEM(l.v[1].der, leafder, ldn);
	}
	/* A second call appends to the list. */
	CHECK_EQ(pem_decode((char *)leafpem, lpn, &l, &E), 0);
	CHECK_EQ(l.n, 3);
	/* A failing call keeps what was there. */
	CHECK_EQ(pem_decode("nothing", 7, &l, &E), -1);
	CHECK_EQ(l.n, 3);
	pem_list_clear(&l);
	free(crlf);
	buf_clear(&text);
out:
	free(leafpem);
	free(leafder);
	free(rootpem);
}

static void
test_roundtrip(void)
{
	struct pem_list l;
	struct buf b;
	uint8_t data[200];
	size_t n, i;

	pem_list_init(&l);
	for (i = 0; i < sizeof data; i++)
		data[i] = (uint8_t)(i * 7);
	buf_init(&b);
	for (n = 1; n <= sizeof data; n += 13)
		pem_encode(n % 2 ? "PRIVATE KEY" : "X509 CRL", data, n, &b);
	CHECK_EQ(pem_decode((char *)b.data, b.len, &l, &E), 0);
	CHECK_EQ(l.n, 16);
	for (i = 0, n = 1; i < l.n; i++, n += 13) {
		CHECK_EQ(l.v[i].len, n);
		CHECK_MEM(l.v[i].der, data, n);
		CHECK_STR(l.v[i].label, n % 2 ? "PRIVATE KEY" : "X509 CRL");
	}
	pem_list_clear(&l);
	buf_clear(&b);

	/* A 63-character label is the longest accepted. */
	CHECK_EQ(decode("-----BEGIN "
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJK"
	    "-----\nAAEC\n-----END "
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJK"
	    "-----\n", &l), 0);
	CHECK_EQ(l.n, 1);
	CHECK_EQ(strlen(l.v[0].label), 63);
	pem_list_clear(&l);
	/* Blank lines, spaces and no final newline are fine. */
	CHECK_EQ(decode("-----BEGIN X-----\n\nAA EC\n\n-----END X-----", &l), 0);
	CHECK_EQ(l.n, 1);
	CHECK_EQ(l.v[0].len, 3);
	pem_list_clear(&l);
}

static void
test_errors(void)
{
	static const struct {
		const char *text;
		const char *msg;
	} v[] = {
		{ "", "no PEM block found" },
		{ "just text\nand more\n", "no PEM block found" },
		{ "-----END CERTIFICATE-----\n", "no PEM block found" },
		{ "x\n-----BEGIN CERTIFICATE-----\nAAEC\n",
		    "line 2: BEGIN CERTIFICATE without END" },
		{ "-----BEGIN CERTIFICATE-----\nAAEC\n"
		    "-----BEGIN CERTIFICATE-----\nAAEC\n"
		    "-----END CERTIFICATE-----\n",
		    "line 1: BEGIN CERTIFICATE without END" },
		{ "-----BEGIN CERTIFICATE-----\nAAEC\n"
		    "-----END PRIVATE KEY-----\n",
		    "line 3: END PRIVATE KEY does not match BEGIN CERTIFICATE" },
		{ "-----BEGIN RSA PRIVATE KEY-----\r\n"
		    "Proc-Type: 4,ENCRYPTED\r\n"
		    "DEK-Info: AES-128-CBC,0123456789ABCDEF0123456789ABCDEF\r\n"
		    "\r\nAAEC\r\n-----END RSA PRIVATE KEY-----\r\n",
		    "line 2: encrypted PEM (Proc-Type) is not supported: "
		    "convert with openssl pkey" },
		{ "-----BEGIN CERTIFICATE-----\nAAEC\nAA!C\n"
		    "-----END CERTIFICATE-----\n",
		    "line 3: invalid base64 character 0x21" },
		{ "-----BEGIN CERTIFICATE-----\r\nAAEC\r\nAAE\r\n"
		    "-----END CERTIFICATE-----\r\n",
		    "line 3: truncated base64" },
		{ "-----BEGIN CERTIFICATE-----\nAA==\nAAEC\n"
		    "-----END CERTIFICATE-----\n",
		    "line 3: bad base64 padding" },
		{ "-----BEGIN CERTIFICATE-----\n"
		    "-----END CERTIFICATE-----\n",
		    "line 1: empty PEM block CERTIFICATE" },
		{ "-----BEGIN CERTIFICATE-----\n  \n"
		    "-----END CERTIFICATE-----\n",
		    "line 1: empty PEM block" },
		{ "-----BEGIN -----\nAAEC\n-----END -----\n",
		    "line 1: malformed BEGIN line" },
		{ "-----BEGIN CERTIFICATE\nAAEC\n-----END CERTIFICATE-----\n",
		    "line 1: malformed BEGIN line" },
		{ "-----BEGIN "
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKL"
		    "-----\n", "line 1: malformed BEGIN line" },
		{ "\n\n-----BEGIN CERTIFICATE-----\nAAEC\n-----END CERTIFICATE\n",
		    "line 5: malformed END line" },
		/* An error in the second block after a good first one. */
		{ "-----BEGIN A-----\nAAEC\n-----END A-----\n"
		    "-----BEGIN B-----\nAAEC\n-----END A-----\n",
		    "line 6: END A does not match BEGIN B" },
	};
	struct pem_list l;
	size_t i;

	pem_list_init(&l);
	for (i = 0; i < sizeof v / sizeof v[0]; i++) {
		CHECK_ERR(decode(v[i].text, &l), &E, v[i].msg);
		CHECK_EQ(E.kind, ERR_INPUT);
		/* Nothing is left behind on failure. */
		CHECK_EQ(l.n, 0);
		pem_list_clear(&l);
	}
}

static void
test_limits(void)
{
	struct pem_list l;
	struct buf b;
	size_t i;

	/* PEM_MAX_BLOCKS blocks are accepted, one more is refused. */
	buf_init(&b);
	for (i = 0; i < PEM_MAX_BLOCKS; i++)
		buf_puts(&b, "-----BEGIN X-----\nAA==\n-----END X-----\n");
	pem_list_init(&l);
	CHECK_EQ(pem_decode((char *)b.data, b.len, &l, &E), 0);
	CHECK_EQ(l.n, PEM_MAX_BLOCKS);
	pem_list_clear(&l);
	buf_puts(&b, "-----BEGIN X-----\nAA==\n-----END X-----\n");
	CHECK_ERR(pem_decode((char *)b.data, b.len, &l, &E), &E,
	    "line 3073: more than 1024 PEM blocks");
	CHECK_EQ(l.n, 0);
	pem_list_clear(&l);
	buf_clear(&b);
	CHECK(pem_detect((const uint8_t *)"xx-----BEGIN y", 14));
	CHECK(!pem_detect((const uint8_t *)"xx-----BEGIN", 12));
	CHECK(!pem_detect((const uint8_t *)"", 0));
}

int
main(void)
{
	test_files();
	test_roundtrip();
	test_errors();
	test_limits();
	return test_done();
}
