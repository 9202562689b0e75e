/* fuzzsplit.c — whole and in pieces; see fuzzsplit.h. */
#include <stdlib.h>
#include <string.h>

#include "fuzzsplit.h"

size_t
fuzzsplit_piece(size_t off, size_t size, size_t step, const size_t *cut)
{
	size_t n = size - off, i;

	if (step > 0 && n > step)
		n = step;
	if (cut != NULL)
		for (i = 0; i < 2; i++)
			if (cut[i] > off && cut[i] - off < n)
				n = cut[i] - off;
	return n;
}

/* One pattern of cuts per input, picked by its length and its first and
 * last bytes, so that every pattern is played across the inputs a run
 * makes without running each input through all of them: the four passes
 * that were were most of the stream targets' time. Inputs too long to feed
 * byte by byte get a second pattern instead. */
void
fuzzsplit_check(const uint8_t *data, size_t size, fuzzsplit_run_fn *run)
{
	struct buf whole, part;
	size_t cuts[4][2] = { { 1, 2 }, { size / 3, 2 * size / 3 },
	    { size / 2, size / 2 }, { size - 1, size - 1 } };
	size_t pick = size > 0 ? (size + data[0] + data[size - 1]) % 4 : 0;
	size_t pass[2], i;
	int fw, fp;

	pass[0] = pick;
	pass[1] = size > 2048 ? (pick + 2) % 4 : 4;	/* 4: byte by byte */
	buf_init(&whole);
	fw = run(data, size, 0, NULL, &whole);
	for (i = 0; i < 2; i++) {
		buf_init(&part);
		fp = pass[i] < 4 ? run(data, size, 0, cuts[pass[i]], &part) :
		    run(data, size, 1, NULL, &part);
		if ((fw != 0) != (fp != 0))
			abort();
		if (!fw && (part.len != whole.len || (whole.len > 0 &&
		    memcmp(part.data, whole.data, whole.len) != 0)))
			abort();
		buf_clear(&part);
	}
	buf_clear(&whole);
}
