/* enroll.c — tokens and the approval queue: the rules; see enroll.h. */
#include <nettle/memops.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/hash.h"
#include "crypto/hex.h"
#include "crypto/rand.h"
#include "role/capresign.h"
#include "role/enroll.h"
#include "store/audit.h"
#include "store/cadb.h"
#include "x509/cert.h"
#include "store/yamlq.h"
#include "util/xalloc.h"

void
enroll_init(struct enroll *en)
{
	memset(en, 0, sizeof *en);
	enrolldb_init(&en->db);
}

void
enroll_clear(struct enroll *en)
{
	enrolldb_clear(&en->db);
	free(en->ca);
	enroll_init(en);
}

void
enroll_result_init(struct enroll_result *r)
{
	memset(r, 0, sizeof *r);
	ca_issued_init(&r->cert);
}

void
enroll_result_clear(struct enroll_result *r)
{
	ca_issued_clear(&r->cert);
	free(r->reason);
	free(r->attached);
	enroll_result_init(r);
}

int
enroll_open(struct enroll *en, const struct ws *w, const char *ca,
    struct err *e)
{
	enroll_clear(en);
	en->ws = w;
	en->ca = xstrdup(ca);
	return enrolldb_open(&en->db, w, ca, e);
}

int
enroll_refresh(struct enroll *en, struct err *e)
{
	return enrolldb_refresh(&en->db, e);
}

