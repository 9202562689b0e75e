/* httpresp.c — HTTP/1.1 responses; see httpresp.h. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <http_parser.h>

#include "net/httpresp.h"

const char *
httpresp_reason(int status)
{
	const char *s;

	if (status < 100 || status > 599)
		return "";
	s = http_status_str((enum http_status)status);
	return strcmp(s, "<unknown>") == 0 ? "" : s;
}

/* A header value may not end the line early (CR, LF) nor hold other
 * control bytes. */
static int
httpresp_value_ok(const char *v)
{
	for (; *v != '\0'; v++)
		if (((unsigned char)*v < 0x20 && *v != '\t') || *v == 0x7f)
			return 0;
	return 1;
}

/* IMF-fixdate (RFC 7231 7.1.1.1), with our own names: strftime's follow
 * the locale. */
static void
httpresp_date(int64_t t, struct buf *out)
{
	static const char days[][4] = { "Sun", "Mon", "Tue", "Wed", "Thu",
	    "Fri", "Sat" };
	static const char months[][4] = { "Jan", "Feb", "Mar", "Apr", "May",
	    "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	time_t tt = (time_t)t;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL)
		return;
	buf_printf(out, "Date: %s, %02d %s %04d %02d:%02d:%02d GMT\r\n",
	    days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
	    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

int
httpresp_write(const struct httpresp *r, struct buf *out, struct err *e)
{
	static const char *const names[] = { "Content-Type",
	    "Content-Transfer-Encoding", "WWW-Authenticate", "Allow" };
	const char *vals[4];
	int bodyless;
	size_t i;

	if (r->status < 100 || r->status > 599)
		return err_set(e, ERR_USAGE, "HTTP status %d out of range",
		    r->status);
	bodyless = r->status < 200 || r->status == 204 || r->status == 304;
	if (bodyless && r->body_len > 0)
		return err_set(e, ERR_USAGE, "HTTP status %d has no body",
		    r->status);
	if (r->retry_after < 0)
		return err_set(e, ERR_USAGE, "Retry-After %ld is negative",
		    r->retry_after);
	vals[0] = r->content_type;
	vals[1] = r->content_transfer_encoding;
	vals[2] = r->www_authenticate;
	vals[3] = r->allow;
	for (i = 0; i < 4; i++)
		if (vals[i] != NULL && !httpresp_value_ok(vals[i]))
			return err_set(e, ERR_USAGE,
			    "%s value holds a control byte", names[i]);

	buf_printf(out, "HTTP/1.1 %d %s\r\n", r->status,
	    httpresp_reason(r->status));
	if (r->date != 0)
		httpresp_date(r->date, out);
	if (r->content_type != NULL)
		buf_printf(out, "Content-Type: %s\r\n", r->content_type);
	if (!bodyless)
		buf_printf(out, "Content-Length: %zu\r\n", r->body_len);
	if (r->content_transfer_encoding != NULL)
		buf_printf(out, "Content-Transfer-Encoding: %s\r\n",
		    r->content_transfer_encoding);
	if (r->retry_after > 0)
		buf_printf(out, "Retry-After: %ld\r\n", r->retry_after);
	if (r->www_authenticate != NULL)
		buf_printf(out, "WWW-Authenticate: %s\r\n",
		    r->www_authenticate);
	if (r->allow != NULL)
		buf_printf(out, "Allow: %s\r\n", r->allow);
	if (r->close)
		buf_puts(out, "Connection: close\r\n");
	else if (r->http10)
		buf_puts(out, "Connection: keep-alive\r\n");
	buf_puts(out, "\r\n");
	if (!r->head && r->body_len > 0)
		buf_append(out, r->body, r->body_len);
	return 0;
}

void
httpresp_error(int status, int close, struct buf *out)
{
	struct httpresp r;
	char text[64];
	int n;

	memset(&r, 0, sizeof r);
	if (status < 400 || status > 599)
		status = 500;
	n = snprintf(text, sizeof text, "%d %s\n", status,
	    httpresp_reason(status));
	r.status = status;
	r.content_type = "text/plain";
	r.body = (const uint8_t *)text;
	r.body_len = n > 0 && (size_t)n < sizeof text ? (size_t)n : 0;
	r.close = close;
	(void)httpresp_write(&r, out, NULL);
}
