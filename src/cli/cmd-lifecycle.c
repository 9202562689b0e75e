/* cmd-lifecycle.c — `ca revoke`, `ca crl`, `ca renew`, `ca show`,
 * `ca check`, and `ca init --parent` (an intermediate CA). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "asn1/pem.h"
#include "cli/args.h"
#include "cli/cliutil.h"
#include "cli/passphrase.h"
#include "role/capolicy.h"
#include "role/lifecycle.h"
#include "x509/text.h"
#include "x509/verify.h"
#include "util/xalloc.h"
#include "x509/nameconstr.h"

enum {
	OPT_CA = 1, OPT_REASON, OPT_DATE, OPT_DAYS, OPT_OUT, OPT_DER,
	OPT_REKEY, OPT_CSR, OPT_REVOKE_OLD, OPT_REPAIR, OPT_INVALIDITY,
	OPT_DELTA,
};

/* What a CRL carries beyond its entries, one line each, to f. */
static void
crl_info_print(FILE *f, const struct lifecycle_crl_info *in)
{
	if (in->delta || in->idp)
		fprintf(f, "issuingDistributionPoint: %s\n", in->idp_note);
	else
		fprintf(f, "issuingDistributionPoint: none (%s)\n",
		    in->idp_note);
	if (in->freshest)
		fprintf(f, "freshestCRL: written (deltas: `ca crl --delta`)\n");
}

/* Regenerates ca/NAME/crl.pem after a change (with delta, writes a
 * delta CRL against it instead); prints where it went. */
static int
regen_crl(struct ca *ca, int delta, int64_t now, struct err *e)
{
	struct lifecycle_crl_info in;
	uint8_t *der = NULL;
	size_t len;
	uint64_t num;
	char *path;

	if (lifecycle_crl_ex(ca, delta, 0, now, &der, &len, &num, &in,
	    e) == -1)
		return err_wrap(e, "the CRL was not regenerated (run `ca crl%s`)",
		    delta ? " --delta" : "");
	free(der);
	path = delta ? lifecycle_delta_path(ca) : lifecycle_crl_path(ca);
	if (delta)
		printf("delta CRL %llu (base %llu, %zu entries) written to "
		    "%s\n", (unsigned long long)num, (unsigned long long)
		    in.base_number, in.n, path);
	else
		printf("CRL %llu written to %s\n", (unsigned long long)num,
		    path);
	free(path);
	return 0;
}

/* ---- ca revoke ---- */

static const struct args_opt revoke_opts[] = {
	{ .id = OPT_CA, .name = "ca", .has_value = 1 },
	{ .id = OPT_REASON, .name = "reason", .has_value = 1 },
	{ .id = OPT_DATE, .name = "date", .has_value = 1 },
	{ .id = OPT_INVALIDITY, .name = "invalidity", .has_value = 1 },
	{ .id = OPT_DELTA, .name = "delta", .has_value = 0 },
	{ .id = 0 },
};

static cli_fn cmd_ca_revoke;

const struct cli_cmd cmd_ca_revoke_entry = {
	.name = "ca revoke",
	.summary = "revoke a certificate and regenerate the CRL",
	.usage =
"ca revoke [--ca NAME] SERIAL [--reason REASON] [--date TIME]\n"
"[--invalidity TIME] [--delta]",
	.help =
"Revokes the certificate with serial SERIAL (hex, as `ca list` shows it)\n"
"and regenerates the CA's CRL (WORKSPACE/ca/NAME/crl.pem). The CA key is\n"
"unlocked for the CRL signature. The revocation is recorded (and synced)\n"
"before anything else, and audited. An unknown serial is a usage error (2);\n"
"a serial already revoked is refused (1), except a certificate on hold: it\n"
"can be revoked for good with another reason, or released with\n"
"removeFromCRL. Prints \"revoked SERIAL (REASON) on DATE\" and the CRL\n"
"written.\n"
"\n"
"  --ca NAME        the CA (default \"ca\")\n"
"  --reason REASON  unspecified (the default), keyCompromise, cACompromise,\n"
"                   affiliationChanged, superseded, cessationOfOperation,\n"
"                   certificateHold, or removeFromCRL to lift a hold\n"
"  --date TIME      the revocation date: YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ or\n"
"                   @SECONDS (default now)\n"
"  --invalidity TIME  since when the key is known or suspected to be unsafe\n"
"                   (the CRL entry's invalidityDate), same forms\n"
"  --delta          write a delta CRL against crl.pem (as `ca crl --delta`)\n"
"                   instead of regenerating crl.pem\n",
	.opts = revoke_opts,
	.fn = cmd_ca_revoke,
};

