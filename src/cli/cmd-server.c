/* cmd-server.c — `server run`: the TLS server role, headless. What it
 * accepts and does is its entry's usage and help, below. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/args.h"
#include "cli/cliutil.h"
#include "cli/cliutil-tls.h"
#include "cli/cmdtls.h"
#include "net/loop.h"
#include "role/peerstatus.h"
#include "role/server.h"
#include "store/roles.h"
#include "role/workers.h"

enum {
	OPT_LISTEN = 1, OPT_CA, OPT_CLIENT_AUTH, OPT_TLS, OPT_TIMEOUT,
	OPT_IDLE, OPT_TRACE, OPT_CRL, OPT_KX, OPT_CIPHERS, OPT_GROUPS,
	OPT_STATUS, OPT_STATUS_VIA, OPT_STATUS_CACHE, OPT_WORKERS, OPT_RSL,
};

#define SERVER_STATUS_CACHE 60

static const struct args_opt server_run_opts[] = {
	{ .id = OPT_LISTEN, .name = "listen", .has_value = 1 },
	{ .id = OPT_CA, .name = "ca", .has_value = 1 },
	{ .id = OPT_CLIENT_AUTH, .name = "client-auth", .has_value = 1 },
	{ .id = OPT_TLS, .name = "tls", .has_value = 1 },
	{ .id = OPT_TIMEOUT, .name = "timeout", .has_value = 1 },
	{ .id = OPT_IDLE, .name = "idle-timeout", .has_value = 1 },
	{ .id = OPT_TRACE, .name = "trace", .has_value = 0 },
	{ .id = OPT_CRL, .name = "crl", .has_value = 1 },
	{ .id = OPT_KX, .name = "kx", .has_value = 1 },
	{ .id = OPT_CIPHERS, .name = "ciphers", .has_value = 1 },
	{ .id = OPT_GROUPS, .name = "groups", .has_value = 1 },
	{ .id = OPT_STATUS, .name = "status", .has_value = 1 },
	{ .id = OPT_STATUS_VIA, .name = "status-via", .has_value = 1 },
	{ .id = OPT_STATUS_CACHE, .name = "status-cache", .has_value = 1 },
	{ .id = OPT_WORKERS, .name = "workers", .has_value = 1 },
	{ .id = OPT_RSL, .name = "record-size-limit", .has_value = 1 },
	{ .id = 0 },
};

static cli_fn cmd_server_run;

const struct cli_cmd cmd_server_run_entry = {
	.name = "server run",
	.summary = "serve TLS 1.3 / 1.2 clients (line service)",
	.usage =
"server run NAME --listen ADDR [--ca FILE]\n"
"[--client-auth none|optional|require]\n"
"[--crl FILE]... [--status ADDR]\n"
"[--status-via ocsp|crl] [--status-cache S]\n"
"[--tls 1.2|1.3|any]\n"
"[--kx rsa|ecdhe|any] [--ciphers LIST]\n"
"[--groups LIST] [--timeout N]\n"
"[--idle-timeout N] [--trace] [--workers N]\n"
"[--record-size-limit N]",
	.help =
"Runs entity NAME as a TLS application server (its keystore's key and\n"
"certificate chain; the passphrase unlocks the key) until SIGINT or\n"
"SIGTERM. TLS 1.3 and TLS 1.2 (extended master secret required). Cipher\n"
"suites, in the order the server prefers them: TLS_AES_128_GCM_SHA256,\n"
"TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256,\n"
"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, _AES_256_GCM_SHA384,\n"
"_CHACHA20_POLY1305_SHA256 (a P-256 key), TLS_ECDHE_RSA_WITH_ the same,\n"
"TLS_RSA_WITH_AES_128_GCM_SHA256 (an RSA key). Groups\n"
"x25519 then secp256r1 (a client that sent a key share for one of them\n"
"keeps it; one that supports but sent none gets a HelloRetryRequest).\n"
"Signatures rsa_pss_rsae_sha256/384/512, and rsa_pkcs1_sha256/384/512 in\n"
"TLS 1.2, with an RSA key; ecdsa_secp256r1_sha256 with a P-256 key.\n"
"Many clients are served at once from one poll loop per worker. The\n"
"service is line-based: WHOAMI (the client's certificate subject, or\n"
"anonymous), ECHO text, TIME, QUIT; other lines get an ERR line. Prints\n"
"\"listening on ADDR\" on standard output once ready, one line per\n"
"connection event on standard error. SSLKEYLOGFILE, when set, receives\n"
"the TLS secrets.\n"
"\n"
"  --listen ADDR      unix:PATH or tcp:HOST:PORT (tcp:PORT is 127.0.0.1;\n"
"                     port 0 picks a free port)\n"
"  --ca FILE          trust anchors for client certificates\n"
"  --client-auth M    none (default), optional or require a client\n"
"                     certificate (optional and require need --ca)\n"
"  --crl FILE         refuse client certificates revoked on this CRL (PEM\n"
"                     or DER, checked like `verify --crl`); repeatable\n"
"  --status ADDR      ask the CA service (unix:PATH, tcp:HOST:PORT or\n"
"                     http://HOST:PORT) about each client certificate\n"
"                     once the handshake is done, before reading\n"
"                     anything: a revoked or unknown one is refused with\n"
"                     the reason (logged, and sent as \"ERR refused:\n"
"                     WHY\"); no answer refuses too. Needs --ca\n"
"                     (the CA, which also signs the service's TLS\n"
"                     certificate)\n"
"  --status-via M     ocsp (default: one OCSP request per certificate,\n"
"                     the answer cached until its nextUpdate) or crl\n"
"                     (the CA's CRL, fetched again when older than\n"
"                     --status-cache)\n"
"  --status-cache S   seconds an OCSP answer is kept at most, or the CRL\n"
"                     before it is fetched again (60; 0: ask every time)\n"
"  --tls V            1.2, 1.3 or any (default)\n"
"  --kx K             TLS 1.2 key exchange: rsa, ecdhe or any (default)\n"
"  --ciphers LIST     cipher suites allowed, IANA names separated by ':'\n"
"                     or ',', in the server's order of preference\n"
"  --groups LIST      key exchange groups (x25519, secp256r1 alias P-256),\n"
"                     in the server's order of preference\n"
"  --timeout N        seconds a client has to finish the handshake (10)\n"
"  --idle-timeout N   seconds a connection may stay silent (300)\n"
"  --trace            print every handshake message decoded, per connection\n"
"  --workers N        worker processes sharing the listening socket and the\n"
"                     session ticket keys (default: the number of CPUs);\n"
"                     one that dies is replaced\n"
"  --record-size-limit N\n"
"                     the largest record we take, as RFC 8449 counts it\n"
"                     (64 to 16385; in TLS 1.3 the content type byte is\n"
"                     in it, TLS 1.2 caps it at 16384), sent to clients\n"
"                     that send their own limit (--trace shows both)\n",
	.opts = server_run_opts,
	.fn = cmd_server_run,
};

/* Listening, the server enters the workspace's registry of running roles
 * (store/roles.h) so that other processes (a UI) find it. */
