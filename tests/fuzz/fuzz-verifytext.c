/* fuzz-verifytext.c — libFuzzer entry point for the text verify.c reads:
 * the --at time (verify_parse_time, and formatting back what it gives)
 * and host names against dNSName patterns (verify_dns_match). The input
 * is the time, or a pattern and a host as two parts (fuzzparts.h). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "x509/verify.h"

#include "fuzzparts.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Drops one trailing dot (a fully qualified name). */
static void
undot(char *s)
{
	size_t n = strlen(s);

	if (n > 0 && s[n - 1] == '.')
		s[n - 1] = '\0';
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct fuzzpart part[2];
	struct fuzzpart whole = { data, len };
	char *text, *pat, *host, out[32];
	struct err e;
	int64_t t, again;

	if (len > 4096)
		return 0;
	if ((text = fuzzparts_str(&whole)) != NULL) {
		if (verify_parse_time(text, &t, &e) == 0) {
			/* What is read is what "@SECONDS" says back. */
			snprintf(out, sizeof out, "@%lld", (long long)t);
			if (verify_parse_time(out, &again, &e) != 0 ||
			    again != t)
				abort();
			verify_format_time(t, out, sizeof out);
			if (strlen(out) >= sizeof out)
				abort();
		}
		free(text);
	}
	if (fuzzparts_split(data, len, part, 2) == 2) {
		pat = fuzzparts_str(&part[0]);
		host = fuzzparts_str(&part[1]);
		if (pat != NULL && host != NULL) {
			/* Without a wildcard only equal names match
			 * (case and a trailing dot aside). */
			if (verify_dns_match(pat, host) &&
			    strchr(pat, '*') == NULL) {
				undot(pat);
				undot(host);
				if (strcasecmp(pat, host) != 0)
					abort();
			}
		}
		free(pat);
		free(host);
	}
	return 0;
}