struct revoke_arg {
	const char *serial, *reason;
};

static int
revoke_precheck(const struct ca *ca, const void *arg, struct err *e)
{
	const struct revoke_arg *a = arg;

	return lifecycle_revoke_check(ca, a->serial, a->reason, e);
}

static int
cmd_ca_revoke(struct cli *cli, int argc, char **argv)
{
	struct args a;
	struct ws ws;
	struct err e;
	struct ca ca;
	struct revoke_arg ra = { NULL, "unspecified" };
	const char *v, *caname = "ca", *date = NULL, *inv = NULL;
	char when_s[32];
	int64_t now = (int64_t)time(NULL), when = now, invalidity = 0;
	int r, rc = EXIT_OK, delta = 0;

	args_init(&a, cli, "ca revoke", revoke_opts, argc, argv);
	while ((r = cliutil_ca_args(&a, OPT_CA, &caname, &ra.serial, &v,
	    &rc)) > 0) {
		switch (r) {
		case OPT_REASON:
			ra.reason = v;
			break;
		case OPT_DATE:
			date = v;
			break;
		case OPT_INVALIDITY:
			inv = v;
			break;
		case OPT_DELTA:
			delta = 1;
			break;
		}
	}
	if (r == -1)
		return rc;
	if (ra.serial == NULL)
		return cli_usage("ca revoke", "missing SERIAL");
	err_clear(&e);
	if (date != NULL && verify_parse_time(date, &when, &e) == -1)
		return cli_usage("ca revoke", "--date: %s", e.msg);
	if (inv != NULL && verify_parse_time(inv, &invalidity, &e) == -1)
		return cli_usage("ca revoke", "--invalidity: %s", e.msg);
	if (inv != NULL && invalidity == 0)
		return cli_usage("ca revoke", "--invalidity: not the epoch");
	if (crl_reason_find(ra.reason) < 0)
		return cli_usage("ca revoke", "unknown reason '%s' (use "
		    "unspecified, keyCompromise, cACompromise, "
		    "affiliationChanged, superseded, cessationOfOperation, "
		    "certificateHold or removeFromCRL)", ra.reason);
	ws_init(&ws);
	ca_init(&ca);
	if (cliutil_ca(cli, &ws, &ca, caname, CA_WRITE, revoke_precheck, &ra,
	    &e) == -1 ||
	    lifecycle_revoke(&ca, ra.serial, ra.reason, when, invalidity,
	    &e) == -1)
		goto fail;
	verify_format_time(when, when_s, sizeof when_s);
	if (crl_reason_find(ra.reason) == CRL_REASON_REMOVE_FROM_CRL)
		printf("hold lifted on %s\n", lifecycle_find(&ca,
		    ra.serial)->serial);
	else
		printf("revoked %s (%s) on %s\n", lifecycle_find(&ca,
		    ra.serial)->serial, crl_reason_name(crl_reason_find(
		    ra.reason)), when_s);
	if (regen_crl(&ca, delta, now, &e) == -1)
		goto fail;
	goto out;
fail:
	rc = cli_fail(&e);
out:
	ca_clear(&ca);
	ws_clear(&ws);
	return rc;
}

/* ---- ca crl ---- */

static const struct args_opt crl_opts[] = {
	{ .id = OPT_CA, .name = "ca", .has_value = 1 },
	{ .id = OPT_DAYS, .name = "days", .has_value = 1 },
	{ .id = OPT_OUT, .name = "out", .has_value = 1 },
	{ .id = OPT_DER, .name = "der", .has_value = 0 },
	{ .id = OPT_DELTA, .name = "delta", .has_value = 0 },
	{ .id = 0 },
};

