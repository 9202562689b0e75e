/* xalloc.h — allocation that never returns NULL.
 *
 * On failure the registered fail hook runs (the TUI uses it to restore the
 * terminal), a message goes to stderr and the process exits with status 3. */
#ifndef MP_UTIL_XALLOC_H
#define MP_UTIL_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t);
void *xcalloc(size_t, size_t);
void *xrealloc(void *, size_t);
/* Grows an array of nmemb elements of size each, checking the product. */
void *xreallocarray(void *, size_t nmemb, size_t size);
char *xstrdup(const char *);
char *xstrndup(const char *, size_t);
/* Returns a newly allocated formatted string. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Wipes n bytes with explicit_bzero, then frees; NULL is fine. */
void xfree_secret(void *, size_t);

void xalloc_set_fail_hook(void (*)(void));
void xalloc_fail(const char *what) __attribute__((noreturn));

#endif
