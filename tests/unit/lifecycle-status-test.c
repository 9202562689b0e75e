/* lifecycle-status-test.c — the one status rule (lifecycle_state) and the
 * list filters, case by case, on records as the database reader leaves
 * them. Before it, `ca list` and `ca show` called a certificate on hold
 * "revoked" while the TUI's inventory called it "on-hold"; these cases
 * pin the answer both faces now show. */
#include <stdio.h>
#include <string.h>

#include "role/lifecycle.h"
#include "testlib.h"

static const int64_t now = 1790000000;	/* 2026-09-21 */
#define DAY 86400

struct status_case {
	const char *what;
	int revoked;		/* CADB_REVOKED */
	const char *reason;
	int64_t not_after;	/* relative to now */
	const char *superseded_by;
	const char *want;
	/* Which filters take it. */
	int f_valid, f_revoked, f_on_hold, f_expired, f_superseded;
	int f_expiring;		/* --expiring 30 */
};

static const struct status_case cases[] = {
	{ "fresh", 0, NULL, 365 * DAY, NULL, "valid",
	    1, 0, 0, 0, 0, 0 },
	{ "expiring in 10 days", 0, NULL, 10 * DAY, NULL, "valid",
	    1, 0, 0, 0, 0, 1 },
	{ "on hold", 1, "certificateHold", 365 * DAY, NULL, "on-hold",
	    0, 1, 1, 0, 0, 0 },
	{ "on hold and expired", 1, "certificateHold", -DAY, NULL, "on-hold",
	    0, 1, 1, 0, 0, 0 },
	{ "on hold and renewed", 1, "certificateHold", 365 * DAY, "0b",
	    "on-hold", 0, 1, 1, 0, 0, 0 },
	{ "revoked", 1, "keyCompromise", 365 * DAY, NULL, "revoked",
	    0, 1, 0, 0, 0, 0 },
	{ "revoked and superseded (renew --revoke-old)", 1, "superseded",
	    365 * DAY, "0c", "revoked", 0, 1, 0, 0, 0, 0 },
	{ "revoked and expired", 1, "unspecified", -DAY, NULL, "revoked",
	    0, 1, 0, 0, 0, 0 },
	{ "revoked, expiring soon", 1, "keyCompromise", 10 * DAY, NULL,
	    "revoked", 0, 1, 0, 0, 0, 0 },
	/* The reader leaves a lifted hold as a valid record, reason NULL. */
	{ "hold lifted (removeFromCRL)", 0, NULL, 365 * DAY, NULL, "valid",
	    1, 0, 0, 0, 0, 0 },
	{ "superseded", 0, NULL, 365 * DAY, "0d", "superseded",
	    0, 0, 0, 0, 1, 0 },
	{ "superseded, expiring soon", 0, NULL, 10 * DAY, "0d", "superseded",
	    0, 0, 0, 0, 1, 1 },
	{ "expired and superseded", 0, NULL, -DAY, "0e", "expired",
	    0, 0, 0, 1, 0, 0 },
	{ "expired", 0, NULL, -1, NULL, "expired", 0, 0, 0, 1, 0, 0 },
	{ "expires this second", 0, NULL, 0, NULL, "valid",
	    1, 0, 0, 0, 0, 1 },
};

static void
test_cases(void)
{
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct status_case *t = &cases[i];
		struct cadb_cert c;

		memset(&c, 0, sizeof c);
		c.serial = (char *)"0a";
		c.status = t->revoked ? CADB_REVOKED : CADB_VALID;
		c.reason = (char *)t->reason;
		c.revoked_at = t->revoked ? now - DAY : 0;
		c.not_before = now - 30 * DAY;
		c.not_after = now + t->not_after;
		c.superseded_by = (char *)t->superseded_by;
		printf("%s\n", t->what);
		CHECK_STR(lifecycle_status(&c, now), t->want);
		CHECK_EQ(lifecycle_match(&c, now, NULL, -1), 1);
		CHECK_EQ(lifecycle_match(&c, now, "valid", -1), t->f_valid);
		CHECK_EQ(lifecycle_match(&c, now, "revoked", -1), t->f_revoked);
		CHECK_EQ(lifecycle_match(&c, now, "on-hold", -1), t->f_on_hold);
		CHECK_EQ(lifecycle_match(&c, now, "expired", -1), t->f_expired);
		CHECK_EQ(lifecycle_match(&c, now, "superseded", -1),
		    t->f_superseded);
		CHECK_EQ(lifecycle_match(&c, now, NULL, 30), t->f_expiring);
	}
}

static void
test_words(void)
{
	CHECK(lifecycle_status_ok("valid"));
	CHECK(lifecycle_status_ok("revoked"));
	CHECK(lifecycle_status_ok("on-hold"));
	CHECK(lifecycle_status_ok("expired"));
	CHECK(lifecycle_status_ok("superseded"));
	CHECK(!lifecycle_status_ok("soon"));
	CHECK(!lifecycle_status_ok("Revoked"));
	CHECK(!lifecycle_status_ok(""));
}

int
main(void)
{
	test_cases();
	test_words();
	return test_done();
}
