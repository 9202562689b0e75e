/* cmd-msg.c — `msg sign`, `msg verify`, `msg seal`, `msg open`: signed and
 * sealed CMS messages between entities, offline (role/msg.h). Messages
 * are written as PEM "CMS" and read as PEM or DER. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "asn1/pem.h"
#include "cli/args.h"
#include "cli/cliutil.h"
#include "cli/passphrase.h"
#include "net/loop.h"
#include "role/msg.h"
#include "store/keystore.h"
#include "store/ws.h"
#include "util/file.h"
#include "util/xalloc.h"

#define MSG_MAX_TO 16		/* --to given at most this often */
#define MSG_MAX_FILES 16	/* --ca, --untrusted */

/* The message as PEM "CMS" to path (standard output when NULL). */
static int
msg_write_pem(const char *path, const uint8_t *der, size_t len,
    struct err *e)
{
	struct buf pem;
	int rc;

	buf_init(&pem);
	pem_encode("CMS", der, len, &pem);
	rc = cliutil_write(path, pem.data, pem.len, 0, e);
	buf_clear(&pem);
	return rc;
}

/* ---- msg sign ---- */

enum { OPT_SG_IN = 1, OPT_SG_OUT, OPT_SG_DETACHED, OPT_SG_PSS };

static const struct args_opt msg_sign_opts[] = {
	{ .id = OPT_SG_IN, .name = "in", .has_value = 1 },
	{ .id = OPT_SG_OUT, .name = "out", .has_value = 1 },
	{ .id = OPT_SG_DETACHED, .name = "detached", .has_value = 0 },
	{ .id = OPT_SG_PSS, .name = "pss", .has_value = 0 },
	{ .id = 0 },
};

static cli_fn cmd_msg_sign;

const struct cli_cmd cmd_msg_sign_entry = {
	.name = "msg sign",
	.summary = "sign a message with an entity's key (CMS SignedData)",
	.usage = "msg sign NAME --in FILE [--detached] [--pss]\n[--out FILE]",
	.help =
"Signs the bytes of FILE with entity NAME's key: CMS SignedData (RFC\n"
"5652) with SHA-256, the signed attributes contentType, signingTime and\n"
"messageDigest, and NAME's certificate chain as stored in its keystore.\n"
"Written as PEM (label CMS); `openssl cms -verify` reads it. A P-256\n"
"key signs with ecdsa-with-SHA256 (RFC 5753).\n"
"The keystore's passphrase is asked as for export.\n"
"\n"
"  --in FILE        the content (\"-\" for standard input)\n"
"  --detached       leave the content out: the reader needs FILE too\n"
"  --pss            RSASSA-PSS (SHA-256, MGF1-SHA-256, salt 32) instead\n"
"                   of PKCS#1 v1.5 (RSA keys only)\n"
"  --out FILE       where the message goes (replaced); default standard\n"
"                   output\n",
	.opts = msg_sign_opts,
	.fn = cmd_msg_sign,
};

static int
cmd_msg_sign(struct cli *cli, int argc, char **argv)
{
	struct args a;
	struct ws ws;
	struct err e;
	struct passphrase pass = { NULL, 0 };
	struct msg_sign_opts o;
	struct buf in;
	const char *v, *name = NULL, *infile = NULL, *outfile = NULL;
	uint8_t *der = NULL;
	size_t len = 0;
	int r, rc = EXIT_OK;

	memset(&o, 0, sizeof o);
	args_init(&a, cli, "msg sign", msg_sign_opts, argc, argv);
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
		case OPT_SG_IN:
			infile = v;
			break;
		case OPT_SG_OUT:
			outfile = v;
			break;
		case OPT_SG_DETACHED:
			o.detached = 1;
			break;
		case OPT_SG_PSS:
			o.pss = 1;
			break;
		}
	}
	if (name == NULL)
		return cli_usage("msg sign", "missing NAME (the signer)");
	if (infile == NULL)
		return cli_usage("msg sign", "missing --in FILE (the content)");

	err_clear(&e);
	ws_init(&ws);
	buf_init(&in);
	if (cliutil_ws(cli, &ws, &e) == -1 || ws_check_name(name, &e) == -1 ||
	    file_read(infile, CMS_MAX_SIZE, &in, &e) == -1)
		goto fail;
	if (!keystore_exists(&ws, name)) {
		err_set(&e, ERR_USAGE, "no keystore '%s'", name);
		goto fail;
	}
	if (cliutil_passphrase(cli, "keystore", name, 0, &pass, &e) == -1 ||
	    msg_sign(&ws, name, pass.s, pass.len, in.data, in.len, &o, &der,
	    &len, &e) == -1 || msg_write_pem(outfile, der, len, &e) == -1)
		goto fail;
	goto out;
