/* addr-test.c — service addresses (net/addr.c): what addr_parse reads,
 * its errors, and that what addr_format prints reads back the same. */
#include <stdio.h>
#include <string.h>

#include "net/addr.h"
#include "testlib.h"

/* Parses text, formats it and parses that: both must succeed and agree;
 * the formatted text is returned in out. */
static void
round_trip(const char *text, char *out, size_t outlen)
{
	struct addr a, b;
	struct err e;

	out[0] = '\0';
	CHECK_EQ(addr_parse(&a, text, &e), 0);
	addr_format(&a, out, outlen);
	CHECK_EQ(addr_parse(&b, out, &e), 0);
	CHECK(memcmp(&a, &b, sizeof a) == 0);
}

int
main(void)
{
	struct addr a;
	struct err e;
	char out[512];

	CHECK_EQ(addr_parse(&a, "unix:/tmp/s.sock", &e), 0);
	CHECK_EQ(a.unix_path, 1);
	CHECK_STR(a.path, "/tmp/s.sock");
	CHECK_EQ(addr_parse(&a, "tcp:8443", &e), 0);
	CHECK_STR(a.host, "127.0.0.1");
	CHECK_STR(a.port, "8443");
	CHECK_EQ(addr_parse(&a, "tcp:[::1]:443", &e), 0);
	CHECK_STR(a.host, "::1");
	CHECK_EQ(addr_parse(&a, "tcp:::1:443", &e), 0);
	CHECK_STR(a.host, "::1");

	round_trip("tcp:[::1]:443", out, sizeof out);
	CHECK_STR(out, "tcp:[::1]:443");
	round_trip("tcp:::1:443", out, sizeof out);
	CHECK_STR(out, "tcp:[::1]:443");
	round_trip("tcp::0", out, sizeof out);
	CHECK_STR(out, "tcp:127.0.0.1:0");
	round_trip("tcp:[ca.example]:9000", out, sizeof out);
	CHECK_STR(out, "tcp:ca.example:9000");
	round_trip("unix:/run/x y.sock", out, sizeof out);
	CHECK_STR(out, "unix:/run/x y.sock");

	CHECK_ERR(addr_parse(&a, "udp:1.2.3.4:5", &e), &e,
	    "udp:1.2.3.4:5: an address is unix:PATH or tcp:HOST:PORT");
	CHECK_ERR(addr_parse(&a, "tcp:[::1:5", &e), &e,
	    "tcp:[::1:5: want tcp:[IPV6]:PORT");
	CHECK_ERR(addr_parse(&a, "tcp:h:65536", &e), &e,
	    "tcp:h:65536: the port must be a number from 0 to 65535");
	CHECK_ERR(addr_parse(&a, "unix:", &e), &e,
	    "unix:: the socket path is empty or longer than 107 bytes");
	/* Found by fuzz-addr (corpus/addr/bracket-in-host): a host with a
	 * bracket printed as "tcp:[:8443::1]]:8443", which did not read
	 * back. */
	CHECK_ERR(addr_parse(&a, "tcp::8443::1]:8443", &e), &e,
	    "tcp::8443::1]:8443: a host cannot contain '[' or ']' (only "
	    "tcp:[IPV6]:PORT brackets one)");
	CHECK_ERR(addr_parse(&a, "tcp:[[x]:5", &e), &e,
	    "tcp:[[x]:5: a host cannot contain '[' or ']'");
	CHECK_ERR(addr_parse(&a, "tcp:a:]b:1", &e), &e,
	    "tcp:a:]b:1: a host cannot contain '[' or ']'");
	return test_done();
}
