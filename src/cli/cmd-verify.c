/* cmd-verify.c — `verify --ca FILE [--untrusted FILE] [--purpose P]
 * [--host NAME] [--at TIME] CERT...`: path validation with every step shown.
 *
 * --ca and --untrusted may be repeated and each file may hold several
 * certificates. Each CERT file's first certificate is the one verified;
 * further certificates in the same file (a chain as a server would send it)
 * are added to the untrusted ones. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "util/xalloc.h"
#include "x509/cert.h"
#include "x509/crl.h"
#include "x509/verify.h"

enum {
	OPT_CA = 1,
	OPT_UNTRUSTED,
	OPT_PURPOSE,
	OPT_HOST,
	OPT_AT,
	OPT_CRL,
};

static const struct args_opt verify_opts[] = {
	{ OPT_CA, "ca", 1 },
	{ OPT_UNTRUSTED, "untrusted", 1 },
	{ OPT_PURPOSE, "purpose", 1 },
	{ OPT_HOST, "host", 1 },
	{ OPT_AT, "at", 1 },
	{ OPT_CRL, "crl", 1 },
	{ 0, NULL, 0 },
};

static cli_fn cmd_verify;

const struct cli_cmd cmd_verify_entry = {
	.name = "verify",
	.summary = "validate a certificate chain and show each step",
	.usage =
"verify --ca FILE [--untrusted FILE] [--purpose server|client|email|any]\n"
"[--host NAME] [--at TIME] [--crl FILE]... CERT...",
	.help =
"Validates each certificate CERT against the trust anchors in FILE (RFC\n"
"5280 path validation) and prints every step: what was checked, what failed\n"
"and why. Exit 0 when every CERT is valid, 1 when one is not.\n"
"\n"
"  --ca FILE        trusted root certificate(s), PEM or DER\n"
"  --untrusted FILE intermediate certificates to build the chain with\n"
"  --purpose P      server, client, email (emailProtection, for signed\n"
"                   messages) or any: the extended key usage required\n"
"  --host NAME      require a subjectAltName matching NAME (DNS or IP)\n"
"  --at TIME        validate at TIME instead of now: YYYY-MM-DD,\n"
"                   YYYY-MM-DDTHH:MM:SSZ or @SECONDS\n"
"  --crl FILE       check revocation against this CRL (PEM or DER; repeat\n"
"                   for more). The leaf's issuer must have a CRL among them\n"
"                   (as openssl verify -crl_check); an intermediate is\n"
"                   checked when its issuer's CRL is given. A CRL is used\n"
"                   only after its issuer name, its signature by the\n"
"                   issuer's key (keyUsage cRLSign when present) and its\n"
"                   freshness (thisUpdate <= TIME <= nextUpdate) check out;\n"
"                   the steps name the CRL used (file and cRLNumber). A\n"
"                   revoked certificate is invalid: \"revoked (REASON) on\n"
"                   DATE\"; one on hold too (certificateHold)\n",
	.opts = verify_opts,
	.fn = cmd_verify,
};

static const struct {
	const char *name;
	enum verify_purpose purpose;
} purposes[] = {
	{ "any", VERIFY_PURPOSE_ANY },
	{ "server", VERIFY_PURPOSE_SERVER },
	{ "client", VERIFY_PURPOSE_CLIENT },
	{ "email", VERIFY_PURPOSE_EMAIL },
};

static const char *
purpose_name(enum verify_purpose v)
{
	size_t i;

	for (i = 0; i < sizeof purposes / sizeof purposes[0]; i++)
		if (purposes[i].purpose == v)
			return purposes[i].name;
	return "?";
}

/* Verifies one CERT file; returns an EXIT_* status. */
static int
verify_one(const char *path, const struct cert_list *untrusted,
    struct verify_params *p)
{
	struct cert_list chain, both;
	struct verify_result res;
	struct err e;
	size_t i, nu = untrusted != NULL ? untrusted->n : 0;
	char when[40];
	int rc;

	cert_list_init(&chain);
	both.v = NULL;
	verify_result_init(&res);
	err_clear(&e);
	if (cert_list_load_file(&chain, path, &e) == -1) {
		rc = cli_fail(&e);
		goto out;
	}
	if (chain.n == 0) {
		err_set(&e, ERR_INPUT, "%s: no certificate found", path);
		rc = cli_fail(&e);
		goto out;
	}
	p->untrusted = untrusted;
	if (chain.n > 1) {
		/* The --untrusted certificates, then those that followed the
		 * leaf in its file. both borrows them: only its array is
		 * freed. */
		both.n = nu + chain.n - 1;
		both.v = xcalloc(both.n, sizeof *both.v);
		for (i = 0; i < nu; i++)
			both.v[i] = untrusted->v[i];
		for (i = 1; i < chain.n; i++)
			both.v[nu + i - 1] = chain.v[i];
		p->untrusted = &both;
	}
	verify_format_time(p->at, when, sizeof when);
	printf("%s: checking at %s, purpose %s%s%s\n", path, when,
	    purpose_name(p->purpose), p->host != NULL ? ", host " : "",
	    p->host != NULL ? p->host : "");
	verify_chain(&chain.v[0], p, &res);
	verify_print(stdout, &res);
	if (res.code == VERIFY_OK) {
		printf("%s: OK\n", path);
		rc = EXIT_OK;
	} else {
		printf("%s: FAILED: %s\n", path, res.reason);
		fflush(stdout);
		/* The code's sentence too, unless the reason already says it. */
		if (strstr(res.reason, verify_code_text(res.code)) != NULL)
			fprintf(stderr, "minipki-tui: %s: %s\n", path, res.reason);
		else
			fprintf(stderr, "minipki-tui: %s: %s (%s)\n", path,
			    res.reason, verify_code_text(res.code));
		rc = EXIT_REFUSED;
	}
out:
	verify_result_clear(&res);
	free(both.v);
	cert_list_clear(&chain);
	return rc;
}

