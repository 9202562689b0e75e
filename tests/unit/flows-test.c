/* flows-test — the pieces of the classroom flows that parse or wait:
 * the message framing (net/frame.h: whole and byte by byte, each refusal
 * with its exact message), the inbox index (store/inbox.h: written and
 * read back, a torn tail skipped then cut, damage named by its line, one
 * writer at a time) and the wait for a peer that is not up yet
 * (net/dialwait.h: the backoff, the exact error when the wait runs out, a
 * connect that goes through once the listener appears). */
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net/addr.h"
#include "net/dialwait.h"
#include "net/frame.h"
#include "store/inbox.h"
#include "testlib.h"
#include "testws.h"

/* ---- frames ---- */

/* b must be refused with msg, whole and at every prefix that already
 * shows the fault. */
static void
frame_refused(const uint8_t *b, size_t n, const char *msg)
{
	struct frame f;
	struct err e;
	size_t used;

	err_clear(&e);
	CHECK_ERR(frame_parse(b, n, &f, &used, &e), &e, msg);
	CHECK_STR(e.msg, msg);
	CHECK_EQ(e.kind, ERR_INPUT);
	CHECK_EQ(used, 0);
}

static void
test_frames(void)
{
	struct buf b;
	struct frame f;
	struct err e;
	size_t used, i;
	uint8_t h[FRAME_HDR + 4];

	buf_init(&b);
	frame_put(&b, FRAME_MSG, "\x30\x00", 2);
	frame_put(&b, FRAME_VERDICT, "message 1: good", 15);
	CHECK_EQ(b.len, 2 * FRAME_HDR + 2 + 15);
	CHECK_MEM(b.data, "MM\x01\x01\x00\x00\x00\x02\x30\x00", 10);
	/* every proper prefix of the first frame asks for more */
	for (i = 0; i < FRAME_HDR + 2; i++) {
		CHECK_EQ(frame_parse(b.data, i, &f, &used, &e), 0);
		CHECK_EQ(used, 0);
	}
	CHECK_EQ(frame_parse(b.data, b.len, &f, &used, &e), 1);
	CHECK_EQ(f.type, FRAME_MSG);
	CHECK_EQ(f.len, 2);
	CHECK_EQ(used, FRAME_HDR + 2);
	CHECK_EQ(frame_parse(b.data + used, b.len - used, &f, &used, &e), 1);
	CHECK_EQ(f.type, FRAME_VERDICT);
	CHECK(f.len == 15 && memcmp(f.body, "message 1: good", 15) == 0);
	buf_clear(&b);

	frame_refused((const uint8_t *)"GET / HTTP/1.1\r\n", 16,
	    "frame: bad magic 0x4745");
	frame_refused((const uint8_t *)"X", 1, "frame: bad magic 0x5800");
	frame_refused((const uint8_t *)"MM\x02", 3,
	    "frame: version 2 (only 1)");
	frame_refused((const uint8_t *)"MM\x01\x05", 4,
	    "frame: unknown type 0x05");
	frame_refused((const uint8_t *)"MM\x01\x01\x00\x00\x00\x00", 8,
	    "frame: empty MSG");
	/* too long: refused from the header, before the body is waited for */
	frame_refused((const uint8_t *)"MM\x01\x01\x00\x10\x00\x01", 8,
	    "frame: MSG of 1048577 bytes (at most 1048576)");
	frame_refused((const uint8_t *)"MM\x01\x81\x00\x00\x04\x01", 8,
	    "frame: VERDICT of 1025 bytes (at most 1024)");
	frame_refused((const uint8_t *)"MM\x01\x01\xff\xff\xff\xff", 8,
	    "frame: MSG of 4294967295 bytes (at most 1048576)");
	memcpy(h, "MM\x01\x81\x00\x00\x00\x04" "ab\nc", sizeof h);
	frame_refused(h, sizeof h, "frame: VERDICT: byte 0x0a at offset 2 "
	    "is not printable");
}

