/* cmd-client-est.c — the CA service's clients: `client enroll` (EST),
 * `client status` (OCSP) and `client crl`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/args.h"
#include "cli/cliutil.h"
#include "cli/cliutil-est.h"
#include "cli/cliutil-wait.h"
#include "cli/passphrase.h"
#include "net/loop.h"
#include "role/ca.h"
#include "role/entity.h"
#include "role/estclient.h"
#include "store/ws.h"
#include "x509/crl.h"

#define CLIENT_EST_TIMEOUT 10
#define CLIENT_EST_MAX_COUNT 1000

/* ---- what the three share ---- */

/* The TLS side of a connection to the service: anchors checked against
 * the server's certificate, the name checked the target's host. */
static void
client_est_tls(struct tls_config *cfg, const struct estclient_target *t,
    const struct cert_list *anchors)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->min_version = TLS_VERSION_12;
	cfg->max_version = TLS_VERSION_13;
	cfg->anchors = anchors;
	cfg->server_name = t->host;
}

/* ---- client status ---- */

enum { OPT_S_CA = 1, OPT_S_ANCHOR, OPT_S_ISSUER, OPT_S_TIMEOUT };

static const struct args_opt client_status_opts[] = {
	{ .id = OPT_S_CA, .name = "ca", .has_value = 1 },
	{ .id = OPT_S_ANCHOR, .name = "anchor", .has_value = 1 },
	{ .id = OPT_S_ISSUER, .name = "issuer", .has_value = 1 },
	{ .id = OPT_S_TIMEOUT, .name = "timeout", .has_value = 1 },
	{ .id = 0 },
};

static cli_fn cmd_client_status;

const struct cli_cmd cmd_client_status_entry = {
	.name = "client status",
	.summary = "ask the CA service whether a certificate is good (OCSP)",
	.usage =
"client status CERT --ca ADDR [--anchor FILE | --issuer FILE]\n"
"[--timeout S]",
	.help =
"Asks the CA service's OCSP responder (RFC 6960: POST /ocsp with a fresh\n"
"nonce) for the status of the first certificate in CERT, checks the\n"
"response (signed by the issuer or a responder it delegated to, for the\n"
"certificate asked, the nonce echoed, thisUpdate and nextUpdate current)\n"
"and prints every check, as verify does, then good, revoked (reason,\n"
"date) or unknown. Exit 0 when good, 1 when revoked or unknown, 3 when\n"
"no usable response came (transport, HTTP error, a response that does\n"
"not parse or fails a check).\n"
"\n"
"  --ca ADDR      the service: unix:PATH or tcp:HOST:PORT (HTTPS, its\n"
"                 certificate checked against --anchor, else --issuer),\n"
"                 or http://HOST:PORT (plain HTTP, as OCSP commonly is)\n"
"  --anchor FILE  the CA certificate(s); the one that issued CERT is its\n"
"                 issuer\n"
"  --issuer FILE  the issuer of CERT (default: from --anchor)\n"
"  --timeout S    seconds to wait for the service to come up (0:\n"
"                 forever), for the connection and the answer (10)\n",
	.opts = client_status_opts,
	.fn = cmd_client_status,
};

/* The issuer of c among list, by name and signature. */
static const struct cert *
client_est_issuer(const struct cert_list *list, const struct cert *c)
{
	size_t i;

	for (i = 0; i < list->n; i++)
		if (dn_equal(&list->v[i].subject, &c->issuer) &&
		    cert_check_signature(c, &list->v[i], NULL))
			return &list->v[i];
	return NULL;
}

