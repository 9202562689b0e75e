/* nameconstr-test.c — the nameConstraints extension: its DER and
 * command-line forms (good and broken, exact errors), the matching rules
 * of each name form, path validation with a constrained intermediate, and
 * negative serial numbers. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testcert.h"
#include "testlib.h"
#include "util/xalloc.h"
#include "util/buf.h"
#include "x509/nameconstr.h"
#include "x509/text.h"
#include "x509/verify.h"

/* Parses hex as a nameConstraints value; returns the text or the error
 * (caller frees). */
static char *
parse_hex(const char *hex)
{
	struct nameconstr nc;
	struct err e;
	uint8_t *b;
	size_t n;
	char *s;

	b = test_hex(hex, &n);
	err_clear(&e);
	nameconstr_init(&nc);
	if (nameconstr_parse(&nc, b, n, &e) == 0)
		s = nameconstr_text(&nc);
	else
		s = xasprintf("ERR %s", e.msg);
	nameconstr_clear(&nc);
	free(b);
	return s;
}

static void
check_hex(const char *hex, const char *want)
{
	char *s = parse_hex(hex);

	CHECK_STR(s, want);
	free(s);
}

static void
test_der(void)
{
	/* Good: permitted dNSName "ab"; excluded; IPv4 range; dirName O=x. */
	check_hex("3008a006300482026162", "permitted DNS:ab");
	check_hex("3008a106300482026162", "excluded DNS:ab");
	check_hex("300ea00c300a87080a000000ff000000", "permitted IP:10.0.0.0/8");
	check_hex("3014a0123007820561622e636430078705" "0a000000ff",
	    "ERR offset 0xf: iPAddress of 5 bytes (want 8 or 32)");
	check_hex("3014a0123010a40e300c310a3009060355040a0c0178",
	    "ERR offset 0xc: length runs past end of "
	    "RelativeDistinguishedName");
	check_hex("3014a0123010a40e300c310a3008060355040a0c0178",
	    "permitted dirName:O=x");
	check_hex("3008a0063004a3020500", "permitted x400Address");
	/* minimum 1, maximum 0: read, marked as unusable. */
	check_hex("300ba009300782026162800101",
	    "permitted DNS:ab (with minimum/maximum)");
	check_hex("300ba009300782026162810100",
	    "permitted DNS:ab (with minimum/maximum)");
	check_hex("300ba009300782026162800100", "permitted DNS:ab");

	/* Broken, each with its exact error. */
	check_hex("3000", "ERR offset 0x0: nameConstraints has neither "
	    "permittedSubtrees nor excludedSubtrees");
	check_hex("3002a000", "ERR offset 0x4: empty permittedSubtrees");
	check_hex("3004a0023000", "ERR offset 0x6: unexpected end of "
	    "GeneralSubtree");
	check_hex("300aa008300687040a000000", "ERR offset 0x6: iPAddress of 4 "
	    "bytes (want 8 or 32)");
	check_hex("300ba0093007820261628001ff",
	    "ERR offset 0xa: minimum is negative");
	check_hex("300ca00a3008820261628102007f",
	    "ERR offset 0xa: maximum is not minimally encoded");
	check_hex("3009a00730058203610062", "ERR offset 0x9: dNSName has "
	    "byte 0x00 (only printable ASCII without spaces)");
	check_hex("3007a0053003890161",
	    "ERR offset 0x6: unknown GeneralName tag 0x89");
	check_hex("30020500", "ERR offset 0x2: 2 bytes left over at end of "
	    "NameConstraints");
	check_hex("3008a0063004820261623000", "ERR offset 0xa: 2 bytes left "
	    "over at end of nameConstraints");
	check_hex("3004a006", "ERR offset 0x0: length runs past end of input");
	check_hex("3008a1073004820261628000",
	    "ERR offset 0x2: length runs past end of NameConstraints");
	check_hex("", "ERR offset 0x0: expected SEQUENCE (NameConstraints), "
	    "found end of input");
}

