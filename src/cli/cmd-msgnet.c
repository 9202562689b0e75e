/* cmd-msgnet.c — signed messages between clients: `client listen`,
 * `client send` and `client inbox` (role/msgnet.h, store/inbox.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/args.h"
#include "cli/cliutil.h"
#include "cli/cliutil-tls.h"
#include "cli/cliutil-wait.h"
#include "cli/cmdtls.h"
#include "net/frame.h"
#include "net/loop.h"
#include "role/msg.h"
#include "role/msgnet.h"
#include "store/inbox.h"
#include "store/roles.h"
#include "util/file.h"
#include "x509/cms.h"

/* Without --ca: the top of NAME's own chain, when it is a root (the CA
 * that issued NAME, stored with its certificate by client enroll). */
static int
msgnet_default_anchor(struct cliutil_tls *t, const char *cmd, struct err *e)
{
	const struct cert_list *ch = &t->en.chain;
	const struct cert *top;

	top = ch->n > 0 ? &ch->v[ch->n - 1] : NULL;
	if (ch->n < 2 || !dn_equal(&top->subject, &top->issuer))
		return err_set(e, ERR_USAGE, "%s: missing --ca FILE (the "
		    "entity's keystore holds no CA certificate)", cmd);
	return cert_list_load(&t->anchors, top->der, top->len, e);
}

static void
msgnet_trace(void *ctx, const char *line)
{
	(void)ctx;
	fprintf(stderr, "%s\n", line);
}

static void
msgnet_server_trace(void *ctx, unsigned id, const char *line)
{
	(void)ctx;
	fprintf(stderr, "[%u] %s\n", id, line);
}

/* Listening, the listener enters the workspace's registry of running
 * roles (kind listener) so that a UI finds it and can send to it. */
static void
msgnet_ready(void *ctx, const char *addr)
{
	struct err e;

	printf("listening on %s\n", addr);
	fflush(stdout);
	if (roles_reg_ready(ctx, 1, addr, &e) == -1)
		fprintf(stderr, "warning: not in the registry: %s\n", e.msg);
}

/* ---- client listen ---- */

enum {
	OPT_L_LISTEN = 1, OPT_L_CA, OPT_L_STATUS, OPT_L_TIMEOUT, OPT_L_TRACE,
};

static const struct args_opt client_listen_opts[] = {
	{ .id = OPT_L_LISTEN, .name = "listen", .has_value = 1 },
	{ .id = OPT_L_CA, .name = "ca", .has_value = 1 },
	{ .id = OPT_L_STATUS, .name = "status", .has_value = 1 },
	{ .id = OPT_L_TIMEOUT, .name = "timeout", .has_value = 1 },
	{ .id = OPT_L_TRACE, .name = "trace", .has_value = 0 },
	{ .id = 0 },
};

static cli_fn cmd_client_listen;

const struct cli_cmd cmd_client_listen_entry = {
	.name = "client listen",
	.summary = "receive signed messages from other clients (mutual TLS)",
	.usage =
"client listen NAME --listen ADDR [--ca FILE]\n"
"[--status ADDR] [--timeout N] [--trace]",
	.help =
"Runs entity NAME as a message listener until SIGINT or SIGTERM: accepts\n"
"TLS connections on which the sender presents a certificate from the CA\n"
"(mutual TLS: NAME's certificate must allow serverAuth, the sender's\n"
"clientAuth; the peer profile allows both, so that two clients can each\n"
"listen and send), receives messages framed as the man page describes\n"
"(each a CMS SignedData, or one sealed to NAME: sign-then-encrypt),\n"
"opens a sealed one with NAME's key, verifies each one (its signature, its signer's\n"
"chain to --ca, and with --status the signer's status with the CA over\n"
"OCSP, asked afresh for every message), stores it with its verdict in\n"
"the inbox WORKSPACE/inbox/NAME (see client inbox), answers the sender\n"
"with the verdict and prints one line per message on standard output:\n"
"\"message N from SIGNER (peer TLS-PEER): VERDICT: WHY; SIZE bytes:\n"
"TEXT\". Verdicts: good, revoked, invalid, unknown (no usable status),\n"
"unchecked (no --status). Prints \"listening on ADDR\" once ready;\n"
"connection events go to standard error. One listener per inbox. While\n"
"it listens it is in the workspace's registry of running roles (run/,\n"
"kind listener), where the UI's Roles window lists it.\n"
"\n"
"  --listen ADDR  unix:PATH or tcp:HOST:PORT (port 0 picks one)\n"
"  --ca FILE      the CA certificate(s) for senders and signers (default:\n"
"                 the root in NAME's keystore, as client enroll stored it)\n"
"  --status ADDR  the CA service (unix:PATH, tcp:HOST:PORT, http://...),\n"
"                 asked about each message's signer when it arrives: a\n"
"                 signer revoked a moment ago is shown revoked (the\n"
"                 message is still received and stored, with that\n"
"                 verdict)\n"
"  --timeout N    seconds a sender has to finish the handshake (10)\n"
"  --trace        print every handshake message decoded, per connection\n",
	.opts = client_listen_opts,
	.fn = cmd_client_listen,
};

