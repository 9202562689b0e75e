/* ws-test.c — workspace: directory choice and modes, names, listing,
 * time strings. */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/ws.h"
#include "testlib.h"

static int
rm_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	return remove(p);
}

static void
rm_rf(const char *dir)
{
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static int
mode_of(const char *path)
{
	struct stat st;

	if (stat(path, &st) == -1)
		return -1;
	return (int)(st.st_mode & 0777);
}

static void
test_names(void)
{
	struct err e;
	char longname[80];

	CHECK_EQ(ws_check_name("alice", &e), 0);
	CHECK_EQ(ws_check_name("web-01.lab_x", &e), 0);
	CHECK_EQ(ws_check_name("a", &e), 0);
	CHECK_ERR(ws_check_name("x/y", &e), &e,
	    "invalid name 'x/y': use letters, digits, '.', '_' and '-'");
	CHECK_EQ(e.kind, ERR_USAGE);
	CHECK_ERR(ws_check_name("", &e), &e, "invalid name '': use letters");
	CHECK_ERR(ws_check_name("..", &e), &e, "invalid name '..': must not "
	    "start with '.'");
	CHECK_ERR(ws_check_name(".hidden", &e), &e, "must not start with '.'");
	CHECK_ERR(ws_check_name("a b", &e), &e, "invalid name 'a b'");
	CHECK_ERR(ws_check_name("caf\xc3\xa9", &e), &e, "invalid name 'caf?\?'");
	CHECK_ERR(ws_check_name("a\nb", &e), &e, "invalid name 'a?b'");
	memset(longname, 'a', 64);
	longname[64] = '\0';
	CHECK_EQ(ws_check_name(longname, &e), 0);
	longname[64] = 'b';
	longname[65] = '\0';
	CHECK_ERR(ws_check_name(longname, &e), &e, "at most 64 characters");
}

static void
test_times(void)
{
	char s[WS_TIME_LEN];
	int64_t t;

	ws_time_format(0, s);
	CHECK_STR(s, "1970-01-01T00:00:00Z");
	ws_time_format(1795419825, s);	/* date -u -d @1795419825 */
	CHECK_STR(s, "2026-11-23T07:43:45Z");
	ws_time_format(951782400, s);
	CHECK_STR(s, "2000-02-29T00:00:00Z");
	ws_time_format(-1, s);
	CHECK_STR(s, "1969-12-31T23:59:59Z");
	ws_time_format(253402300799LL, s);
	CHECK_STR(s, "9999-12-31T23:59:59Z");
	CHECK_EQ(ws_time_parse("2026-11-23T07:43:45Z", 20, &t), 0);
	CHECK_EQ(t, 1795419825);
	CHECK_EQ(ws_time_parse("2000-02-29T00:00:00Z", 20, &t), 0);
	CHECK_EQ(t, 951782400);
	CHECK_EQ(ws_time_parse("1900-02-29T00:00:00Z", 20, &t), -1);
	CHECK_EQ(ws_time_parse("2026-13-01T00:00:00Z", 20, &t), -1);
	CHECK_EQ(ws_time_parse("2026-11-23 09:43:45Z", 20, &t), -1);
	CHECK_EQ(ws_time_parse("2026-11-23T09:43:45", 19, &t), -1);
	CHECK_EQ(ws_time_parse("2026-11-23T24:00:00Z", 20, &t), -1);
	CHECK_EQ(ws_time_parse("2026-1a-23T09:43:45Z", 20, &t), -1);

	/* Format and parse are inverse over the whole range, every 4-, 100-
	 * and 400-year rule crossed, and the extremes clamp. */
	{
		int64_t u, bad = 0, steps = 0;

		for (u = -62167219200LL; u <= 253402300799LL;
		    u += 86400LL * 37 + 4001) {
			ws_time_format(u, s);
			if (ws_time_parse(s, strlen(s), &t) != 0 || t != u)
				bad++;
			steps++;
		}
		CHECK_EQ(bad, 0);
		CHECK(steps > 90000);
	}
	ws_time_format(-62167219200LL, s);
	CHECK_STR(s, "0000-01-01T00:00:00Z");
	ws_time_format(-62167219201LL, s);
	CHECK_STR(s, "0000-01-01T00:00:00Z");
	ws_time_format(253402300800LL, s);
	CHECK_STR(s, "9999-12-31T23:59:59Z");
	ws_time_format(4107542400LL, s);	/* 2100 is not a leap year */
	CHECK_STR(s, "2100-03-01T00:00:00Z");
	CHECK_EQ(ws_time_parse("2100-02-29T00:00:00Z", 20, &t), -1);
	CHECK_EQ(ws_time_parse("2400-02-29T12:00:00Z", 20, &t), 0);
	CHECK_EQ(t, 13574563200LL + 43200);
}

static void
test_dirs(const char *top)
{
	struct ws w;
	struct err e;
	char *p, **names;
	size_t n;
	FILE *f;

	ws_init(&w);
	/* MINIPKI_DIR wins over XDG_DATA_HOME; --dir over both. */
	p = malloc(strlen(top) + 32);
	sprintf(p, "%s/env", top);
	setenv("MINIPKI_DIR", p, 1);
	setenv("XDG_DATA_HOME", top, 1);
	CHECK_EQ(ws_open(&w, NULL, &e), 0);
	CHECK_STR(w.dir, p);
	unsetenv("MINIPKI_DIR");
	CHECK_EQ(ws_open(&w, NULL, &e), 0);
	sprintf(p, "%s/minipki", top);
	CHECK_STR(w.dir, p);
	CHECK_EQ(mode_of(p), 0700);
	setenv("XDG_DATA_HOME", "relative/ignored", 1);
	setenv("HOME", top, 1);
	CHECK_EQ(ws_open(&w, NULL, &e), 0);
	sprintf(p, "%s/.local/share/minipki", top);
	CHECK_STR(w.dir, p);
	sprintf(p, "%s/.local", top);
	CHECK_EQ(mode_of(p), 0700);
	free(p);

	/* An explicit directory, nested and missing: created 0700 with
	 * keys/ and ca/. */
	p = malloc(strlen(top) + 64);
	sprintf(p, "%s/given/deeper/", top);
	setenv("MINIPKI_DIR", "/nonexistent/never", 1);
	CHECK_EQ(ws_open(&w, p, &e), 0);
	sprintf(p, "%s/given/deeper", top);
	CHECK_STR(w.dir, p);
	CHECK(w.warning == NULL);
	CHECK_EQ(mode_of(p), 0700);
	sprintf(p, "%s/given/deeper/keys", top);
	CHECK_EQ(mode_of(p), 0700);
	sprintf(p, "%s/given/deeper/ca", top);
	CHECK_EQ(mode_of(p), 0700);
	/* Widened modes: the top gets a warning, keys/ is put back. */
	chmod(p, 0755);
	sprintf(p, "%s/given/deeper", top);
	chmod(p, 0755);
	CHECK_EQ(ws_open(&w, p, &e), 0);
	CHECK(w.warning != NULL && strstr(w.warning, "accessible to other "
	    "users (mode 755)") != NULL);
	CHECK_EQ(mode_of(p), 0755);
	sprintf(p, "%s/given/deeper/ca", top);
	CHECK_EQ(mode_of(p), 0700);

	/* A file where the workspace should be. */
	sprintf(p, "%s/afile", top);
	f = fopen(p, "w");
	fclose(f);
	CHECK_ERR(ws_open(&w, p, &e), &e, "afile: not a directory");
	CHECK_EQ(e.kind, ERR_IO);
	CHECK(w.dir == NULL);

	/* Listing: valid names only, sorted. */
	sprintf(p, "%s/list", top);
	CHECK_EQ(ws_open(&w, p, &e), 0);
	CHECK_EQ(ws_list_keystores(&w, &names, &n, &e), 0);
	CHECK_EQ(n, 0);
	ws_free_list(names, n);
	{
		static const char *files[] = { "keys/zed.yaml", "keys/alice.yaml",
		    "keys/.hidden.yaml", "keys/notes.txt", "keys/bad name.yaml",
		    "keys/bob.yaml.tmp.123" };
		size_t i;
		char *q;

		for (i = 0; i < sizeof files / sizeof files[0]; i++) {
			q = malloc(strlen(p) + 40);
			sprintf(q, "%s/%s", p, files[i]);
			f = fopen(q, "w");
			fclose(f);
			free(q);
		}
	}
	CHECK_EQ(ws_list_keystores(&w, &names, &n, &e), 0);
	CHECK_EQ(n, 2);
	if (n == 2) {
		CHECK_STR(names[0], "alice");
		CHECK_STR(names[1], "zed");
	}
	ws_free_list(names, n);
	free(p);
	p = ws_keystore_path(&w, "alice");
	CHECK(strstr(p, "/list/keys/alice.yaml") != NULL);
	free(p);
	p = ws_keystore_label("alice");
	CHECK_STR(p, "keys/alice.yaml");
	free(p);
	ws_clear(&w);
}

int
main(void)
{
	char top[] = "tests/work/ws-XXXXXX";
	char *abs;

	test_names();
	test_times();
	mkdir("tests/work", 0755);
	if (mkdtemp(top) == NULL) {
		perror(top);
		return 1;
	}
	abs = realpath(top, NULL);
	test_dirs(abs);
	rm_rf(abs);
	free(abs);
	return test_done();
}
