/* httpsrv-curl-test.c — curl and openssl s_client as the independent
 * clients of net/httpsrv: plain HTTP and HTTPS (our TLS engine), on a Unix
 * socket and on TCP loopback; keep-alive (two URLs, one connect), a POST
 * body past curl's 100-continue threshold, the client certificate's
 * subject reaching the handler (asked for, and required), 100 concurrent
 * clients all answered, a client that uploads too slowly (408), the
 * 431/414 refusals with the service going on afterwards. Skipped (77)
 * when curl is not installed. */
#include <sys/stat.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "testcert.h"
#include "testhttpsrv.h"
#include "peerlib.h"
#include "testlib.h"
#include "testsh.h"
#include "x509/pkey.h"

#define DIR "tests/work/httpsrv-curl"

static struct test_pki pki;
static struct test_httpsrv srv;

#define CHECK_RUN(want, ...) do { char *got_ = test_sh(__VA_ARGS__); \
	CHECK_STR(got_, (want)); free(got_); } while (0)

/* curl's way to a listener: "--unix-socket PATH" and
 * "http://localhost", or "" and "http://127.0.0.1:PORT"; HTTPS names
 * localhost (the certificate's name), resolved to 127.0.0.1. */
struct via {
	char opt[256];
	char base[128];
	char peer[32];		/* what /whoami says of the peer */
};

static void
via_make(struct via *v, const char *addr, int tls)
{
	const char *port;

	if (strncmp(addr, "unix:", 5) == 0) {
		snprintf(v->opt, sizeof v->opt, "--unix-socket %s%s", addr + 5,
		    tls ? " --cacert " DIR "/root.pem" : "");
		snprintf(v->base, sizeof v->base, "%s://localhost",
		    tls ? "https" : "http");
		snprintf(v->peer, sizeof v->peer, "unix");
		return;
	}
	port = strrchr(addr, ':') + 1;
	if (tls) {
		snprintf(v->opt, sizeof v->opt, "--resolve localhost:%s:"
		    "127.0.0.1 --cacert " DIR "/root.pem", port);
		snprintf(v->base, sizeof v->base, "https://localhost:%s",
		    port);
	} else {
		v->opt[0] = '\0';
		snprintf(v->base, sizeof v->base, "http://127.0.0.1:%s", port);
	}
	snprintf(v->peer, sizeof v->peer, "127.0.0.1:");
}

#define CURL "curl -sS --max-time 20 "

/* The same checks on each listener. */
static void
checks(const char *addr, int tls)
{
	struct via v;
	char want[512], *r;

	via_make(&v, addr, tls);
	CHECK_RUN("hello\n", CURL "%s %s/hello", v.opt, v.base);
	/* keep-alive: the second URL rides on the first connection */
	CHECK_RUN("hello\nconnects=1\nhello\nconnects=0\n", CURL "%s -w "
	    "'connects=%%{num_connects}\\n' %s/hello %s/hello", v.opt, v.base,
	    v.base);
	/* 3000 bytes: curl sends Expect: 100-continue; the echo is exact */
	CHECK_RUN("same\n", CURL "%s --data-binary @" DIR "/body %s/echo | "
	    "cmp - " DIR "/body && echo same", v.opt, v.base);
	r = test_sh(CURL "%s %s/whoami", v.opt, v.base);
	snprintf(want, sizeof want, "anonymous\n%s %s", tls ? "tls" : "plain",
	    v.peer);
	CHECK(strncmp(r, want, strlen(want)) == 0);
	free(r);
	if (tls) {
		r = test_sh(CURL "%s --cert " DIR "/alice.pem --key " DIR
		    "/alice.key %s/whoami", v.opt, v.base);
		snprintf(want, sizeof want, "CN=alice\ntls %s", v.peer);
		CHECK(strncmp(r, want, strlen(want)) == 0);
		free(r);
	}
	/* 414 and 431, then the service answers again */
	CHECK_RUN("414", CURL "%s -w '%%{http_code}' -o /dev/null "
	    "\"%s/$(cat " DIR "/long)\"", v.opt, v.base);
	CHECK_RUN("431", CURL "%s -w '%%{http_code}' -o /dev/null "
	    "-H \"X-Big: $(cat " DIR "/long)$(cat " DIR "/long)\" %s/hello",
	    v.opt, v.base);
	CHECK_RUN("404 hello\n", CURL "%s -w '%%{http_code} ' -o /dev/null "
	    "%s/nothing && " CURL "%s %s/hello", v.opt, v.base, v.opt,
	    v.base);
	/* a client that sends its body at 10 bytes/s: 408 after 1.5 s */
	CHECK_RUN("408", CURL "%s --limit-rate 10 --data-binary @" DIR
	    "/slow -w '%%{http_code}' -o /dev/null %s/echo", v.opt, v.base);
}

/* 100 curl processes at once, 50 on each of two listeners; every one
 * answered. */