fail:
	rc = cli_fail(&e);
out:
	free(der);
	passphrase_free(&pass);
	buf_clear(&in);
	ws_clear(&ws);
	return rc;
}

/* ---- msg verify ---- */

enum {
	OPT_V_CA = 1, OPT_V_UNTRUSTED, OPT_V_STATUS, OPT_V_CONTENT,
	OPT_V_OUT, OPT_V_AT, OPT_V_TIMEOUT,
};

static const struct args_opt msg_verify_opts[] = {
	{ .id = OPT_V_CA, .name = "ca", .has_value = 1 },
	{ .id = OPT_V_UNTRUSTED, .name = "untrusted", .has_value = 1 },
	{ .id = OPT_V_STATUS, .name = "status", .has_value = 1 },
	{ .id = OPT_V_CONTENT, .name = "content", .has_value = 1 },
	{ .id = OPT_V_OUT, .name = "out", .has_value = 1 },
	{ .id = OPT_V_AT, .name = "at", .has_value = 1 },
	{ .id = OPT_V_TIMEOUT, .name = "timeout", .has_value = 1 },
	{ .id = 0 },
};

static cli_fn cmd_msg_verify;

const struct cli_cmd cmd_msg_verify_entry = {
	.name = "msg verify",
	.summary = "verify a signed message and its signer, step by step",
	.usage =
"msg verify --ca FILE [--untrusted FILE] [--status ADDR]\n"
"[--content FILE] [--out FILE] [--at TIME] [--timeout S] IN",
	.help =
"Verifies the signed message IN (CMS SignedData, PEM or DER, ours or\n"
"`openssl cms -sign`'s) and prints every step, as verify does: the\n"
"signature (signer's certificate, contentType, messageDigest, RSA\n"
"PKCS#1 v1.5 or PSS), then the signer's certificate path to --ca for the\n"
"purpose emailProtection (the \"peer\" profile has it), then, with\n"
"--status, the signer's status from the CA service over OCSP. The last\n"
"line is the verdict: GOOD, INVALID, REVOKED or UNKNOWN. Exit 0 when\n"
"good, 1 when not, 3 when IN does not parse.\n"
"\n"
"  --ca FILE        trusted root certificate(s), PEM or DER (repeatable)\n"
"  --untrusted FILE more intermediates for the path (repeatable); the\n"
"                   message's own certificates are used too\n"
"  --status ADDR    ask the CA service at ADDR: unix:PATH or\n"
"                   tcp:HOST:PORT (HTTPS, its certificate checked against\n"
"                   --ca) or http://HOST:PORT\n"
"  --content FILE   the content of a detached signature\n"
"  --out FILE       write the signed content there once it is good\n"
"                   (replaced; \"-\" for standard output)\n"
"  --at TIME        check the path at TIME instead of now: YYYY-MM-DD,\n"
"                   YYYY-MM-DDTHH:MM:SSZ or @SECONDS\n"
"  --timeout S      seconds for the OCSP exchange (10)\n",
	.opts = msg_verify_opts,
	.fn = cmd_msg_verify,
};

/* "GOOD", "INVALID", ... for the verdict line. */
static void
msg_upper(const char *s, char *out, size_t n)
{
	size_t i;

	for (i = 0; s[i] != '\0' && i + 1 < n; i++)
		out[i] = (char)(s[i] >= 'a' && s[i] <= 'z' ? s[i] - 32 : s[i]);
	out[i] = '\0';
}

static int
msg_load_certs(struct cert_list *l, const char *const *files, size_t n,
    struct err *e)
{
	size_t i, before;

	for (i = 0; i < n; i++) {
		before = l->n;
		if (cert_list_load_file(l, files[i], e) == -1)
			return -1;
		if (l->n == before)
			return err_set(e, ERR_INPUT, "%s: no certificate found",
			    files[i]);
	}
	return 0;
}

