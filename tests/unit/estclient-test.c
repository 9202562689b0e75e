/* estclient-test.c — `client enroll`'s role against a fake EST service
 * (net/httpsrv.h on our TLS, in a child process, with a CA made here):
 * bootstrap by fingerprint and its mismatch, an untrusted service, 200
 * with the certificate stored, 401, 400 with the server's reason, a
 * certificate for another key, one with a name not asked, 202 without
 * and with waiting, a keystore left pending used again, and a batch over
 * one kept-alive connection; the command itself; bad HTTP answers end to
 * end (cut, unframed, chunked, huge headers, none, silence); a service
 * whose TLS certificate another CA issued; OCSP and the CRL over TLS. The
 * fake service chooses by the token. */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "crypto/b64.h"
#include "net/httpdec.h"
#include "role/entity.h"
#include "role/estclient.h"
#include "testcert.h"
#include "testhttpsrv.h"
#include "testlib.h"
#include "testsh.h"
#include "testws.h"
#include "x509/cms.h"
#include "x509/crl.h"
#include "x509/csr.h"
#include "x509/ocsp.h"

#define DIR "tests/work/estclient"
#define ROOT "CN=EST Test Root"

static struct test_pki pki;
static unsigned waits;		/* child: "wait" requests seen */

/* certs as a base64 certs-only answer in peer->body */
static void
est_certs(const struct cert_list *certs, const struct httpsrv_peer *peer,
    struct httpresp *out)
{
	uint8_t *der;
	size_t len;

	if (cms_write_certs(certs, &der, &len, NULL) == -1)
		abort();
	b64_encode(der, len, 1, peer->body);
	free(der);
	out->status = 200;
	out->content_type = "application/pkcs7-mime; smime-type=certs-only";
	out->content_transfer_encoding = "base64";
	out->body = peer->body->data;
	out->body_len = peer->body->len;
}

static void
est_text(struct httpresp *out, int status, const char *text)
{
	out->status = status;
	out->content_type = "text/plain";
	out->body = (const uint8_t *)text;
	out->body_len = strlen(text);
}

/* OCSP: serial 0x42 is revoked, the others good. */
static int
est_lookup(void *ctx, const uint8_t *serial, size_t len,
    struct ocsp_answer *a)
{
	(void)ctx;
	memset(a, 0, sizeof *a);
	a->reason = CRL_REASON_NONE;
	if (len == 1 && serial[0] == 0x42) {
		a->status = OCSP_REVOKED;
		a->revoked_at = 1800000000;
		a->reason = CRL_REASON_KEY_COMPROMISE;
	}
	return 0;
}

static void
est_der(const struct httpsrv_peer *peer, struct httpresp *out,
    const char *type, uint8_t *der, size_t len)
{
	buf_append(peer->body, der, len);
	free(der);
	out->status = 200;
	out->content_type = type;
	out->body = peer->body->data;
	out->body_len = peer->body->len;
}

/* POST /ocsp and GET /crl, answered for the root. */
static int
est_status_crl(const struct http_request *q, const struct httpsrv_peer *peer,
    struct httpresp *out)
{
	struct ocsp_responder rs;
	struct crl_template ct;
	struct crl_entry ce;
	uint8_t *der;
	size_t len;
	int64_t now = time(NULL);

	if (strcmp(q->path, "/ocsp") == 0) {
		memset(&rs, 0, sizeof rs);
		rs.ca = &pki.root.v[0];
		rs.by.rsa = &pki.ca_key;
		rs.validity = 3600;
		rs.lookup = est_lookup;
		if (ocsp_respond_der(&rs, q->body, q->body_len, now, &der, &len,
		    NULL) == -1)
			abort();
		est_der(peer, out, "application/ocsp-response", der, len);
		return 1;
	}
	if (strcmp(q->path, "/crl") == 0) {
		memset(&ct, 0, sizeof ct);
		memset(&ce, 0, sizeof ce);
		ce.serial[0] = 0x42;
		ce.serial_len = 1;
		ce.date = now - 60;
		ce.reason = CRL_REASON_NONE;
		ct.issuer = &pki.root.v[0].subject;
		ct.this_update = now - 60;
		ct.next_update = now + 3600;
		ct.number = 7;
		ct.entries = &ce;
		ct.n = 1;
		if (crl_build(&ct, &pki.ca_key, &der, &len, NULL) == -1)
			abort();
		est_der(peer, out, "application/pkix-crl", der, len);
		return 1;
	}
	return 0;
}

