/* caserve.c — the CA service: opening it (key, service certificate,
 * answers made once), the database, the answers every endpoint shares,
 * the CRL and CA certificate endpoints and the routing; EST is in
 * caserve-est.c, OCSP in caserve-ocsp.c. See caserve.h. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include "asn1/pem.h"
#include "crypto/b64.h"
#include "crypto/hex.h"
#include "role/cacrl.h"
#include "role/caservepriv.h"
#include "role/lifecycle.h"
#include "role/profile.h"
#include "store/audit.h"
#include "util/file.h"
#include "util/xalloc.h"
#include "x509/cms.h"
#include "x509/crl.h"

void
caserve_init(struct caserve *s)
{
	memset(s, 0, sizeof *s);
	ca_init(&s->ca);
	enroll_init(&s->en);
	cadb_init(&s->rd);
	cert_list_init(&s->chain);
	buf_init(&s->cacerts);
	buf_init(&s->ca_pem);
	buf_init(&s->crl);
	pkey_init(&s->tls_key);
	cert_list_init(&s->tls_chain);
	s->lock_wait = CASERVE_LOCK_WAIT;
	s->timer_fd = -1;
	journal_init(&s->wal);
	buf_init(&s->start_note);
}

/* The limbs of a private number: locked in memory, best effort (the
 * RLIMIT_MEMLOCK may be small); unlocked again by caserve_clear. */
static int
caserve_mlock_mpz(mpz_srcptr z, int lock)
{
	size_t n = mpz_size(z) * sizeof(mp_limb_t);
	const void *p = mpz_limbs_read(z);

	if (n == 0)
		return 0;
	return lock ? mlock(p, n) : munlock(p, n);
}

static int
caserve_mlock_key(const struct pkey *pk, int lock)
{
	const struct rsakey *k = &pk->rsa;
	int rc = 0;

	if (pk->type == PKEY_EC)
		return lock ? mlock(pk->ec.priv, sizeof pk->ec.priv) :
		    munlock(pk->ec.priv, sizeof pk->ec.priv);
	rc |= caserve_mlock_mpz(k->priv.d, lock);
	rc |= caserve_mlock_mpz(k->priv.p, lock);
	rc |= caserve_mlock_mpz(k->priv.q, lock);
	rc |= caserve_mlock_mpz(k->priv.a, lock);
	rc |= caserve_mlock_mpz(k->priv.b, lock);
	rc |= caserve_mlock_mpz(k->priv.c, lock);
	return rc;
}

void
caserve_clear(struct caserve *s)
{
	if (s->mlocked) {
		(void)caserve_mlock_key(&s->ca.key, 0);
		(void)caserve_mlock_key(&s->tls_key, 0);
	}
	caserve_detach(s);
	/* What the journal holds, on disk in the files: the next start
	 * finds it empty. A failure leaves it for that start to replay. */
	if (s->ws != NULL)
		(void)caserve_journal_settle(s, NULL);
	journal_clear(&s->wal);
	buf_clear(&s->start_note);
	caserve_ocsp_forget(s);
	ca_clear(&s->ca);	/* wipes the CA key */
	enroll_clear(&s->en);
	cadb_clear(&s->rd);
	cert_list_clear(&s->chain);
	buf_clear(&s->cacerts);
	buf_clear(&s->ca_pem);
	buf_clear(&s->crl);
	pkey_clear(&s->tls_key);
	cert_list_clear(&s->tls_chain);
	memset(s, 0, sizeof *s);
	s->timer_fd = -1;
}

/* ---- the CA database: a writer per operation, a reader kept ---- */

int
caserve_same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino &&
	    a->st_size == b->st_size &&
	    a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
	    a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/* The service URL (and the profiles' policies) as ca/NAME/ca.yaml says
 * them now: `ca set-url` (`ca set-policy`) writes it
 * under the CA lock while the service runs, and what the service issues
 * from then on carries it (ca_url_locations reads ca.meta.url). Read
 * only when the file changed (it is replaced whole: a new inode). The
 * caller holds the lock. */
