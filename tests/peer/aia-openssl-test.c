/* aia-openssl-test.c — OpenSSL as the judge of where our certificates say
 * to ask, both ways:
 * - a CA with a service URL issues a leaf: `openssl x509 -text` shows its
 *   OCSP and CA Issuers locations and CRL distribution point, `openssl
 *   x509 -ocsp_uri` prints the OCSP URL (what a script hands to `openssl
 *   ocsp -url`: `openssl ocsp` itself never reads the AIA), `openssl
 *   verify` still accepts the chain;
 * - `openssl verify -crl_download -crl_check` finds the CRL through the
 *   CDP alone, fetching it from a small HTTP server here that stands for
 *   the CA service's /crl: good before `revoke`, revoked after;
 * - we read authorityInfoAccess and cRLDistributionPoints from a
 *   certificate `openssl req -x509` makes (another access method, several
 *   points, reasons, a cRLIssuer) and show them.
 * Skipped (77) when the openssl command is not available. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "asn1/pem.h"
#include "role/ca.h"
#include "role/lifecycle.h"
#include "util/buf.h"
#include "util/file.h"
#include "util/xalloc.h"
#include "x509/text.h"
#include "peerlib.h"
#include "testlib.h"

#define DIR "tests/work/aia-openssl"
#define CRLFILE DIR "/crl.der"		/* what the server answers */
#define HITS DIR "/requests"		/* the request lines it got */

static const char pass[] = "aia-openssl-pass";

/* Whether a line of cmd's output, leading spaces and trailing white space
 * removed, is want. */
static int
output_line(const char *cmd, const char *want)
{
	char line[4096], *p, *end;
	FILE *f = popen(cmd, "r");
	int found = 0;

	if (f == NULL)
		return 0;
	while (fgets(line, sizeof line, f) != NULL) {
		for (p = line; *p == ' '; p++)
			;
		end = p + strlen(p);
		while (end > p && (end[-1] == '\n' || end[-1] == ' '))
			*--end = '\0';
		if (strcmp(p, want) == 0)
			found = 1;
	}
	pclose(f);
	return found;
}

/* The server: answers every GET with the bytes of CRLFILE as
 * application/pkix-crl, one request per connection, and appends each
 * request line to HITS. Runs until killed. */
static void
serve(int lfd)
{
	char req[4096], head[256];
	uint8_t *body;
	size_t n, blen;
	ssize_t r;
	int fd;
	FILE *log;

	for (;;) {
		if ((fd = accept(lfd, NULL, NULL)) == -1)
			continue;
		n = 0;
		while (n < sizeof req - 1 && (r = read(fd, req + n,
		    sizeof req - 1 - n)) > 0) {
			n += (size_t)r;
			req[n] = '\0';
			if (strstr(req, "\r\n\r\n") != NULL)
				break;
		}
		req[n] = '\0';
		req[strcspn(req, "\r\n")] = '\0';
		if ((log = fopen(HITS, "a")) != NULL) {
			fprintf(log, "%s\n", req);
			fclose(log);
		}
		body = test_read_file(CRLFILE, &blen);
		if (body == NULL)
			blen = 0;
		snprintf(head, sizeof head, "HTTP/1.0 %s\r\nContent-Type: "
		    "application/pkix-crl\r\nContent-Length: %zu\r\n"
		    "Connection: close\r\n\r\n", body != NULL ? "200 OK" :
		    "404 Not Found", blen);
		if (write(fd, head, strlen(head)) < 0 ||
		    (blen > 0 && write(fd, body, blen) < 0))
			perror("write");
		free(body);
		close(fd);
	}
}