static void
check_list(const char *text, const char *want)
{
	struct nameconstr nc;
	struct err e;
	uint8_t *der;
	size_t len;
	char *s;

	err_clear(&e);
	nameconstr_init(&nc);
	if (nameconstr_parse_list(&nc.permitted, text, &e) == -1) {
		s = xasprintf("ERR %s", e.msg);
		CHECK_EQ(nc.permitted.n, 0);	/* the list left as it was */
	} else {
		/* What we write reads back the same. */
		der = nameconstr_encode(&nc, &len, &e);
		CHECK(der != NULL);
		s = nameconstr_text(&nc);
		nameconstr_clear(&nc);
		if (der != NULL) {
			char *back;

			CHECK_EQ(nameconstr_parse(&nc, der, len, &e), 0);
			back = nameconstr_text(&nc);
			CHECK_STR(back, s);
			free(back);
		}
		free(der);
	}
	CHECK_STR(s, want);
	free(s);
	nameconstr_clear(&nc);
}

static void
test_list(void)
{
	check_list("DNS:lab.example, .lab.example,email:ops@lab.example,"
	    "email:.lab.example,URI:lab.example,IP:10.20.0.0/16,"
	    "IP:fd00::/8,dirName:O=Lab,C=DE",
	    "permitted DNS:lab.example, DNS:.lab.example, "
	    "email:ops@lab.example, email:.lab.example, URI:lab.example, "
	    "IP:10.20.0.0/16, IP:fd00::/8, dirName:O=Lab, C=DE");
	check_list("dirName:O=Lab,C=DE,DNS:x.example,IP:0.0.0.0/0",
	    "permitted dirName:O=Lab, C=DE, DNS:x.example, IP:0.0.0.0/0");
	check_list("DNS:lab.example,IP:10.0.0.1/8", "ERR item 2 "
	    "'IP:10.0.0.1/8': host bits set below the /8 prefix");
	check_list("IP:10.0.0.0", "ERR item 1 'IP:10.0.0.0': an IP range "
	    "needs a prefix length (10.0.0.0/8, fd00::/8)");
	check_list("IP:10.0.0.0/33", "ERR item 1 'IP:10.0.0.0/33': prefix "
	    "length must be 0 to 32");
	check_list("IP:fd00::1/64", "ERR item 1 'IP:fd00::1/64': host bits "
	    "set below the /64 prefix");
	check_list("IP:lab/8", "ERR item 1 'IP:lab/8': not an IP address");
	check_list("URI:http://x", "ERR item 1 'URI:http://x': give the host "
	    "or .domain URIs must be in, not a URI");
	check_list("foo:bar", "ERR item 1 'foo:bar': unknown type 'foo' "
	    "(known: DNS, IP, email, URI, dirName)");
	check_list("email:@x", "ERR item 1 'email:@x': not a mailbox, host "
	    "or .domain");
	check_list("a b", "ERR item 1 'a b': not a DNS name or .domain");
	check_list("a,,b", "ERR item 2: empty");
	check_list("dirName:XX=1", "ERR item 1 'dirName:XX=1': unknown "
	    "attribute 'XX' (known: CN, O, OU, C, ST, L, emailAddress, "
	    "serialNumber, DC, UID, street, title, GN, SN)");
}

/* One name of form f (text, or an IP literal) against constraints given
 * in the command-line form: NULL when it passes, else the reason. */
static char *
match(const char *permit, const char *exclude, int critical,
    struct nc_name *name)
{
	struct nameconstr nc;
	struct nc_list names;
	struct err e;
	char *why = NULL;

