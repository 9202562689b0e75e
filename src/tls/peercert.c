/* peercert.c — the peer's certificate chain: parse, validate with
 * x509/verify.h, and choose the alert that says why it is refused. */
#include <stdlib.h>
#include <string.h>

#include "tls/internal.h"
#include "util/xalloc.h"
#include "x509/verify.h"

static int
peercert_alert(enum verify_code c)
{
	switch (c) {
	case VERIFY_NO_ISSUER:
	case VERIFY_SELF_SIGNED_LEAF:
		return TLS_ALERT_UNKNOWN_CA;
	case VERIFY_EXPIRED:
	case VERIFY_NOT_YET_VALID:
		return TLS_ALERT_CERTIFICATE_EXPIRED;
	case VERIFY_BAD_SIGNATURE:
	case VERIFY_MALFORMED:
	case VERIFY_HOST_MISMATCH:
		return TLS_ALERT_BAD_CERTIFICATE;
	case VERIFY_REVOKED:
		return TLS_ALERT_CERTIFICATE_REVOKED;
	case VERIFY_KEY_USAGE:
	case VERIFY_EKU:
	case VERIFY_UNSUPPORTED_KEY:
		return TLS_ALERT_UNSUPPORTED_CERTIFICATE;
	default:
		return TLS_ALERT_CERTIFICATE_UNKNOWN;
	}
}

int
peercert_check(struct tls_engine *t, const uint8_t *const *ders,
    const size_t *lens, size_t n)
{
	struct verify_params p;
	struct verify_result res;
	struct cert_list untrusted;
	struct err e;
	struct buf steps;
	size_t i;
	char *s, *nl, *line;
	int rc = -1;

	if (n > TLS_MAX_CHAIN)
		return engine_fail(t, TLS_ALERT_BAD_CERTIFICATE, "peer sent %zu "
		    "certificates (at most %d accepted)", n, TLS_MAX_CHAIN);
	cert_list_clear(&t->peer_chain);
	cert_list_init(&t->peer_chain);
	for (i = 0; i < n; i++) {
		err_clear(&e);
		if (cert_list_load(&t->peer_chain, ders[i], lens[i], &e) == -1 ||
		    t->peer_chain.n != i + 1)
			return engine_fail(t, TLS_ALERT_BAD_CERTIFICATE, "peer "
			    "certificate %zu does not parse: %s", i + 1, e.msg);
		if (trace_on(t)) {
			s = dn_to_string(&t->peer_chain.v[i].subject);
			trace_printf(t, "    certificate %zu: %s", i + 1, s);
			free(s);
		}
	}
	if (t->peer_chain.v[0].key_alg != OID_RSA_ENCRYPTION)
		return engine_fail(t, TLS_ALERT_UNSUPPORTED_CERTIFICATE, "peer "
		    "certificate key is not RSA");
	memset(&p, 0, sizeof p);
	untrusted.v = t->peer_chain.v + 1;	/* borrowed: not cleared */
	untrusted.n = n - 1;
	p.anchors = t->cfg->anchors;
	p.untrusted = &untrusted;
	p.purpose = t->cfg->is_server ? VERIFY_PURPOSE_CLIENT :
	    VERIFY_PURPOSE_SERVER;
	p.host = t->cfg->is_server ? NULL : t->cfg->server_name;
	p.at = t->now;
	p.crls = t->cfg->crls;
	p.crl_names = t->cfg->crl_names;
	p.ncrls = t->cfg->ncrls;
	verify_result_init(&res);
	verify_chain(&t->peer_chain.v[0], &p, &res);
	if (trace_on(t)) {
		buf_init(&steps);
		verify_render(&steps, &res);
		for (line = (char *)steps.data; line != NULL && *line != '\0';
		    line = nl) {
			nl = strchr(line, '\n');
			if (nl != NULL)
				*nl++ = '\0';
			trace_printf(t, "    verify:%s", line);
		}
		buf_clear(&steps);
	}
	if (res.code != VERIFY_OK) {
		engine_fail(t, peercert_alert(res.code), "%s certificate "
		    "verify failed: %s", t->cfg->is_server ? "client" : "server",
		    res.reason != NULL ? res.reason :
		    verify_code_text(res.code));
		goto out;
	}
	free(t->peer_subject);
	t->peer_subject = dn_to_string(&t->peer_chain.v[0].subject);
	rc = 0;
out:
	verify_result_clear(&res);
	return rc;
}
