/* cmd-serve.c — `ca serve [--ca NAME] [--listen ADDR]...
 * [--http-listen ADDR]... [--name NAME]... [--tls-key p256|rsa]`: the CA as a network service
 * (role/caserve.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cliutil.h"
#include "net/httpsrv.h"
#include "net/loop.h"
#include "role/caserve.h"
#include "store/roles.h"
#include "util/xalloc.h"

#define SERVE_MAX_LISTEN 8

enum {
	OPT_CA = 1, OPT_LISTEN, OPT_HTTP_LISTEN, OPT_NAME, OPT_TIMEOUT,
	OPT_PENDING_DAYS, OPT_TLS_KEY,
};

static const struct args_opt serve_opts[] = {
	{ .id = OPT_CA, .name = "ca", .has_value = 1 },
	{ .id = OPT_LISTEN, .name = "listen", .has_value = 1 },
	{ .id = OPT_HTTP_LISTEN, .name = "http-listen", .has_value = 1 },
	{ .id = OPT_NAME, .name = "name", .has_value = 1 },
	{ .id = OPT_TIMEOUT, .name = "timeout", .has_value = 1 },
	{ .id = OPT_PENDING_DAYS, .name = "pending-days", .has_value = 1 },
	{ .id = OPT_TLS_KEY, .name = "tls-key", .has_value = 1 },
	{ .id = 0 },
};

static cli_fn cmd_ca_serve;

const struct cli_cmd cmd_ca_serve_entry = {
	.name = "ca serve",
	.summary = "serve EST enrollment, OCSP and the CRL over HTTP",
	.usage =
"ca serve [--ca NAME] [--listen ADDR]...\n"
"[--http-listen ADDR]... [--name NAME]... [--timeout N]\n"
"[--pending-days N] [--tls-key p256|rsa]",
	.help =
"Runs the CA as a network service until SIGINT or SIGTERM: EST (RFC 7030)\n"
"enrollment over TLS, OCSP (RFC 6960), the CRL and the CA certificate over\n"
"HTTP, so that curl and openssl are its clients. The CA key is decrypted\n"
"once (the passphrase as for the other ca commands) and kept in memory\n"
"only. The TLS listeners present a certificate the CA issues itself at\n"
"start for localhost, 127.0.0.1, ::1 and each --name (recorded in the\n"
"database; its key, of the CA key's type, RSA or P-256, lives in memory\n"
"only). Prints the CA certificate's\n"
"fingerprint (\"fingerprint SHA256:HEX\") and \"listening on ADDR\" for\n"
"each address on standard output, then one line per request on standard\n"
"error (peer, client subject, method, path, status, bytes, time, and what\n"
"was done or why it was refused; never a token or key).\n"
"The database is locked only while certificates or a CRL are made, so\n"
"ca revoke and the other ca commands work while it serves; enrollments\n"
"and renewals that arrive together are issued under one lock and one disk\n"
"sync, and while another command holds the lock they wait (up to 2 s,\n"
"then 503) without holding up other requests.\n"
"A request without a token waits in the approval queue (ca pending) for\n"
"at most --pending-days; undecided by then it expires: its poll is\n"
"refused and it can no longer be approved.\n"
"Endpoints: GET /.well-known/est/cacerts, POST .../simpleenroll and\n"
".../simplereenroll (TLS only); POST /ocsp, GET /ocsp/BASE64, GET /crl,\n"
"GET /ca.pem, GET /ca.cer (TLS and plain HTTP).\n"
"\n"
"  --ca NAME           the CA (default \"ca\")\n"
"  --listen ADDR       a TLS listener: unix:PATH or tcp:HOST:PORT (port 0\n"
"                      picks a free one); repeatable; default\n"
"                      unix:WORKSPACE/ca/NAME/ca.sock\n"
"  --http-listen ADDR  a plain HTTP listener (OCSP, CRL, CA certificate);\n"
"                      repeatable\n"
"  --name NAME         another DNS name or IP address of the service for\n"
"                      its certificate; repeatable\n"
"  --timeout N         seconds a request may take to arrive whole, and a\n"
"                      connection may stay idle (default 30)\n"
"  --pending-days N    days a queued request waits for the operator's\n"
"                      decision before it expires (1 to 366, default 7)\n"
"  --tls-key TYPE      the TLS certificate's key: p256 (default; each new\n"
"                      connection costs an ECDSA signature) or rsa\n"
"                      (RSA-2048: as much as an issuance)\n",
	.opts = serve_opts,
	.fn = cmd_ca_serve,
};

/* The service in the workspace's registry of running roles, so that
 * other processes (a UI) find it; its listeners, whether each is TLS. */
static struct roles_reg serve_reg;
static const struct httpsrv_listen *serve_lsn;

static void
serve_ready(void *ctx, size_t listener, const char *addr)
{
	struct err e;

	(void)ctx;
	printf("listening on %s\n", addr);
	fflush(stdout);
	if (roles_reg_ready(&serve_reg, serve_lsn[listener].tls != NULL, addr,
	    &e) == -1)
		fprintf(stderr, "warning: not in the registry: %s\n", e.msg);
}

/* One line per request, with what the service did or why it refused. */
static void
serve_log(void *ctx, const struct httpsrv_log *rec, const char *line)
{
	struct caserve *s = ctx;

	if (rec != NULL && s->note[0] != '\0')
		fprintf(stderr, "%s: %s\n", line, s->note);
	else
		fprintf(stderr, "%s\n", line);
	if (rec != NULL)
		s->note[0] = '\0';
}

