/* cli.c — the headless commands: global options, the command table, and
 * the exit status contract (see cli.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "tui/tui.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "0.1.0"
#endif

#define PROG "minipki-tui"

/* One line per command for `minipki-tui --help`. */
struct cli_summary {
	const char *name;
	const char *summary;
};

static const struct cli_cmd cli_cmds[] = {
	{
		.name = "key new",
		.fn = cmd_key_new,
		.usage = "key new NAME [--bits N]",
		.help =
"Makes a new RSA key pair and stores it in the keystore of entity NAME\n"
"(WORKSPACE/keys/NAME.yaml), the private key encrypted under the passphrase.\n"
"Prints the keystore path and the key's SHA-256 fingerprint.\n"
"\n"
"  --bits N       key size: 2048 (the default), 3072 or 4096\n",
	},
	{
		.name = "csr new",
		.fn = cmd_csr_new,
		.usage = "csr new NAME --subject DN [--san LIST] [--out FILE]",
		.help =
"Makes a PKCS#10 certification request for the key of entity NAME, signed\n"
"with that key (the passphrase unlocks it).\n"
"\n"
"  --subject DN   the subject name, as CN=x,O=y,C=z (also OU, ST, L,\n"
"                 emailAddress, serialNumber, DC, UID)\n"
"  --san LIST     subject alternative names to request, as\n"
"                 DNS:a.example,IP:127.0.0.1,email:x@y.example,URI:https://..\n"
"  --out FILE     write the request (PEM) to FILE; default standard output\n",
	},
	{
		.name = "ca init",
		.fn = cmd_ca_init,
		.usage =
"ca init [NAME] --subject DN [--bits N] [--days N]\n"
"[--parent CA [--pathlen N]]",
		.help =
"Creates a certificate authority NAME (default \"ca\"): a new RSA key, a\n"
"self-signed root certificate (basicConstraints critical CA:TRUE; keyUsage\n"
"critical keyCertSign, cRLSign; subjectKeyIdentifier) kept in the CA's\n"
"keystore, and an empty CA database. An existing CA is never overwritten.\n"
"Prints the CA's keystore path, subject, serial, notAfter and the root's\n"
"SHA-256 fingerprint; `export NAME --cert` writes the root certificate.\n"
"\n"
"  --subject DN   the CA's name, as CN=x,O=y,C=z\n"
"  --bits N       key size: 2048, 3072 (the default) or 4096\n"
"  --days N       validity in days from now (default 3650)\n"
"  --parent CA    make an intermediate CA instead, signed by CA (whose key\n"
"                 is unlocked first; then the new CA's passphrase is set):\n"
"                 recorded in the parent's database (profile ca), its\n"
"                 keystore chain is the new certificate then the parent's\n"
"                 chain; validity cut to the parent's notAfter\n"
"  --pathlen N    the intermediate's pathLenConstraint (default 0: it\n"
"                 issues end-entity certificates only); -1 for none\n",
	},
	{
		.name = "ca issue",
		.fn = cmd_ca_issue,
		.usage =
"ca issue [--ca NAME] --csr FILE... [--profile server|client|ca]\n"
"[--days N] [--out FILE | --out-dir DIR]",
		.help =
"Issues a certificate for each request (PEM or DER). Each request must\n"
"carry a valid signature by its own key (proof of possession) and an RSA\n"
"key of at least 2048 bits. The profile decides the extensions:\n"
"  server  keyUsage digitalSignature, keyEncipherment; EKU serverAuth;\n"
"          requested DNS and IP names are copied; with none requested, a\n"
"          host-like CN becomes a DNS name (default 365 days)\n"
"  client  keyUsage digitalSignature; EKU clientAuth; requested email and\n"
"          DNS names are copied (default 365 days)\n"
"  ca      keyUsage keyCertSign, cRLSign; CA:TRUE (default 1825 days)\n"
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
"  --profile P      server (the default), client or ca\n"
"  --days N         validity in days (default: the profile's)\n"
"  --out FILE       write the certificate(s) (PEM) to FILE; default\n"
"                   standard output\n"
"  --out-dir DIR    write each certificate to DIR/SERIAL.pem (hex serial;\n"
"                   DIR is created if missing)\n"
"With --out or --out-dir, one line per certificate goes to standard output:\n"
"  issued SERIAL SUBJECT (profile P, until NOTAFTER) -> FILE\n"
"Notes (SANs not copied, CA:TRUE not granted, notAfter cut) go to stderr.\n"
"Exit status: that of the first request refused (1) or unreadable (3).\n",
	},
	{
		.name = "ca list",
		.fn = cmd_ca_list,
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
	},
	{
		.name = "ca revoke",
		.fn = cmd_ca_revoke,
		.usage =
"ca revoke [--ca NAME] SERIAL [--reason REASON] [--date TIME]\n"
"[--invalidity TIME]",
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
"                   (the CRL entry's invalidityDate), same forms\n",
	},
	{
		.name = "ca crl",
		.fn = cmd_ca_crl,
		.usage = "ca crl [--ca NAME] [--days N] [--out FILE] [--der]",
		.help =
"Generates a v2 CRL signed by the CA (sha256WithRSAEncryption): every\n"
"revoked certificate with its revocation date and reason code (none for\n"
"unspecified; a certificate on hold as certificateHold), cRLNumber one\n"
"above the last (persisted in the CA database, never reused),\n"
"authorityKeyIdentifier, thisUpdate now and nextUpdate now + N days.\n"
"It is also written to WORKSPACE/ca/NAME/crl.pem, which `ca revoke`\n"
"regenerates automatically.\n"
"\n"
"  --ca NAME        the CA (default \"ca\")\n"
"  --days N         nextUpdate N days from now (default 7)\n"
"  --out FILE       write the CRL to FILE; default standard output\n"
"  --der            DER instead of PEM\n",
	},
	{
		.name = "ca renew",
		.fn = cmd_ca_renew,
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
	},
	{
		.name = "ca show",
		.fn = cmd_ca_show,
		.usage = "ca show [--ca NAME] SERIAL",
		.help =
"Shows one certificate of the CA database: its record (status, revocation\n"
"date and reason, the serial that superseded it, the record's line) and\n"
"the certificate itself, readably.\n"
"\n"
"  --ca NAME        the CA (default \"ca\")\n",
	},
	{
		.name = "ca check",
		.fn = cmd_ca_check,
		.usage = "ca check [--ca NAME] [--repair]",
		.help =
"Checks a CA end to end: every database record's checksum and structure;\n"
"every certificate decodes, matches its record (serial, subject) and\n"
"carries the CA's signature; the audit log (every record's checksum, its\n"
"sequence number and the SHA-256 link to the record before it, so an\n"
"edited, removed or reordered record is found), and every serial it\n"
"names is in the database (a certificate it does not name is a note);\n"
"crl.pem (issuer,\n"
"signature, cRLNumber not above the recorded one). Prints one line per\n"
"check and stops at the first problem, naming file, line and record.\n"
"Exit status 0 when consistent, 1 when a problem was found.\n"
"\n"
"  --ca NAME        the CA (default \"ca\")\n"
"  --repair         first remove an incomplete last record (a crash in the\n"
"                   middle of a write) from the database and the audit log,\n"
"                   keeping its bytes in certs.yaml.torn / audit.yaml.torn;\n"
"                   nothing else is changed or invented: a complete last\n"
"                   record that fails its checksum was damaged, not torn,\n"
"                   and is left as it is for a person to look at\n",
	},
	{
		.name = "show",
		.fn = cmd_show,
		.usage = "show FILE",
		.help =
"Prints a readable rendering of a certificate, a certification request,\n"
"a CRL or a key, PEM or DER, detected from its content (\"-\" reads\n"
"standard input). Every PEM block of a file is shown; an OpenSSL TRUSTED\n"
"CERTIFICATE as the certificate and then its trust settings. An encrypted\n"
"PKCS#8 key is shown without asking for its passphrase: only its\n"
"encryption parameters are visible.\n",
	},
	{
		.name = "verify",
		.fn = cmd_verify,
		.usage =
"verify --ca FILE [--untrusted FILE] [--purpose server|client|any]\n"
"[--host NAME] [--at TIME] [--crl FILE]... CERT",
		.help =
"Validates the certificate CERT against the trust anchors in FILE (RFC 5280\n"
"path validation) and prints every step: what was checked, what failed and\n"
"why. Exit 0 when valid, 1 when not.\n"
"\n"
"  --ca FILE        trusted root certificate(s), PEM or DER\n"
"  --untrusted FILE intermediate certificates to build the chain with\n"
"  --purpose P      server, client or any: the extended key usage required\n"
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
	},
	{
		.name = "export",
		.fn = cmd_export,
		.usage = "export NAME (--cert | --key) [--der] [--no-encrypt] [--out FILE]",
		.help =
"Writes out the certificate chain or the private key of entity NAME.\n"
"The key is written as PKCS#8, encrypted with PBES2 (PBKDF2-HMAC-SHA256,\n"
"600000 iterations, AES-256-CBC) unless --no-encrypt. The export\n"
"passphrase is MINIPKI_EXPORT_PASSPHRASE when set, else the keystore\n"
"passphrase. A key file is created with mode 0600 and never overwrites an\n"
"existing file.\n"
"\n"
"  --cert           export the certificate chain as stored (PEM)\n"
"  --key            export the private key\n"
"  --der            DER instead of PEM (with --cert: NAME's own\n"
"                   certificate only)\n"
"  --no-encrypt     write the key unencrypted\n"
"  --out FILE       write to FILE; default standard output\n",
	},
	{
		.name = "import",
		.fn = cmd_import,
		.usage = "import NAME [--key FILE] [--cert FILE]",
		.help =
"Creates the keystore of entity NAME from a private key made elsewhere:\n"
"PKCS#1 (RSA PRIVATE KEY) or PKCS#8, encrypted or not, PEM or DER, as\n"
"OpenSSL writes them. An encrypted key is opened with\n"
"MINIPKI_IMPORT_PASSPHRASE when set, else with the keystore passphrase.\n"
"With --cert, the certificate (chain) is stored too; its public key must\n"
"match the private key. With --cert alone, the certificate goes into the\n"
"existing keystore NAME (the passphrase unlocks the key to check it).\n"
"Keys under 2048 bits are refused.\n"
"\n"
"  --key FILE       the private key\n"
"  --cert FILE      its certificate, optionally followed by the chain\n",
	},
	{
		.name = "server run",
		.fn = cmd_server_run,
		.usage =
"server run NAME --listen ADDR [--ca FILE]\n"
"[--client-auth none|optional|require]\n"
"[--crl FILE]... [--tls 1.2|1.3|any]\n"
"[--kx rsa|ecdhe|any] [--timeout N]\n"
"[--idle-timeout N] [--trace]",
		.help =
"Runs entity NAME as a TLS application server (its keystore's key and\n"
"certificate chain; the passphrase unlocks the key) until SIGINT or\n"
"SIGTERM. TLS 1.3 (TLS_AES_128_GCM_SHA256, x25519, rsa_pss_rsae_sha256)\n"
"and TLS 1.2 (TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 over x25519,\n"
"TLS_RSA_WITH_AES_128_GCM_SHA256; extended master secret required).\n"
"Many clients are served at once from one poll loop. The service is\n"
"line-based: WHOAMI (the client's certificate subject, or anonymous),\n"
"ECHO text, TIME, QUIT; other lines get an ERR line. Prints \"listening\n"
"on ADDR\" on standard output once ready, one line per connection event\n"
"on standard error. SSLKEYLOGFILE, when set, receives the TLS secrets.\n"
"\n"
"  --listen ADDR      unix:PATH or tcp:HOST:PORT (tcp:PORT is 127.0.0.1;\n"
"                     port 0 picks a free port)\n"
"  --ca FILE          trust anchors for client certificates\n"
"  --client-auth M    none (default), optional or require a client\n"
"                     certificate (optional and require need --ca)\n"
"  --crl FILE         refuse client certificates revoked on this CRL (PEM\n"
"                     or DER, checked like `verify --crl`); repeatable\n"
"  --tls V            1.2, 1.3 or any (default)\n"
"  --kx K             TLS 1.2 key exchange: rsa, ecdhe or any (default)\n"
"  --timeout N        seconds a client has to finish the handshake (10)\n"
"  --idle-timeout N   seconds a connection may stay silent (300)\n"
"  --trace            print every handshake message decoded, per connection\n",
	},
	{
		.name = "client connect",
		.fn = cmd_client_connect,
		.usage =
"client connect [NAME] ADDR --ca FILE\n"
"[--server-name HOST]\n"
"[--tls 1.2|1.3] [--kx rsa|ecdhe]\n"
"[--crl FILE]... [--send LINE]...\n"
"[--timeout N] [--trace]",
		.help =
"Connects to a server over TLS (1.3 or 1.2, the server chooses), validates\n"
"its certificate chain against --ca (purpose serverAuth, host name against\n"
"the subjectAltName), sends each --send line (or, without --send, the\n"
"lines of standard input) and prints each answer line. With NAME, entity\n"
"NAME's key and certificate answer a certificate request (client\n"
"authentication); without it the client is anonymous. Exit 1 when the\n"
"server is not trusted or the handshake fails, with the reason.\n"
"SSLKEYLOGFILE, when set, receives the TLS secrets (NSS key log format).\n"
"\n"
"  --ca FILE          trust anchors for the server's certificate\n"
"  --server-name HOST the name to send (SNI) and check; default the TCP\n"
"                     host; none for unix: addresses\n"
"  --crl FILE         refuse a server certificate revoked on this CRL;\n"
"                     repeatable\n"
"  --tls V            offer only TLS 1.2 or only TLS 1.3\n"
"  --kx K             TLS 1.2 key exchange: rsa (the premaster secret\n"
"                     encrypted to the server's key) or ecdhe (x25519);\n"
"                     implies --tls 1.2\n"
"  --send LINE        a service line to send; repeatable\n"
"  --timeout N        seconds for the handshake and for each answer (10)\n"
"  --trace            print every handshake message decoded and the key\n"
"                     schedule steps (never secrets) on standard error\n",
	},
};

