/* role-test.c — profiles and the CA operations (role/ca.c, role/entity.c):
 * what each profile grants, the request checks, serials, validity clamping,
 * and a batch, in a workspace under tests/work. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "asn1/pem.h"
#include "role/ca.h"
#include "role/entity.h"
#include "role/lifecycle.h"
#include "role/profile.h"
#include "testlib.h"
#include "util/xalloc.h"
#include "x509/pkey.h"

static const char pass[] = "role-test-pass";

static void
test_profiles(void)
{
	struct ext_info req, out;
	size_t dropped;

	CHECK(profile_find("server") == profile_get(PROFILE_SERVER));
	CHECK(profile_find("client") == profile_get(PROFILE_CLIENT));
	CHECK(profile_find("ca") == profile_get(PROFILE_CA));
	CHECK(profile_find("admin") == NULL);
	CHECK(profile_get(PROFILE__COUNT) == NULL);

	/* A request asking for everything, CA:TRUE included. */
	ext_info_init(&req);
	req.has_bc = 1;
	req.ca = 1;
	req.has_ku = 1;
	req.ku = KU_KEY_CERT_SIGN;
	req.has_san = 1;
	san_list_add(&req.san, SAN_DNS, "a.example", NULL, 0);
	san_list_add(&req.san, SAN_IP, "127.0.0.1",
	    (const uint8_t *)"\x7f\0\0\x01", 4);
	san_list_add(&req.san, SAN_EMAIL, "x@a.example", NULL, 0);
	san_list_add(&req.san, SAN_URI, "https://a.example/", NULL, 0);

	ext_info_init(&out);
	profile_apply(profile_get(PROFILE_SERVER), &req, "a.example", &out,
	    &dropped);
	CHECK(out.has_bc && out.bc_critical && !out.ca);
	CHECK_EQ(out.ku, KU_DIGITAL_SIGNATURE | KU_KEY_ENCIPHERMENT);
	CHECK(out.has_eku && out.neku == 1 && out.eku[0] == OID_KP_SERVER_AUTH);
	CHECK_EQ(out.san.n, 2);
	CHECK_EQ(dropped, 2);
	CHECK(out.san.v[0].type == SAN_DNS && out.san.v[1].type == SAN_IP);
	CHECK_EQ(out.san.v[1].iplen, 4);
	ext_info_clear(&out);

	ext_info_init(&out);
	profile_apply(profile_get(PROFILE_CLIENT), &req, NULL, &out, &dropped);
	CHECK(!out.ca);
	CHECK_EQ(out.ku, KU_DIGITAL_SIGNATURE);
	CHECK(out.neku == 1 && out.eku[0] == OID_KP_CLIENT_AUTH);
	CHECK_EQ(out.san.n, 2);	/* DNS and email */
	CHECK_EQ(dropped, 2);
	ext_info_clear(&out);

	ext_info_init(&out);
	profile_apply(profile_get(PROFILE_CA), &req, NULL, &out, &dropped);
	CHECK(out.ca && out.bc_critical && out.pathlen == -1);
	CHECK_EQ(out.ku, KU_KEY_CERT_SIGN | KU_CRL_SIGN);
	CHECK(!out.has_eku && !out.has_san);
	CHECK_EQ(dropped, 4);
	ext_info_clear(&out);
	ext_info_clear(&req);

	/* Requested names are checked as --san would check them: a request
	 * made by another tool may carry anything IA5String allows. */
	ext_info_init(&req);
	req.has_san = 1;
	san_list_add(&req.san, SAN_DNS, "bad name.example", NULL, 0);
	san_list_add(&req.san, SAN_DNS, "*", NULL, 0);
	san_list_add(&req.san, SAN_DNS, "a..example", NULL, 0);
	san_list_add(&req.san, SAN_DNS, "*.good.example", NULL, 0);
	san_list_add(&req.san, SAN_EMAIL, "nobody", NULL, 0);
	san_list_add(&req.san, SAN_EMAIL, "x@good.example", NULL, 0);
	ext_info_init(&out);
	profile_apply(profile_get(PROFILE_CLIENT), &req, NULL, &out, &dropped);
	CHECK_EQ(out.san.n, 2);
	CHECK_EQ(dropped, 4);
	if (out.san.n == 2) {
		CHECK_STR(out.san.v[0].value, "*.good.example");
		CHECK_STR(out.san.v[1].value, "x@good.example");
	}
	ext_info_clear(&out);
	ext_info_clear(&req);

	/* No SAN asked for: a server gets its host-like CN as a DNS name. */
	ext_info_init(&out);
	profile_apply(profile_get(PROFILE_SERVER), NULL, "www.example", &out,
	    NULL);
	CHECK(out.has_san && out.san.n == 1 &&
	    strcmp(out.san.v[0].value, "www.example") == 0);
	ext_info_clear(&out);
	ext_info_init(&out);
	profile_apply(profile_get(PROFILE_SERVER), NULL, "My Server", &out,
	    NULL);
	CHECK(!out.has_san);
	ext_info_clear(&out);
	/* Host-like means what --san accepts as a DNS name. */
	ext_info_init(&out);
	profile_apply(profile_get(PROFILE_SERVER), NULL, "-bad.example", &out,
	    NULL);
	CHECK(!out.has_san);
	ext_info_clear(&out);
	ext_info_init(&out);
	profile_apply(profile_get(PROFILE_SERVER), NULL, "a-.example", &out,
	    NULL);
	CHECK(!out.has_san);
	ext_info_clear(&out);
}