/* An audit record of the CA; details are cut to fit. */
static int
enroll_audit(struct enroll *en, const char *action, struct err *e,
    const char *fmt, ...)
{
	char d[AUDIT_DETAILS_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(d, sizeof d, fmt, ap);
	va_end(ap);
	return audit_append_flags(en->ws, en->ca, action, d,
	    en->batch ? AUDIT_NOSYNC : 0, e);
}

/* A fresh id: ENROLLDB_ID_LEN random hex digits that taken() says no
 * to. */
static void
enroll_new_id(const struct enrolldb *db, int token, char id[ENROLLDB_ID_LEN + 1])
{
	uint8_t r[ENROLLDB_ID_LEN / 2];

	do {
		rand_bytes(r, sizeof r);
		hex_encode(r, sizeof r, id);
	} while (token ? enrolldb_token(db, id) != NULL :
	    enrolldb_req(db, id) != NULL);
}

/* Text for a store field: no control characters, bounded. */
static int
enroll_text_ok(const char *what, const char *s, size_t max, struct err *e)
{
	size_t i;

	if (s == NULL)
		return 0;
	for (i = 0; s[i] != '\0'; i++) {
		if (i >= max)
			return err_set(e, ERR_USAGE, "%s longer than %zu "
			    "bytes", what, max);
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return err_set(e, ERR_USAGE, "%s: control character "
			    "at byte %zu", what, i + 1);
	}
	return 0;
}

/* Whether the whole subject matches re: POSIX finds the leftmost-longest
 * match, so it is the whole string exactly when it spans it. (Wrapping re
 * in "^(...)$" instead would let "a)|(b" escape the anchors.) */
static int
enroll_match(const char *re, const char *subject, struct err *e)
{
	regex_t rx;
	regmatch_t m;
	char msg[128];
	int rc;

	if ((rc = regcomp(&rx, re, REG_EXTENDED)) != 0) {
		regerror(rc, &rx, msg, sizeof msg);
		return err_set(e, ERR_USAGE, "subject match '%.*s': %s",
		    ENROLL_MATCH_MAX, re, msg);
	}
	rc = regexec(&rx, subject, 1, &m, 0) == 0 && m.rm_so == 0 &&
	    (size_t)m.rm_eo == strlen(subject);
	regfree(&rx);
	return rc;
}

/* ---- The writers' lock, and compaction ---- */

static int
enroll_keep_token(const struct enrolldb_token *t, void *now)
{
	return enroll_token_state(t, *(const int64_t *)now) ==
	    ENROLL_TOKEN_ACTIVE;
}

static int
enroll_keep_req(const struct enrolldb_req *r, void *now)
{
	int64_t t = *(const int64_t *)now;

	/* A lapsed request is kept as long as a decided one. */
	if (r->state == ENROLLDB_PENDING)
		return r->expires > t - ENROLL_KEEP_DECIDED;
	return r->decided > t - ENROLL_KEEP_DECIDED;
}

/* Roughly the bytes of what compaction keeps: its DER as base64, and a
 * few hundred bytes a record. */
static uint64_t
enroll_live_bytes(const struct enrolldb *db, int64_t now)
{
	uint64_t n = 0;
	size_t i;

	for (i = 0; i < db->ntokens; i++)
		if (enroll_keep_token(&db->tokens[i], &now))
			n += 512 + 256 * (uint64_t)db->tokens[i].used;
	for (i = 0; i < db->nreqs; i++)
		if (enroll_keep_req(&db->reqs[i], &now))
			n += 1024 + (db->reqs[i].csr_len +
			    db->reqs[i].cert_len) / 3 * 4;
	return n;
}

/* Takes the store's lock for an operation at now; compacts the file
 * first when it has grown well beyond what it holds. */
static int
enroll_lock(struct enroll *en, int64_t now, struct err *e)
{
	/* A batch holds the lock already; a write of it that failed left
	 * the state empty (enrolldb_forget): nothing more in it. */
	if (en->batch)
		return en->db.size == 0 ? err_set(e, ERR_IO, "%s: an earlier "
		    "write of this batch failed", en->db.label) : 0;
	if (enrolldb_lock(&en->db, e) == -1)
		return -1;
	if (en->db.size > ENROLL_COMPACT_AT &&
	    en->db.size > 2 * enroll_live_bytes(&en->db, now) &&
	    enrolldb_compact(&en->db, enroll_keep_token, enroll_keep_req,
	    &now, e) == -1) {
		enrolldb_unlock(&en->db);
		return -1;
	}
	return 0;
}

/* Lets the lock go, unless a batch holds it. */
static void
enroll_unlock(struct enroll *en)
{
	if (!en->batch)
		enrolldb_unlock(&en->db);
}

int
enroll_batch_begin(struct enroll *en, int64_t now, struct err *e)
{
	if (en->batch)
		return err_set(e, ERR_USAGE, "a batch is open already");
	if (enroll_lock(en, now, e) == -1)
		return -1;
	en->batch = 1;
	en->db.defer_sync = 1;
	return 0;
}

int
enroll_batch_end(struct enroll *en, struct err *e)
{
	int rc = 0;

	if (!en->batch)
		return 0;
	if (en->db.size == 0)
		rc = err_set(e, ERR_IO, "%s: a write of this batch failed",
		    en->db.label);
	else if (!en->journaled && (enrolldb_sync(&en->db, e) == -1 ||
	    audit_sync(en->ws, en->ca, e) == -1))
		rc = -1;
	en->batch = 0;
	en->db.defer_sync = 0;
	enrolldb_unlock(&en->db);
	return rc;
}

int
enroll_compact(struct enroll *en, int64_t now, struct err *e)
{
	int rc;

	if (enrolldb_lock(&en->db, e) == -1)
		return -1;
	rc = enrolldb_compact(&en->db, enroll_keep_token, enroll_keep_req,
	    &now, e);
	enroll_unlock(en);
	return rc;
}

/* ---- Tokens ---- */

enum enroll_token_state
enroll_token_state(const struct enrolldb_token *t, int64_t now)
{
	if (t->revoked)
		return ENROLL_TOKEN_REVOKED;
	if (t->used >= t->uses)
		return ENROLL_TOKEN_USED;
	if (now >= t->expires)
		return ENROLL_TOKEN_EXPIRED;
	return ENROLL_TOKEN_ACTIVE;
}

const char *
enroll_token_state_name(enum enroll_token_state s)
{
	static const char *const names[] = {
		[ENROLL_TOKEN_ACTIVE] = "active",
		[ENROLL_TOKEN_USED] = "used",
		[ENROLL_TOKEN_EXPIRED] = "expired",
		[ENROLL_TOKEN_REVOKED] = "revoked",
	};

	return names[s];
}

void
enroll_token_line(const struct enrolldb_token *t, int64_t now,
    struct buf *out)
{
	char ex[WS_TIME_LEN];

	ws_time_format(t->expires, ex);
	buf_printf(out, "%s %s %s %lu/%lu expires %s", t->id, t->profile,
	    enroll_token_state_name(enroll_token_state(t, now)), t->used,
	    t->uses, ex);
	if (t->match != NULL) {
		buf_puts(out, " match ");
		yamlq_put(out, t->match);
	}
}

int
enroll_token_new(struct enroll *en, const struct enroll_token_opts *o,
    int64_t now, char token[ENROLL_TOKEN_LEN + 1],
    char id[ENROLLDB_ID_LEN + 1], struct err *e)
{
	const char *pname = o->profile ? o->profile : ENROLL_DEFAULT_PROFILE;
	const struct profile *p = profile_find(pname);
	struct enrolldb_token_rec rec;
	uint8_t raw[ENROLL_TOKEN_BYTES], hash[32];
	unsigned long uses = o->uses ? o->uses : 1;
	int64_t ttl = o->ttl ? o->ttl : ENROLL_TTL_DEFAULT;
	char ex[WS_TIME_LEN];
	size_t i, usable = 0;
	int rc = -1;

	token[0] = id[0] = '\0';
	if (p == NULL)
		return err_set(e, ERR_USAGE, "unknown profile '%s': use %s",
		    pname, profile_names());
	if (p->ca)
		return err_set(e, ERR_USAGE, "a token cannot grant profile %s "
		    "(approve such a request by hand)", p->name);
	if (o->match != NULL && (enroll_text_ok("subject match", o->match,
	    ENROLL_MATCH_MAX, e) == -1 || enroll_match(o->match, "", e) == -1))
		return -1;
	if (uses < 1 || uses > ENROLLDB_USES_MAX)
		return err_set(e, ERR_USAGE, "uses: %lu: use 1 to %d", uses,
		    ENROLLDB_USES_MAX);
	if (ttl < 1 || ttl > ENROLL_TTL_MAX)
		return err_set(e, ERR_USAGE, "ttl: %lld s: use 1 s to %ld days",
		    (long long)ttl, ENROLL_TTL_MAX / 86400);
	if (enroll_lock(en, now, e) == -1)
		return -1;
	for (i = 0; i < en->db.ntokens; i++)
		usable += enroll_token_state(&en->db.tokens[i], now) ==
		    ENROLL_TOKEN_ACTIVE;
	if (usable >= ENROLL_TOKENS_MAX) {
		err_set(e, ERR_REFUSED, "%d tokens are usable already: revoke "
		    "some first", ENROLL_TOKENS_MAX);
		goto out;
	}
	rand_bytes(raw, sizeof raw);
	hex_encode(raw, sizeof raw, token);
	hash_sha256(token, ENROLL_TOKEN_LEN, hash);
	enroll_new_id(&en->db, 1, id);
	memset(&rec, 0, sizeof rec);
	rec.id = id;
	rec.hash = hash;
	rec.profile = p->name;
	rec.match = o->match;
	rec.uses = uses;
	rec.created = now;
	rec.expires = now + ttl;
	if (enrolldb_add_token(&en->db, &rec, e) == -1)
		goto out;
	ws_time_format(now + ttl, ex);
	if (enroll_audit(en, "token-new", e, "token %s profile %s uses %lu "
	    "expires %s%s%s", id, p->name, uses, ex, o->match ? " match " : "",
	    o->match ? o->match : "") == -1)
		goto out;
	rc = 0;
out:
	explicit_bzero(raw, sizeof raw);
	if (rc == -1)
		explicit_bzero(token, ENROLL_TOKEN_LEN + 1);
	enroll_unlock(en);
	return rc;
}

int
enroll_token_revoke(struct enroll *en, const char *id, int64_t now,
    struct err *e)
{
	struct enrolldb_token *t;
	int rc = -1;

	if (enroll_lock(en, now, e) == -1)
		return -1;
	if ((t = enrolldb_token(&en->db, id)) == NULL)
		err_set(e, ERR_USAGE, "no token '%.*s'", ENROLLDB_ID_LEN + 8,
		    id);
	else if (t->revoked)
		err_set(e, ERR_REFUSED, "token %s is revoked already", t->id);
	else if (enrolldb_revoke(&en->db, id, now, e) == 0 &&
	    enroll_audit(en, "token-revoke", e, "token %s", id) == 0)
		rc = 0;
	enroll_unlock(en);
	return rc;
}

/* The token whose secret is token, or NULL. */
static struct enrolldb_token *
enroll_token_find(const struct enroll *en, const char *token)
{
	struct enrolldb_token *t = NULL;
	uint8_t h[32];
	size_t n = strnlen(token, ENROLL_TOKEN_INPUT_MAX + 1), i;

	if (n > ENROLL_TOKEN_INPUT_MAX)
		return NULL;
	hash_sha256(token, n, h);
	for (i = 0; i < en->db.ntokens; i++)
		if (memeql_sec(h, en->db.tokens[i].hash, sizeof h))
			t = &en->db.tokens[i];
	explicit_bzero(h, sizeof h);
	return t;
}

/* With the store locked: checks token against subject and spends a use.
 * 1 used (*used a copy, match not kept), 0 not covering, -1 refused. */
static int
enroll_token_take(struct enroll *en, const char *token, const char *subject,
    int64_t now, struct enrolldb_token *used, struct err *e)
{
	struct enrolldb_token *t = NULL;
	struct err why;
	char when[WS_TIME_LEN];
	int m;

	if ((t = enroll_token_find(en, token)) == NULL)
		return err_set(e, ERR_REFUSED, "unknown token");
	switch (enroll_token_state(t, now)) {
	case ENROLL_TOKEN_REVOKED:
		err_set(&why, ERR_REFUSED, "token %s has been revoked", t->id);
		break;
	case ENROLL_TOKEN_USED:
		err_set(&why, ERR_REFUSED, "token %s has been used (%lu of %lu "
		    "uses)", t->id, t->used, t->uses);
		break;
	case ENROLL_TOKEN_EXPIRED:
		ws_time_format(t->expires, when);
		err_set(&why, ERR_REFUSED, "token %s expired at %s", t->id,
		    when);
		break;
	case ENROLL_TOKEN_ACTIVE:
		goto usable;
	}
	/* The right secret, refused: worth a record (a replay?). */
	if (enroll_audit(en, "token-refused", e, "token %s subject %s: %s",
	    t->id, subject, why.msg) == 0 && e != NULL)
		*e = why;
	return -1;
usable:
	if (t->match != NULL) {
		if ((m = enroll_match(t->match, subject, e)) == -1)
			return -1;
		if (m == 0)
			return 0;
	}
	if (enrolldb_use(&en->db, t->id, now, subject, e) == -1)
		return -1;
	/* The array may have moved: find it again. */
	t = enrolldb_token(&en->db, t->id);
	*used = *t;
	used->match = NULL;
	if (enroll_audit(en, "token-use", e, "token %s use %lu of %lu "
	    "profile %s subject %s", t->id, t->used, t->uses, t->profile,
	    subject) == -1)
		return -1;
	return 1;
}

int
enroll_token_use(struct enroll *en, const char *token, const char *subject,
    int64_t now, struct enrolldb_token *used, struct err *e)
{
	int rc;

	if (enroll_lock(en, now, e) == -1)
		return -1;
	rc = enroll_token_take(en, token, subject, now, used, e);
	enroll_unlock(en);
	return rc;
}

/* ---- The queue ---- */

/* res from a queued request's state. */
static void
enroll_answer(const struct enrolldb_req *r, int64_t now,
    struct enroll_result *res)
{
	char when[WS_TIME_LEN];

	snprintf(res->id, sizeof res->id, "%s", r->id);
	switch (r->state) {
	case ENROLLDB_PENDING:
		if (enroll_req_expired(r, now)) {
			ws_time_format(r->expires, when);
			res->verdict = ENROLL_EXPIRED;
			res->reason = xasprintf("not decided by %s; send a new "
			    "request, with a new key", when);
			break;
		}
		res->verdict = ENROLL_PENDING;
		res->reason = xstrdup(r->why);
		break;
	case ENROLLDB_APPROVED:
		res->verdict = ENROLL_PENDING;
		res->reason = xstrdup("approved: waiting for the CA service to "
		    "issue it");
		break;
	case ENROLLDB_ISSUED:
		res->verdict = ENROLL_ISSUED;
		res->cert.der = xmalloc(r->cert_len);
		memcpy(res->cert.der, r->cert, r->cert_len);
		res->cert.len = r->cert_len;
		snprintf(res->cert.serial, sizeof res->cert.serial, "%s",
		    r->serial);
		res->cert.subject = xstrdup(r->subject);
		break;
	case ENROLLDB_REJECTED:
		res->verdict = ENROLL_REJECTED;
		res->reason = xstrdup(r->reason);
		break;
	}
}

static void
enroll_key(const struct csr *csr, uint8_t key[32])
{
	hash_sha256(csr->spki, csr->spki_len, key);
}

int
enroll_poll(struct enroll *en, const struct csr *csr,
    struct enroll_result *res, struct err *e)
{
	const struct enrolldb_req *r;
	uint8_t key[32];

	if (enrolldb_refresh(&en->db, e) == -1)
		return -1;
	enroll_key(csr, key);
	if ((r = enrolldb_req_by_key(&en->db, key)) == NULL)
		return err_set(e, ERR_USAGE, "no request for this key is "
		    "queued");
	/* As recorded: no time, nothing lapsed. */
	enroll_answer(r, INT64_MIN, res);
	return 0;
}

int
enroll_to_issue(struct enroll *en, const struct csr *csr, struct err *e)
{
	const struct enrolldb_req *r;
	uint8_t key[32];

	if (enrolldb_refresh(&en->db, e) == -1)
		return -1;
	enroll_key(csr, key);
	r = enrolldb_req_by_key(&en->db, key);
	return r != NULL && r->state == ENROLLDB_APPROVED;
}

/* With the store locked: queues the request. */
static int
enroll_queue(struct enroll *en, const struct enroll_req *rq,
    const char *profile, const char *subject, const uint8_t key[32],
    const char *why, int64_t now, struct enroll_result *res, struct err *e)
{
	struct enrolldb_req_rec rec;

	size_t i, live = 0;

	/* Lapsed requests no longer take a place. */
	for (i = 0; en->db.npending >= ENROLL_PENDING_MAX &&
	    i < en->db.nreqs; i++)
		live += en->db.reqs[i].state == ENROLLDB_PENDING &&
		    !enroll_req_expired(&en->db.reqs[i], now);
	if (en->db.npending >= ENROLL_PENDING_MAX &&
	    live >= ENROLL_PENDING_MAX)
		return err_set(e, ERR_REFUSED, "the approval queue is full (%d "
		    "requests pending)", ENROLL_PENDING_MAX);
	memset(&rec, 0, sizeof rec);
	enroll_new_id(&en->db, 0, res->id);
	rec.id = res->id;
	rec.time = now;
	rec.expires = now + (en->pending_ttl > 0 ? en->pending_ttl :
	    ENROLL_PENDING_TTL);
	rec.profile = profile;
	rec.subject = subject;
	rec.name = rq->name;
	rec.peer = rq->peer;
	rec.why = why;
	rec.key = key;
	rec.csr = rq->csr->der;
	rec.csr_len = rq->csr->len;
	if (enrolldb_add_req(&en->db, &rec, e) == -1 ||
	    enroll_audit(en, "enroll-queue", e, "request %s subject %s "
	    "profile %s%s%s%s%s: %s", res->id, subject, profile,
	    rq->name ? " from " : "", rq->name ? rq->name : "",
	    rq->peer ? " at " : "", rq->peer ? rq->peer : "", why) == -1)
		return -1;
	res->verdict = ENROLL_PENDING;
	res->reason = xstrdup(why);
	return 0;
}

/* A certificate just issued for a local entity goes to its keystore
 * too; failing that is no reason to withhold it from the requester. */
static void
enroll_attach(const struct ca *ca, const struct ca_issued *iss,
    struct enroll_result *res)
{
	char *names = NULL;

	if (ca_attach(ca, iss, &names, NULL) == 1)
		res->attached = names;
	else
		free(names);
}

/* After an interrupted issuance of r (its "issuing" record without an
 * issue record): the certificate it made, if it reached the CA database,
 * is the one issued since then for r's key. 1 found (*serial, *der: the
 * caller frees), 0 none, -1 the database cannot be read. */
static int
enroll_find_issued(struct enroll *en, const struct enrolldb_req *r,
    char serial[CA_SERIAL_HEX], uint8_t **der, size_t *len, struct err *e)
{
	struct cadb db;
	struct cert c;
	struct buf b;
	uint8_t key[32];
	size_t i;
	int rc = 0;

	cadb_init(&db);
	cert_init(&c);
	buf_init(&b);
	/* A reader sees every record, the ones certs.idx stands for too. */
	if (cadb_open(&db, en->ws, en->ca, 0, e) == -1) {
		rc = -1;
		goto out;
	}
	/* Newest first; issued_at is the writer's clock, as the
	 * issuing record's time: a minute's slack. */
	for (i = db.ncerts; rc == 0 && i > 0; i--) {
		const struct cadb_cert *k = &db.certs[i - 1];

		if (k->issued_at < r->issuing - 60)
			break;
		if (strcmp(k->subject, r->subject) != 0)
			continue;
		b.len = 0;
		if (cadb_cert_der(&db, k, &b, NULL) == -1 ||
		    cert_parse(&c, b.data, b.len, NULL) == -1)
			continue;
		hash_sha256(c.spki, c.spki_len, key);
		if (memcmp(key, r->key, 32) != 0 ||
		    strlen(k->serial) >= CA_SERIAL_HEX)
			continue;
		snprintf(serial, CA_SERIAL_HEX, "%s", k->serial);
		*der = xmalloc(b.len);
		memcpy(*der, b.data, b.len);
		*len = b.len;
		rc = 1;
	}
out:
	buf_clear(&b);
	cert_clear(&c);
	cadb_clear(&db);
	return rc;
}

/* With the store locked: issues the approved request r through ca
 * (open CA_WRITE, unlocked) and records it. An "issuing" record, synced,
 * comes first: a crash between the certificate and its issue record then
 * leaves a trace, and the next poll takes the certificate from the CA
 * database (enroll_find_issued) instead of issuing a second one. */
static int
enroll_issue(struct enroll *en, struct ca *ca, const struct enrolldb_req *r,
    int64_t now, struct enroll_result *res, struct err *e)
{
	const struct profile *p = profile_find(r->approved_profile);
	struct ca_issued out;
	struct csr csr;
	char id[ENROLLDB_ID_LEN + 1];
	const char *how = "";
	int rc = -1, found = 0;

	csr_init(&csr);
	ca_issued_init(&out);
	snprintf(id, sizeof id, "%s", r->id);
	if (p == NULL) {
		err_set(e, ERR_INPUT, "request %s: unknown profile '%s'", id,
		    r->approved_profile);
		goto out;
	}
	if (csr_parse(&csr, r->csr, r->csr_len, e) == -1) {
		err_wrap(e, "request %s", id);
		goto out;
	}
	if (r->issuing != 0) {
		if ((found = enroll_find_issued(en, r, out.serial, &out.der,
		    &out.len, e)) == -1)
			goto out;
		how = found ? " (found in the CA database after an "
		    "interrupted issuance)" : "";
	} else if (enrolldb_issuing(&en->db, id, now, e) == -1 ||
	    /* On disk before the certificate, even in a batch. */
	    (en->db.defer_sync && enrolldb_sync(&en->db, e) == -1))
		goto out;
	if (!found && ca_issue(ca, &csr, p, 0, now, &out, e) == -1)
		goto out;
	if (enrolldb_issue(&en->db, id, now, out.serial, out.der, out.len,
	    e) == -1 ||
	    enroll_audit(en, "enroll-issue", e, "request %s serial %s%s",
	    id, out.serial, how) == -1)
		goto out;
	/* The array may have moved: find it again. */
	enroll_answer(enrolldb_req(&en->db, id), now, res);
	if (!found)
		enroll_attach(ca, &out, res);
	rc = 0;
out:
	ca_issued_clear(&out);
	csr_clear(&csr);
	return rc;
}

int
enroll_submit(struct enroll *en, struct ca *ca, const struct enroll_req *rq,
    int64_t now, struct enroll_result *res, struct err *e)
{
	const char *pname = rq->profile ? rq->profile : ENROLL_DEFAULT_PROFILE;
	const struct profile *p = profile_find(pname), *tp;
	const struct enrolldb_req *old;
	struct enrolldb_token t;
	char *subject = NULL, *why = NULL;
	uint8_t key[32];
	int rc = -1, locked = 0;

	if (p == NULL)
		return err_set(e, ERR_USAGE, "unknown profile '%s': use %s",
		    pname, profile_names());
	if (rq->csr->len > ENROLL_CSR_MAX)
		return err_set(e, ERR_REFUSED, "request of %zu bytes: at most "
		    "%d", rq->csr->len, ENROLL_CSR_MAX);
	if (enroll_text_ok("requester name", rq->name, ENROLLDB_TEXT_MAX / 4,
	    e) == -1 || enroll_text_ok("peer", rq->peer,
	    ENROLLDB_TEXT_MAX / 4, e) == -1)
		return -1;
	/* Proof of possession first: only the key's holder may queue or
	 * poll under its key. */
	if (ca_check_request(rq->csr, e) == -1)
		return -1;
	subject = dn_to_string(&rq->csr->subject);
	if (strlen(subject) > ENROLLDB_TEXT_MAX) {
		err_set(e, ERR_REFUSED, "request subject longer than %d bytes",
		    ENROLLDB_TEXT_MAX);
		goto out;
	}
	enroll_key(rq->csr, key);
	if (enroll_lock(en, now, e) == -1)
		goto out;
	locked = 1;
	if ((old = enrolldb_req_by_key(&en->db, key)) != NULL) {
		if (old->state == ENROLLDB_APPROVED && ca != NULL &&
		    ca->unlocked && ca->db.lockfd != -1) {
			rc = enroll_issue(en, ca, old, now, res, e);
			goto out;
		}
		enroll_answer(old, now, res);
		rc = 0;
		goto out;
	}
	if (rq->token == NULL) {
		why = xstrdup("no token");
	} else {
		if (ca == NULL || !ca->unlocked) {
			err_set(e, ERR_USAGE, "CA '%s' is not open for issuing",
			    en->ca);
			goto out;
		}
		switch (enroll_token_take(en, rq->token, subject, now, &t, e)) {
		case -1:
			goto out;
		case 0:
			/* Cut: the subject is in the record already. */
			why = xasprintf("token does not cover subject %.200s",
			    subject);
			break;
		default:
			snprintf(res->token_id, sizeof res->token_id, "%s",
			    t.id);
			if ((tp = profile_find(t.profile)) == NULL) {
				err_set(e, ERR_INPUT, "token %s: unknown "
				    "profile '%s'", t.id, t.profile);
				goto out;
			}
			if (ca_issue(ca, rq->csr, tp, 0, now, &res->cert,
			    e) == -1)
				goto out;
			enroll_attach(ca, &res->cert, res);
			res->verdict = ENROLL_ISSUED;
			rc = 0;
			goto out;
		}
	}
	rc = enroll_queue(en, rq, p->name, subject, key, why, now, res, e);
out:
	if (locked)
		enroll_unlock(en);
	free(subject);
	free(why);
	return rc;
}

void
enroll_presign(struct enroll *en, struct ca *ca, const struct csr *csr,
    const char *token, int64_t now)
{
	const struct enrolldb_token *t;
	const struct profile *p;
	char *subject = NULL;
	uint8_t key[32];

	/* enroll_submit's way to an issuance at once, read only: a wrong
	 * guess costs a signature, never a wrong certificate. */
	if (ca == NULL || ca->presign == NULL || token == NULL ||
	    !en->batch || csr->len > ENROLL_CSR_MAX)
		return;
	enroll_key(csr, key);
	if (enrolldb_req_by_key(&en->db, key) != NULL)
		return;
	if ((t = enroll_token_find(en, token)) == NULL ||
	    enroll_token_state(t, now) != ENROLL_TOKEN_ACTIVE ||
	    (p = profile_find(t->profile)) == NULL)
		return;
	subject = dn_to_string(&csr->subject);
	if (t->match == NULL || enroll_match(t->match, subject, NULL) == 1)
		capresign_add(ca, csr, p, 0, now);
	free(subject);
}

/* With the store locked: the pending request id, else the error. */
static struct enrolldb_req *
enroll_pending(struct enroll *en, const char *id, int64_t now,
    struct err *e)
{
	struct enrolldb_req *r = enrolldb_req(&en->db, id);
	char when[WS_TIME_LEN];

	if (r != NULL && enroll_req_expired(r, now)) {
		ws_time_format(r->expires, when);
		err_set(e, ERR_REFUSED, "request %s expired at %s (not decided "
		    "in time)", r->id, when);
	} else if (r == NULL)
		err_set(e, ERR_USAGE, "no request '%.*s'", ENROLLDB_ID_LEN + 8,
		    id);
	else if (r->state == ENROLLDB_APPROVED)
		err_set(e, ERR_REFUSED, "request %s is approved already",
		    r->id);
	else if (r->state == ENROLLDB_ISSUED)
		err_set(e, ERR_REFUSED, "request %s is approved already "
		    "(serial %s)", r->id, r->serial);
	else if (r->state == ENROLLDB_REJECTED)
		err_set(e, ERR_REFUSED, "request %s was rejected: %s", r->id,
		    r->reason);
	else
		return r;
	return NULL;
}

int
enroll_approve(struct enroll *en, const char *id, const struct profile *p,
    int64_t now, struct err *e)
{
	struct enrolldb_req *r;
	char *subject = NULL;
	int rc = -1;

	if (enroll_lock(en, now, e) == -1)
		return -1;
	if ((r = enroll_pending(en, id, now, e)) == NULL)
		goto out;
	if (p == NULL && (p = profile_find(r->profile)) == NULL) {
		err_set(e, ERR_INPUT, "request %s: unknown profile '%s'",
		    r->id, r->profile);
		goto out;
	}
	subject = xstrdup(r->subject);
	if (enrolldb_approve(&en->db, id, now, p->name, e) == -1 ||
	    enroll_audit(en, "approve", e, "request %s subject %s profile %s",
	    id, subject, p->name) == -1)
		goto out;
	rc = 0;
out:
	free(subject);
	enroll_unlock(en);
	return rc;
}

int
enroll_reject(struct enroll *en, const char *id, const char *reason,
    int64_t now, struct err *e)
{
	struct enrolldb_req *r;
	char *subject = NULL;
	int rc = -1;

	if (reason == NULL)
		reason = "refused by the CA operator";
	if (enroll_text_ok("reason", reason, ENROLL_REASON_MAX, e) == -1)
		return -1;
	if (enroll_lock(en, now, e) == -1)
		return -1;
	if ((r = enroll_pending(en, id, now, e)) == NULL)
		goto out;
	subject = xstrdup(r->subject);
	if (enrolldb_reject(&en->db, id, now, reason, e) == -1 ||
	    enroll_audit(en, "reject", e, "request %s subject %s reason %s",
	    id, subject, reason) == -1)
		goto out;
	rc = 0;
out:
	free(subject);
	enroll_unlock(en);
	return rc;
}

int
enroll_req_expired(const struct enrolldb_req *r, int64_t now)
{
	return r->state == ENROLLDB_PENDING && now >= r->expires;
}

void
enroll_req_line(const struct enrolldb_req *r, struct buf *out)
{
	/* As recorded: no time, nothing lapsed. */
	enroll_req_line_at(r, INT64_MIN, out);
}

void
enroll_req_line_at(const struct enrolldb_req *r, int64_t now,
    struct buf *out)
{
	static const char *const states[] = {
		[ENROLLDB_PENDING] = "pending",
		[ENROLLDB_APPROVED] = "approved",
		[ENROLLDB_ISSUED] = "issued",
		[ENROLLDB_REJECTED] = "rejected",
	};
	char t[WS_TIME_LEN];

	ws_time_format(r->time, t);
	buf_printf(out, "%s %s %s ", r->id, t, r->profile);
	yamlq_put(out, r->subject);
	buf_printf(out, " %s", enroll_req_expired(r, now) ? "expired" :
	    states[r->state]);
	if (r->name != NULL) {
		buf_puts(out, " from ");
		yamlq_put(out, r->name);
	}
	if (r->peer != NULL) {
		buf_puts(out, " at ");
		yamlq_put(out, r->peer);
	}
	if (enroll_req_expired(r, now)) {
		ws_time_format(r->expires, t);
		buf_printf(out, " since %s", t);
	} else if (r->state == ENROLLDB_PENDING) {
		buf_puts(out, " (");
		buf_puts(out, r->why);
		buf_putc(out, ')');
	} else if (r->state == ENROLLDB_APPROVED) {
		buf_printf(out, " as %s", r->approved_profile);
	} else if (r->state == ENROLLDB_ISSUED) {
		buf_printf(out, " serial %s", r->serial);
	} else {
		buf_puts(out, " reason ");
		yamlq_put(out, r->reason);
	}
}
