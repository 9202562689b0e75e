/* testlib.h — the small harness every unit test program uses.
 *
 * A test program calls CHECK* for each assertion; a failed assertion prints
 * file:line and the expression and counts, the program goes on. test_done()
 * prints "name: N checks, N failed" and returns the exit status: 0 all good,
 * 1 something failed, 77 skipped (test_skip). */
#ifndef MP_TESTLIB_H
#define MP_TESTLIB_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

extern int test_checks, test_failures;

void test_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int test_done(void);
/* Prints the reason and exits 77. */
void test_skip(const char *why) __attribute__((noreturn));
/* Decodes hex (whitespace ignored) into a new buffer; aborts on bad hex. */
uint8_t *test_hex(const char *hex, size_t *len);
/* Reads a whole file; NULL when it cannot be read. */
uint8_t *test_read_file(const char *path, size_t *len);
/* test_read_file for a file that must be there: prints "cannot read PATH"
 * and exits 1 when it cannot be read. */
uint8_t *test_slurp(const char *path, size_t *len);
/* Writes n bytes as the whole file (no checks: tests damage files with it). */
void test_spit(const char *path, const void *data, size_t n);
/* Appends the string s to path. */
void test_append(const char *path, const char *s);
/* The directory of independent suites (../shared/peer from the repository
 * root, or $MINIPKI_PEER); NULL when absent. */
const char *test_peer_dir(void);
/* While set, fsync of a directory fails with EIO (testlib.c replaces
 * fsync), to test what a failing directory sync does. */
extern int test_fail_dir_sync;

#define CHECK(e) do { test_checks++; if (!(e)) \
	test_fail(__FILE__, __LINE__, "CHECK(%s)", #e); } while (0)
#define CHECK_EQ(a, b) do { long long a_ = (long long)(a), b_ = (long long)(b); \
	test_checks++; if (a_ != b_) test_fail(__FILE__, __LINE__, \
	"%s == %s: %lld != %lld", #a, #b, a_, b_); } while (0)
#define CHECK_STR(a, b) do { const char *a_ = (a), *b_ = (b); test_checks++; \
	if (a_ == NULL || b_ == NULL || strcmp(a_, b_) != 0) \
	test_fail(__FILE__, __LINE__, "%s == %s: \"%s\" != \"%s\"", #a, #b, \
	a_ ? a_ : "(null)", b_ ? b_ : "(null)"); } while (0)
#define CHECK_MEM(a, b, n) do { test_checks++; if (memcmp((a), (b), (n)) != 0) \
	test_fail(__FILE__, __LINE__, "memory %s != %s", #a, #b); } while (0)
/* Asserts that a call failed (-1) and that its err message contains frag. */
#define CHECK_ERR(call, e, frag) do { int r_ = (call); test_checks++; \
	if (r_ != -1 || strstr((e)->msg, (frag)) == NULL) \
	test_fail(__FILE__, __LINE__, "%s: want error containing \"%s\", got %d \"%s\"", \
	#call, (frag), r_, (e)->msg); } while (0)

#endif