/* The first request in a PEM file of tests/data. */
static int
load_csr(const char *path, struct csr *r)
{
	struct pem_list pl;
	uint8_t *data;
	size_t len;
	int rc = -1;

	pem_list_init(&pl);
	if ((data = test_read_file(path, &len)) == NULL)
		return -1;
	if (pem_decode((const char *)data, len, &pl, NULL) == 0 && pl.n > 0)
		rc = csr_parse(r, pl.v[0].der, pl.v[0].len, NULL);
	pem_list_clear(&pl);
	free(data);
	return rc;
}

/* A request by the tests/data key whose subject is O=Lab, CN="evil" ESC
 * "[2J": DER made by hand, since typed names refuse control characters. */
static int
make_control_request(struct csr *r)
{
	struct pem_list pl;
	struct rsakey k;
	struct dn subject;
	struct der d;
	uint8_t *data, *name, *der = NULL;
	size_t len, nlen;
	int rc = -1;

	pem_list_init(&pl);
	rsakey_init(&k);
	dn_init(&subject);
	name = test_hex("3021" "310c300a060355040a0c034c6162"
	    "3111300f06035504030c086576696c1b5b324a", &nlen);
	der_init(&d, name, nlen, NULL);
	if ((data = test_read_file("tests/data/key-pkcs8.pem", &len)) == NULL)
		goto out;
	if (pem_decode((const char *)data, len, &pl, NULL) == -1 ||
	    pl.n == 0 ||
	    pkey_decode(&k, pl.v[0].der, pl.v[0].len, NULL, 0, NULL) == -1 ||
	    dn_parse(&d, &subject) == -1 ||
	    csr_build(&subject, NULL, &k, &der, &len, NULL) == -1)
		goto out;
	rc = csr_parse(r, der, len, NULL);
out:
	free(der);
	free(name);
	free(data);
	dn_clear(&subject);
	rsakey_clear(&k);
	pem_list_clear(&pl);
	return rc;
}

