/* nameconstr-list.c — the command-line form of name constraints
 * (`ca init --permit/--exclude`): "DNS:lab.example,IP:10.20.0.0/16,...". */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/xalloc.h"
#include "x509/nameconstr.h"

/* A DNS base: labels of letters, digits and '-', one leading '.' allowed. */
static int
nc_dns_ok(const char *s)
{
	size_t label = 0;

	if (*s == '.')
		s++;
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++) {
		if (*s == '.') {
			if (label == 0)
				return 0;
			label = 0;
		} else if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '-') {
			if (++label > 63)
				return 0;
		} else
			return 0;
	}
	return label > 0;
}

static int
nc_item_ip(struct nc_name *n, const char *v, const char *item, unsigned idx,
    struct err *e)
{
	const char *slash = strchr(v, '/');
	char addr[INET6_ADDRSTRLEN + 1], *end;
	size_t alen, i;
	unsigned long bits;
	int v6;

	if (slash == NULL)
		return err_set(e, ERR_USAGE, "item %u '%s': an IP range needs a "
		    "prefix length (10.0.0.0/8, fd00::/8)", idx, item);
	alen = (size_t)(slash - v);
	if (alen >= sizeof addr)
		return err_set(e, ERR_USAGE, "item %u '%s': not an IP address",
		    idx, item);
	memcpy(addr, v, alen);
	addr[alen] = '\0';
	if (inet_pton(AF_INET, addr, n->ip) == 1)
		v6 = 0;
	else if (inet_pton(AF_INET6, addr, n->ip) == 1)
		v6 = 1;
	else
		return err_set(e, ERR_USAGE, "item %u '%s': not an IP address",
		    idx, item);
	bits = strtoul(slash + 1, &end, 10);
	if (slash[1] < '0' || slash[1] > '9' || *end != '\0' ||
	    bits > (v6 ? 128u : 32u))
		return err_set(e, ERR_USAGE, "item %u '%s': prefix length must "
		    "be 0 to %d", idx, item, v6 ? 128 : 32);
	n->iplen = v6 ? 32 : 8;
	for (i = 0; i < n->iplen / 2; i++) {
		unsigned take = bits >= 8 * (i + 1) ? 8 :
		    bits <= 8 * i ? 0 : (unsigned)(bits - 8 * i);
		uint8_t mask = (uint8_t)(take == 0 ? 0 : 0xff << (8 - take));

		n->ip[n->iplen / 2 + i] = mask;
		if (n->ip[i] & ~mask)
			return err_set(e, ERR_USAGE, "item %u '%s': host bits "
			    "set below the /%lu prefix", idx, item, bits);
	}
	return 0;
}

static const struct {
	const char *prefix;
	enum nc_form form;
} nc_prefixes[] = {
	{ "DNS", NC_DNS }, { "IP", NC_IP }, { "email", NC_EMAIL },
	{ "URI", NC_URI }, { "dirName", NC_DIR },
};

static int
nc_item(struct nc_list *l, const char *item, unsigned idx, struct err *e)
{
	const char *colon = strchr(item, ':'), *v = item, *at;
	enum nc_form form = NC_DNS;
	struct nc_name *n;
	size_t i, plen;

	if (*item == '\0')
		return err_set(e, ERR_USAGE, "item %u: empty", idx);
	if (strlen(item) > NC_MAX_TEXT)
		return err_set(e, ERR_USAGE, "item %u: longer than %d bytes",
		    idx, NC_MAX_TEXT);
	if (colon != NULL) {
		plen = (size_t)(colon - item);
		for (i = 0; i < sizeof nc_prefixes / sizeof nc_prefixes[0]; i++)
			if (strlen(nc_prefixes[i].prefix) == plen &&
			    strncasecmp(nc_prefixes[i].prefix, item, plen) == 0)
				break;
		if (i == sizeof nc_prefixes / sizeof nc_prefixes[0])
			return err_set(e, ERR_USAGE, "item %u '%s': unknown "
			    "type '%.*s' (known: DNS, IP, email, URI, dirName)",
			    idx, item, (int)plen, item);
		form = nc_prefixes[i].form;
		v = colon + 1;
	}
	if (l->n >= NC_MAX_SUBTREES)
		return err_set(e, ERR_USAGE, "more than %d items",
		    NC_MAX_SUBTREES);
	n = nc_list_add(l, form);
	switch (form) {
	case NC_DNS:
		if (!nc_dns_ok(v))
			return err_set(e, ERR_USAGE, "item %u '%s': not a DNS "
			    "name or .domain", idx, item);
		break;
	case NC_URI:
		if (!nc_dns_ok(v))
			return err_set(e, ERR_USAGE, "item %u '%s': give the "
			    "host or .domain URIs must be in, not a URI", idx,
			    item);
		break;
	case NC_EMAIL:
		at = strchr(v, '@');
		if (at != NULL ? (at == v || strchr(at + 1, '@') != NULL ||
		    at[1] == '.' || !nc_dns_ok(at + 1)) : !nc_dns_ok(v))
			return err_set(e, ERR_USAGE, "item %u '%s': not a "
			    "mailbox, host or .domain", idx, item);
		for (i = 0; v[i] != '\0'; i++)
			if (v[i] < 0x21 || v[i] > 0x7e)
				return err_set(e, ERR_USAGE, "item %u '%s': "
				    "only printable ASCII without spaces is "
				    "allowed", idx, item);
		break;
	case NC_IP:
		return nc_item_ip(n, v, item, idx, e);
	case NC_DIR:
		if (dn_from_string(&n->dir, v, e) == -1)
			return err_wrap(e, "item %u '%s'", idx, item);
		if (dn_empty(&n->dir))
			return err_set(e, ERR_USAGE, "item %u '%s': empty name",
			    idx, item);
		return 0;
	default:
		break;
	}
	n->text = xstrdup(v);
	return 0;
}

int
nameconstr_parse_list(struct nc_list *l, const char *text, struct err *e)
{
	const char *p = text, *end, *next;
	size_t n0 = l->n, a, b;
	unsigned idx = 1;
	char *item;
	int r;

	for (;;) {
		end = strchr(p, ',');
		/* dirName:O=Lab,C=DE: pieces with '=' and no type belong
		 * to the name (a DNS name never has '='). */
		if (strncasecmp(p + strspn(p, " "), "dirName:", 8) == 0)
			while (end != NULL) {
				next = end + 1;
				a = strcspn(next, ",");
				if (memchr(next, '=', a) == NULL ||
				    (memchr(next, ':', a) != NULL &&
				    memchr(next, ':', a) <
				    (const void *)memchr(next, '=', a)))
					break;
				end = strchr(next, ',');
			}
		if (end == NULL)
			end = p + strlen(p);
		a = 0;
		b = (size_t)(end - p);
		while (a < b && p[a] == ' ')
			a++;
		while (b > a && p[b - 1] == ' ')
			b--;
		item = xstrndup(p + a, b - a);
		r = nc_item(l, item, idx, e);
		free(item);
		if (r == -1)
			goto fail;
		if (*end == '\0')
			break;
		p = end + 1;
		idx++;
	}
	return 0;
fail:
	/* Leave the list as it was. */
	while (l->n > n0) {
		l->n--;
		free(l->v[l->n].text);
		dn_clear(&l->v[l->n].dir);
	}
	return -1;
}
