/* keystore-test.c — keystore round trip, wrong passphrase, tampering,
 * file modes, overwrite refusal, malformed YAML messages.
 *
 * PBKDF2 is slow on purpose: the keystores here use the smallest count a
 * file may claim (100000) and a handful of unlocks. */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/keystore.h"
#include "testlib.h"

#define PASS "correct horse"
#define FAST 100000

static const uint8_t key_der[] = {
	0x30, 0x82, 0x01, 0x0a, 0x02, 0x01, 0x00, 0x02, 0x41, 0x00, 0xc3, 0x55,
	0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0x80, 0x90, 0xa0, 0xb0, 0x00,
};

static const char cert_pem[] =
    "-----BEGIN CERTIFICATE-----\n"
    "MIIBszCCAVmgAwIBAgIUQ2Vy\n"
    "-----END CERTIFICATE-----\n"
    "-----BEGIN CERTIFICATE-----\n"
    "MIIBrjCCAVSgAwIBAgIUUm9v\n"
    "-----END CERTIFICATE-----\n";

static int
rm_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	return remove(p);
}

static char *
slurp(const char *path)
{
	size_t n;
	uint8_t *p = test_read_file(path, &n);
	char *s;

	if (p == NULL)
		return NULL;
	s = malloc(n + 1);
	memcpy(s, p, n);
	s[n] = '\0';
	free(p);
	return s;
}

static void
spit(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	fputs(text, f);
	fclose(f);
}

/* Replaces the first occurrence of old in the file; 0 when found. */
static int
edit(const char *path, const char *old, const char *new)
{
	char *s = slurp(path), *at, *t;

	if (s == NULL || (at = strstr(s, old)) == NULL) {
		free(s);
		return -1;
	}
	t = malloc(strlen(s) + strlen(new) + 1);
	memcpy(t, s, (size_t)(at - s));
	strcpy(t + (at - s), new);
	strcat(t, at + strlen(old));
	spit(path, t);
	free(s);
	free(t);
	return 0;
}

static int
mode_of(const char *path)
{
	struct stat st;

	if (stat(path, &st) == -1)
		return -1;
	return (int)(st.st_mode & 0777);
}

/* Loads name and tries pass: 0, or -1 with e set. */
static int
try_unlock(struct ws *w, const char *name, const char *pass, size_t passlen,
    struct err *e)
{
	struct keystore ks;
	struct buf key;
	int rc;

	keystore_init(&ks);
	buf_init(&key);
	rc = keystore_load(w, name, &ks, e);
	if (rc == 0)
		rc = keystore_unlock(&ks, pass, passlen, &key, e);
	if (rc == 0 && (key.len != sizeof key_der ||
	    memcmp(key.data, key_der, key.len) != 0))
		rc = err_set(e, ERR_NONE, "unlocked to the wrong bytes");
	buf_clear_secret(&key);
	keystore_clear(&ks);
	return rc;
}

