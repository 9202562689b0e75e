/* fuzz-cms-env.c — libFuzzer entry point for the CMS EnvelopedData /
 * AuthEnvelopedData reader (DER and PEM) and, when a message parses, its
 * opening with the key below: the seeds in corpus/cms-env are sealed to
 * its certificate (ours and openssl's: CBC, GCM, OAEP, PKCS#1 v1.5, by
 * issuer and serial and by subjectKeyIdentifier), so that mutations reach
 * the key transport and the content decryption too. The key is a test
 * key made for this file and protects nothing. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/rand.h"
#include "role/entity.h"
#include "role/msg.h"
#include "x509/cms-env.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char fuzz_key[] =
	"-----BEGIN RSA PRIVATE KEY-----\n"
	"MIIEogIBAAKCAQEAl0EJ1XiouLvDZLCl3Q85QIcj6q6fY1alZb+iqzYD5XuPpAOP\n"
	"RC+CAV1xarGk8j15nUGvm7r/aubzA/t/3uA1n00CZt3MV9oSzUkTyIEozmzNLl4e\n"
	"1FmiXp2NEbBwi1M533ki+mRvJwu+pV1zdluzgKj2QOTWcZqgcc+/EHGKWwbDG/Ep\n"
	"JkN0Okkk1Xds6nOeJ/eR7IT3zK4GWhX5cWus6/TRKf7S7fsUsdk/mnpIcGzyeytH\n"
	"CJ63+trX32jFThtZuATWlE4TibR37xTxosbdpTE7BGLDBRg7Dz+XAqkLgezCfoK1\n"
	"ixet17uPNB9MFkzyk0+d8vdRi+WmAH/ycfVxkwIDAQABAoIBADVaJqra9cC70m9Y\n"
	"9Bimvw4o3R1x3R0AOjVKxIlZ80PmMsOq0cU+cMAkgtYctU8RKi2zNstaya+eqUfV\n"
	"VcR7F88KLfe08thmPs2UolrOXGN782AQqRVETMbNEi6UKw6qG7bdFt51wNNoDCZu\n"
	"cUTlkcqnTr2TOqU14rRikEWvlxsGG6XoFYHVel/Sgne5LPQAW17u9iTwIqKAphBC\n"
	"kUymx4tOcZv1CLWnnXRBfxIodeCPaZ/k9eYhBcnFiJpg9n6Ym0O7EaHoSzN70F2Y\n"
	"Q/v4H6Sl9sZnpiRu4f0CeY+tkisVxWY6SnBWBTtzf6sdntG4MdJ4qIRuqx9aYc+n\n"
	"Z5qJmjECgYEAzZ4tZa4SKi5XuH/k2+J6JtcYToV2uI2XKD1JLlOPRu/ke55ZJZtU\n"
	"doz7Qnzd3HK53SL3nSxa5XtvM4wH3wb4MTNFqDgEkB5R4nS80KCIYb+znC1bi82m\n"
	"Ys+UkU9nzZmt3/tajJT6e5PqQN2RMazeL66LdFJVhvV4bwmyOYn574sCgYEAvFDG\n"
	"CkzkmUoi8X9s7eKyFAtg4oFagg99XP1PL002gZSQvULWwtq2+RYBmXPcfwb0S/Vn\n"
	"POa97RxvxLUUPCPo1SB3lUAPYlrLwZ1gLzmuCaXApbZ/tPkhZdUQSeG7PF8o9rvQ\n"
	"vqd18Bpexr1w/XXbjvAIzM2oQKMlKi8lb/kIxxkCgYB4V6ywRzogb/EtbcUvoJTn\n"
	"qJp0Uo7SoyQmDACJ2aQQ25S5eUspxIihvg/MsTJUtNztfWq5Fd25VA4YeEufEAAx\n"
	"I5YQR4D8LJK2XKap4FsSAtYHgVCEOX+5c0674WKapehrIDy17PfRXhgLkOJK1adQ\n"
	"9vJtyUZ/b6nmKyGhpYyf0wKBgHbjS9Qu7Vd1fZAXkY6xwxlygY0eeySHYO73ISnM\n"
	"xm+Serpx2yITcNbatNHLWtZ7bnoSCUZiql9qx4lZhNffF9yN7dE1K0E970th7tqB\n"
	"wMVodrJoAEIh0pr2o5zxPQMFVNhIhKYJFSUrkNBJw27RHHcmRXf/Eo0UMp9qOmlx\n"
	"wL/pAoGAZD4hpfCkqt0tRMHbBryAKZkK2hN6WJMlS9YoEHpHjVemQizAXLgRYAQf\n"
	"qb5nAs1aRV8N2nKrEgWggB5HuK+/kFuDHX5r5xJS/0qmn34Bf7i45XENL90tLVAk\n"
	"u95yRwO/c597qXnZcVO9RQ1FEDUI11YtKNN3PP55iVVBO95VnIk=\n"
	"-----END RSA PRIVATE KEY-----\n";

static const char fuzz_cert[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIIDJTCCAg2gAwIBAgIUe5diuBAdJtVk0BxPh/luZS5R0M0wDQYJKoZIhvcNAQEL\n"
	"BQAwGTEXMBUGA1UEAwwOZnV6eiByZWNpcGllbnQwIBcNMjYxMjA3MTgxNjAzWhgP\n"
	"MjEyNjExMTMxODE2MDNaMBkxFzAVBgNVBAMMDmZ1enogcmVjaXBpZW50MIIBIjAN\n"
	"BgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAl0EJ1XiouLvDZLCl3Q85QIcj6q6f\n"
	"Y1alZb+iqzYD5XuPpAOPRC+CAV1xarGk8j15nUGvm7r/aubzA/t/3uA1n00CZt3M\n"
	"V9oSzUkTyIEozmzNLl4e1FmiXp2NEbBwi1M533ki+mRvJwu+pV1zdluzgKj2QOTW\n"
	"cZqgcc+/EHGKWwbDG/EpJkN0Okkk1Xds6nOeJ/eR7IT3zK4GWhX5cWus6/TRKf7S\n"
	"7fsUsdk/mnpIcGzyeytHCJ63+trX32jFThtZuATWlE4TibR37xTxosbdpTE7BGLD\n"
	"BRg7Dz+XAqkLgezCfoK1ixet17uPNB9MFkzyk0+d8vdRi+WmAH/ycfVxkwIDAQAB\n"
	"o2MwYTAdBgNVHQ4EFgQUGnzjM+sGuWSIks0v8TUSSrjwE7YwHwYDVR0jBBgwFoAU\n"
	"GnzjM+sGuWSIks0v8TUSSrjwE7YwDwYDVR0TAQH/BAUwAwEB/zAOBgNVHQ8BAf8E\n"
	"BAMCBSAwDQYJKoZIhvcNAQELBQADggEBADjFEwLEuuWB8KtKOdrV3vI3Tlh+pWGb\n"
	"HMO76UvVQXJJEXLSYXbSam7v6pMWbpMAYFCix5/D/hILXdeH/mXTOdXGR6dNFSEP\n"
	"1syltzaONugctik8OCFooSs2MIKWyg4cGRw3Np0JnruWO4vxSaSV9aEvBRkVkb5Q\n"
	"3N21+EM9LPtoxA+enqdJY+24qCt7VjHU1jRK4GqE6w3tU9rG9GBzqqPpWkoVZLKc\n"
	"TmovmnnUQ1Q5XyemwCU6NBeXzT12WDvo0KRiibZgQD3DyQb4/0aQdISWxiPFTSQi\n"
	"t4+8zycL9snLg6LxCQZfhLtku9sRByNxtdSvQFmmXKLwbvwTitE/nS8=\n"
	"-----END CERTIFICATE-----\n";

static struct rsakey key;
static struct cert_list certs;
static int ready;

static void
setup(void)
{
	struct err e;

	rsakey_init(&key);
	cert_list_init(&certs);
	if (entity_read_key((const uint8_t *)fuzz_key, sizeof fuzz_key - 1,
	    NULL, 0, &key, &e) == -1 ||
	    cert_list_load(&certs, (const uint8_t *)fuzz_cert,
	    sizeof fuzz_cert - 1, &e) == -1 || certs.n != 1)
		abort();
	ready = 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct cms_env c, again;
	struct buf out;
	struct err e;

	if (!ready) {
		rand_fuzz_seed("cms-env key", 11);
		setup();
	}
	/* RSA blinding and re-encryption draw from the input's seed. */
	rand_fuzz_seed(data, len);
	cms_env_init(&c);
	cms_env_init(&again);
	buf_init(&out);
	if (cms_env_parse(&c, data, len, &e) == 0) {
		(void)cms_env_find(&c, &certs.v[0]);
		(void)cms_env_open(&c, &certs.v[0], &key, &out, &e);
		/* Re-parse from the copy: the pointers must stay inside. */
		(void)cms_env_parse(&again, c.der, c.len, &e);
	}
	cms_env_clear(&c);
	(void)cms_env_load(&c, data, len, &e);
	(void)msg_kind(data, len);
	cms_env_clear(&c);
	cms_env_clear(&again);
	buf_clear_secret(&out);
	return 0;
}