static int
cmd_msg_verify(struct cli *cli, int argc, char **argv)
{
	struct args a;
	struct err e;
	struct cert_list anchors, untrusted;
	struct msg_verify_params p;
	struct msg_result res;
	struct buf in, content;
	const char *v, *path = NULL, *cfile = NULL, *outfile = NULL;
	const char *cas[MSG_MAX_FILES], *unts[MSG_MAX_FILES];
	char when[40], verdict[16];
	size_t ncas = 0, nunts = 0;
	long timeout = MSG_STATUS_TIMEOUT;
	int r, rc = EXIT_OK;

	memset(&p, 0, sizeof p);
	p.at = (int64_t)time(NULL);
	err_clear(&e);
	args_init(&a, cli, "msg verify", msg_verify_opts, argc, argv);
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
		case OPT_V_CA:
		case OPT_V_UNTRUSTED:
			if ((r == OPT_V_CA ? ncas : nunts) == MSG_MAX_FILES)
				return cli_usage("msg verify", "option '--%s' "
				    "given more than %d times", r == OPT_V_CA ?
				    "ca" : "untrusted", MSG_MAX_FILES);
			if (r == OPT_V_CA)
				cas[ncas++] = v;
			else
				unts[nunts++] = v;
			break;
		case OPT_V_STATUS:
			p.status_addr = v;
			break;
		case OPT_V_CONTENT:
			cfile = v;
			break;
		case OPT_V_OUT:
			outfile = v;
			break;
		case OPT_V_AT:
			if (verify_parse_time(v, &p.at, &e) == -1)
				return cli_usage("msg verify", "option '--at': "
				    "%s", e.msg);
			break;
		case OPT_V_TIMEOUT:
			if (args_number(&a, "timeout", v, 1, 3600, &timeout)
			    == -1)
				return EXIT_USAGE;
			break;
		}
	}
	if (path == NULL)
		return cli_usage("msg verify", "missing IN (the message)");
	if (ncas == 0)
		return cli_usage("msg verify", "the trust anchors are needed: "
		    "--ca FILE");
	p.timeout = (int)timeout;

	cert_list_init(&anchors);
	cert_list_init(&untrusted);
	msg_result_init(&res);
	buf_init(&in);
	buf_init(&content);
	if (msg_load_certs(&anchors, cas, ncas, &e) == -1 ||
	    msg_load_certs(&untrusted, unts, nunts, &e) == -1 ||
	    file_read(path, CMS_MAX_SIZE, &in, &e) == -1 ||
	    (cfile != NULL && file_read(cfile, CMS_MAX_SIZE, &content, &e)
	    == -1))
		goto fail;
	p.anchors = &anchors;
	p.untrusted = nunts > 0 ? &untrusted : NULL;
	if (cfile != NULL) {
		p.content = content.data;
		p.content_len = content.len;
	}
	verify_format_time(p.at, when, sizeof when);
	printf("%s: checking at %s, purpose emailProtection%s%s\n", path, when,
	    p.status_addr != NULL ? ", status from " : "",
	    p.status_addr != NULL ? p.status_addr : "");
	fflush(stdout);
	if (p.status_addr != NULL)
		loop_catch_signals();
	r = msg_verify(in.data, in.len, &p, &res, &e);
	verify_print(stdout, &res.steps);
	msg_upper(msg_verdict_name(res.verdict), verdict, sizeof verdict);
	if (r == 0) {
		if (res.has_signing_time)
			verify_format_time(res.signing_time, when,
			    sizeof when);
		printf("%s: GOOD: signed by '%s' (serial %s%s%s)%s\n", path,
		    res.signer, res.serial, res.has_signing_time ? ", at " :
		    "", res.has_signing_time ? when : "", res.detached ?
		    ", detached" : "");
		fflush(stdout);
		if (outfile != NULL && cliutil_write(outfile, res.content,
		    res.content_len, 0, &e) == -1)
			goto fail;
		goto out;
	}
	if (res.verdict == MSG_MALFORMED && e.kind != ERR_USAGE) {
		printf("%s: MALFORMED: %s\n", path, e.msg);
		fflush(stdout);
		fprintf(stderr, CLI_PROG ": %s: %s\n", path, e.msg);
		rc = EXIT_DATA;
		goto out;
	}
	if (e.kind == ERR_USAGE) {
		rc = cli_usage("msg verify", "%s: %s", path, e.msg);
		goto out;
	}
	printf("%s: %s: %s\n", path, verdict, e.msg);
	fflush(stdout);
	fprintf(stderr, CLI_PROG ": %s: %s\n", path, e.msg);
	rc = EXIT_REFUSED;
	goto out;
fail:
	rc = cli_fail(&e);
out:
	buf_clear(&content);
	buf_clear(&in);
	msg_result_clear(&res);
	cert_list_clear(&untrusted);
	cert_list_clear(&anchors);
	return rc;
}

