/* lifecycle-test.c — revocation (hold and release), CRL numbering across
 * reopening, renewal, intermediate CAs, list filters, `ca check`, and the
 * audit log (its records, SSH_CONNECTION, exact errors for edited,
 * removed and torn records), in a workspace under tests/work. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testlib.h"
#include "role/lifecycle.h"
#include "crypto/hash.h"
#include "store/audit.h"
#include "util/file.h"
#include "util/xalloc.h"

static const char pass[] = "lifecycle unit pass";
static const int64_t now = 1790000000;	/* 2026-09-21 */

static void
make_csr(const char *cn, struct rsakey *key, struct csr *req)
{
	struct dn subject;
	struct err e;
	uint8_t *der = NULL;
	size_t len = 0;
	char *s = xasprintf("CN=%s", cn);

	dn_init(&subject);
	CHECK(dn_from_string(&subject, s, &e) == 0);
	CHECK(csr_build(&subject, NULL, key, &der, &len, &e) == 0);
	CHECK(csr_parse(req, der, len, &e) == 0);
	free(der);
	free(s);
	dn_clear(&subject);
}

static void
test_lifecycle(const char *dir)
{
	struct ws ws;
	struct err e;
	struct dn subject;
	struct ca ca, sub;
	struct rsakey k1, k2;
	struct csr r1, r2, r3;
	struct ca_issued a, b, c, d;
	struct crl crl;
	struct lifecycle_report rep;
	uint8_t *der = NULL;
	size_t len = 0;
	uint64_t num;
	char sa[CA_SERIAL_HEX], sb[CA_SERIAL_HEX], *path;

	ws_init(&ws);
	CHECK(ws_open(&ws, dir, &e) == 0);
	dn_init(&subject);
	CHECK(dn_from_string(&subject, "CN=Lifecycle Unit Root", &e) == 0);
	CHECK(ca_create(&ws, "root", &subject, 2048, 100, now, pass,
	    strlen(pass), NULL, NULL, &der, &len, &e) == 0);
	free(der);
	der = NULL;

	rsakey_init(&k1);
	rsakey_init(&k2);
	CHECK(rsakey_generate(&k1, 2048, NULL, NULL, &e) == 0);
	CHECK(rsakey_generate(&k2, 2048, NULL, NULL, &e) == 0);
	csr_init(&r1);
	csr_init(&r2);
	csr_init(&r3);
	make_csr("one.example", &k1, &r1);
	make_csr("one.example", &k2, &r2);
	make_csr("other.example", &k2, &r3);

	ca_init(&ca);
	CHECK(ca_open(&ca, &ws, "root", CA_WRITE, &e) == 0);
	CHECK(ca_unlock(&ca, pass, strlen(pass), &e) == 0);
	ca_issued_init(&a);
	ca_issued_init(&b);
	CHECK(ca_issue(&ca, &r1, profile_get(PROFILE_SERVER), 0, now, &a,
	    &e) == 0);
	CHECK(ca_issue(&ca, &r1, profile_get(PROFILE_SERVER), 0, now, &b,
	    &e) == 0);
	snprintf(sa, sizeof sa, "%s", a.serial);
	snprintf(sb, sizeof sb, "%s", b.serial);

	/* Refusals before anything is written. */
	CHECK_ERR(lifecycle_revoke_check(&ca, "abcdef", "unspecified", &e), &e,
	    "CA 'root' has no certificate with serial abcdef");
	CHECK_EQ(e.kind, ERR_USAGE);
	CHECK_ERR(lifecycle_revoke_check(&ca, sa, "whim", &e), &e,
	    "unknown reason 'whim'");
	CHECK_ERR(lifecycle_revoke_check(&ca, sa, "removeFromCRL", &e), &e,
	    "is not on hold");
	CHECK_EQ(e.kind, ERR_REFUSED);

	/* Hold, release, revoke for good. */
	CHECK(lifecycle_revoke(&ca, sa, "certificateHold", now, 0, &e) == 0);
	CHECK_STR(lifecycle_status(cadb_find(&ca.db, sa), now), "on-hold");
	CHECK_ERR(lifecycle_revoke(&ca, sa, "certificateHold", now, 0, &e), &e,
	    "is already on hold");
	CHECK(lifecycle_revoke(&ca, sa, "removeFromCRL", now + 10, 0, &e) == 0);
	CHECK_STR(lifecycle_status(cadb_find(&ca.db, sa), now), "valid");
	CHECK(lifecycle_revoke(&ca, sa, "certificateHold", now + 20, 0, &e) == 0);
	CHECK(lifecycle_revoke(&ca, sa, "keyCompromise", now + 30, now - 99,
	    &e) == 0);
	CHECK_STR(cadb_find(&ca.db, sa)->reason, "keyCompromise");
	CHECK_ERR(lifecycle_revoke(&ca, sa, "unspecified", now, 0, &e), &e,
	    "is already revoked (keyCompromise)");

	/* CRLs: numbers count up, persisted. */
	CHECK(lifecycle_crl(&ca, 0, now + 40, &der, &len, &num, &e) == 0);
	CHECK_EQ(num, 1);
	crl_init(&crl);
	CHECK(crl_parse(&crl, der, len, &e) == 0);
	CHECK_EQ(crl.n, 1);
	CHECK_EQ(crl.entries[0].reason, CRL_REASON_KEY_COMPROMISE);
	CHECK_EQ(crl.entries[0].date, now + 30);
	CHECK(crl.entries[0].has_invalidity);
	CHECK_EQ(crl.entries[0].invalidity, now - 99);
	CHECK_EQ(crl.next_update, now + 40 + LIFECYCLE_CRL_DAYS * 86400);
	CHECK(crl_check_signature(&crl, &ca.root, &e));
	CHECK_EQ(crl.aki_len, ca.keyid_len);
	free(der);
	der = NULL;
	CHECK_ERR(lifecycle_crl(&ca, LIFECYCLE_CRL_MAX_DAYS + 1, now, &der,
	    &len, &num, &e), &e, "CRL validity of 3651 days");

	/* Renew b: same key, new serial, b superseded; again refused. */
	ca_issued_init(&c);
	CHECK(lifecycle_renew(&ca, sb, NULL, 0, 0, now + 50, &c, &e) == 0);
	CHECK(strcmp(c.serial, sb) != 0);
	CHECK_STR(cadb_find(&ca.db, sb)->superseded_by, c.serial);
	CHECK_STR(lifecycle_status(cadb_find(&ca.db, sb), now + 60),
	    "superseded");
	CHECK(lifecycle_match(cadb_find(&ca.db, sb), now, "superseded", -1));
	CHECK(!lifecycle_match(cadb_find(&ca.db, sb), now, "valid", -1));
	CHECK(lifecycle_match(cadb_find(&ca.db, c.serial), now, NULL, 400));
	CHECK(!lifecycle_match(cadb_find(&ca.db, c.serial), now, NULL, 10));
	{
		struct cert x, y;

		cert_init(&x);
		cert_init(&y);
		CHECK(cert_parse(&x, b.der, b.len, &e) == 0);
		CHECK(cert_parse(&y, c.der, c.len, &e) == 0);
		CHECK(entity_same_key(&x.key, &y.key));
		CHECK(dn_equal(&x.subject, &y.subject));
		CHECK(cert_check_signature(&y, &ca.root, &e));
		cert_clear(&x);
		cert_clear(&y);
	}
	ca_issued_clear(&d);
	ca_issued_init(&d);
	CHECK_ERR(lifecycle_renew(&ca, sb, NULL, 0, 0, now, &d, &e), &e,
	    "was already renewed as");
	CHECK_ERR(lifecycle_renew(&ca, sa, NULL, 0, 0, now, &d, &e), &e,
	    "is revoked (keyCompromise)");
	/* Rekey: the request's subject must match. */
	CHECK_ERR(lifecycle_renew(&ca, c.serial, &r3, 0, 0, now, &d, &e), &e,
	    "differs from the certificate's");
	CHECK(lifecycle_renew(&ca, c.serial, &r2, 30, 1, now + 70, &d,
	    &e) == 0);
	CHECK_STR(cadb_find(&ca.db, c.serial)->reason, "superseded");
	CHECK_EQ(d.not_after, now + 70 + 30 * 86400);
	ca_clear(&ca);

	/* Everything is there after reopening; the next CRL is number 2. */
	ca_init(&ca);
	CHECK(ca_open(&ca, &ws, "root", CA_WRITE, &e) == 0);
	CHECK_EQ(ca.db.crl_number, 1);
	CHECK_STR(cadb_find(&ca.db, sb)->superseded_by, c.serial);
	CHECK_STR(cadb_find(&ca.db, c.serial)->superseded_by, d.serial);
	CHECK(ca_unlock(&ca, pass, strlen(pass), &e) == 0);
	CHECK(lifecycle_crl(&ca, 2, now + 80, &der, &len, &num, &e) == 0);
	CHECK_EQ(num, 2);
	free(der);
	der = NULL;
	path = lifecycle_crl_path(&ca);
	CHECK(crl_load_file(&crl, path, &e) == 0);
	CHECK(crl_number_u64(&crl, &num) == 0 && num == 2);
	CHECK_EQ(crl.n, 2);
	free(path);

	/* Intermediate CA, pathlen 0; nothing below it may be a CA. */
	dn_clear(&subject);
	dn_init(&subject);
	CHECK(dn_from_string(&subject, "CN=Lifecycle Unit Sub", &e) == 0);
	CHECK(lifecycle_init_intermediate(&ws, "sub", &ca, &subject, 0, 2048,
	    50, now + 90, pass, strlen(pass), &der, &len, &e) == 0);
	free(der);
	der = NULL;
	ca_init(&sub);
	CHECK(ca_open(&sub, &ws, "sub", CA_WRITE, &e) == 0);
	CHECK(sub.root.ext.ca && sub.root.ext.pathlen == 0);
	CHECK(cert_check_signature(&sub.root, &ca.root, &e));
	{
		const char *q = sub.ks.cert_pem;
		int n = 0;

		while ((q = strstr(q, "BEGIN CERTIFICATE")) != NULL) {
			n++;
			q++;
		}
		CHECK_EQ(n, 2);		/* the sub CA's, then the root's */
	}
	CHECK(ca_unlock(&sub, pass, strlen(pass), &e) == 0);
	CHECK_ERR(lifecycle_init_intermediate(&ws, "sub2", &sub, &subject, -1,
	    2048, 10, now, pass, strlen(pass), &der, &len, &e), &e,
	    "has pathLenConstraint 0: it may not certify another CA");
	CHECK_ERR(lifecycle_init_intermediate(&ws, "sub", &ca, &subject, 0,
	    2048, 10, now, pass, strlen(pass), &der, &len, &e), &e,
	    "CA 'sub' already exists");
	ca_clear(&sub);
	ca_clear(&ca);

	/* ca check: consistent; then the audit log edited. */
	lifecycle_report_init(&rep);
	CHECK(lifecycle_check(&ws, "root", 0, &rep, &e) == 0);
	CHECK(rep.nok >= 4);
	lifecycle_report_clear(&rep);
	{
		char *ap = xasprintf("%s/ca/root/audit.yaml", dir);
		struct buf orig, mod;
		char *p;

		buf_init(&orig);
		buf_init(&mod);
		CHECK(file_read(ap, 1 << 20, &orig, &e) == 0);
		buf_append(&mod, orig.data, orig.len);
		buf_putc(&mod, '\0');
		/* record 2's action is unlock: make it "unlocx" */
		p = strstr((char *)mod.data, "action: unlock");
		CHECK(p != NULL);
		if (p != NULL)
			p[13] = 'x';
		CHECK(file_write(ap, mod.data, orig.len, 0600, 0, &e) == 0);
		lifecycle_report_init(&rep);
		CHECK_ERR(lifecycle_check(&ws, "root", 0, &rep, &e), &e,
		    "ca/root/audit.yaml: line 13: record 2: checksum does not "
		    "match its contents (the record was edited)");
		lifecycle_report_clear(&rep);
		/* A torn last record is a note; --repair cuts it. */
		CHECK(file_write(ap, orig.data, orig.len - 10, 0600, 0,
		    &e) == 0);
		lifecycle_report_init(&rep);
		CHECK(lifecycle_check(&ws, "root", 0, &rep, &e) == 0);
		CHECK(rep.nnotes >= 1 && strstr(rep.notes[0],
		    "last record is incomplete") != NULL);
		lifecycle_report_clear(&rep);
		lifecycle_report_init(&rep);
		CHECK(lifecycle_check(&ws, "root", 1, &rep, &e) == 0);
		CHECK(rep.nnotes >= 1 && strstr(rep.notes[0], "repair:") !=
		    NULL);
		lifecycle_report_clear(&rep);
		free(ap);
		ap = xasprintf("%s/ca/root/audit.yaml.torn", dir);
		CHECK(access(ap, F_OK) == 0);
		free(ap);
		/* The audit log naming a serial the database lacks. */
		CHECK(audit_append(&ws, "root", "revoke", "serial "
		    "0123456789abcdef0123 reason keyCompromise", &e) == 0);
		lifecycle_report_init(&rep);
		CHECK_ERR(lifecycle_check(&ws, "root", 0, &rep, &e), &e,
		    "serial 0123456789abcdef0123 is not in the database (a "
		    "database record was lost)");
		lifecycle_report_clear(&rep);
		buf_clear(&orig);
		buf_clear(&mod);
	}

	crl_clear(&crl);
	ca_issued_clear(&a);
	ca_issued_clear(&b);
	ca_issued_clear(&c);
	ca_issued_clear(&d);
	csr_clear(&r1);
	csr_clear(&r2);
	csr_clear(&r3);
	rsakey_clear(&k1);
	rsakey_clear(&k2);
	dn_clear(&subject);
	ws_clear(&ws);
}