static int
cmd_client_listen(struct cli *cli, int argc, char **argv)
{
	struct args a;
	struct err e;
	struct cliutil_tls t;
	struct cmdtls_crls crls;
	struct tls_config cfg;
	struct server_conf sc;
	struct peerstatus ps;
	struct inbox_writer iw;
	struct msgnet_listen ml;
	struct roles_reg reg;
	const char *v, *name = NULL, *listen = NULL, *ca = NULL;
	const char *status = NULL;
	long timeout = 10;
	int r, rc = EXIT_OK, trace = 0, regd = 0;

	args_init(&a, cli, "client listen", client_listen_opts, argc, argv);
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
		case OPT_L_LISTEN:
			listen = v;
			break;
		case OPT_L_CA:
			ca = v;
			break;
		case OPT_L_STATUS:
			status = v;
			break;
		case OPT_L_TIMEOUT:
			if (args_number(&a, "timeout", v, 1, 3600, &timeout)
			    == -1)
				return EXIT_USAGE;
			break;
		case OPT_L_TRACE:
			trace = 1;
			break;
		}
	}
	if (name == NULL)
		return cli_usage("client listen", "missing NAME");
	if (listen == NULL)
		return cli_usage("client listen", "missing --listen ADDR");

	err_clear(&e);
	memset(&cfg, 0, sizeof cfg);
	cfg.is_server = 1;
	cfg.min_version = TLS_VERSION_12;
	cfg.max_version = TLS_VERSION_13;
	cfg.client_auth = TLS_AUTH_REQUIRE;
	cmdtls_crls_init(&crls);
	cliutil_tls_init(&t);
	memset(&sc, 0, sizeof sc);
	memset(&ps, 0, sizeof ps);
	crl_init(&ps.crl);
	memset(&iw, 0, sizeof iw);
	iw.fd = iw.lockfd = -1;
	if (addr_parse(&sc.addr, listen, &e) == -1) {
		rc = cli_usage("client listen", "--listen %s", e.msg);
		goto out;
	}
	if (cliutil_tls_load(&t, cli, name, ca, &crls, &cfg, &e) == -1)
		goto fail;
	if (ca == NULL) {
		if (msgnet_default_anchor(&t, "client listen", &e) == -1)
			goto fail;
		cfg.anchors = &t.anchors;
	}
	if (status != NULL && peerstatus_init(&ps, status, PEERSTATUS_OCSP,
	    &t.anchors, 10, 0, &e) == -1) {
		rc = cli_usage("client listen", "--status %s", e.msg);
		goto out;
	}
	if (inbox_open(&iw, &t.en.ws, name, &e) == -1)
		goto fail;
	memset(&ml, 0, sizeof ml);
	msgnet_listen_init(&ml);
	ml.anchors = &t.anchors;
	ml.ps = status != NULL ? &ps : NULL;
	ml.inbox = &iw;
	/* Sealed messages are opened with an RSA key only (no CMS key
	 * agreement for P-256 yet): a P-256 listener stores them unopened. */
	ml.key = t.en.key.type == PKEY_RSA ? &t.en.key.rsa : NULL;
	ml.cert = &t.en.chain.v[0];
	ml.out = stdout;
	ml.log = stderr;
	sc.tls = &cfg;
	sc.handshake_timeout = (int)timeout;
	sc.idle_timeout = 300;
	sc.log = stderr;
	sc.ready = msgnet_ready;
	sc.ready_ctx = &reg;
	sc.trace = trace ? msgnet_server_trace : NULL;
	sc.keylog = t.keylog != NULL ? cmdtls_keylog_write : NULL;
	sc.cb_ctx = t.keylog;
	sc.service = &ml.service;
	roles_reg_init(&reg, &t.en.ws, ROLES_LISTENER, name, 1);
	regd = 1;
	loop_catch_signals();
	if (server_run(&sc, &e) == -1)
		goto fail;
	goto out;
fail:
	rc = cli_fail(&e);
