/* cmd-client.c — `client connect`: the TLS client role, headless. What it
 * accepts and does is its entry's usage and help, below. */
#include <stdio.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cliutil-tls.h"
#include "cli/cmdsess.h"
#include "cli/cliutil-wait.h"
#include "cli/cmdtls.h"
#include "net/loop.h"
#include "role/client.h"

enum {
	OPT_CA = 1, OPT_SERVER_NAME, OPT_TLS, OPT_KX, OPT_SEND, OPT_TIMEOUT,
	OPT_TRACE, OPT_CRL, OPT_CIPHERS, OPT_GROUPS,
	OPT_SESS_IN, OPT_SESS_OUT, OPT_RECONNECT, OPT_RSL,
};

static const struct args_opt client_connect_opts[] = {
	{ .id = OPT_CA, .name = "ca", .has_value = 1 },
	{ .id = OPT_SERVER_NAME, .name = "server-name", .has_value = 1 },
	{ .id = OPT_TLS, .name = "tls", .has_value = 1 },
	{ .id = OPT_KX, .name = "kx", .has_value = 1 },
	{ .id = OPT_SEND, .name = "send", .has_value = 1 },
	{ .id = OPT_TIMEOUT, .name = "timeout", .has_value = 1 },
	{ .id = OPT_TRACE, .name = "trace", .has_value = 0 },
	{ .id = OPT_CRL, .name = "crl", .has_value = 1 },
	{ .id = OPT_CIPHERS, .name = "ciphers", .has_value = 1 },
	{ .id = OPT_GROUPS, .name = "groups", .has_value = 1 },
	{ .id = OPT_SESS_IN, .name = "sess-in", .has_value = 1 },
	{ .id = OPT_SESS_OUT, .name = "sess-out", .has_value = 1 },
	{ .id = OPT_RECONNECT, .name = "reconnect", .has_value = 1 },
	{ .id = OPT_RSL, .name = "record-size-limit", .has_value = 1 },
	{ .id = 0 },
};

static cli_fn cmd_client_connect;

const struct cli_cmd cmd_client_connect_entry = {
	.name = "client connect",
	.summary = "connect to a server over TLS and send lines",
	.usage =
"client connect [NAME] ADDR --ca FILE\n"
"[--server-name HOST]\n"
"[--tls 1.2|1.3] [--kx rsa|ecdhe]\n"
"[--ciphers LIST] [--groups LIST]\n"
"[--crl FILE]... [--send LINE]...\n"
"[--timeout N] [--trace]\n"
"[--sess-in FILE] [--sess-out FILE] [--reconnect N]\n"
"[--record-size-limit N]",
	.help =
"Connects to a server over TLS (1.3 or 1.2, the server chooses), validates\n"
"its certificate chain against --ca (purpose serverAuth, host name against\n"
"the subjectAltName), sends each --send line (or, without --send, the\n"
"lines of standard input) and prints each answer line. With NAME, entity\n"
"NAME's key and certificate answer a certificate request (client\n"
"authentication); without it the client is anonymous. A server that is\n"
"not up yet (no socket file, connection refused) is waited for, saying\n"
"so on standard error, up to --timeout. Exit 1 when the server is not\n"
"trusted or the handshake fails, with the reason.\n"
"SSLKEYLOGFILE, when set, receives the TLS secrets (NSS key log format).\n"
"\n"
"  --ca FILE          trust anchors for the server's certificate\n"
"  --server-name HOST the name to send (SNI) and check; default the TCP\n"
"                     host; none for unix: addresses\n"
"  --crl FILE         refuse a server certificate revoked on this CRL;\n"
"                     repeatable\n"
"  --tls V            offer only TLS 1.2 or only TLS 1.3\n"
"  --kx K             TLS 1.2 key exchange: rsa (the premaster secret\n"
"                     encrypted to the server's key) or ecdhe;\n"
"                     implies --tls 1.2\n"
"  --ciphers LIST     cipher suites to offer, IANA names separated by ':'\n"
"                     or ',' (default: all, AES-128-GCM first)\n"
"  --groups LIST      key exchange groups to offer (x25519, secp256r1\n"
"                     alias P-256); the TLS 1.3 key share is for the first,\n"
"                     a HelloRetryRequest for another is answered\n"
"  --send LINE        a service line to send; repeatable\n"
"  --timeout N        seconds to wait for the server to come up, for the\n"
"                     handshake and for each answer (10); 0 waits for\n"
"                     the server forever (10 s for the rest)\n"
"  --trace            print every handshake message decoded and the key\n"
"                     schedule steps (never secrets) on standard error\n"
"  --sess-in FILE     offer to resume the TLS session saved in FILE\n"
"  --sess-out FILE    save the server's last session ticket to FILE (mode\n"
"                     0600: it holds the resumption secret)\n"
"  --reconnect N      connect N more times, each resuming the session of\n"
"                     the one before (the --send lines go on each;\n"
"                     standard input on the last)\n"
"  --record-size-limit N\n"
"                     the largest record we take, as RFC 8449 counts it\n"
"                     (64 to 16385; in TLS 1.3 the content type byte is\n"
"                     in it, TLS 1.2 caps it at 16384); the server keeps\n"
"                     to it if it sends its own limit (--trace shows both)\n",
	.opts = client_connect_opts,
	.fn = cmd_client_connect,
};