	nameconstr_init(&nc);
	nc.critical = critical;
	if (permit != NULL)
		CHECK_EQ(nameconstr_parse_list(&nc.permitted, permit, &e), 0);
	if (exclude != NULL)
		CHECK_EQ(nameconstr_parse_list(&nc.excluded, exclude, &e), 0);
	names.v = name;
	names.n = 1;
	if (nameconstr_check(&nc, &names, &why) == 0)
		CHECK(why == NULL);
	else
		CHECK(why != NULL);
	nameconstr_clear(&nc);
	return why;
}

static void
check_match(const char *permit, const char *exclude, enum nc_form f,
    const char *value, const char *want)
{
	struct nc_name n;
	char *why;

	memset(&n, 0, sizeof n);
	dn_init(&n.dir);
	n.form = f;
	if (f == NC_IP) {
		if (inet_pton(AF_INET, value, n.ip) == 1)
			n.iplen = 4;
		else {
			CHECK(inet_pton(AF_INET6, value, n.ip) == 1);
			n.iplen = 16;
		}
	} else if (f == NC_DIR) {
		struct err e;

		CHECK_EQ(dn_from_string(&n.dir, value, &e), 0);
	} else
		n.text = (char *)value;
	why = match(permit, exclude, 1, &n);
	if (want == NULL && why != NULL)
		test_fail(__FILE__, __LINE__, "%s: unexpected \"%s\"", value,
		    why);
	else if (want != NULL)
		CHECK_STR(why, want);
	free(why);
	dn_clear(&n.dir);
}

static void
test_match(void)
{
	/* DNS: the base and names below it at a label boundary. */
	check_match("DNS:lab.example", NULL, NC_DNS, "lab.example", NULL);
	check_match("DNS:lab.example", NULL, NC_DNS, "A.LAB.example", NULL);
	check_match("DNS:lab.example", NULL, NC_DNS, "evillab.example",
	    "DNS name 'evillab.example' is not within the permitted subtrees "
	    "(DNS:lab.example)");
	check_match("DNS:.lab.example", NULL, NC_DNS, "lab.example",
	    "DNS name 'lab.example' is not within the permitted subtrees "
	    "(DNS:.lab.example)");
	check_match("DNS:.lab.example", NULL, NC_DNS, "x.lab.example", NULL);
	check_match("DNS:lab.example", "DNS:admin.lab.example", NC_DNS,
	    "db.admin.lab.example", "DNS name 'db.admin.lab.example' is "
	    "within the excluded subtree DNS:admin.lab.example");
	/* Another form is not constrained by DNS subtrees. */
	check_match("DNS:lab.example", NULL, NC_EMAIL, "x@other.example",
	    NULL);
	/* email: mailbox, host, domain. */
	check_match("email:ops@lab.example", NULL, NC_EMAIL, "ops@LAB.example",
	    NULL);
	check_match("email:ops@lab.example", NULL, NC_EMAIL, "Ops@lab.example",
	    "email address 'Ops@lab.example' is not within the permitted "
	    "subtrees (email:ops@lab.example)");
	check_match("email:lab.example", NULL, NC_EMAIL, "a@lab.example", NULL);
	check_match("email:lab.example", NULL, NC_EMAIL, "a@x.lab.example",
	    "email address 'a@x.lab.example' is not within the permitted "
	    "subtrees (email:lab.example)");
	check_match("email:.lab.example", NULL, NC_EMAIL, "a@x.lab.example",
	    NULL);
	check_match("email:.lab.example", NULL, NC_EMAIL, "a@lab.example",
	    "email address 'a@lab.example' is not within the permitted "
	    "subtrees (email:.lab.example)");
	check_match(NULL, "email:lab.example", NC_EMAIL, "no-at-sign",
	    "email address 'no-at-sign' cannot be matched against the "
	    "excluded subtree email:lab.example (no mailbox in it): refused");
	/* URI: the host part. */
	check_match("URI:.lab.example", NULL, NC_URI,
	    "https://u@www.lab.example:8443/x?y", NULL);
	check_match("URI:.lab.example", NULL, NC_URI, "https://lab.example/",
	    "URI 'https://lab.example/' is not within the permitted subtrees "
	    "(URI:.lab.example)");
	check_match("URI:lab.example", NULL, NC_URI, "ldap://lab.example", NULL);
	check_match("URI:lab.example", NULL, NC_URI, "urn:lab.example",
	    "URI 'urn:lab.example' is not within the permitted subtrees "
	    "(URI:lab.example)");
	/* IP: address and mask, family must agree. */
	check_match("IP:10.20.0.0/16", NULL, NC_IP, "10.20.255.1", NULL);
	check_match("IP:10.20.0.0/16", NULL, NC_IP, "10.21.0.1",
	    "IP address 10.21.0.1 is not within the permitted subtrees "
	    "(IP:10.20.0.0/16)");
	check_match("IP:10.20.0.0/16", NULL, NC_IP, "::ffff:10.20.0.1",
	    "IP address ::ffff:10.20.0.1 is not within the permitted subtrees "
	    "(IP:10.20.0.0/16)");
	check_match("IP:fd00::/8", "IP:fd00:bad::/32", NC_IP, "fd00:bad::1",
	    "IP address fd00:bad::1 is within the excluded subtree "
	    "IP:fd00:bad::/32");
	/* dirName: a prefix of RDNs, compared as RFC 5280 7.1 says. */
	check_match("dirName:C=DE,O=Lab", NULL, NC_DIR, "C=de,O=lab,CN=x", NULL);
	check_match("dirName:C=DE,O=Lab", NULL, NC_DIR, "C=DE,CN=x,O=Lab",
	    "directory name 'C=DE, CN=x, O=Lab' is not within the permitted "
	    "subtrees (dirName:C=DE, O=Lab)");
	check_match("dirName:C=DE,O=Lab", NULL, NC_DIR, "C=DE",
	    "directory name 'C=DE' is not within the permitted subtrees "
	    "(dirName:C=DE, O=Lab)");
}