static void
test_ca(const char *dir)
{
	struct ws ws;
	struct err e;
	struct dn subject;
	struct ca ca;
	struct csr req, bad, reqs[3];
	struct ca_issued res;
	struct ca_batch_req batch[3];
	struct cert c;
	struct stat st;
	char *path, *outdir;
	uint8_t *root = NULL, *der = NULL;
	size_t rootlen = 0, derlen, i;
	int64_t now = 1790000000;	/* 2026-09-21 */

	ws_init(&ws);
	CHECK(ws_open(&ws, dir, &e) == 0);
	dn_init(&subject);
	CHECK(dn_from_string(&subject, "CN=Role Test Root,O=Lab", &e) == 0);

	CHECK(ca_create(&ws, "root", &subject, 2048, 10, now, pass,
	    strlen(pass), NULL, NULL, &root, &rootlen, &e) == 0);
	CHECK_ERR(ca_create(&ws, "root", &subject, 2048, 10, now, pass,
	    strlen(pass), NULL, NULL, &der, &derlen, &e), &e,
	    "CA 'root' already exists");
	CHECK(e.kind == ERR_REFUSED);
	CHECK_ERR(ca_create(&ws, "../x", &subject, 2048, 10, now, pass,
	    strlen(pass), NULL, NULL, &der, &derlen, &e), &e, "invalid name");

	cert_init(&c);
	CHECK(cert_parse(&c, root, rootlen, &e) == 0);
	CHECK(c.ext.has_bc && c.ext.bc_critical && c.ext.ca);
	CHECK(c.ext.has_ku && c.ext.ku_critical &&
	    c.ext.ku == (KU_KEY_CERT_SIGN | KU_CRL_SIGN));
	CHECK(c.ext.ski_len == 20);
	CHECK(cert_self_signed(&c));
	CHECK_EQ(c.not_before, now - CA_BACKDATE);
	CHECK_EQ(c.not_after, now + 10 * 86400);
	cert_clear(&c);

	/* The request from tests/data (made by OpenSSL) passes the checks;
	 * one flipped signature bit does not. */
	csr_init(&req);
	csr_init(&bad);
	CHECK(load_csr("tests/data/csr.pem", &req) == 0);
	CHECK(ca_check_request(&req, &e) == 0);
	CHECK(load_csr("tests/data/csr.pem", &bad) == 0);
	((uint8_t *)bad.sig)[bad.sig_len - 1] ^= 1;
	CHECK_ERR(ca_check_request(&bad, &e), &e,
	    "request signature does not verify");
	CHECK(e.kind == ERR_REFUSED);

	/* Issuing needs the database locked and the key unlocked. */
	ca_init(&ca);
	CHECK(ca_open(&ca, &ws, "root", 0, &e) == 0);
	ca_issued_init(&res);
	CHECK_ERR(ca_issue(&ca, &req, profile_get(PROFILE_SERVER), 0, now,
	    &res, &e), &e, "not open for issuing");
	ca_clear(&ca);

	ca_init(&ca);
	CHECK(ca_open(&ca, &ws, "root", CA_WRITE, &e) == 0);
	CHECK_ERR(ca_unlock(&ca, "wrong", 5, &e), &e, "wrong passphrase");
	CHECK(e.kind == ERR_PASS);
	CHECK(ca_unlock(&ca, pass, strlen(pass), &e) == 0);
	CHECK_ERR(ca_issue(&ca, &bad, profile_get(PROFILE_SERVER), 0, now,
	    &res, &e), &e, "request signature does not verify");
	CHECK_EQ(ca.db.ncerts, 0);
	/* A subject with a control character is refused, naming it. */
	{
		struct csr ctl;

		csr_init(&ctl);
		CHECK(make_control_request(&ctl) == 0);
		CHECK_ERR(ca_check_request(&ctl, &e), &e, "request subject: "
		    "attribute 2 (CN): control character U+001B at byte 4 of "
		    "the value");
		CHECK_ERR(ca_issue(&ca, &ctl, profile_get(PROFILE_SERVER), 0,
		    now, &res, &e), &e, "control character U+001B");
		CHECK_EQ(e.kind, ERR_REFUSED);
		CHECK_EQ(ca.db.ncerts, 0);
		csr_clear(&ctl);
	}

	/* The server profile asks 365 days; the CA lives 10: clamped. */
	CHECK(ca_issue(&ca, &req, profile_get(PROFILE_SERVER), 0, now, &res,
	    &e) == 0);
	CHECK(res.clamped);
	CHECK_EQ(res.not_after, now + 10 * 86400);
	CHECK_EQ(strlen(res.serial), 32);
	CHECK(strchr("1234567", res.serial[0]) != NULL ||
	    (res.serial[0] == '0' && res.serial[1] != '0'));
	CHECK_EQ(ca.db.ncerts, 1);
	CHECK(cadb_has_serial(&ca.db, res.serial));
	cert_init(&c);
	CHECK(cert_parse(&c, res.der, res.len, &e) == 0);
	CHECK(cert_check_signature(&c, &ca.root, &e));
	CHECK(dn_equal(&c.issuer, &ca.root.subject));
	CHECK(c.ext.aki_len == 20 &&
	    memcmp(c.ext.aki, ca.root.ext.ski, 20) == 0);
	CHECK(c.ext.has_san && c.ext.san.n == 2);
	CHECK(!c.ext.ca);
	CHECK_EQ(c.not_before, now - CA_BACKDATE);
	cert_clear(&c);
	ca_issued_clear(&res);

	/* --days within the CA's life is kept. */
	ca_issued_init(&res);
	CHECK(ca_issue(&ca, &req, profile_get(PROFILE_CLIENT), 2, now, &res,
	    &e) == 0);
	CHECK(!res.clamped);
	CHECK_EQ(res.not_after, now + 2 * 86400);
	ca_issued_clear(&res);

	/* A CA past its notAfter issues nothing. */
	ca_issued_init(&res);
	CHECK_ERR(ca_issue(&ca, &req, profile_get(PROFILE_SERVER), 0,
	    now + 11 * 86400, &res, &e), &e, "has expired");
	ca_issued_clear(&res);

	/* A batch with a bad request in the middle: the others are issued,
	 * each written to the out-dir after the one commit, with what the
	 * profile changed as notes. */
	outdir = xasprintf("%s/out", dir);
	CHECK(mkdir(outdir, 0700) == 0);
	for (i = 0; i < 3; i++) {
		csr_init(&reqs[i]);
		CHECK(load_csr("tests/data/csr.pem", &reqs[i]) == 0);
		ca_batch_req_init(&batch[i], &reqs[i]);
	}
	((uint8_t *)reqs[1].sig)[0] ^= 0x80;
	CHECK_EQ(ca_issue_batch(&ca, batch, 3, profile_get(PROFILE_SERVER), 0,
	    now, outdir, &e), 2);
	CHECK(!ca.db.defer_sync);
	CHECK(batch[0].err.kind == ERR_NONE && batch[2].err.kind == ERR_NONE);
	CHECK(batch[0].res.der != NULL && batch[2].res.der != NULL);
	CHECK(batch[1].res.der == NULL && batch[1].path == NULL);
	CHECK(strstr(batch[1].err.msg, "does not verify") != NULL);
	CHECK(strcmp(batch[0].res.serial, batch[2].res.serial) != 0);
	CHECK_EQ(ca.db.ncerts, 4);
	for (i = 0; i < 3; i += 2) {
		path = xasprintf("%s/%s.pem", outdir, batch[i].res.serial);
		CHECK_STR(batch[i].path, path);
		CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0644);
		free(path);
		/* The CA lives 10 days: cut, and said so. */
		CHECK_EQ(batch[i].nnotes, 1);
		CHECK(strncmp(batch[i].notes[0], "notAfter cut to the CA "
		    "certificate's own (", 39) == 0);
	}
	CHECK_EQ(batch[1].nnotes, 0);
	for (i = 0; i < 3; i++) {
		csr_clear(&reqs[i]);
		ca_batch_req_clear(&batch[i]);
	}

	/* A file that cannot be written is that request's error; it stays
	 * issued. */
	csr_init(&reqs[0]);
	CHECK(load_csr("tests/data/csr.pem", &reqs[0]) == 0);
	ca_batch_req_init(&batch[0], &reqs[0]);
	path = xasprintf("%s/none", outdir);
	CHECK_EQ(ca_issue_batch(&ca, batch, 1, profile_get(PROFILE_CLIENT), 2,
	    now, path, &e), 1);
	free(path);
	CHECK(batch[0].res.der != NULL && batch[0].err.kind == ERR_IO);
	CHECK(strstr(batch[0].err.msg, "out/none/") != NULL);
	CHECK_EQ(batch[0].nnotes, 1);
	CHECK_STR(batch[0].notes[0], "1 requested subjectAltName(s) not "
	    "copied (profile client)");
	CHECK_EQ(ca.db.ncerts, 5);
	ca_batch_req_clear(&batch[0]);
	csr_clear(&reqs[0]);
	ca_clear(&ca);

	/* The records are on disk. */
	ca_init(&ca);
	CHECK(ca_open(&ca, &ws, "root", 0, &e) == 0);
	CHECK_EQ(ca.db.ncerts, 5);
	CHECK_STR(ca.db.certs[0].profile, "server");
	CHECK_STR(ca.db.certs[1].profile, "client");
	CHECK_STR(ca_status(&ca.db.certs[0], now), "valid");
	CHECK_STR(ca_status(&ca.db.certs[0], now + 20 * 86400), "expired");
	ca_clear(&ca);

	/* An I/O error stops a batch: the requests after it are not
	 * tried. */
	ca_init(&ca);
	CHECK(ca_open(&ca, &ws, "root", CA_WRITE, &e) == 0);
	CHECK(ca_unlock(&ca, pass, strlen(pass), &e) == 0);
	for (i = 0; i < 3; i++) {
		csr_init(&reqs[i]);
		CHECK(load_csr("tests/data/csr.pem", &reqs[i]) == 0);
		ca_batch_req_init(&batch[i], &reqs[i]);
	}
	ca.db.broken = 1;	/* as after a failed append */
	CHECK_EQ(ca_issue_batch(&ca, batch, 3, profile_get(PROFILE_SERVER), 0,
	    now, NULL, &e), 0);
	CHECK(batch[0].err.kind == ERR_IO && batch[0].res.der == NULL);
	CHECK(strstr(batch[0].err.msg, "an earlier write failed") != NULL);
	for (i = 1; i < 3; i++)
		CHECK(batch[i].err.kind == ERR_NONE &&
		    batch[i].res.der == NULL);
	for (i = 0; i < 3; i++) {
		csr_clear(&reqs[i]);
		ca_batch_req_clear(&batch[i]);
	}
	ca_clear(&ca);

	free(outdir);
	csr_clear(&req);
	csr_clear(&bad);
	free(root);
	dn_clear(&subject);
	ws_clear(&ws);
}

