/* json-test — the test-only JSON reader that wycheproof-test relies on:
 * values, escapes, and the exact errors for malformed documents. */
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "testlib.h"

static struct json *
parse(const char *s, char *err, size_t errlen)
{
	err[0] = '\0';
	return json_parse(s, strlen(s), err, errlen);
}

static void
bad(const char *doc, const char *want)
{
	char err[256];
	struct json *j = parse(doc, err, sizeof err);

	CHECK(j == NULL);
	test_checks++;
	if (strstr(err, want) == NULL)
		test_fail(__FILE__, __LINE__, "%s: want \"%s\", got \"%s\"",
		    doc, want, err);
	json_free(j);
}

int
main(void)
{
	char err[256], deep[200];
	struct json *j;
	const struct json *a;
	size_t i;

	j = parse("{\"n\": -12, \"s\": \"a\\\"b\\u00e9\\ud83d\\ude00\\n\","
	    " \"t\": [true, false, null, 1.5e2, {}, []], \"e\": \"\"}",
	    err, sizeof err);
	CHECK(j != NULL);
	CHECK_EQ(j->type, JSON_OBJECT);
	CHECK_EQ(j->count, 4);
	CHECK_EQ(json_get_int(j, "n", 0), -12);
	CHECK_STR(json_get_str(j, "s"), "a\"b\xc3\xa9\xf0\x9f\x98\x80\n");
	CHECK_STR(json_get_str(j, "e"), "");
	CHECK(json_get_str(j, "n") == NULL);
	CHECK(json_get(j, "missing") == NULL);
	CHECK_EQ(json_get_int(j, "missing", 7), 7);
	a = json_get(j, "t");
	CHECK(a != NULL && a->type == JSON_ARRAY && a->count == 6);
	if (a != NULL && a->count == 6) {
		CHECK(a->child->type == JSON_BOOL && a->child->boolean == 1);
		CHECK(a->child->next->boolean == 0);
		CHECK_EQ(a->child->next->next->type, JSON_NULL);
		CHECK(a->child->next->next->next->num == 150.0);
		CHECK_EQ(a->child->next->next->next->next->type, JSON_OBJECT);
	}
	json_free(j);

	bad("{\"a\": 1,}", "offset 8: expected a member name");
	bad("[1, 2", "offset 5: unterminated array");
	bad("\"abc", "offset 4: unterminated string");
	bad("[1] x", "offset 4: data after the document");
	bad("\"\\ud800x\"", "lone high surrogate");
	bad("\"\\udc00\"", "lone low surrogate");
	bad("\"\\q\"", "offset 2: bad escape \\q");
	bad("\"a\nb\"", "offset 2: control character in string");
	bad("{\"a\" 1}", "expected ':'");
	bad("[tru]", "offset 1: unexpected character");
	bad("[-]", "bad number");
	bad("[1.2.3]", "bad number");
	bad("", "offset 0: value expected");
	for (i = 0; i < 100; i++)
		deep[i] = '[';
	deep[100] = '\0';
	bad(deep, "nesting deeper than 64");
	return test_done();
}
