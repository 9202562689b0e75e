/* cmd-ca.c — `ca init`, `ca issue` and `ca list`. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "asn1/pem.h"
#include "cli/args.h"
#include "cli/cliutil.h"
#include "cli/passphrase.h"
#include "role/ca.h"
#include "role/caconstr.h"
#include "role/capolicy.h"
#include "role/lifecycle.h"
#include "util/xalloc.h"

enum {
	OPT_SUBJECT = 1, OPT_BITS, OPT_DAYS, OPT_CA, OPT_CSR, OPT_PROFILE,
	OPT_OUT, OPT_OUT_DIR, OPT_FORMAT, OPT_PARENT, OPT_PATHLEN, OPT_STATUS,
	OPT_EXPIRING, OPT_URL, OPT_PERMIT, OPT_EXCLUDE, OPT_POLICY, OPT_CPS,
	OPT_REQ_EXPLICIT, OPT_INHIBIT_MAPPING, OPT_POLICY_MAP, OPT_INHIBIT_ANY,
	OPT_TYPE,
};

/* ---- ca init ---- */

static const struct args_opt ca_init_opts[] = {
	{ .id = OPT_SUBJECT, .name = "subject", .has_value = 1 },
	{ .id = OPT_TYPE, .name = "type", .has_value = 1 },
	{ .id = OPT_BITS, .name = "bits", .has_value = 1 },
	{ .id = OPT_DAYS, .name = "days", .has_value = 1 },
	{ .id = OPT_PARENT, .name = "parent", .has_value = 1 },
	{ .id = OPT_PATHLEN, .name = "pathlen", .has_value = 1 },
	{ .id = OPT_URL, .name = "url", .has_value = 1 },
	{ .id = OPT_PERMIT, .name = "permit", .has_value = 1 },
	{ .id = OPT_EXCLUDE, .name = "exclude", .has_value = 1 },
	{ .id = OPT_POLICY, .name = "policy", .has_value = 1 },
	{ .id = OPT_CPS, .name = "cps", .has_value = 1 },
	{ .id = OPT_REQ_EXPLICIT, .name = "require-explicit-policy",
	    .has_value = 1 },
	{ .id = OPT_INHIBIT_MAPPING, .name = "inhibit-mapping",
	    .has_value = 1 },
	{ .id = OPT_POLICY_MAP, .name = "policy-map", .has_value = 1 },
	{ .id = OPT_INHIBIT_ANY, .name = "inhibit-any", .has_value = 1 },
	{ .id = 0 },
};

static cli_fn cmd_ca_init;

