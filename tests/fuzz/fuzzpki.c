/* fuzzpki.c — see fuzzpki.h. The PEM texts are committed fixtures: the
 * roots of tests/data/verify (root.pem, ecroot.pem) and the fuzz chain of
 * tests/fuzz/README.md (keys thrown away after signing it and its CRLs). */
#include <stdlib.h>
#include <string.h>

#include "fuzzpki.h"

static const char anchors_pem[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIIDNjCCAh6gAwIBAgIBATANBgkqhkiG9w0BAQsFADAsMRQwEgYDVQQKDAtWZXJp\n"
	"ZnkgVGVzdDEUMBIGA1UEAwwLVmVyaWZ5IFJvb3QwHhcNMjYxMTIzMDkxOTA1WhcN\n"
	"NDYxMTE4MDkxOTA1WjAsMRQwEgYDVQQKDAtWZXJpZnkgVGVzdDEUMBIGA1UEAwwL\n"
	"VmVyaWZ5IFJvb3QwggEiMA0GCSqGSIb3DQEBAQUAA4IBDwAwggEKAoIBAQC6873A\n"
	"/olWAebbRHa5XcxGQ8OUiOjTSZqg7eUz0JXRwFkOnEsUjaMr5R15JrxTm+hehbji\n"
	"9R999KSv/r6y+gukgVKY1dfbVebCuk2FSb+0n0/WycBL/+geYkpngI35f+wEPgRn\n"
	"dYHRmU4mV7q+zsExRgmiICQXqc1dKGJ9d28sjIQ5uQhyFiIPzTILePa/N+Vr/kaE\n"
	"2opZRgj5gQE7ciy5EidRISx9zNTMDPZrhpbwce9lk7Wate7ST54vER2YY1v64lTG\n"
	"LkA80NrqBW8CnkQkHSlvCX90mI1SA2WXe8HYrpJ2oKX5xmgcpEmvqTo0pMZ0BpbU\n"
	"s5HFEJkLdg0adr4VAgMBAAGjYzBhMB0GA1UdDgQWBBSgIUs68gzOdL5GLmlNxCUB\n"
	"upWqJTAfBgNVHSMEGDAWgBSgIUs68gzOdL5GLmlNxCUBupWqJTAPBgNVHRMBAf8E\n"
	"BTADAQH/MA4GA1UdDwEB/wQEAwIBBjANBgkqhkiG9w0BAQsFAAOCAQEAnv1yKTfW\n"
	"92Aynbc+piCSVfUdsMlScNm2gniNKE6W2WGviwJSotR6hI5wHGjUmoipu1kggn/W\n"
	"b+EY3BEq9mxSiiZCY9C+Y3XOzLVBg51TG6EDulxy8xd2kT7kmnEq2Juc2bodEKQm\n"
	"Ju50vQuSy+5r4oqRWn4r9sPFFuyuy51YwfCuifmtAP3UpOpqr0k5UE2SHnMRnPH9\n"
	"jlh3FhAwyzDW9EhbCAXSWMLhnu4aNNzPHwjvQ6FOCpx7AWEL/43NdGMHgNYiw4BD\n"
	"8E0iDGMwTpa9Sg5Us4EKeKUy1WC49IDuXh+Z9E9BubnCf504OyNq5bRX97vj+Qjs\n"
	"6Hoz7xv7DpeEyQ==\n"
	"-----END CERTIFICATE-----\n"
	"-----BEGIN CERTIFICATE-----\n"
	"MIIDRjCCAi6gAwIBAgIBATANBgkqhkiG9w0BAQsFADA0MRQwEgYDVQQKDAtWZXJp\n"
	"ZnkgVGVzdDEcMBoGA1UEAwwTVmVyaWZ5IEVDIFRlc3QgUm9vdDAeFw0yNjExMjMw\n"
	"OTI1MjFaFw00NjExMTgwOTI1MjFaMDQxFDASBgNVBAoMC1ZlcmlmeSBUZXN0MRww\n"
	"GgYDVQQDDBNWZXJpZnkgRUMgVGVzdCBSb290MIIBIjANBgkqhkiG9w0BAQEFAAOC\n"
	"AQ8AMIIBCgKCAQEA3rJ8oc8BgIeqRWLxG3SmjQmulvAxbSY2NlAeboUR+tW+qA1V\n"
	"2FNCmxgFn5FXW59SN8MOKSz/e/JyPGgg/Ipo2maOiUjwARNOTzx1nsWg2o/rJFqk\n"
	"1OfARMihJGKiAnCnv995eiYXEAUXheiYoDnZYk+BFh5W7X0+UI4OIbpuulj/A40a\n"
	"cTk+xD/5cBvf8PZ/BXc9w94EkNiiV+EPps7q0a4Wq6v/zhG77lAxsrmqh5jg0e1a\n"
	"Io14e2lgGd0aXyXFKwz78us3yo6GIbXMjt6zXGWtMlkpB3AaRIxjIqTM0YxgZW1v\n"
	"okkdAKKxl9jVMYKaLRGV7r02yM8Tjbdx+tF2iwIDAQABo2MwYTAdBgNVHQ4EFgQU\n"
	"QSvktcmlqwDRTgwkKC23y3ht7mIwHwYDVR0jBBgwFoAUQSvktcmlqwDRTgwkKC23\n"
	"y3ht7mIwDwYDVR0TAQH/BAUwAwEB/zAOBgNVHQ8BAf8EBAMCAQYwDQYJKoZIhvcN\n"
	"AQELBQADggEBAEiBoc8bnEQQj+Ot5Y1uhJQixv5L19SzFNXDi6PRYMqGRX0OWxAw\n"
	"/D0UgyxiFdIr16ymcXz2LxMbQbMhiuznTv2yKc/gen7KRQch5XrB0IzG7kc3bWK0\n"
	"qtQhJM6M2p5o4tIN4bEGnerEv2W5WrYVgP6EqoYgl/HLrA2y8lNv4WGcFh2tiBAZ\n"
	"hDgd5jdgdgO07CFcY72mU/Mxc3WrGdE2e4RfpTJdYCDOI6Rfk7FJjF7WEclTBccE\n"
	"307ceFvW3lC/uFsQGf5co1Td1hNt8rIBrdk0fz46/egP7vPhwJVguMMnhZ5CveY5\n"
	"h31lq+AR0Nhk4usWJPinvDUAo2HuZygh0fA=\n"
	"-----END CERTIFICATE-----\n"
	"-----BEGIN CERTIFICATE-----\n"
	"MIIDLjCCAhagAwIBAgIBATANBgkqhkiG9w0BAQsFADAoMRIwEAYDVQQKDAlGdXp6\n"
	"IFRlc3QxEjAQBgNVBAMMCUZ1enogUm9vdDAeFw0yNjEyMDcxOTEwMzFaFw00NjEy\n"
	"MDIxOTEwMzFaMCgxEjAQBgNVBAoMCUZ1enogVGVzdDESMBAGA1UEAwwJRnV6eiBS\n"
	"b290MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAwVkmgJG/boCbdzRF\n"
	"on72NcIbdWTIeDuQ/r/jWi3M6yg/BL9iOfMJEDgb0dI/pPv/xXunXMFFWwqpePmh\n"
	"HQit+dMtmTQI8zNZj2G1crbg0jXVPDnNX0AC09U7HMFrg8Y+msj8DWu+czVHj90c\n"
	"ECbDhIlTs9n69ichh5ZQNvS4hTutPtsfq9VU5yykLpxyp6d+GETBUAM7H2O9jfc1\n"
	"/EDD9pG9fjw2mRxqmak9/YwRNH6V/GQFMLity1ru7FGkxVaj2U2fgCO1BYTGttqo\n"
	"WejrPeGswVK6YijctamWBUQ6+oZmkAj8EqzTRk5xbQQ6AaKXWh4T3uy1X92JlvW4\n"
	"ibcm9QIDAQABo2MwYTAdBgNVHQ4EFgQUFrwEESbWsbnslK1vrOWv5Lg+3QcwHwYD\n"
	"VR0jBBgwFoAUFrwEESbWsbnslK1vrOWv5Lg+3QcwDwYDVR0TAQH/BAUwAwEB/zAO\n"
	"BgNVHQ8BAf8EBAMCAQYwDQYJKoZIhvcNAQELBQADggEBAJp1GsgqtNVp8Bxv6Mzd\n"
	"eYvxs8K5RVRXDmvXSCDyt88zrCqHPqq5sK2hbwScNGUYHrxbNvTJhyFTz9EPDXOC\n"
	"o2/+uaos2Tqp20Tu69uy+wT+JR8FWGBvRRLcmnTu6dyjUc9HfNxI79mGq6WxFzrG\n"
	"1KqBNKAr+NI5uvp8ZSWpyejYo28OSMKc7yDw8qy4tzTBDYK0vZnDBUekzhydIvWp\n"
	"DGd5IjJdkFM/AR7Lndzy35Ot7ZhUl/deNsQOyAFL8SsGxIgpmZKTGJ5Ed7M18b8y\n"
	"JofG4kGPowjba8NsnRHmG2fVQxBvXeLl52XgBLUbrROQOVbrpiUC/BgaqsHZuLOs\n"
	"+XA=\n"
	"-----END CERTIFICATE-----\n";

static const char chain_pem[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIIDmjCCAoKgAwIBAgIBAzANBgkqhkiG9w0BAQsFADAwMRIwEAYDVQQKDAlGdXp6\n"
	"IFRlc3QxGjAYBgNVBAMMEUZ1enogSW50ZXJtZWRpYXRlMB4XDTI2MTIwNzE5MTAz\n"
	"MVoXDTM2MTIwNDE5MTAzMVowKzESMBAGA1UECgwJRnV6eiBUZXN0MRUwEwYDVQQD\n"
	"DAxmdXp6LmV4YW1wbGUwggEiMA0GCSqGSIb3DQEBAQUAA4IBDwAwggEKAoIBAQC3\n"
	"2DIRWJhX1uUHhENGcTT33l3FEL1ZACvc9/genUXeWvihE5B5GY0DSKqCfCSpH7kX\n"
	"UmO8PAbS1gbKsVasZ5ZccbNumgQMHsI778k3TjOlxRBsJcJHm1a5ZK5bbb4a8pDf\n"
	"Tun0348nQg4pvCHtvFpciJjZTr8KDnWBGXg15GrT0QDpfO8gVd8NQyHT/HqPYlqo\n"
	"2JpPaVSwakw6a2nRcDgT89UaVX1a5HY2w81+fyoV/cEr7v+Wjv3W/m2+3PyzDgD0\n"
	"Uzivccko6rS9Fa7JYPjw/wO0ZeHzFpSHiOr7g3Eh/VRdPcdO99c35CZg/9Zk4aac\n"
	"OR37ZIViCQDEYV4BQqwfAgMBAAGjgcMwgcAwCQYDVR0TBAIwADAOBgNVHQ8BAf8E\n"
	"BAMCBaAwHQYDVR0lBBYwFAYIKwYBBQUHAwEGCCsGAQUFBwMCMEQGA1UdEQQ9MDuC\n"
	"DGZ1enouZXhhbXBsZYITKi53aWxkLmZ1enouZXhhbXBsZYcEwAACAYcQIAENuAAA\n"
	"AAAAAAAAAAAAATAdBgNVHQ4EFgQUUoklImLoj8QCGnBwEGDAMYaRBbIwHwYDVR0j\n"
	"BBgwFoAUwrA649hCYkAxfTlbGCkrqY6MHKIwDQYJKoZIhvcNAQELBQADggEBAJIl\n"
	"C9YatOmqhO1pSgc42MD5lbAXfNT8SvvBC9JxSbsBdnu/SzO1tIWwXUcODrC5OJ8T\n"
	"fF9cvhGIyRW4mvUMdo9vv6YjtA0Td+CqR/AneaZ6AcX2ylRmOBfmqMmBY3KhMJUD\n"
	"8XDuChWMUK3hRYslHUys23U/13TLQbVNR1wPXbxfLw4AAphr/WSG0QuVSFd0/DdW\n"
	"g7KnsVERoWiKj71AdRLU//GpGESHwW/vhT2L6z89fotM6EER82gJHlra7hjSFHEn\n"
	"fMjDXkG87lX7ac7qRCo8P2uT6PNKIe4k9YoVPWa7BS4ZTUHRQdvg0FdBpdkNVg/v\n"
	"clvTWcx76ILEUpws37E=\n"
	"-----END CERTIFICATE-----\n"
	"-----BEGIN CERTIFICATE-----\n"
	"MIIDNjCCAh6gAwIBAgIBAjANBgkqhkiG9w0BAQsFADAoMRIwEAYDVQQKDAlGdXp6\n"
	"IFRlc3QxEjAQBgNVBAMMCUZ1enogUm9vdDAeFw0yNjEyMDcxOTEwMzFaFw0zNjEy\n"
	"MDQxOTEwMzFaMDAxEjAQBgNVBAoMCUZ1enogVGVzdDEaMBgGA1UEAwwRRnV6eiBJ\n"
	"bnRlcm1lZGlhdGUwggEiMA0GCSqGSIb3DQEBAQUAA4IBDwAwggEKAoIBAQCn5Ej9\n"
	"QaOi8M+Zy/K7kTB35dmKsLlfAtqddEaseXZVDlCxwxDwNE36LOliA8hnXongwqxk\n"
	"hugIixuOJ/krkU44i5Y+aCbll8FrFBUrSuChoU6eGCQFul2nrVV48FxyIQVH72ND\n"
	"MwFDVmlY3jvV1ydytGqBJcZzWoZuqYuicxAU1qgKlybHUThzUSZGvMw/5yyy+LgD\n"
	"Z721sg9va6WHOipnzPymCtGToDKgD5nk7jxU8apmMv3sOGi9ux++JCSjkjKvQ/3Q\n"
	"55F5CdZtZ1Viv5QJX6DcsfswyxaO4gcLx+CxrfOKrasnoz4TL5LDb9plqTMXWIkb\n"
	"b6PS7SrqSNWFGSmpAgMBAAGjYzBhMA8GA1UdEwEB/wQFMAMBAf8wDgYDVR0PAQH/\n"
	"BAQDAgEGMB0GA1UdDgQWBBTCsDrj2EJiQDF9OVsYKSupjowcojAfBgNVHSMEGDAW\n"
	"gBQWvAQRJtaxueyUrW+s5a/kuD7dBzANBgkqhkiG9w0BAQsFAAOCAQEAYqiv252F\n"
	"eawJGx+qyVlxMoJnb7p9g3g4/MqJ44Q3x+50kQWEXRTutw1ukVspuWgytVJ90VWW\n"
	"pmr1nWpuWAkxYXilYGtm4NQLlKvjNU4lqtze7inYiBl2bl1xk+03ZCj6YAp5rVUx\n"
	"La1iqy/zlqaGVbjuQxCdz4YZIT72d0crGB7hEQVd+zrboYc4PmafWOKuqQ8EkZE2\n"
	"B44ICcL0jRsyoVJb5ENHlKO27oNovMjz3X5vSDdzuOj+nd7FlsNQXQIH590jJwYv\n"
	"epY8Po/41UHscj9bSvRI9yriz26P1/9VSiwt7Xf/FkC8CuF+7O+t1kQrGDxxQ7dT\n"
	"DB14TqIcO8y7Kw==\n"
	"-----END CERTIFICATE-----\n";

static struct cert_list anchors, chain;
static int ready;

static void
fuzzpki_setup(void)
{
	struct err e;

	cert_list_init(&anchors);
	cert_list_init(&chain);
	if (cert_list_load(&anchors, (const uint8_t *)anchors_pem,
	    strlen(anchors_pem), &e) == -1 || anchors.n != 3 ||
	    cert_list_load(&chain, (const uint8_t *)chain_pem,
	    strlen(chain_pem), &e) == -1 || chain.n != 2)
		abort();	/* the fixtures no longer parse: a bug */
	ready = 1;
}

const struct cert_list *
fuzzpki_anchors(void)
{
	if (!ready)
		fuzzpki_setup();
	return &anchors;
}

const struct cert_list *
fuzzpki_chain(void)
{
	if (!ready)
		fuzzpki_setup();
	return &chain;
}
