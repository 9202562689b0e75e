/* gmpmem.c — wiping GMP memory functions; see gmpmem.h. */
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include <gmp.h>

#include "crypto/gmpmem.h"
#include "util/xalloc.h"

static void (*gmpmem_release)(void *, size_t);

void
gmpmem_set_release(void (*release)(void *, size_t))
{
	gmpmem_release = release;
}

/* The block's real extent. GMP passes the size it asked for, but some
 * users of mp_get_memory_functions pass 0 or a string length; the usable
 * size from malloc covers the whole block whatever the caller says. */
static size_t
gmpmem_extent(void *p)
{
	return malloc_usable_size(p);
}

static void
gmpmem_wipe_release(void *p)
{
	size_t n = gmpmem_extent(p);

	explicit_bzero(p, n);
	if (gmpmem_release != NULL)
		gmpmem_release(p, n);
	else
		free(p);
}

void *
gmpmem_alloc(size_t n)
{
	return xmalloc(n > 0 ? n : 1);
}

/* Never realloc(3) in place: it may move the limbs and leave the old copy
 * in the heap. A new block, a copy, then the old one wiped and freed. */
void *
gmpmem_realloc(void *p, size_t old_size, size_t new_size)
{
	void *q;
	size_t n;

	(void)old_size;
	if (p == NULL)
		return gmpmem_alloc(new_size);
	q = gmpmem_alloc(new_size);
	n = gmpmem_extent(p);
	memcpy(q, p, n < new_size ? n : new_size);
	gmpmem_wipe_release(p);
	return q;
}

void
gmpmem_free(void *p, size_t size)
{
	(void)size;
	if (p != NULL)
		gmpmem_wipe_release(p);
}

void
gmpmem_install(void)
{
	static int done;

	/* Once only; a later call changes nothing (both sets of functions
	 * end in malloc/free, so blocks from before the install are safe). */
	if (done)
		return;
	done = 1;
	mp_set_memory_functions(gmpmem_alloc, gmpmem_realloc, gmpmem_free);
}