static void
test_entity(const char *dir)
{
	struct ws ws;
	struct err e;
	struct rsakey k, k2;
	struct buf out;
	struct dn subject;
	uint8_t *der = NULL, fp[ENTITY_FP_SIZE], fp2[ENTITY_FP_SIZE];
	size_t len = 0;
	char hex[3 * ENTITY_FP_SIZE];
	uint8_t *data;
	size_t dlen;

	ws_init(&ws);
	CHECK(ws_open(&ws, dir, &e) == 0);
	rsakey_init(&k);
	CHECK(entity_new_key(&ws, "alice", 2048, pass, strlen(pass), NULL,
	    NULL, &k, &e) == 0);
	CHECK(k.has_private && rsakey_bits(&k) == 2048);
	CHECK_ERR(entity_new_key(&ws, "alice", 2048, pass, strlen(pass), NULL,
	    NULL, NULL, &e), &e, "keystore 'alice' already exists");
	CHECK(e.kind == ERR_REFUSED);
	entity_key_fingerprint(&k, fp);
	entity_fp_hex(fp, hex);
	CHECK_EQ(strlen(hex), 95);

	buf_init(&out);
	dn_init(&subject);
	CHECK(dn_from_string(&subject, "CN=alice", &e) == 0);
	CHECK(entity_new_csr(&ws, "alice", &subject, NULL, pass, strlen(pass),
	    &der, &len, &e) == 0);
	free(der);
	CHECK_ERR(entity_new_csr(&ws, "alice", &subject, NULL, "nope", 4, &der,
	    &len, &e), &e, "wrong passphrase");
	CHECK_ERR(entity_export_cert(&ws, "alice", 0, &out, &e), &e,
	    "holds no certificate");

	/* Export encrypted, read back with the export passphrase. */
	CHECK(entity_export_key(&ws, "alice", pass, strlen(pass), "exp", 3, 0,
	    &out, &e) == 0);
	CHECK(entity_key_is_encrypted(out.data, out.len));
	rsakey_init(&k2);
	CHECK_ERR(entity_read_key(out.data, out.len, "bad", 3, &k2, &e), &e,
	    "wrong passphrase");
	rsakey_clear(&k2);
	rsakey_init(&k2);
	CHECK(entity_read_key(out.data, out.len, "exp", 3, &k2, &e) == 0);
	CHECK(entity_same_key(&k, &k2));
	entity_key_fingerprint(&k2, fp2);
	CHECK_MEM(fp, fp2, sizeof fp);
	rsakey_clear(&k2);
	buf_clear_secret(&out);

	/* Import OpenSSL's keys from tests/data. */
	if ((data = test_read_file("tests/data/key-pkcs1.pem", &dlen)) != NULL) {
		rsakey_init(&k2);
		CHECK(!entity_key_is_encrypted(data, dlen));
		CHECK(entity_read_key(data, dlen, NULL, 0, &k2, &e) == 0);
		CHECK(entity_import(&ws, "imported", &k2, NULL, 0, pass,
		    strlen(pass), &e) == 0);
		CHECK_ERR(entity_import(&ws, "imported", &k2, NULL, 0, pass,
		    strlen(pass), &e), &e, "already exists");
		rsakey_clear(&k2);
		free(data);
	}
	if ((data = test_read_file("tests/data/pub-spki.pem", &dlen)) != NULL) {
		rsakey_init(&k2);
		CHECK_ERR(entity_read_key(data, dlen, NULL, 0, &k2, &e), &e,
		    "a public key, not a private key");
		rsakey_clear(&k2);
		free(data);
	}
	rsakey_init(&k2);
	CHECK_ERR(entity_read_key((const uint8_t *)"\x30\x03\x02\x01\x00", 5,
	    NULL, 0, &k2, &e), &e, "");
	rsakey_clear(&k2);

	dn_clear(&subject);
	rsakey_clear(&k);
	ws_clear(&ws);
}

