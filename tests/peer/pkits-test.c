/* pkits-test.c — NIST PKITS 1.0.1 path validation cases from the peer
 * folder (see ../shared/peer/README.md), at 2020-06-15, purpose any, the
 * first certificate as the trust anchor, the last as the leaf.
 *
 * Run: sections 4.1 (signatures), 4.2 (validity), 4.3 (name chaining), 4.4
 * (basic CRLs, negative serial numbers), 4.5 (self-issued), 4.6
 * (basicConstraints, pathLen), 4.7 (keyUsage), 4.13 (name constraints),
 * 4.16 (critical extensions), without DSA certificates and without policy
 * settings, with every case's CRLs and every certificate below the anchor
 * checked against them (crl_all). Skipped, with the count printed:
 * distribution points, indirect and delta CRLs (4.14, 4.15: not
 * supported), policies (4.8-4.12 and any case with policy settings) and
 * DSA. At the end, one line per section: matched / run / skipped, and why. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "x509/crl.h"
#include "x509/verify.h"

#define PKITS_AT 1592179200	/* 2020-06-15 00:00:00 UTC */

static int verbose;	/* -v: one line per case run */

enum skip {
	RUN, SKIP_CRL, SKIP_POLICY,
	SKIP_DSA, SKIP__COUNT
};

static const char *const skip_why[SKIP__COUNT] = {
	[SKIP_CRL] = "need distribution points, indirect or delta CRLs "
	    "(4.14, 4.15; not supported)",
	[SKIP_POLICY] = "need certificate policy processing (4.8-4.12 or "
	    "policy settings)",
	[SKIP_DSA] = "use DSA certificates (not supported)",
};

static int
section(const char *num, const char *sec)
{
	size_t n = strlen(sec);

	return strncmp(num, sec, n) == 0 && num[n] == '.';
}

static enum skip
classify(const char *num, const char *certs, const char *policy)
{
	if (policy[0] != '\0')
		return SKIP_POLICY;
	if (section(num, "4.14") || section(num, "4.15"))
		return SKIP_CRL;
	if (!(section(num, "4.1") || section(num, "4.2") || section(num, "4.3") ||
	    section(num, "4.4") || section(num, "4.5") || section(num, "4.6") || section(num, "4.7") ||
	    section(num, "4.13") || section(num, "4.16")))
		return SKIP_POLICY;
	if (strstr(certs, "DSA") != NULL)
		return SKIP_DSA;
	return RUN;
}

/* Per-section tallies ("4.13"), printed at the end. */
struct tally {
	char name[8];
	size_t run, good, skip[SKIP__COUNT];
};

static struct tally tallies[32];
static size_t ntallies;

static struct tally *
tally_of(const char *num)
{
	size_t n = strcspn(num, "."), i;

	n += num[n] == '.' ? 1 + strcspn(num + n + 1, ".") : 0;
	if (n >= sizeof tallies[0].name)
		n = sizeof tallies[0].name - 1;
	for (i = 0; i < ntallies; i++)
		if (strlen(tallies[i].name) == n &&
		    strncmp(tallies[i].name, num, n) == 0)
			return &tallies[i];
	if (ntallies == sizeof tallies / sizeof tallies[0])
		return &tallies[ntallies - 1];	/* lumped; never with PKITS */
	memcpy(tallies[ntallies].name, num, n);
	return &tallies[ntallies++];
}

static void
tally_print(void)
{
	size_t i, k, skipped;
	const struct tally *t;
	int first;

	for (i = 0; i < ntallies; i++) {
		t = &tallies[i];
		for (skipped = 0, k = 1; k < SKIP__COUNT; k++)
			skipped += t->skip[k];
		printf("PKITS %-5s %2zu matched / %2zu run / %2zu skipped",
		    t->name, t->good, t->run, skipped);
		for (first = 1, k = 1; k < SKIP__COUNT; k++)
			if (t->skip[k] > 0) {
				printf("%s%zu %s", first ? ": " : "; ",
				    t->skip[k], skip_why[k]);
				first = 0;
			}
		printf("\n");
	}
}

/* Splits line at tabs into at most max fields; returns the count. */
static size_t
split(char *line, char **f, size_t max)
{
	size_t n = 0;
	char *p = line;

	line[strcspn(line, "\r\n")] = '\0';
	while (n < max) {
		f[n++] = p;
		p = strchr(p, '\t');
		if (p == NULL)
			break;
		*p++ = '\0';
	}
	return n;
}

