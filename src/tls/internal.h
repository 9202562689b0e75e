/* internal.h — what the engine's files share (not for callers). */
#ifndef MP_TLS_INTERNAL_H
#define MP_TLS_INTERNAL_H

#include "tls/rd.h"
#include "tls/tls.h"

/* Record content types. */
enum {
	CT_CCS = 20,
	CT_ALERT = 21,
	CT_HANDSHAKE = 22,
	CT_APPDATA = 23,
};

/* Handshake message types. */
enum {
	HS_CLIENT_HELLO = 1,
	HS_SERVER_HELLO = 2,
	HS_NEW_SESSION_TICKET = 4,
	HS_END_OF_EARLY_DATA = 5,
	HS_ENCRYPTED_EXTENSIONS = 8,
	HS_CERTIFICATE = 11,
	HS_SERVER_KEY_EXCHANGE = 12,
	HS_CERTIFICATE_REQUEST = 13,
	HS_SERVER_HELLO_DONE = 14,
	HS_CERTIFICATE_VERIFY = 15,
	HS_CLIENT_KEY_EXCHANGE = 16,
	HS_FINISHED = 20,
	HS_KEY_UPDATE = 24,
	HS_MESSAGE_HASH = 254,
};

/* Extensions. */
enum {
	EXT_SERVER_NAME = 0,
	EXT_SUPPORTED_GROUPS = 10,
	EXT_EC_POINT_FORMATS = 11,
	EXT_SIGNATURE_ALGORITHMS = 13,
	EXT_ALPN = 16,
	EXT_EXTENDED_MASTER_SECRET = 23,
	EXT_SESSION_TICKET = 35,
	EXT_SUPPORTED_VERSIONS = 43,
	EXT_COOKIE = 44,
	EXT_PSK_KEY_EXCHANGE_MODES = 45,
	EXT_SIGNATURE_ALGORITHMS_CERT = 50,
	EXT_KEY_SHARE = 51,
	EXT_RENEGOTIATION_INFO = 0xff01,
};

#define SUITE_TLS_AES_128_GCM_SHA256	0x1301
#define SUITE_SCSV_RENEGOTIATION	0x00ff
#define GROUP_X25519			0x001d
#define SIG_RSA_PSS_RSAE_SHA256		0x0804
#define SIG_RSA_PKCS1_SHA256		0x0401

/* What a ClientHello offers, as far as we care (tls13.c parses it). */
struct ch_offer {
	unsigned legacy_version;
	int v13, v12;		/* supported_versions lists 0x0304 / 0x0303 */
	int has_sv;		/* the supported_versions extension is there */
	int s1301, sc02f, s009c, scsv;
	int pss, pkcs1;		/* signature_algorithms */
	int group;		/* supported_groups has x25519 */
	const uint8_t *share;	/* x25519 key share, 32 bytes */
	int ems;		/* extended_master_secret */
	int reneg;		/* renegotiation_info: -1 absent, 0 empty, 1 not */
};

/* What a ServerHello says. */
struct sh_info {
	unsigned legacy_version, suite, comp;
	const uint8_t *random;
	struct rd sid;
	unsigned sv;		/* supported_versions, 0 when absent */
	unsigned group;		/* key_share */
	const uint8_t *share;
	int ems, reneg, ecpf;	/* -1 reneg absent, 0 empty, 1 not */
	unsigned other_ext;	/* an extension we did not offer, or 0 */
};

/* engine.c: versions allowed by the configuration. */
uint16_t engine_min_version(const struct tls_engine *);
uint16_t engine_max_version(const struct tls_engine *);

/* engine.c: fails the connection: sends alert (when not -1), records the
 * reason. Returns -1. */
