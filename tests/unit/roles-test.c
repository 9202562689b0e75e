/* roles-test.c — the registry of running roles: a registered role reads
 * back as written; every broken file is refused with its exact error; a
 * file whose process is gone is removed by the next listing, one of a
 * live process is kept, a damaged one is skipped with a warning and
 * kept. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store/roles.h"
#include "testlib.h"
#include "testws.h"
#include "util/xalloc.h"

#define GOOD_HEAD "format: minipki-role\nversion: 1\nkind: server\n" \
	"name: web\npid: 77\nstarted: 2026-12-07T19:00:00Z\n"

static void
test_roundtrip(void)
{
	struct roles_entry r, back;
	struct err e;
	char *text;
	size_t len;

	memset(&r, 0, sizeof r);
	r.kind = ROLES_CA_SERVICE;
	snprintf(r.name, sizeof r.name, "ca");
	r.pid = 4242;
	r.started = 1796670000;
	r.naddrs = 2;
	r.addrs[0].tls = 1;
	snprintf(r.addrs[0].addr, sizeof r.addrs[0].addr,
	    "unix:/tmp/a path/ca.sock");
	snprintf(r.addrs[1].addr, sizeof r.addrs[1].addr, "tcp:127.0.0.1:9080");
	CHECK_EQ(roles_format(&r, &text, &len, &e), 0);
	CHECK_EQ(roles_parse(&back, text, len, &e), 0);
	CHECK_EQ(back.kind, ROLES_CA_SERVICE);
	CHECK_STR(back.name, "ca");
	CHECK_EQ(back.pid, 4242);
	CHECK_EQ(back.started, 1796670000);
	CHECK_EQ(back.naddrs, 2);
	CHECK_EQ(back.addrs[0].tls, 1);
	CHECK_STR(back.addrs[0].addr, "unix:/tmp/a path/ca.sock");
	CHECK_EQ(back.addrs[1].tls, 0);
	CHECK_STR(back.addrs[1].addr, "tcp:127.0.0.1:9080");
	free(text);
	/* a message listener (client listen, the Inbox window) */
	r.kind = ROLES_LISTENER;
	snprintf(r.name, sizeof r.name, "bob");
	r.naddrs = 1;
	CHECK_EQ(roles_format(&r, &text, &len, &e), 0);
	CHECK(strstr(text, "\nkind: listener\n") != NULL);
	CHECK_EQ(roles_parse(&back, text, len, &e), 0);
	CHECK_EQ(back.kind, ROLES_LISTENER);
	CHECK_STR(roles_kind_name(back.kind), "listener");
	CHECK_STR(back.name, "bob");
	free(text);
}

static void
test_broken(void)
{
	static const struct {
		const char *text, *err;
	} cases[] = {
		{ "", "line 1: not a minipki role" },
		{ "- a\n", "line 1: not a minipki role" },
		{ "format: x509\n", "line 1: format: not a minipki role" },
		{ "format: minipki-role\n", "line 1: version: missing" },
		{ "format: minipki-role\nversion: 2\n",
		  "line 2: version: unsupported version (this program reads "
		  "version 1)" },
		{ "format: minipki-role\nversion: 01\n",
		  "line 2: version: not a number from 1 to 1000" },
		{ "format: minipki-role\nversion: 1\nkind: client\n",
		  "line 3: kind: not ca-service, server or listener" },
		{ "format: minipki-role\nversion: 1\nkind: [server]\n",
		  "line 3: kind: expected a single value" },
		{ "format: minipki-role\nversion: 1\nkind: server\n"
		  "name: ../x\n", "line 4: name: not a valid name" },
		{ "format: minipki-role\nversion: 1\nkind: server\nname: web\n"
		  "pid: 0\n", "line 5: pid: not a number from 1 to 4194304" },
		{ "format: minipki-role\nversion: 1\nkind: server\nname: web\n"
		  "pid: 99999999999\n", "line 5: pid: too long" },
		{ "format: minipki-role\nversion: 1\nkind: server\nname: web\n"
		  "pid: -5\n", "line 5: pid: not a number from 1 to 4194304" },
		{ "format: minipki-role\nversion: 1\nkind: server\nname: web\n"
		  "pid: 7\nstarted: yesterday\n",
		  "line 6: started: not a time YYYY-MM-DDTHH:MM:SSZ" },
		{ GOOD_HEAD, "line 1: address-1: missing" },
		{ GOOD_HEAD "address-1: ftp unix:/x\n",
		  "line 7: address-1: not \"tls ADDR\" or \"http ADDR\"" },
		{ GOOD_HEAD "address-1: tls smtp:x\n",
		  "line 7: address-1: smtp:x: an address is unix:PATH or "
		  "tcp:HOST:PORT" },
		{ GOOD_HEAD "address-1: tls unix:/x\naddress-3: tls unix:/y\n",
		  "line 8: address-3: unknown field" },
		{ GOOD_HEAD "address-1: tls unix:/x\nport: 5\n",
		  "line 8: port: unknown field" },
		{ GOOD_HEAD "address-1: &a tls unix:/x\naddress-2: *a\n",
		  "line 8: aliases are not supported" },
	};
	struct roles_entry r;
	struct err e;
	char *big;
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		err_clear(&e);
		CHECK_EQ(roles_parse(&r, cases[i].text, strlen(cases[i].text),
		    &e), -1);
		CHECK_STR(e.msg, cases[i].err);
	}
	/* An address longer than any path a socket can have. */
	big = xmalloc(ROLES_FILE_MAX + 2);
	memset(big, 'a', ROLES_FILE_MAX + 1);
	big[ROLES_FILE_MAX + 1] = '\0';
	CHECK_EQ(roles_parse(&r, big, strlen(big), &e), -1);
	CHECK_STR(e.msg, "larger than 4096 bytes");
	snprintf(big, ROLES_FILE_MAX, "%saddress-1: tls unix:/%0400d\n",
	    GOOD_HEAD, 0);
	CHECK_EQ(roles_parse(&r, big, strlen(big), &e), -1);
	CHECK_STR(e.msg, "line 7: value longer than 308 bytes");
	free(big);
}

