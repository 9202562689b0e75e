/* keystore.c — encrypted key and certificate chain in YAML; see keystore.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "crypto/aead.h"
#include "crypto/b64.h"
#include "crypto/hex.h"
#include "crypto/kdf.h"
#include "crypto/rand.h"
#include "store/keystore.h"
#include "store/yamlr.h"
#include "store/yamlw.h"
#include "util/file.h"
#include "util/xalloc.h"

#define KS_FORMAT "minipki-keystore"
#define KS_VERSION 1
#define KS_KDF "pbkdf2-hmac-sha256"
#define KS_CIPHER "aes-256-gcm"
#define KS_CERT_MAX (512 * 1024)	/* longest certificate chain text */
#define KS_TEXT_MAX 4096		/* longest other value */
/* A fuzzing build (crypto/rand.c) takes any iteration count, so that its
 * target unlocks a keystore per input; every other build refuses few. */
#ifdef MINIPKI_FUZZING
#define KS_ITER_MIN 1
#else
#define KS_ITER_MIN KEYSTORE_ITER_MIN
#endif

static const struct yamlr_limits ks_limits = {
	.max_scalar = KS_CERT_MAX,
	.max_nodes = 256,
	.max_depth = 4,
};

void
keystore_init(struct keystore *ks)
{
	memset(ks, 0, sizeof *ks);
}

void
keystore_clear(struct keystore *ks)
{
	free(ks->name);
	free(ks->label);
	free(ks->created);
	free(ks->key_type);
	free(ks->subject);
	free(ks->not_after);
	free(ks->cert_pem);
	free(ks->ct);
	keystore_init(ks);
}

/* The additional data: every parameter that must not be swapped. */
static void
make_aad(const struct keystore *ks, struct buf *aad)
{
	buf_printf(aad, "%s %d\nname=%s\nkey=%s %u\nkdf=%s\niterations=%u\n"
	    "salt=", KS_FORMAT, KS_VERSION, ks->name, ks->key_type, ks->bits,
	    KS_KDF, ks->iterations);
	hex_put(aad, ks->salt, sizeof ks->salt);
	buf_printf(aad, "\ncipher=%s\nnonce=", KS_CIPHER);
	hex_put(aad, ks->nonce, sizeof ks->nonce);
	buf_putc(aad, '\n');
	/* Only when present: keystores without it keep their data. */
	if (ks->has_spki_sha256) {
		buf_puts(aad, "spki-sha256=");
		hex_put(aad, ks->spki_sha256, sizeof ks->spki_sha256);
		buf_putc(aad, '\n');
	}
}

static void
derive(const struct keystore *ks, const void *pass, size_t passlen,
    uint8_t key[32])
{
	kdf_pbkdf2_sha256(pass, passlen, ks->salt, sizeof ks->salt,
	    ks->iterations, key, 32);
}

static int
emit(const struct keystore *ks, struct buf *out, struct err *e)
{
	struct yamlw w;
	struct buf t;

	buf_init(&t);
	yamlw_begin(&w, out, "minipki keystore: an encrypted private key and "
	    "its certificates.\nKeep it private; the passphrase opens it.");
	yamlw_str(&w, "format", KS_FORMAT);
	yamlw_uint(&w, "version", KS_VERSION);
	yamlw_str(&w, "name", ks->name);
	yamlw_str(&w, "created", ks->created);
	yamlw_map(&w, "key");
	yamlw_str(&w, "type", ks->key_type);
	yamlw_uint(&w, "bits", ks->bits);
	if (ks->has_spki_sha256) {
		hex_put(&t, ks->spki_sha256, sizeof ks->spki_sha256);
		yamlw_str(&w, "spki_sha256", (char *)t.data);
		t.len = 0;
	}
	yamlw_end(&w);
	if (ks->subject != NULL)
		yamlw_str(&w, "subject", ks->subject);
	if (ks->not_after != NULL)
		yamlw_str(&w, "not_after", ks->not_after);
	yamlw_map(&w, "encrypted_key");
	yamlw_str(&w, "kdf", KS_KDF);
	yamlw_uint(&w, "iterations", ks->iterations);
	hex_put(&t, ks->salt, sizeof ks->salt);
	yamlw_str(&w, "salt", (char *)t.data);
	yamlw_str(&w, "cipher", KS_CIPHER);
	t.len = 0;
	hex_put(&t, ks->nonce, sizeof ks->nonce);
	yamlw_str(&w, "nonce", (char *)t.data);
	t.len = 0;
	b64_encode(ks->ct, ks->ct_len, 1, &t);
	yamlw_block(&w, "ciphertext", (char *)t.data);
	yamlw_end(&w);
	if (ks->cert_pem != NULL)
		yamlw_block(&w, "certificates", ks->cert_pem);
	buf_clear(&t);
	return yamlw_finish(&w, e);
}

