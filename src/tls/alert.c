/* alert.c — alert names (RFC 8446 6, RFC 5246 7.2). */
#include <stdio.h>

#include "tls/tls.h"

static const struct {
	int code;
	const char *text;
} alert_texts[] = {
	{ 10, "a message came that the protocol did not allow there" },
	{ 20, "a record failed its integrity check: altered in transit or "
	    "wrong keys" },
	{ 22, "a record was longer than allowed" },
	{ 40, "no acceptable set of security parameters (or a required "
	    "certificate is missing)" },
	{ 42, "the peer found our certificate bad: corrupt, badly signed, or "
	    "not for this name" },
	{ 43, "the peer does not accept our certificate's type or usage" },
	{ 44, "the peer found our certificate revoked" },
	{ 45, "the peer found our certificate expired or not yet valid" },
	{ 46, "the peer could not accept our certificate" },
	{ 47, "a handshake field was out of range or inconsistent" },
	{ 48, "the peer does not trust the CA that issued our certificate" },
	{ 50, "a message could not be decoded" },
	{ 51, "a signature or Finished check failed" },
	{ 70, "the peer does not speak the protocol version offered" },
	{ 80, "the peer had an internal error" },
	{ 100, "the peer refuses renegotiation" },
	{ 109, "an extension the peer requires is missing" },
	{ 110, "an extension came that was not offered" },
	{ 116, "the peer requires a client certificate and we sent none" },
};

const char *
alert_text(int code)
{
	size_t i;

	for (i = 0; i < sizeof alert_texts / sizeof alert_texts[0]; i++)
		if (alert_texts[i].code == code)
			return alert_texts[i].text;
	return NULL;
}

static const struct {
	int code;
	const char *name;
} alert_names[] = {
	{ 0, "close_notify" },
	{ 10, "unexpected_message" },
	{ 20, "bad_record_mac" },
	{ 22, "record_overflow" },
	{ 40, "handshake_failure" },
	{ 42, "bad_certificate" },
	{ 43, "unsupported_certificate" },
	{ 44, "certificate_revoked" },
	{ 45, "certificate_expired" },
	{ 46, "certificate_unknown" },
	{ 47, "illegal_parameter" },
	{ 48, "unknown_ca" },
	{ 49, "access_denied" },
	{ 50, "decode_error" },
	{ 51, "decrypt_error" },
	{ 70, "protocol_version" },
	{ 71, "insufficient_security" },
	{ 80, "internal_error" },
	{ 86, "inappropriate_fallback" },
	{ 90, "user_canceled" },
	{ 100, "no_renegotiation" },
	{ 109, "missing_extension" },
	{ 110, "unsupported_extension" },
	{ 112, "unrecognized_name" },
	{ 113, "bad_certificate_status_response" },
	{ 115, "unknown_psk_identity" },
	{ 116, "certificate_required" },
	{ 120, "no_application_protocol" },
};

const char *
alert_name(int code)
{
	static _Thread_local char other[16];
	size_t i;

	for (i = 0; i < sizeof alert_names / sizeof alert_names[0]; i++)
		if (alert_names[i].code == code)
			return alert_names[i].name;
	snprintf(other, sizeof other, "alert(%d)", code);
	return other;
}