/* Unsupported forms and bounded subtrees fail closed under a critical
 * extension and are passed over under a non-critical one. */
static void
test_fail_closed(void)
{
	struct nameconstr nc;
	struct nc_list names;
	struct nc_name n;
	struct err e;
	uint8_t *b;
	size_t len;
	char *why = NULL;

	/* permitted x400Address; excluded dNSName "ab" with minimum 1. */
	b = test_hex("3013a0063004a3020500a109300782026162800101", &len);
	nameconstr_init(&nc);
	err_clear(&e);
	CHECK_EQ(nameconstr_parse(&nc, b, len, &e), 0);
	free(b);
	memset(&n, 0, sizeof n);
	dn_init(&n.dir);
	names.v = &n;
	names.n = 1;
	n.form = NC_X400;
	nc.critical = 1;
	CHECK_EQ(nameconstr_check(&nc, &names, &why), -1);
	CHECK_STR(why, "x400Address name falls under a critical x400Address "
	    "constraint, a name form this verifier cannot match: refused");
	free(why);
	nc.critical = 0;
	CHECK_EQ(nameconstr_check(&nc, &names, &why), 0);
	n.form = NC_DNS;
	n.text = "ab";
	nc.critical = 1;
	CHECK_EQ(nameconstr_check(&nc, &names, &why), -1);
	CHECK_STR(why, "DNS name 'ab' falls under subtree DNS:ab, which has a "
	    "minimum or maximum (RFC 5280 forbids them, not supported): "
	    "refused");
	free(why);
	nc.critical = 0;
	CHECK_EQ(nameconstr_check(&nc, &names, &why), 0);
	/* A name form without constraints passes either way. */
	n.form = NC_REGISTERED_ID;
	nc.critical = 1;
	CHECK_EQ(nameconstr_check(&nc, &names, &why), 0);
	nameconstr_clear(&nc);
}

static struct rsakey key;

