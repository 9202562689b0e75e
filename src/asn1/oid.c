/* oid.c — the one OID table and dotted-form conversion; see oid.h. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "asn1/oid.h"

/* One entry: id, short name as OpenSSL prints it, dotted form, and the DER
 * contents octets as a static array. */
#define OID(id_, sn_, dotted_, ...) [id_] = { .id = id_, .sn = sn_, \
	.dotted = dotted_, .der = (const uint8_t[]){ __VA_ARGS__ }, \
	.len = sizeof((const uint8_t[]){ __VA_ARGS__ }) }

static const struct oid_entry oid_table[OID__COUNT] = {
	[OID_UNKNOWN] = { .id = OID_UNKNOWN, .sn = "UNKNOWN", .dotted = "",
	    .der = NULL, .len = 0 },
	OID(OID_RSA_ENCRYPTION, "rsaEncryption", "1.2.840.113549.1.1.1",
	    0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01),
	OID(OID_SHA1_WITH_RSA, "sha1WithRSAEncryption", "1.2.840.113549.1.1.5",
	    0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x05),
	OID(OID_SHA256_WITH_RSA, "sha256WithRSAEncryption", "1.2.840.113549.1.1.11",
	    0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b),
	OID(OID_SHA384_WITH_RSA, "sha384WithRSAEncryption", "1.2.840.113549.1.1.12",
	    0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0c),
	OID(OID_SHA512_WITH_RSA, "sha512WithRSAEncryption", "1.2.840.113549.1.1.13",
	    0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0d),
	OID(OID_RSASSA_PSS, "RSASSA-PSS", "1.2.840.113549.1.1.10",
	    0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a),
	OID(OID_MGF1, "mgf1", "1.2.840.113549.1.1.8",
	    0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x08),
	OID(OID_SHA1, "sha1", "1.3.14.3.2.26",
	    0x2b, 0x0e, 0x03, 0x02, 0x1a),
	OID(OID_SHA256, "sha256", "2.16.840.1.101.3.4.2.1",
	    0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01),
	OID(OID_SHA384, "sha384", "2.16.840.1.101.3.4.2.2",
	    0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02),
	OID(OID_SHA512, "sha512", "2.16.840.1.101.3.4.2.3",
	    0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03),
	OID(OID_DSA, "dsaEncryption", "1.2.840.10040.4.1",
	    0x2a, 0x86, 0x48, 0xce, 0x38, 0x04, 0x01),
	OID(OID_EC_PUBLIC_KEY, "id-ecPublicKey", "1.2.840.10045.2.1",
	    0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01),
	OID(OID_PBES2, "pbes2", "1.2.840.113549.1.5.13",
	    0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0d),
	OID(OID_PBKDF2, "pbkdf2", "1.2.840.113549.1.5.12",
	    0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0c),
	OID(OID_HMAC_SHA256, "hmacWithSHA256", "1.2.840.113549.2.9",
	    0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x09),
	OID(OID_AES128_CBC, "aes-128-cbc", "2.16.840.1.101.3.4.1.2",
	    0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x02),
	OID(OID_AES256_CBC, "aes-256-cbc", "2.16.840.1.101.3.4.1.42",
	    0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x2a),
	OID(OID_EXTENSION_REQUEST, "extensionRequest", "1.2.840.113549.1.9.14",
	    0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x0e),
	OID(OID_CHALLENGE_PASSWORD, "challengePassword", "1.2.840.113549.1.9.7",
	    0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x07),
	OID(OID_HMAC_SHA1, "hmacWithSHA1", "1.2.840.113549.2.7",
	    0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x07),
	OID(OID_HMAC_SHA384, "hmacWithSHA384", "1.2.840.113549.2.10",
	    0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x0a),
	OID(OID_HMAC_SHA512, "hmacWithSHA512", "1.2.840.113549.2.11",
	    0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x0b),
	OID(OID_AES192_CBC, "aes-192-cbc", "2.16.840.1.101.3.4.1.22",
	    0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x16),
	OID(OID_DES_EDE3_CBC, "des-ede3-cbc", "1.2.840.113549.3.7",
	    0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x03, 0x07),
	OID(OID_PBE_SHA1_3DES, "pbeWithSHA1And3-KeyTripleDES-CBC", "1.2.840.113549.1.12.1.3",
	    0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x01, 0x03),
	OID(OID_PBE_SHA1_RC2_128, "pbeWithSHA1And128BitRC2-CBC", "1.2.840.113549.1.12.1.5",
	    0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x01, 0x05),
	OID(OID_PBE_SHA1_RC2_40, "pbeWithSHA1And40BitRC2-CBC", "1.2.840.113549.1.12.1.6",
	    0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x01, 0x06),
	OID(OID_P12_KEY_BAG, "keyBag", "1.2.840.113549.1.12.10.1.1",
	    0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x0a, 0x01, 0x01),
	OID(OID_P12_SHROUDED_KEY_BAG, "pkcs8ShroudedKeyBag", "1.2.840.113549.1.12.10.1.2",
	    0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x0a, 0x01, 0x02),
	OID(OID_P12_CERT_BAG, "certBag", "1.2.840.113549.1.12.10.1.3",
	    0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x0a, 0x01, 0x03),
	OID(OID_P12_CRL_BAG, "crlBag", "1.2.840.113549.1.12.10.1.4",
	    0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x0a, 0x01, 0x04),
	OID(OID_P12_SECRET_BAG, "secretBag", "1.2.840.113549.1.12.10.1.5",
	    0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x0a, 0x01, 0x05),
	OID(OID_P12_SAFE_CONTENTS_BAG, "safeContentsBag", "1.2.840.113549.1.12.10.1.6",
	    0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x0a, 0x01, 0x06),
	OID(OID_FRIENDLY_NAME, "friendlyName", "1.2.840.113549.1.9.20",
	    0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x14),
	OID(OID_LOCAL_KEY_ID, "localKeyID", "1.2.840.113549.1.9.21",
	    0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x15),
	OID(OID_X509_CERTIFICATE, "x509Certificate", "1.2.840.113549.1.9.22.1",
	    0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x16, 0x01),
	OID(OID_PKCS7_ENCRYPTED_DATA, "pkcs7-encryptedData", "1.2.840.113549.1.7.6",
	    0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x06),
	OID(OID_PKCS7_DATA, "pkcs7-data", "1.2.840.113549.1.7.1",
	    0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01),
	OID(OID_PKCS7_SIGNED_DATA, "pkcs7-signedData", "1.2.840.113549.1.7.2",
	    0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02),
	OID(OID_CONTENT_TYPE, "contentType", "1.2.840.113549.1.9.3",
	    0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x03),
	OID(OID_MESSAGE_DIGEST, "messageDigest", "1.2.840.113549.1.9.4",
	    0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x04),
	OID(OID_SIGNING_TIME, "signingTime", "1.2.840.113549.1.9.5",
	    0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x05),
	OID(OID_CN, "CN", "2.5.4.3",
	    0x55, 0x04, 0x03),
	OID(OID_SURNAME, "SN", "2.5.4.4",
	    0x55, 0x04, 0x04),
	OID(OID_SERIAL_NUMBER, "serialNumber", "2.5.4.5",
	    0x55, 0x04, 0x05),
	OID(OID_C, "C", "2.5.4.6",
	    0x55, 0x04, 0x06),
	OID(OID_L, "L", "2.5.4.7",
	    0x55, 0x04, 0x07),
	OID(OID_ST, "ST", "2.5.4.8",
	    0x55, 0x04, 0x08),
	OID(OID_STREET, "street", "2.5.4.9",
	    0x55, 0x04, 0x09),
	OID(OID_O, "O", "2.5.4.10",
	    0x55, 0x04, 0x0a),
	OID(OID_OU, "OU", "2.5.4.11",
	    0x55, 0x04, 0x0b),
	OID(OID_TITLE, "title", "2.5.4.12",
	    0x55, 0x04, 0x0c),
	OID(OID_GIVEN_NAME, "GN", "2.5.4.42",
	    0x55, 0x04, 0x2a),
	OID(OID_DN_QUALIFIER, "dnQualifier", "2.5.4.46",
	    0x55, 0x04, 0x2e),
	OID(OID_PSEUDONYM, "pseudonym", "2.5.4.65",
	    0x55, 0x04, 0x41),
	OID(OID_EMAIL, "emailAddress", "1.2.840.113549.1.9.1",
	    0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01),
	OID(OID_DC, "DC", "0.9.2342.19200300.100.1.25",
	    0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x19),
	OID(OID_UID, "UID", "0.9.2342.19200300.100.1.1",
	    0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x01),
	OID(OID_PKIX_OCSP_BASIC, "basicOCSPResponse", "1.3.6.1.5.5.7.48.1.1",
	    0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01, 0x01),
	OID(OID_PKIX_OCSP_NONCE, "Nonce", "1.3.6.1.5.5.7.48.1.2",
	    0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01, 0x02),
	OID(OID_SUBJECT_KEY_ID, "subjectKeyIdentifier", "2.5.29.14",
	    0x55, 0x1d, 0x0e),
	OID(OID_KEY_USAGE, "keyUsage", "2.5.29.15",
	    0x55, 0x1d, 0x0f),
	OID(OID_SUBJECT_ALT_NAME, "subjectAltName", "2.5.29.17",
	    0x55, 0x1d, 0x11),
	OID(OID_ISSUER_ALT_NAME, "issuerAltName", "2.5.29.18",
	    0x55, 0x1d, 0x12),
	OID(OID_BASIC_CONSTRAINTS, "basicConstraints", "2.5.29.19",
	    0x55, 0x1d, 0x13),
	OID(OID_CRL_NUMBER, "crlNumber", "2.5.29.20",
	    0x55, 0x1d, 0x14),
	OID(OID_CRL_REASON, "CRLReason", "2.5.29.21",
	    0x55, 0x1d, 0x15),
	OID(OID_INVALIDITY_DATE, "invalidityDate", "2.5.29.24",
	    0x55, 0x1d, 0x18),
	OID(OID_DELTA_CRL_INDICATOR, "deltaCRL", "2.5.29.27",
	    0x55, 0x1d, 0x1b),
	OID(OID_ISSUING_DIST_POINT, "issuingDistributionPoint", "2.5.29.28",
	    0x55, 0x1d, 0x1c),
	OID(OID_CERTIFICATE_ISSUER, "certificateIssuer", "2.5.29.29",
	    0x55, 0x1d, 0x1d),
	OID(OID_NAME_CONSTRAINTS, "nameConstraints", "2.5.29.30",
	    0x55, 0x1d, 0x1e),
	OID(OID_CRL_DIST_POINTS, "crlDistributionPoints", "2.5.29.31",
	    0x55, 0x1d, 0x1f),
	OID(OID_CERT_POLICIES, "certificatePolicies", "2.5.29.32",
	    0x55, 0x1d, 0x20),
	OID(OID_POLICY_MAPPINGS, "policyMappings", "2.5.29.33",
	    0x55, 0x1d, 0x21),
	OID(OID_AUTHORITY_KEY_ID, "authorityKeyIdentifier", "2.5.29.35",
	    0x55, 0x1d, 0x23),
	OID(OID_POLICY_CONSTRAINTS, "policyConstraints", "2.5.29.36",
	    0x55, 0x1d, 0x24),
	OID(OID_EXT_KEY_USAGE, "extendedKeyUsage", "2.5.29.37",
	    0x55, 0x1d, 0x25),
	OID(OID_FRESHEST_CRL, "freshestCRL", "2.5.29.46",
	    0x55, 0x1d, 0x2e),
	OID(OID_INHIBIT_ANY_POLICY, "inhibitAnyPolicy", "2.5.29.54",
	    0x55, 0x1d, 0x36),
	OID(OID_AUTHORITY_INFO_ACCESS, "authorityInfoAccess", "1.3.6.1.5.5.7.1.1",
	    0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x01, 0x01),
	OID(OID_ANY_EKU, "anyExtendedKeyUsage", "2.5.29.37.0",
	    0x55, 0x1d, 0x25, 0x00),
	OID(OID_KP_SERVER_AUTH, "serverAuth", "1.3.6.1.5.5.7.3.1",
	    0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01),
	OID(OID_KP_CLIENT_AUTH, "clientAuth", "1.3.6.1.5.5.7.3.2",
	    0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x02),
	OID(OID_KP_CODE_SIGNING, "codeSigning", "1.3.6.1.5.5.7.3.3",
	    0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x03),
	OID(OID_KP_EMAIL_PROTECTION, "emailProtection", "1.3.6.1.5.5.7.3.4",
	    0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x04),
	OID(OID_KP_TIME_STAMPING, "timeStamping", "1.3.6.1.5.5.7.3.8",
	    0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x08),
	OID(OID_KP_OCSP_SIGNING, "OCSPSigning", "1.3.6.1.5.5.7.3.9",
	    0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x09),
	OID(OID_AD_OCSP, "OCSP", "1.3.6.1.5.5.7.48.1",
	    0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01),
	OID(OID_AD_CA_ISSUERS, "caIssuers", "1.3.6.1.5.5.7.48.2",
	    0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x02),
};