static cli_fn cmd_ca_crl;

const struct cli_cmd cmd_ca_crl_entry = {
	.name = "ca crl",
	.summary = "generate a signed v2 CRL",
	.usage = "ca crl [--ca NAME] [--days N] [--delta] [--out FILE] [--der]",
	.help =
"Generates a v2 CRL signed by the CA (sha256WithRSAEncryption, or\n"
"ecdsa-with-SHA256 by a CA with an ec key): every\n"
"revoked certificate with its revocation date and reason code (none for\n"
"unspecified; a certificate on hold as certificateHold), cRLNumber one\n"
"above the last (persisted in the CA database, never reused),\n"
"authorityKeyIdentifier, thisUpdate now and nextUpdate now + N days.\n"
"It is also written to WORKSPACE/ca/NAME/crl.pem, which `ca revoke`\n"
"regenerates automatically. When the CA has a URL, the CRL carries\n"
"freshestCRL (URL/delta-crl), and an issuingDistributionPoint (URL/crl)\n"
"only when every unexpired certificate of the CA carries that CDP (a CRL\n"
"with an IDP does not cover the others); which was chosen is printed.\n"
"\n"
"  --ca NAME        the CA (default \"ca\")\n"
"  --days N         nextUpdate N days from now (default 7; 1 for --delta)\n"
"  --delta          a delta CRL instead, into WORKSPACE/ca/NAME/\n"
"                   delta-crl.pem: deltaCRLIndicator with the number of\n"
"                   crl.pem (its base, which must name a freshestCRL), the\n"
"                   certificates revoked since it, removeFromCRL for holds\n"
"                   lifted; numbered in the same sequence\n"
"  --out FILE       write the CRL to FILE; default standard output\n"
"  --der            DER instead of PEM\n",
	.opts = crl_opts,
	.fn = cmd_ca_crl,
};

static int
cmd_ca_crl(struct cli *cli, int argc, char **argv)
{
	struct args a;
	struct ws ws;
	struct err e;
	struct ca ca;
	struct buf pem;
	const char *v, *caname = "ca", *out = NULL;
	uint8_t *der = NULL;
	size_t len = 0, i, nrev = 0;
	uint64_t num;
	long days = 0;
	char *path = NULL, nu[32];
	struct lifecycle_crl_info in;
	int r, rc = EXIT_OK, asder = 0, delta = 0;
	int64_t now = (int64_t)time(NULL);

	args_init(&a, cli, "ca crl", crl_opts, argc, argv);
	while ((r = cliutil_ca_args(&a, OPT_CA, &caname, NULL, &v, &rc)) > 0) {
		switch (r) {
		case OPT_DAYS:
			if (args_number(&a, "days", v, 1,
			    LIFECYCLE_CRL_MAX_DAYS, &days) == -1)
				return EXIT_USAGE;
			break;
		case OPT_OUT:
			out = v;
			break;
		case OPT_DER:
			asder = 1;
			break;
		case OPT_DELTA:
			delta = 1;
			break;
		}
	}
	if (r == -1)
		return rc;
	if (days == 0)
		days = delta ? LIFECYCLE_DELTA_DAYS : LIFECYCLE_CRL_DAYS;
	err_clear(&e);
	ws_init(&ws);
	ca_init(&ca);
	buf_init(&pem);
	if (cliutil_ca(cli, &ws, &ca, caname, CA_WRITE, NULL, NULL, &e) == -1 ||
	    lifecycle_crl_ex(&ca, delta, days, now, &der, &len, &num, &in,
	    &e) == -1)
		goto fail;
	path = delta ? lifecycle_delta_path(&ca) : lifecycle_crl_path(&ca);
	verify_format_time(now + (int64_t)days * 86400, nu, sizeof nu);
	for (i = 0; i < ca.db.ncerts; i++)
		if (ca.db.certs[i].status == CADB_REVOKED)
			nrev++;
	if (delta)
		fprintf(out != NULL ? stdout : stderr, "delta CRL %llu (base "
		    "%llu, %zu entries, next update %s) written to %s\n",
		    (unsigned long long)num, (unsigned long long)
		    in.base_number, in.n, nu, path);
	else
		fprintf(out != NULL ? stdout : stderr, "CRL %llu (%zu revoked, "
		    "next update %s) written to %s\n", (unsigned long long)num,
		    nrev, nu, path);
	crl_info_print(out != NULL ? stdout : stderr, &in);
	if (asder)
		buf_append(&pem, der, len);
	else
		pem_encode("X509 CRL", der, len, &pem);
	if (cliutil_write(out, pem.data, pem.len, 0, &e) == -1)
		goto fail;
	goto out;
fail:
	rc = cli_fail(&e);
out:
	free(der);
	free(path);
	buf_clear(&pem);
	ca_clear(&ca);
	ws_clear(&ws);
	return rc;
}

