/* cmd-client.c — `client connect [NAME] ADDR --ca FILE [--server-name HOST]
 * [--tls 1.2|1.3] [--kx rsa|ecdhe] [--crl FILE]... [--send LINE]...
 * [--timeout N] [--trace]`. */
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
#include "role/client.h"
#include "role/entity.h"
#include "util/xalloc.h"
#include "x509/crl.h"

enum {
	OPT_CA = 1, OPT_SERVER_NAME, OPT_TLS, OPT_KX, OPT_SEND, OPT_TIMEOUT,
	OPT_TRACE, OPT_CRL,
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
	{ .id = 0 },
};

#define CLIENT_MAX_SEND 256
#define CLIENT_MAX_CRLS 16

static void
client_trace(void *ctx, const char *line)
{
	(void)ctx;
	fprintf(stderr, "%s\n", line);
}

static FILE *client_keylog_file;

static void
client_keylog(void *ctx, const char *line)
{
	(void)ctx;
	fprintf(client_keylog_file, "%s\n", line);
	fflush(client_keylog_file);
}

/* SSLKEYLOGFILE, appended to, created 0600, never through a symlink. */
static FILE *
client_open_keylog(struct err *e)
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
	return f;
}

int
cmd_client_connect(struct cli *cli, int argc, char **argv)
{
	struct args a;
	struct ws ws;
	struct err e;
	struct passphrase pass = { NULL, 0 };
	struct keystore ks;
	struct rsakey key;
	struct cert_list chain, anchors;
	struct tls_config cfg;
	struct client_conf cc;
	const char *v, *ops[2] = { NULL, NULL }, *name = NULL, *addr, *ca = NULL;
	const char *sn = NULL;
	const char **lines;
	size_t nops = 0, nlines = 0;
	char *prompt = NULL;
	long timeout = 10;
	const char *crlfiles[CLIENT_MAX_CRLS];
	struct crl crls[CLIENT_MAX_CRLS];
	const struct crl *crlp[CLIENT_MAX_CRLS];
	size_t ncrls = 0, i;
	int r, rc, trace = 0;

	memset(&cfg, 0, sizeof cfg);
	cfg.min_version = TLS_VERSION_12;
	cfg.max_version = TLS_VERSION_13;
	lines = xcalloc(CLIENT_MAX_SEND, sizeof *lines);
	args_init(&a, cli, "client connect", client_connect_opts, argc, argv);
	while ((r = args_next(&a, &v)) != ARGS_END) {
		switch (r) {
		case ARGS_HELP:
			free(lines);
			return EXIT_OK;
		case ARGS_ERROR:
			free(lines);
			return EXIT_USAGE;
		case ARGS_OPERAND:
			if (nops == 2) {
				free(lines);
				return cli_usage("client connect",
				    "unexpected argument '%s'", v);
			}
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
			else {
				free(lines);
				return cli_usage("client connect", "--tls: 1.2 "
				    "or 1.3, not '%s'", v);
			}
			break;
		case OPT_KX:
			if (strcmp(v, "rsa") == 0)
				cfg.tls12_suite = TLS_SUITE_RSA_AES128_GCM;
			else if (strcmp(v, "ecdhe") == 0)
				cfg.tls12_suite = TLS_SUITE_ECDHE_RSA_AES128_GCM;
			else {
				free(lines);
				return cli_usage("client connect", "--kx: rsa or "
				    "ecdhe, not '%s'", v);
			}
			break;
		case OPT_SEND:
			if (nlines == CLIENT_MAX_SEND) {
				free(lines);
				return cli_usage("client connect", "at most %d "
				    "--send lines", CLIENT_MAX_SEND);
			}
			lines[nlines++] = v;
			break;
		case OPT_TIMEOUT:
			if (args_number(&a, "timeout", v, 1, 3600, &timeout)
			    == -1) {
				free(lines);
				return EXIT_USAGE;
			}
			break;
		case OPT_TRACE:
			trace = 1;
			break;
		case OPT_CRL:
			if (ncrls == CLIENT_MAX_CRLS) {
				free(lines);
				return cli_usage("client connect", "at most %d "
				    "--crl files", CLIENT_MAX_CRLS);
			}
			crlfiles[ncrls++] = v;
			break;
		}
	}
	if (nops == 0) {
		free(lines);
		return cli_usage("client connect", "missing ADDR");
	}
	if (nops == 2)
		name = ops[0];
	addr = ops[nops - 1];
	if (ca == NULL) {
		free(lines);
		return cli_usage("client connect", "missing --ca FILE (the "
		    "trust anchor for the server's certificate)");
	}
	/* --kx chooses a TLS 1.2 key exchange: it implies TLS 1.2. */
	if (cfg.tls12_suite != 0) {
		if (cfg.min_version == TLS_VERSION_13) {
			free(lines);
			return cli_usage("client connect", "--kx is for TLS "
			    "1.2; TLS 1.3 always uses x25519");
		}
		cfg.max_version = TLS_VERSION_12;
	}

	err_clear(&e);
	for (i = 0; i < CLIENT_MAX_CRLS; i++)
		crl_init(&crls[i]);
	ws_init(&ws);
	keystore_init(&ks);
	rsakey_init(&key);
	cert_list_init(&chain);
	cert_list_init(&anchors);
	memset(&cc, 0, sizeof cc);
	rc = EXIT_OK;
	if (addr_parse(&cc.addr, addr, &e) == -1) {
		rc = cli_usage("client connect", "%s", e.msg);
		goto out;
	}
	if (cert_list_load_file(&anchors, ca, &e) == -1)
		goto fail;
	for (i = 0; i < ncrls; i++) {
		if (crl_load_file(&crls[i], crlfiles[i], &e) == -1)
			goto fail;
		crlp[i] = &crls[i];
	}
	cfg.crls = crlp;
	cfg.crl_names = crlfiles;
	cfg.ncrls = ncrls;
	if (name != NULL) {
		if (cliutil_ws(cli, &ws, &e) == -1 ||
		    ws_check_name(name, &e) == -1)
			goto fail;
		if (!keystore_exists(&ws, name)) {
			err_set(&e, ERR_USAGE, "no keystore '%s'", name);
			goto fail;
		}
		prompt = xasprintf("Passphrase for keystore '%s'", name);
		if (passphrase_get(cli, NULL, prompt, 0, &pass, &e) == -1 ||
		    entity_unlock(&ws, name, pass.s, pass.len, &ks, &key,
		    &e) == -1)
			goto fail;
		if (ks.cert_pem == NULL) {
			err_set(&e, ERR_REFUSED, "entity '%s' has no "
			    "certificate yet", name);
			goto fail;
		}
		if (cert_list_load(&chain, (const uint8_t *)ks.cert_pem,
		    strlen(ks.cert_pem), &e) == -1)
			goto fail;
		cfg.chain = &chain;
		cfg.key = &key;
	}
	/* The name to check: --server-name, else the TCP host. */
	if (sn == NULL && !cc.addr.unix_path)
		sn = cc.addr.host;
	cfg.server_name = sn;
	cfg.anchors = &anchors;
	cfg.trace = trace ? client_trace : NULL;
	client_keylog_file = client_open_keylog(&e);
	if (client_keylog_file == NULL && e.kind != ERR_NONE)
		goto fail;
	cfg.keylog = client_keylog_file != NULL ? client_keylog : NULL;
	cc.tls = &cfg;
	cc.timeout = (int)timeout;
	cc.lines = lines;
	cc.nlines = nlines;
	cc.in = nlines == 0 ? stdin : NULL;
	cc.out = stdout;
	cc.log = stderr;
	loop_catch_signals();
	if (client_run(&cc, &e) == -1)
		goto fail;
	goto out;
fail:
	rc = cli_fail(&e);
out:
	if (client_keylog_file != NULL)
		fclose(client_keylog_file);
	client_keylog_file = NULL;
	free(prompt);
	free(lines);
	passphrase_free(&pass);
	cert_list_clear(&chain);
	cert_list_clear(&anchors);
	for (i = 0; i < CLIENT_MAX_CRLS; i++)
		crl_clear(&crls[i]);
	rsakey_clear(&key);
	keystore_clear(&ks);
	ws_clear(&ws);
	return rc;
}
