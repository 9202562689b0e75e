/* err.c — error messages with a kind; see err.h. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/err.h"

void
err_clear(struct err *e)
{
	if (e == NULL)
		return;
	e->kind = ERR_NONE;
	e->msg[0] = '\0';
}

int
err_set(struct err *e, enum err_kind kind, const char *fmt, ...)
{
	va_list ap;

	if (e == NULL)
		return -1;
	e->kind = kind;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	return -1;
}

int
err_wrap(struct err *e, const char *fmt, ...)
{
	char prefix[256], old[sizeof e->msg];
	va_list ap;
	size_t n;

	if (e == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof prefix, fmt, ap);
	va_end(ap);
	memcpy(old, e->msg, sizeof old);
	/* Keep the prefix whole and cut the old message if it must go. */
	n = strlen(prefix);
	if (n > sizeof e->msg - 3)
		n = sizeof e->msg - 3;
	memcpy(e->msg, prefix, n);
	memcpy(e->msg + n, ": ", 2);
	strncpy(e->msg + n + 2, old, sizeof e->msg - n - 3);
	e->msg[sizeof e->msg - 1] = '\0';
	return -1;
}

int
err_exit_status(enum err_kind kind)
{
	switch (kind) {
	case ERR_REFUSED:
	case ERR_LOCKED:
		return EXIT_REFUSED;
	case ERR_USAGE:
		return EXIT_USAGE;
	case ERR_NONE:
	case ERR_INPUT:
	case ERR_IO:
	case ERR_PASS:
		return EXIT_DATA;
	}
	return EXIT_DATA;
}
