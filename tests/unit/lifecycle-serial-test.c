/* lifecycle-serial-test.c — serial normalisation (lifecycle_serial_norm:
 * case, leading zeros, "0x", the colon pairs `show` prints) and the
 * keystore a renewal goes to (lifecycle_renew_keystore), which the TUI's
 * inventory decided by itself with its own leading-zero stripping; the
 * lifecycle_* calls and `ca show` find a serial in any of those forms. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "role/entity.h"
#include "role/lifecycle.h"
#include "testlib.h"
#include "testws.h"
#include "util/xalloc.h"

static struct ws w;
static const char pass[] = "lifecycle serial pass";
static const int64_t now = 1790000000;	/* 2026-09-21 */

static void
norm_ok(const char *in, const char *want)
{
	char out[CADB_SERIAL_MAX + 1];

	memset(out, 'Z', sizeof out);
	CHECK_EQ(lifecycle_serial_norm(in, out), 0);
	CHECK_STR(out, want);
}

static void
norm_bad(const char *in)
{
	char out[CADB_SERIAL_MAX + 1];

	if (lifecycle_serial_norm(in, out) != -1)
		test_fail(__FILE__, __LINE__, "'%s' taken as '%s'", in, out);
	test_checks++;
}

static void
test_norm(void)
{
	char big[CADB_SERIAL_MAX + 8];

	norm_ok("0a1b", "a1b");
	norm_ok("0A1B", "a1b");
	norm_ok("a1b", "a1b");
	norm_ok("0x0a1b", "a1b");
	norm_ok("0X0A1B", "a1b");
	norm_ok("0a:1b", "a1b");
	norm_ok("0x0A:1B", "a1b");
	norm_ok("01:23:45:67:89:AB:CD:EF", "123456789abcdef");
	norm_ok("000000ff", "ff");
	norm_ok("0", "0");
	norm_ok("00", "0");
	norm_ok("0x0", "0");
	norm_bad("");
	norm_bad("0x");
	norm_bad("0x0x1");
	norm_bad("xyz");
	norm_bad("0a1g");
	norm_bad(" 0a");
	norm_bad("0a ");
	norm_bad("-1");
	norm_bad("a:1b");		/* pairs only */
	norm_bad("0a1:b");
	norm_bad("0a::1b");
	norm_bad("0a1b:");
	norm_bad(":0a");
	/* CADB_SERIAL_MAX digits, not counting leading zeros. */
	memset(big, 'f', CADB_SERIAL_MAX);
	big[CADB_SERIAL_MAX] = '\0';
	norm_ok(big, big);
	memcpy(big, "00", 2);
	memset(big + 2, 'f', CADB_SERIAL_MAX);
	big[CADB_SERIAL_MAX + 2] = '\0';
	norm_ok(big, big + 2);
	memset(big, 'f', CADB_SERIAL_MAX + 1);
	big[CADB_SERIAL_MAX + 1] = '\0';
	norm_bad(big);
	CHECK(lifecycle_serial_eq("0A:1B", "a1b"));
	CHECK(lifecycle_serial_eq("0x00", "0"));
	CHECK(!lifecycle_serial_eq("a1b", "a1c"));
	CHECK(!lifecycle_serial_eq("xyz", "xyz"));
}

/* A request for CN=cn with the key of a fixture. */
static void
make_csr(const char *keyfile, const char *cn, struct csr *req)
{
	struct rsakey key;
	struct dn subject;
	struct err e;
	uint8_t *data, *der = NULL;
	size_t n, len = 0;
	char *s = xasprintf("CN=%s", cn);

	data = test_slurp(keyfile, &n);
	rsakey_init(&key);
	CHECK(entity_read_key(data, n, NULL, 0, &key, &e) == 0);
	dn_init(&subject);
	CHECK(dn_from_string(&subject, s, &e) == 0);
	CHECK(csr_build(&subject, NULL, &key, &der, &len, &e) == 0);
	CHECK(csr_parse(req, der, len, &e) == 0);
	free(der);
	free(s);
	free(data);
	dn_clear(&subject);
	rsakey_clear(&key);
}

/* Keystore name with the fixture key and, when certpem is not NULL, that
 * certificate. */
static void
make_entity(const char *name, const char *certpem, size_t certlen)
{
	struct rsakey key;
	struct err e;
	uint8_t *data;
	size_t n;

	data = test_slurp("tests/data/key-pkcs8.pem", &n);
	rsakey_init(&key);
	CHECK(entity_read_key(data, n, NULL, 0, &key, &e) == 0);
	CHECK(entity_import(&w, name, &key, (const uint8_t *)certpem, certlen,
	    pass, strlen(pass), &e) == 0);
	rsakey_clear(&key);
	free(data);
}