static int
save(const struct ws *w, const struct keystore *ks, int excl, struct err *e)
{
	struct buf out;
	char *path = ws_keystore_path(w, ks->name);
	int rc = -1;

	buf_init(&out);
	if (emit(ks, &out, e) == -1)
		goto out;
	rc = file_write(path, out.data, out.len, 0600, excl, e);
	if (rc == -1 && excl && e != NULL &&
	    strstr(e->msg, "already exists") != NULL)
		err_set(e, ERR_REFUSED, "keystore '%s' already exists",
		    ks->name);
out:
	buf_clear(&out);
	free(path);
	return rc;
}

static int
check_key_type(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > 16)
		return -1;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' &&
		    s[i] <= '9') || s[i] == '-'))
			return -1;
	return 0;
}

int
keystore_exists(const struct ws *w, const char *name)
{
	char *path = ws_keystore_path(w, name);
	struct stat st;
	int r = lstat(path, &st) == 0;

	free(path);
	return r;
}

int
keystore_create(const struct ws *w, const char *name, const uint8_t *key_der,
    size_t key_len, const void *pass, size_t passlen, const char *cert_pem,
    const struct keystore_info *info, int flags, struct err *e)
{
	struct keystore ks;
	struct buf aad;
	uint8_t key[32];
	char now[WS_TIME_LEN];
	int rc = -1;

	keystore_init(&ks);
	buf_init(&aad);
	if (ws_check_name(name, e) == -1)
		return -1;
	if (key_len == 0 || key_len > KEYSTORE_KEY_MAX)
		return err_set(e, ERR_USAGE, "keystore '%s': key of %zu bytes "
		    "(at most %d)", name, key_len, KEYSTORE_KEY_MAX);
	if (!(flags & KEYSTORE_REPLACE) && keystore_exists(w, name))
		return err_set(e, ERR_REFUSED, "keystore '%s' already exists",
		    name);
	ks.name = xstrdup(name);
	ks.key_type = xstrdup(info != NULL && info->key_type != NULL ?
	    info->key_type : "rsa");
	if (check_key_type(ks.key_type) == -1) {
		err_set(e, ERR_USAGE, "keystore '%s': invalid key type", name);
		goto out;
	}
	ks.bits = info != NULL ? info->bits : 0;
	if (info != NULL && info->spki_sha256 != NULL) {
		memcpy(ks.spki_sha256, info->spki_sha256,
		    sizeof ks.spki_sha256);
		ks.has_spki_sha256 = 1;
	}
	ks.iterations = info != NULL && info->iterations != 0 ?
	    info->iterations : KEYSTORE_ITERATIONS;
	if (ks.iterations < KS_ITER_MIN ||
	    ks.iterations > KEYSTORE_ITER_MAX) {
		err_set(e, ERR_USAGE, "keystore '%s': iteration count %u "
		    "outside %d..%d", name, ks.iterations, KS_ITER_MIN,
		    KEYSTORE_ITER_MAX);
		goto out;
	}
	if (info != NULL && info->subject != NULL)
		ks.subject = xstrdup(info->subject);
	if (info != NULL && info->not_after != NULL)
		ks.not_after = xstrdup(info->not_after);
	if (cert_pem != NULL)
		ks.cert_pem = xstrdup(cert_pem);
	ws_time_format((int64_t)time(NULL), now);
	ks.created = xstrdup(now);
	rand_bytes(ks.salt, sizeof ks.salt);
	rand_bytes(ks.nonce, sizeof ks.nonce);
	make_aad(&ks, &aad);
	derive(&ks, pass, passlen, key);
	ks.ct_len = key_len + AEAD_TAG_SIZE;
	ks.ct = xmalloc(ks.ct_len);
	if (aead_seal(key, sizeof key, ks.nonce, aad.data, aad.len, key_der,
	    key_len, ks.ct) == -1) {
		err_set(e, ERR_IO, "keystore '%s': encryption failed", name);
		goto out;
	}
	rc = save(w, &ks, !(flags & KEYSTORE_REPLACE), e);
out:
	explicit_bzero(key, sizeof key);
	buf_clear(&aad);
	keystore_clear(&ks);
	return rc;
}

