/* cliutil-tls.c — TLS material of the TLS commands; see cliutil-tls.h. */
#include "cli/cliutil-tls.h"

void
cliutil_tls_init(struct cliutil_tls *t)
{
	cmdtls_entity_init(&t->en);
	cert_list_init(&t->anchors);
	t->keylog = NULL;
}

int
cliutil_tls_load(struct cliutil_tls *t, const struct cli *cli,
    const char *name, const char *ca, struct cmdtls_crls *crls,
    struct tls_config *cfg, struct err *e)
{
	if (ca != NULL && cert_list_load_file(&t->anchors, ca, e) == -1)
		return -1;
	if (cmdtls_crls_load(crls, cfg, e) == -1)
		return -1;
	if (name != NULL) {
		if (cmdtls_entity_load(cli, name, &t->en, e) == -1)
			return -1;
		cfg->chain = &t->en.chain;
		/* The key type picks the TLS 1.2 suites and schemes. */
		if (t->en.key.type == PKEY_EC)
			cfg->eckey = &t->en.key.ec;
		else
			cfg->key = &t->en.key.rsa;
	}
	cfg->anchors = ca != NULL ? &t->anchors : NULL;
	t->keylog = cmdtls_keylog_open(e);
	if (t->keylog == NULL && e->kind != ERR_NONE)
		return -1;
	return 0;
}

void
cliutil_tls_clear(struct cliutil_tls *t)
{
	if (t->keylog != NULL)
		fclose(t->keylog);
	t->keylog = NULL;
	cert_list_clear(&t->anchors);
	cmdtls_entity_clear(&t->en);
}