/* Runs one case; returns 1 when the verdict matches. */
static int
run_case(const char *dir, const char *num, const char *title, int want_valid,
    char *certs, char *crlnames)
{
	struct crl crls[16];
	const struct crl *crlp[16];
	const char *crlfile[16];
	size_t ncrls = 0;
	struct cert_list anchors, untrusted, leaf, *dst;
	struct verify_params p;
	struct verify_result r;
	char path[1024], *name, *next;
	const char *ff = "(none)";
	struct err e;
	size_t i, count = 1;
	int ok = 0;

	cert_list_init(&anchors);
	cert_list_init(&untrusted);
	cert_list_init(&leaf);
	verify_result_init(&r);
	for (i = 0; i < 16; i++)
		crl_init(&crls[i]);
	for (name = crlnames; name != NULL && *name != '\0'; name = next) {
		next = strchr(name, ',');
		if (next != NULL)
			*next++ = '\0';
		if (ncrls == 16) {
			printf("MISMATCH %s %s: too many CRLs\n", num, title);
			goto out;
		}
		snprintf(path, sizeof path, "%s/pkits/crls/%s.crl", dir, name);
		err_clear(&e);
		if (crl_load_file(&crls[ncrls], path, &e) == -1) {
			/* A CRL that does not parse cannot be used: the
			 * certificates it covers fail (no usable CRL). */
			printf("note %s %s: %s does not parse: %s\n", num, title,
			    name, e.msg);
			continue;
		}
		crlp[ncrls] = &crls[ncrls];
		crlfile[ncrls] = name;
		ncrls++;
	}
	for (i = 0; certs[i] != '\0'; i++)
		count += certs[i] == ',';
	for (i = 0, name = certs; name != NULL; name = next, i++) {
		next = strchr(name, ',');
		if (next != NULL)
			*next++ = '\0';
		dst = i == 0 ? &anchors : i + 1 == count ? &leaf : &untrusted;
		snprintf(path, sizeof path, "%s/pkits/certs/%s.crt", dir, name);
		err_clear(&e);
		if (cert_list_load_file(dst, path, &e) == -1) {
			/* A certificate we cannot parse makes the path
			 * invalid (MALFORMED), as a caller would see it. */
			ok = !want_valid;
			printf("%s %s %s: %s does not parse: %s\n", ok ?
			    "note" : "MISMATCH", num, title, name, e.msg);
			goto out;
		}
	}
	if (leaf.n != 1 || anchors.n != 1) {
		printf("MISMATCH %s %s: bad case line\n", num, title);
		goto out;
	}
	memset(&p, 0, sizeof p);
	p.anchors = &anchors;
	p.untrusted = &untrusted;
	p.purpose = VERIFY_PURPOSE_ANY;
	p.at = PKITS_AT;
	p.crls = crlp;
	p.crl_names = crlfile;
	p.ncrls = ncrls;
	p.crl_all = 1;
	verify_chain(&leaf.v[0], &p, &r);
	ok = (r.code == VERIFY_OK) == want_valid;
	if (verbose)
		printf("%s %s: %s%s%s\n", num, title, verify_code_name(r.code),
		    r.reason ? ": " : "", r.reason ? r.reason : "");
	if (!ok) {
		for (i = 0; i < r.n; i++)
			if (!r.steps[i].ok) {
				ff = r.reason;
				break;
			}
		printf("MISMATCH %s %s: expected %s, got %s; first failing step: "
		    "%s\n", num, title, want_valid ? "valid" : "invalid",
		    verify_code_name(r.code), ff);
	}
out:
	for (i = 0; i < 16; i++)
		crl_clear(&crls[i]);
	verify_result_clear(&r);
	cert_list_clear(&anchors);
	cert_list_clear(&untrusted);
	cert_list_clear(&leaf);
	return ok;
}

int
main(int argc, char **argv)
{
	const char *dir = test_peer_dir();
	char path[1024], *line = NULL, *f[6];
	size_t cap = 0, n, nskip[SKIP__COUNT] = { 0 }, run = 0, good = 0;
	size_t valid = 0, i;
	FILE *fp;
	enum skip k;
	struct tally *t;

	verbose = argc > 1 && strcmp(argv[1], "-v") == 0;
	if (dir == NULL)
		test_skip("no peer folder (../shared/peer or $MINIPKI_PEER)");
	snprintf(path, sizeof path, "%s/pkits/cases.tsv", dir);
	if ((fp = fopen(path, "r")) == NULL)
		test_skip("no pkits/cases.tsv in the peer folder");
	while (getline(&line, &cap, fp) != -1) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		n = split(line, f, 6);
		CHECK_EQ(n, 6);
		if (n != 6)
			continue;
		k = classify(f[0], f[3], f[5]);
		t = tally_of(f[0]);
		if (k != RUN) {
			nskip[k]++;
			t->skip[k]++;
			continue;
		}
		CHECK(strcmp(f[2], "valid") == 0 || strcmp(f[2], "invalid") == 0);
		run++;
		valid += strcmp(f[2], "valid") == 0;
		test_checks++;
		t->run++;
		if (run_case(dir, f[0], f[1], strcmp(f[2], "valid") == 0, f[3],
		    f[4])) {
			good++;
			t->good++;
		}
		else
			test_failures++;
	}
	free(line);
	fclose(fp);
	printf("PKITS: %zu cases run (%zu valid, %zu invalid), %zu match the "
	    "expected verdict, %zu do not\n", run, valid, run - valid, good,
	    run - good);
	for (i = 1; i < SKIP__COUNT; i++)
		printf("PKITS: %zu skipped: %s\n", nskip[i], skip_why[i]);
	tally_print();
	/* Guard against a filter that silently runs nothing. */
	CHECK(run >= 113);
	/* Name constraints and negative serials run whole. */
	CHECK_EQ(tally_of("4.13.")->run, 38);
	CHECK_EQ(tally_of("4.4.")->run, 21);
	return test_done();
}