const struct cli_cmd cmd_ca_init_entry = {
	.name = "ca init",
	.summary = "create a certificate authority with a self-signed root",
	.usage =
"ca init [NAME] --subject DN [--type rsa|ec] [--bits N] [--days N]\n"
"[--parent CA [--pathlen N] [--permit LIST] [--exclude LIST]\n"
"[--require-explicit-policy N] [--inhibit-mapping N]\n"
"[--policy-map ISSUER_OID=SUBJECT_OID[,...]] [--inhibit-any N]]\n"
"[--policy OID[,OID] [--cps URI]] [--url URL]",
	.help =
"Creates a certificate authority NAME (default \"ca\"): a new RSA or P-256\n"
"key, a self-signed root certificate (basicConstraints critical CA:TRUE; keyUsage\n"
"critical keyCertSign, cRLSign; subjectKeyIdentifier) kept in the CA's\n"
"keystore, and an empty CA database. An existing CA is never overwritten.\n"
"Prints the CA's keystore path, subject, serial, notAfter and the root's\n"
"SHA-256 fingerprint; `export NAME --cert` writes the root certificate.\n"
"\n"
"  --subject DN   the CA's name, as CN=x,O=y,C=z\n"
"  --type T       the CA key: rsa (the default) or ec (ECDSA on NIST\n"
"                 P-256); it signs certificates, CRLs and OCSP answers\n"
"                 with sha256WithRSAEncryption or ecdsa-with-SHA256. Either\n"
"                 type may certify keys of either type, and a parent of\n"
"                 either type an intermediate of either\n"
"  --bits N       RSA key size: 2048, 3072 (the default) or 4096\n"
"  --days N       validity in days from now (default 3650)\n"
"  --parent CA    make an intermediate CA instead, signed by CA (whose key\n"
"                 is unlocked first; then the new CA's passphrase is set):\n"
"                 recorded in the parent's database (profile ca), its\n"
"                 keystore chain is the new certificate then the parent's\n"
"                 chain; validity cut to the parent's notAfter\n"
"  --pathlen N    the intermediate's pathLenConstraint (default 0: it\n"
"                 issues end-entity certificates only); -1 for none\n"
"  --permit LIST  name constraints (critical) of the intermediate (a root\n"
"                 refuses them: verifiers ignore a trust anchor's): the\n"
"                 names it and the CAs below it may certify, a list as\n"
"                 csr new takes for SANs, plus IP ranges and directory names:\n"
"                 DNS:lab.example (and names below it), email:lab.example,\n"
"                 email:.lab.example, URI:.lab.example, IP:10.1.0.0/16,\n"
"                 dirName:O=Lab,C=DE; a CA refuses to sign a name its\n"
"                 chain's constraints leave out\n"
"  --exclude LIST names it may not certify, in the same form\n"
"  --policy OID[,OID]  certificatePolicies of the CA (dotted OIDs or\n"
"                 anyPolicy); everything the CA signs carries the CA's\n"
"                 policies unless `ca set-policy` gave its profile\n"
"                 others. An intermediate's must be\n"
"                 among its parent's (unless the parent has anyPolicy);\n"
"                 without --policy it gets the parent's\n"
"  --cps URI      a CPS qualifier (http:// or https://) on each policy\n"
"  --require-explicit-policy N  intermediates: policyConstraints\n"
"                 (critical): a valid policy is required from N\n"
"                 certificates below this one (0 to 64)\n"
"  --inhibit-mapping N  intermediates: policyConstraints: policy mapping\n"
"                 is not allowed from N certificates below (0 to 64)\n"
"  --policy-map ISSUER_OID=SUBJECT_OID[,...]  intermediates:\n"
"                 policyMappings (critical): each policy of the parent's\n"
"                 domain (one the new CA asserts) is taken as the given\n"
"                 policy of the new CA's domain, which is what the new CA's\n"
"                 certificates then carry; anyPolicy is never mapped\n"
"  --inhibit-any N  intermediates: inhibitAnyPolicy (critical): anyPolicy\n"
"                 no longer matches every policy from N certificates\n"
"                 below this one (0 to 64)\n"
"  --url URL      the base URL of the CA's service, http://HOST[:PORT]:\n"
"                 what the new CA issues carries AIA (URL/ocsp,\n"
"                 URL/ca.cer) and a CDP (URL/crl); as `ca set-url`\n",
	.opts = ca_init_opts,
	.fn = cmd_ca_init,
};