out:
	if (regd)
		roles_reg_clear(&reg);
	inbox_close(&iw);
	peerstatus_clear(&ps);
	cliutil_tls_clear(&t);
	cmdtls_crls_clear(&crls);
	return rc;
}

/* ---- client send ---- */

enum {
	OPT_S_MESSAGE = 1, OPT_S_IN, OPT_S_CA, OPT_S_TIMEOUT, OPT_S_TRACE,
	OPT_S_SERVER_NAME, OPT_S_SEAL, OPT_S_GCM, OPT_S_OAEP, OPT_S_PKCS1,
};

static const struct args_opt client_send_opts[] = {
	{ .id = OPT_S_MESSAGE, .name = "message", .has_value = 1 },
	{ .id = OPT_S_IN, .name = "in", .has_value = 1 },
	{ .id = OPT_S_CA, .name = "ca", .has_value = 1 },
	{ .id = OPT_S_TIMEOUT, .name = "timeout", .has_value = 1 },
	{ .id = OPT_S_TRACE, .name = "trace", .has_value = 0 },
	{ .id = OPT_S_SERVER_NAME, .name = "server-name", .has_value = 1 },
	{ .id = OPT_S_SEAL, .name = "seal", .has_value = 0 },
	{ .id = OPT_S_GCM, .name = "gcm", .has_value = 0 },
	{ .id = OPT_S_OAEP, .name = "oaep", .has_value = 0 },
	{ .id = OPT_S_PKCS1, .name = "pkcs1", .has_value = 0 },
	{ .id = 0 },
};

static cli_fn cmd_client_send;

const struct cli_cmd cmd_client_send_entry = {
	.name = "client send",
	.summary = "sign a message and send it to a listening client",
	.usage =
"client send NAME ADDR (--message TEXT | --in FILE)\n"
"[--ca FILE] [--server-name HOST]\n"
"[--seal [--gcm] [--oaep | --pkcs1]] [--timeout N] [--trace]",
	.help =
"Signs the message with entity NAME's key (CMS SignedData: the content\n"
"attached, SHA-256, RSA PKCS#1 v1.5 or, for a P-256 key, ECDSA, the\n"
"signing time and NAME's certificate chain), connects to the listener at\n"
"ADDR over mutual TLS (NAME's certificate answers the listener's\n"
"request; the listener's is checked against --ca for serverAuth, and its\n"
"name for tcp: addresses), sends it and prints the listener's verdict on\n"
"standard output. With --seal the signed message is then sealed (CMS\n"
"EnvelopedData, AES-256-CBC, RSA-OAEP, or as --gcm and --pkcs1 choose,\n"
"as msg seal does) to the certificate the listener presented in the\n"
"handshake: sign-then-encrypt, only the listener can read it (a listener\n"
"with a P-256 key is refused: sealing to EC recipients is not\n"
"supported). A listener that is not up yet is waited for, saying so on\n"
"standard error, up to --timeout. Exit 0 when the listener stored the\n"
"message with the verdict good or unchecked, 1 when its verdict is\n"
"another (revoked, invalid, unknown) or the TLS connection is refused, 3\n"
"for a transport failure.\n"
"\n"
"  --message TEXT     the message\n"
"  --in FILE          the message, from a file (\"-\": standard input;\n"
"                     at most 512 KiB)\n"
"  --ca FILE          the CA certificate(s) for the listener (default:\n"
"                     the root in NAME's keystore)\n"
"  --server-name HOST the name the listener's certificate must carry\n"
"                     (default: the TCP host; none for unix:)\n"
"  --seal             seal the signed message to the listener's\n"
"                     certificate (its keyUsage needs keyEncipherment)\n"
"  --gcm              (with --seal) AES-256-GCM, AuthEnvelopedData,\n"
"                     instead of AES-256-CBC (the default)\n"
"  --oaep             (with --seal) RSA-OAEP with SHA-256 for the AES key\n"
"                     (the default)\n"
"  --pkcs1            (with --seal) RSA PKCS#1 v1.5 for the AES key, for\n"
"                     older readers\n"
"  --timeout N        seconds to wait for the listener to come up (0:\n"
"                     forever), for the handshake and for the verdict\n"
"                     (10)\n"
"  --trace            print every handshake message decoded and the key\n"
"                     schedule steps (never secrets) on standard error\n",
	.opts = client_send_opts,
	.fn = cmd_client_send,
};

#define MSGNET_MAX_CONTENT (512 * 1024)