static enum httpsrv_verdict
est_handler(void *ctx, const struct http_request *q,
    const struct httpsrv_peer *peer, struct httpresp *out)
{
	struct buf user, pass, der;
	struct csr csr;
	struct cert_list leaf;
	const struct rsakey *key;
	const char *a = q->hdr[HTTP_H_AUTHORIZATION];
	char line[256], *subj;
	int64_t now = time(NULL);
	FILE *f;

	(void)ctx;
	buf_init(&user);
	buf_init(&pass);
	buf_init(&der);
	csr_init(&csr);
	cert_list_init(&leaf);
	if (a != NULL && httpdec_basic(a, strlen(a), 256, &user, &pass, NULL)
	    == -1)
		abort();
	/* which connection carried what, for the keep-alive check */
	snprintf(line, sizeof line, "%u %s %s\n", peer->id, q->path,
	    user.len > 0 ? (char *)user.data : "-");
	if ((f = fopen(DIR "/conns", "a")) != NULL) {
		fputs(line, f);
		fclose(f);
	}
	if (est_status_crl(q, peer, out))
		goto out;
	if (strcmp(q->path, "/.well-known/est/cacerts") == 0) {
		est_certs(&pki.root, peer, out);
		goto out;
	}
	if (strcmp(q->path, "/.well-known/est/simpleenroll") != 0) {
		est_text(out, 404, "not found\n");
		goto out;
	}
	if (httpdec_base64(q->body, q->body_len, 65536, &der, NULL) == -1 ||
	    csr_parse(&csr, der.data, der.len, NULL) == -1) {
		est_text(out, 400, "bad request\n");
		goto out;
	}
	key = &csr.key;
	if (strcmp((char *)pass.data, "bad") == 0) {
		est_text(out, 401, "");
		out->www_authenticate = "Basic realm=\"est\"";
		goto out;
	}
	if (strcmp((char *)pass.data, "reason") == 0) {
		est_text(out, 400, "subject not covered by the token\n");
		goto out;
	}
	if (strcmp((char *)pass.data, "pend") == 0 ||
	    (strcmp((char *)pass.data, "wait") == 0 && waits++ % 2 == 0)) {
		out->status = 202;
		out->retry_after = strcmp((char *)pass.data, "pend") == 0 ? 7 : 1;
		goto out;
	}
	if (strcmp((char *)pass.data, "otherkey") == 0)
		key = &pki.other_key;
	subj = dn_to_string(&csr.subject);
	test_make_cert(&leaf, subj, ROOT, key, &pki.ca_key, 0,
	    OID_KP_CLIENT_AUTH, strcmp((char *)pass.data, "wide") == 0 ?
	    "evil.example" : strcmp((char *)pass.data, "cnname") == 0 ?
	    dn_get(&csr.subject, OID_CN) : NULL, now - 60, now + 86400);
	free(subj);
	est_certs(&leaf, peer, out);
out:
	buf_clear(&user);
	buf_clear_secret(&pass);
	buf_clear(&der);
	csr_clear(&csr);
	cert_list_clear(&leaf);
	return HTTPSRV_ANSWERED;
}

static struct ws ws;
static char wsdir[] = DIR "/ws-XXXXXX";
static struct estclient_target target;
static char progress[1024];

static void
est_progress(void *ctx, const char *line)
{
	(void)ctx;
	snprintf(progress, sizeof progress, "%s", line);
}