static int
cmd_client_status(struct cli *cli, int argc, char **argv)
{
	struct args a;
	struct err e;
	struct estclient_target t;
	struct estclient_conn c;
	struct dialwait dw;
	struct tls_config cfg;
	struct cert_list certs, anchors, issuers;
	struct ocsp_result res;
	struct verify_result steps;
	const struct cert *issuer;
	const char *v, *path = NULL, *addr = NULL, *anchor = NULL;
	const char *ifile = NULL;
	char serial[2 * CERT_MAX_SERIAL + 1], text[256], *s;
	long timeout = CLIENT_EST_TIMEOUT;
	int r, rc = EXIT_DATA;

	args_init(&a, cli, "client status", client_status_opts, argc, argv);
	while ((r = args_next(&a, &v)) != ARGS_END) {
		switch (r) {
		case ARGS_HELP:
			return EXIT_OK;
		case ARGS_ERROR:
			return EXIT_USAGE;
		case ARGS_OPERAND:
			if (args_operand(&a, &path, v) == -1)
				return EXIT_USAGE;
			break;
		case OPT_S_CA:
			addr = v;
			break;
		case OPT_S_ANCHOR:
			anchor = v;
			break;
		case OPT_S_ISSUER:
			ifile = v;
			break;
		case OPT_S_TIMEOUT:
			if (args_number(&a, "timeout", v, 0, 3600, &timeout)
			    == -1)
				return EXIT_USAGE;
			break;
		}
	}
	if (path == NULL)
		return cli_usage("client status", "missing CERT");
	if (addr == NULL)
		return cli_usage("client status", "missing --ca ADDR (the CA "
		    "service)");
	if (anchor == NULL && ifile == NULL)
		return cli_usage("client status", "missing --issuer FILE or "
		    "--anchor FILE (the CA that issued CERT)");
	if (estclient_target_parse(&t, addr, &e) == -1)
		return cli_usage("client status", "%s", e.msg);

	err_clear(&e);
	cert_list_init(&certs);
	cert_list_init(&anchors);
	cert_list_init(&issuers);
	verify_result_init(&steps);
	estclient_conn_init(&c, &t, &cfg, cliutil_wait(&dw, timeout,
	    "the CA service"));
	c.wait = &dw;
	if (cert_list_load_file(&certs, path, &e) == -1 ||
	    (anchor != NULL && cert_list_load_file(&anchors, anchor, &e)
	    == -1) || (ifile != NULL && cert_list_load_file(&issuers, ifile,
	    &e) == -1))
		goto fail;
	issuer = client_est_issuer(ifile != NULL ? &issuers : &anchors,
	    &certs.v[0]);
	if (issuer == NULL && ifile != NULL)
		issuer = &issuers.v[0];	/* ocsp_resp_check says why */
	if (issuer == NULL) {
		s = dn_to_string(&certs.v[0].issuer);
		err_set(&e, ERR_USAGE, "%s: no certificate of %s issued it "
		    "('%s')", path, anchor, s);
		free(s);
		goto fail;
	}
	client_est_tls(&cfg, &t, anchor != NULL ? &anchors : &issuers);
	cert_serial_hex(certs.v[0].serial, certs.v[0].serial_len, serial,
	    sizeof serial);
	printf("%s: asking %s about serial %s\n", path, addr, serial);
	fflush(stdout);
	loop_catch_signals();
	r = estclient_status(&c, &certs.v[0], issuer, (int64_t)time(NULL),
	    &res, &steps, &e);
	verify_print(stdout, &steps);
	if (r == -1) {
		printf("%s: NO USABLE RESPONSE: %s\n", path, e.msg);
		fflush(stdout);
		rc = EXIT_DATA;
		fprintf(stderr, CLI_PROG ": %s: %s\n", path, e.msg);
		goto out;
	}
	ocsp_result_text(&res, text, sizeof text);
	printf("%s: %s\n", path, text);
	rc = res.status == OCSP_GOOD ? EXIT_OK : EXIT_REFUSED;
	goto out;
fail:
	rc = cli_fail(&e);
out:
	estclient_conn_close(&c);
	verify_result_clear(&steps);
	cert_list_clear(&issuers);
	cert_list_clear(&anchors);
	cert_list_clear(&certs);
	return rc;
}

/* ---- client crl ---- */

enum { OPT_C_CA = 1, OPT_C_ANCHOR, OPT_C_OUT, OPT_C_TIMEOUT };

static const struct args_opt client_crl_opts[] = {
	{ .id = OPT_C_CA, .name = "ca", .has_value = 1 },
	{ .id = OPT_C_ANCHOR, .name = "anchor", .has_value = 1 },
	{ .id = OPT_C_OUT, .name = "out", .has_value = 1 },
	{ .id = OPT_C_TIMEOUT, .name = "timeout", .has_value = 1 },
	{ .id = 0 },
};