#define CLIENT_MAX_SEND 256

static void
client_trace(void *ctx, const char *line)
{
	(void)ctx;
	fprintf(stderr, "%s\n", line);
}

static int
cmd_client_connect(struct cli *cli, int argc, char **argv)
{
	struct args a;
	struct err e;
	struct cliutil_tls t;
	struct cmdtls_crls crls;
	struct tls_config cfg;
	struct client_conf cc;
	struct dialwait w;
	const char *v, *ops[2] = { NULL, NULL }, *name = NULL, *addr, *ca = NULL;
	const char *sn = NULL;
	const char *lines[CLIENT_MAX_SEND];
	uint16_t suites[TLS_MAX_SUITES], groups[TLS_MAX_GROUPS];
	size_t nops = 0, nlines = 0;
	long timeout = 10;
	int r, rc, cnt, trace = 0;
	const char *sess_in = NULL, *sess_out = NULL;
	long reconnect = 0, i, rsl;
	struct tls_session sess, got;

	memset(&cfg, 0, sizeof cfg);
	cfg.min_version = TLS_VERSION_12;
	cfg.max_version = TLS_VERSION_13;
	cmdtls_crls_init(&crls);
	args_init(&a, cli, "client connect", client_connect_opts, argc, argv);
	while ((r = args_next(&a, &v)) != ARGS_END) {
		switch (r) {
		case ARGS_HELP:
			return EXIT_OK;
		case ARGS_ERROR:
			return EXIT_USAGE;
		case ARGS_OPERAND:
			if (nops == 2)
				return cli_usage("client connect",
				    "unexpected argument '%s'", v);
			ops[nops++] = v;
			break;
		case OPT_CA:
			ca = v;
			break;
		case OPT_SERVER_NAME:
			sn = v;
			break;
		case OPT_TLS:
			if (strcmp(v, "1.2") == 0)
				cfg.min_version = cfg.max_version =
				    TLS_VERSION_12;
			else if (strcmp(v, "1.3") == 0)
				cfg.min_version = cfg.max_version =
				    TLS_VERSION_13;
			else
				return cli_usage("client connect", "--tls: 1.2 "
				    "or 1.3, not '%s'", v);
			break;
		case OPT_KX:
			if (strcmp(v, "rsa") == 0)
				cfg.kx12 = TLS_KX12_RSA;
			else if (strcmp(v, "ecdhe") == 0)
				cfg.kx12 = TLS_KX12_ECDHE;
			else
				return cli_usage("client connect", "--kx: rsa or "
				    "ecdhe, not '%s'", v);
			break;
		case OPT_CIPHERS:
			if ((cnt = tls_suites_parse(v, suites, TLS_MAX_SUITES,
			    &e)) == -1)
				return cli_usage("client connect", "--ciphers: "
				    "%s", e.msg);
			cfg.suites = suites;
			cfg.nsuites = (size_t)cnt;
			break;
		case OPT_GROUPS:
			if ((cnt = tls_groups_parse(v, groups, TLS_MAX_GROUPS,
			    &e)) == -1)
				return cli_usage("client connect", "--groups: %s",
				    e.msg);
			cfg.groups = groups;
			cfg.ngroups = (size_t)cnt;
			break;
		case OPT_SEND:
			if (nlines == CLIENT_MAX_SEND)
				return cli_usage("client connect", "at most %d "
				    "--send lines", CLIENT_MAX_SEND);
			if (strlen(v) > CLIENT_MAX_LINE)
				return cli_usage("client connect", "--send: a "
				    "line is at most %d bytes, this one has %zu",
				    CLIENT_MAX_LINE, strlen(v));
			lines[nlines++] = v;
			break;
		case OPT_TIMEOUT:
			if (args_number(&a, "timeout", v, 0, 86400, &timeout)
			    == -1)
				return EXIT_USAGE;
			break;
		case OPT_TRACE:
			trace = 1;
			break;
		case OPT_SESS_IN:
			sess_in = v;
			break;
		case OPT_SESS_OUT:
			sess_out = v;
			break;
		case OPT_RECONNECT:
			if (args_number(&a, "reconnect", v, 0, 100, &reconnect)
			    == -1)
				return EXIT_USAGE;
			break;
		case OPT_RSL:
			if (args_number(&a, "record-size-limit", v, TLS_RSL_MIN,
			    TLS_RSL_MAX, &rsl) == -1)
				return EXIT_USAGE;
			cfg.record_limit = (size_t)rsl;
			break;
		case OPT_CRL:
			if ((rc = cmdtls_crls_add(&crls, "client connect", v))
			    != 0)
				return rc;
			break;
		}
	}
	if (nops == 0)
		return cli_usage("client connect", "missing ADDR");
	if (nops == 2)
		name = ops[0];
	addr = ops[nops - 1];
	if (ca == NULL)
		return cli_usage("client connect", "missing --ca FILE (the "
		    "trust anchor for the server's certificate)");
	/* --kx chooses a TLS 1.2 key exchange: it implies TLS 1.2. */
	if (cfg.kx12 != TLS_KX12_ANY) {
		if (cfg.min_version == TLS_VERSION_13)
			return cli_usage("client connect", "--kx is for TLS "
			    "1.2; TLS 1.3 always uses ECDHE (--groups)");
		cfg.max_version = TLS_VERSION_12;
	}
	if ((cfg.min_version > TLS_VERSION_12 ||
	    tls_config_suites(&cfg, TLS_VERSION_12) == 0) &&
	    (cfg.max_version < TLS_VERSION_13 ||
	    tls_config_suites(&cfg, TLS_VERSION_13) == 0))
		return cli_usage("client connect", "no cipher suite left for "
		    "the TLS versions and key exchange allowed%s",
		    tls_config_ecdsa12_ok(&cfg) ? "" : " (TLS 1.2 ECDSA "
		    "suites need secp256r1 in --groups: RFC 8422 5.1)");

	err_clear(&e);
	cliutil_tls_init(&t);
	memset(&cc, 0, sizeof cc);
	memset(&sess, 0, sizeof sess);
	memset(&got, 0, sizeof got);
	rc = EXIT_OK;
	if (addr_parse(&cc.addr, addr, &e) == -1) {
		rc = cli_usage("client connect", "%s", e.msg);
		goto out;
	}
	if (cliutil_tls_load(&t, cli, name, ca, &crls, &cfg, &e) == -1)
		goto fail;
	if (sess_in != NULL) {
		if (cmdsess_load(sess_in, &sess, &e) == -1)
			goto fail;
		cfg.resume = &sess;
	}
	/* The name to check: --server-name, else the TCP host. */
	if (sn == NULL && !cc.addr.unix_path)
		sn = cc.addr.host;
	cfg.server_name = sn;
	cfg.trace = trace ? client_trace : NULL;
	cfg.keylog = t.keylog != NULL ? cmdtls_keylog_write : NULL;
	cfg.cb_ctx = t.keylog;	/* client_trace needs no context */
	cc.tls = &cfg;
	cc.timeout = cliutil_wait(&w, timeout, "the server");
	cc.wait = &w;
	cc.lines = lines;
	cc.nlines = nlines;
	cc.in = nlines == 0 ? stdin : NULL;
	cc.out = stdout;
	cc.log = stderr;
	cc.session_out = &got;
	loop_catch_signals();
	/* Each connection offers the last ticket received (in memory). */
	for (i = 0; i <= reconnect; i++) {
		cc.in = nlines == 0 && i == reconnect ? stdin : NULL;
		if (client_run(&cc, &e) == -1)
			goto fail;
		if (got.ticket_len > 0) {
			sess = got;
			cfg.resume = &sess;
		}
	}
	if (sess_out != NULL) {
		if (got.ticket_len == 0) {
			err_set(&e, ERR_REFUSED, "--sess-out: the server gave no "
			    "session ticket");
			goto fail;
		}
		if (cmdsess_save(sess_out, &got, &e) == -1)
			goto fail;
	}
	goto out;
fail:
	rc = cli_fail(&e);
out:
	explicit_bzero(&sess, sizeof sess);
	explicit_bzero(&got, sizeof got);
	cliutil_tls_clear(&t);
	cmdtls_crls_clear(&crls);
	return rc;
}