static int
cmd_ca_init(struct cli *cli, int argc, char **argv)
{
	struct args a;
	struct ws ws;
	struct err e;
	struct passphrase pass = { NULL, 0 };
	struct dn subject;
	struct cert root;
	const char *v, *name = NULL, *subj = NULL, *parent = NULL;
	const char *url = NULL, *permit = NULL, *exclude = NULL;
	struct capolicy pol;
	long pathlen = 0;
	char *path = NULL, *s = NULL, fp[3 * ENTITY_FP_SIZE];
	char serial[3 * CERT_MAX_SERIAL + 1], until[WS_TIME_LEN];
	uint8_t *der = NULL;
	size_t derlen = 0;
	long bits = CA_DEFAULT_BITS, days = CA_DEFAULT_DAYS;
	enum pkey_type type = PKEY_RSA;
	char kt[32];
	int r, rc, have_bits = 0;

	capolicy_init(&pol);
	err_clear(&e);
	args_init(&a, cli, "ca init", ca_init_opts, argc, argv);
	while ((r = args_next(&a, &v)) != ARGS_END) {
		switch (r) {
		case ARGS_HELP:
			return EXIT_OK;
		case ARGS_ERROR:
			return EXIT_USAGE;
		case ARGS_OPERAND:
			if (args_operand(&a, &name, v) == -1)
				return EXIT_USAGE;
			break;
		case OPT_SUBJECT:
			subj = v;
			break;
		case OPT_BITS:
			if (args_bits(&a, v, &bits) == -1)
				return EXIT_USAGE;
			have_bits = 1;
			break;
		case OPT_TYPE:
			if (ca_parse_key_type(v, &type, &e) == -1)
				return cli_usage("ca init", "%s", e.msg);
			break;
		case OPT_DAYS:
			if (args_number(&a, "days", v, 1, CA_MAX_DAYS,
			    &days) == -1)
				return EXIT_USAGE;
			break;
		case OPT_PARENT:
			parent = v;
			break;
		case OPT_PATHLEN:
			if (strcmp(v, "-1") == 0)
				pathlen = -1;
			else if (args_number(&a, "pathlen", v, 0, 16,
			    &pathlen) == -1)
				return EXIT_USAGE;
			break;
		case OPT_URL:
			url = v;
			break;
		case OPT_PERMIT:
			permit = v;
			break;
		case OPT_EXCLUDE:
			exclude = v;
			break;
		case OPT_POLICY:
			pol.policies = v;
			break;
		case OPT_CPS:
			pol.cps = v;
			break;
		case OPT_REQ_EXPLICIT:
			if (args_number(&a, "require-explicit-policy", v, 0,
			    CAPOLICY_MAX_SKIP, &pol.require_explicit) == -1)
				return EXIT_USAGE;
			break;
		case OPT_INHIBIT_MAPPING:
			if (args_number(&a, "inhibit-mapping", v, 0,
			    CAPOLICY_MAX_SKIP, &pol.inhibit_mapping) == -1)
				return EXIT_USAGE;
			break;
		case OPT_POLICY_MAP:
			pol.mappings = v;
			break;
		case OPT_INHIBIT_ANY:
			if (args_number(&a, "inhibit-any", v, 0,
			    CAPOLICY_MAX_SKIP, &pol.inhibit_any) == -1)
				return EXIT_USAGE;
			break;
		}
	}
	if ((pol.require_explicit >= 0 || pol.inhibit_mapping >= 0) &&
	    parent == NULL)
		return cli_usage("ca init", "--require-explicit-policy and "
		    "--inhibit-mapping need --parent (a verifier ignores them "
		    "in a root)");
	if ((pol.mappings != NULL || pol.inhibit_any >= 0) && parent == NULL)
		return cli_usage("ca init", "--policy-map and --inhibit-any "
		    "need --parent (a verifier ignores them in a root)");
	if ((permit != NULL || exclude != NULL) && parent == NULL)
		/* Refused, not warned about: nothing would be constrained
		 * (RFC 5280 6.1.1 (d) leaves a trust anchor's own
		 * nameConstraints out; OpenSSL and GnuTLS ignore them). */
		return cli_usage("ca init", "--permit and --exclude need "
		    "--parent: verifiers do not apply a root's own name "
		    "constraints (RFC 5280 6.1), so they would limit nothing; "
		    "constrain an intermediate: ca init NAME --parent ROOT "
		    "--permit LIST");
	if (parent != NULL && name == NULL)
		return cli_usage("ca init", "--parent needs the new CA's NAME");
	if (type == PKEY_EC && have_bits)
		return cli_usage("ca init", "--bits is for RSA keys (an ec CA "
		    "key is P-256)");
	if (name == NULL)
		name = "ca";
	if (subj == NULL)
		return cli_usage("ca init", "missing --subject DN");
	err_clear(&e);
	if (url != NULL && ca_check_url(url, &e) == -1)
		return cli_usage("ca init", "--url: %s", e.msg);
	{
		/* A bad list is a usage error, found before any passphrase. */
		struct ext_info x;

		ext_info_init(&x);
		r = caconstr_set(&x, permit, exclude, &e);
		if (r == 0)
			r = capolicy_set(&x, &pol, &e);
		ext_info_clear(&x);
		if (r == -1)
			return cli_usage("ca init", "%s", e.msg);
	}

	err_clear(&e);
	ws_init(&ws);
	dn_init(&subject);
	cert_init(&root);
	rc = EXIT_OK;
	if (dn_from_string(&subject, subj, &e) == -1) {
		rc = cli_usage("ca init", "--subject: %s", e.msg);
		goto out;
	}
	if (dn_empty(&subject)) {
		rc = cli_usage("ca init", "--subject: the name is empty");
		goto out;
	}
	if (parent != NULL) {
		rc = cmd_ca_init_intermediate(cli, name, parent, &subject,
		    pathlen, permit, exclude, &pol, (int)type, bits, days);
		if (rc == EXIT_OK && url != NULL)
			goto url;
		goto out;
	}
	if (cliutil_ws(cli, &ws, &e) == -1 || ws_check_name(name, &e) == -1)
		goto fail;
	/* Refuse an existing CA before asking for a passphrase. */
	if (keystore_exists(&ws, name)) {
		struct cadb_meta m;
		int isca;

		cadb_meta_init(&m);
		isca = cadb_meta_load(&ws, name, &m, NULL) == 0;
		cadb_meta_clear(&m);
		err_set(&e, ERR_REFUSED, isca ? "CA '%s' already exists" :
		    "keystore '%s' already exists (a CA needs a keystore of "
		    "its own)", name);
		goto fail;
	}
	if (cliutil_passphrase(cli, "CA", name, PASSPHRASE_NEW, &pass,
	    &e) == -1)
		goto fail;
	if (ca_create_policy(&ws, name, &subject, type, (unsigned)bits, days,
	    (int64_t)time(NULL), &pol, pass.s, pass.len, NULL, NULL, &der,
	    &derlen, &e) == -1)
		goto fail;
	if (cert_parse(&root, der, derlen, &e) == -1)
		goto fail;
	path = ws_keystore_path(&ws, name);
	s = dn_to_string(&root.subject);
	cert_serial_hex(root.serial, root.serial_len, serial, sizeof serial);
	ws_time_format(root.not_after, until);
	entity_fp_hex(root.fp_sha256, fp);
	if (type == PKEY_EC)
		snprintf(kt, sizeof kt, "ec P-256");
	else
		snprintf(kt, sizeof kt, "rsa %ld bits", bits);
	printf("CA '%s' created\nkeystore: %s\nsubject: %s\nserial: %s\n"
	    "not after: %s\nkey: %s\ncertificate SHA256: %s\n",
	    name, path, s, serial, until, kt, fp);
	{
		char pols[256];

		capolicy_text(&root.ext, pols, sizeof pols);
		if (*pols != '\0')
			printf("policies: %s\n", pols);
	}
	if (url == NULL)
		goto out;
url:
	if (cmd_ca_url_store(cli, name, url, &e) == -1) {
		err_wrap(&e, "CA '%s' was made without its URL (`ca set-url` "
		    "sets it)", name);
		goto fail;
	}
	printf("url: %.*s\n", (int)(strlen(url) - (url[strlen(url) - 1] == '/')),
	    url);
	goto out;
fail:
	rc = cli_fail(&e);
out:
	free(der);
	free(s);
	free(path);
	cert_clear(&root);
	passphrase_free(&pass);
	dn_clear(&subject);
	ws_clear(&ws);
	return rc;
}

