/* oid.h — the one table of object identifiers this project knows. */
#ifndef MP_ASN1_OID_H
#define MP_ASN1_OID_H

#include <stddef.h>
#include <stdint.h>

enum oid_id {
	OID_UNKNOWN = 0,
	/* algorithms */
	OID_RSA_ENCRYPTION,		/* 1.2.840.113549.1.1.1 */
	OID_SHA1_WITH_RSA,		/* 1.2.840.113549.1.1.5 */
	OID_SHA256_WITH_RSA,		/* 1.2.840.113549.1.1.11 */
	OID_SHA384_WITH_RSA,		/* 1.2.840.113549.1.1.12 */
	OID_SHA512_WITH_RSA,		/* 1.2.840.113549.1.1.13 */
	OID_RSASSA_PSS,			/* 1.2.840.113549.1.1.10 */
	OID_MGF1,			/* 1.2.840.113549.1.1.8 */
	OID_RSAES_OAEP,			/* 1.2.840.113549.1.1.7 */
	OID_PSPECIFIED,			/* 1.2.840.113549.1.1.9 */
	OID_SHA1,			/* 1.3.14.3.2.26 */
	OID_SHA256,			/* 2.16.840.1.101.3.4.2.1 */
	OID_SHA384,			/* 2.16.840.1.101.3.4.2.2 */
	OID_SHA512,			/* 2.16.840.1.101.3.4.2.3 */
	OID_DSA,			/* 1.2.840.10040.4.1 (recognised, not supported) */
	OID_EC_PUBLIC_KEY,		/* 1.2.840.10045.2.1 (P-256 keys only) */
	OID_PRIME256V1,			/* 1.2.840.10045.3.1.7 (secp256r1, P-256) */
	OID_ECDSA_WITH_SHA256,		/* 1.2.840.10045.4.3.2 */
	OID_ECDSA_WITH_SHA384,		/* 1.2.840.10045.4.3.3 */
	/* PKCS#5 / PKCS#8 / PKCS#9 */
	OID_PBES2,			/* 1.2.840.113549.1.5.13 */
	OID_PBKDF2,			/* 1.2.840.113549.1.5.12 */
	OID_HMAC_SHA256,		/* 1.2.840.113549.2.9 */
	OID_AES128_CBC,			/* 2.16.840.1.101.3.4.1.2 */
	OID_AES256_CBC,			/* 2.16.840.1.101.3.4.1.42 */
	OID_AES128_GCM,			/* 2.16.840.1.101.3.4.1.6 */
	OID_AES256_GCM,			/* 2.16.840.1.101.3.4.1.46 */
	OID_EXTENSION_REQUEST,		/* 1.2.840.113549.1.9.14 */
	OID_CHALLENGE_PASSWORD,		/* 1.2.840.113549.1.9.7 */
	OID_HMAC_SHA1,			/* 1.2.840.113549.2.7 */
	OID_HMAC_SHA384,		/* 1.2.840.113549.2.10 */
	OID_HMAC_SHA512,		/* 1.2.840.113549.2.11 */
	OID_AES192_CBC,			/* 2.16.840.1.101.3.4.1.22 */
	OID_DES_EDE3_CBC,		/* 1.2.840.113549.3.7 */
	/* PKCS#12 (RFC 7292): PBE algorithms, bag types, attributes */
	OID_PBE_SHA1_3DES,		/* 1.2.840.113549.1.12.1.3 */
	OID_PBE_SHA1_RC2_128,		/* 1.2.840.113549.1.12.1.5 */
	OID_PBE_SHA1_RC2_40,		/* 1.2.840.113549.1.12.1.6 */
	OID_P12_KEY_BAG,		/* 1.2.840.113549.1.12.10.1.1 */
	OID_P12_SHROUDED_KEY_BAG,	/* 1.2.840.113549.1.12.10.1.2 */
	OID_P12_CERT_BAG,		/* 1.2.840.113549.1.12.10.1.3 */
	OID_P12_CRL_BAG,		/* 1.2.840.113549.1.12.10.1.4 */
	OID_P12_SECRET_BAG,		/* 1.2.840.113549.1.12.10.1.5 */
	OID_P12_SAFE_CONTENTS_BAG,	/* 1.2.840.113549.1.12.10.1.6 */
	OID_FRIENDLY_NAME,		/* 1.2.840.113549.1.9.20 */
	OID_LOCAL_KEY_ID,		/* 1.2.840.113549.1.9.21 */
	OID_X509_CERTIFICATE,		/* 1.2.840.113549.1.9.22.1 */
	OID_PKCS7_ENCRYPTED_DATA,	/* 1.2.840.113549.1.7.6 */
	/* CMS (RFC 5652) content types and signed attributes */
	OID_PKCS7_DATA,			/* 1.2.840.113549.1.7.1 */
	OID_PKCS7_SIGNED_DATA,		/* 1.2.840.113549.1.7.2 */
	OID_PKCS7_ENVELOPED_DATA,	/* 1.2.840.113549.1.7.3 */
	OID_AUTH_ENVELOPED_DATA,	/* 1.2.840.113549.1.9.16.1.23 */
	OID_CONTENT_TYPE,		/* 1.2.840.113549.1.9.3 */
	OID_MESSAGE_DIGEST,		/* 1.2.840.113549.1.9.4 */
	OID_SIGNING_TIME,		/* 1.2.840.113549.1.9.5 */
	/* name attributes */
	OID_CN,				/* 2.5.4.3 */
	OID_SURNAME,			/* 2.5.4.4 */
	OID_SERIAL_NUMBER,		/* 2.5.4.5 */
	OID_C,				/* 2.5.4.6 */
	OID_L,				/* 2.5.4.7 */
	OID_ST,				/* 2.5.4.8 */
	OID_STREET,			/* 2.5.4.9 */
	OID_O,				/* 2.5.4.10 */
	OID_OU,				/* 2.5.4.11 */
	OID_TITLE,			/* 2.5.4.12 */
	OID_GIVEN_NAME,			/* 2.5.4.42 */
	OID_DN_QUALIFIER,		/* 2.5.4.46 */
	OID_PSEUDONYM,			/* 2.5.4.65 */
	OID_EMAIL,			/* 1.2.840.113549.1.9.1 */
	OID_DC,				/* 0.9.2342.19200300.100.1.25 */
	OID_UID,			/* 0.9.2342.19200300.100.1.1 */
	/* OCSP (RFC 6960) */
	OID_PKIX_OCSP_BASIC,		/* 1.3.6.1.5.5.7.48.1.1 */
	OID_PKIX_OCSP_NONCE,		/* 1.3.6.1.5.5.7.48.1.2 */
	/* certificate and CRL extensions */
	OID_SUBJECT_KEY_ID,		/* 2.5.29.14 */
	OID_KEY_USAGE,			/* 2.5.29.15 */
	OID_SUBJECT_ALT_NAME,		/* 2.5.29.17 */
	OID_ISSUER_ALT_NAME,		/* 2.5.29.18 */
	OID_BASIC_CONSTRAINTS,		/* 2.5.29.19 */
	OID_CRL_NUMBER,			/* 2.5.29.20 */
	OID_CRL_REASON,			/* 2.5.29.21 */
	OID_INVALIDITY_DATE,		/* 2.5.29.24 */
	OID_DELTA_CRL_INDICATOR,	/* 2.5.29.27 */
	OID_ISSUING_DIST_POINT,		/* 2.5.29.28 */
	OID_CERTIFICATE_ISSUER,		/* 2.5.29.29 */
	OID_NAME_CONSTRAINTS,		/* 2.5.29.30 */
	OID_CRL_DIST_POINTS,		/* 2.5.29.31 */
	OID_CERT_POLICIES,		/* 2.5.29.32 */
	OID_POLICY_MAPPINGS,		/* 2.5.29.33 */
	OID_AUTHORITY_KEY_ID,		/* 2.5.29.35 */
	OID_POLICY_CONSTRAINTS,		/* 2.5.29.36 */
	OID_EXT_KEY_USAGE,		/* 2.5.29.37 */
	OID_FRESHEST_CRL,		/* 2.5.29.46 */
	OID_INHIBIT_ANY_POLICY,		/* 2.5.29.54 */
	OID_AUTHORITY_INFO_ACCESS,	/* 1.3.6.1.5.5.7.1.1 */
	/* extended key usages */
	OID_ANY_EKU,			/* 2.5.29.37.0 */
	OID_KP_SERVER_AUTH,		/* 1.3.6.1.5.5.7.3.1 */
	OID_KP_CLIENT_AUTH,		/* 1.3.6.1.5.5.7.3.2 */
	OID_KP_CODE_SIGNING,		/* 1.3.6.1.5.5.7.3.3 */
	OID_KP_EMAIL_PROTECTION,	/* 1.3.6.1.5.5.7.3.4 */
	OID_KP_TIME_STAMPING,		/* 1.3.6.1.5.5.7.3.8 */
	OID_KP_OCSP_SIGNING,		/* 1.3.6.1.5.5.7.3.9 */
	/* access methods of authorityInfoAccess (RFC 5280 4.2.2.1) */
	OID_AD_OCSP,			/* 1.3.6.1.5.5.7.48.1 */
	OID_AD_CA_ISSUERS,		/* 1.3.6.1.5.5.7.48.2 */
	OID__COUNT
};

struct oid_entry {
	enum oid_id id;
	const char *sn;		/* short name: "CN", "sha256WithRSAEncryption" */
	const char *dotted;	/* "2.5.4.3" */
	const uint8_t *der;	/* contents octets (no tag, no length) */
	size_t len;
};

/* The entry of a known id; never NULL for ids below OID__COUNT. */
const struct oid_entry *oid_get(enum oid_id);
/* The id of DER contents octets, OID_UNKNOWN when not in the table. */
enum oid_id oid_find(const uint8_t *der, size_t len);
/* Looks up by short name (case-insensitive) or dotted form. */
enum oid_id oid_find_name(const char *);
/* Writes the dotted form of any OID contents into out (always terminated);
 * returns -1 for a malformed encoding (then out holds "<bad OID>"). */
int oid_to_dotted(const uint8_t *der, size_t len, char *out, size_t outlen);
/* Short name when known, else the dotted form; writes into out like
 * oid_to_dotted. */
void oid_to_text(const uint8_t *der, size_t len, char *out, size_t outlen);

#endif
