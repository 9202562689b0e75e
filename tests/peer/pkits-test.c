/* pkits-test.c — NIST PKITS 1.0.1 path validation cases from the peer
 * folder (see ../shared/peer/README.md), at 2020-06-15, purpose any, the
 * first certificate as the trust anchor, the last as the leaf.
 *
 * Run: sections 4.1 (signatures), 4.2 (validity), 4.3 (name chaining), 4.4
 * (basic CRLs, negative serials), 4.5 (self-issued), 4.6 (basicConstraints, pathLen), 4.7
 * (keyUsage), 4.8-4.12 (policies, with each case's initial settings), 4.14
 * (distribution points, indirect CRLs), 4.15 (delta CRLs, use_deltas), 4.16
 * (critical extensions), without DSA certificates, with every case's CRLs
 * and every certificate below the anchor checked against them (crl_all).
 * 4.4 includes the negative serial numbers (4.4.14/15) and 4.13 name
 * constraints. Skipped, with the count printed: DSA.
 * Per section: matched / run / skipped. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "x509/crl.h"
#include "x509/verify.h"

#define PKITS_AT 1592179200	/* 2020-06-15 00:00:00 UTC */

static int verbose;	/* -v: one line per case run */
static size_t nucps;	/* user-constrained policy sets compared */

enum skip {
	RUN, SKIP_CRL, SKIP_POLICY,
	SKIP_DSA, SKIP__COUNT
};

static const char *const skip_why[SKIP__COUNT] = {
	[SKIP_CRL] = "need distribution points, indirect or delta CRLs "
	    "(4.14, 4.15; not supported)",
	[SKIP_POLICY] = "are in a section this harness does not know",
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
	(void)policy;
	if (!(section(num, "4.1") || section(num, "4.2") || section(num, "4.3") ||
	    section(num, "4.4") || section(num, "4.5") || section(num, "4.6") || section(num, "4.7") ||
	    section(num, "4.8") || section(num, "4.9") || section(num, "4.10") ||
	    section(num, "4.11") || section(num, "4.12") || section(num, "4.13") ||
	    section(num, "4.14") ||
	    section(num, "4.15") || section(num, "4.16")))
		return SKIP_POLICY;
	if (strstr(certs, "DSA") != NULL)
		return SKIP_DSA;
	return RUN;
}

#define MAX_SECTION 20