/* ---- ca issue ---- */

static const struct args_opt ca_issue_opts[] = {
	{ .id = OPT_CA, .name = "ca", .has_value = 1 },
	{ .id = OPT_CSR, .name = "csr", .has_value = 1 },
	{ .id = OPT_PROFILE, .name = "profile", .has_value = 1 },
	{ .id = OPT_DAYS, .name = "days", .has_value = 1 },
	{ .id = OPT_OUT, .name = "out", .has_value = 1 },
	{ .id = OPT_OUT_DIR, .name = "out-dir", .has_value = 1 },
	{ .id = 0 },
};

static cli_fn cmd_ca_issue;

const struct cli_cmd cmd_ca_issue_entry = {
	.name = "ca issue",
	.summary = "issue certificates from requests (one or a batch)",
	.usage =
"ca issue [--ca NAME] --csr FILE... [--profile server|client|ca|peer]\n"
"[--days N] [--out FILE | --out-dir DIR]",
	.help =
"Issues a certificate for each request (PEM or DER). Each request must\n"
"carry a valid signature by its own key (proof of possession) and an RSA\n"
"key of at least 2048 bits or a P-256 key. A CA with an ec key signs\n"
"with ecdsa-with-SHA256. The profile decides the extensions:\n"
"  server  keyUsage digitalSignature, keyEncipherment; EKU serverAuth;\n"
"          requested DNS and IP names are copied; with none requested, a\n"
"          host-like CN becomes a DNS name (default 365 days)\n"
"  client  keyUsage digitalSignature; EKU clientAuth; requested email and\n"
"          DNS names are copied (default 365 days)\n"
"  ca      keyUsage keyCertSign, cRLSign; CA:TRUE (default 1825 days)\n"
"  peer    a client that also listens and exchanges signed and sealed\n"
"          messages: keyUsage digitalSignature, keyEncipherment; EKU\n"
"          clientAuth, serverAuth, emailProtection; requested email, DNS\n"
"          and IP names are copied (default 365 days)\n"
"CA:TRUE is never granted outside profile ca, whatever the request asks.\n"
"Serial numbers are random (16 bytes, positive, over 120 bits of entropy)\n"
"and unique within the CA. notBefore is 5 minutes in the past (clock\n"
"skew); notAfter is clamped to the CA's own notAfter, with a note on\n"
"standard error. Each certificate is recorded in the CA database (and\n"
"synced to disk) before it is written out. Several requests are a batch:\n"
"the CA key is unlocked once; a refused request is reported and the\n"
"others are still issued.\n"
"\n"
"  --ca NAME        the issuing CA (default \"ca\")\n"
"  --csr FILE       a request; repeat, or list several files after it\n"
"  --profile P      server (the default), client, ca or peer\n"
"  --days N         validity in days (default: the profile's)\n"
"  --out FILE       write the certificate(s) (PEM) to FILE; default\n"
"                   standard output\n"
"  --out-dir DIR    write each certificate to DIR/SERIAL.pem (hex serial;\n"
"                   DIR is created if missing)\n"
"Each certificate is also given, followed by the CA's chain, to the keystore\n"
"of this workspace that holds its key, when that one has no certificate yet\n"
"or an older one for the key (never a CA's keystore; when several hold the\n"
"key, none, with a note): `server run NAME` then needs no import.\n"
"With --out or --out-dir, one line per certificate goes to standard output:\n"
"  issued SERIAL SUBJECT (profile P, until NOTAFTER) -> FILE\n"
"and \"attached to keystore NAME\" after it (a note on stderr without them).\n"
"Notes (SANs not copied, CA:TRUE not granted, notAfter cut) go to stderr.\n"
"Exit status: that of the first request refused (1) or unreadable (3).\n",
	.opts = ca_issue_opts,
	.fn = cmd_ca_issue,
};

