/* nameconstr-match.c — the names a certificate carries, and whether they
 * are within a nameConstraints extension's subtrees (rules in
 * nameconstr.h). */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "util/xalloc.h"
#include "x509/nameconstr.h"

/* ---- gathering names ---- */

static struct nc_name *
names_add(struct nc_list *l, enum nc_form form, const char *text)
{
	struct nc_name *n = nc_list_add(l, form);

	n->text = text != NULL ? xstrdup(text) : NULL;
	return n;
}

/* A CN that a host name check could take for one: DNS characters, at
 * least two labels (OpenSSL's test before it applies DNS constraints). */
static int
cn_is_host(const char *s)
{
	size_t label = 0, labels = 0;

	for (; *s != '\0'; s++) {
		if (*s == '.') {
			if (label == 0)
				return 0;
			labels++;
			label = 0;
		} else if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '-' || *s == '*')
			label++;
		else
			return 0;
	}
	return label > 0 && labels >= 1;
}

/* The subject's own names: itself, emailAddress, and (leaf without a
 * dNSName SAN) host-like CNs. */
static void
subject_names(const struct dn *subject, int leaf, struct nc_list *l)
{
	struct nc_name *n;
	size_t i, k;
	int dns = 0;

	for (k = 0; k < l->n; k++)
		dns |= l->v[k].form == NC_DNS;
	if (!dn_empty(subject)) {
		n = names_add(l, NC_DIR, NULL);
		dn_copy(&n->dir, subject);
		n->from_subject = 1;
	}
	for (i = 0; i < subject->n; i++) {
		if (subject->v[i].type == OID_EMAIL)
			names_add(l, NC_EMAIL, subject->v[i].value)->
			    from_subject = 1;
		else if (leaf && !dns && subject->v[i].type == OID_CN &&
		    cn_is_host(subject->v[i].value))
			names_add(l, NC_DNS, subject->v[i].value)->
			    from_subject = 1;
	}
}

int
nameconstr_cert_names(const struct cert *c, int leaf, struct nc_list *l,
    struct err *e)
{
	struct der_tlv val, t;
	struct der outer, in, seq;
	int critical, r;

	if (c->ext.has_san) {
		r = nameconstr_find_ext(c, OID_SUBJECT_ALT_NAME, &val, &outer,
		    &critical, e);
		if (r == -1)
			return -1;
		if (r == 1) {
			der_sub(&outer, &val, &in);
			if (der_enter(&in, DER_SEQUENCE, "GeneralNames",
			    &seq) == -1)
				return err_wrap(e, "subjectAltName");
			while (der_more(&seq)) {
				if (l->n >= NC_MAX_NAMES)
					return err_set(e, ERR_INPUT, "more than "
					    "%d names", NC_MAX_NAMES);
				if (der_next(&seq, &t) == -1 ||
				    nameconstr_read_name(&seq, &t, 0, l) == -1)
					return err_wrap(e, "subjectAltName");
			}
		}
	}
	subject_names(&c->subject, leaf, l);
	return 0;
}

void
nameconstr_template_names(const struct dn *subject,
    const struct san_list *sans, int leaf, struct nc_list *l)
{
	struct nc_name *n;
	size_t i;

	for (i = 0; i < sans->n; i++) {
		const struct san *s = &sans->v[i];

		switch (s->type) {
		case SAN_DNS:
			names_add(l, NC_DNS, s->value);
			break;
		case SAN_EMAIL:
			names_add(l, NC_EMAIL, s->value);
			break;
		case SAN_URI:
			names_add(l, NC_URI, s->value);
			break;
		case SAN_IP:
			n = names_add(l, NC_IP, NULL);
			memcpy(n->ip, s->ip, s->iplen);
			n->iplen = s->iplen;
			break;
		default:
			/* The writer writes no other form. */
			break;
		}
	}
	subject_names(subject, leaf, l);
}

/* ---- matching ---- */

/* s ends with tail, ASCII case ignored. */
static int
ends_with(const char *s, const char *tail)
{
	size_t sl = strlen(s), tl = strlen(tail);

	return sl >= tl && strcasecmp(s + sl - tl, tail) == 0;
}