/* ---- ca renew ---- */

static const struct args_opt renew_opts[] = {
	{ .id = OPT_CA, .name = "ca", .has_value = 1 },
	{ .id = OPT_DAYS, .name = "days", .has_value = 1 },
	{ .id = OPT_REKEY, .name = "rekey", .has_value = 0 },
	{ .id = OPT_CSR, .name = "csr", .has_value = 1 },
	{ .id = OPT_REVOKE_OLD, .name = "revoke-old", .has_value = 0 },
	{ .id = OPT_OUT, .name = "out", .has_value = 1 },
	{ .id = 0 },
};

static cli_fn cmd_ca_renew;

const struct cli_cmd cmd_ca_renew_entry = {
	.name = "ca renew",
	.summary = "renew a certificate (same key, or --rekey)",
	.usage =
"ca renew [--ca NAME] SERIAL [--days N] [--rekey --csr FILE]\n"
"[--revoke-old] [--out FILE]",
	.help =
"Renews a certificate: a new certificate with a new serial for the same\n"
"subject and extensions, valid from now, with the same key; with --rekey,\n"
"for the key of a new request (its signature is checked and its subject\n"
"must equal the old certificate's; the old profile decides the\n"
"extensions). The old certificate is marked superseded (status\n"
"\"superseded\" in `ca list`); it stays valid unless --revoke-old revokes\n"
"it with reason superseded (and regenerates the CRL). A revoked or\n"
"already renewed certificate is refused. Prints \"renewed OLD as NEW\n"
"SUBJECT (until NOTAFTER)\" and the new certificate (PEM).\n"
"\n"
"  --ca NAME        the CA (default \"ca\")\n"
"  --days N         validity in days (default: that of the old certificate)\n"
"  --rekey          a new key, from --csr FILE\n"
"  --csr FILE       the request with the new key (PEM or DER)\n"
"  --revoke-old     also revoke the old certificate (reason superseded)\n"
"  --out FILE       write the certificate to FILE; default standard output\n",
	.opts = renew_opts,
	.fn = cmd_ca_renew,
};

/* The serial's checks; the --rekey request's subject is checked once the
 * CA is unlocked. */
static int
renew_precheck(const struct ca *ca, const void *serial, struct err *e)
{
	return lifecycle_renew_check(ca, serial, NULL, NULL, e);
}