/* One request read from a file (a file may hold several PEM requests). */
struct issue_req {
	const char *file;
	unsigned index;		/* 1-based number of the request in the file */
	struct csr csr;
};

static void
issue_label(const struct issue_req *q, char *out, size_t size)
{
	if (q->index > 1)
		snprintf(out, size, "%s (request %u)", q->file, q->index);
	else
		snprintf(out, size, "%s", q->file);
}

/* Reads every request in file, appending to *reqs; returns -1 with err
 * on unreadable or malformed data (the requests before a bad one stay). */
static int
issue_read(const char *file, struct issue_req **reqs, size_t *n,
    struct err *e)
{
	struct csr_file f;
	struct issue_req *q;
	int r;

	r = csr_file_open(&f, file, 1, e);
	while (r != -1) {
		*reqs = xreallocarray(*reqs, *n + 1, sizeof **reqs);
		q = &(*reqs)[*n];
		csr_init(&q->csr);
		if ((r = csr_file_next(&f, &q->csr, e)) != 1) {
			csr_clear(&q->csr);
			break;
		}
		q->file = file;
		q->index = f.found;
		(*n)++;
	}
	csr_file_clear(&f);
	return r == -1 ? -1 : 0;
}

static int
issue_mkdir(const char *dir, struct err *e)
{
	struct stat st;

	if (stat(dir, &st) == 0) {
		if (!S_ISDIR(st.st_mode))
			return err_set(e, ERR_IO, "%s: not a directory", dir);
		return 0;
	}
	if (mkdir(dir, 0755) == -1 && errno != EEXIST)
		return err_set(e, ERR_IO, "%s: %s", dir, strerror(errno));
	return 0;
}

/* Before the CA passphrase is asked: the --out-dir folder, if any. */
static int
issue_precheck(const struct ca *ca, const void *outdir, struct err *e)
{
	(void)ca;
	return outdir != NULL ? issue_mkdir(outdir, e) : 0;
}