static cli_fn cmd_client_crl;

const struct cli_cmd cmd_client_crl_entry = {
	.name = "client crl",
	.summary = "fetch the CA service's CRL and verify it",
	.usage = "client crl --ca ADDR --anchor FILE --out FILE [--timeout S]",
	.help =
"Fetches the CRL from the CA service (GET /crl), checks that an --anchor\n"
"certificate issued it (name and signature) and writes it, DER as\n"
"received, to --out (replacing the file, as export and ca crl do; \"-\"\n"
"for standard output). Prints its issuer, number, dates and the number\n"
"of revoked certificates on standard error. Exit 1 when the CRL is not\n"
"the anchor's (nothing written), 3 when none could be fetched.\n"
"\n"
"  --ca ADDR      the service: unix:PATH or tcp:HOST:PORT (HTTPS, its\n"
"                 certificate checked against --anchor) or\n"
"                 http://HOST:PORT (plain HTTP: the CRL is signed)\n"
"  --anchor FILE  the CA certificate(s) that may have signed the CRL\n"
"  --out FILE     where the CRL goes\n"
"  --timeout S    seconds to wait for the service to come up (0:\n"
"                 forever), for the connection and the answer (10)\n",
	.opts = client_crl_opts,
	.fn = cmd_client_crl,
};

static int
cmd_client_crl(struct cli *cli, int argc, char **argv)
{
	struct args a;
	struct err e;
	struct estclient_target t;
	struct estclient_conn c;
	struct dialwait dw;
	struct tls_config cfg;
	struct cert_list anchors;
	struct crl crl;
	const struct cert *signer;
	const char *v, *addr = NULL, *anchor = NULL, *out = NULL;
	char *s = NULL, tu[32], nu[32];
	uint64_t num;
	long timeout = CLIENT_EST_TIMEOUT;
	int r, rc = EXIT_OK;

	args_init(&a, cli, "client crl", client_crl_opts, argc, argv);
	while ((r = args_next(&a, &v)) != ARGS_END) {
		switch (r) {
		case ARGS_HELP:
			return EXIT_OK;
		case ARGS_ERROR:
			return EXIT_USAGE;
		case ARGS_OPERAND:
			return cli_usage("client crl", "unexpected argument "
			    "'%s'", v);
		case OPT_C_CA:
			addr = v;
			break;
		case OPT_C_ANCHOR:
			anchor = v;
			break;
		case OPT_C_OUT:
			out = v;
			break;
		case OPT_C_TIMEOUT:
			if (args_number(&a, "timeout", v, 0, 3600, &timeout)
			    == -1)
				return EXIT_USAGE;
			break;
		}
	}
	if (addr == NULL)
		return cli_usage("client crl", "missing --ca ADDR (the CA "
		    "service)");
	if (anchor == NULL)
		return cli_usage("client crl", "missing --anchor FILE (the CA "
		    "certificate that signs the CRL)");
	if (out == NULL)
		return cli_usage("client crl", "missing --out FILE");
	if (estclient_target_parse(&t, addr, &e) == -1)
		return cli_usage("client crl", "%s", e.msg);

	err_clear(&e);
	cert_list_init(&anchors);
	crl_init(&crl);
	estclient_conn_init(&c, &t, &cfg, cliutil_wait(&dw, timeout,
	    "the CA service"));
	c.wait = &dw;
	if (cert_list_load_file(&anchors, anchor, &e) == -1)
		goto fail;
	client_est_tls(&cfg, &t, &anchors);
	loop_catch_signals();
	if (estclient_crl(&c, &anchors, &crl, &signer, &e) == -1)
		goto fail;
	s = dn_to_string(&crl.issuer);
	verify_format_time(crl.this_update, tu, sizeof tu);
	if (crl.has_next_update)
		verify_format_time(crl.next_update, nu, sizeof nu);
	else
		snprintf(nu, sizeof nu, "none");
	fprintf(stderr, "CRL of '%s'", s);
	if (crl_number_u64(&crl, &num) == 0)
		fprintf(stderr, " number %llu", (unsigned long long)num);
	fprintf(stderr, ": signature good; this update %s, next update %s; "
	    "%zu revoked\n", tu, nu, crl.n);
	if (crl.has_next_update && crl.next_update < (int64_t)time(NULL))
		cliutil_note("the CRL is stale: its next update was %s", nu);
	if (cliutil_write(out, crl.der, crl.len, 0, &e) == -1)
		goto fail;
	goto done;
fail:
	rc = cli_fail(&e);
done:
	free(s);
	estclient_conn_close(&c);
	crl_clear(&crl);
	cert_list_clear(&anchors);
	return rc;
}

