/* cmd-server-register.c — `server register`: the application server gets
 * its certificate from the CA service (EST, as `client enroll`), under the
 * server profile, and keeps it in its keystore for `server run`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/args.h"
#include "cli/cliutil.h"
#include "cli/cliutil-est.h"
#include "cli/passphrase.h"
#include "net/loop.h"
#include "role/entity.h"
#include "role/estclient.h"
#include "store/ws.h"

/* What a server is reached by in the classroom: over a Unix socket (no
 * name checked) or loopback TCP. */
#define SERVER_REG_SAN "DNS:localhost,IP:127.0.0.1"

static const struct args_opt server_register_opts[] = {
	CLIUTIL_EST_OPTS,
	{ .id = 0 },
};

static cli_fn cmd_server_register;

const struct cli_cmd cmd_server_register_entry = {
	.name = "server register",
	.summary = "get the server's certificate from the CA service (EST)",
	.usage =
"server register NAME --ca ADDR\n"
"[--ca-fingerprint SHA256:HEX] [--anchor FILE]\n"
"[--token T] [--subject DN] [--san LIST]\n"
"[--wait] [--timeout S]",
	.help =
"Registers entity NAME as an application server with the CA service:\n"
"the EST enrollment of client enroll (trust in the CA from\n"
"--ca-fingerprint or --anchor, a new 2048-bit key in keystore NAME under\n"
"the passphrase, a request sent with the token), for a server\n"
"certificate: the token must be one of `ca token new --profile server`\n"
"(or the operator approves the request as server). The certificate\n"
"returned is checked for the purpose serverAuth against the CA before\n"
"NAME is said to be registered; `server run NAME` then presents it. A CA\n"
"service that is not up yet is waited for, saying so on standard error,\n"
"up to --timeout. Exit 0 when registered; 1 when the CA refused, the\n"
"certificate is not a server's, or the request is pending; 2 for a usage\n"
"error; 3 for a transport failure.\n"
"\n"
"  --ca ADDR              the CA service: unix:PATH or tcp:HOST:PORT\n"
"  --ca-fingerprint FP    SHA256:HEX of the CA certificate\n"
"  --anchor FILE          trust these CA certificates instead (or too)\n"
"  --token T              the one-time token the CA operator gave\n"
"  --subject DN           the subject asked (default CN=NAME)\n"
"  --san LIST             names the clients will reach it by (default\n"
"                         " SERVER_REG_SAN ")\n"
"  --wait                 poll a pending request until it is decided\n"
"  --timeout S            seconds to wait for the service to come up (0:\n"
"                         forever), for each answer (10) and with --wait\n"
"                         for the whole wait (300)\n",
	.opts = server_register_opts,
	.fn = cmd_server_register,
};

/* The certificate stored must serve TLS: a chain to the CA with the
 * purpose serverAuth. ERR_REFUSED naming the failed check otherwise. */
static int
server_register_check(const struct ws *ws, const char *name,
    const struct cert_list *ca, struct err *e)
{
	struct cert_list chain;
	struct verify_params p;
	struct verify_result res;
	int rc = -1;

	cert_list_init(&chain);
	verify_result_init(&res);
	if (entity_load_chain(ws, name, &chain, e) == -1)
		goto out;
	memset(&p, 0, sizeof p);
	p.anchors = ca;
	p.untrusted = &chain;
	p.purpose = VERIFY_PURPOSE_SERVER;
	p.at = (int64_t)time(NULL);
	if (verify_chain(&chain.v[0], &p, &res) == -1) {
		err_set(e, ERR_REFUSED, "the certificate the CA issued cannot "
		    "serve TLS (%s); ask for a token made with `ca token new "
		    "--profile server`", res.reason);
		goto out;
	}
	rc = 0;
out:
	verify_result_clear(&res);
	cert_list_clear(&chain);
	return rc;
}

static int
cmd_server_register(struct cli *cli, int argc, char **argv)
{
	struct args a;
	struct err e;
	struct ws ws;
	struct passphrase pass = { NULL, 0 };
	struct cliutil_est o;
	struct estclient_enroll_conf conf;
	struct estclient_enroll en;
	struct estclient_issued got;
	struct dialwait dw;
	struct cert_list anchors;
	struct dn subject;
	struct san_list san;
	char cn[300], until[32], fp[3 * ESTCLIENT_FP_SIZE];
	int r, rc = EXIT_OK;

	args_init(&a, cli, "server register", server_register_opts, argc,
	    argv);
	cliutil_est_init(&o, "server register");
	o.santext = SERVER_REG_SAN;
	o.short_steps = 1;
	if (cliutil_est_args(&a, &o, NULL, NULL, &rc) == -1)
		return rc;
	if (o.subj == NULL) {
		snprintf(cn, sizeof cn, "CN=%s", o.name);
		o.subj = cn;
	}

	err_clear(&e);
	ws_init(&ws);
	cert_list_init(&anchors);
	dn_init(&subject);
	san_list_init(&san);
	memset(&conf, 0, sizeof conf);
	cliutil_est_conf(&o, &conf, &dw, &anchors);
	conf.bits = 2048;
	estclient_enroll_init(&en, &conf);
	if ((rc = cliutil_est_names(&o, &subject, &san)) != EXIT_OK)
		goto out;
	if (cliutil_ws(cli, &ws, &e) == -1 || ws_check_name(o.name, &e) == -1)
		goto fail;
	if (o.anchor != NULL && cert_list_load_file(&anchors, o.anchor, &e)
	    == -1)
		goto fail;
	if (cliutil_passphrase(cli, "keystore", o.name, PASSPHRASE_NEW, &pass,
	    &e) == -1)
		goto fail;
	loop_catch_signals();
	if (estclient_enroll_start(&en, &e) == -1)
		goto fail;
	entity_fp_hex(en.ca.v[0].fp_sha256, fp);
	fprintf(stderr, "CA SHA256:%s; the service's certificate checked\n",
	    fp);
	r = estclient_enroll_entity(&en, &ws, o.name, &subject, &san, pass.s,
	    pass.len, &got, &e);
	if (r == -1)
		goto fail;
	if (r == 1) {
		cliutil_est_pending(o.name, &got, &e);
		rc = EXIT_REFUSED;
		goto out;
	}
	if (server_register_check(&ws, o.name, &en.ca, &e) == -1)
		goto fail;
	verify_format_time(got.not_after, until, sizeof until);
	printf("%s: registered: server certificate %s for '%s' until %s, "
	    "stored\n", o.name, got.serial, got.subject, until);
	fflush(stdout);
	goto out;
fail:
	rc = cli_fail(&e);
out:
	estclient_enroll_clear(&en);
	passphrase_free(&pass);
	san_list_clear(&san);
	dn_clear(&subject);
	cert_list_clear(&anchors);
	ws_clear(&ws);
	return rc;
}