/* A certificate signed by key: CA with constraints nc_list (permit and
 * exclude, may be NULL), or a leaf with SANs sans. */
static void
make(struct cert_list *out, const char *subject, const char *issuer, int ca,
    const char *permit, const char *exclude, const char *sans)
{
	struct cert_template tp;
	struct dn s, i;
	struct err e;
	uint8_t serial[1] = { 0x42 }, *der;
	size_t len;

	memset(&tp, 0, sizeof tp);
	dn_init(&s);
	dn_init(&i);
	err_clear(&e);
	CHECK_EQ(dn_from_string(&s, subject, &e), 0);
	CHECK_EQ(dn_from_string(&i, issuer, &e), 0);
	tp.serial = serial;
	tp.serial_len = 1;
	tp.issuer = &i;
	tp.subject = &s;
	tp.not_before = 1600000000;
	tp.not_after = 1900000000;
	tp.subject_key = &key;
	ext_info_init(&tp.ext);
	tp.ext.has_bc = 1;
	tp.ext.ca = ca;
	tp.ext.pathlen = -1;
	if (sans != NULL) {
		tp.ext.has_san = 1;
		CHECK_EQ(san_parse_list(&tp.ext.san, sans, &e), 0);
	}
	if (permit != NULL || exclude != NULL) {
		struct nameconstr nc;

		nameconstr_init(&nc);
		if (permit != NULL)
			CHECK_EQ(nameconstr_parse_list(&nc.permitted, permit,
			    &e), 0);
		if (exclude != NULL)
			CHECK_EQ(nameconstr_parse_list(&nc.excluded, exclude,
			    &e), 0);
		tp.ext.nc = nameconstr_encode(&nc, &tp.ext.nc_len, &e);
		tp.ext.nc_critical = 1;
		nameconstr_clear(&nc);
	}
	CHECK_EQ(cert_build(&tp, &key, &der, &len, &e), 0);
	CHECK_EQ(cert_list_load(out, der, len, &e), 0);
	free(der);
	ext_info_clear(&tp.ext);
	dn_clear(&s);
	dn_clear(&i);
}

/* Verifies leaf over root and intermediates; NULL when valid, else the
 * reason (caller frees). */
static char *
verify(const struct cert_list *root, const struct cert_list *mid,
    const char *subject, const char *sans)
{
	struct cert_list leaf;
	struct verify_params p;
	struct verify_result r;
	char *s;

	cert_list_init(&leaf);
	make(&leaf, subject, "CN=Lab CA,O=Lab", 0, NULL, NULL, sans);
	memset(&p, 0, sizeof p);
	p.anchors = root;
	p.untrusted = mid;
	p.at = 1700000000;
	verify_result_init(&r);
	verify_chain(&leaf.v[0], &p, &r);
	s = r.reason != NULL ? xstrdup(r.reason) : NULL;
	if (r.code != VERIFY_OK)
		CHECK(r.code == VERIFY_NAME_CONSTRAINTS ||
		    r.code == VERIFY_MALFORMED);
	verify_result_clear(&r);
	cert_list_clear(&leaf);
	return s;
}

static void
check_verify(const struct cert_list *root, const struct cert_list *mid,
    const char *subject, const char *sans, const char *want)
{
	char *s = verify(root, mid, subject, sans);

	if (want == NULL) {
		if (s != NULL)
			test_fail(__FILE__, __LINE__, "%s: %s", subject, s);
	} else
		CHECK_STR(s, want);
	free(s);
}