/* ---- the inbox ---- */

static const char rec1[] =
    "---\n"
    "id: 1\n"
    "time: 2026-12-07T18:12:46Z\n"
    "from: \"CN=carol\"\n"
    "peer: \"CN=carol\"\n"
    "verdict: good\n"
    "why: \"signature, chain and status good: good (OCSP)\"\n"
    "size: 2099\n"
    "file: 000000001.cms\n"
    "sum: 14ba616bba3c1aeea39b315c2e1aa4a9dd7089b47946fc1bbba4e2aa68d6a8d9\n"
    "...\n";

static void
inbox_refused(const char *text, const char *msg)
{
	struct inbox ib;
	struct err e;

	inbox_init(&ib);
	err_clear(&e);
	CHECK_ERR(inbox_parse(&ib, text, strlen(text), "ix", &e), &e, msg);
	CHECK_STR(e.msg, msg);
	CHECK_EQ(ib.n, 0);
	inbox_clear(&ib);
}

/* text with the first from replaced by to */
static char *
edit(const char *text, const char *from, const char *to)
{
	const char *p = strstr(text, from);
	char *out;

	if (p == NULL)
		abort();
	if (asprintf(&out, "%.*s%s%s", (int)(p - text), text, to,
	    p + strlen(from)) == -1)
		abort();
	return out;
}

static void
test_inbox_parse(void)
{
	struct inbox ib;
	struct err e;
	char *text, *bad;
	size_t cut;

	if (asprintf(&text, "# minipki-inbox 1\n# a comment\n%s", rec1) == -1)
		abort();
	inbox_init(&ib);
	CHECK_EQ(inbox_parse(&ib, text, strlen(text), "ix", &e), 0);
	CHECK_EQ(ib.n, 1);
	CHECK_EQ(ib.torn, 0);
	CHECK_EQ(ib.good_len, strlen(text));
	if (ib.n == 1) {
		CHECK_EQ(ib.v[0].id, 1);
		CHECK_STR(ib.v[0].from, "CN=carol");
		CHECK_STR(ib.v[0].verdict, "good");
		CHECK_EQ(ib.v[0].size, 2099);
		CHECK_STR(ib.v[0].file, "000000001.cms");
	}
	/* every cut inside the record is a torn tail, skipped */
	for (cut = strlen(text) - strlen(rec1) + 1; cut < strlen(text); cut++) {
		CHECK_EQ(inbox_parse(&ib, text, cut, "ix", &e), 0);
		CHECK_EQ(ib.n, 0);
		CHECK_EQ(ib.torn, 1);
		CHECK_EQ(ib.good_len, strlen(text) - strlen(rec1));
	}
	inbox_clear(&ib);

	inbox_refused("# minipki-cadb 1\n", "ix: line 1: not an inbox index "
	    "(expected '# minipki-inbox 1')");
	bad = edit(text, "verdict: good", "verdict: fine");
	inbox_refused(bad, "ix: line 8: verdict: not one of good, revoked, "
	    "invalid, unknown, unchecked");
	free(bad);
	bad = edit(text, "CN=carol\"\npeer", "CN=mallory\"\npeer");
	inbox_refused(bad, "ix: line 12: sum: does not match the record");
	free(bad);
	bad = edit(text, "id: 1", "id: 2");
	inbox_refused(bad, "ix: line 11: file: not 000000002.cms");
	free(bad);
	bad = edit(text, "peer: ", "peer:");
	inbox_refused(bad, "ix: line 7: expected 'peer: ...'");
	free(bad);
	bad = edit(text, "size: 2099", "size: 02099");
	inbox_refused(bad, "ix: line 10: size: not a number up to 1048576");
	free(bad);
	bad = edit(text, "from: \"CN=carol\"", "from: \"CN=\\q\"");
	inbox_refused(bad, "ix: line 6: from: bad escape \\q");
	free(bad);
	bad = edit(text, "time: 2026-12-07T18:12:46Z", "time: yesterday");
	inbox_refused(bad, "ix: line 5: time: not YYYY-MM-DDTHH:MM:SSZ");
	free(bad);
	bad = edit(text, "...\n", "..\n");
	inbox_refused(bad, "ix: line 13: expected '...' (end of record)");
	free(bad);
	free(text);
	/* a record with id 1 twice: the second is out of sequence (its sum
	 * is good: it is the same record) */
	if (asprintf(&text, "# minipki-inbox 1\n%s%s", rec1, rec1) == -1)
		abort();
	inbox_refused(text, "ix: line 23: record 2 has id 1");
	free(text);
	if (asprintf(&text, "# minipki-inbox 1\n%sjunk\n", rec1) == -1)
		abort();
	inbox_refused(text, "ix: line 13: expected '---' (a record)");
	free(text);
}