#define NCMDS (sizeof cli_cmds / sizeof cli_cmds[0])

static const struct cli_summary cli_summaries[] = {
	{ "key new", "make a key pair in a new entity keystore" },
	{ "csr new", "make a certification request for an entity's key" },
	{ "ca init", "create a certificate authority with a self-signed root" },
	{ "ca issue", "issue certificates from requests (one or a batch)" },
	{ "ca list", "list the certificates a CA has issued" },
	{ "ca revoke", "revoke a certificate and regenerate the CRL" },
	{ "ca crl", "generate a signed v2 CRL" },
	{ "ca renew", "renew a certificate (same key, or --rekey)" },
	{ "ca show", "show one certificate of the CA database" },
	{ "ca check", "check a CA's database, audit log and CRL" },
	{ "show", "print a certificate, request, CRL or key readably" },
	{ "verify", "validate a certificate chain and show each step" },
	{ "export", "write out an entity's certificate or private key" },
	{ "import", "make an entity keystore from an existing key" },
	{ "server run", "serve TLS 1.3 / 1.2 clients (line service)" },
	{ "client connect", "connect to a server over TLS and send lines" },
};

static const char cli_global_help[] =
"Global options (before the command):\n"
"  --dir DIR               the workspace (default $MINIPKI_DIR, else\n"
"                          $XDG_DATA_HOME/minipki, else ~/.local/share/minipki)\n"
"  --passphrase-file FILE  read the passphrase from the first line of FILE\n"
"                          (also accepted after the command)\n"
"  --help                  this help; CMD --help shows a command's help\n"
"  --version               the program's version\n"
"\n"
"Passphrases come from MINIPKI_PASSPHRASE, else --passphrase-file, else a\n"
"prompt on the terminal (without echo). Exit status: 0 success or valid,\n"
"1 refused or invalid, 2 usage error, 3 bad input data, I/O error or wrong\n"
"passphrase.\n";