/* The audit log on its own: SSH_CONNECTION, the chain, exact errors. */
static void
test_audit(const char *dir)
{
	struct ws ws;
	struct err e;
	struct audit_log l;
	struct buf b;
	char *ap, *p;

	ws_init(&ws);
	CHECK(ws_open(&ws, dir, &e) == 0);
	audit_log_init(&l);
	CHECK(audit_read(&ws, "nothing", &l, &e) == 0 && l.n == 0);
	ap = xasprintf("%s/ca/solo", dir);
	CHECK(mkdir(ap, 0700) == 0);
	free(ap);
	setenv("SSH_CONNECTION", "192.0.2.7 50122 192.0.2.1 22", 1);
	CHECK(audit_append(&ws, "solo", "init", "first \"quoted\" é", &e) ==
	    0);
	unsetenv("SSH_CONNECTION");
	CHECK(audit_append(&ws, "solo", "revoke", "second", &e) == 0);
	CHECK(audit_append(&ws, "solo", "crl", "third", &e) == 0);
	CHECK_ERR(audit_append(&ws, "solo", "Bad Action", "x", &e), &e,
	    "audit action 'Bad Action'");
	CHECK(audit_read(&ws, "solo", &l, &e) == 0);
	CHECK_EQ(l.n, 3);
	if (l.n != 3)
		return;
	CHECK_STR(l.v[0].from, "192.0.2.7 50122");
	CHECK_STR(l.v[0].details, "first \"quoted\" é");
	CHECK_STR(l.v[0].action, "init");
	CHECK(l.v[1].from == NULL);
	CHECK_EQ(l.v[2].seq, 3);

	ap = xasprintf("%s/ca/solo/audit.yaml", dir);
	buf_init(&b);
	CHECK(file_read(ap, 1 << 20, &b, &e) == 0);
	buf_putc(&b, '\0');
	/* Swap records 2 and 3: seq breaks at record 2. */
	{
		char *r2 = strstr((char *)b.data, "---\nseq: 2");
		char *r3 = strstr((char *)b.data, "---\nseq: 3");
		struct buf sw;

		buf_init(&sw);
		CHECK(r2 != NULL && r3 != NULL);
		if (r2 != NULL && r3 != NULL) {
			buf_append(&sw, b.data, (size_t)(r2 - (char *)b.data));
			buf_puts(&sw, r3);
			buf_append(&sw, r2, (size_t)(r3 - r2));
			CHECK_ERR(audit_parse(sw.data, sw.len, "log", &l, &e),
			    &e, "log: line 15: record 2: seq is 3, expected 2 "
			    "(a record was removed or moved)");
		}
		buf_clear(&sw);
	}
	/* A record re-sealed after an edit breaks the next prev link. */
	p = strstr((char *)b.data, "details: \"second\"");
	CHECK(p != NULL);
	if (p != NULL) {
		char *r2 = strstr((char *)b.data, "---\nseq: 2");
		char *sum = strstr(p, "sum: ");
		uint8_t dig[32];
		size_t i;

		p[10] = 'S';
		hash_sha256(r2, (size_t)(sum - r2), dig);
		for (i = 0; i < 32; i++)
			snprintf(sum + 5 + 2 * i, 3, "%02x", dig[i]);
		sum[5 + 64] = '\n';
		CHECK_ERR(audit_parse(b.data, b.len - 1, "log", &l, &e), &e,
		    "record 3: prev does not match the SHA-256 of the record "
		    "before it");
	}
	/* An incomplete last record is torn, not an error. */	CHECK(audit_parse("# minipki-audit 1\n---\nseq: 1\n", 28, "t", &l,
	    &e) == 0 && l.n == 0 && l.valid_end == 18);
	CHECK_ERR(audit_parse("# minipki-cadb 1\n", 17, "t", &l, &e), &e,
	    "t: line 1: not a minipki audit log");
	CHECK_ERR(audit_parse("# minipki-audit 1\nxx\n---\n", 24, "t", &l,
	    &e), &e, "t: line 2: record 1: expected '---'");
	buf_clear(&b);
	free(ap);
	audit_log_clear(&l);
	ws_clear(&ws);
}

int
main(void)
{
	char dir[128];

	snprintf(dir, sizeof dir, "tests/work/lifecycle-test.%ld",
	    (long)getpid());
	(void)mkdir("tests/work", 0700);
	test_lifecycle(dir);
	test_audit(dir);
	if (test_failures == 0) {
		char *cmd = xasprintf("rm -rf '%s'", dir);

		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", dir);
		free(cmd);
	}
	return test_done();
}