static int
caserve_reload_url(struct caserve *s, struct err *e)
{
	struct cadb_meta m;
	struct stat st;
	char *dir = ws_ca_dir(s->ws, s->ca.name), *path;
	int same;

	path = xasprintf("%s/ca.yaml", dir);
	free(dir);
	same = stat(path, &st) == 0 && s->meta_known &&
	    st.st_ino == s->meta_st.st_ino &&
	    st.st_size == s->meta_st.st_size &&
	    st.st_mtim.tv_sec == s->meta_st.st_mtim.tv_sec &&
	    st.st_mtim.tv_nsec == s->meta_st.st_mtim.tv_nsec;
	free(path);
	if (same)
		return 0;
	cadb_meta_init(&m);
	if (cadb_meta_load(s->ws, s->ca.name, &m, e) == -1) {
		cadb_meta_clear(&m);
		return -1;
	}
	free(s->ca.meta.url);
	s->ca.meta.url = m.url;
	m.url = NULL;
	/* And the profiles' policies (`ca set-policy`): swapped, so that
	 * clearing m frees the old ones. */
	{
		struct cadb_profpol pp[CADB_PROFPOL_MAX];
		size_t n = s->ca.meta.npp;

		memcpy(pp, s->ca.meta.pp, sizeof pp);
		memcpy(s->ca.meta.pp, m.pp, sizeof pp);
		s->ca.meta.npp = m.npp;
		memcpy(m.pp, pp, sizeof pp);
		m.npp = n;
	}
	cadb_meta_clear(&m);
	s->meta_st = st;
	s->meta_known = 1;
	return 0;
}

/* Takes the lock once: an issuing handle kept from the last operation
 * reads only what others appended since (cadb_relock); else ca.db is
 * opened afresh (full: for lookups by serial, else for issuing). */
static int
caserve_lock_once(struct caserve *s, int full, struct err *e)
{
	struct cadb *db = &s->ca.db;

	if (!full && db->fd != -1 && (db->flags & CADB_APPEND))
		return cadb_relock(db, e);
	return cadb_open(db, s->ws, s->ca.name, CADB_WRITE |
	    (full ? 0 : CADB_APPEND), e);
}

/* Takes the CA lock for one operation (caserve_lock_once), one try; the
 * service URL read again under it (caserve_reload_url). */
int
caserve_lock(struct caserve *s, int full, struct err *e)
{
	err_clear(e);
	if (caserve_lock_once(s, full, e) == -1)
		return -1;
	if (caserve_reload_url(s, e) == -1) {
		caserve_unlock_db(s);
		return -1;
	}
	return 0;
}

/* Lets the lock go; an issuing handle in good order is kept for the
 * next operation (cadb_relock), any other closed. */
void
caserve_unlock_db(struct caserve *s)
{
	struct cadb *db = &s->ca.db;

	if (db->fd != -1 && (db->flags & CADB_APPEND) && db->append_only &&
	    !db->broken && !db->defer_sync) {
		cadb_unlock(db);
		return;
	}
	cadb_clear(db);
	cadb_init(db);
}

