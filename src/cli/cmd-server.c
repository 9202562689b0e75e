/* cmd-server.c — `server run NAME --listen ADDR [--ca FILE]
 * [--client-auth none|optional|require] [--tls 1.2|1.3|any]
 * [--kx rsa|ecdhe|any] [--crl FILE]... [--timeout N] [--idle-timeout N]
 * [--trace]`. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/args.h"
#include "cli/cliutil.h"
#include "cli/passphrase.h"
#include "net/loop.h"
#include "role/entity.h"
#include "role/server.h"
#include "util/xalloc.h"
#include "x509/crl.h"

#define SERVER_MAX_CRLS 16

enum {
	OPT_LISTEN = 1, OPT_CA, OPT_CLIENT_AUTH, OPT_TLS, OPT_TIMEOUT,
	OPT_IDLE, OPT_TRACE, OPT_CRL, OPT_KX,
};

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
	{ .id = 0 },
};

static void
server_ready(void *ctx, const char *addr)
{
	(void)ctx;
	printf("listening on %s\n", addr);
	fflush(stdout);
}

static void
server_trace(void *ctx, unsigned id, const char *line)
{
	(void)ctx;
	fprintf(stderr, "[%u] %s\n", id, line);
}

static void
server_keylog(void *ctx, const char *line)
{
	FILE *f = ctx;

	fprintf(f, "%s\n", line);
	fflush(f);
}

/* SSLKEYLOGFILE, appended to, created 0600, never through a symlink. */
static FILE *
server_open_keylog(struct err *e)
{
	const char *path = getenv("SSLKEYLOGFILE");
	FILE *f;
	int fd;

	if (path == NULL || *path == '\0')
		return NULL;
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW |
	    O_CLOEXEC, 0600);
	if (fd == -1 || (f = fdopen(fd, "a")) == NULL) {
		err_set(e, ERR_IO, "SSLKEYLOGFILE %s: %s", path,
		    strerror(errno));
		if (fd != -1)
			close(fd);
		return NULL;
	}
	cliutil_note("writing TLS secrets to SSLKEYLOGFILE %s", path);
	return f;
}

int
cmd_server_run(struct cli *cli, int argc, char **argv)
{
	struct args a;
	struct ws ws;
	struct err e;
	struct passphrase pass = { NULL, 0 };
	struct keystore ks;
	struct rsakey key;
	struct cert_list chain, anchors;
	struct tls_config cfg;
	struct server_conf sc;
	const char *v, *name = NULL, *listen = NULL, *ca = NULL;
	char *prompt = NULL;
	long timeout = 10, idle = 300;
	const char *crlfiles[SERVER_MAX_CRLS];
	struct crl crls[SERVER_MAX_CRLS];
	const struct crl *crlp[SERVER_MAX_CRLS];
	size_t ncrls = 0, i;
	int r, rc, trace = 0;
	FILE *keylog = NULL;

	memset(&cfg, 0, sizeof cfg);
	cfg.is_server = 1;
	cfg.min_version = TLS_VERSION_12;
	cfg.max_version = TLS_VERSION_13;
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
				cfg.tls12_suite = TLS_SUITE_RSA_AES128_GCM;
			else if (strcmp(v, "ecdhe") == 0)
				cfg.tls12_suite = TLS_SUITE_ECDHE_RSA_AES128_GCM;
			else if (strcmp(v, "any") != 0)
				return cli_usage("server run", "--kx: rsa, ecdhe "
				    "or any, not '%s'", v);
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
		case OPT_CRL:
			if (ncrls == SERVER_MAX_CRLS)
				return cli_usage("server run", "at most %d --crl "
				    "files", SERVER_MAX_CRLS);
			crlfiles[ncrls++] = v;
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

	if (ncrls > 0 && ca == NULL)
		return cli_usage("server run", "--crl needs --ca (CRLs are for "
		    "client certificates)");
	err_clear(&e);
	for (i = 0; i < SERVER_MAX_CRLS; i++)
		crl_init(&crls[i]);
	ws_init(&ws);
	keystore_init(&ks);
	rsakey_init(&key);
	cert_list_init(&chain);
	cert_list_init(&anchors);
	memset(&sc, 0, sizeof sc);
	rc = EXIT_OK;
	if (addr_parse(&sc.addr, listen, &e) == -1) {
		rc = cli_usage("server run", "--listen %s", e.msg);
		goto out;
	}
	if (ca != NULL && cert_list_load_file(&anchors, ca, &e) == -1)
		goto fail;
	for (i = 0; i < ncrls; i++) {
		if (crl_load_file(&crls[i], crlfiles[i], &e) == -1)
			goto fail;
		crlp[i] = &crls[i];
	}
	cfg.crls = crlp;
	cfg.crl_names = crlfiles;
	cfg.ncrls = ncrls;
	if (cliutil_ws(cli, &ws, &e) == -1 || ws_check_name(name, &e) == -1)
		goto fail;
	if (!keystore_exists(&ws, name)) {
		err_set(&e, ERR_USAGE, "no keystore '%s'", name);
		goto fail;
	}
	prompt = xasprintf("Passphrase for keystore '%s'", name);
	if (passphrase_get(cli, NULL, prompt, 0, &pass, &e) == -1)
		goto fail;
	if (entity_unlock(&ws, name, pass.s, pass.len, &ks, &key, &e) == -1)
		goto fail;
	if (ks.cert_pem == NULL) {
		err_set(&e, ERR_REFUSED, "entity '%s' has no certificate yet "
		    "(import one issued by the CA)", name);
		goto fail;
	}
	if (cert_list_load(&chain, (const uint8_t *)ks.cert_pem,
	    strlen(ks.cert_pem), &e) == -1) {
		err_wrap(&e, "keystore '%s'", name);
		goto fail;
	}
	keylog = server_open_keylog(&e);
	if (keylog == NULL && e.kind != ERR_NONE)
		goto fail;
	cfg.chain = &chain;
	cfg.key = &key;
	cfg.anchors = ca != NULL ? &anchors : NULL;
	sc.tls = &cfg;
	sc.handshake_timeout = (int)timeout;
	sc.idle_timeout = (int)idle;
	sc.log = stderr;
	sc.ready = server_ready;
	sc.trace = trace ? server_trace : NULL;
	sc.keylog = keylog != NULL ? server_keylog : NULL;
	sc.cb_ctx = keylog;
	loop_catch_signals();
	if (server_run(&sc, &e) == -1)
		goto fail;
	goto out;
fail:
	rc = cli_fail(&e);
out:
	if (keylog != NULL)
		fclose(keylog);
	free(prompt);
	passphrase_free(&pass);
	cert_list_clear(&chain);
	cert_list_clear(&anchors);
	for (i = 0; i < SERVER_MAX_CRLS; i++)
		crl_clear(&crls[i]);
	rsakey_clear(&key);
	keystore_clear(&ks);
	ws_clear(&ws);
	return rc;
}