/* ---- client enroll ---- */

enum { OPT_E_COUNT = CLIUTIL_EST_OWN, OPT_E_TYPE };

static const struct args_opt client_enroll_opts[] = {
	CLIUTIL_EST_OPTS,
	{ .id = OPT_E_COUNT, .name = "count", .has_value = 1 },
	{ .id = OPT_E_TYPE, .name = "type", .has_value = 1 },
	{ .id = 0 },
};

static cli_fn cmd_client_enroll;

const struct cli_cmd cmd_client_enroll_entry = {
	.name = "client enroll",
	.summary = "get a certificate from the CA service (EST)",
	.usage =
"client enroll NAME --ca ADDR\n"
"[--ca-fingerprint SHA256:HEX] [--anchor FILE]\n"
"[--token T] [--subject DN] [--san LIST]\n"
"[--count N] [--wait] [--timeout S] [--type rsa|ec]",
	.help =
"Enrolls entity NAME with the CA service over EST (RFC 7030) on TLS:\n"
"fetches /cacerts and trusts the CA certificate whose SHA-256 is\n"
"--ca-fingerprint (the service prints it; EST 4.1.1 bootstrap), or the\n"
"--anchor certificates, then checks the service's TLS certificate against\n"
"that CA and the name (localhost for unix:, else the TCP host); makes a\n"
"key (--type) and keystore NAME (encrypted under the passphrase, as key\n"
"new does; a keystore NAME left without a certificate by a pending\n"
"request is used again), sends a PKCS#10 request to /simpleenroll with\n"
"the token as the HTTP Basic password (user NAME), checks the certificate\n"
"returned (for this key, issued by the CA, the subject asked, no name\n"
"that was not asked but DNS:CN, which the server profile adds when the\n"
"request names no host) and stores it with its chain in the keystore, as\n"
"import does with a certificate. Exit 0 when stored; 1 when the CA\n"
"refused (the reason shown), a check failed, or the request is pending\n"
"(the CA operator must approve it: run again, or use --wait); 2 for a\n"
"usage error; 3 for a transport failure or an answer that does not\n"
"parse.\n"
"\n"
"  --ca ADDR              the service: unix:PATH or tcp:HOST:PORT\n"
"  --ca-fingerprint FP    SHA256:HEX (colons allowed) of the CA\n"
"                         certificate\n"
"  --anchor FILE          trust these CA certificates instead (or too)\n"
"  --token T              the one-time token the CA operator gave\n"
"  --subject DN           the subject asked (default CN=NAME)\n"
"  --san LIST             subject alternative names to ask, as csr new\n"
"                         takes them (DNS:a.example,IP:127.0.0.1)\n"
"  --count N              enroll NAME-1 .. NAME-N (subject CN=NAME-i)\n"
"                         over one kept-alive connection\n"
"  --wait                 poll a pending request as the service's\n"
"                         Retry-After says until it is approved or\n"
"                         refused, showing what it waits for\n"
"  --timeout S            seconds to wait for the service to come up\n"
"                         (saying so; 0: forever), for the connection and\n"
"                         each answer (10), and with --wait for the whole\n"
"                         wait (300)\n"
"  --type rsa|ec          the new key: RSA 2048 bits (the default) or\n"
"                         EC P-256\n",
	.opts = client_enroll_opts,
	.fn = cmd_client_enroll,
};

struct client_enroll_own {
	struct cliutil_est *o;
	enum pkey_type type;
};