static int
cmd_verify(struct cli *cli, int argc, char **argv)
{
	struct cert_list anchors, untrusted;
	struct verify_params p;
	const char *cas[16], *unts[16], *certs[64], *value, *crlfiles[16];
	struct crl crls[16];
	const struct crl *crlp[16];
	size_t ncas = 0, nunts = 0, ncerts = 0, i, ncrls = 0;
	struct args a;
	struct err e;
	int opt, rc = EXIT_OK, r;

	cert_list_init(&anchors);
	cert_list_init(&untrusted);
	memset(&p, 0, sizeof p);
	for (i = 0; i < 16; i++)
		crl_init(&crls[i]);
	p.purpose = VERIFY_PURPOSE_ANY;
	p.at = (int64_t)time(NULL);
	err_clear(&e);
	args_init(&a, cli, "verify", verify_opts, argc, argv);
	while ((opt = args_next(&a, &value)) != ARGS_END) {
		switch (opt) {
		case ARGS_HELP:
			goto out;
		case ARGS_ERROR:
			rc = EXIT_USAGE;
			goto out;
		case ARGS_OPERAND:
			if (ncerts == sizeof certs / sizeof certs[0]) {
				rc = cli_usage("verify", "too many certificates "
				    "(at most %zu)", ncerts);
				goto out;
			}
			certs[ncerts++] = value;
			break;
		case OPT_CA:
		case OPT_UNTRUSTED:
			if ((opt == OPT_CA ? ncas : nunts) == 16) {
				rc = cli_usage("verify", "option '--%s' given more "
				    "than 16 times", opt == OPT_CA ? "ca" : "untrusted");
				goto out;
			}
			if (opt == OPT_CA)
				cas[ncas++] = value;
			else
				unts[nunts++] = value;
			break;
		case OPT_PURPOSE:
			for (i = 0; i < sizeof purposes / sizeof purposes[0]; i++)
				if (strcmp(value, purposes[i].name) == 0)
					break;
			if (i == sizeof purposes / sizeof purposes[0]) {
				rc = cli_usage("verify", "option '--purpose': '%s' "
				    "is not server, client, email or any", value);
				goto out;
			}
			p.purpose = purposes[i].purpose;
			break;
		case OPT_HOST:
			if (value[0] == '\0') {
				rc = cli_usage("verify", "option '--host' needs a "
				    "name");
				goto out;
			}
			p.host = value;
			break;
		case OPT_CRL:
			if (ncrls == 16) {
				rc = cli_usage("verify", "option '--crl' given "
				    "more than 16 times");
				goto out;
			}
			crlfiles[ncrls++] = value;
			break;
		case OPT_AT:
			if (verify_parse_time(value, &p.at, &e) == -1) {
				rc = cli_usage("verify", "option '--at': %s", e.msg);
				goto out;
			}
			break;
		}
	}
	if (ncas == 0) {
		rc = cli_usage("verify", "the trust anchors are needed: --ca FILE");
		goto out;
	}
	if (ncerts == 0) {
		rc = cli_usage("verify", "which certificate? CERT is missing");
		goto out;
	}
	for (i = 0; i < ncas + nunts; i++) {
		const char *f = i < ncas ? cas[i] : unts[i - ncas];
		struct cert_list *l = i < ncas ? &anchors : &untrusted;
		size_t before = l->n;

		if (cert_list_load_file(l, f, &e) == -1) {
			rc = cli_fail(&e);
			goto out;
		}
		if (l->n == before) {
			err_set(&e, ERR_INPUT, "%s: no certificate found", f);
			rc = cli_fail(&e);
			goto out;
		}
	}
	for (i = 0; i < ncrls; i++) {
		if (crl_load_file(&crls[i], crlfiles[i], &e) == -1) {
			rc = cli_fail(&e);
			goto out;
		}
		crlp[i] = &crls[i];
	}
	p.crls = crlp;
	p.crl_names = crlfiles;
	p.ncrls = ncrls;
	p.anchors = &anchors;
	for (i = 0; i < ncerts; i++) {
		r = verify_one(certs[i], &untrusted, &p);
		/* The worst outcome wins: data errors over refusals. */
		if (r > rc)
			rc = r;
	}
out:
	for (i = 0; i < 16; i++)
		crl_clear(&crls[i]);
	cert_list_clear(&untrusted);
	cert_list_clear(&anchors);
	return rc;
}