static int
cmd_client_send(struct cli *cli, int argc, char **argv)
{
	struct args a;
	struct err e;
	struct cliutil_tls t;
	struct cmdtls_crls crls;
	struct tls_config cfg;
	struct msgnet_send_conf sc;
	struct dialwait w;
	struct msg_seal_opts so;
	struct buf content;
	const char *v, *ops[2] = { NULL, NULL }, *msg = NULL, *in = NULL;
	const char *ca = NULL, *sn = NULL;
	char verdict[FRAME_MAX_TEXT + 1];
	uint8_t *der = NULL;
	size_t nops = 0, len = 0;
	long timeout = 10;
	int r, rc = EXIT_OK, trace = 0, seal = 0, kts = 0;

	memset(&so, 0, sizeof so);
	so.kt = CMS_KT_OAEP;
	args_init(&a, cli, "client send", client_send_opts, argc, argv);
	while ((r = args_next(&a, &v)) != ARGS_END) {
		switch (r) {
		case ARGS_HELP:
			return EXIT_OK;
		case ARGS_ERROR:
			return EXIT_USAGE;
		case ARGS_OPERAND:
			if (nops == 2)
				return cli_usage("client send",
				    "unexpected argument '%s'", v);
			ops[nops++] = v;
			break;
		case OPT_S_MESSAGE:
			msg = v;
			break;
		case OPT_S_IN:
			in = v;
			break;
		case OPT_S_CA:
			ca = v;
			break;
		case OPT_S_SERVER_NAME:
			sn = v;
			break;
		case OPT_S_TIMEOUT:
			if (args_number(&a, "timeout", v, 0, 86400, &timeout)
			    == -1)
				return EXIT_USAGE;
			break;
		case OPT_S_TRACE:
			trace = 1;
			break;
		case OPT_S_SEAL:
			seal = 1;
			break;
		case OPT_S_GCM:
			so.gcm = 1;
			kts |= 4;
			break;
		case OPT_S_OAEP:
			so.kt = CMS_KT_OAEP;
			kts |= 1;
			break;
		case OPT_S_PKCS1:
			so.kt = CMS_KT_PKCS1;
			kts |= 2;
			break;
		}
	}
	if (nops < 2)
		return cli_usage("client send", nops == 0 ? "missing NAME" :
		    "missing ADDR");
	if ((kts & 3) == 3)
		return cli_usage("client send", "give one of --oaep and "
		    "--pkcs1");
	if (kts != 0 && !seal)
		return cli_usage("client send", "--gcm, --oaep and --pkcs1 "
		    "choose how --seal seals: give --seal too");
	if ((msg == NULL) == (in == NULL))
		return cli_usage("client send", "give --message TEXT or --in "
		    "FILE (one of them)");
	if (msg != NULL && strlen(msg) > MSGNET_MAX_CONTENT)
		return cli_usage("client send", "--message: at most %d bytes",
		    MSGNET_MAX_CONTENT);

	err_clear(&e);
	memset(&cfg, 0, sizeof cfg);
	cfg.min_version = TLS_VERSION_12;
	cfg.max_version = TLS_VERSION_13;
	cmdtls_crls_init(&crls);
	cliutil_tls_init(&t);
	buf_init(&content);
	memset(&sc, 0, sizeof sc);
	if (addr_parse(&sc.addr, ops[1], &e) == -1) {
		rc = cli_usage("client send", "%s", e.msg);
		goto out;
	}
	if (in != NULL) {
		if (file_read(in, MSGNET_MAX_CONTENT, &content, &e) == -1)
			goto fail;
	} else
		buf_append(&content, msg, strlen(msg));
	if (cliutil_tls_load(&t, cli, ops[0], ca, &crls, &cfg, &e) == -1)
		goto fail;
	if (ca == NULL) {
		if (msgnet_default_anchor(&t, "client send", &e) == -1)
			goto fail;
		cfg.anchors = &t.anchors;
	}
	/* RSA PKCS#1 v1.5 or ECDSA, as NAME's key is (msg sign's path). */
	if (msg_sign_pkey(&t.en.key, &t.en.chain, content.data, content.len,
	    NULL, &der, &len, &e) == -1)
		goto fail;
	if (sn == NULL && !sc.addr.unix_path)
		sn = sc.addr.host;
	cfg.server_name = sn;
	cfg.trace = trace ? msgnet_trace : NULL;
	cfg.keylog = t.keylog != NULL ? cmdtls_keylog_write : NULL;
	cfg.cb_ctx = t.keylog;
	sc.tls = &cfg;
	sc.timeout = cliutil_wait(&w, timeout, "the listener");
	sc.wait = &w;
	sc.msg = der;
	sc.len = len;
	sc.seal = seal;
	sc.seal_opts = &so;
	sc.log = stderr;
	loop_catch_signals();
	if (msgnet_send(&sc, verdict, sizeof verdict, &e) == -1)
		goto fail;
	printf("%s\n", verdict);
	fflush(stdout);
	/* "message N: good: ..." */
	v = strchr(verdict, ':');
	rc = v != NULL && (strncmp(v, ": good:", 7) == 0 ||
	    strncmp(v, ": unchecked:", 12) == 0) ? EXIT_OK : EXIT_REFUSED;
	goto out;
fail:
	rc = cli_fail(&e);
out:
	free(der);
	buf_clear(&content);
	cliutil_tls_clear(&t);
	cmdtls_crls_clear(&crls);
	return rc;
}