static void
est_conf(struct estclient_enroll_conf *c, const uint8_t *fp,
    const struct cert_list *anchors, const char *token, int wait)
{
	memset(c, 0, sizeof *c);
	c->target = &target;
	c->timeout = 10;
	c->fingerprint = fp;
	c->anchors = anchors;
	c->token = token;
	c->wait = wait;
	c->wait_s = 10;
	c->bits = 2048;
	c->progress = est_progress;
}

/* Enrolls name (subject CN=name) on a connection of its own. */
static int
est_enroll(const char *name, const char *token, int wait,
    const uint8_t *fp, const struct cert_list *anchors, struct err *e)
{
	struct estclient_enroll_conf conf;
	struct estclient_enroll en;
	struct estclient_issued got;
	struct dn subject;
	char cn[128];
	int rc;

	est_conf(&conf, fp, anchors, token, wait);
	estclient_enroll_init(&en, &conf);
	dn_init(&subject);
	snprintf(cn, sizeof cn, "CN=%s", name);
	CHECK(dn_from_string(&subject, cn, e) == 0);
	err_clear(e);
	rc = estclient_enroll_entity(&en, &ws, name, &subject, NULL, "pw", 2,
	    &got, e);
	if (rc == 0)
		CHECK_STR(got.subject, cn);
	dn_clear(&subject);
	estclient_enroll_clear(&en);
	return rc;
}

/* The keystore's chain: leaf name, then the root. */
static void
est_stored(const char *name)
{
	struct cert_list chain;
	struct err e;
	char *s;

	cert_list_init(&chain);
	CHECK(entity_load_chain(&ws, name, &chain, &e) == 0);
	CHECK_EQ(chain.n, 2);
	if (chain.n == 2) {
		s = dn_to_string(&chain.v[0].subject);
		CHECK(strcmp(s + 3, name) == 0);
		free(s);
		CHECK(chain.v[1].len == pki.root.v[0].len &&
		    memcmp(chain.v[1].der, pki.root.v[0].der,
		    chain.v[1].len) == 0);
	}
	cert_list_clear(&chain);
}

static void
test_trust(const uint8_t *fp)
{
	struct err e;
	char want[512], a[3 * 32], b[3 * 32];
	uint8_t bad[32];

	/* a fingerprint that is not the CA's */
	memcpy(bad, fp, 32);
	bad[5] ^= 1;
	entity_fp_hex(fp, a);
	entity_fp_hex(bad, b);
	snprintf(want, sizeof want, "CA fingerprint mismatch: the service's "
	    "CA certificate '" ROOT "' is SHA256:%s, not SHA256:%s as "
	    "--ca-fingerprint says", a, b);
	CHECK_EQ(est_enroll("mallory", "good", 0, bad, NULL, &e), -1);
	CHECK_STR(e.msg, want);
	CHECK(!keystore_exists(&ws, "mallory"));
	/* an anchor that is not the service's CA: the handshake fails */
	CHECK_EQ(est_enroll("mallory", "good", 0, NULL, &pki.other_root, &e),
	    -1);
	CHECK(strncmp(e.msg, "server certificate verify failed", 32) == 0);
	CHECK(!keystore_exists(&ws, "mallory"));
}