static void
test_inbox_store(void)
{
	char dir[] = "tests/work/flows-test-XXXXXX";
	struct ws w;
	struct inbox_writer iw, other;
	struct inbox_rec r;
	struct inbox ib;
	struct err e;
	char *path;
	int fd;

	if (test_ws_open(&w, dir) == -1) {
		CHECK(0);
		return;
	}
	inbox_init(&ib);
	CHECK_EQ(inbox_read(&w, "bob", &ib, &e), 0);	/* none yet */
	CHECK_EQ(ib.n, 0);
	CHECK_EQ(inbox_open(&iw, &w, "bob", &e), 0);
	/* one writer at a time */
	CHECK_EQ(inbox_open(&other, &w, "bob", &e), -1);
	CHECK_EQ(e.kind, ERR_LOCKED);
	CHECK(strncmp(e.msg, "inbox 'bob' is in use by another listener "
	    "(pid ", 47) == 0);
	memset(&r, 0, sizeof r);
	r.time = 1765130000;
	r.from = "CN=carol \"the\" sender";
	r.peer = "CN=carol";
	snprintf(r.verdict, sizeof r.verdict, "revoked");
	r.why = "the signer is revoked (keyCompromise)\nsecond line";
	CHECK_EQ(inbox_add(&iw, &r, (const uint8_t *)"\x30\x00", 2, &e), 0);
	CHECK_EQ(r.id, 1);
	r.why = "x";
	CHECK_EQ(inbox_add(&iw, &r, (const uint8_t *)"\x30\x00", 2, &e), 0);
	CHECK_EQ(r.id, 2);
	CHECK_STR(r.file, "000000002.cms");
	inbox_close(&iw);
	CHECK_EQ(inbox_read(&w, "bob", &ib, &e), 0);
	CHECK_EQ(ib.n, 2);
	if (ib.n == 2) {
		CHECK_STR(ib.v[0].from, "CN=carol \"the\" sender");
		CHECK_STR(ib.v[0].why, "the signer is revoked (keyCompromise)"
		    "\nsecond line");
		CHECK_STR(ib.v[1].verdict, "revoked");
		CHECK_EQ(ib.v[1].size, 2);
	}
	/* a crash while appending: half a record at the end */
	if (asprintf(&path, "%s/inbox/bob/index.yaml", w.dir) == -1)
		abort();
	test_append(path, "---\nid: 3\ntime: 2026-");
	CHECK_EQ(inbox_read(&w, "bob", &ib, &e), 0);
	CHECK_EQ(ib.n, 2);
	CHECK_EQ(ib.torn, 1);
	/* the next writer cuts it off (kept in index.yaml.torn) and goes on
	 * from id 3 */
	CHECK_EQ(inbox_open(&iw, &w, "bob", &e), 0);
	CHECK_EQ(iw.next, 3);
	CHECK_EQ(inbox_add(&iw, &r, (const uint8_t *)"\x30\x00", 2, &e), 0);
	CHECK_EQ(r.id, 3);
	inbox_close(&iw);
	CHECK_EQ(inbox_read(&w, "bob", &ib, &e), 0);
	CHECK_EQ(ib.n, 3);
	CHECK_EQ(ib.torn, 0);
	free(path);
	if (asprintf(&path, "%s/inbox/bob/index.yaml.torn", w.dir) == -1)
		abort();
	fd = open(path, 0);
	CHECK(fd != -1);
	if (fd != -1)
		close(fd);
	free(path);
	/* a damaged record stops the listener from appending after it */
	if (asprintf(&path, "%s/inbox/bob/index.yaml", w.dir) == -1)
		abort();
	test_append(path, "---\nid: 4\nnonsense\n");
	CHECK_EQ(inbox_open(&iw, &w, "bob", &e), -1);
	CHECK_STR(e.msg, "inbox/bob/index.yaml: line 37: expected 'time: "
	    "...'");
	free(path);
	inbox_clear(&ib);
	test_ws_remove(&w, dir);
}