const struct oid_entry *
oid_get(enum oid_id id)
{
	if ((unsigned)id >= OID__COUNT)
		id = OID_UNKNOWN;
	return &oid_table[id];
}

enum oid_id
oid_find(const uint8_t *der, size_t len)
{
	size_t i;

	for (i = 1; i < OID__COUNT; i++)
		if (oid_table[i].len == len &&
		    memcmp(oid_table[i].der, der, len) == 0)
			return oid_table[i].id;
	return OID_UNKNOWN;
}

enum oid_id
oid_find_name(const char *name)
{
	size_t i;

	for (i = 1; i < OID__COUNT; i++)
		if (strcasecmp(oid_table[i].sn, name) == 0 ||
		    strcmp(oid_table[i].dotted, name) == 0)
			return oid_table[i].id;
	return OID_UNKNOWN;
}

/* Appends s to out at *pos, truncating but always terminating. */
static void
oid_append(char *out, size_t outlen, size_t *pos, const char *s)
{
	size_t n = strlen(s);

	if (*pos >= outlen)
		return;
	if (n > outlen - 1 - *pos)
		n = outlen - 1 - *pos;
	memcpy(out + *pos, s, n);
	*pos += n;
	out[*pos] = '\0';
}

int
oid_to_dotted(const uint8_t *der, size_t len, char *out, size_t outlen)
{
	char arc[48];
	size_t i, pos = 0;
	uint64_t v = 0;
	int first = 1, start = 1;

	if (outlen == 0)
		return len == 0 ? -1 : 0;
	out[0] = '\0';
	if (len == 0)
		goto bad;
	for (i = 0; i < len; i++) {
		/* A subidentifier may not start with 0x80 (non-minimal). */
		if (start && der[i] == 0x80)
			goto bad;
		if (v > (UINT64_MAX >> 7))
			goto bad;
		v = (v << 7) | (der[i] & 0x7f);
		start = 0;
		if (der[i] & 0x80)
			continue;
		if (first) {
			if (v < 40)
				snprintf(arc, sizeof arc, "0.%llu",
				    (unsigned long long)v);
			else if (v < 80)
				snprintf(arc, sizeof arc, "1.%llu",
				    (unsigned long long)(v - 40));
			else
				snprintf(arc, sizeof arc, "2.%llu",
				    (unsigned long long)(v - 80));
			first = 0;
		} else
			snprintf(arc, sizeof arc, ".%llu",
			    (unsigned long long)v);
		oid_append(out, outlen, &pos, arc);
		v = 0;
		start = 1;
	}
	if (!start)		/* the last subidentifier is truncated */
		goto bad;
	return 0;
bad:
	pos = 0;
	out[0] = '\0';
	oid_append(out, outlen, &pos, "<bad OID>");
	return -1;
}

void
oid_to_text(const uint8_t *der, size_t len, char *out, size_t outlen)
{
	enum oid_id id = oid_find(der, len);
	size_t pos = 0;

	if (outlen == 0)
		return;
	if (id != OID_UNKNOWN) {
		out[0] = '\0';
		oid_append(out, outlen, &pos, oid_table[id].sn);
	} else
		oid_to_dotted(der, len, out, outlen);
}
