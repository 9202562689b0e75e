/* ws.c — the workspace directory, names and paths; see ws.h. */
#include <dirent.h>
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "asn1/der.h"
#include "store/ws.h"
#include "util/xalloc.h"

void
ws_init(struct ws *w)
{
	w->dir = NULL;
	w->warning = NULL;
}

void
ws_clear(struct ws *w)
{
	free(w->dir);
	free(w->warning);
	ws_init(w);
}

int
ws_check_name(const char *name, struct err *e)
{
	size_t i, n = strlen(name);

	for (i = 0; i < n; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
			break;
	}
	if (n == 0 || n > WS_NAME_MAX || i < n || name[0] == '.') {
		/* Show at most a bounded, printable part of a bad name. */
		char shown[WS_NAME_MAX + 4];
		size_t j;

		for (j = 0; j < n && j < WS_NAME_MAX; j++)
			shown[j] = (name[j] >= 0x20 && name[j] < 0x7f) ?
			    name[j] : '?';
		shown[j] = '\0';
		if (n > WS_NAME_MAX)
			strcat(shown, "...");
		if (n > WS_NAME_MAX)
			return err_set(e, ERR_USAGE, "invalid name '%s': at most "
			    "%d characters", shown, WS_NAME_MAX);
		if (n > 0 && name[0] == '.' && i == n)
			return err_set(e, ERR_USAGE, "invalid name '%s': must "
			    "not start with '.'", shown);
		return err_set(e, ERR_USAGE, "invalid name '%s': use letters, "
		    "digits, '.', '_' and '-'", shown);
	}
	return 0;
}

int
ws_mkdir(const char *path, struct err *e)
{
	struct stat st;

	if (mkdir(path, 0700) == 0)
		return 0;
	if (errno != EEXIST)
		return err_set(e, ERR_IO, "%s: %s", path, strerror(errno));
	if (stat(path, &st) == -1)
		return err_set(e, ERR_IO, "%s: %s", path, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return err_set(e, ERR_IO, "%s: not a directory", path);
	return 0;
}

/* mkdir -p, every created level 0700. */
static int
mkdir_parents(const char *path, struct err *e)
{
	char *p = xstrdup(path), *s;
	int rc = -1;

	for (s = p + 1; *s != '\0'; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0700) == -1 && errno != EEXIST) {
			err_set(e, ERR_IO, "%s: %s", p, strerror(errno));
			goto out;
		}
		*s = '/';
	}
	rc = ws_mkdir(p, e);
out:
	free(p);
	return rc;
}

static char *
default_dir(struct err *e)
{
	const char *s;
	struct passwd *pw;

	if ((s = getenv("MINIPKI_DIR")) != NULL && *s != '\0')
		return xstrdup(s);
	/* The XDG spec says a relative XDG_DATA_HOME is to be ignored. */
	if ((s = getenv("XDG_DATA_HOME")) != NULL && *s == '/')
		return xasprintf("%s/minipki", s);
	if ((s = getenv("HOME")) == NULL || *s == '\0') {
		if ((pw = getpwuid(getuid())) == NULL || pw->pw_dir == NULL) {
			err_set(e, ERR_IO, "cannot find the home directory: "
			    "set MINIPKI_DIR or use --dir");
			return NULL;
		}
		s = pw->pw_dir;
	}
	return xasprintf("%s/.local/share/minipki", s);
}