/* "LABEL: line N: FIELD: what" */
static int
field_err(struct err *e, const char *label, const struct yamlr_node *at,
    const char *field, const char *what)
{
	return err_set(e, ERR_INPUT, "%s: line %lu: %s: %s", label,
	    at != NULL ? at->line : 1UL, field, what);
}

/* The scalar value of field in map; NULL (with the error set) when it is
 * missing, not a scalar or longer than max. */
static const struct yamlr_node *
get_scalar(const struct yamlr_node *map, const char *field, size_t max,
    const char *label, struct err *e)
{
	const struct yamlr_node *n = yamlr_get(map, field);

	if (n == NULL) {
		field_err(e, label, map, field, "missing");
		return NULL;
	}
	if (n->kind != YAMLR_SCALAR) {
		field_err(e, label, n, field, "expected a single value");
		return NULL;
	}
	if (n->len > max) {
		field_err(e, label, n, field, "too long");
		return NULL;
	}
	return n;
}

static const struct yamlr_node *
get_map(const struct yamlr_node *map, const char *field, const char *label,
    struct err *e)
{
	const struct yamlr_node *n = yamlr_get(map, field);

	if (n == NULL) {
		field_err(e, label, map, field, "missing");
		return NULL;
	}
	if (n->kind != YAMLR_MAP) {
		field_err(e, label, n, field, "expected a mapping");
		return NULL;
	}
	return n;
}

/* A decimal number lo..hi without sign or leading zeros. */
static int
get_uint(const struct yamlr_node *map, const char *field, unsigned long lo,
    unsigned long hi, unsigned *v, const char *label, struct err *e)
{
	const struct yamlr_node *n = get_scalar(map, field, 12, label, e);
	unsigned long x = 0;
	size_t i;
	char msg[64];

	if (n == NULL)
		return -1;
	if (n->len == 0 || (n->str[0] == '0' && n->len > 1))
		return field_err(e, label, n, field, "not a number");
	for (i = 0; i < n->len; i++) {
		if (n->str[i] < '0' || n->str[i] > '9')
			return field_err(e, label, n, field, "not a number");
		x = x * 10 + (unsigned long)(n->str[i] - '0');
	}
	if (x < lo || x > hi) {
		snprintf(msg, sizeof msg, "%lu is outside %lu..%lu", x, lo, hi);
		return field_err(e, label, n, field, msg);
	}
	*v = (unsigned)x;
	return 0;
}

/* An optional string field: absent is fine (left NULL). */
static int
get_opt_str(const struct yamlr_node *map, const char *field, size_t max,
    char **out, const char *label, struct err *e)
{
	const struct yamlr_node *n;

	if (yamlr_get(map, field) == NULL)
		return 0;
	if ((n = get_scalar(map, field, max, label, e)) == NULL)
		return -1;
	*out = xstrdup(n->str);
	return 0;
}