static void
test_answers(const uint8_t *fp)
{
	struct err e;

	CHECK_EQ(est_enroll("alice", "good", 0, fp, NULL, &e), 0);
	est_stored("alice");
	CHECK_EQ(est_enroll("alice", "good", 0, fp, NULL, &e), -1);
	CHECK_STR(e.msg, "entity 'alice' already has a certificate");
	/* by anchor instead of fingerprint */
	CHECK_EQ(est_enroll("carol", "good", 0, NULL, &pki.root, &e), 0);
	est_stored("carol");

	/* bob's key is made once and sent again after each refusal */
	CHECK_EQ(est_enroll("bob", "bad", 0, fp, NULL, &e), -1);
	CHECK_STR(e.msg, "the CA refused the token for 'bob' (401 "
	    "Unauthorized)");
	CHECK_EQ(e.kind, ERR_REFUSED);
	CHECK(keystore_exists(&ws, "bob"));
	CHECK_EQ(est_enroll("bob", "reason", 0, fp, NULL, &e), -1);
	CHECK_STR(e.msg, "the CA refused the request: 400 Bad Request: "
	    "subject not covered by the token");
	CHECK_STR(progress, "bob: the keystore has no certificate yet: its "
	    "key is sent again");
	CHECK_EQ(est_enroll("bob", "otherkey", 0, fp, NULL, &e), -1);
	CHECK_STR(e.msg, "the CA returned a certificate for another key: "
	    "none of the 1 certificates holds the public key requested");
	CHECK_EQ(est_enroll("bob", "wide", 0, fp, NULL, &e), -1);
	CHECK_STR(e.msg, "the returned certificate names 'evil.example', "
	    "which was not requested");
	/* DNS:CN without --san: the CA's server-profile rule, accepted */
	CHECK_EQ(est_enroll("dora", "cnname", 0, fp, NULL, &e), 0);
	est_stored("dora");
	CHECK_EQ(est_enroll("bob", "pend", 0, fp, NULL, &e), 1);
	CHECK_STR(e.msg, "bob: pending: the request waits for the CA "
	    "operator's approval (retry after 7 s)");
	progress[0] = '\0';
	CHECK_EQ(est_enroll("bob", "wait", 1, fp, NULL, &e), 0);
	CHECK_STR(progress, "bob: waiting for the CA operator to approve the "
	    "request (next try in 1 s, 10 s left)");
	est_stored("bob");
}

/* A service whose TLS certificate another CA issued, serving our CA's
 * /cacerts: the fingerprint matches, the server must not. */
static void
test_impostor(const uint8_t *fp, const char *addr)
{
	struct estclient_enroll_conf conf;
	struct estclient_enroll en;
	struct estclient_target t;
	struct err e;
	const char *want = "the service's TLS certificate is not the CA's: ";

	CHECK_EQ(estclient_target_parse(&t, addr, &e), 0);
	est_conf(&conf, fp, NULL, "good", 0);
	conf.target = &t;
	estclient_enroll_init(&en, &conf);
	CHECK_EQ(estclient_enroll_start(&en, &e), -1);
	CHECK(strncmp(e.msg, want, strlen(want)) == 0);
	CHECK_EQ(e.kind, ERR_REFUSED);
	CHECK(!en.ready);
	estclient_enroll_clear(&en);
}

/* client status and client crl over TLS, against the same service. */
static void
test_status_crl(const char *addr)
{
	struct estclient_target t;
	struct estclient_conn c;
	struct tls_config cfg;
	struct ocsp_result res;
	struct verify_result steps;
	struct cert_list leaf;
	struct crl crl;
	const struct cert *signer;
	struct err e;
	char text[128];
	int64_t now = time(NULL);

	CHECK_EQ(estclient_target_parse(&t, addr, &e), 0);
	memset(&cfg, 0, sizeof cfg);
	cfg.min_version = TLS_VERSION_12;
	cfg.max_version = TLS_VERSION_13;
	cfg.anchors = &pki.root;
	cfg.server_name = t.host;
	cert_list_init(&leaf);
	test_make_cert(&leaf, "CN=dora", ROOT, &pki.leaf_key, &pki.ca_key, 0,
	    OID_KP_CLIENT_AUTH, NULL, now - 60, now + 3600);
	estclient_conn_init(&c, &t, &cfg, 5);
	verify_result_init(&steps);
	/* good, then revoked, over one connection */
	CHECK_EQ(estclient_status(&c, &leaf.v[0], &pki.root.v[0], now, &res,
	    &steps, &e), 0);
	CHECK_EQ(res.status, OCSP_GOOD);
	leaf.v[0].serial[0] = 0x42;
	leaf.v[0].serial_len = 1;
	CHECK_EQ(estclient_status(&c, &leaf.v[0], &pki.root.v[0], now, &res,
	    &steps, &e), 0);
	ocsp_result_text(&res, text, sizeof text);
	CHECK_STR(text, "revoked (keyCompromise) on 2027-01-15 08:00:00 UTC");
	CHECK(steps.n >= 5);
	crl_init(&crl);
	CHECK_EQ(estclient_crl(&c, &pki.root, &crl, &signer, &e), 0);
	CHECK(signer == &pki.root.v[0]);
	CHECK_EQ(crl.n, 1);
	crl_clear(&crl);
	/* the same CRL checked against another CA */
	crl_init(&crl);
	CHECK_EQ(estclient_crl(&c, &pki.other_root, &crl, &signer, &e), -1);
	CHECK_STR(e.msg, "the CRL is issued by '" ROOT "', which is not an "
	    "--anchor certificate");
	crl_clear(&crl);
	verify_result_clear(&steps);
	estclient_conn_close(&c);
	cert_list_clear(&leaf);
}