/* N of a case number 4.N.M; 0 when out of range. */
static size_t
section_number(const char *num)
{
	unsigned long v;
	char *end;

	if (strncmp(num, "4.", 2) != 0)
		return 0;
	v = strtoul(num + 2, &end, 10);
	return *end == '.' && v <= MAX_SECTION ? (size_t)v : 0;
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

#define MAX_POLICIES 8

/* A case's policy settings into p: SetInitialPolicySet("NIST-test-policy-1,
 * ..."), SetInitialExplicitPolicy(true), SetInitialPolicyMappingInhibit(true),
 * SetInitialInhibitAnyPolicy(true); SetUserConstrainedPolicySet(...) is
 * the expected outcome, not an input. Returns -1 on a setting it does not
 * know. oids holds the OIDs' text. */
static int
settings(const char *text, struct verify_params *p,
    char oids[MAX_POLICIES][48], const char *ptrs[MAX_POLICIES])
{
	const char *s = text, *q, *end;
	size_t n;

	while (*s == ' ' || *s == ';')
		s++;
	while (*s != '\0') {
		end = strchr(s, ';');
		if (end == NULL)
			end = s + strlen(s);
		if (strncmp(s, "SetInitialPolicySet(\"", 21) == 0) {
			for (q = s + 21; q < end && *q != '"';) {
				n = strcspn(q, ",\"");
				if (p->npolicies == MAX_POLICIES)
					return -1;
				if (n > 17 && strncmp(q, "NIST-test-policy-", 17) == 0)
					snprintf(oids[p->npolicies], 48,
					    "2.16.840.1.101.3.2.1.48.%.*s",
					    (int)(n - 17), q + 17);
				else if (n == 9 && strncmp(q, "anyPolicy", 9) == 0)
					snprintf(oids[p->npolicies], 48, "anyPolicy");
				else
					return -1;
				ptrs[p->npolicies] = oids[p->npolicies];
				p->npolicies++;
				q += n;
				if (*q == ',')
					q++;
			}
			p->policies = ptrs;
		} else if (strncmp(s, "SetInitialExplicitPolicy(true)", 30) == 0)
			p->explicit_policy = 1;
		else if (strncmp(s, "SetInitialPolicyMappingInhibit(true)", 36) == 0)
			p->inhibit_mapping = 1;
		else if (strncmp(s, "SetInitialInhibitAnyPolicy(true)", 32) == 0)
			p->inhibit_any = 1;
		else if (strncmp(s, "SetUserConstrainedPolicySet(", 28) != 0)
			return -1;
		s = end;
		while (*s == ' ' || *s == ';')
			s++;
	}
	return 0;
}

/* The OID text of one policy name of the settings ("NIST-test-policy-2",
 * "anyPolicy") into out. */
static void
policy_oid(const char *name, size_t n, char *out, size_t outlen)
{
	if (n > 17 && strncmp(name, "NIST-test-policy-", 17) == 0)
		snprintf(out, outlen, "2.16.840.1.101.3.2.1.48.%.*s",
		    (int)(n - 17), name + 17);
	else
		snprintf(out, outlen, "%.*s", (int)n, name);
}

/* Whether the policies the "certificate policies" step says the path is
 * valid for (in the trust anchor's domain: before any "; mapped") are the
 * case's SetUserConstrainedPolicySet (when it has one): the same set, ""
 * when no valid policy is left. */
static int
ucps_matches(const char *settings, const struct verify_result *r)
{
	const char *want = strstr(settings, "SetUserConstrainedPolicySet(\"");
	const char *got = "", *q, *end;
	char oid[64], item[80];
	size_t i, n, nwant = 0, ngot = 0;

	if (want == NULL)
		return 1;
	want += 29;
	nucps++;
	for (i = 0; i < r->n; i++)
		if (strcmp(r->steps[i].what, "certificate policies") == 0 &&
		    r->steps[i].ok) {
			q = strstr(r->steps[i].why, "; valid for ");
			got = q != NULL ? q + 12 : "";
		}
	/* Every wanted policy is among those got, and as many. */
	for (q = want; *q != '"' && *q != '\0';) {
		n = strcspn(q, ",\"");
		policy_oid(q, n, oid, sizeof oid);
		nwant++;
		snprintf(item, sizeof item, "%s", oid);
		for (end = got; (end = strstr(end, item)) != NULL; end++)
			if ((end == got || end[-1] == ' ') &&
			    (end[strlen(item)] == ',' || end[strlen(item)] == ' ' ||
			    end[strlen(item)] == ';' || end[strlen(item)] == '\0'))
				break;
		if (end != NULL && strchr(got, ';') != NULL &&
		    end > strchr(got, ';'))
			end = NULL;	/* only the anchor's domain counts */
		if (end == NULL)
			return 0;
		q += n;
		if (*q == ',')
			q++;
	}
	if (*got != '\0' && strncmp(got, "none", 4) != 0)
		for (ngot = 1, q = got; *q != '\0' && *q != '(' && *q != ';';
		    q++)
			ngot += *q == ',';
	return ngot == nwant;
}

/* Runs one case; returns 1 when the verdict matches. */
static int
run_case(const char *dir, const char *num, const char *title, int want_valid,
    char *certs, char *crlnames, const char *policy)
{
	char oids[MAX_POLICIES][48];
	const char *oidp[MAX_POLICIES];
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
	p.use_deltas = 1;
	if (settings(policy, &p, oids, oidp) == -1) {
		printf("MISMATCH %s %s: unknown setting in '%s'\n", num, title,
		    policy);
		goto out;
	}
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
	} else if (want_valid && !ucps_matches(policy, &r)) {
		ok = 0;
		printf("MISMATCH %s %s: valid as expected, but the policies "
		    "are not the expected user-constrained set (%s)\n", num,
		    title, policy);
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
	size_t valid = 0, i, sec, j;
	/* Per section 4.N: run, matched, skipped by reason. */
	size_t srun[MAX_SECTION + 1] = { 0 }, sgood[MAX_SECTION + 1] = { 0 };
	size_t sskip[MAX_SECTION + 1][SKIP__COUNT];
	FILE *fp;
	enum skip k;
	int m;

	memset(sskip, 0, sizeof sskip);
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
		sec = section_number(f[0]);
		k = classify(f[0], f[3], f[5]);
		if (k != RUN) {
			nskip[k]++;
			sskip[sec][k]++;
			continue;
		}
		CHECK(strcmp(f[2], "valid") == 0 || strcmp(f[2], "invalid") == 0);
		run++;
		srun[sec]++;
		valid += strcmp(f[2], "valid") == 0;
		test_checks++;
		m = run_case(dir, f[0], f[1], strcmp(f[2], "valid") == 0, f[3],
		    f[4], f[5]);
		good += m;
		sgood[sec] += m;
		if (!m)
			test_failures++;
	}
	free(line);
	fclose(fp);
	for (sec = 1; sec <= MAX_SECTION; sec++) {
		size_t sk = 0;

		for (j = 1; j < SKIP__COUNT; j++)
			sk += sskip[sec][j];
		if (srun[sec] == 0 && sk == 0)
			continue;
		printf("PKITS 4.%zu: %zu matched / %zu run / %zu skipped", sec,
		    sgood[sec], srun[sec], sk);
		for (j = 1; j < SKIP__COUNT; j++)
			if (sskip[sec][j] > 0)
				printf("; %zu %s", sskip[sec][j], skip_why[j]);
		printf("\n");
	}
	printf("PKITS: %zu cases run (%zu valid, %zu invalid), %zu match the "
	    "expected verdict, %zu do not\n", run, valid, run - valid, good,
	    run - good);
	printf("PKITS: %zu valid cases' user-constrained policy sets compared\n",
	    nucps);
	for (i = 1; i < SKIP__COUNT; i++)
		if (nskip[i] > 0)
			printf("PKITS: %zu skipped: %s\n", nskip[i], skip_why[i]);
	/* Guard against a filter that silently runs nothing. */
	CHECK(run >= 240);
	CHECK_EQ(srun[13], 38);	/* name constraints, all of them */
	CHECK_EQ(srun[4], 21);	/* basic CRLs with the negative serials */
	return test_done();
}