static int
cmd_ca_issue(struct cli *cli, int argc, char **argv)
{
	struct args a;
	struct ws ws;
	struct err e, qe;
	struct ca ca;
	struct issue_req *reqs = NULL;
	struct ca_batch_req *batch = NULL;
	struct buf outbuf, pem;
	const struct profile *prof = profile_get(PROFILE_SERVER);
	const char *v, *caname = "ca", *out = NULL, *outdir = NULL;
	const char **files = NULL;
	char label[512], until[WS_TIME_LEN];
	size_t nfiles = 0, nreqs = 0, i, j;
	long days = 0;
	int r, rc = EXIT_OK, first = EXIT_OK, csr_seen = 0, issued;
	int64_t now;

	args_init(&a, cli, "ca issue", ca_issue_opts, argc, argv);
	while ((r = args_next(&a, &v)) != ARGS_END) {
		switch (r) {
		case ARGS_HELP:
			free(files);
			return EXIT_OK;
		case ARGS_ERROR:
			free(files);
			return EXIT_USAGE;
		case ARGS_OPERAND:
			/* "--csr a.pem b.pem": files after --csr are requests. */
			if (!csr_seen) {
				free(files);
				return cli_usage("ca issue", "unexpected "
				    "argument '%s' (requests go after --csr)",
				    v);
			}
			/* FALLTHROUGH */
		case OPT_CSR:
			csr_seen = 1;
			files = xreallocarray(files, nfiles + 1, sizeof *files);
			files[nfiles++] = v;
			break;
		case OPT_CA:
			caname = v;
			break;
		case OPT_PROFILE:
			if ((prof = profile_find(v)) == NULL) {
				free(files);
				return cli_usage("ca issue", "unknown profile "
				    "'%s' (use %s)", v, profile_names());
			}
			break;
		case OPT_DAYS:
			if (args_number(&a, "days", v, 1, CA_MAX_DAYS,
			    &days) == -1) {
				free(files);
				return EXIT_USAGE;
			}
			break;
		case OPT_OUT:
			out = v;
			break;
		case OPT_OUT_DIR:
			outdir = v;
			break;
		}
	}
	if (nfiles == 0)
		return cli_usage("ca issue", "missing --csr FILE");
	if (out != NULL && outdir != NULL) {
		free(files);
		return cli_usage("ca issue", "--out and --out-dir exclude each "
		    "other");
	}

	err_clear(&e);
	ws_init(&ws);
	ca_init(&ca);
	buf_init(&outbuf);
	buf_init(&pem);

	/* Read every request first: bad data costs no passphrase. */
	for (i = 0; i < nfiles; i++) {
		err_clear(&qe);
		if (issue_read(files[i], &reqs, &nreqs, &qe) == -1) {
			r = cli_fail(&qe);
			if (first == EXIT_OK)
				first = r;
		}
	}
	if (nreqs == 0) {
		rc = first;
		goto out;
	}
	/* Issuing needs only which serials are taken: the append open. */
	if (cliutil_ca(cli, &ws, &ca, caname, CA_WRITE | CA_APPEND,
	    issue_precheck, outdir, &e) == -1)
		goto fail;

	now = (int64_t)time(NULL);
	batch = xcalloc(nreqs, sizeof *batch);
	for (i = 0; i < nreqs; i++)
		ca_batch_req_init(&batch[i], &reqs[i].csr);
	/* One group commit: no certificate goes out before its record is on
	 * disk; the refusals first, in order, then what was issued. */
	issued = ca_issue_batch(&ca, batch, nreqs, prof, days, now, outdir,
	    &e);
	for (i = 0; i < nreqs; i++) {
		if (batch[i].res.der != NULL || batch[i].err.kind == ERR_NONE)
			continue;
		issue_label(&reqs[i], label, sizeof label);
		err_wrap(&batch[i].err, "%s", label);
		r = cli_fail(&batch[i].err);
		if (first == EXIT_OK)
			first = r;
	}
	if (issued == -1)
		goto fail;
	for (i = 0; i < nreqs; i++) {
		struct ca_batch_req *q = &batch[i];

		if (q->res.der == NULL)
			continue;
		issue_label(&reqs[i], label, sizeof label);
		for (j = 0; j < q->nnotes; j++)
			cliutil_note("%s: %s", label, q->notes[j]);
		ws_time_format(q->res.not_after, until);
		if (q->err.kind == ERR_NONE && outdir == NULL && out == NULL) {
			buf_clear(&pem);
			pem_encode("CERTIFICATE", q->res.der, q->res.len, &pem);
			(void)cliutil_write(NULL, pem.data, pem.len, 0,
			    &q->err);
		} else if (q->err.kind == ERR_NONE) {
			printf("issued %s %s (profile %s, until %s) -> %s\n",
			    q->res.serial, q->res.subject, prof->name, until,
			    outdir != NULL ? q->path : out);
			if (out != NULL)
				pem_encode("CERTIFICATE", q->res.der,
				    q->res.len, &outbuf);
		}
		/* Standard output holds nothing but PEM without a file. */
		if (q->attached != NULL && outdir == NULL && out == NULL)
			cliutil_note("%s: attached to keystore %s", label,
			    q->attached);
		else if (q->attached != NULL)
			printf("attached to keystore %s\n", q->attached);
		/* Issued, but its out-dir file or standard output failed. */
		if (q->err.kind != ERR_NONE) {
			r = cli_fail(&q->err);
			if (first == EXIT_OK)
				first = r;
		}
	}
	if (out != NULL && outbuf.len > 0 &&
	    cliutil_write(out, outbuf.data, outbuf.len, 0, &e) == -1)
		goto fail;
	if (fflush(stdout) != 0) {
		err_set(&e, ERR_IO, "standard output: %s", strerror(errno));
		goto fail;
	}
	rc = first;
	goto out;
fail:
	rc = cli_fail(&e);
out:
	for (i = 0; i < nreqs; i++) {
		if (batch != NULL)
			ca_batch_req_clear(&batch[i]);
		csr_clear(&reqs[i].csr);
	}
	free(batch);
	free(reqs);
	free(files);
	buf_clear(&outbuf);
	buf_clear(&pem);
	ca_clear(&ca);
	ws_clear(&ws);
	return rc;
}