/* Adds a listener of text; tls (NULL: plain) is the service's
 * configuration, filled in once the CA is open. */
static int
serve_listen(struct httpsrv_listen *l, size_t *n, const char *text,
    const struct tls_config *tls, const char *opt)
{
	struct err e;

	err_clear(&e);
	if (*n == SERVE_MAX_LISTEN)
		return cli_usage("ca serve", "at most %d listeners",
		    SERVE_MAX_LISTEN);
	if (addr_parse(&l[*n].addr, text, &e) == -1)
		return cli_usage("ca serve", "--%s %s", opt, e.msg);
	l[*n].tls = tls;
	(*n)++;
	return EXIT_OK;
}

static int
cmd_ca_serve(struct cli *cli, int argc, char **argv)
{
	struct args a;
	struct ws ws;
	struct err e;
	struct passphrase pass = { NULL, 0 };
	struct caserve s;
	struct httpsrv_listen lsn[SERVE_MAX_LISTEN];
	struct httpsrv_conf conf;
	struct httpsrv *srv = NULL;
	struct loop l;
	const char *v, *caname = "ca", *names[CASERVE_MAX_NAMES];
	size_t n = 0, nnames = 0;
	long timeout = HTTPSRV_DEF_REQUEST_MS / 1000, pdays = 0;
	int r, rc = EXIT_OK, ntls = 0;
	char *dir, *sock;

	memset(lsn, 0, sizeof lsn);
	caserve_init(&s);
	args_init(&a, cli, "ca serve", serve_opts, argc, argv);
	while ((r = cliutil_ca_args(&a, OPT_CA, &caname, NULL, &v, &rc)) > 0) {
		switch (r) {
		case OPT_LISTEN:
		case OPT_HTTP_LISTEN:
			if ((rc = serve_listen(lsn, &n, v, r == OPT_LISTEN ?
			    &s.tls : NULL, r == OPT_LISTEN ? "listen" :
			    "http-listen")) != EXIT_OK)
				return rc;
			ntls += r == OPT_LISTEN;
			break;
		case OPT_NAME:
			if (nnames == CASERVE_MAX_NAMES)
				return cli_usage("ca serve", "at most %d --name",
				    CASERVE_MAX_NAMES);
			names[nnames++] = v;
			break;
		case OPT_TIMEOUT:
			if (args_number(&a, "timeout", v, 1, 3600, &timeout)
			    == -1)
				return EXIT_USAGE;
			break;
		case OPT_PENDING_DAYS:
			if (args_number(&a, "pending-days", v, 1,
			    ENROLL_PENDING_TTL_MAX / 86400, &pdays) == -1)
				return EXIT_USAGE;
			break;
		case OPT_TLS_KEY:
			if (strcmp(v, "rsa") != 0 && strcmp(v, "p256") != 0)
				return cli_usage("ca serve", "--tls-key %s: use "
				    "p256 or rsa", v);
			s.tls_rsa = strcmp(v, "rsa") == 0;
			break;
		}
	}
	if (r == -1)
		return rc;
	err_clear(&e);
	ws_init(&ws);
	loop_init(&l);
	if (cliutil_ws(cli, &ws, &e) == -1)
		goto fail;
	if (ntls == 0) {
		dir = ws_ca_dir(&ws, caname);
		sock = xasprintf("unix:%s/ca.sock", dir);
		free(dir);
		rc = serve_listen(lsn, &n, sock, &s.tls, "listen");
		free(sock);
		if (rc != EXIT_OK)
			goto out;
	}
	if (cliutil_passphrase(cli, "CA", caname, 0, &pass, &e) == -1)
		goto fail;
	if (caserve_open(&s, &ws, caname, pass.s, pass.len, names, nnames,
	    (int64_t)time(NULL), &e) == -1)
		goto fail;
	passphrase_free(&pass);
	/* A replay of the batch journal a crash left, a torn tail of it. */
	if (s.start_note.len > 0)
		fprintf(stderr, "%s", (const char *)s.start_note.data);
	s.en.pending_ttl = (int64_t)pdays * 86400;
	memset(&conf, 0, sizeof conf);
	conf.listen = lsn;
	conf.nlisten = n;
	conf.handler = caserve_handle;
	conf.ctx = &s;
	conf.request_ms = conf.idle_ms = (int)timeout * 1000;
	conf.ready = serve_ready;
	conf.log = serve_log;
	printf("CA '%s' fingerprint %s\n", caname, s.fpr);
	fflush(stdout);
	loop_catch_signals();
	roles_reg_init(&serve_reg, &ws, ROLES_CA_SERVICE, caname, n);
	serve_lsn = lsn;
	if ((srv = httpsrv_start(&conf, &l, &e)) == NULL)
		goto fail;
	if (caserve_attach(&s, &l, srv, &e) == -1) {
		httpsrv_stop(srv);
		goto fail;
	}
	while (!loop_signalled())
		if (loop_once(&l, -1, &e) == -1)
			break;
	caserve_detach(&s);
	httpsrv_stop(srv);
	roles_reg_clear(&serve_reg);
	fprintf(stderr, "stopped\n");
	if (e.kind != ERR_NONE)
		goto fail;
	goto out;
fail:
	rc = cli_fail(&e);
out:
	roles_reg_clear(&serve_reg);
	passphrase_free(&pass);
	loop_clear(&l);
	caserve_clear(&s);
	ws_clear(&ws);
	return rc;
}
