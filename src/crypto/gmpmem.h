/* gmpmem.h — GMP memory functions that wipe what they give back.
 *
 * GMP frees and reallocates the limbs of private numbers (RSA primes,
 * exponents, CRT values and Nettle's scratch space) without clearing them.
 * gmpmem_install makes every block GMP frees, and the old block of every
 * reallocation, zeroed with explicit_bzero before it returns to malloc.
 * rand.c installs them from a constructor, before main and before any GMP
 * allocation; calling gmpmem_install again does nothing. */
#ifndef MP_CRYPTO_GMPMEM_H
#define MP_CRYPTO_GMPMEM_H

#include <stddef.h>

void gmpmem_install(void);

/* The functions gmpmem_install hands to mp_set_memory_functions. Sizes are
 * in bytes; out of memory goes to xalloc_fail. */
void *gmpmem_alloc(size_t);
void *gmpmem_realloc(void *, size_t old_size, size_t new_size);
void gmpmem_free(void *, size_t size);

/* For tests: release replaces free(3) as the last step of gmpmem_free and
 * gmpmem_realloc (it gets the wiped block and its usable size and must free
 * it); NULL restores free. */
void gmpmem_set_release(void (*release)(void *p, size_t usable));

#endif