static void
test_round_trip(struct ws *w)
{
	struct keystore_info info = { .bits = 2048, .subject = "CN=alice",
	    .not_after = "2027-11-23T09:00:00Z", .iterations = FAST };
	struct keystore ks;
	struct buf key;
	struct err e;
	char *path = ws_keystore_path(w, "alice"), *text;

	keystore_init(&ks);
	buf_init(&key);
	CHECK_EQ(keystore_create(w, "alice", key_der, sizeof key_der, PASS,
	    strlen(PASS), NULL, &info, 0, &e), 0);
	CHECK_EQ(mode_of(path), 0600);
	CHECK_EQ(keystore_exists(w, "alice"), 1);
	CHECK_EQ(keystore_load(w, "alice", &ks, &e), 0);
	CHECK_STR(ks.name, "alice");
	CHECK_STR(ks.key_type, "rsa");
	CHECK_EQ(ks.bits, 2048);
	CHECK_STR(ks.subject, "CN=alice");
	CHECK_STR(ks.not_after, "2027-11-23T09:00:00Z");
	CHECK(ks.cert_pem == NULL);
	CHECK_EQ(ks.iterations, FAST);
	CHECK_EQ(ks.ct_len, sizeof key_der + 16);
	CHECK(ks.created != NULL && strlen(ks.created) == 20);
	CHECK_EQ(keystore_unlock(&ks, PASS, strlen(PASS), &key, &e), 0);
	CHECK_EQ(key.len, sizeof key_der);
	CHECK_MEM(key.data, key_der, sizeof key_der);
	buf_clear_secret(&key);
	CHECK_ERR(keystore_unlock(&ks, "wrong", 5, &key, &e), &e,
	    "wrong passphrase for keystore 'alice' (or the file was altered)");
	CHECK_EQ(e.kind, ERR_PASS);
	CHECK_EQ(key.len, 0);
	buf_clear_secret(&key);
	keystore_clear(&ks);

	/* The file: what the format promises, readable YAML. */
	text = slurp(path);
	CHECK(text != NULL && strstr(text, "\nname: alice\n") != NULL);
	CHECK(text != NULL && strstr(text, "  kdf: pbkdf2-hmac-sha256\n") != NULL);
	CHECK(text != NULL && strstr(text, "  iterations: 100000\n") != NULL);
	CHECK(text != NULL && strstr(text, "  cipher: aes-256-gcm\n") != NULL);
	CHECK(text != NULL && strstr(text, "  ciphertext: |\n") != NULL);
	free(text);

	/* Refusing to overwrite, unless asked. */
	CHECK_ERR(keystore_create(w, "alice", key_der, sizeof key_der, "x", 1,
	    NULL, &info, 0, &e), &e, "keystore 'alice' already exists");
	CHECK_EQ(e.kind, ERR_REFUSED);

	/* Adding the certificate keeps the key. */
	CHECK_EQ(keystore_set_cert(w, "alice", cert_pem, "CN=alice,O=Lab",
	    NULL, &e), 0);
	CHECK_EQ(mode_of(path), 0600);
	CHECK_EQ(keystore_load(w, "alice", &ks, &e), 0);
	CHECK_STR(ks.cert_pem, cert_pem);
	CHECK_STR(ks.subject, "CN=alice,O=Lab");
	CHECK(ks.not_after == NULL);
	keystore_clear(&ks);
	text = slurp(path);
	CHECK(text != NULL && strstr(text, "\ncertificates: |\n  -----BEGIN "
	    "CERTIFICATE-----\n  MIIBszCCAVmgAwIBAgIUQ2Vy\n") != NULL);
	free(text);
	CHECK_EQ(try_unlock(w, "alice", PASS, strlen(PASS), &e), 0);

	CHECK_ERR(keystore_load(w, "nobody", &ks, &e), &e, "no keystore "
	    "'nobody'");
	CHECK_EQ(e.kind, ERR_USAGE);
	CHECK_ERR(keystore_load(w, "../x", &ks, &e), &e, "invalid name '../x'");
	free(path);
}

static void
test_default_iterations(struct ws *w)
{
	struct err e;
	char *path = ws_keystore_path(w, "slow"), *text;

	/* One keystore at the default count (one PBKDF2, no unlock). */
	CHECK_EQ(keystore_create(w, "slow", key_der, sizeof key_der, PASS,
	    strlen(PASS), cert_pem, NULL, 0, &e), 0);
	text = slurp(path);
	CHECK(text != NULL && strstr(text, "  iterations: 600000\n") != NULL);
	CHECK(text != NULL && strstr(text, "  type: rsa\n") != NULL);
	free(text);
	free(path);
}

static void
test_passphrase_bytes(struct ws *w)
{
	struct keystore_info info = { .bits = 1024, .iterations = FAST };
	struct err e;

	/* A passphrase is bytes: an embedded NUL counts. */
	CHECK_EQ(keystore_create(w, "nul", key_der, sizeof key_der, "pa\0ss",
	    5, NULL, &info, 0, &e), 0);
	CHECK_ERR(try_unlock(w, "nul", "pa", 2, &e), &e,
	    "wrong passphrase for keystore 'nul'");
	CHECK_EQ(try_unlock(w, "nul", "pa\0ss", 5, &e), 0);
}