/* --count and --type. */
static int
client_enroll_opt(struct args *a, int id, const char *v, void *ctx)
{
	struct client_enroll_own *own = ctx;
	struct err e;

	if (id == OPT_E_COUNT)
		return args_number(a, "count", v, 1, CLIENT_EST_MAX_COUNT,
		    &own->o->count);
	if (ca_parse_key_type(v, &own->type, &e) == -1) {
		cli_usage("client enroll", "%s", e.msg);
		return -1;
	}
	return 0;
}

static int
cmd_client_enroll(struct cli *cli, int argc, char **argv)
{
	struct args a;
	struct err e;
	struct ws ws;
	struct passphrase pass = { NULL, 0 };
	struct cliutil_est o;
	struct client_enroll_own own = { &o, PKEY_RSA };
	struct estclient_enroll_conf conf;
	struct estclient_enroll en;
	struct estclient_issued got;
	struct dialwait dw;
	struct cert_list anchors;
	struct dn subject;
	struct san_list san;
	char ename[256], cn[300], until[32], fp[3 * ESTCLIENT_FP_SIZE];
	char *cadn = NULL;
	long i;
	int r, rc = EXIT_OK, pending = 0;

	args_init(&a, cli, "client enroll", client_enroll_opts, argc, argv);
	cliutil_est_init(&o, "client enroll");
	if (cliutil_est_args(&a, &o, client_enroll_opt, &own, &rc) == -1)
		return rc;

	err_clear(&e);
	ws_init(&ws);
	cert_list_init(&anchors);
	dn_init(&subject);
	san_list_init(&san);
	memset(&conf, 0, sizeof conf);
	cliutil_est_conf(&o, &conf, &dw, &anchors);
	conf.bits = 2048;
	conf.type = own.type;
	estclient_enroll_init(&en, &conf);
	if ((rc = cliutil_est_names(&o, &subject, &san)) != EXIT_OK)
		goto out;
	if (cliutil_ws(cli, &ws, &e) == -1)
		goto fail;
	for (i = 1; i <= (o.count > 0 ? o.count : 1); i++) {
		if (o.count > 0)
			snprintf(ename, sizeof ename, "%s-%ld", o.name, i);
		else
			snprintf(ename, sizeof ename, "%s", o.name);
		if (ws_check_name(ename, &e) == -1)
			goto fail;
	}
	if (o.anchor != NULL && cert_list_load_file(&anchors, o.anchor, &e)
	    == -1)
		goto fail;
	/* One passphrase for every keystore of the batch. */
	if (cliutil_passphrase(cli, "keystore", o.name,
	    PASSPHRASE_NEW, &pass, &e) == -1)
		goto fail;
	loop_catch_signals();
	if (estclient_enroll_start(&en, &e) == -1)
		goto fail;
	entity_fp_hex(en.ca.v[0].fp_sha256, fp);
	cadn = dn_to_string(&en.ca.v[0].subject);
	fprintf(stderr, "CA '%s' SHA256:%s; the service's certificate "
	    "checked\n", cadn, fp);
	for (i = 1; i <= (o.count > 0 ? o.count : 1); i++) {
		if (o.count > 0)
			snprintf(ename, sizeof ename, "%s-%ld", o.name, i);
		else
			snprintf(ename, sizeof ename, "%s", o.name);
		if (o.subj == NULL) {
			dn_clear(&subject);
			dn_init(&subject);
			snprintf(cn, sizeof cn, "CN=%s", ename);
			if (dn_from_string(&subject, cn, &e) == -1)
				goto fail;
		}
		r = estclient_enroll_entity(&en, &ws, ename, &subject, &san,
		    pass.s, pass.len, &got, &e);
		if (r == -1)
			goto fail;
		if (r == 1) {
			cliutil_est_pending(ename, &got, &e);
			pending = 1;
			continue;
		}
		verify_format_time(got.not_after, until, sizeof until);
		printf("%s: certificate %s for '%s' until %s, stored\n", ename,
		    got.serial, got.subject, until);
		fflush(stdout);
	}
	rc = pending ? EXIT_REFUSED : EXIT_OK;
	goto out;
fail:
	rc = cli_fail(&e);
out:
	free(cadn);
	estclient_enroll_clear(&en);
	passphrase_free(&pass);
	san_list_clear(&san);
	dn_clear(&subject);
	cert_list_clear(&anchors);
	ws_clear(&ws);
	return rc;
}