/* --count: NAME-1, NAME-2 over the connection that fetched /cacerts. */
static void
test_batch(const uint8_t *fp)
{
	struct estclient_enroll_conf conf;
	struct estclient_enroll en;
	struct estclient_issued got;
	struct dn subject;
	struct err e;
	char *log, *p, want[64];
	const char *names[] = { "batch-1", "batch-2" };
	unsigned id = 0, n = 0, cid;
	size_t i, len;

	unlink(DIR "/conns");
	est_conf(&conf, fp, NULL, "good", 0);
	estclient_enroll_init(&en, &conf);
	CHECK_EQ(estclient_enroll_start(&en, &e), 0);
	for (i = 0; i < 2; i++) {
		dn_init(&subject);
		snprintf(want, sizeof want, "CN=%s", names[i]);
		CHECK(dn_from_string(&subject, want, &e) == 0);
		CHECK_EQ(estclient_enroll_entity(&en, &ws, names[i], &subject,
		    NULL, "pw", 2, &got, &e), 0);
		dn_clear(&subject);
		est_stored(names[i]);
	}
	estclient_enroll_clear(&en);
	log = (char *)test_slurp(DIR "/conns", &len);
	for (p = log; p != NULL && *p != '\0'; p = strchr(p, '\n') + 1) {
		CHECK(sscanf(p, "%u", &cid) == 1);
		if (n++ == 0)
			id = cid;
		CHECK_EQ(cid, id);
	}
	CHECK_EQ(n, 3);	/* /cacerts and two /simpleenroll */
	free(log);
}