static void
test_tamper(struct ws *w)
{
	struct keystore_info info = { .bits = 2048, .iterations = FAST };
	struct err e;
	char *path, *path2, *text, *p;

	CHECK_EQ(keystore_create(w, "t", key_der, sizeof key_der, PASS,
	    strlen(PASS), NULL, &info, 0, &e), 0);
	path = ws_keystore_path(w, "t");
	path2 = ws_keystore_path(w, "u");
	text = slurp(path);

	/* A changed ciphertext byte: same message as a wrong passphrase. */
	p = strstr(text, "ciphertext: |\n    ");
	CHECK(p != NULL);
	if (p != NULL) {
		char *t = strdup(text);

		p = t + (p - text) + strlen("ciphertext: |\n    ") + 3;
		*p = *p == 'A' ? 'B' : 'A';
		spit(path, t);
		free(t);
		CHECK_ERR(try_unlock(w, "t", PASS, strlen(PASS), &e), &e,
		    "wrong passphrase for keystore 't' (or the file was "
		    "altered)");
		CHECK_EQ(e.kind, ERR_PASS);
	}
	/* A changed salt. */
	spit(path, text);
	p = strstr(text, "salt: ");
	if (p != NULL) {
		char *t = strdup(text);

		p = t + (p - text) + 6;
		*p = *p == '0' ? '1' : '0';
		spit(path, t);
		free(t);
		CHECK_ERR(try_unlock(w, "t", PASS, strlen(PASS), &e), &e,
		    "wrong passphrase for keystore 't'");
	}
	/* A changed iteration count (still in the allowed range). */
	spit(path, text);
	CHECK_EQ(edit(path, "iterations: 100000\n", "iterations: 100001\n"), 0);
	CHECK_ERR(try_unlock(w, "t", PASS, strlen(PASS), &e), &e,
	    "wrong passphrase for keystore 't'");
	/* A changed key size: the listing field is bound too. */
	spit(path, text);
	CHECK_EQ(edit(path, "bits: 2048\n", "bits: 4096\n"), 0);
	CHECK_ERR(try_unlock(w, "t", PASS, strlen(PASS), &e), &e,
	    "wrong passphrase for keystore 't'");
	/* The file moved to another name: the name field disagrees... */
	spit(path, text);
	rename(path, path2);
	CHECK_ERR(try_unlock(w, "u", PASS, strlen(PASS), &e), &e,
	    "keys/u.yaml: line 6: name: does not match the file name");
	CHECK_EQ(e.kind, ERR_INPUT);
	/* ...and with the name field edited to match, the AAD catches it. */
	CHECK_EQ(edit(path2, "\nname: t\n", "\nname: u\n"), 0);
	CHECK_ERR(try_unlock(w, "u", PASS, strlen(PASS), &e), &e,
	    "wrong passphrase for keystore 'u' (or the file was altered)");
	/* The untouched file still opens. */
	spit(path, text);
	CHECK_EQ(try_unlock(w, "t", PASS, strlen(PASS), &e), 0);
	free(text);
	free(path);
	free(path2);
}

/* The public key's hash: kept, read back, bound like the other fields
 * (an edit fails like a wrong passphrase, its removal too), and a bad one
 * named. */