/* The reader, read again when certs.yaml changed since. */
int
caserve_reader(struct caserve *s, struct err *e)
{
	struct stat st;
	char *dir = ws_ca_dir(s->ws, s->ca.name), *path;
	int rc = -1;

	path = xasprintf("%s/certs.yaml", dir);
	free(dir);
	if (stat(path, &st) == -1) {
		err_set(e, ERR_IO, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (s->rd_open && st.st_ino == s->rd_st.st_ino &&
	    st.st_size == s->rd_st.st_size &&
	    st.st_mtim.tv_sec == s->rd_st.st_mtim.tv_sec &&
	    st.st_mtim.tv_nsec == s->rd_st.st_mtim.tv_nsec) {
		rc = 0;
		goto out;
	}
	/* Only the records appended since are read. */
	if (s->rd_open ? cadb_refresh(&s->rd, e) == -1 :
	    cadb_open(&s->rd, s->ws, s->ca.name, 0, e) == -1) {
		s->rd_open = 0;
		goto out;
	}
	s->rd_st = st;
	s->rd_open = 1;
	rc = 0;
out:
	free(path);
	return rc;
}

/* ---- opening ---- */

/* The service's own certificate: a fresh key (P-256, RSA-2048 with
 * tls_rsa), issued under profile server for the service's names,
 * recorded (the CA lock is held). */
static int
caserve_tls_cert(struct caserve *s, const char *const *names, size_t nnames,
    int64_t now, struct err *e)
{
	struct cert_template t;
	struct ext_info req;
	struct ca_issued out;
	struct dn subject;
	struct buf sans;
	uint8_t ip[16];
	size_t i;
	int rc = -1;

	memset(&t, 0, sizeof t);
	ext_info_init(&t.ext);
	ext_info_init(&req);
	ca_issued_init(&out);
	dn_init(&subject);
	buf_init(&sans);
	if (nnames > CASERVE_MAX_NAMES) {
		err_set(e, ERR_USAGE, "%zu names: at most %d", nnames,
		    CASERVE_MAX_NAMES);
		goto out;
	}
	buf_puts(&sans, "DNS:localhost,IP:127.0.0.1,IP:::1");
	for (i = 0; i < nnames; i++) {
		/* One name each: a list would smuggle in other types. */
		if (inet_pton(AF_INET, names[i], ip) == 1 ||
		    inet_pton(AF_INET6, names[i], ip) == 1)
			buf_printf(&sans, ",IP:%s", names[i]);
		else if (strchr(names[i], ',') != NULL ||
		    strchr(names[i], ':') != NULL) {
			err_set(e, ERR_USAGE, "name '%.80s': one DNS name or "
			    "IP address", names[i]);
			goto out;
		} else
			buf_printf(&sans, ",DNS:%s", names[i]);
	}
	buf_putc(&sans, '\0');
	req.has_san = 1;
	if (san_parse_list(&req.san, (const char *)sans.data, e) == -1) {
		err_wrap(e, "service names");
		goto out;
	}
	/* P-256 unless `--tls-key rsa`, whatever the CA's key: every new
	 * TLS connection signs with it once (see caserve.h). */
	if (ca_new_key(&s->tls_key, s->tls_rsa ? PKEY_RSA : PKEY_EC,
	    CASERVE_TLS_BITS, NULL, NULL, e) == -1)
		goto out;
	if (dn_from_string(&subject, "CN=localhost", e) == -1)
		goto out;
	profile_apply(profile_get(PROFILE_SERVER), &req, "localhost", &t.ext,
	    NULL);
	t.subject = &subject;
	if (s->tls_key.type == PKEY_EC) {
		t.subject_ec = &s->tls_key.ec;
		/* An EC key cannot encipher (RFC 5480 3), as in ca_issue. */
		t.ext.ku &= ~(uint32_t)KU_KEY_ENCIPHERMENT;
	} else
		t.subject_key = &s->tls_key.rsa;
	t.not_before = now - CA_BACKDATE;
	t.not_after = now + (int64_t)CASERVE_TLS_DAYS * 86400;
	if (ca_sign_record(&s->ca, &t, "server", &out, e) == -1)
		goto out;
	buf_clear(&sans);
	buf_printf(&sans, "serial %s subject %s profile server (the ca serve "
	    "TLS certificate)", out.serial, out.subject);
	if (audit_append(s->ws, s->ca.name, "issue", (const char *)sans.data,
	    e) == -1)
		goto out;
	snprintf(s->tls_serial, sizeof s->tls_serial, "%s", out.serial);
	if (cert_list_load(&s->tls_chain, out.der, out.len, e) == -1 ||
	    cert_list_load(&s->tls_chain, s->ca_pem.data, s->ca_pem.len,
	    e) == -1)
		goto out;
	rc = 0;
out:
	ext_info_clear(&t.ext);
	ext_info_clear(&req);
	ca_issued_clear(&out);
	dn_clear(&subject);
	buf_clear(&sans);
	return rc;
}

/* fdatasync of DIR/NAME by a descriptor of its own (any descriptor's
 * flushes the file's data); a missing file has nothing to flush. */
static int
caserve_sync_path(const char *dir, const char *name, struct err *e)
{
	char *path = xasprintf("%s/%s", dir, name);
	int fd, rc = 0;

	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if ((fd == -1 && errno != ENOENT) || (fd != -1 && fdatasync(fd) == -1))
		rc = err_set(e, ERR_IO, "%s: %s", path, strerror(errno));
	if (fd != -1)
		close(fd);
	free(path);
	return rc;
}

int
caserve_journal_settle(struct caserve *s, struct err *e)
{
	char *dir;
	int rc = -1;

	if (s->wal.fd == -1 || s->wal.size == 0)
		return 0;
	dir = ws_ca_dir(s->ws, s->ca.name);
	if (caserve_sync_path(dir, "certs.yaml", e) == -1 ||
	    caserve_sync_path(dir, "enroll.yaml", e) == -1 ||
	    audit_sync(s->ws, s->ca.name, e) == -1)
		goto out;
	caserve_crash_at("settle");
	rc = journal_empty(&s->wal, e);
out:
	free(dir);
	return rc;
}

/* The journal held for this run, empty; another service of the same CA
 * holding it: this one syncs the three files at each batch, as without
 * a journal (said at start). */
static int
caserve_journal_open(struct caserve *s, const char *dir, struct err *e)
{
	struct err e2;

	err_clear(&e2);
	if (journal_open(&s->wal, dir, s->ca.name, &e2) == 0)
		return 0;
	if (e2.kind != ERR_LOCKED) {
		*e = e2;
		return -1;
	}
	buf_printf(&s->start_note, "%s: another ca serve of this CA: each "
	    "batch syncs certs.yaml, enroll.yaml and audit.yaml\n", e2.msg);
	return 0;
}

/* At start, the CA locked and certs.yaml replayed (ca_open): the
 * journal a previous run left brought into enroll.yaml and audit.yaml
 * too, the three synced (a run killed without a crash of the system left
 * its records in the files, unsynced), a torn or damaged tail of it
 * said, audited and kept in journal.torn; then the journal is held,
 * empty, for this run. */
static int
caserve_journal_start(struct caserve *s, struct err *e)
{
	struct enrolldb en;
	struct journal_log l;
	struct buf b;
	struct err pe;
	char *dir = ws_ca_dir(s->ws, s->ca.name), *path, *label;
	size_t i;
	int rc = -1, r, fd, busy;

	enrolldb_init(&en);
	journal_log_init(&l);
	buf_init(&b);
	path = xasprintf("%s/journal", dir);
	label = xasprintf("ca/%s/journal", s->ca.name);
	err_clear(&pe);
	if (access(path, F_OK) == -1 && errno == ENOENT) {
		rc = caserve_journal_open(s, dir, e);
		goto out;
	}
	/* Held by another service of this CA: its journal, its records
	 * (a tail being written is not torn): none of ours to touch. */
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) != -1) {
		busy = flock(fd, LOCK_EX | LOCK_NB) == -1 &&
		    errno == EWOULDBLOCK;
		close(fd);
		if (busy) {
			rc = caserve_journal_open(s, dir, e);
			goto out;
		}
	}
	if (file_read(path, JOURNAL_FILE_MAX, &b, e) == -1)
		goto out;
	if (journal_parse(b.data, b.len, label, &l, &pe) == -1)
		snprintf(l.warning, sizeof l.warning, "%s", pe.msg);
	/* Emptied by the last run's stop: nothing to say. */
	if (l.nrecs == 0 && l.warning[0] == '\0') {
		rc = caserve_journal_open(s, dir, e);
		goto out;
	}
	for (i = 0; i < s->ca.db.nwarnings; i++)
		buf_printf(&s->start_note, "%s\n", s->ca.db.warnings[i]);
	if (enrolldb_open(&en, s->ws, s->ca.name, e) == -1 ||
	    enrolldb_lock(&en, e) == -1)
		goto out;
	r = enrolldb_sync(&en, e);
	enrolldb_unlock(&en);
	if (r == -1 || audit_replay(s->ws, s->ca.name, e) == -1 ||
	    audit_sync(s->ws, s->ca.name, e) == -1 ||
	    cadb_sync(&s->ca.db, e) == -1)
		goto out;
	buf_printf(&s->start_note, "%s: %lu batch%s of the last run, every "
	    "record in the files\n", label, l.nrecs, l.nrecs == 1 ? "" :
	    "es");
	if (l.warning[0] != '\0') {
		/* Never acknowledged: ignored, said, and kept aside. */
		buf_printf(&s->start_note, "%s (kept in %s.torn)\n", l.warning,
		    label);
		journal_keep_torn(path, b.data, &l);
		if (audit_append(s->ws, s->ca.name, "journal-torn",
		    l.warning, e) == -1)
			goto out;
	}
	if (caserve_journal_open(s, dir, e) == -1)
		goto out;
	rc = 0;
out:
	if (rc == -1)
		journal_clear(&s->wal);
	enrolldb_clear(&en);
	journal_log_clear(&l);
	buf_clear(&b);
	free(path);
	free(label);
	free(dir);
	return rc;
}

