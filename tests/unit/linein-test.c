/* linein-test.c — the byte readers exposed for the fuzz targets, each
 * with its broken inputs: the --passphrase-file line
 * (passphrase_from_bytes), ca.yaml (cadb_meta_parse) and the server
 * role's line framing (server_line_take, server_line_answer). */
#include <stdio.h>
#include <string.h>

#include "cli/passphrase.h"
#include "role/server.h"
#include "store/cadb.h"
#include "testlib.h"

static void
test_passphrase(void)
{
	uint8_t big[PASSPHRASE_MAX + 2];
	struct passphrase p;
	struct err e;

	CHECK_EQ(passphrase_from_bytes((const uint8_t *)"secret\r\nmore\n", 14,
	    "p.txt", &p, &e), 0);
	CHECK_STR(p.s, "secret");
	CHECK_EQ(p.len, 6);
	passphrase_free(&p);
	CHECK_EQ(passphrase_from_bytes((const uint8_t *)"no newline", 10,
	    "p.txt", &p, &e), 0);
	CHECK_STR(p.s, "no newline");
	passphrase_free(&p);
	CHECK_ERR(passphrase_from_bytes((const uint8_t *)"\nsecond", 7, "p.txt",
	    &p, &e), &e, "p.txt: the passphrase is empty");
	CHECK(p.s == NULL);
	CHECK_ERR(passphrase_from_bytes((const uint8_t *)"", 0, "p.txt", &p,
	    &e), &e, "p.txt: the passphrase is empty");
	CHECK_ERR(passphrase_from_bytes((const uint8_t *)"a\0b\n", 4, "p.txt",
	    &p, &e), &e, "p.txt: the passphrase contains a NUL byte");
	CHECK(p.s == NULL);
	memset(big, 'x', sizeof big);
	big[PASSPHRASE_MAX] = '\n';
	CHECK_EQ(passphrase_from_bytes(big, sizeof big, "p.txt", &p, &e), 0);
	CHECK_EQ(p.len, PASSPHRASE_MAX);
	passphrase_free(&p);
	big[PASSPHRASE_MAX] = 'x';
	CHECK_ERR(passphrase_from_bytes(big, sizeof big, "p.txt", &p, &e), &e,
	    "p.txt: the passphrase is longer than 1024 bytes");
}

static void
test_cameta(void)
{
	static const char good[] = "format: minipki-ca\nname: lab\n"
	    "keystore: lab-key\nsubject: CN=Lab\nurl: http://127.0.0.1:9000\n";
	static const char badks[] = "format: minipki-ca\nname: lab\n"
	    "keystore: ../x\n";
	static const char nokey[] = "format: minipki-ca\nname: lab\n";
	static const char seq[] = "- a\n- b\n";
	static const char fmt[] = "format: other\n";
	static const char list[] = "format: minipki-ca\nname: [a, b]\n"
	    "keystore: k\n";
	struct cadb_meta m;
	struct err e;

	cadb_meta_init(&m);
	CHECK_EQ(cadb_meta_parse(good, strlen(good), "ca/lab/ca.yaml", &m, &e),
	    0);
	CHECK_STR(m.name, "lab");
	CHECK_STR(m.keystore, "lab-key");
	CHECK_STR(m.subject, "CN=Lab");
	CHECK_STR(m.url, "http://127.0.0.1:9000");
	CHECK(m.created == NULL);
	CHECK_ERR(cadb_meta_parse(badks, strlen(badks), "ca/lab/ca.yaml", &m,
	    &e), &e, "ca/lab/ca.yaml: line 3: keystore: not a valid name");
	CHECK(m.name == NULL);
	CHECK_ERR(cadb_meta_parse(nokey, strlen(nokey), "ca/lab/ca.yaml", &m,
	    &e), &e, "ca/lab/ca.yaml: line 1: keystore: missing");
	CHECK_ERR(cadb_meta_parse(seq, strlen(seq), "ca/lab/ca.yaml", &m, &e),
	    &e, "ca/lab/ca.yaml: line 1: not a minipki CA file");
	CHECK_ERR(cadb_meta_parse(fmt, strlen(fmt), "ca/lab/ca.yaml", &m, &e),
	    &e, "ca/lab/ca.yaml: line 1: format: not a minipki CA file");
	CHECK_ERR(cadb_meta_parse(list, strlen(list), "ca/lab/ca.yaml", &m,
	    &e), &e, "ca/lab/ca.yaml: line 2: name: expected a single value");
	cadb_meta_clear(&m);
}