static int
dns_within(const char *name, const char *base)
{
	size_t nl = strlen(name), bl = strlen(base);

	if (bl == 0)
		return 1;
	if (base[0] == '.')
		return nl > bl && ends_with(name, base);
	if (nl == bl)
		return strcasecmp(name, base) == 0;
	return nl > bl && name[nl - bl - 1] == '.' && ends_with(name, base);
}

/* 1 within, 0 not, -1 not a mailbox. */
static int
email_within(const char *name, const char *base)
{
	const char *at = strrchr(name, '@'), *bat = strrchr(base, '@');

	if (at == NULL || at == name || at[1] == '\0')
		return -1;
	if (bat != NULL)
		return at - name == bat - base &&
		    memcmp(name, base, (size_t)(at - name)) == 0 &&
		    strcasecmp(at + 1, bat + 1) == 0;
	if (base[0] == '.')
		return strlen(at + 1) > strlen(base) && ends_with(at + 1, base);
	return strcasecmp(at + 1, base) == 0;
}

/* The host of an absolute URI into host (NC_MAX_TEXT + 1 bytes): 0, or
 * -1 when it has none ("urn:x", "file:///"). */
static int
uri_host(const char *uri, char *host)
{
	const char *p = strstr(uri, "://"), *end, *at;
	size_t n;

	if (p == NULL || p == uri)
		return -1;
	p += 3;
	end = p + strcspn(p, "/?#");
	at = memchr(p, '@', (size_t)(end - p));
	while (at != NULL) {	/* userinfo ends at the last '@' */
		p = at + 1;
		at = memchr(p, '@', (size_t)(end - p));
	}
	if (*p == '[') {
		at = memchr(p, ']', (size_t)(end - p));
		if (at == NULL)
			return -1;
		n = (size_t)(at + 1 - p);
	} else
		n = strcspn(p, ":/?#");
	if (n == 0 || n > NC_MAX_TEXT)
		return -1;
	memcpy(host, p, n);
	host[n] = '\0';
	return 0;
}

static int
uri_within(const char *uri, const char *base)
{
	char host[NC_MAX_TEXT + 1];

	if (uri_host(uri, host) == -1)
		return -1;
	if (base[0] == '.')
		return strlen(host) > strlen(base) && ends_with(host, base);
	return strcasecmp(host, base) == 0;
}

static int
ip_within(const struct nc_name *n, const struct nc_name *b)
{
	size_t i;

	if (b->iplen != 2 * n->iplen)
		return 0;
	for (i = 0; i < n->iplen; i++)
		if ((n->ip[i] & b->ip[n->iplen + i]) !=
		    (b->ip[i] & b->ip[n->iplen + i]))
			return 0;
	return 1;
}

/* The RDNs of base are the first RDNs of name. */
static int
dir_within(const struct dn *name, const struct dn *base)
{
	struct dn head;
	size_t i, rdns = 0, k = 0;

	for (i = 0; i < base->n; i++)
		if (i == 0 || base->v[i].rdn != base->v[i - 1].rdn)
			rdns++;
	if (rdns == 0)
		return 1;
	for (i = 0; i < name->n; i++) {
		if (i == 0 || name->v[i].rdn != name->v[i - 1].rdn) {
			if (k == rdns)
				break;
			k++;
		}
	}
	if (k < rdns)
		return 0;
	head.v = name->v;
	head.n = i;
	head.der = NULL;
	head.derlen = 0;
	return dn_equal(&head, base);
}

/* 1 within, 0 not, -1 the name cannot be matched (no mailbox, no host). */
static int
within(const struct nc_name *n, const struct nc_name *b)
{
	switch (n->form) {
	case NC_DNS:
		return dns_within(n->text, b->text);
	case NC_EMAIL:
		return email_within(n->text, b->text);
	case NC_URI:
		return uri_within(n->text, b->text);
	case NC_IP:
		return ip_within(n, b);
	case NC_DIR:
		return dir_within(&n->dir, &b->dir);
	default:
		return -1;
	}
}

static int
form_matched(enum nc_form f)
{
	return f == NC_DNS || f == NC_EMAIL || f == NC_URI || f == NC_IP ||
	    f == NC_DIR;
}

