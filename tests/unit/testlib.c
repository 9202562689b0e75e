/* testlib.c — see testlib.h. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "crypto/hex.h"
#include "testlib.h"

int test_checks, test_failures;

void
test_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	test_failures++;
	fprintf(stderr, "%s:%d: FAIL: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int
test_done(void)
{
	printf("%d checks, %d failed\n", test_checks, test_failures);
	if (test_checks == 0) {
		fprintf(stderr, "no checks ran\n");
		return 1;
	}
	return test_failures == 0 ? 0 : 1;
}

void
test_skip(const char *why)
{
	printf("skipped: %s\n", why);
	exit(77);
}

uint8_t *
test_hex(const char *hex, size_t *len)
{
	size_t n = strlen(hex), i, o = 0;
	uint8_t *out = malloc(n / 2 + 1);
	int hi = -1, v;

	if (out == NULL)
		abort();
	for (i = 0; i < n; i++) {
		if (hex[i] == ' ' || hex[i] == '\n' || hex[i] == '\t' || hex[i] == ':')
			continue;
		if ((v = hex_digit((unsigned char)hex[i])) < 0) {
			fprintf(stderr, "bad hex in test data\n");
			abort();
		}
		if (hi < 0)
			hi = v;
		else {
			out[o++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	if (hi >= 0) {
		fprintf(stderr, "odd hex length in test data\n");
		abort();
	}
	*len = o;
	return out;
}

uint8_t *
test_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *p = NULL;
	size_t cap = 0, n = 0, r;

	if (f == NULL)
		return NULL;
	for (;;) {
		if (n == cap) {
			cap = cap ? cap * 2 : 65536;
			if ((p = realloc(p, cap + 1)) == NULL)
				abort();
		}
		r = fread(p + n, 1, cap - n, f);
		if (r == 0)
			break;
		n += r;
	}
	fclose(f);
	p[n] = '\0';
	*len = n;
	return p;
}

uint8_t *
test_slurp(const char *path, size_t *len)
{
	uint8_t *p = test_read_file(path, len);

	if (p == NULL) {
		fprintf(stderr, "cannot read %s\n", path);
		exit(1);
	}
	return p;
}

void
test_spit(const char *path, const void *data, size_t n)
{
	FILE *f = fopen(path, "wb");

	fwrite(data, 1, n, f);
	fclose(f);
}

void
test_append(const char *path, const char *s)
{
	FILE *f = fopen(path, "ab");

	fputs(s, f);
	fclose(f);
}

const char *
test_peer_dir(void)
{
	static const char *cands[] = { NULL, "../shared/peer", "../../shared/peer",
	    "../../../shared/peer" };
	struct stat st;
	size_t i;

	cands[0] = getenv("MINIPKI_PEER");
	for (i = 0; i < sizeof cands / sizeof cands[0]; i++)
		if (cands[i] != NULL && stat(cands[i], &st) == 0 && S_ISDIR(st.st_mode))
			return cands[i];
	return NULL;
}

int test_fail_dir_sync;

/* Stands in for libc's fsync in the code under test (linked into each test
 * program): EIO for a directory while test_fail_dir_sync is set, as a
 * failing disk; otherwise the real call. */
int
fsync(int fd)
{
	struct stat st;

	if (test_fail_dir_sync && fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		errno = EIO;
		return -1;
	}
	return (int)syscall(SYS_fsync, fd);
}