/* A CA with a service URL on a loopback port a server listens on. */
static void
test_ca_service(void)
{
	struct sockaddr_in sa;
	socklen_t salen = sizeof sa;
	struct ws ws;
	struct err e;
	struct dn subject;
	struct ca ca;
	struct csr req;
	struct ca_issued res;
	struct pem_list pl;
	uint8_t *root = NULL, *crl = NULL, *data;
	size_t rootlen = 0, crllen = 0, n;
	uint64_t number;
	char url[64], line[128], cmd[512], serial[CA_SERIAL_HEX];
	int64_t now = (int64_t)time(NULL);
	pid_t pid;
	int lfd;

	lfd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (lfd == -1 || bind(lfd, (struct sockaddr *)&sa, sizeof sa) == -1 ||
	    listen(lfd, 8) == -1 ||
	    getsockname(lfd, (struct sockaddr *)&sa, &salen) == -1) {
		test_fail(__FILE__, __LINE__, "cannot listen on loopback");
		return;
	}
	snprintf(url, sizeof url, "http://127.0.0.1:%u",
	    (unsigned)ntohs(sa.sin_port));

	ws_init(&ws);
	CHECK(ws_open(&ws, DIR "/ws", &e) == 0);
	dn_init(&subject);
	CHECK(dn_from_string(&subject, "CN=AIA Judge Root", &e) == 0);
	CHECK(ca_create(&ws, "root", &subject, 2048, 30, now, pass,
	    strlen(pass), NULL, NULL, &root, &rootlen, &e) == 0);
	peer_write_pem(DIR "/ca.pem", "CERTIFICATE", root, rootlen);
	ca_init(&ca);
	CHECK(ca_open(&ca, &ws, "root", CA_WRITE, &e) == 0);
	CHECK(ca_unlock(&ca, pass, strlen(pass), &e) == 0);
	CHECK(ca_set_url(&ca, url, &e) == 0);

	csr_init(&req);
	pem_list_init(&pl);
	data = test_slurp("tests/data/csr.pem", &n);
	CHECK(pem_decode((const char *)data, n, &pl, &e) == 0 && pl.n > 0);
	CHECK(pl.n > 0 && csr_parse(&req, pl.v[0].der, pl.v[0].len, &e) == 0);
	free(data);
	pem_list_clear(&pl);
	ca_issued_init(&res);
	CHECK(ca_issue(&ca, &req, profile_get(PROFILE_CLIENT), 0, now, &res,
	    &e) == 0);
	peer_write_pem(DIR "/leaf.pem", "CERTIFICATE", res.der, res.len);
	snprintf(serial, sizeof serial, "%s", res.serial);
	ca_issued_clear(&res);

	/* openssl x509 -text shows the three locations. */
	snprintf(line, sizeof line, "OCSP - URI:%s/ocsp", url);
	CHECK(output_line("openssl x509 -noout -text -in " DIR "/leaf.pem",
	    line));
	snprintf(line, sizeof line, "CA Issuers - URI:%s/ca.cer", url);
	CHECK(output_line("openssl x509 -noout -text -in " DIR "/leaf.pem",
	    line));
	CHECK(output_line("openssl x509 -noout -text -in " DIR "/leaf.pem",
	    "X509v3 CRL Distribution Points:"));
	CHECK(output_line("openssl x509 -noout -text -in " DIR "/leaf.pem",
	    "Full Name:"));
	snprintf(line, sizeof line, "URI:%s/crl", url);
	CHECK(output_line("openssl x509 -noout -text -in " DIR "/leaf.pem",
	    line));
	/* Neither is critical. */
	CHECK(!output_line("openssl x509 -noout -text -in " DIR "/leaf.pem",
	    "Authority Information Access: critical"));
	CHECK(!output_line("openssl x509 -noout -text -in " DIR "/leaf.pem",
	    "X509v3 CRL Distribution Points: critical"));
	/* The OCSP URL as a script hands it to openssl ocsp -url. */
	snprintf(line, sizeof line, "%s/ocsp", url);
	CHECK(output_line("openssl x509 -noout -ocsp_uri -in " DIR "/leaf.pem",
	    line));
	/* The CA's own certificate carries none. */
	CHECK(!output_line("openssl x509 -noout -text -in " DIR "/ca.pem",
	    "Full Name:"));
	CHECK(peer_run("openssl x509 -noout -ocsp_uri -in " DIR "/ca.pem "
	    "| grep -q .") != 0);
	CHECK_EQ(peer_run("openssl verify -CAfile " DIR "/ca.pem " DIR "/leaf.pem "
	    ">/dev/null 2>&1"), 0);

	/* The CRL, found through the CDP alone. */
	CHECK(lifecycle_crl(&ca, 7, now, &crl, &crllen, &number, &e) == 0);
	test_spit(CRLFILE, crl, crllen);
	free(crl);
	unlink(HITS);
	fflush(NULL);
	if ((pid = fork()) == -1) {
		test_fail(__FILE__, __LINE__, "fork");
		goto out;
	}
	if (pid == 0) {
		serve(lfd);
		_exit(0);
	}
	snprintf(cmd, sizeof cmd, "openssl verify -crl_download -crl_check "
	    "-CAfile %s/ca.pem %s/leaf.pem 2>&1", DIR, DIR);
	CHECK(output_line(cmd, DIR "/leaf.pem: OK"));
	data = test_read_file(HITS, &n);
	CHECK(data != NULL && n > 0 && memmem(data, n, "GET /crl HTTP/1.",
	    16) != NULL);
	free(data);

	/* Revoked and a new CRL: the same command now refuses it. */
	CHECK(lifecycle_revoke(&ca, serial, "keyCompromise", now - 60, 0,
	    &e) == 0);
	CHECK(lifecycle_crl(&ca, 7, now, &crl, &crllen, &number, &e) == 0);
	test_spit(CRLFILE, crl, crllen);
	free(crl);
	CHECK(output_line(cmd, "error 23 at 0 depth lookup: certificate "
	    "revoked"));
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
out:
	close(lfd);
	ca_clear(&ca);
	csr_clear(&req);
	dn_clear(&subject);
	free(root);
	ws_clear(&ws);
}