/* ---- ca list ---- */

static const struct args_opt ca_list_opts[] = {
	{ .id = OPT_CA, .name = "ca", .has_value = 1 },
	{ .id = OPT_FORMAT, .name = "format", .has_value = 1 },
	{ .id = OPT_STATUS, .name = "status", .has_value = 1 },
	{ .id = OPT_EXPIRING, .name = "expiring", .has_value = 1 },
	{ .id = 0 },
};

static cli_fn cmd_ca_list;

const struct cli_cmd cmd_ca_list_entry = {
	.name = "ca list",
	.summary = "list the certificates a CA has issued",
	.usage =
"ca list [--ca NAME] [--format table|yaml|json|csv]\n"
"[--status valid|revoked|on-hold|expired|superseded] [--expiring DAYS]",
	.help =
"Lists the certificates the CA has issued, from its database: serial,\n"
"subject, notAfter, status (valid, revoked, on-hold: revoked with reason\n"
"certificateHold, expired, or superseded: renewed by `ca renew`) and\n"
"profile.\n"
"\n"
"  --ca NAME        the CA (default \"ca\")\n"
"  --format F       table (the default), yaml, json or csv\n"
"  --status S       only certificates with status S (revoked includes\n"
"                   those on hold)\n"
"  --expiring DAYS  only certificates not revoked whose notAfter is within\n"
"                   DAYS days from now\n",
	.opts = ca_list_opts,
	.fn = cmd_ca_list,
};

enum list_format { LIST_TABLE, LIST_YAML, LIST_JSON, LIST_CSV };

static const char *const list_formats[] = {
	[LIST_TABLE] = "table",
	[LIST_YAML] = "yaml",
	[LIST_JSON] = "json",
	[LIST_CSV] = "csv",
};

/* A double-quoted string valid in both JSON and YAML: '"', '\' and
 * control characters escaped; bytes above 0x7f (UTF-8) as they are. */
static void
list_quoted(const char *s)
{
	const unsigned char *p;

	putchar('"');
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			printf("\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			printf("\\u%04x", *p);
		else
			putchar(*p);
	}
	putchar('"');
}

/* RFC 4180: quoted when it holds a comma, a quote or a line break. */
static void
list_csv_field(const char *s)
{
	const char *p;

	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, stdout);
		return;
	}
	putchar('"');
	for (p = s; *p != '\0'; p++) {
		if (*p == '"')
			putchar('"');
		putchar(*p);
	}
	putchar('"');
}