static void
server_ready(void *ctx, const char *addr)
{
	struct err e;

	printf("listening on %s\n", addr);
	fflush(stdout);
	if (roles_reg_ready(ctx, 1, addr, &e) == -1)
		fprintf(stderr, "warning: not in the registry: %s\n", e.msg);
}

static void
server_trace(void *ctx, unsigned id, const char *line)
{
	(void)ctx;
	fprintf(stderr, "[%u] %s\n", id, line);
}

static int
server_peer_check(void *ctx, unsigned id, const struct tls_engine *t,
    char *why, size_t whylen)
{
	(void)id;
	if (t->peer_chain.n == 0)
		return 0;	/* anonymous: --client-auth says whether allowed */
	return peerstatus_check(ctx, &t->peer_chain.v[0], &t->peer_chain,
	    (int64_t)time(NULL), why, whylen) != PEERSTATUS_GOOD;
}

static int
cmd_server_run(struct cli *cli, int argc, char **argv)
{
	struct args a;
	struct err e;
	struct cliutil_tls t;
	struct cmdtls_crls crls;
	struct tls_config cfg;
	struct server_conf sc;
	uint16_t suites[TLS_MAX_SUITES], groups[TLS_MAX_GROUPS];
	struct peerstatus ps;
	enum peerstatus_mode via = PEERSTATUS_OCSP;
	struct roles_reg reg;
	struct ws ws;
	const char *v, *name = NULL, *listen = NULL, *ca = NULL;
	const char *status = NULL;
	long timeout = 10, idle = 300, cache = SERVER_STATUS_CACHE, rsl;
	long workers = (long)workers_default();
	int r, rc, cnt, trace = 0;

	memset(&cfg, 0, sizeof cfg);
	cfg.is_server = 1;
	cfg.min_version = TLS_VERSION_12;
	cfg.max_version = TLS_VERSION_13;
	cmdtls_crls_init(&crls);
	args_init(&a, cli, "server run", server_run_opts, argc, argv);
	while ((r = args_next(&a, &v)) != ARGS_END) {
		switch (r) {
		case ARGS_HELP:
			return EXIT_OK;
		case ARGS_ERROR:
			return EXIT_USAGE;
		case ARGS_OPERAND:
			if (name != NULL)
				return cli_usage("server run",
				    "unexpected argument '%s'", v);
			name = v;
			break;
		case OPT_LISTEN:
			listen = v;
			break;
		case OPT_CA:
			ca = v;
			break;
		case OPT_CLIENT_AUTH:
			if (strcmp(v, "none") == 0)
				cfg.client_auth = TLS_AUTH_NONE;
			else if (strcmp(v, "optional") == 0)
				cfg.client_auth = TLS_AUTH_OPTIONAL;
			else if (strcmp(v, "require") == 0)
				cfg.client_auth = TLS_AUTH_REQUIRE;
			else
				return cli_usage("server run", "--client-auth: "
				    "none, optional or require, not '%s'", v);
			break;
		case OPT_TLS:
			if (strcmp(v, "1.2") == 0)
				cfg.max_version = TLS_VERSION_12;
			else if (strcmp(v, "1.3") == 0)
				cfg.min_version = TLS_VERSION_13;
			else if (strcmp(v, "any") != 0)
				return cli_usage("server run", "--tls: 1.2, 1.3 "
				    "or any, not '%s'", v);
			break;
		case OPT_KX:
			if (strcmp(v, "rsa") == 0)
				cfg.kx12 = TLS_KX12_RSA;
			else if (strcmp(v, "ecdhe") == 0)
				cfg.kx12 = TLS_KX12_ECDHE;
			else if (strcmp(v, "any") != 0)
				return cli_usage("server run", "--kx: rsa, ecdhe "
				    "or any, not '%s'", v);
			break;
		case OPT_CIPHERS:
			if ((cnt = tls_suites_parse(v, suites, TLS_MAX_SUITES,
			    &e)) == -1)
				return cli_usage("server run", "--ciphers: %s",
				    e.msg);
			cfg.suites = suites;
			cfg.nsuites = (size_t)cnt;
			break;
		case OPT_GROUPS:
			if ((cnt = tls_groups_parse(v, groups, TLS_MAX_GROUPS,
			    &e)) == -1)
				return cli_usage("server run", "--groups: %s",
				    e.msg);
			cfg.groups = groups;
			cfg.ngroups = (size_t)cnt;
			break;
		case OPT_TIMEOUT:
			if (args_number(&a, "timeout", v, 1, 3600, &timeout)
			    == -1)
				return EXIT_USAGE;
			break;
		case OPT_IDLE:
			if (args_number(&a, "idle-timeout", v, 1, 86400, &idle)
			    == -1)
				return EXIT_USAGE;
			break;
		case OPT_TRACE:
			trace = 1;
			break;
		case OPT_WORKERS:
			if (args_number(&a, "workers", v, 1, 256, &workers)
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
			if ((rc = cmdtls_crls_add(&crls, "server run", v)) != 0)
				return rc;
			break;
		case OPT_STATUS:
			status = v;
			break;
		case OPT_STATUS_VIA:
			if (strcmp(v, "ocsp") == 0)
				via = PEERSTATUS_OCSP;
			else if (strcmp(v, "crl") == 0)
				via = PEERSTATUS_CRL;
			else
				return cli_usage("server run", "--status-via: "
				    "ocsp or crl, not '%s'", v);
			break;
		case OPT_STATUS_CACHE:
			if (args_number(&a, "status-cache", v, 0, 86400,
			    &cache) == -1)
				return EXIT_USAGE;
			break;
		}
	}
	if (name == NULL)
		return cli_usage("server run", "missing NAME");
	if (listen == NULL)
		return cli_usage("server run", "missing --listen ADDR");
	if (cfg.client_auth != TLS_AUTH_NONE && ca == NULL)
		return cli_usage("server run", "--client-auth %s needs --ca "
		    "FILE (the CA that issues client certificates)",
		    cfg.client_auth == TLS_AUTH_REQUIRE ? "require" :
		    "optional");

	if (crls.n > 0 && ca == NULL)
		return cli_usage("server run", "--crl needs --ca (CRLs are for "
		    "client certificates)");
	if ((cfg.min_version > TLS_VERSION_12 ||
	    tls_config_suites(&cfg, TLS_VERSION_12) == 0) &&
	    (cfg.max_version < TLS_VERSION_13 ||
	    tls_config_suites(&cfg, TLS_VERSION_13) == 0))
		return cli_usage("server run", "no cipher suite left for the "
		    "TLS versions and key exchange allowed");
	if (status != NULL && ca == NULL)
		return cli_usage("server run", "--status needs --ca (the CA "
		    "whose clients are checked)");
	err_clear(&e);
	cliutil_tls_init(&t);
	ws_init(&ws);
	memset(&reg, 0, sizeof reg);
	memset(&sc, 0, sizeof sc);
	memset(&ps, 0, sizeof ps);
	crl_init(&ps.crl);
	rc = EXIT_OK;
	if (addr_parse(&sc.addr, listen, &e) == -1) {
		rc = cli_usage("server run", "--listen %s", e.msg);
		goto out;
	}
	if (status != NULL && peerstatus_init(&ps, status, via, &t.anchors,
	    10, (int)cache, &e) == -1) {
		rc = cli_usage("server run", "--status %s", e.msg);
		goto out;
	}
	if (cliutil_tls_load(&t, cli, name, ca, &crls, &cfg, &e) == -1)
		goto fail;
	sc.tls = &cfg;
	sc.handshake_timeout = (int)timeout;
	sc.idle_timeout = (int)idle;
	sc.log = stderr;
	sc.ready = server_ready;
	if (cliutil_ws(cli, &ws, &e) == -1)
		goto fail;
	roles_reg_init(&reg, &ws, ROLES_SERVER, name, 1);
	sc.ready_ctx = &reg;
	sc.trace = trace ? server_trace : NULL;
	sc.keylog = t.keylog != NULL ? cmdtls_keylog_write : NULL;
	sc.cb_ctx = t.keylog;
	if (status != NULL) {
		sc.peer_check = server_peer_check;
		sc.peer_ctx = &ps;
	}
	loop_catch_signals();
	if (server_run_workers(&sc, (unsigned)workers, &e) == -1)
		goto fail;
	goto out;
fail:
	rc = cli_fail(&e);
out:
	peerstatus_clear(&ps);
	roles_reg_clear(&reg);
	ws_clear(&ws);
	cliutil_tls_clear(&t);
	cmdtls_crls_clear(&crls);
	return rc;
}
