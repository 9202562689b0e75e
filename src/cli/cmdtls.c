/* cmdtls.c — shared pieces of `server run` and `client connect`; see
 * cmdtls.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cliutil.h"
#include "cli/cmdtls.h"
#include "cli/passphrase.h"
#include "role/entity.h"

void
cmdtls_entity_init(struct cmdtls_entity *en)
{
	ws_init(&en->ws);
	keystore_init(&en->ks);
	pkey_init(&en->key);
	cert_list_init(&en->chain);
}

void
cmdtls_entity_clear(struct cmdtls_entity *en)
{
	cert_list_clear(&en->chain);
	pkey_clear(&en->key);
	keystore_clear(&en->ks);
	ws_clear(&en->ws);
}

int
cmdtls_entity_load(const struct cli *cli, const char *name,
    struct cmdtls_entity *en, struct err *e)
{
	struct passphrase pass = { NULL, 0 };
	int rc = -1;

	if (cliutil_ws(cli, &en->ws, e) == -1 || ws_check_name(name, e) == -1)
		return -1;
	if (!keystore_exists(&en->ws, name))
		return err_set(e, ERR_USAGE, "no keystore '%s'", name);
	if (cliutil_passphrase(cli, "keystore", name, 0, &pass, e) == 0)
		rc = entity_unlock_chain_any(&en->ws, name, pass.s, pass.len,
		    &en->ks, &en->key, &en->chain, e);
	passphrase_free(&pass);
	return rc;
}

void
cmdtls_crls_init(struct cmdtls_crls *c)
{
	size_t i;

	memset(c, 0, sizeof *c);
	for (i = 0; i < CMDTLS_MAX_CRLS; i++)
		crl_init(&c->crls[i]);
}

void
cmdtls_crls_clear(struct cmdtls_crls *c)
{
	size_t i;

	for (i = 0; i < CMDTLS_MAX_CRLS; i++)
		crl_clear(&c->crls[i]);
	c->n = 0;
}

int
cmdtls_crls_add(struct cmdtls_crls *c, const char *cmd, const char *file)
{
	if (c->n == CMDTLS_MAX_CRLS)
		return cli_usage(cmd, "at most %d --crl files",
		    CMDTLS_MAX_CRLS);
	c->files[c->n++] = file;
	return 0;
}

int
cmdtls_crls_load(struct cmdtls_crls *c, struct tls_config *cfg,
    struct err *e)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		if (crl_load_file(&c->crls[i], c->files[i], e) == -1)
			return -1;
		c->ptrs[i] = &c->crls[i];
	}
	cfg->crls = c->ptrs;
	cfg->crl_names = c->files;
	cfg->ncrls = c->n;
	return 0;
}

FILE *
cmdtls_keylog_open(struct err *e)
{
	const char *path = getenv("SSLKEYLOGFILE");
	FILE *f;
	int fd;

	if (path == NULL || *path == '\0')
		return NULL;
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW |
	    O_CLOEXEC, 0600);
	if (fd == -1 || (f = fdopen(fd, "a")) == NULL) {
		err_set(e, ERR_IO, "SSLKEYLOGFILE %s: %s", path,
		    strerror(errno));
		if (fd != -1)
			close(fd);
		return NULL;
	}
	cliutil_note("writing TLS secrets to SSLKEYLOGFILE %s", path);
	return f;
}

void
cmdtls_keylog_write(void *ctx, const char *line)
{
	FILE *f = ctx;

	fprintf(f, "%s\n", line);
	fflush(f);
}