static int
cmd_ca_renew(struct cli *cli, int argc, char **argv)
{
	struct args a;
	struct ws ws;
	struct err e;
	struct ca ca;
	struct csr req;
	struct ca_issued res;
	struct buf pem;
	const char *v, *caname = "ca", *serial = NULL, *csrfile = NULL;
	const char *out = NULL;
	char until[WS_TIME_LEN];
	long days = 0;
	int r, rc = EXIT_OK, rekey = 0, revoke_old = 0;
	int64_t now = (int64_t)time(NULL);

	args_init(&a, cli, "ca renew", renew_opts, argc, argv);
	while ((r = cliutil_ca_args(&a, OPT_CA, &caname, &serial, &v,
	    &rc)) > 0) {
		switch (r) {
		case OPT_DAYS:
			if (args_number(&a, "days", v, 1, CA_MAX_DAYS,
			    &days) == -1)
				return EXIT_USAGE;
			break;
		case OPT_REKEY:
			rekey = 1;
			break;
		case OPT_CSR:
			csrfile = v;
			break;
		case OPT_REVOKE_OLD:
			revoke_old = 1;
			break;
		case OPT_OUT:
			out = v;
			break;
		}
	}
	if (r == -1)
		return rc;
	if (serial == NULL)
		return cli_usage("ca renew", "missing SERIAL");
	if (rekey != (csrfile != NULL))
		return cli_usage("ca renew", "--rekey needs --csr FILE (the "
		    "request with the new key), and --csr needs --rekey");
	err_clear(&e);
	ws_init(&ws);
	ca_init(&ca);
	csr_init(&req);
	ca_issued_init(&res);
	buf_init(&pem);
	if (csrfile != NULL && csr_load(&req, csrfile, &e) == -1)
		goto fail;
	if (cliutil_ca(cli, &ws, &ca, caname, CA_WRITE, renew_precheck, serial,
	    &e) == -1 ||
	    lifecycle_renew(&ca, serial, rekey ? &req : NULL, days, revoke_old,
	    now, &res, &e) == -1)
		goto fail;
	ws_time_format(res.not_after, until);
	pem_encode("CERTIFICATE", res.der, res.len, &pem);
	fprintf(out != NULL ? stdout : stderr, "renewed %s as %s %s (until "
	    "%s%s)%s%s\n", lifecycle_find(&ca, serial)->serial, res.serial,
	    res.subject, until, res.clamped ? ", cut to the CA's notAfter" :
	    "", out != NULL ? " -> " : "", out != NULL ? out : "");
	if (cliutil_write(out, pem.data, pem.len, 0, &e) == -1)
		goto fail;
	if (revoke_old && regen_crl(&ca, 0, now, &e) == -1)
		goto fail;
	goto out;
fail:
	rc = cli_fail(&e);
out:
	buf_clear(&pem);
	ca_issued_clear(&res);
	csr_clear(&req);
	ca_clear(&ca);
	ws_clear(&ws);
	return rc;
}

/* ---- ca show ---- */

static const struct args_opt show_opts[] = {
	{ .id = OPT_CA, .name = "ca", .has_value = 1 },
	{ .id = 0 },
};

static cli_fn cmd_ca_show;

const struct cli_cmd cmd_ca_show_entry = {
	.name = "ca show",
	.summary = "show one certificate of the CA database",
	.usage = "ca show [--ca NAME] SERIAL",
	.help =
"Shows one certificate of the CA database: its record (status, revocation\n"
"date and reason, the serial that superseded it, the record's line) and\n"
"the certificate itself, readably.\n"
"\n"
"  --ca NAME        the CA (default \"ca\")\n",
	.opts = show_opts,
	.fn = cmd_ca_show,
};

static int
cmd_ca_show(struct cli *cli, int argc, char **argv)
{
	struct args a;
	struct ws ws;
	struct err e;
	struct ca ca;
	struct cert c;
	struct buf der, txt;
	const struct cadb_cert *rec;
	const char *v, *caname = "ca", *serial = NULL;
	char t1[WS_TIME_LEN];
	int rc = EXIT_OK;
	int64_t now = (int64_t)time(NULL);

	args_init(&a, cli, "ca show", show_opts, argc, argv);
	/* No option of its own: the end (0) or -1. */
	if (cliutil_ca_args(&a, OPT_CA, &caname, &serial, &v, &rc) == -1)
		return rc;
	if (serial == NULL)
		return cli_usage("ca show", "missing SERIAL");
	err_clear(&e);
	ws_init(&ws);
	ca_init(&ca);
	cert_init(&c);
	buf_init(&der);
	buf_init(&txt);
	if (cliutil_ca(cli, &ws, &ca, caname, 0, NULL, NULL, &e) == -1)
		goto fail;
	if ((rec = lifecycle_find(&ca, serial)) == NULL) {
		err_set(&e, ERR_USAGE, "CA '%s' has no certificate with serial "
		    "%s", caname, serial);
		goto fail;
	}
	printf("serial: %s\nsubject: %s\nissuer: %s\nprofile: %s\n",
	    rec->serial, rec->subject, rec->issuer, rec->profile);
	ws_time_format(rec->not_before, t1);
	printf("not before: %s\n", t1);
	ws_time_format(rec->not_after, t1);
	printf("not after: %s\n", t1);
	ws_time_format(rec->issued_at, t1);
	printf("issued at: %s\nstatus: %s\n", t1, lifecycle_status(rec, now));
	if (rec->status == CADB_REVOKED) {
		ws_time_format(rec->revoked_at, t1);
		printf("revoked at: %s\nreason: %s\n", t1,
		    rec->reason != NULL ? rec->reason : "?");
		if (rec->invalidity != 0) {
			ws_time_format(rec->invalidity, t1);
			printf("invalid since: %s\n", t1);
		}
	}
	if (rec->superseded_by != NULL)
		printf("superseded by: %s\n", rec->superseded_by);
	printf("record: %s line %lu\n\n", ca.db.label, rec->line);
	if (cadb_cert_der(&ca.db, rec, &der, &e) == -1 ||
	    cert_parse(&c, der.data, der.len, &e) == -1)
		goto fail;
	text_cert(&txt, &c);
	if (cliutil_write(NULL, txt.data, txt.len, 0, &e) == -1)
		goto fail;
	goto out;
fail:
	rc = cli_fail(&e);
out:
	buf_clear(&der);
	buf_clear(&txt);
	cert_clear(&c);
	ca_clear(&ca);
	ws_clear(&ws);
	return rc;
}

