/* driver.c — runs a libFuzzer entry point over files named on the command
 * line (the seed corpus), so `make check` exercises every fuzz target
 * without clang's libFuzzer. `make fuzz` links the real one instead. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
main(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		uint8_t *p;
		long n;

		if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0) {
			fprintf(stderr, "%s: cannot read\n", argv[i]);
			return 1;
		}
		rewind(f);
		if ((p = malloc((size_t)n + 1)) == NULL ||
		    fread(p, 1, (size_t)n, f) != (size_t)n) {
			fprintf(stderr, "%s: cannot read\n", argv[i]);
			return 1;
		}
		fclose(f);
		LLVMFuzzerTestOneInput(p, (size_t)n);
		free(p);
	}
	printf("%d inputs ran\n", argc - 1);
	return 0;
}