#define CFG "[req]\n" \
	"distinguished_name = dn\n" \
	"x509_extensions = ext\n" \
	"prompt = no\n" \
	"[dn]\n" \
	"CN = OpenSSL Made\n" \
	"[ext]\n" \
	"authorityInfoAccess = OCSP;URI:http://o.example/, " \
	"caIssuers;URI:http://i.example/ca.cer, 1.2.3.4;DNS:x.example\n" \
	"crlDistributionPoints = URI:http://c.example/a.crl, dp2\n" \
	"[dp2]\n" \
	"fullname = URI:http://c.example/r.crl, URI:http://d.example/r.crl\n" \
	"CRLissuer = dirName:issuer\n" \
	"reasons = keyCompromise, CACompromise\n" \
	"[issuer]\n" \
	"CN = CRL Issuer\n"

/* What openssl writes, read by us. */
static void
test_openssl_made(void)
{
	struct cert_list l;
	struct err e;
	struct buf b;
	const struct ext_info *x;

	test_spit(DIR "/req.cnf", CFG, strlen(CFG));
	if (peer_run("openssl req -x509 -newkey rsa:2048 -nodes -days 2 -keyout "
	    DIR "/om.key -out " DIR "/om.pem -config " DIR "/req.cnf "
	    ">/dev/null 2>&1") != 0) {
		test_fail(__FILE__, __LINE__, "openssl req -x509 failed");
		return;
	}
	cert_list_init(&l);
	CHECK(cert_list_load_file(&l, DIR "/om.pem", &e) == 0);
	if (l.n != 1) {
		test_fail(__FILE__, __LINE__, "om.pem: %s", e.msg);
		cert_list_clear(&l);
		return;
	}
	x = &l.v[0].ext;
	CHECK(x->has_aia && !x->aia_critical && x->naia == 3);
	if (x->naia == 3) {
		CHECK_EQ(x->aia[0].method, OID_AD_OCSP);
		CHECK_STR(x->aia[0].loc.value, "http://o.example/");
		CHECK_EQ(x->aia[1].method, OID_AD_CA_ISSUERS);
		CHECK_STR(x->aia[1].loc.value, "http://i.example/ca.cer");
		CHECK_EQ(x->aia[2].method, OID_UNKNOWN);
		CHECK_STR(x->aia[2].method_oid, "1.2.3.4");
		CHECK_EQ(x->aia[2].loc.type, SAN_DNS);
	}
	CHECK(x->has_cdp && x->ncdp == 2);
	if (x->ncdp == 2) {
		CHECK_EQ(x->cdp[0].full.n, 1);
		CHECK_STR(x->cdp[0].full.v[0].value, "http://c.example/a.crl");
		CHECK_EQ(x->cdp[1].full.n, 2);
		CHECK(x->cdp[1].has_reasons);
		CHECK_EQ(x->cdp[1].reasons, (1u << 1) | (1u << 2));
		CHECK_EQ(x->cdp[1].crl_issuer.n, 1);
		if (x->cdp[1].crl_issuer.n == 1)
			CHECK_STR(x->cdp[1].crl_issuer.v[0].value,
			    "dirName:CN=CRL Issuer");
	}
	buf_init(&b);
	text_cert(&b, &l.v[0]);
	buf_putc(&b, '\0');
	CHECK(strstr((const char *)b.data,
	    "        Authority Information Access:\n"
	    "            OCSP - URI:http://o.example/\n"
	    "            CA Issuers - URI:http://i.example/ca.cer\n"
	    "            1.2.3.4 - DNS:x.example\n"
	    "        X509v3 CRL Distribution Points:\n"
	    "            Full Name:\n"
	    "              URI:http://c.example/a.crl\n"
	    "            Full Name:\n"
	    "              URI:http://c.example/r.crl\n"
	    "              URI:http://d.example/r.crl\n"
	    "            Reasons:\n"
	    "              Key Compromise, CA Compromise\n"
	    "            CRL Issuer:\n"
	    "              dirName:CN=CRL Issuer\n") != NULL);
	buf_clear(&b);
	cert_list_clear(&l);
}

int
main(void)
{
	peer_need_openssl(DIR);
	test_ca_service();
	test_openssl_made();
	if (test_failures == 0)
		peer_run("rm -rf " DIR);
	return test_done();
}