/* ---- ca check ---- */

static const struct args_opt check_opts[] = {
	{ .id = OPT_CA, .name = "ca", .has_value = 1 },
	{ .id = OPT_REPAIR, .name = "repair", .has_value = 0 },
	{ .id = 0 },
};

static cli_fn cmd_ca_check;

const struct cli_cmd cmd_ca_check_entry = {
	.name = "ca check",
	.summary = "check a CA's database, audit log and CRL",
	.usage = "ca check [--ca NAME] [--repair]",
	.help =
"Checks a CA end to end: every database record's checksum and structure;\n"
"every certificate decodes, matches its record (serial, subject) and\n"
"carries the CA's signature; the audit log (every record's checksum, its\n"
"sequence number and the SHA-256 link to the record before it, so an\n"
"edited, removed or reordered record is found), and every serial it\n"
"names is in the database (a certificate it does not name is a note);\n"
"the enrollment store enroll.yaml (every record's checksum and structure,\n"
"and every certificate it says was issued to a request is in the database,\n"
"the same certificate, for the request's key); crl.pem (issuer,\n"
"signature, cRLNumber not above the recorded one). Prints one line per\n"
"check and stops at the first problem, naming file, line and record.\n"
"Exit status 0 when consistent, 1 when a problem was found.\n"
"\n"
"  --ca NAME        the CA (default \"ca\")\n"
"  --repair         first remove an incomplete last record (a crash in the\n"
"                   middle of a write) from the database, the audit log and\n"
"                   enroll.yaml, keeping its bytes in certs.yaml.torn,\n"
"                   audit.yaml.torn or enroll.yaml.torn;\n"
"                   nothing else is changed or invented: a complete last\n"
"                   record that fails its checksum was damaged, not torn,\n"
"                   and is left as it is for a person to look at\n",
	.opts = check_opts,
	.fn = cmd_ca_check,
};

static int
cmd_ca_check(struct cli *cli, int argc, char **argv)
{
	struct args a;
	struct ws ws;
	struct err e;
	struct lifecycle_report rep;
	const char *v, *caname = "ca";
	size_t i;
	int r, rc = EXIT_OK, repair = 0, bad;

	args_init(&a, cli, "ca check", check_opts, argc, argv);
	while ((r = cliutil_ca_args(&a, OPT_CA, &caname, NULL, &v, &rc)) > 0)
		if (r == OPT_REPAIR)
			repair = 1;
	if (r == -1)
		return rc;
	err_clear(&e);
	ws_init(&ws);
	lifecycle_report_init(&rep);
	if (cliutil_ws(cli, &ws, &e) == -1) {
		rc = cli_fail(&e);
		goto out;
	}
	bad = lifecycle_check(&ws, caname, repair, &rep, &e) == -1;
	for (i = 0; i < rep.nok; i++)
		printf("ok    %s\n", rep.ok[i]);
	for (i = 0; i < rep.nnotes; i++)
		printf("note  %s\n", rep.notes[i]);
	if (bad) {
		printf("FAIL  %s\n", e.msg);
		/* A problem found is the check's verdict (1); a CA that
		 * cannot be opened at all keeps its own status. */
		rc = e.kind == ERR_INPUT ? EXIT_REFUSED : cli_fail(&e);
		if (e.kind == ERR_INPUT)
			fprintf(stderr, "minipki-tui: %s\n", e.msg);
	} else
		printf("CA '%s' is consistent\n", caname);
out:
	lifecycle_report_clear(&rep);
	ws_clear(&ws);
	return rc;
}