/* ---- client inbox ---- */

static const struct args_opt client_inbox_opts[] = {
	{ .id = 0 },
};

static cli_fn cmd_client_inbox;

const struct cli_cmd cmd_client_inbox_entry = {
	.name = "client inbox",
	.summary = "list the messages a client received, with their verdicts",
	.usage = "client inbox NAME",
	.help =
"Lists the messages client listen stored for entity NAME, oldest first,\n"
"one line each: \"ID TIME VERDICT from SIGNER (peer TLS-PEER): TEXT\" (the\n"
"signed content, printable bytes only, cut at 60), then the reason of\n"
"the verdict indented below. The verdict is the one given when the\n"
"message arrived. No inbox yet is an empty list. Exit 3 when the index\n"
"is damaged (the line named).\n",
	.opts = client_inbox_opts,
	.fn = cmd_client_inbox,
};

/* The signed content of a stored message, for the listing. */
static void
client_inbox_text(const char *dir, const struct inbox_rec *r, struct buf *out)
{
	struct buf b;
	struct cms c;
	struct err e;
	char *path = NULL;

	buf_init(&b);
	cms_init(&c);
	if (asprintf(&path, "%s/%s", dir, r->file) == -1) {
		path = NULL;
		goto out;
	}
	if (file_read(path, INBOX_MSG_MAX, &b, &e) == -1)
		buf_printf(out, "(%s)", e.msg);
	else if (msg_kind(b.data, b.len) == MSG_KIND_SEALED)
		/* the key is not unlocked to list: the text stays sealed */
		buf_printf(out, "(sealed, %zu bytes)", b.len);
	else if (cms_parse(&c, b.data, b.len, &e) == -1 || !c.has_content)
		buf_printf(out, "(%zu bytes, not readable as a signed "
		    "message)", b.len);
	else
		msgnet_preview(c.content, c.content_len, 60, out);
out:
	free(path);
	cms_clear(&c);
	buf_clear(&b);
}

static int
cmd_client_inbox(struct cli *cli, int argc, char **argv)
{
	struct args a;
	struct err e;
	struct ws ws;
	struct inbox ib;
	struct buf text;
	const char *v, *name = NULL;
	char when[WS_TIME_LEN], *dir = NULL;
	size_t i;
	int r, rc = EXIT_OK;

	args_init(&a, cli, "client inbox", client_inbox_opts, argc, argv);
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
		}
	}
	if (name == NULL)
		return cli_usage("client inbox", "missing NAME");
	err_clear(&e);
	ws_init(&ws);
	inbox_init(&ib);
	if (cliutil_ws(cli, &ws, &e) == -1 || ws_check_name(name, &e) == -1 ||
	    inbox_read(&ws, name, &ib, &e) == -1)
		goto fail;
	if (ib.torn)
		cliutil_note("inbox/%s/index.yaml: an incomplete last record "
		    "was skipped (a listener stopped while writing it)", name);
	dir = inbox_dir(&ws, name);
	for (i = 0; i < ib.n; i++) {
		buf_init(&text);
		client_inbox_text(dir, &ib.v[i], &text);
		buf_putc(&text, '\0');
		ws_time_format(ib.v[i].time, when);
		printf("%lu %s %s from %s (peer %s): %s\n    %s\n",
		    ib.v[i].id, when, ib.v[i].verdict,
		    ib.v[i].from[0] != '\0' ? ib.v[i].from : "?",
		    ib.v[i].peer, (char *)text.data, ib.v[i].why);
		buf_clear(&text);
	}
	if (ib.n == 0)
		fprintf(stderr, "inbox '%s' is empty\n", name);
	goto out;
fail:
	rc = cli_fail(&e);
out:
	free(dir);
	inbox_clear(&ib);
	ws_clear(&ws);
	return rc;
}