static void
test_path(void)
{
	struct cert_list root, mid;

	cert_list_init(&root);
	cert_list_init(&mid);
	make(&root, "CN=Root", "CN=Root", 1, NULL, NULL, NULL);
	make(&mid, "CN=Lab CA,O=Lab", "CN=Root", 1,
	    "DNS:lab.example,IP:10.20.0.0/16,email:lab.example,dirName:O=Lab",
	    "DNS:admin.lab.example", NULL);
	{
		/* show prints the subtrees, as OpenSSL does. */
		struct buf b;

		buf_init(&b);
		text_cert(&b, &mid.v[0]);
		buf_putc(&b, '\0');
		CHECK(strstr((char *)b.data, "        X509v3 Name Constraints: "
		    "critical\n            Permitted:\n              "
		    "DNS:lab.example\n              IP:10.20.0.0/16\n"
		    "              email:lab.example\n              "
		    "dirName:O=Lab\n            Excluded:\n              "
		    "DNS:admin.lab.example\n") != NULL);
		buf_clear(&b);
	}
	check_verify(&root, &mid, "O=Lab,CN=web", "DNS:web.lab.example,"
	    "IP:10.20.1.1,email:ops@lab.example", NULL);
	check_verify(&root, &mid, "O=Lab,CN=web", "DNS:web.lab.example,"
	    "DNS:www.other.example", "name constraints of 'CN=Lab CA, O=Lab' "
	    "on 'O=Lab, CN=web': DNS name 'www.other.example' is not within "
	    "the permitted subtrees (DNS:lab.example)");
	check_verify(&root, &mid, "O=Lab,CN=x", "DNS:x.admin.lab.example",
	    "name constraints of 'CN=Lab CA, O=Lab' on 'O=Lab, CN=x': DNS name "
	    "'x.admin.lab.example' is within the excluded subtree "
	    "DNS:admin.lab.example");
	check_verify(&root, &mid, "O=Other,CN=web", "DNS:web.lab.example",
	    "name constraints of 'CN=Lab CA, O=Lab' on 'O=Other, CN=web': "
	    "subject 'O=Other, CN=web' is not within the permitted subtrees "
	    "(dirName:O=Lab)");
	check_verify(&root, &mid, "O=Lab,CN=web,emailAddress=a@b.example",
	    "DNS:web.lab.example", "name constraints of 'CN=Lab CA, O=Lab' on "
	    "'O=Lab, CN=web, emailAddress=a@b.example': subject emailAddress "
	    "'a@b.example' is not within the permitted subtrees "
	    "(email:lab.example)");
	/* No SAN: a host-like CN is checked as a DNS name (OpenSSL does, and
	 * verify_host would take it). */
	check_verify(&root, &mid, "O=Lab,CN=www.other.example", NULL,
	    "name constraints of 'CN=Lab CA, O=Lab' on 'O=Lab, "
	    "CN=www.other.example': subject CN 'www.other.example' is not "
	    "within the permitted subtrees (DNS:lab.example)");
	check_verify(&root, &mid, "O=Lab,CN=Web Server", NULL, NULL);
	/* With a dNSName SAN the CN is not a host name. */
	check_verify(&root, &mid, "O=Lab,CN=www.other.example",
	    "DNS:a.lab.example", NULL);
	cert_list_clear(&root);
	cert_list_clear(&mid);
}

static void
test_negative_serial(void)
{
	static const struct {
		const char *hex, *text;
	} v[] = {
		{ "ff", "-01" }, { "ff00", "-01:00" }, { "80", "-80" },
		{ "0080", "80" }, { "7f01", "7F:01" }, { "ff7f", "-81" },
	};
	char out[3 * CERT_MAX_SERIAL + 2];
	uint8_t *b;
	size_t i, n;

	for (i = 0; i < sizeof v / sizeof v[0]; i++) {
		b = test_hex(v[i].hex, &n);
		cert_serial_text(b, n, out, sizeof out);
		CHECK_STR(out, v[i].text);
		free(b);
	}
}

int
main(void)
{
	test_der();
	test_list();
	test_match();
	test_fail_closed();
	test_negative_serial();
	test_load_key("tests/data/key-pkcs1.pem", &key);
	test_path();
	rsakey_clear(&key);
	return test_done();
}