static void
test_spki_hash(struct ws *w)
{
	struct keystore_info info = { .bits = 2048, .iterations = FAST };
	struct keystore ks;
	struct err e;
	uint8_t h[32];
	char *path, *text, *p;
	size_t i;

	for (i = 0; i < sizeof h; i++)
		h[i] = (uint8_t)(0xa0 + i);
	info.spki_sha256 = h;
	CHECK_EQ(keystore_create(w, "h", key_der, sizeof key_der, PASS,
	    strlen(PASS), NULL, &info, 0, &e), 0);
	keystore_init(&ks);
	CHECK_EQ(keystore_load(w, "h", &ks, &e), 0);
	CHECK(ks.has_spki_sha256 && memcmp(ks.spki_sha256, h, 32) == 0);
	keystore_clear(&ks);
	CHECK_EQ(try_unlock(w, "h", PASS, strlen(PASS), &e), 0);
	/* keystore_set_cert keeps it. */
	CHECK_EQ(keystore_set_cert(w, "h", NULL, "CN=h", NULL, &e), 0);
	CHECK_EQ(keystore_load(w, "h", &ks, &e), 0);
	CHECK(ks.has_spki_sha256 && memcmp(ks.spki_sha256, h, 32) == 0);
	keystore_clear(&ks);
	path = ws_keystore_path(w, "h");
	text = slurp(path);
	CHECK(strstr(text, "  spki_sha256: a0a1a2a3") != NULL);
	CHECK_EQ(edit(path, "spki_sha256: a0", "spki_sha256: b0"), 0);
	CHECK_ERR(try_unlock(w, "h", PASS, strlen(PASS), &e), &e,
	    "wrong passphrase for keystore 'h' (or the file was altered)");
	spit(path, text);
	p = strstr(text, "  spki_sha256: ");
	if (p != NULL) {
		char *t = strdup(text), *nl = strchr(t + (p - text), '\n');

		memmove(t + (p - text), nl + 1, strlen(nl + 1) + 1);
		spit(path, t);
		free(t);
		CHECK_ERR(try_unlock(w, "h", PASS, strlen(PASS), &e), &e,
		    "wrong passphrase for keystore 'h'");
	}
	spit(path, text);
	CHECK_EQ(edit(path, "spki_sha256: a0", "spki_sha256: x0"), 0);
	CHECK_ERR(try_unlock(w, "h", PASS, strlen(PASS), &e), &e,
	    "keys/h.yaml: line 11: spki_sha256: not 64 hex digits");
	spit(path, text);
	CHECK_EQ(try_unlock(w, "h", PASS, strlen(PASS), &e), 0);
	free(text);
	free(path);
}

/* A well-formed keystore text to break in the parser tests; line numbers
 * in the expected messages refer to it. */
static const char good[] =
    "format: minipki-keystore\n"			/* 1 */
    "version: 1\n"					/* 2 */
    "name: alice\n"					/* 3 */
    "created: 2026-11-23T09:00:00Z\n"			/* 4 */
    "key:\n"						/* 5 */
    "  type: rsa\n"					/* 6 */
    "  bits: 2048\n"					/* 7 */
    "encrypted_key:\n"					/* 8 */
    "  kdf: pbkdf2-hmac-sha256\n"			/* 9 */
    "  iterations: 600000\n"				/* 10 */
    "  salt: 000102030405060708090a0b0c0d0e0f\n"	/* 11 */
    "  cipher: aes-256-gcm\n"				/* 12 */
    "  nonce: 000102030405060708090a0b\n"		/* 13 */
    "  ciphertext: |\n"					/* 14 */
    "    AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd\n"	/* 15 */
    "unknown_future_key: ignored\n";			/* 16 */

static void
bad_case(const char *old, const char *new, const char *want)
{
	struct keystore ks;
	struct err e;
	char *t, *at = strstr(good, old);

	keystore_init(&ks);
	if (at == NULL) {
		test_fail(__FILE__, __LINE__, "test text lacks '%s'", old);
		return;
	}
	t = malloc(sizeof good + strlen(new));
	memcpy(t, good, (size_t)(at - good));
	strcpy(t + (at - good), new);
	strcat(t, at + strlen(old));
	CHECK_ERR(keystore_parse(&ks, t, strlen(t), "keys/alice.yaml", "alice",
	    &e), &e, want);
	CHECK_EQ(e.kind, ERR_INPUT);
	keystore_clear(&ks);
	free(t);
}