int
keystore_parse(struct keystore *ks, const void *data, size_t len,
    const char *label, const char *name, struct err *e)
{
	const struct yamlr_node *root, *n, *key, *enc;
	struct yamlr_doc doc;
	struct buf ct;
	int64_t t;
	unsigned version;
	int rc = -1;

	keystore_clear(ks);
	yamlr_init(&doc);
	buf_init(&ct);
	if (len > KEYSTORE_FILE_MAX) {
		err_set(e, ERR_INPUT, "%s: larger than %d bytes", label,
		    KEYSTORE_FILE_MAX);
		goto out;
	}
	if (yamlr_parse(&doc, data, len, &ks_limits, e) == -1) {
		err_wrap(e, "%s", label);
		goto out;
	}
	root = doc.root;
	if (root == NULL || root->kind != YAMLR_MAP) {
		err_set(e, ERR_INPUT, "%s: line %lu: not a minipki keystore",
		    label, root != NULL ? root->line : 1UL);
		goto out;
	}
	if ((n = get_scalar(root, "format", KS_TEXT_MAX, label, e)) == NULL)
		goto out;
	if (strcmp(n->str, KS_FORMAT) != 0) {
		field_err(e, label, n, "format", "not a minipki keystore");
		goto out;
	}
	if (get_uint(root, "version", 1, 1000, &version, label, e) == -1)
		goto out;
	if (version != KS_VERSION) {
		field_err(e, label, yamlr_get(root, "version"), "version",
		    "unsupported version (this program reads version 1)");
		goto out;
	}
	if ((n = get_scalar(root, "name", WS_NAME_MAX, label, e)) == NULL)
		goto out;
	if (ws_check_name(n->str, NULL) == -1) {
		field_err(e, label, n, "name", "not a valid name");
		goto out;
	}
	if (name != NULL && strcmp(n->str, name) != 0) {
		field_err(e, label, n, "name", "does not match the file name");
		goto out;
	}
	ks->name = xstrdup(n->str);
	ks->label = xstrdup(label);
	if ((n = get_scalar(root, "created", KS_TEXT_MAX, label, e)) == NULL)
		goto out;
	if (ws_time_parse(n->str, n->len, &t) == -1) {
		field_err(e, label, n, "created", "not a time "
		    "YYYY-MM-DDTHH:MM:SSZ");
		goto out;
	}
	ks->created = xstrdup(n->str);
	if ((key = get_map(root, "key", label, e)) == NULL)
		goto out;
	if ((n = get_scalar(key, "type", KS_TEXT_MAX, label, e)) == NULL)
		goto out;
	if (check_key_type(n->str) == -1) {
		field_err(e, label, n, "type", "not a key type");
		goto out;
	}
	ks->key_type = xstrdup(n->str);
	if (get_uint(key, "bits", 0, 65536, &ks->bits, label, e) == -1)
		goto out;
	if (yamlr_get(key, "spki_sha256") != NULL) {
		if ((n = get_scalar(key, "spki_sha256", KS_TEXT_MAX, label,
		    e)) == NULL)
			goto out;
		if (n->len != 64 || hex_decode(n->str, n->len,
		    ks->spki_sha256, sizeof ks->spki_sha256) == -1) {
			field_err(e, label, n, "spki_sha256", "not 64 hex "
			    "digits");
			goto out;
		}
		ks->has_spki_sha256 = 1;
	}
	if (get_opt_str(root, "subject", KS_TEXT_MAX, &ks->subject, label,
	    e) == -1 || get_opt_str(root, "not_after", KS_TEXT_MAX,
	    &ks->not_after, label, e) == -1 || get_opt_str(root,
	    "certificates", KS_CERT_MAX, &ks->cert_pem, label, e) == -1)
		goto out;
	if ((enc = get_map(root, "encrypted_key", label, e)) == NULL)
		goto out;
	if ((n = get_scalar(enc, "kdf", KS_TEXT_MAX, label, e)) == NULL)
		goto out;
	if (strcmp(n->str, KS_KDF) != 0) {
		field_err(e, label, n, "kdf", "unsupported (want "
		    KS_KDF ")");
		goto out;
	}
	if (get_uint(enc, "iterations", KS_ITER_MIN, KEYSTORE_ITER_MAX,
	    &ks->iterations, label, e) == -1)
		goto out;
	if ((n = get_scalar(enc, "salt", KS_TEXT_MAX, label, e)) == NULL)
		goto out;
	if (hex_decode(n->str, n->len, ks->salt, sizeof ks->salt) == -1) {
		field_err(e, label, n, "salt", "not 32 hex digits");
		goto out;
	}
	if ((n = get_scalar(enc, "cipher", KS_TEXT_MAX, label, e)) == NULL)
		goto out;
	if (strcmp(n->str, KS_CIPHER) != 0) {
		field_err(e, label, n, "cipher", "unsupported (want "
		    KS_CIPHER ")");
		goto out;
	}
	if ((n = get_scalar(enc, "nonce", KS_TEXT_MAX, label, e)) == NULL)
		goto out;
	if (hex_decode(n->str, n->len, ks->nonce, sizeof ks->nonce) == -1) {
		field_err(e, label, n, "nonce", "not 24 hex digits");
		goto out;
	}
	if ((n = get_scalar(enc, "ciphertext", 2 * KEYSTORE_KEY_MAX, label,
	    e)) == NULL)
		goto out;
	if (b64_decode(n->str, n->len, &ct, NULL) == -1) {
		field_err(e, label, n, "ciphertext", "not valid base64");
		goto out;
	}
	if (ct.len <= AEAD_TAG_SIZE || ct.len > KEYSTORE_KEY_MAX +
	    AEAD_TAG_SIZE) {
		field_err(e, label, n, "ciphertext", "wrong length");
		goto out;
	}
	ks->ct = buf_steal(&ct, &ks->ct_len);
	rc = 0;
out:
	buf_clear(&ct);
	yamlr_clear(&doc);
	if (rc == -1)
		keystore_clear(ks);
	return rc;
}