/* The command itself: what it prints and its exit status. */
static void
test_cli(const uint8_t *fp, const char *addr)
{
	char fpt[3 * 32], cmd[1024], *out;

	entity_fp_hex(fp, fpt);
	snprintf(cmd, sizeof cmd, "MINIPKI_PASSPHRASE=pw ./minipki-tui --dir "
	    "%s client enroll %%s --ca %s --ca-fingerprint SHA256:%s %%s "
	    "2>&1; echo rc=$?", wsdir, addr, fpt);
#define RUN(name, args) test_sh(cmd, name, args)
	out = RUN("dave", "--token good --timeout 5");
	CHECK(strstr(out, "CA '" ROOT "' SHA256:") == out);
	CHECK(strstr(out, "; the service's certificate checked\ndave: "
	    "certificate ") != NULL);
	CHECK(strstr(out, " for 'CN=dave' until ") != NULL);
	CHECK(strstr(out, ", stored\nrc=0\n") != NULL);
	free(out);
	est_stored("dave");
	out = RUN("team", "--token good --count 2");
	CHECK(strstr(out, "\nteam-1: certificate ") != NULL);
	CHECK(strstr(out, "\nteam-2: certificate ") != NULL);
	CHECK(strstr(out, "rc=0\n") != NULL);
	free(out);
	est_stored("team-1");
	est_stored("team-2");
	out = RUN("erin", "--token pend");
	CHECK(strstr(out, "erin: pending (retry after 7 s)\nminipki-tui: "
	    "erin: pending: the request waits for the CA operator's approval "
	    "(retry after 7 s)\nrc=1\n") != NULL);
	free(out);
	out = RUN("frank", "--token wait --wait");
	CHECK(strstr(out, "frank: waiting for the CA operator to approve the "
	    "request (next try in 1 s, 300 s left)\nfrank: certificate ")
	    != NULL);
	CHECK(strstr(out, "rc=0\n") != NULL);
	free(out);
	out = RUN("gina", "--token bad");
	CHECK(strstr(out, "minipki-tui: the CA refused the token for 'gina' "
	    "(401 Unauthorized)\nrc=1\n") != NULL);
	free(out);
	out = RUN("gina", "--subject CN=x --count 2");
	CHECK(strstr(out, "minipki-tui client enroll: --subject with --count: "
	    "each entity's subject is CN=NAME-i\n") == out);
	CHECK(strstr(out, "rc=2\n") != NULL);
	free(out);
#undef RUN
	out = test_sh("./minipki-tui client enroll x --ca %s 2>&1; echo "
	    "rc=$?", addr);
	CHECK(strstr(out, "minipki-tui client enroll: missing "
	    "--ca-fingerprint SHA256:HEX or --anchor FILE: without one the CA "
	    "certificate the service sends cannot be trusted\n") == out);
	CHECK(strstr(out, "rc=2\n") != NULL);
	free(out);
	out = test_sh("./minipki-tui client enroll x --ca http://127.0.0.1:1 "
	    "--anchor /dev/null 2>&1; echo rc=$?");
	CHECK(strstr(out, "minipki-tui client enroll: http://127.0.0.1:1: EST "
	    "runs over TLS: give unix:PATH or tcp:HOST:PORT\n") == out);
	free(out);
	out = test_sh("./minipki-tui client enroll x --ca %s "
	    "--ca-fingerprint SHA256:12 2>&1; echo rc=$?", addr);
	CHECK(strstr(out, "minipki-tui client enroll: --ca-fingerprint: "
	    "'SHA256:12': expected SHA256: and the 64 hex digits of the CA "
	    "certificate's SHA-256 (colons allowed)\n") == out);
	free(out);
}

/* Bad answers to the client, end to end: a raw server answers each
 * connection with the next of these, then closes. */
static const char *const raw_answers[] = {
	"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\ncut",
	"HTTP/1.0 200 OK\r\nContent-Type: application/pkix-crl\r\n\r\nx",
	"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n"
	    "0\r\n\r\n",
	NULL,	/* huge headers, made below */
	"",	/* nothing: closed at once */
	"HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\n"
	    "Content-Length: 9\r\n\r\nno crl\r\n\001",
};

static void __attribute__((noreturn))
raw_serve(int lfd)
{
	struct buf huge, req;
	const char *ans;
	char b[4096];
	size_t i, len;
	ssize_t r;
	int fd;

	buf_init(&huge);
	buf_puts(&huge, "HTTP/1.1 200 OK\r\n");
	for (i = 0; i < 3; i++) {
		buf_printf(&huge, "X-Pad-%zu: ", i);
		memset(buf_reserve(&huge, 8000), 'p', 8000);
		huge.len += 8000;
		buf_puts(&huge, "\r\n");
	}
	buf_puts(&huge, "Content-Length: 0\r\n\r\n");
	fcntl(lfd, F_SETFL, 0);
	for (i = 0; i < sizeof raw_answers / sizeof raw_answers[0]; i++) {
		if ((fd = accept(lfd, NULL, NULL)) == -1)
			_exit(1);
		buf_init(&req);
		while (strstr(req.len ? (char *)req.data : "", "\r\n\r\n") ==
		    NULL && (r = read(fd, b, sizeof b)) > 0)
			buf_append(&req, b, (size_t)r);
		buf_clear(&req);
		ans = raw_answers[i] != NULL ? raw_answers[i] :
		    (const char *)huge.data;
		len = raw_answers[i] != NULL ? strlen(ans) : huge.len;
		if (len > 0 && write(fd, ans, len) < 0)
			_exit(1);
		shutdown(fd, SHUT_WR);
		while (read(fd, b, sizeof b) > 0)
			;
		close(fd);
	}
	/* last: accept and say nothing, for the timeout */
	if ((fd = accept(lfd, NULL, NULL)) != -1)
		pause();
	_exit(0);
}

