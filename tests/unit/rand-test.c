/* rand-test.c — the library and the program get their randomness from the
 * kernel, never from the fuzzing build's replayable generator
 * (src/crypto/rand.c under MINIPKI_FUZZING).
 *
 * Each check fails in a fuzzing build (configure --enable-fuzzing-rng): two
 * fresh processes draw the same bytes there, the generator's seeding
 * function is linked in, and its label is in the program's bytes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "crypto/rand.h"
#include "testlib.h"

#pragma weak rand_fuzz_seed

/* The label the fuzzing generator hashes its seed under, "minipki-fuzz-rng";
 * only its code holds it (this file spells it backwards). */
static const char label_rev[] = "gnr-zzuf-ikpinim";

/* The first 32 bytes a new process draws. Returns 0, or -1. */
static int
child_draw(uint8_t out[32])
{
	int fds[2], status;
	size_t got = 0;
	ssize_t r;
	pid_t pid;

	if (pipe(fds) == -1)
		return -1;
	pid = fork();
	if (pid == -1)
		return -1;
	if (pid == 0) {
		uint8_t b[32];

		close(fds[0]);
		rand_bytes(b, sizeof b);
		_exit(write(fds[1], b, sizeof b) == (ssize_t)sizeof b ? 0 : 1);
	}
	close(fds[1]);
	while (got < 32 && (r = read(fds[0], out + got, 32 - got)) > 0)
		got += (size_t)r;
	close(fds[0]);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0 || got != 32)
		return -1;
	return 0;
}

/* Whether the file holds the fuzzing generator's label; -1 unreadable. */
static int
file_has_label(const char *path)
{
	char label[sizeof label_rev];
	uint8_t *data;
	size_t len, i, n = sizeof label_rev - 1;
	int found;

	for (i = 0; i < n; i++)
		label[i] = label_rev[n - 1 - i];
	label[n] = '\0';
	if ((data = test_read_file(path, &len)) == NULL)
		return -1;
	found = memmem(data, len, label, n) != NULL;
	free(data);
	return found;
}

int
main(void)
{
	void (*volatile seed)(const void *, size_t) = rand_fuzz_seed;
	uint8_t a[32], b[32], zero[32] = { 0 };
	const char *prog = getenv("MINIPKI");

	/* Two processes started alike draw different bytes. */
	CHECK_EQ(child_draw(a), 0);
	CHECK_EQ(child_draw(b), 0);
	CHECK(memcmp(a, b, sizeof a) != 0);
	CHECK(memcmp(a, zero, sizeof a) != 0);

	/* The fuzzing build's seeding function is not linked in, and its
	 * code is in neither this program nor minipki-tui. */
	CHECK(seed == NULL);
	CHECK_EQ(file_has_label("/proc/self/exe"), 0);
	if (prog == NULL)
		prog = "./minipki-tui";
	CHECK_EQ(file_has_label(prog), 0);
	return test_done();
}