/* ---- ca init --parent ---- */

int
cmd_ca_init_intermediate(struct cli *cli, const char *name,
    const char *parent, const struct dn *subject, long pathlen,
    const char *permit, const char *exclude, const struct capolicy *pol,
    int keytype, long bits, long days)
{
	struct ws ws;
	struct err e;
	struct ca ca;
	struct passphrase pass = { NULL, 0 };
	struct cert c;
	uint8_t *der = NULL;
	size_t len = 0;
	char *s = NULL, *path = NULL, serial[3 * CERT_MAX_SERIAL + 1];
	char until[WS_TIME_LEN], pols[256];
	int rc = EXIT_OK;

	err_clear(&e);
	ws_init(&ws);
	ca_init(&ca);
	cert_init(&c);
	if (cliutil_ca(cli, &ws, &ca, parent, CA_WRITE, NULL, NULL, &e) == -1)
		goto fail;
	/* Before the new passphrase is asked, as the role would refuse. */
	if (ca_check_free(&ws, name, &e) == -1)
		goto fail;
	if (cliutil_passphrase(cli, "CA", name, PASSPHRASE_NEW, &pass,
	    &e) == -1)
		goto fail;
	if (lifecycle_init_policy(&ws, name, &ca, subject, pathlen,
	    permit, exclude, pol, (enum pkey_type)keytype, (unsigned)bits,
	    days, (int64_t)time(NULL),
	    pass.s, pass.len, &der, &len, &e) == -1 ||
	    cert_parse(&c, der, len, &e) == -1)
		goto fail;
	path = ws_keystore_path(&ws, name);
	s = dn_to_string(&c.subject);
	cert_serial_hex(c.serial, c.serial_len, serial, sizeof serial);
	ws_time_format(c.not_after, until);
	printf("CA '%s' created (intermediate, signed by CA '%s')\nkeystore: "
	    "%s\nsubject: %s\nserial: %s\nnot after: %s\n", name, parent,
	    path, s, serial, until);
	if (pathlen < 0)
		printf("pathlen: none\n");
	else
		printf("pathlen: %ld\n", pathlen);
	if (c.ext.has_name_constraints) {
		struct nameconstr nc;

		nameconstr_init(&nc);
		if (nameconstr_from_cert(&nc, &c, NULL) == 1) {
			free(s);
			s = nameconstr_text(&nc);
			printf("name constraints: critical, %s\n", s);
		}
		nameconstr_clear(&nc);
	}
	capolicy_text(&c.ext, pols, sizeof pols);
	if (*pols != '\0')
		printf("policies: %s\n", pols);
	if (c.ext.polc_len > 0)
		printf("policy constraints: critical, requireExplicitPolicy "
		    "%ld, inhibitPolicyMapping %ld (-1: none)\n",
		    pol != NULL ? pol->require_explicit : -1L,
		    pol != NULL ? pol->inhibit_mapping : -1L);
	capolicy_maps_text(&c.ext, pols, sizeof pols);
	if (*pols != '\0')
		printf("policy mappings: critical, %s\n", pols);
	if (capolicy_inhibit_any(&c.ext) >= 0)
		printf("inhibitAnyPolicy: critical, %ld\n",
		    capolicy_inhibit_any(&c.ext));
	goto out;
fail:
	rc = cli_fail(&e);
out:
	passphrase_free(&pass);
	free(der);
	free(s);
	free(path);
	cert_clear(&c);
	ca_clear(&ca);
	ws_clear(&ws);
	return rc;
}