static void
test_parse(void)
{
	struct keystore ks;
	struct err e;

	keystore_init(&ks);
	CHECK_EQ(keystore_parse(&ks, good, strlen(good), "keys/alice.yaml",
	    "alice", &e), 0);
	CHECK_EQ(ks.iterations, 600000);
	CHECK_EQ(ks.ct_len, 30);
	CHECK_EQ(ks.salt[15], 0x0f);
	CHECK_EQ(ks.nonce[11], 0x0b);
	CHECK(ks.subject == NULL && ks.cert_pem == NULL);
	keystore_clear(&ks);

	bad_case("format: minipki-keystore", "format: something-else",
	    "keys/alice.yaml: line 1: format: not a minipki keystore");
	bad_case("version: 1", "version: 2",
	    "keys/alice.yaml: line 2: version: unsupported version");
	bad_case("  salt: 000102030405060708090a0b0c0d0e0f",
	    "  salt: 000102030405060708090a0b0c0d0e0g",
	    "keys/alice.yaml: line 11: salt: not 32 hex digits");
	bad_case("  salt: 000102030405060708090a0b0c0d0e0f\n", "",
	    "keys/alice.yaml: line 9: salt: missing");
	bad_case("    AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd",
	    "    AAECAwQFBgcICQoLDA0ODx*REhMUFRYXGBkaGxwd",
	    "keys/alice.yaml: line 14: ciphertext: not valid base64");
	bad_case("    AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd", "    AAEC",
	    "keys/alice.yaml: line 14: ciphertext: wrong length");
	bad_case("iterations: 600000", "iterations: 99999",
	    "keys/alice.yaml: line 10: iterations: 99999 is outside "
	    "100000..100000000");
	bad_case("iterations: 600000", "iterations: 100000001",
	    "line 10: iterations: 100000001 is outside");
	bad_case("iterations: 600000", "iterations: 99999999999999999999",
	    "line 10: iterations: too long");
	bad_case("iterations: 600000", "iterations: -5",
	    "line 10: iterations: not a number");
	bad_case("  kdf: pbkdf2-hmac-sha256", "  kdf: scrypt",
	    "line 9: kdf: unsupported (want pbkdf2-hmac-sha256)");
	bad_case("  cipher: aes-256-gcm", "  cipher: [aes]",
	    "line 12: cipher: expected a single value");
	bad_case("name: alice", "name: bob",
	    "keys/alice.yaml: line 3: name: does not match the file name");
	bad_case("name: alice", "name: ../alice",
	    "line 3: name: not a valid name");
	bad_case("created: 2026-11-23T09:00:00Z", "created: yesterday",
	    "line 4: created: not a time");
	bad_case("key:\n  type: rsa\n  bits: 2048\n", "key: rsa\n",
	    "keys/alice.yaml: line 5: key: expected a mapping");
	bad_case("  bits: 2048", "  bits: 2048\n  bits: 4096",
	    "keys/alice.yaml: line 8: duplicate key 'bits'");
	bad_case("name: alice", "name: &a alice\nalias: *a",
	    "keys/alice.yaml: line 4: aliases are not supported");
	bad_case("  type: rsa", "  type: \"rsa",
	    "keys/alice.yaml: line ");
	bad_case("unknown_future_key: ignored\n", "---\nsecond: doc\n",
	    "keys/alice.yaml: line 16: more than one YAML document");

	CHECK_ERR(keystore_parse(&ks, "", 0, "k.yaml", NULL, &e), &e,
	    "k.yaml: line 1: not a minipki keystore");
	CHECK_ERR(keystore_parse(&ks, "- a\n- list\n", 11, "k.yaml", NULL,
	    &e), &e, "k.yaml: line 1: not a minipki keystore");
	CHECK_ERR(keystore_parse(&ks, "\xff\xfe", 2, "k.yaml", NULL, &e), &e,
	    "k.yaml: line ");
}

int
main(void)
{
	char top[] = "tests/work/keystore-XXXXXX";
	struct ws w;
	struct err e;
	char *keys;

	test_parse();
	mkdir("tests/work", 0755);
	if (mkdtemp(top) == NULL) {
		perror(top);
		return 1;
	}
	ws_init(&w);
	if (ws_open(&w, top, &e) == -1) {
		fprintf(stderr, "%s\n", e.msg);
		return 1;
	}
	keys = malloc(strlen(top) + 8);
	sprintf(keys, "%s/keys", top);
	CHECK_EQ(mode_of(keys), 0700);
	free(keys);
	test_round_trip(&w);
	test_default_iterations(&w);
	test_passphrase_bytes(&w);
	test_tamper(&w);
	test_spki_hash(&w);
	ws_clear(&w);
	nftw(top, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	return test_done();
}