/* ---- the service URL ---- */

static void
test_url_check(void)
{
	static const char *const good[] = {
		"http://127.0.0.1:9000", "http://127.0.0.1:9000/",
		"http://localhost", "http://ca.lab.example:80",
		"http://[::1]:9000", "http://[2001:db8::7]/",
		"http://a:65535", "http://a:1",
	};
	static const struct {
		const char *url, *err;
	} bad[] = {
		{ "", "URL is empty" },
		{ "https://ca.example", "URL 'https://ca.example': only http:// "
		    "is supported (OCSP responses and CRLs are signed; clients "
		    "fetch them over plain HTTP)" },
		{ "HTTP://a", "URL 'HTTP://a': only http:// is supported" },
		{ "ca.example:9000", "URL 'ca.example:9000': only http:// is "
		    "supported" },
		{ "http://", "URL 'http://': no host" },
		{ "http:///x", "URL 'http:///x': no path, query or fragment "
		    "allowed (the CA appends /ocsp, /crl and /ca.cer)" },
		{ "http://a/ocsp", "URL 'http://a/ocsp': no path, query or "
		    "fragment allowed (the CA appends /ocsp, /crl and "
		    "/ca.cer)" },
		{ "http://a//", "URL 'http://a//': no path, query" },
		{ "http://a?x=1", "URL 'http://a?x=1': no path, query" },
		{ "http://a#f", "URL 'http://a#f': no path, query" },
		{ "http://u:p@a", "URL 'http://u:p@a': user information (@) is "
		    "not allowed" },
		{ "http://a:0", "URL 'http://a:0': bad port '0' (use 1 to "
		    "65535)" },
		{ "http://a:65536", "URL 'http://a:65536': bad port '65536' "
		    "(use 1 to 65535)" },
		{ "http://a:", "URL 'http://a:': bad port '' (use 1 to 65535)" },
		{ "http://a:9x", "URL 'http://a:9x': bad port '9x' (use 1 to "
		    "65535)" },
		{ "http://a:000009000", "URL 'http://a:000009000': bad port "
		    "'000009000' (use 1 to 65535)" },
		{ "http://999.1.1.1", "URL 'http://999.1.1.1': bad host "
		    "'999.1.1.1' (use a DNS name, an IPv4 address or an IPv6 "
		    "one in brackets)" },
		{ "http://*.example", "URL 'http://*.example': bad host "
		    "'*.example'" },
		{ "http://a..example", "URL 'http://a..example': bad host "
		    "'a..example'" },
		{ "http://[::1", "URL 'http://[::1': bad host '[::1' (use a DNS name, an IPv4 "
		    "address or an IPv6 one in brackets)" },
		{ "http://[::1]x9", "URL 'http://[::1]x9': bad host "
		    "'[::1]x9'" },
		{ "http://[nope]:80", "URL 'http://[nope]:80': bad host "
		    "'[nope]'" },
		{ "http://::1", "URL 'http://::1': bad host ''" },
		{ "http://a b", "URL: byte 9 is 0x20: only printable ASCII "
		    "without spaces is allowed" },
		{ "http://a\x1b[2J", "URL: byte 9 is 0x1b: only printable ASCII "
		    "without spaces is allowed" },
		{ "http://\xc3\xa9.example", "URL: byte 8 is 0xc3: only "
		    "printable ASCII without spaces is allowed" },
	};
	char longurl[CA_URL_MAX + 2];
	struct err e;
	size_t i;

	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		err_clear(&e);
		if (ca_check_url(good[i], &e) != 0)
			test_fail(__FILE__, __LINE__, "%s: %s", good[i], e.msg);
		test_checks++;
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		CHECK_ERR(ca_check_url(bad[i].url, &e), &e, bad[i].err);
		CHECK_EQ(e.kind, ERR_USAGE);
	}
	CHECK_ERR(ca_check_url(NULL, &e), &e, "URL is empty");
	/* CA_URL_MAX bytes pass, one more does not: the host "a.a.a...a". */
	for (i = 0; i < sizeof longurl; i++)
		longurl[i] = i % 2 == 1 ? 'a' : '.';
	memcpy(longurl, "http://", 7);
	longurl[CA_URL_MAX] = '\0';
	CHECK(ca_check_url(longurl, &e) == 0);
	longurl[CA_URL_MAX] = 'a';
	longurl[CA_URL_MAX + 1] = '\0';
	CHECK_ERR(ca_check_url(longurl, &e), &e, "URL is 201 bytes: at most "
	    "200 allowed");
}