static void
test_bad_answers(void)
{
	static const char *const want[] = {
		"the response ends after 43 bytes, in the middle",
		"response without Content-Length",
		"chunked response refused: a Content-Length is required",
		"response header block over 16384 bytes",
		"the server closed the connection without answering",
		"GET /crl: 404 Not Found: no crl",
		"timed out waiting for the answer to GET /crl",
	};
	struct estclient_target t;
	struct estclient_conn c;
	struct addr a;
	struct crl crl;
	const struct cert *signer;
	struct err e;
	char url[64];
	size_t i;
	pid_t pid;
	int lfd;

	CHECK_EQ(addr_parse(&a, "tcp:127.0.0.1:0", &e), 0);
	CHECK_EQ(addr_listen(&a, &lfd, &e), 0);
	fflush(NULL);
	if ((pid = fork()) == 0)
		raw_serve(lfd);
	close(lfd);
	snprintf(url, sizeof url, "http://127.0.0.1:%s", a.port);
	CHECK_EQ(estclient_target_parse(&t, url, &e), 0);
	CHECK(!t.tls);
	for (i = 0; i < sizeof want / sizeof want[0]; i++) {
		estclient_conn_init(&c, &t, NULL, 1);
		crl_init(&crl);
		CHECK_EQ(estclient_crl(&c, &pki.root, &crl, &signer, &e), -1);
		CHECK_STR(e.msg, want[i]);
		crl_clear(&crl);
		estclient_conn_close(&c);
	}
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
}

int
main(void)
{
	struct httpsrv_listen ls[2];
	struct httpsrv_conf conf;
	struct tls_config sc, ec;
	struct cert_list evil;
	struct test_httpsrv srv;
	struct err e;
	int64_t now = time(NULL);

	mkdir("tests/work", 0700);
	mkdir(DIR, 0700);
	unlink(DIR "/conns");
	if (test_ws_open(&ws, wsdir) == -1)
		return 1;
	memset(ls, 0, sizeof ls);
	memset(&conf, 0, sizeof conf);
	if (addr_parse(&ls[0].addr, "unix:" DIR "/est.sock", &e) == -1 ||
	    addr_parse(&ls[1].addr, "unix:" DIR "/impostor.sock", &e) == -1) {
		fprintf(stderr, "%s\n", e.msg);
		return 1;
	}
	test_pki_setup(&pki, ROOT, now - 3600, now + 86400 * 30, now - 3600,
	    now + 86400);
	test_httpsrv_tls(&sc, &pki, TLS_AUTH_NONE);
	ls[0].tls = &sc;
	/* the impostor: localhost, but from the other root */
	cert_list_init(&evil);
	test_make_cert(&evil, "CN=localhost", "CN=Other Root", &pki.leaf_key,
	    &pki.other_key, 0, OID_KP_SERVER_AUTH, "localhost", now - 3600,
	    now + 86400);
	ec = sc;
	ec.chain = &evil;
	ls[1].tls = &ec;
	conf.listen = ls;
	conf.nlisten = 2;
	conf.handler = est_handler;
	test_httpsrv_fork(&srv, &conf, DIR "/log");
	CHECK_EQ(estclient_target_parse(&target, srv.addr[0], &e), 0);
	CHECK_STR(target.host, "localhost");

	test_trust(pki.root.v[0].fp_sha256);
	test_answers(pki.root.v[0].fp_sha256);
	test_batch(pki.root.v[0].fp_sha256);
	test_impostor(pki.root.v[0].fp_sha256, srv.addr[1]);
	test_status_crl(srv.addr[0]);
	test_cli(pki.root.v[0].fp_sha256, srv.addr[0]);
	test_bad_answers();

	test_httpsrv_stop(&srv);
	test_ws_remove(&ws, wsdir);
	cert_list_clear(&evil);
	test_pki_clear(&pki);
	return test_done();
}