int
caserve_open(struct caserve *s, const struct ws *ws, const char *name,
    const void *pass, size_t passlen, const char *const *names,
    size_t nnames, int64_t now, struct err *e)
{
	uint8_t *der = NULL;
	size_t len = 0, i;
	int rc = -1;

	s->ws = ws;
	/* Opened for writing to unlock (audited) and to record the
	 * service certificate; the lock is then let go. */
	if (ca_open(&s->ca, ws, name, CA_WRITE | CA_APPEND, e) == -1 ||
	    ca_unlock(&s->ca, pass, passlen, e) == -1)
		goto out;
	(void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	s->mlocked = 1;
	(void)caserve_mlock_key(&s->ca.key, 1);
	if (cert_list_load(&s->chain, (const uint8_t *)s->ca.ks.cert_pem,
	    strlen(s->ca.ks.cert_pem), e) == -1)
		goto out;
	for (i = 0; i < s->chain.n; i++)
		pem_encode("CERTIFICATE", s->chain.v[i].der,
		    s->chain.v[i].len, &s->ca_pem);
	if (cms_write_certs(&s->chain, &der, &len, e) == -1)
		goto out;
	b64_encode(der, len, 1, &s->cacerts);
	memcpy(s->fpr, "SHA256:", 7);
	hex_encode(s->chain.v[0].fp_sha256, 32, s->fpr + 7);
	s->fpr[7 + 64] = '\0';
	if (caserve_tls_cert(s, names, nnames, now, e) == -1)
		goto out;
	(void)caserve_mlock_key(&s->tls_key, 1);
	if (caserve_journal_start(s, e) == -1)
		goto out;
	caserve_unlock_db(s);
	if (enroll_open(&s->en, ws, name, e) == -1 ||
	    caserve_reader(s, e) == -1)
		goto out;
	memset(&s->tls, 0, sizeof s->tls);
	s->tls.is_server = 1;
	s->tls.min_version = TLS_VERSION_12;
	s->tls.max_version = TLS_VERSION_13;
	s->tls.chain = &s->tls_chain;
	if (s->tls_key.type == PKEY_EC)
		s->tls.eckey = &s->tls_key.ec;
	else
		s->tls.key = &s->tls_key.rsa;
	s->tls.anchors = &s->chain;
	s->tls.client_auth = TLS_AUTH_OPTIONAL;
	rc = 0;
out:
	free(der);
	if (rc == -1)
		caserve_unlock_db(s);
	return rc;
}

/* ---- answers ---- */

void
caserve_note(struct caserve *s, const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	vsnprintf(s->note, sizeof s->note, fmt, ap);
	va_end(ap);
	/* From requests: nothing that could steer a terminal. */
	for (p = s->note; *p != '\0'; p++)
		if (*p < 0x20 || *p > 0x7e)
			*p = '?';
}

enum httpsrv_verdict
caserve_text(const struct httpsrv_peer *peer, struct httpresp *out,
    int status, const char *fmt, ...)
{
	va_list ap;
	char line[1200];

	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	buf_printf(peer->body, "%s\n", line);
	out->status = status;
	out->content_type = "text/plain";
	out->body = peer->body->data;
	out->body_len = peer->body->len;
	return HTTPSRV_ANSWERED;
}

enum httpsrv_verdict
caserve_blob(const struct httpsrv_peer *peer, struct httpresp *out,
    const char *type, const void *data, size_t len)
{
	if (data != peer->body->data)
		buf_append(peer->body, data, len);
	out->status = 200;
	out->content_type = type;
	out->body = peer->body->data;
	out->body_len = peer->body->len;
	return HTTPSRV_ANSWERED;
}

/* Whether the request's Content-Type is type (parameters after ';' and
 * case ignored). */
int
caserve_ctype(const struct http_request *req, const char *type)
{
	const char *v = req->hdr[HTTP_H_CONTENT_TYPE];
	size_t n = strlen(type);

	return v != NULL && strncasecmp(v, type, n) == 0 &&
	    (v[n] == '\0' || v[n] == ';' || v[n] == ' ');
}

/* See caservepriv.h: the status each refusal deserves. */
enum httpsrv_verdict
caserve_refusal(const struct httpsrv_peer *peer, struct httpresp *out,
    const struct err *e, int token)
{
	if (e->kind == ERR_LOCKED) {
		out->retry_after = 1;
		return caserve_text(peer, out, 503, "the CA is busy: try "
		    "again");
	}
	if (e->kind == ERR_REFUSED && token &&
	    (strncmp(e->msg, "token ", 6) == 0 ||
	    strcmp(e->msg, "unknown token") == 0)) {
		out->www_authenticate = CASERVE_REALM;
		return caserve_text(peer, out, 401, "%s", e->msg);
	}
	if (e->kind == ERR_REFUSED && strstr(e->msg, "queue is full") != NULL) {
		out->retry_after = ENROLL_RETRY_AFTER;
		return caserve_text(peer, out, 503, "%s", e->msg);
	}
	if (e->kind == ERR_REFUSED || e->kind == ERR_USAGE)
		return caserve_text(peer, out, 400, "%s", e->msg);
	return caserve_text(peer, out, 500, "internal error");
}

/* ---- CRL and the CA certificate ---- */

/* crl.pem (path) into s->crl when it is fresh at now; st: its stat
 * before the read (a file replaced meanwhile is read again next time). */
static int
caserve_crl_read(struct caserve *s, const char *path, const struct stat *st,
    int64_t now)
{
	struct crl crl;
	struct buf pem;
	int rc = -1;

	crl_init(&crl);
	buf_init(&pem);
	s->crl_known = 0;
	if (file_read(path, CMS_MAX_SIZE, &pem, NULL) == 0 &&
	    crl_load(&crl, pem.data, pem.len, NULL) == 0 &&
	    (!crl.has_next_update || crl.next_update > now)) {
		s->crl.len = 0;
		buf_append(&s->crl, crl.der, crl.len);
		s->crl_next = crl.has_next_update ? crl.next_update :
		    INT64_MAX;
		s->crl_st = *st;
		s->crl_known = 1;
		rc = 0;
	}
	crl_clear(&crl);
	buf_clear(&pem);
	return rc;
}

static enum httpsrv_verdict
caserve_crl(struct caserve *s, const struct http_request *req,
    const struct httpsrv_peer *peer, struct httpresp *out)
{
	struct stat st;
	struct err e;
	char *path = lifecycle_crl_path(&s->ca);
	uint8_t *der = NULL;
	size_t len = 0;
	uint64_t number;
	int64_t now = (int64_t)time(NULL);
	enum httpsrv_verdict v;

	(void)req;
	err_clear(&e);
	/* The one kept while crl.pem is as it was and fresh; else crl.pem
	 * read again. */
	if (stat(path, &st) == 0 && ((s->crl_known &&
	    caserve_same_file(&st, &s->crl_st) && s->crl_next > now) ||
	    caserve_crl_read(s, path, &st, now) == 0)) {
		v = caserve_blob(peer, out, "application/pkix-crl",
		    s->crl.data, s->crl.len);
		goto out;
	}
	/* Missing or stale: a new one, as `ca crl` makes it (crl.pem
	 * written: read and kept by the next request). */
	s->crl_known = 0;
	if (caserve_lock(s, 1, &e) == -1 ||
	    lifecycle_crl(&s->ca, LIFECYCLE_CRL_DAYS, now, &der, &len,
	    &number, &e) == -1) {
		caserve_unlock_db(s);
		v = caserve_refusal(peer, out, &e, 0);
		goto out;
	}
	caserve_unlock_db(s);
	v = caserve_blob(peer, out, "application/pkix-crl", der, len);
out:
	free(path);
	free(der);
	return v;
}

/* The delta CRL complete CRLs name in freshestCRL (`ca crl --delta`
 * makes it; the service does not): served while fresh and based on
 * the current crl.pem, else 404. */
static enum httpsrv_verdict
caserve_delta_crl(struct caserve *s, const struct http_request *req,
    const struct httpsrv_peer *peer, struct httpresp *out)
{
	struct crl base, d;
	struct buf pem, dpem;
	char *bpath = lifecycle_crl_path(&s->ca);
	char *dpath = lifecycle_delta_path(&s->ca);
	int64_t now = (int64_t)time(NULL);
	enum httpsrv_verdict v;

	(void)req;
	crl_init(&base);
	crl_init(&d);
	buf_init(&pem);
	buf_init(&dpem);
	if (file_read(bpath, CMS_MAX_SIZE, &pem, NULL) == 0 &&
	    crl_load(&base, pem.data, pem.len, NULL) == 0 &&
	    file_read(dpath, CMS_MAX_SIZE, &dpem, NULL) == 0 &&
	    crl_load(&d, dpem.data, dpem.len, NULL) == 0 &&
	    d.is_delta && (!d.has_next_update || d.next_update > now) &&
	    crl_number_cmp(d.base_number, d.base_number_len, base.number,
	    base.number_len) == 0)
		v = caserve_blob(peer, out, "application/pkix-crl", d.der,
		    d.len);
	else
		v = caserve_text(peer, out, 404, "no current delta CRL "
		    "(`ca crl --delta` makes one)\n");
	free(bpath);
	free(dpath);
	crl_clear(&base);
	crl_clear(&d);
	buf_clear(&pem);
	buf_clear(&dpem);
	return v;
}

static enum httpsrv_verdict
caserve_ca_pem(struct caserve *s, const struct http_request *req,
    const struct httpsrv_peer *peer, struct httpresp *out)
{
	(void)req;
	return caserve_blob(peer, out, "application/x-pem-file",
	    s->ca_pem.data, s->ca_pem.len);
}

static enum httpsrv_verdict
caserve_ca_cer(struct caserve *s, const struct http_request *req,
    const struct httpsrv_peer *peer, struct httpresp *out)
{
	(void)req;
	return caserve_blob(peer, out, "application/pkix-cert",
	    s->ca.root.der, s->ca.root.len);
}

/* ---- routing ---- */

static const struct caserve_route {
	const char *path;
	int prefix;		/* path is a prefix ("/ocsp/") */
	int post;		/* POST (else GET and HEAD) */
	int tls;		/* HTTPS listeners only */
	caserve_fn *fn;
} caserve_routes[] = {
	{ "/.well-known/est/cacerts", 0, 0, 1, caserve_est_cacerts },
	{ "/.well-known/est/simpleenroll", 0, 1, 1, caserve_est_enroll },
	{ "/.well-known/est/simplereenroll", 0, 1, 1, caserve_est_reenroll },
	/* Where the AIA and CDP of what the CA issues point (ca.h). */
	{ CA_URL_OCSP, 0, 1, 0, caserve_ocsp_post },
	{ CA_URL_OCSP "/", 1, 0, 0, caserve_ocsp_get },
	{ CA_URL_CRL, 0, 0, 0, caserve_crl },
	{ CA_URL_DELTA, 0, 0, 0, caserve_delta_crl },
	{ "/ca.pem", 0, 0, 0, caserve_ca_pem },
	{ CA_URL_CACERT, 0, 0, 0, caserve_ca_cer },
};

#define CASERVE_NROUTES (sizeof caserve_routes / sizeof caserve_routes[0])

enum httpsrv_verdict
caserve_handle(void *ctx, const struct http_request *req,
    const struct httpsrv_peer *peer, struct httpresp *out)
{
	struct caserve *s = ctx;
	const struct caserve_route *r, *found = NULL;
	enum httpsrv_verdict v;
	int post = req->method == HTTP_M_POST;
	size_t i;

	for (i = 0; i < CASERVE_NROUTES; i++) {
		r = &caserve_routes[i];
		if (r->prefix ? strncmp(req->path, r->path,
		    strlen(r->path)) != 0 : strcmp(req->path, r->path) != 0)
			continue;
		if (r->post == post)
			break;
		found = r;	/* the path, another method */
	}
	if (i == CASERVE_NROUTES) {
		if (found != NULL) {
			/* /ocsp takes both, under two paths. */
			out->allow = found->post ? "POST" : "GET, HEAD";
			return caserve_text(peer, out, 405, "%s %s: use %s",
			    req->method_name, req->path, out->allow);
		}
		return caserve_text(peer, out, 404, "no such resource: %.200s "
		    "(see the ca serve section of minipki(1))", req->path);
	}
	if (r->tls && !peer->tls)
		v = caserve_text(peer, out, 403, "EST is served over TLS "
		    "only: use an HTTPS listener");
	else
		v = r->fn(s, req, peer, out);
	/* A refusal's reason is the first line of its text. */
	if (out->status >= 400 && s->note[0] == '\0' && out->body_len > 0 &&
	    out->content_type != NULL &&
	    strcmp(out->content_type, "text/plain") == 0)
		caserve_note(s, "%.*s", (int)strcspn((const char *)out->body,
		    "\n"), (const char *)out->body);
	return v;
}