/* profile_policies (`ca set-policy`): read, and refused when malformed. */
static void
test_cameta_profiles(void)
{
#define HEAD "format: minipki-ca\nname: lab\nkeystore: lab\n"
	static const char good[] = HEAD "profile_policies:\n  server:\n"
	    "    policies: 1.2.3,1.2.4\n    cps: https://c.example/\n"
	    "  client:\n    policies: 1.2.5\n";
	static const char notmap[] = HEAD "profile_policies: x\n";
	static const char badname[] = HEAD "profile_policies:\n  Srv:\n"
	    "    policies: 1.2.3\n";
	static const char nopol[] = HEAD "profile_policies:\n  server:\n"
	    "    cps: https://c.example/\n";
	static const char extra[] = HEAD "profile_policies:\n  server:\n"
	    "    policies: 1.2.3\n    color: red\n";
	static const char flat[] = HEAD "profile_policies:\n  server: 1.2.3\n";
	static const char nine[] = HEAD "profile_policies:\n"
	    "  a: {policies: 1}\n  b: {policies: 1}\n  c: {policies: 1}\n"
	    "  d: {policies: 1}\n  e: {policies: 1}\n  f: {policies: 1}\n"
	    "  g: {policies: 1}\n  h: {policies: 1}\n  i: {policies: 1}\n";
#undef HEAD
	struct cadb_meta m;
	struct err e;

	cadb_meta_init(&m);
	CHECK_EQ(cadb_meta_parse(good, strlen(good), "ca/lab/ca.yaml", &m, &e),
	    0);
	CHECK_EQ(m.npp, 2);
	CHECK_STR(m.pp[0].profile, "server");
	CHECK_STR(m.pp[0].policies, "1.2.3,1.2.4");
	CHECK_STR(m.pp[0].cps, "https://c.example/");
	CHECK_STR(m.pp[1].profile, "client");
	CHECK_STR(m.pp[1].policies, "1.2.5");
	CHECK(m.pp[1].cps == NULL);
	CHECK_ERR(cadb_meta_parse(notmap, strlen(notmap), "ca/lab/ca.yaml",
	    &m, &e), &e, "ca/lab/ca.yaml: line 4: profile_policies: expected "
	    "a mapping of profile names");
	CHECK_EQ(m.npp, 0);
	CHECK_ERR(cadb_meta_parse(badname, strlen(badname), "ca/lab/ca.yaml",
	    &m, &e), &e, "ca/lab/ca.yaml: line 5: profile_policies: not a "
	    "profile name");
	CHECK_ERR(cadb_meta_parse(nopol, strlen(nopol), "ca/lab/ca.yaml", &m,
	    &e), &e, "ca/lab/ca.yaml: line 6: policies: missing");
	CHECK_EQ(m.npp, 0);
	CHECK_ERR(cadb_meta_parse(extra, strlen(extra), "ca/lab/ca.yaml", &m,
	    &e), &e, "ca/lab/ca.yaml: line 7: profile_policies: server: "
	    "unknown key");
	CHECK_ERR(cadb_meta_parse(flat, strlen(flat), "ca/lab/ca.yaml", &m,
	    &e), &e, "ca/lab/ca.yaml: line 5: profile_policies: server: "
	    "expected policies and cps");
	CHECK_ERR(cadb_meta_parse(nine, strlen(nine), "ca/lab/ca.yaml", &m,
	    &e), &e, "ca/lab/ca.yaml: line 5: profile_policies: more than 8 "
	    "profiles");
	cadb_meta_clear(&m);
}

/* Feeds in one piece at a time of n bytes; returns the answers. */
static void
serve(const char *in, size_t step, const char *subject, struct buf *answers,
    int *quit)
{
	struct buf line;
	size_t off = 0, len = strlen(in), n, used;
	int done;

	buf_init(&line);
	*quit = 0;
	while (off < len && !*quit) {
		n = len - off < step ? len - off : step;
		used = server_line_take(&line, (const uint8_t *)in + off, n,
		    &done);
		off += used;
		if (done)
			server_line_answer(&line, subject, 1811808000, answers,
			    quit);
	}
	buf_putc(answers, '\0');
	buf_clear(&line);
}

static void
test_serverline(void)
{
	static const char session[] = "ECHO a b\r\nWHOAMI\nTIME\nHELLO\nQUIT\n"
	    "ECHO after\n";
	static const char want[] = "a b\nCN=x\n2027-06-01T00:00:00Z\n"
	    "ERR unknown command 'HELLO' (commands: WHOAMI, ECHO text, TIME, "
	    "QUIT)\nBYE\n";
	char longline[SERVER_MAX_LINE + 8];
	struct buf a;
	size_t step;
	int quit;

	for (step = 1; step <= sizeof session; step += 7) {
		buf_init(&a);
		serve(session, step, "CN=x", &a, &quit);
		CHECK_STR((char *)a.data, want);
		CHECK_EQ(quit, 1);
		buf_clear(&a);
	}
	buf_init(&a);
	serve("WHOAMI\n", 100, NULL, &a, &quit);
	CHECK_STR((char *)a.data, "anonymous\n");
	CHECK_EQ(quit, 0);
	buf_clear(&a);
	/* A line one byte too long ends the session, newline or not. */
	memset(longline, 'x', sizeof longline);
	longline[SERVER_MAX_LINE + 1] = '\0';
	buf_init(&a);
	serve(longline, 1000, NULL, &a, &quit);
	CHECK_STR((char *)a.data, "ERR line longer than 4096 bytes\n");
	CHECK_EQ(quit, 1);
	buf_clear(&a);
	longline[SERVER_MAX_LINE] = '\n';
	longline[SERVER_MAX_LINE + 1] = '\0';
	buf_init(&a);
	serve(longline, 4096, NULL, &a, &quit);
	CHECK_EQ(quit, 0);	/* not too long: an unknown command */
	CHECK(strncmp((char *)a.data, "ERR unknown command 'xxxx", 25) == 0);
	buf_clear(&a);
}

int
main(void)
{
	test_passphrase();
	test_cameta();
	test_cameta_profiles();
	test_serverline();
	return test_done();
}