/* ---- msg seal ---- */

enum { OPT_SL_TO = 1, OPT_SL_IN, OPT_SL_OUT, OPT_SL_GCM, OPT_SL_OAEP,
    OPT_SL_PKCS1 };

static const struct args_opt msg_seal_opts[] = {
	{ .id = OPT_SL_TO, .name = "to", .has_value = 1 },
	{ .id = OPT_SL_IN, .name = "in", .has_value = 1 },
	{ .id = OPT_SL_OUT, .name = "out", .has_value = 1 },
	{ .id = OPT_SL_GCM, .name = "gcm", .has_value = 0 },
	{ .id = OPT_SL_OAEP, .name = "oaep", .has_value = 0 },
	{ .id = OPT_SL_PKCS1, .name = "pkcs1", .has_value = 0 },
	{ .id = 0 },
};

static cli_fn cmd_msg_seal;

const struct cli_cmd cmd_msg_seal_entry = {
	.name = "msg seal",
	.summary = "seal a message with AES to recipients' certificates",
	.usage =
"msg seal --to CERT... --in FILE [--out FILE]\n[--gcm] [--oaep | --pkcs1]",
	.help =
"Encrypts the bytes of FILE for every --to certificate: CMS EnvelopedData\n"
"(RFC 5652) with AES-256-CBC, or AuthEnvelopedData (RFC 5083) with\n"
"AES-256-GCM, a fresh AES key carried to each recipient with its RSA key.\n"
"Written as PEM (label CMS); `openssl cms -decrypt` and `msg open` read\n"
"it. A certificate whose keyUsage lacks keyEncipherment is refused (the\n"
"\"peer\" profile has it), and so is one with a P-256 key (that would need\n"
"ECDH key agreement, not implemented). No passphrase is needed.\n"
"\n"
"  --to CERT        a recipient: the first certificate of file CERT\n"
"                   (repeat for more, at most 16)\n"
"  --in FILE        the content (\"-\" for standard input)\n"
"  --out FILE       where the message goes (replaced); default standard\n"
"                   output\n"
"  --gcm            AES-256-GCM (authenticated) instead of AES-256-CBC,\n"
"                   which every CMS reader opens (the default)\n"
"  --oaep           RSA-OAEP with SHA-256 and MGF1-SHA-256 for the key\n"
"                   (the default)\n"
"  --pkcs1          RSA PKCS#1 v1.5 for the key, for older readers\n",
	.opts = msg_seal_opts,
	.fn = cmd_msg_seal,
};

static int
cmd_msg_seal(struct cli *cli, int argc, char **argv)
{
	struct args a;
	struct err e;
	struct msg_seal_opts o;
	struct cert_list certs[MSG_MAX_TO];
	const struct cert *to[MSG_MAX_TO];
	const char *v, *tofiles[MSG_MAX_TO], *infile = NULL, *outfile = NULL;
	struct buf in;
	uint8_t *der = NULL;
	size_t nto = 0, len = 0, i;
	int r, rc = EXIT_OK, kts = 0;

	memset(&o, 0, sizeof o);
	o.kt = CMS_KT_OAEP;
	args_init(&a, cli, "msg seal", msg_seal_opts, argc, argv);
	while ((r = args_next(&a, &v)) != ARGS_END) {
		switch (r) {
		case ARGS_HELP:
			return EXIT_OK;
		case ARGS_ERROR:
			return EXIT_USAGE;
		case ARGS_OPERAND:
			return cli_usage("msg seal", "unexpected argument '%s' "
			    "(recipients are --to CERT)", v);
		case OPT_SL_TO:
			if (nto == MSG_MAX_TO)
				return cli_usage("msg seal", "option '--to' "
				    "given more than %d times", MSG_MAX_TO);
			tofiles[nto++] = v;
			break;
		case OPT_SL_IN:
			infile = v;
			break;
		case OPT_SL_OUT:
			outfile = v;
			break;
		case OPT_SL_GCM:
			o.gcm = 1;
			break;
		case OPT_SL_OAEP:
			o.kt = CMS_KT_OAEP;
			kts |= 1;
			break;
		case OPT_SL_PKCS1:
			o.kt = CMS_KT_PKCS1;
			kts |= 2;
			break;
		}
	}
	if (nto == 0)
		return cli_usage("msg seal", "missing --to CERT (a recipient)");
	if (infile == NULL)
		return cli_usage("msg seal", "missing --in FILE (the content)");
	if (kts == 3)
		return cli_usage("msg seal", "give one of --oaep and --pkcs1");

	err_clear(&e);
	buf_init(&in);
	for (i = 0; i < MSG_MAX_TO; i++)
		cert_list_init(&certs[i]);
	for (i = 0; i < nto; i++) {
		if (cert_list_load_file(&certs[i], tofiles[i], &e) == -1)
			goto fail;
		if (certs[i].n == 0) {
			err_set(&e, ERR_INPUT, "%s: no certificate found",
			    tofiles[i]);
			goto fail;
		}
		to[i] = &certs[i].v[0];
	}
	if (file_read(infile, CMS_MAX_SIZE - 65536, &in, &e) == -1 ||
	    msg_seal(to, nto, in.data, in.len, &o, &der, &len, &e) == -1 ||
	    msg_write_pem(outfile, der, len, &e) == -1)
		goto fail;
	goto out;
fail:
	rc = cli_fail(&e);
out:
	free(der);
	buf_clear_secret(&in);
	for (i = 0; i < MSG_MAX_TO; i++)
		cert_list_clear(&certs[i]);
	return rc;
}