/* How a name is named in a message; caller frees. */
static char *
name_words(const struct nc_name *n)
{
	char a[INET6_ADDRSTRLEN], *s, *r;

	switch (n->form) {
	case NC_DNS:
		return xasprintf(n->from_subject ? "subject CN '%s'" :
		    "DNS name '%s'", n->text);
	case NC_EMAIL:
		return xasprintf(n->from_subject ? "subject emailAddress '%s'" :
		    "email address '%s'", n->text);
	case NC_URI:
		return xasprintf("URI '%s'", n->text);
	case NC_IP:
		inet_ntop(n->iplen == 4 ? AF_INET : AF_INET6, n->ip, a,
		    sizeof a);
		return xasprintf("IP address %s", a);
	case NC_DIR:
		s = dn_to_string(&n->dir);
		r = xasprintf(n->from_subject ? "subject '%s'" :
		    "directory name '%s'", s);
		free(s);
		return r;
	default:
		s = nc_name_text(n);
		r = xasprintf("%s name", s);
		free(s);
		return r;
	}
}

/* The permitted subtrees of form f, for a message. */
static char *
list_form(const struct nc_list *l, enum nc_form f)
{
	struct buf b;
	size_t i;
	char *s;

	buf_init(&b);
	for (i = 0; i < l->n; i++)
		if (l->v[i].form == f && !l->v[i].bounded) {
			s = nc_name_text(&l->v[i]);
			buf_printf(&b, "%s%s", b.len > 0 ? ", " : "", s);
			free(s);
		}
	buf_putc(&b, '\0');
	s = xstrdup((const char *)b.data);
	buf_clear(&b);
	return s;
}

/* A subtree that cannot be matched: refused under a critical extension,
 * skipped under a non-critical one. Returns -1 and sets *why to refuse. */
static int
unusable(const struct nameconstr *nc, const struct nc_name *n,
    const struct nc_name *b, char **why)
{
	char *w, *s;

	if (!nc->critical)
		return 0;
	w = name_words(n);
	s = nc_name_text(b);
	*why = b->bounded ?
	    xasprintf("%s falls under subtree %s, which has a minimum or "
	    "maximum (RFC 5280 forbids them, not supported): refused", w, s) :
	    xasprintf("%s falls under a critical %s constraint, a name form "
	    "this verifier cannot match: refused", w, s);
	free(w);
	free(s);
	return -1;
}

static int
check_name(const struct nameconstr *nc, const struct nc_name *n,
    char **why)
{
	const struct nc_list *pl = &nc->permitted, *xl = &nc->excluded;
	size_t i;
	int any = 0, r;
	char *w, *s;

	for (i = 0; i < pl->n + xl->n; i++) {
		const struct nc_name *b = i < pl->n ? &pl->v[i] :
		    &xl->v[i - pl->n];

		if (b->form == n->form && (b->bounded || !form_matched(b->form)) &&
		    unusable(nc, n, b, why) == -1)
			return -1;
	}
	if (!form_matched(n->form))
		return 0;
	for (i = 0; i < xl->n; i++) {
		if (xl->v[i].form != n->form || xl->v[i].bounded)
			continue;
		if ((r = within(n, &xl->v[i])) == 0)
			continue;
		w = name_words(n);
		s = nc_name_text(&xl->v[i]);
		*why = r == 1 ? xasprintf("%s is within the excluded subtree "
		    "%s", w, s) : xasprintf("%s cannot be matched against the "
		    "excluded subtree %s (no %s in it): refused", w, s,
		    n->form == NC_EMAIL ? "mailbox" : "host");
		free(w);
		free(s);
		return -1;
	}
	for (i = 0; i < pl->n; i++) {
		if (pl->v[i].form != n->form || pl->v[i].bounded)
			continue;
		any = 1;
		if (within(n, &pl->v[i]) == 1)
			return 0;
	}
	if (!any)
		return 0;
	w = name_words(n);
	s = list_form(pl, n->form);
	*why = xasprintf("%s is not within the permitted subtrees (%s)", w, s);
	free(w);
	free(s);
	return -1;
}

int
nameconstr_check(const struct nameconstr *nc, const struct nc_list *names,
    char **why)
{
	char *dummy = NULL;
	size_t i;

	if (why == NULL)
		why = &dummy;
	*why = NULL;
	for (i = 0; i < names->n; i++)
		if (check_name(nc, &names->v[i], why) == -1) {
			free(dummy);
			return -1;
		}
	return 0;
}