static void
concurrent(const char *a1, int tls1, const char *a2, int tls2)
{
	struct via v1, v2;

	via_make(&v1, a1, tls1);
	via_make(&v2, a2, tls2);
	CHECK_RUN("100\n", "rm -f " DIR "/c.*; for i in $(seq 50); do "
	    CURL "%s -o " DIR "/c.a$i %s/hello & "
	    CURL "%s -o " DIR "/c.b$i %s/hello & done; wait; "
	    "cat " DIR "/c.* | grep -c '^hello$'", v1.opt, v1.base, v2.opt,
	    v2.base);
}

int
main(void)
{
	struct httpsrv_listen ls[5];
	struct httpsrv_conf conf;
	struct tls_config opt, req;
	struct buf key;
	struct err e;
	struct via v;
	char *big, *r;
	size_t i;
	int64_t now = time(NULL);

	if (system("curl --version >/dev/null 2>&1") != 0)
		test_skip("curl not installed");
	mkdir("tests/work", 0700);
	mkdir(DIR, 0700);
	test_pki_setup(&pki, "CN=HTTP Test Root", now - 3600, now + 86400,
	    now - 3600, now + 86400);
	peer_write_pem(DIR "/root.pem", "CERTIFICATE", pki.root.v[0].der,
	    pki.root.v[0].len);
	peer_write_pem(DIR "/alice.pem", "CERTIFICATE", pki.client_chain.v[0].der,
	    pki.client_chain.v[0].len);
	buf_init(&key);
	pkey_encode_pkcs8(&pki.leaf_key, &key);
	peer_write_pem(DIR "/alice.key", "PRIVATE KEY", key.data, key.len);
	buf_clear_secret(&key);
	big = malloc(5001);
	memset(big, 'a', 5000);
	test_spit(DIR "/long", big, 5000);
	for (i = 0; i < 3000; i++)
		big[i] = (char)('A' + i % 26);
	test_spit(DIR "/body", big, 3000);
	test_spit(DIR "/slow", big, 100);
	free(big);

	test_httpsrv_tls(&opt, &pki, TLS_AUTH_OPTIONAL);
	test_httpsrv_tls(&req, &pki, TLS_AUTH_REQUIRE);
	memset(ls, 0, sizeof ls);
	CHECK(addr_parse(&ls[0].addr, "unix:" DIR "/h.sock", &e) == 0);
	CHECK(addr_parse(&ls[1].addr, "tcp:127.0.0.1:0", &e) == 0);
	CHECK(addr_parse(&ls[2].addr, "unix:" DIR "/s.sock", &e) == 0);
	CHECK(addr_parse(&ls[3].addr, "tcp:127.0.0.1:0", &e) == 0);
	CHECK(addr_parse(&ls[4].addr, "tcp:127.0.0.1:0", &e) == 0);
	ls[2].tls = ls[3].tls = &opt;
	ls[4].tls = &req;
	memset(&conf, 0, sizeof conf);
	conf.listen = ls;
	conf.nlisten = 5;
	conf.request_ms = 1500;
	test_httpsrv_fork(&srv, &conf, DIR "/log");
	CHECK_EQ(srv.n, 5);

	checks(srv.addr[0], 0);
	checks(srv.addr[1], 0);
	checks(srv.addr[2], 1);
	checks(srv.addr[3], 1);
	concurrent(srv.addr[1], 0, srv.addr[2], 1);
	concurrent(srv.addr[0], 0, srv.addr[3], 1);

	/* A listener that requires a certificate: none is refused in the
	 * handshake, alice's is taken. */
	via_make(&v, srv.addr[4], 1);
	r = test_sh(CURL "%s %s/whoami; echo \"exit $?\"", v.opt, v.base);
	CHECK(strstr(r, "alert certificate required") != NULL &&
	    strstr(r, "exit 0") == NULL);
	free(r);
	r = test_sh(CURL "%s --cert " DIR "/alice.pem --key " DIR "/alice.key "
	    "%s/whoami", v.opt, v.base);
	CHECK(strncmp(r, "CN=alice\ntls 127.0.0.1:", 23) == 0);
	free(r);

	/* openssl s_client, TLS 1.3 and 1.2, verifying our certificate */
	for (i = 0; i < 2; i++) {
		r = test_sh("printf 'GET /hello HTTP/1.1\\r\\nHost: localhost\\r\\n"
		    "Connection: close\\r\\n\\r\\n' | openssl s_client -quiet "
		    "%s -connect 127.0.0.1:%s -servername localhost "
		    "-verify_hostname localhost -verify_return_error -CAfile "
		    DIR "/root.pem", i == 0 ? "-tls1_3" : "-tls1_2",
		    strrchr(srv.addr[3], ':') + 1);
		CHECK(strstr(r, "HTTP/1.1 200 OK\r\n") != NULL &&
		    strstr(r, "\r\n\r\nhello\n") != NULL);
		free(r);
	}

	test_httpsrv_stop(&srv);
	r = (char *)test_slurp(DIR "/log", &i);
	CHECK(strstr(r, "\nunix \"CN=alice\" GET /whoami 200 ") != NULL);
	CHECK(strstr(r, " - - - 408 20 ") != NULL);
	CHECK(strstr(r, ": TLS handshake failed: ") != NULL);
	free(r);
	test_pki_clear(&pki);
	return test_done();
}