/* ---- waiting for a peer ---- */

static int said;
static char last_said[600];

static void
say(void *ctx, const char *line)
{
	(void)ctx;
	said++;
	snprintf(last_said, sizeof last_said, "%s", line);
}

static void
test_dialwait(void)
{
	struct dialwait w = { .wait_s = 1, .what = "the listener", .say = say };
	struct addr a;
	struct err e;
	char path[] = "tests/work/flows-sock-XXXXXX", sock[200], name[220];
	int fd, lfd, p, i;
	pid_t pid;

	p = 0;
	for (i = 0; i < 8; i++)
		p = dialwait_backoff(p);
	CHECK_EQ(dialwait_backoff(0), 100);
	CHECK_EQ(dialwait_backoff(100), 200);
	CHECK_EQ(dialwait_backoff(800), 1600);
	CHECK_EQ(p, DIALWAIT_CAP_MS);
	CHECK(dialwait_retryable(ENOENT) && dialwait_retryable(ECONNREFUSED));
	CHECK(!dialwait_retryable(EACCES));

	if (mkdtemp(path) == NULL) {
		CHECK(0);
		return;
	}
	snprintf(sock, sizeof sock, "%s/l.sock", path);
	snprintf(name, sizeof name, "unix:%s", sock);
	CHECK_EQ(addr_parse(&a, name, &e), 0);
	/* no wait: the first refusal is the error */
	CHECK_ERR(dialwait_connect(&a, 1, NULL, &fd, &e), &e, "");
	CHECK(strstr(e.msg, "No such file or directory") != NULL);
	/* a wait that runs out: the exact error, one line said */
	said = 0;
	CHECK_ERR(dialwait_connect(&a, 1, &w, &fd, &e), &e, "");
	{
		char want[400];

		snprintf(want, sizeof want, "connect to %s: not up after 1 s "
		    "(No such file or directory)", name);
		CHECK_STR(e.msg, want);
	}
	CHECK_EQ(said, 1);
	/* the listener comes up while we wait: connected, two lines said
	 * (waiting, then up) */
	pid = fork();
	if (pid == 0) {
		struct addr la;

		usleep(400 * 1000);
		if (addr_parse(&la, name, &e) == -1 ||
		    addr_listen(&la, &lfd, &e) == -1)
			_exit(1);
		sleep(3);
		_exit(0);
	}
	said = 0;
	w.wait_s = 10;
	CHECK_EQ(dialwait_connect(&a, 1, &w, &fd, &e), 0);
	CHECK_EQ(said, 2);
	CHECK(strstr(last_said, "the listener at unix:") != NULL &&
	    strstr(last_said, " is up after ") != NULL);
	close(fd);
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	unlink(sock);
	rmdir(path);
}

int
main(void)
{
	test_frames();
	test_inbox_parse();
	test_inbox_store();
	test_dialwait();
	return test_done();
}