int engine_fail(struct tls_engine *, int alert, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The peer sent alert code: records it and closes. */
void engine_peer_alert(struct tls_engine *, int level, int code);

/* record.c */
/* Sends data of content type as records (fragmented, protected when the
 * write direction is active). */
void record_send(struct tls_engine *, int type, const uint8_t *, size_t);
/* Sends a ChangeCipherSpec record (the one byte 1). */
void record_send_ccs(struct tls_engine *);
/* Processes the complete record in ibuf. */
void record_input(struct tls_engine *);
/* Installs traffic keys for 1.3 from a traffic secret. */
void record_set_keys13(struct tls_dir *, const uint8_t secret[32]);
void record_clear_dir(struct tls_dir *);
/* Checks the 5-byte header in ibuf (type, version, length limit). */
int record_check_header(struct tls_engine *);
/* Bytes the record in ibuf needs: the header first, then its body. */
size_t record_want(const struct tls_engine *);

/* hs.c */
/* Sends a handshake message (adding it to the transcript). */
void hs_send(struct tls_engine *, int type, const uint8_t *body, size_t len);
/* Feeds handshake record payload: reassembles and dispatches messages. */
void hs_input(struct tls_engine *, const uint8_t *, size_t);
void hs_transcript_add(struct tls_engine *, const uint8_t *, size_t);
void hs_transcript_hash(const struct tls_engine *, uint8_t out[32]);
/* Checks the peer's Finished body against the n bytes of verify_data we
 * expect (compared in constant time, then wiped); -1 after failing the
 * connection. */
int hs_check_finished(struct tls_engine *, uint8_t *want, size_t n,
    const uint8_t *body, size_t len);

/* keysched.c: TLS 1.3 key schedule with SHA-256 (RFC 8446 7.1). */
void keysched_expand_label(const uint8_t secret[32], const char *label,
    const uint8_t *ctx, size_t ctxlen, uint8_t *out, size_t outlen);
void keysched_derive(const uint8_t secret[32], const char *label,
    const uint8_t thash[32], uint8_t out[32]);
/* Early secret (no PSK) then derived -> handshake secret from the ECDHE
 * shared secret. */
void keysched_handshake_secret(const uint8_t *ecdhe, size_t len,
    uint8_t hs[32]);
void keysched_master_secret(const uint8_t hs[32], uint8_t master[32]);
void keysched_finished(const uint8_t base[32], const uint8_t thash[32],
    uint8_t out[32]);

/* hello.c */
extern const uint8_t hello_hrr_random[32];
extern const uint8_t hello_downgrade12[8];
/* Writes an extension header; close it with wr_end(b, *mark, 2). */
void hello_ext_begin(struct buf *, unsigned type, size_t *mark);
/* Builds and sends our ClientHello for the configured versions. */
void hello_client(struct tls_engine *);
/* Reads a ServerHello (exts gets its extension list); -1 after failing
 * the connection. A HelloRetryRequest is read only up to its extensions. */
int hello_parse_sh(struct tls_engine *, const uint8_t *body, size_t len,
    struct sh_info *, struct rd *exts);
/* Reads a ClientHello into what it offers; sid gets its session id. */
int hello_parse_ch(struct tls_engine *, const uint8_t *body, size_t len,
    struct ch_offer *, struct rd *sid);

/* tls13.c */
void tls13_client_start(struct tls_engine *);
/* A complete handshake message: msg is header and body. */
void tls13_handle(struct tls_engine *, int type, const uint8_t *body,
    size_t len, const uint8_t *msg, size_t msglen);

/* tls12.c: TLS 1.2 (RFC 5246, 7627, 5746). */
void tls12_client_sh(struct tls_engine *, const struct sh_info *,
    const uint8_t *msg, size_t msglen);
void tls12_server_ch(struct tls_engine *, const struct ch_offer *,
    const uint8_t *msg, size_t msglen);
void tls12_handle(struct tls_engine *, int type, const uint8_t *body,
    size_t len, const uint8_t *msg, size_t msglen);
/* A ChangeCipherSpec record (body n bytes). */
void tls12_ccs(struct tls_engine *, const uint8_t *body, size_t n);
/* Installs 1.2 keys: key (16) and salt (4). */
void record_set_keys12(struct tls_dir *, const uint8_t *key,
    const uint8_t *salt);

/* prf.c: the TLS 1.2 PRF with SHA-256 (RFC 5246 5): label, then seed a
 * and seed b (b may be NULL). */
void prf_sha256(const uint8_t *secret, size_t slen, const char *label,
    const uint8_t *a, size_t alen, const uint8_t *b, size_t blen,
    uint8_t *out, size_t outlen);

/* peercert.c: parses and validates the peer's chain; -1 after failing the
 * connection with the right alert. ders[i]/lens[i] leaf first. */
int peercert_check(struct tls_engine *, const uint8_t *const *ders,
    const size_t *lens, size_t n);
/* Sends our chain as a Certificate message, in the TLS 1.3 form (with
 * the request context ctx) when tls13 is set; empty sends none (a TLS 1.2
 * client without a certificate). */
void peercert_send(struct tls_engine *, int tls13, const uint8_t *ctx,
    size_t ctxlen, int empty);
/* Reads a Certificate message of either form: returns the number of
 * certificates (a non-empty chain goes through peercert_check), or -1 after
 * failing the connection, also for an empty chain where the peer must send
 * one (the server always; a client when we require one). */
int peercert_read(struct tls_engine *, int tls13, const uint8_t *body,
    size_t len);
/* Nonzero when the configuration has a chain and a key to authenticate
 * with. */
int peercert_ours(const struct tls_engine *);
/* Reads a SignatureScheme list, setting *pss / *pkcs1 when it names
 * rsa_pss_rsae_sha256 / rsa_pkcs1_sha256 (never clearing them). */
void peercert_schemes(struct rd *, int *pss, int *pkcs1);
/* Appends SignatureScheme and signature<0..2^16-1> over the SHA-256
 * digest d, made with our key: rsa_pss_rsae_sha256 or rsa_pkcs1_sha256.
 * what names the message in an error. */
int peercert_sign(struct tls_engine *, unsigned scheme, const uint8_t d[32],
    const char *what, struct buf *);
/* Reads SignatureScheme and signature from r (which must end there) and
 * checks it over d with the peer's leaf key; rsa_pkcs1_sha256 only when
 * pkcs1_ok (TLS 1.2). */
int peercert_verify(struct tls_engine *, struct rd *, const uint8_t d[32],
    int pkcs1_ok, const char *what);

/* trace.c */
int trace_on(const struct tls_engine *);
void trace_printf(struct tls_engine *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Decodes a handshake message (header included) for the trace. */
void trace_message(struct tls_engine *, int sent, const uint8_t *msg,
    size_t len);
const char *trace_hs_name(int type);

/* keylog.c: one NSS key log line, when a key log is configured. */
void keylog_secret(struct tls_engine *, const char *label,
    const uint8_t *secret, size_t len);

#endif