static void
want_target(const struct ca *ca, const char *serial, const struct csr *rekey,
    const char *want)
{
	struct err e;
	char *name = (char *)"unset";

	CHECK_EQ(lifecycle_renew_keystore(ca, serial, rekey, &name, &e), 0);
	if (want == NULL && name != NULL)
		test_fail(__FILE__, __LINE__, "%s: want none, got '%s'", serial,
		    name);
	else if (want != NULL)
		CHECK_STR(name, want);
	test_checks++;
	free(name);
}

static void
test_renew_keystore(void)
{
	struct ca ca;
	struct dn subject;
	struct csr req, other;
	struct ca_issued a;
	struct buf pem;
	struct err e;
	uint8_t *der = NULL, *leaf;
	size_t len = 0, ln, i;
	char up[CA_SERIAL_HEX + 8], colons[3 * CA_SERIAL_HEX];
	char rootserial[3 * CERT_MAX_SERIAL + 1];

	dn_init(&subject);
	CHECK(dn_from_string(&subject, "CN=Serial Unit Root", &e) == 0);
	CHECK(ca_create(&w, "root", &subject, 2048, 100, now, pass,
	    strlen(pass), NULL, NULL, &der, &len, &e) == 0);
	free(der);
	dn_clear(&subject);
	ca_init(&ca);
	CHECK(ca_open(&ca, &w, "root", CA_WRITE, &e) == 0);
	CHECK(ca_unlock(&ca, pass, strlen(pass), &e) == 0);

	/* alice: issued by root; bob: no certificate; zed: leaf.pem (serial
	 * 01:23:45:67:89:AB:CD:EF, another CA's), all of one key. */
	csr_init(&req);
	make_csr("tests/data/key-pkcs8.pem", "alice", &req);
	ca_issued_init(&a);
	CHECK(ca_issue(&ca, &req, profile_get(PROFILE_CLIENT), 0, now, &a,
	    &e) == 0);
	buf_init(&pem);
	pem_encode("CERTIFICATE", a.der, a.len, &pem);
	make_entity("alice", (const char *)pem.data, pem.len);
	make_entity("bob", NULL, 0);
	leaf = test_slurp("tests/data/leaf.pem", &ln);
	make_entity("zed", (const char *)leaf, ln);

	/* By the old serial, in any of its spellings. */
	want_target(&ca, a.serial, NULL, "alice");
	snprintf(up, sizeof up, "0X00%s", a.serial);
	for (i = 0; up[i] != '\0'; i++)
		up[i] = (char)toupper((unsigned char)up[i]);
	want_target(&ca, up, NULL, "alice");
	colons[0] = '\0';
	for (i = 0; a.serial[i] != '\0' && a.serial[i + 1] != '\0'; i += 2)
		snprintf(colons + strlen(colons), 4, "%s%.2s", i > 0 ? ":" : "",
		    a.serial + i);
	CHECK_EQ(strlen(a.serial) % 2, 0);
	want_target(&ca, colons, NULL, "alice");
	want_target(&ca, "123456789ABCDEF", NULL, "zed");
	want_target(&ca, "0x0123456789abcdef", NULL, "zed");
	want_target(&ca, "123456789abcdee", NULL, NULL);
	want_target(&ca, "not hex", NULL, NULL);
	/* The CA's own keystore is never the target. */
	cert_serial_hex(ca.root.serial, ca.root.serial_len, rootserial,
	    sizeof rootserial);
	want_target(&ca, rootserial, NULL, NULL);
	/* A rekey: the first keystore whose certificate holds the new key
	 * (bob has none); none holds the root fixture's key. */
	want_target(&ca, a.serial, &req, "alice");
	csr_init(&other);
	make_csr("tests/data/key-pkcs1.pem", "alice", &other);
	want_target(&ca, a.serial, &other, NULL);

	/* The lifecycle calls take the same spellings. */
	CHECK(lifecycle_find(&ca, up) == lifecycle_find(&ca, a.serial));
	CHECK(lifecycle_find(&ca, colons) != NULL);
	CHECK(lifecycle_find(&ca, "0x") == NULL);
	CHECK(lifecycle_revoke_check(&ca, up, "keyCompromise", &e) == 0);
	CHECK(lifecycle_renew_check(&ca, colons, NULL, NULL, &e) == 0);
	CHECK_ERR(lifecycle_revoke_check(&ca, "0x", "unspecified", &e), &e,
	    "CA 'root' has no certificate with serial 0x");
	CHECK_EQ(e.kind, ERR_USAGE);

	csr_clear(&other);
	csr_clear(&req);
	ca_issued_clear(&a);
	buf_clear(&pem);
	free(leaf);
	ca_clear(&ca);
}

int
main(void)
{
	char dir[] = "tests/work/lifecycle-serial-XXXXXX";

	test_norm();
	if (test_ws_open(&w, dir) == -1)
		return 1;
	test_renew_keystore();
	test_ws_remove(&w, dir);
	return test_done();
}