/* For the table: control characters shown as '?'. */
static void
list_plain(const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p != '\0'; p++)
		putchar(*p < 0x20 || *p == 0x7f ? '?' : *p);
}

static int
cmd_ca_list(struct cli *cli, int argc, char **argv)
{
	struct args a;
	struct ws ws;
	struct err e;
	struct ca ca;
	enum list_format fmt = LIST_TABLE;
	const char *v, *caname = "ca", *status = NULL;
	char na[WS_TIME_LEN];
	size_t i, f, shown = 0;
	long expiring = -1;
	int r, rc = EXIT_OK;
	int64_t now = (int64_t)time(NULL);

	args_init(&a, cli, "ca list", ca_list_opts, argc, argv);
	while ((r = cliutil_ca_args(&a, OPT_CA, &caname, NULL, &v, &rc)) > 0) {
		switch (r) {
		case OPT_FORMAT:
			for (f = 0; f < 4; f++)
				if (strcmp(v, list_formats[f]) == 0)
					break;
			if (f == 4)
				return cli_usage("ca list", "unknown format "
				    "'%s' (use table, yaml, json or csv)", v);
			fmt = (enum list_format)f;
			break;
		case OPT_STATUS:
			if (!lifecycle_status_ok(v))
				return cli_usage("ca list", "unknown status "
				    "'%s' (use valid, revoked, on-hold, "
				    "expired or superseded)", v);
			status = v;
			break;
		case OPT_EXPIRING:
			if (args_number(&a, "expiring", v, 0, CA_MAX_DAYS,
			    &expiring) == -1)
				return EXIT_USAGE;
			break;
		}
	}
	if (r == -1)
		return rc;

	err_clear(&e);
	ws_init(&ws);
	ca_init(&ca);
	if (cliutil_ca(cli, &ws, &ca, caname, 0, NULL, NULL, &e) == -1) {
		rc = cli_fail(&e);
		goto out;
	}

	switch (fmt) {
	case LIST_TABLE:
		printf("%-32s  %-20s  %-7s  %-7s  %s\n", "SERIAL", "NOT AFTER",
		    "STATUS", "PROFILE", "SUBJECT");
		break;
	case LIST_CSV:
		printf("serial,subject,not_after,status,profile\n");
		break;
	case LIST_JSON:
		printf("[");
		break;
	case LIST_YAML:
		break;
	}
	for (i = 0; i < ca.db.ncerts; i++) {
		const struct cadb_cert *c = &ca.db.certs[i];
		const char *st = lifecycle_status(c, now);

		if (!lifecycle_match(c, now, status, expiring))
			continue;
		shown++;

		ws_time_format(c->not_after, na);
		switch (fmt) {
		case LIST_TABLE:
			printf("%-32s  %-20s  %-7s  %-7s  ", c->serial, na, st,
			    c->profile);
			list_plain(c->subject);
			putchar('\n');
			break;
		case LIST_CSV:
			list_csv_field(c->serial);
			putchar(',');
			list_csv_field(c->subject);
			printf(",%s,%s,", na, st);
			list_csv_field(c->profile);
			putchar('\n');
			break;
		case LIST_JSON:
			printf("%s\n  {\"serial\": ", shown > 1 ? "," : "");
			list_quoted(c->serial);
			printf(", \"subject\": ");
			list_quoted(c->subject);
			printf(", \"not_after\": \"%s\", \"status\": \"%s\", "
			    "\"profile\": ", na, st);
			list_quoted(c->profile);
			putchar('}');
			break;
		case LIST_YAML:
			printf("- serial: ");
			list_quoted(c->serial);
			printf("\n  subject: ");
			list_quoted(c->subject);
			printf("\n  not_after: %s\n  status: %s\n  profile: ",
			    na, st);
			list_quoted(c->profile);
			putchar('\n');
			break;
		}
	}
	if (fmt == LIST_JSON)
		printf("%s]\n", shown > 0 ? "\n" : "");
	if (fmt == LIST_YAML && shown == 0)
		printf("[]\n");
	if (fflush(stdout) != 0) {
		err_set(&e, ERR_IO, "standard output: %s", strerror(errno));
		rc = cli_fail(&e);
	}
out:
	ca_clear(&ca);
	ws_clear(&ws);
	return rc;
}