const struct cli_cmd *
cli_find(const char *name)
{
	size_t i;

	if (name == NULL)
		return NULL;
	for (i = 0; i < NCMDS; i++)
		if (strcmp(cli_cmds[i].name, name) == 0)
			return &cli_cmds[i];
	return NULL;
}

/* Prints the synopsis after lead; continuation lines (after a newline in
 * usage) are indented under the command's options. */
static void
cli_print_synopsis(const struct cli_cmd *c, const char *lead, FILE *f)
{
	const char *p = c->usage, *nl;
	int indent = (int)(strlen(lead) + strlen(c->name) + 1);

	fprintf(f, "%s", lead);
	while ((nl = strchr(p, '\n')) != NULL) {
		fprintf(f, "%.*s\n%*s", (int)(nl - p), p, indent, "");
		p = nl + 1;
	}
	fprintf(f, "%s\n", p);
}

static void
cli_print_usage(const struct cli_cmd *c, FILE *f)
{
	cli_print_synopsis(c, "usage: " PROG " [--dir DIR] ", f);
}

void
cli_print_help(const struct cli_cmd *c, FILE *f)
{
	cli_print_usage(c, f);
	fprintf(f, "\n%s", c->help);
}

static void
cli_print_main_help(FILE *f)
{
	size_t i;

	fprintf(f, "usage: " PROG " [--dir DIR] [--passphrase-file FILE] "
	    "COMMAND [OPTIONS]\n"
	    "       " PROG " --help | --version\n\n"
	    "A terminal PKI workbench: keys, requests, a small CA, "
	    "verification.\n\nCommands:\n");
	for (i = 0; i < sizeof cli_summaries / sizeof cli_summaries[0]; i++)
		fprintf(f, "  %-15s %s\n", cli_summaries[i].name,
		    cli_summaries[i].summary);
	fprintf(f, "\n%s", cli_global_help);
}