/* ---- msg open ---- */

enum { OPT_O_OUT = 1 };

static const struct args_opt msg_open_opts[] = {
	{ .id = OPT_O_OUT, .name = "out", .has_value = 1 },
	{ .id = 0 },
};

static cli_fn cmd_msg_open;

const struct cli_cmd cmd_msg_open_entry = {
	.name = "msg open",
	.summary = "open a sealed message with an entity's key",
	.usage = "msg open NAME IN [--out FILE]",
	.help =
"Decrypts the sealed message IN (CMS EnvelopedData or AuthEnvelopedData,\n"
"PEM or DER, ours or `openssl cms -encrypt`'s) with entity NAME's key and\n"
"writes the content. The keystore's passphrase is asked as for export.\n"
"A message not sealed to NAME's certificate is refused (exit 1); one\n"
"that fails to decrypt says only \"content decryption failed\" (exit 3),\n"
"whatever went wrong, so that it tells an attacker nothing.\n"
"\n"
"  --out FILE       where the content goes, created with mode 0600 and\n"
"                   never over an existing file; default standard output\n",
	.opts = msg_open_opts,
	.fn = cmd_msg_open,
};

static int
cmd_msg_open(struct cli *cli, int argc, char **argv)
{
	struct args a;
	struct ws ws;
	struct err e;
	struct passphrase pass = { NULL, 0 };
	struct buf in, out;
	const char *v, *name = NULL, *path = NULL, *outfile = NULL;
	int r, rc = EXIT_OK;

	args_init(&a, cli, "msg open", msg_open_opts, argc, argv);
	while ((r = args_next(&a, &v)) != ARGS_END) {
		switch (r) {
		case ARGS_HELP:
			return EXIT_OK;
		case ARGS_ERROR:
			return EXIT_USAGE;
		case ARGS_OPERAND:
			if (name == NULL)
				name = v;
			else if (args_operand(&a, &path, v) == -1)
				return EXIT_USAGE;
			break;
		case OPT_O_OUT:
			outfile = v;
			break;
		}
	}
	if (name == NULL)
		return cli_usage("msg open", "missing NAME (the recipient)");
	if (path == NULL)
		return cli_usage("msg open", "missing IN (the message)");

	err_clear(&e);
	ws_init(&ws);
	buf_init(&in);
	buf_init(&out);
	if (cliutil_ws(cli, &ws, &e) == -1 || ws_check_name(name, &e) == -1 ||
	    file_read(path, CMS_MAX_SIZE, &in, &e) == -1)
		goto fail;
	if (!keystore_exists(&ws, name)) {
		err_set(&e, ERR_USAGE, "no keystore '%s'", name);
		goto fail;
	}
	if (cliutil_passphrase(cli, "keystore", name, 0, &pass, &e) == -1)
		goto fail;
	if (msg_open(&ws, name, pass.s, pass.len, in.data, in.len, &out,
	    &e) == -1) {
		err_wrap(&e, "%s", path);
		goto fail;
	}
	if (cliutil_write(outfile, out.data, out.len, 1, &e) == -1)
		goto fail;
	goto out;
fail:
	rc = cli_fail(&e);
out:
	passphrase_free(&pass);
	buf_clear_secret(&out);
	buf_clear(&in);
	ws_clear(&ws);
	return rc;
}
