/* export.c — the form that exports an entity's certificate or key (as
 * `export`): PEM or DER, a key encrypted as PKCS#8 with PBES2 or not; or
 * both as PKCS#12 (`export --p12`, the legacy form on request). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "role/entity.h"
#include "role/p12.h"
#include "tui/ui.h"
#include "util/file.h"
#include "util/xalloc.h"

static const char *const what_choices[] = { "certificate", "key",
    "PKCS#12", "PKCS#12 legacy (weak)", NULL };
static const char *const format_choices[] = { "PEM", "DER", NULL };
static const char *const yesno_choices[] = { "yes", "no", NULL };

enum { EX_ENT, EX_WHAT, EX_FMT, EX_PATH, EX_PASS, EX_ENC, EX_OUTPASS };

static int
export_submit(struct ui *u, struct form *fm)
{
	struct buf out;
	struct err e;
	const char *name = fm->f[EX_ENT].val, *path = fm->f[EX_PATH].val;
	int key = strcmp(fm->f[EX_WHAT].val, "key") == 0;
	int p12 = strncmp(fm->f[EX_WHAT].val, "PKCS#12", 7) == 0;
	int legacy = p12 && strcmp(fm->f[EX_WHAT].val, "PKCS#12") != 0;
	int der = strcmp(fm->f[EX_FMT].val, "DER") == 0;
	int enc = strcmp(fm->f[EX_ENC].val, "yes") == 0;
	int rc = -1;

	if (!keystore_exists(&u->ws, name)) {
		ui_fmt(fm->f[EX_ENT].err, sizeof fm->f[EX_ENT].err,
		    "no keystore '%s'", name);
		fm->cur = EX_ENT;
		return -1;
	}
	if (*path == '\0') {
		ui_fmt(fm->f[EX_PATH].err, sizeof fm->f[EX_PATH].err,
		    "required");
		fm->cur = EX_PATH;
		return -1;
	}
	if (key && enc && fm->f[EX_OUTPASS].val[0] == '\0') {
		ui_fmt(fm->f[EX_OUTPASS].err, sizeof fm->f[EX_OUTPASS].err,
		    "needed to encrypt (or Encrypt: no)");
		fm->cur = EX_OUTPASS;
		return -1;
	}
	buf_init(&out);
	if (p12) {
		/* As the CLI: no export passphrase, the keystore's. */
		const char *kp = fm->f[EX_PASS].val, *op = fm->f[EX_OUTPASS].val;

		if (*op == '\0')
			op = kp;
		if (p12_export(&u->ws, name, kp, strlen(kp), op, strlen(op),
		    legacy, &out, &e) == -1) {
			ui_fmt(fm->f[EX_PASS].err, sizeof fm->f[EX_PASS].err,
			    "%s", e.msg);
			fm->cur = EX_PASS;
			goto out;
		}
		if (file_write(path, out.data, out.len, 0600, 1, &e) == -1) {
			ui_fmt(fm->f[EX_PATH].err, sizeof fm->f[EX_PATH].err,
			    "%s", e.msg);
			fm->cur = EX_PATH;
			goto out;
		}
		ui_log(u, "exported key, certificate and chain of '%s' to %s "
		    "(PKCS#12%s, mode 0600)", name, path, legacy ?
		    ", WEAK legacy 3DES / SHA-1 form" : ", PBES2 AES-256-CBC, "
		    "HMAC-SHA256");
		ui_set_openssl(u, "openssl pkcs12 -export%s -inkey %s.key -in "
		    "%s.crt -name %s -out %s", legacy ? " -legacy" : "", name,
		    name, name, path);
		rc = 0;
		goto out;
	}
	if (key) {
		const char *op = fm->f[EX_OUTPASS].val;

		if (entity_export_key(&u->ws, name, fm->f[EX_PASS].val,
		    strlen(fm->f[EX_PASS].val), enc ? op : NULL,
		    enc ? strlen(op) : 0, der, &out, &e) == -1) {
			ui_fmt(fm->f[EX_PASS].err, sizeof fm->f[EX_PASS].err,
			    "%s", e.msg);
			fm->cur = EX_PASS;
			goto out;
		}
	} else if (entity_export_cert(&u->ws, name, der, &out, &e) == -1) {
		ui_fmt(fm->f[EX_ENT].err, sizeof fm->f[EX_ENT].err, "%s",
		    e.msg);
		fm->cur = EX_ENT;
		goto out;
	}
	if (file_write(path, out.data, out.len, key ? 0600 : 0644, key,
	    &e) == -1) {
		ui_fmt(fm->f[EX_PATH].err, sizeof fm->f[EX_PATH].err, "%s",
		    e.msg);
		fm->cur = EX_PATH;
		goto out;
	}
	ui_log(u, "exported %s of '%s' to %s (%s%s)", key ? "key" :
	    "certificate", name, path, der ? "DER" : "PEM", key ? (enc ?
	    ", encrypted PKCS#8" : ", UNENCRYPTED PKCS#8, mode 0600") : "");
	if (key)
		ui_set_openssl(u, "openssl pkcs8 -topk8 %s -in %s.key -outform "
		    "%s -out %s", enc ? "-v2 aes-256-cbc -v2prf hmacWithSHA256" :
		    "-nocrypt", name, der ? "DER" : "PEM", path);
	else
		ui_set_openssl(u, "openssl x509 -in %s.crt -outform %s -out %s",
		    name, der ? "DER" : "PEM", path);
	rc = 0;
out:
	buf_clear_secret(&out);
	return rc;
}

void
export_open(struct ui *u)
{
	struct field *f;
	const char *name = scr_entities_selected(u);
	char *path;

	if (name == NULL)
		name = "";
	form_begin(u, "Export", export_submit, 0);
	f = form_add(u, "Entity", name);
	f->check = field_check_name;
	f = form_add(u, "What", "certificate");
	f->choices = what_choices;
	f = form_add(u, "Format", "PEM");
	f->choices = format_choices;
	path = xasprintf("%s.crt.pem", name);
	f = form_add(u, "Path", path);
	f->hint = "a key or PKCS#12 is never written over an existing file";
	free(path);
	f = form_add(u, "Key passphrase", "");
	f->masked = 1;
	f->hint = "for a key or PKCS#12: the keystore's passphrase";
	f = form_add(u, "Encrypt key", "yes");
	f->choices = yesno_choices;
	f->hint = "PKCS#8 with PBES2 (AES-256-CBC, PBKDF2)";
	f = form_add(u, "Export passphrase", "");
	f->masked = 1;
	f->hint = "PKCS#12: empty means the keystore's";
	ui_fmt(u->form.openssl, sizeof u->form.openssl, "openssl x509 -in "
	    "%s.crt -outform PEM -out %s.crt.pem", name, name);
}