/* Whether the file's bytes hold s. */
static int
file_has(const char *path, const char *s)
{
	uint8_t *data;
	size_t n;
	int r;

	data = test_slurp(path, &n);
	r = memmem(data, n, s, strlen(s)) != NULL;
	free(data);
	return r;
}

/* The locations a certificate carries: 1 when as the service at url
 * puts them (exactly), 0 when it has none, -1 otherwise. */
static int
cert_locations(const uint8_t *der, size_t len, const char *url)
{
	struct cert c;
	char want[3][256];
	int r = -1;

	cert_init(&c);
	if (cert_parse(&c, der, len, NULL) == -1)
		goto out;
	if (!c.ext.has_aia && !c.ext.has_cdp) {
		r = 0;
		goto out;
	}
	snprintf(want[0], sizeof want[0], "%s/ocsp", url);
	snprintf(want[1], sizeof want[1], "%s/ca.cer", url);
	snprintf(want[2], sizeof want[2], "%s/crl", url);
	if (c.ext.has_aia && !c.ext.aia_critical && c.ext.naia == 2 &&
	    c.ext.aia[0].method == OID_AD_OCSP &&
	    c.ext.aia[0].loc.type == SAN_URI &&
	    strcmp(c.ext.aia[0].loc.value, want[0]) == 0 &&
	    c.ext.aia[1].method == OID_AD_CA_ISSUERS &&
	    c.ext.aia[1].loc.type == SAN_URI &&
	    strcmp(c.ext.aia[1].loc.value, want[1]) == 0 &&
	    c.ext.has_cdp && !c.ext.cdp_critical && c.ext.ncdp == 1 &&
	    c.ext.cdp[0].full.n == 1 &&
	    c.ext.cdp[0].full.v[0].type == SAN_URI &&
	    strcmp(c.ext.cdp[0].full.v[0].value, want[2]) == 0)
		r = 1;
out:
	cert_clear(&c);
	return r;
}