int
keystore_load(const struct ws *w, const char *name, struct keystore *ks,
    struct err *e)
{
	char *path = NULL, *label = NULL;
	struct buf data;
	struct stat st;
	int rc = -1;

	buf_init(&data);
	keystore_clear(ks);
	if (ws_check_name(name, e) == -1)
		return -1;
	path = ws_keystore_path(w, name);
	label = ws_keystore_label(name);
	if (lstat(path, &st) == -1) {
		if (errno == ENOENT)
			err_set(e, ERR_USAGE, "no keystore '%s'", name);
		else
			err_set(e, ERR_IO, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		err_set(e, ERR_IO, "%s: not a regular file", path);
		goto out;
	}
	if (file_read(path, KEYSTORE_FILE_MAX, &data, e) == -1)
		goto out;
	rc = keystore_parse(ks, data.data, data.len, label, name, e);
out:
	buf_clear(&data);
	free(path);
	free(label);
	return rc;
}

int
keystore_unlock(const struct keystore *ks, const void *pass, size_t passlen,
    struct buf *out, struct err *e)
{
	struct buf aad;
	uint8_t key[32], *pt;
	size_t n;
	int rc = -1;

	if (ks->ct == NULL || ks->ct_len <= AEAD_TAG_SIZE)
		return err_set(e, ERR_USAGE, "keystore '%s' holds no key",
		    ks->name != NULL ? ks->name : "?");
	buf_init(&aad);
	make_aad(ks, &aad);
	derive(ks, pass, passlen, key);
	n = ks->ct_len - AEAD_TAG_SIZE;
	pt = buf_reserve(out, n);
	if (aead_open(key, sizeof key, ks->nonce, aad.data, aad.len, ks->ct,
	    ks->ct_len, pt) == -1) {
		err_set(e, ERR_PASS, "wrong passphrase for keystore '%s' (or "
		    "the file was altered)", ks->name);
		goto out;
	}
	out->len += n;
	out->data[out->len] = '\0';
	rc = 0;
out:
	explicit_bzero(key, sizeof key);
	buf_clear(&aad);
	return rc;
}

int
keystore_set_cert(const struct ws *w, const char *name, const char *cert_pem,
    const char *subject, const char *not_after, struct err *e)
{
	struct keystore ks;
	int rc = -1;

	keystore_init(&ks);
	if (keystore_load(w, name, &ks, e) == -1)
		return -1;
	free(ks.cert_pem);
	ks.cert_pem = cert_pem != NULL ? xstrdup(cert_pem) : NULL;
	free(ks.subject);
	ks.subject = subject != NULL ? xstrdup(subject) : NULL;
	free(ks.not_after);
	ks.not_after = not_after != NULL ? xstrdup(not_after) : NULL;
	rc = save(w, &ks, 0, e);
	keystore_clear(&ks);
	return rc;
}