int
cli_fail(const struct err *e)
{
	fflush(stdout);
	fprintf(stderr, PROG ": %s\n", e->msg[0] != '\0' ? e->msg :
	    "failed (no reason given)");
	return err_exit_status(e->kind);
}

int
cli_usage(const char *cmd, const char *fmt, ...)
{
	const struct cli_cmd *c = cli_find(cmd);
	va_list ap;

	fflush(stdout);
	if (c != NULL)
		fprintf(stderr, PROG " %s: ", c->name);
	else
		fprintf(stderr, PROG ": ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (c != NULL)
		cli_print_usage(c, stderr);
	return EXIT_USAGE;
}

/* Words that start a two-word command ("ca" for "ca init"): prints the
 * group's commands. */
static int
cli_group_help(const char *group, FILE *f)
{
	size_t i, glen = strlen(group);
	int n = 0;

	for (i = 0; i < NCMDS; i++) {
		if (strncmp(cli_cmds[i].name, group, glen) != 0 ||
		    cli_cmds[i].name[glen] != ' ')
			continue;
		if (n++ == 0)
			fprintf(f, "%s commands:\n", group);
		cli_print_synopsis(&cli_cmds[i], "  " PROG " [--dir DIR] ", f);
	}
	return n;
}

static int
cli_is_group(const char *word)
{
	size_t i, len = strlen(word);

	for (i = 0; i < NCMDS; i++)
		if (strncmp(cli_cmds[i].name, word, len) == 0 &&
		    cli_cmds[i].name[len] == ' ')
			return 1;
	return 0;
}

int
cli_main(int argc, char **argv)
{
	struct cli cli = { .dir = NULL, .passfile = NULL };
	const struct cli_cmd *c;
	char name[64];
	int i = 1;

	while (i < argc && strncmp(argv[i], "--", 2) == 0) {
		const char *a = argv[i];

		if (strcmp(a, "--") == 0) {
			i++;
			break;
		}
		if (strcmp(a, "--help") == 0) {
			cli_print_main_help(stdout);
			return EXIT_OK;
		}
		if (strcmp(a, "--version") == 0) {
			printf(PROG " " PACKAGE_VERSION "\n");
			return EXIT_OK;
		}
		if (strcmp(a, "--dir") == 0 ||
		    strcmp(a, "--passphrase-file") == 0) {
			if (i + 1 >= argc)
				return cli_usage(NULL,
				    "option '%s' needs a value", a);
			if (a[2] == 'd')
				cli.dir = argv[i + 1];
			else
				cli.passfile = argv[i + 1];
			i += 2;
			continue;
		}
		if (strncmp(a, "--dir=", 6) == 0) {
			cli.dir = a + 6;
			i++;
			continue;
		}
		if (strncmp(a, "--passphrase-file=", 18) == 0) {
			cli.passfile = a + 18;
			i++;
			continue;
		}
		return cli_usage(NULL, "unknown option '%s' (see " PROG
		    " --help)", a);
	}
	if (cli.dir != NULL && cli.dir[0] == '\0')
		return cli_usage(NULL, "option '--dir' needs a directory");
	/* No command: the terminal interface on a terminal, else the list
	 * of commands. */
	if (i >= argc) {
		if (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO))
			{
			struct opts o = { cli.dir, cli.passfile };

			return tui_main(&o);
		}
		cli_print_main_help(stdout);
		return EXIT_OK;
	}
	if (argv[i][0] == '-')
		return cli_usage(NULL, "unknown option '%s' (see " PROG
		    " --help)", argv[i]);

	if ((c = cli_find(argv[i])) != NULL)
		return c->fn(&cli, argc - i, argv + i);
	if (cli_is_group(argv[i])) {
		if (i + 1 >= argc || strcmp(argv[i + 1], "--help") == 0) {
			FILE *f = i + 1 >= argc ? stderr : stdout;

			if (f == stderr)
				fprintf(stderr, PROG ": '%s' needs a "
				    "subcommand\n", argv[i]);
			cli_group_help(argv[i], f);
			return f == stderr ? EXIT_USAGE : EXIT_OK;
		}
		snprintf(name, sizeof name, "%s %s", argv[i], argv[i + 1]);
		if ((c = cli_find(name)) != NULL)
			return c->fn(&cli, argc - i - 1, argv + i + 1);
		return cli_usage(NULL, "unknown command '%.40s %.40s' (see "
		    PROG " --help)", argv[i], argv[i + 1]);
	}
	return cli_usage(NULL, "unknown command '%.80s' (see " PROG
	    " --help)", argv[i]);
}