static void
test_ca_url(const char *dir)
{
	struct ws ws;
	struct err e;
	struct dn subject;
	struct ca ca;
	struct csr req;
	struct ca_issued res;
	uint8_t *root = NULL, *der = NULL, *data;
	size_t rootlen = 0, len, n;
	char serial[CA_SERIAL_HEX], *path;
	int64_t now = 1790000000;

	ws_init(&ws);
	CHECK(ws_open(&ws, dir, &e) == 0);
	dn_init(&subject);
	CHECK(dn_from_string(&subject, "CN=URL Root", &e) == 0);
	CHECK(ca_create(&ws, "urlroot", &subject, 2048, 30, now, pass,
	    strlen(pass), NULL, NULL, &root, &rootlen, &e) == 0);
	csr_init(&req);
	CHECK(load_csr("tests/data/csr.pem", &req) == 0);

	/* A new CA has no URL, and its ca.yaml no url key: the file of a
	 * workspace from before the field. */
	path = xasprintf("%s/ca/urlroot/ca.yaml", dir);
	CHECK(file_has(path, "\nname: urlroot\n"));
	CHECK(!file_has(path, "\nurl:"));
	ca_init(&ca);
	CHECK(ca_open(&ca, &ws, "urlroot", 0, &e) == 0);
	CHECK(ca_url(&ca) == NULL);
	CHECK_ERR(ca_set_url(&ca, "http://127.0.0.1:9000", &e), &e,
	    "CA 'urlroot' is not open for writing");
	ca_clear(&ca);

	/* Without a URL nothing is added. */
	ca_init(&ca);
	CHECK(ca_open(&ca, &ws, "urlroot", CA_WRITE, &e) == 0);
	CHECK(ca_unlock(&ca, pass, strlen(pass), &e) == 0);
	ca_issued_init(&res);
	CHECK(ca_issue(&ca, &req, profile_get(PROFILE_SERVER), 0, now, &res,
	    &e) == 0);
	CHECK_EQ(cert_locations(res.der, res.len, NULL), 0);
	ca_issued_clear(&res);

	/* A bad URL changes nothing. */
	CHECK_ERR(ca_set_url(&ca, "https://127.0.0.1:9000", &e), &e,
	    "only http:// is supported");
	CHECK(ca_url(&ca) == NULL);

	/* Set (the final "/" dropped): what the CA issues carries it. */
	CHECK(ca_set_url(&ca, "http://127.0.0.1:9000/", &e) == 0);
	CHECK_STR(ca_url(&ca), "http://127.0.0.1:9000");
	ca_issued_init(&res);
	CHECK(ca_issue(&ca, &req, profile_get(PROFILE_SERVER), 0, now, &res,
	    &e) == 0);
	CHECK_EQ(cert_locations(res.der, res.len, "http://127.0.0.1:9000"), 1);
	snprintf(serial, sizeof serial, "%s", res.serial);
	ca_issued_clear(&res);
	/* The CA's own certificate is left as it was. */
	CHECK_EQ(cert_locations(root, rootlen, NULL), 0);
	CHECK(!ca.root.ext.has_aia && !ca.root.ext.has_cdp);
	ca_clear(&ca);

	/* It persists: a reopened CA has it, and issues with it; an
	 * intermediate CA it signs carries it too (not its own URL: it has
	 * none until set). */
	CHECK(file_has(path, "\nurl: http://127.0.0.1:9000\n"));
	ca_init(&ca);
	CHECK(ca_open(&ca, &ws, "urlroot", CA_WRITE, &e) == 0);
	CHECK_STR(ca_url(&ca), "http://127.0.0.1:9000");
	CHECK(ca_unlock(&ca, pass, strlen(pass), &e) == 0);
	CHECK(dn_from_string(&subject, "CN=URL Sub", &e) == 0);
	CHECK(lifecycle_init_intermediate(&ws, "urlsub", &ca, &subject, 0,
	    2048, 10, now, pass, strlen(pass), &der, &len, &e) == 0);
	CHECK_EQ(cert_locations(der, len, "http://127.0.0.1:9000"), 1);
	free(der);
	der = NULL;

	/* Changed: a renewal carries the new URL, not the old one's. */
	CHECK(ca_set_url(&ca, "http://[::1]:8080", &e) == 0);
	ca_issued_init(&res);
	CHECK(lifecycle_renew(&ca, serial, NULL, 0, 0, now, &res, &e) == 0);
	CHECK_EQ(cert_locations(res.der, res.len, "http://[::1]:8080"), 1);
	snprintf(serial, sizeof serial, "%s", res.serial);
	ca_issued_clear(&res);

	/* Cleared: the key goes from ca.yaml, and a renewal drops them. */
	CHECK(ca_set_url(&ca, NULL, &e) == 0);
	CHECK(ca_url(&ca) == NULL);
	ca_issued_init(&res);
	CHECK(lifecycle_renew(&ca, serial, NULL, 0, 0, now, &res, &e) == 0);
	CHECK_EQ(cert_locations(res.der, res.len, NULL), 0);
	ca_issued_clear(&res);
	ca_clear(&ca);
	CHECK(!file_has(path, "\nurl:"));
	CHECK(file_has(path, "\nname: urlroot\n"));
	ca_init(&ca);
	CHECK(ca_open(&ca, &ws, "urlroot", 0, &e) == 0);
	CHECK(ca_url(&ca) == NULL);
	ca_clear(&ca);

	/* Every change is in the audit log. */
	{
		char *ap = xasprintf("%s/ca/urlroot/audit.yaml", dir);

		CHECK(file_has(ap, "action: set-url\n"));
		CHECK(file_has(ap, "details: \"url http://127.0.0.1:9000\"\n"));
		CHECK(file_has(ap, "details: \"url http://[::1]:8080\"\n"));
		CHECK(file_has(ap, "details: \"url cleared\"\n"));
		free(ap);
	}

	/* A url edited into ca.yaml by hand is checked before anything is
	 * signed with it, and ca_set_url still mends it. */
	data = test_slurp(path, &n);
	{
		char *edited = xasprintf("%.*surl: ftp://x\n", (int)n, data);

		test_spit(path, edited, strlen(edited));
		free(edited);
	}
	free(data);
	ca_init(&ca);
	CHECK(ca_open(&ca, &ws, "urlroot", CA_WRITE, &e) == 0);
	CHECK(ca_unlock(&ca, pass, strlen(pass), &e) == 0);
	ca_issued_init(&res);
	CHECK_ERR(ca_issue(&ca, &req, profile_get(PROFILE_SERVER), 0, now,
	    &res, &e), &e, "CA 'urlroot': ca.yaml: url: URL 'ftp://x': only "
	    "http:// is supported");
	CHECK(res.der == NULL);
	ca_issued_clear(&res);
	CHECK(ca_set_url(&ca, NULL, &e) == 0);
	ca_issued_init(&res);
	CHECK(ca_issue(&ca, &req, profile_get(PROFILE_SERVER), 0, now, &res,
	    &e) == 0);
	ca_issued_clear(&res);
	ca_clear(&ca);

	free(path);
	free(root);
	csr_clear(&req);
	dn_clear(&subject);
	ws_clear(&ws);
}

int
main(void)
{
	char dir[128];

	test_profiles();
	snprintf(dir, sizeof dir, "tests/work/role-test.%ld", (long)getpid());
	(void)mkdir("tests/work", 0700);
	test_ca(dir);
	test_entity(dir);
	test_url_check();
	test_ca_url(dir);
	if (test_failures == 0) {
		char *cmd = xasprintf("rm -rf '%s'", dir);

		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", dir);
		free(cmd);
	}
	return test_done();
}