static void
test_list(void)
{
	char dir[] = "tests/work/roles-XXXXXX";
	struct roles_entry r, *v;
	struct ws w;
	struct err e;
	char *live, *dead, *p, warn[256];
	size_t n, cleaned;
	pid_t kid;

	if (test_ws_open(&w, dir) == -1) {
		CHECK(0);
		return;
	}
	/* An empty registry: no run/ yet. */
	CHECK_EQ(roles_list(&w, &v, &n, &cleaned, NULL, 0, &e), 0);
	CHECK_EQ(n, 0);
	memset(&r, 0, sizeof r);
	r.kind = ROLES_SERVER;
	snprintf(r.name, sizeof r.name, "web");
	r.pid = (long)getpid();
	r.started = 1796670000;
	r.naddrs = 1;
	r.addrs[0].tls = 1;
	snprintf(r.addrs[0].addr, sizeof r.addrs[0].addr, "tcp:127.0.0.1:1");
	CHECK_EQ(roles_register(&w, &r, &live, &e), 0);
	/* A process that has ended: its pid is free (reaped). */
	if ((kid = fork()) == 0)
		_exit(0);
	waitpid(kid, NULL, 0);
	r.kind = ROLES_CA_SERVICE;
	r.pid = (long)kid;
	CHECK_EQ(roles_register(&w, &r, &dead, &e), 0);
	CHECK(access(dead, F_OK) == 0);
	/* A damaged file of a live process. */
	p = xasprintf("%s/run/server.1.yaml", w.dir);
	test_spit(p, "format: nope\n", 13);
	warn[0] = '\0';
	CHECK_EQ(roles_list(&w, &v, &n, &cleaned, warn, sizeof warn, &e), 0);
	CHECK_EQ(n, 1);
	CHECK_EQ(cleaned, 1);
	CHECK(access(dead, F_OK) == -1);
	CHECK(access(p, F_OK) == 0);
	CHECK_STR(warn, "run/server.1.yaml: line 1: format: not a minipki "
	    "role");
	if (n == 1) {
		CHECK_STR(v[0].name, "web");
		CHECK_EQ(v[0].pid, (long)getpid());
		CHECK_STR(v[0].addrs[0].addr, "tcp:127.0.0.1:1");
	}
	free(v);
	roles_unregister(live);
	CHECK(access(live, F_OK) == -1);
	CHECK_EQ(roles_list(&w, &v, &n, NULL, NULL, 0, &e), 0);
	CHECK_EQ(n, 0);
	free(v);
	free(live);
	free(dead);
	free(p);
	test_ws_remove(&w, dir);
}

int
main(void)
{
	test_roundtrip();
	test_broken();
	test_list();
	return test_done();
}