/* keys/ and ca/ are ours: put them back to 0700 if someone widened them. */
static int
own_subdir(const char *top, const char *sub, struct err *e)
{
	char *p = xasprintf("%s/%s", top, sub);
	struct stat st;
	int rc = -1;

	if (ws_mkdir(p, e) == -1)
		goto out;
	if (stat(p, &st) == -1) {
		err_set(e, ERR_IO, "%s: %s", p, strerror(errno));
		goto out;
	}
	if ((st.st_mode & 077) != 0 && st.st_uid == getuid() &&
	    chmod(p, 0700) == -1) {
		err_set(e, ERR_IO, "%s: %s", p, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	free(p);
	return rc;
}

int
ws_open(struct ws *w, const char *dir, struct err *e)
{
	struct stat st;
	size_t n;

	ws_clear(w);
	if (dir != NULL && *dir == '\0')
		return err_set(e, ERR_USAGE, "the workspace directory is empty");
	w->dir = dir != NULL ? xstrdup(dir) : default_dir(e);
	if (w->dir == NULL)
		return -1;
	n = strlen(w->dir);
	while (n > 1 && w->dir[n - 1] == '/')
		w->dir[--n] = '\0';
	if (mkdir_parents(w->dir, e) == -1)
		goto fail;
	if (stat(w->dir, &st) == -1) {
		err_set(e, ERR_IO, "%s: %s", w->dir, strerror(errno));
		goto fail;
	}
	if ((st.st_mode & 077) != 0)
		w->warning = xasprintf("warning: workspace %s is accessible to "
		    "other users (mode %03o); consider chmod 700", w->dir,
		    (unsigned)(st.st_mode & 0777));
	if (own_subdir(w->dir, "keys", e) == -1 ||
	    own_subdir(w->dir, "ca", e) == -1)
		goto fail;
	return 0;
fail:
	ws_clear(w);
	return -1;
}

char *
ws_keystore_path(const struct ws *w, const char *name)
{
	return xasprintf("%s/keys/%s.yaml", w->dir, name);
}

char *
ws_keystore_label(const char *name)
{
	return xasprintf("keys/%s.yaml", name);
}

char *
ws_ca_dir(const struct ws *w, const char *name)
{
	return xasprintf("%s/ca/%s", w->dir, name);
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Lists sub's entries for which keep() gives a name to record. */
static int
list_dir(const struct ws *w, const char *sub,
    char *(*keep)(const struct ws *, const char *), char ***names, size_t *np,
    struct err *e)
{
	char *path = xasprintf("%s/%s", w->dir, sub), *name;
	char **v = NULL;
	size_t n = 0;
	struct dirent *de;
	DIR *d;

	*names = NULL;
	*np = 0;
	if ((d = opendir(path)) == NULL) {
		free(path);
		if (errno == ENOENT)
			return 0;
		return err_set(e, ERR_IO, "%s/%s: %s", w->dir, sub,
		    strerror(errno));
	}
	while ((de = readdir(d)) != NULL) {
		if ((name = keep(w, de->d_name)) == NULL)
			continue;
		v = xreallocarray(v, n + 1, sizeof *v);
		v[n++] = name;
	}
	closedir(d);
	free(path);
	if (n > 0)
		qsort(v, n, sizeof *v, cmp_names);
	*names = v;
	*np = n;
	return 0;
}

static char *
keep_keystore(const struct ws *w, const char *ent)
{
	size_t n = strlen(ent);
	char *name;

	(void)w;
	if (n <= 5 || strcmp(ent + n - 5, ".yaml") != 0)
		return NULL;
	name = xstrndup(ent, n - 5);
	if (ws_check_name(name, NULL) == -1) {
		free(name);
		return NULL;
	}
	return name;
}

static char *
keep_ca(const struct ws *w, const char *ent)
{
	struct stat st;
	char *p;
	int ok;

	if (ws_check_name(ent, NULL) == -1)
		return NULL;
	p = xasprintf("%s/ca/%s/certs.yaml", w->dir, ent);
	ok = stat(p, &st) == 0 && S_ISREG(st.st_mode);
	free(p);
	return ok ? xstrdup(ent) : NULL;
}

int
ws_list_keystores(const struct ws *w, char ***names, size_t *n,
    struct err *e)
{
	return list_dir(w, "keys", keep_keystore, names, n, e);
}

int
ws_list_cas(const struct ws *w, char ***names, size_t *n, struct err *e)
{
	return list_dir(w, "ca", keep_ca, names, n, e);
}

void
ws_free_list(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

static void
put_digits(char *p, unsigned v, int n)
{
	while (n-- > 0) {
		p[n] = (char)('0' + v % 10);
		v /= 10;
	}
}

void
ws_time_format(int64_t t, char out[WS_TIME_LEN])
{
	int64_t days = t / 86400, secs = t % 86400, y;
	unsigned m, d;

	if (secs < 0) {
		secs += 86400;
		days--;
	}
	der_civil_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999) {
		/* Outside what the format can show: clamp, never overflow. */
		snprintf(out, WS_TIME_LEN, y < 0 ? "0000-01-01T00:00:00Z" :
		    "9999-12-31T23:59:59Z");
		return;
	}
	put_digits(out, (unsigned)y, 4);
	out[4] = '-';
	put_digits(out + 5, m, 2);
	out[7] = '-';
	put_digits(out + 8, d, 2);
	out[10] = 'T';
	put_digits(out + 11, (unsigned)(secs / 3600), 2);
	out[13] = ':';
	put_digits(out + 14, (unsigned)(secs / 60 % 60), 2);
	out[16] = ':';
	put_digits(out + 17, (unsigned)(secs % 60), 2);
	out[19] = 'Z';
	out[20] = '\0';
}

static int
digits(const char *s, size_t n, unsigned *v)
{
	size_t i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (unsigned)(s[i] - '0');
	}
	return 0;
}

int
ws_time_parse(const char *s, size_t len, int64_t *t)
{
	unsigned y, mo, d, h, mi, se;

	if (len != WS_TIME_LEN - 1 || s[4] != '-' || s[7] != '-' ||
	    s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z')
		return -1;
	if (digits(s, 4, &y) == -1 || digits(s + 5, 2, &mo) == -1 ||
	    digits(s + 8, 2, &d) == -1 || digits(s + 11, 2, &h) == -1 ||
	    digits(s + 14, 2, &mi) == -1 || digits(s + 17, 2, &se) == -1)
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > der_days_in_month(y, mo) ||
	    h > 23 || mi > 59 || se > 59)
		return -1;
	*t = der_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
	return 0;
}
