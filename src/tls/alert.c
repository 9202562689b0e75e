/* alert.c — alert names and what they mean (RFC 8446 6, RFC 5246 7.2). */
#include <stdio.h>

#include "tls/tls.h"

/* One row per alert; text (NULL for some) says what it means when the peer
 * sends it to us. */
static const struct {
	int code;
	const char *name;
	const char *text;
} alerts[] = {
	{ 0, "close_notify", NULL },
	{ 10, "unexpected_message", "a message came that the protocol did "
	    "not allow there" },
	{ 20, "bad_record_mac", "a record failed its integrity check: "
	    "altered in transit or wrong keys" },
	{ 22, "record_overflow", "a record was longer than allowed" },
	{ 40, "handshake_failure", "no acceptable set of security parameters "
	    "(or a required certificate is missing)" },
	{ 42, "bad_certificate", "the peer found our certificate bad: "
	    "corrupt, badly signed, or not for this name" },
	{ 43, "unsupported_certificate", "the peer does not accept our "
	    "certificate's type or usage" },
	{ 44, "certificate_revoked", "the peer found our certificate "
	    "revoked" },
	{ 45, "certificate_expired", "the peer found our certificate expired "
	    "or not yet valid" },
	{ 46, "certificate_unknown", "the peer could not accept our "
	    "certificate" },
	{ 47, "illegal_parameter", "a handshake field was out of range or "
	    "inconsistent" },
	{ 48, "unknown_ca", "the peer does not trust the CA that issued our "
	    "certificate" },
	{ 49, "access_denied", NULL },
	{ 50, "decode_error", "a message could not be decoded" },
	{ 51, "decrypt_error", "a signature or Finished check failed" },
	{ 70, "protocol_version", "the peer does not speak the protocol "
	    "version offered" },
	{ 71, "insufficient_security", NULL },
	{ 80, "internal_error", "the peer had an internal error" },
	{ 86, "inappropriate_fallback", NULL },
	{ 90, "user_canceled", NULL },
	{ 100, "no_renegotiation", "the peer refuses renegotiation" },
	{ 109, "missing_extension", "an extension the peer requires is "
	    "missing" },
	{ 110, "unsupported_extension", "an extension came that was not "
	    "offered" },
	{ 112, "unrecognized_name", NULL },
	{ 113, "bad_certificate_status_response", NULL },
	{ 115, "unknown_psk_identity", NULL },
	{ 116, "certificate_required", "the peer requires a client "
	    "certificate and we sent none" },
	{ 120, "no_application_protocol", NULL },
};

static int
alert_find(int code)
{
	size_t i;

	for (i = 0; i < sizeof alerts / sizeof alerts[0]; i++)
		if (alerts[i].code == code)
			return (int)i;
	return -1;
}

const char *
alert_text(int code)
{
	int i = alert_find(code);

	return i >= 0 ? alerts[i].text : NULL;
}

const char *
alert_name(int code)
{
	static _Thread_local char other[16];
	int i = alert_find(code);

	if (i >= 0)
		return alerts[i].name;
	snprintf(other, sizeof other, "alert(%d)", code);
	return other;
}
