/* enrollcheck.c — `ca check` of the enrollment store: enroll.yaml read
 * whole (every checksum, the reader's contradictions) and held against
 * the CA database; see enroll_check in enroll.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/hash.h"
#include "role/enroll.h"
#include "store/cadb.h"
#include "x509/cert.h"

/* An issued request against the database: its serial there, with the
 * certificate recorded, for the request's key. */
static int
enroll_check_issued(const struct enrolldb *edb, const struct enrolldb_req *r,
    const struct cadb *db, struct err *e)
{
	const struct cadb_cert *c = cadb_find(db, r->serial);
	struct buf der;
	struct cert x;
	uint8_t key[32];
	int rc = -1;

	if (c == NULL)
		return err_set(e, ERR_INPUT, "%s: request %s: serial %s is not "
		    "in the CA database", edb->label, r->id, r->serial);
	buf_init(&der);
	cert_init(&x);
	if (cadb_cert_der(db, c, &der, e) == -1)
		goto out;
	if (der.len != r->cert_len || memcmp(der.data, r->cert,
	    r->cert_len) != 0) {
		err_set(e, ERR_INPUT, "%s: request %s: the certificate recorded "
		    "for serial %s is not the CA database's", edb->label, r->id,
		    r->serial);
		goto out;
	}
	if (cert_parse(&x, der.data, der.len, e) == -1) {
		err_wrap(e, "%s: request %s: serial %s", edb->label, r->id,
		    r->serial);
		goto out;
	}
	hash_sha256(x.spki, x.spki_len, key);
	if (memcmp(key, r->key, 32) != 0) {
		err_set(e, ERR_INPUT, "%s: request %s: the certificate of serial "
		    "%s is not for the request's key", edb->label, r->id,
		    r->serial);
		goto out;
	}
	rc = 0;
out:
	buf_clear(&der);
	cert_clear(&x);
	return rc;
}

int
enroll_check(const struct ws *w, const char *ca, const struct cadb *db,
    int repair, int64_t now, void (*add)(void *ctx, int note,
    const char *line), void *ctx, struct err *e)
{
	struct enrolldb edb;
	char line[512], when[WS_TIME_LEN];
	size_t i, counts[4] = { 0 }, lapsed = 0;
	int rc = -1;

	enrolldb_init(&edb);
	if (enrolldb_open(&edb, w, ca, e) == -1)
		goto out;
	if (edb.size == 0) {
		/* No token made, no request queued: nothing to check. */
		rc = 0;
		goto out;
	}
	if (edb.torn > 0 && repair) {
		/* The writers' lock cuts it, keeping its bytes. */
		if (enrolldb_lock(&edb, e) == -1)
			goto out;
		enrolldb_unlock(&edb);
		snprintf(line, sizeof line, "repair: %s: the incomplete last "
		    "record was removed (kept in enroll.yaml.torn)", edb.label);
		add(ctx, 1, line);
	} else if (edb.torn > 0) {
		snprintf(line, sizeof line, "%s: the last record is incomplete "
		    "(torn write); --repair or the next writer removes it",
		    edb.label);
		add(ctx, 1, line);
	}
	for (i = 0; i < edb.nreqs; i++) {
		const struct enrolldb_req *r = &edb.reqs[i];

		counts[r->state]++;
		lapsed += enroll_req_expired(r, now);
		if (r->state == ENROLLDB_ISSUED &&
		    enroll_check_issued(&edb, r, db, e) == -1)
			goto out;
		if (r->state == ENROLLDB_APPROVED && r->issuing != 0) {
			ws_time_format(r->issuing, when);
			snprintf(line, sizeof line, "%s: request %s: an issuance "
			    "began at %s and was not recorded (interrupted); "
			    "the requester's next poll completes it", edb.label,
			    r->id, when);
			add(ctx, 1, line);
		}
	}
	snprintf(line, sizeof line, "%s: %zu records, every checksum matches; "
	    "%zu tokens; requests: %zu pending (%zu expired), %zu approved, "
	    "%zu issued, %zu rejected; every issued serial is in the database "
	    "with its certificate", edb.label, edb.nrecs, edb.ntokens,
	    counts[ENROLLDB_PENDING], lapsed, counts[ENROLLDB_APPROVED],
	    counts[ENROLLDB_ISSUED], counts[ENROLLDB_REJECTED]);
	add(ctx, 0, line);
	rc = 0;
out:
	enrolldb_clear(&edb);
	return rc;
}
