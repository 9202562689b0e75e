/* tls.h — the I/O-free TLS engine: TLS 1.3 (RFC 8446) and TLS 1.2
 * (RFC 5246 with RFC 7627 extended master secret and RFC 5746 secure
 * renegotiation indication; no renegotiation). Resumption with tickets
 * the server seals for itself: TLS 1.3 PSK (psk_dhe_ke only, no 0-RTT,
 * psk.c) and TLS 1.2 session tickets (RFC 5077, ticket12.c).
 *
 * Bytes in, bytes out, state flags, as BearSSL's engine: the engine owns no
 * socket and reads no clock. The caller's loop asks tls_engine_state() what
 * the engine can do and moves bytes:
 *   SENDREC  records are waiting: tls_engine_sendrec_buf() gives them, the
 *            caller writes some to the peer and acks that many;
 *   RECVREC  the engine has room for record bytes from the peer:
 *            tls_engine_recvrec_buf() gives the room, the caller reads into
 *            it and acks what it read (records are processed on the ack);
 *   SENDAPP  application data can be written (handshake done): write into
 *            tls_engine_sendapp_buf(), ack, tls_engine_flush() to seal now;
 *   RECVAPP  decrypted application data is waiting in recvapp_buf();
 *   CLOSED   nothing more will happen: the connection is over, cleanly
 *            (tls_engine_error() returns NULL) or not.
 * Memory is bounded: one record in, one plaintext record out, handshake
 * messages up to TLS_MAX_HS_MSG bytes, and no new input is accepted while
 * more than TLS_MAX_PENDING_OUT bytes wait to be sent.
 * An engine is used by one thread at a time and holds no global state;
 * the configuration (and the ticket keys it points to) is only read. */
#ifndef MP_TLS_TLS_H
#define MP_TLS_TLS_H

#include <stddef.h>
#include <stdint.h>

#include <nettle/sha2.h>

#include "crypto/hash.h"

#include "crypto/ecdsa256.h"
#include "crypto/rsakey.h"
#include "util/buf.h"
#include "util/err.h"
#include "x509/cert.h"

struct crl;

#define TLS_CLOSED	0x01
#define TLS_SENDREC	0x02
#define TLS_RECVREC	0x04
#define TLS_SENDAPP	0x08
#define TLS_RECVAPP	0x10

#define TLS_VERSION_12	0x0303
#define TLS_VERSION_13	0x0304

/* Cipher suites, in the server's default order of preference (suite.c):
 * TLS 1.3 AES-128-GCM, AES-256-GCM, ChaCha20-Poly1305; TLS 1.2 ECDHE_RSA
 * with the same three, then RSA key transport. */
#define TLS_SUITE_AES128_GCM_SHA256	0x1301	/* TLS 1.3 */
#define TLS_SUITE_AES256_GCM_SHA384	0x1302	/* TLS 1.3 */
#define TLS_SUITE_CHACHA20_POLY1305_SHA256 0x1303	/* TLS 1.3 */
#define TLS_SUITE_ECDHE_RSA_AES128_GCM	0xc02f	/* TLS 1.2 */
#define TLS_SUITE_ECDHE_RSA_AES256_GCM	0xc030	/* TLS 1.2, SHA-384 PRF */
#define TLS_SUITE_ECDHE_RSA_CHACHA20	0xcca8	/* TLS 1.2, RFC 7905 */
#define TLS_SUITE_ECDHE_ECDSA_AES128_GCM	0xc02b	/* TLS 1.2 */
#define TLS_SUITE_ECDHE_ECDSA_AES256_GCM	0xc02c	/* TLS 1.2, SHA-384 PRF */
#define TLS_SUITE_ECDHE_ECDSA_CHACHA20	0xcca9	/* TLS 1.2, RFC 7905 */
#define TLS_SUITE_RSA_AES128_GCM	0x009c	/* TLS 1.2, RSA key transport */

/* Key exchange groups, default order x25519 then secp256r1 (group.c). */
#define TLS_GROUP_SECP256R1	0x0017
#define TLS_GROUP_X25519	0x001d

#define TLS_MAX_SUITES	16	/* entries in a configured suite list */
/* record_size_limit values (RFC 8449 4; the largest is TLS 1.3's). */
#define TLS_RSL_MIN	64
#define TLS_RSL_MAX	16385
#define TLS_MAX_GROUPS	8	/* entries in a configured group list */
#define TLS_MAX_SHARE	65	/* largest key share (P-256 uncompressed) */
#define TLS_MAX_HASH	48	/* largest suite hash (SHA-384) */

#define TLS_MAX_PLAIN	16384			/* 2^14 */
#define TLS_MAX_CIPHER	(TLS_MAX_PLAIN + 2048)	/* 1.2; 1.3 allows +256 */
#define TLS_MAX_HS_MSG	65536			/* largest handshake body */
#define TLS_MAX_PENDING_OUT (64 * 1024)
#define TLS_MAX_CHAIN	10			/* peer certificates accepted */

/* Alert descriptions (RFC 8446 6). */
enum tls_alert {
	TLS_ALERT_CLOSE_NOTIFY = 0,
	TLS_ALERT_UNEXPECTED_MESSAGE = 10,
	TLS_ALERT_BAD_RECORD_MAC = 20,
	TLS_ALERT_RECORD_OVERFLOW = 22,
	TLS_ALERT_HANDSHAKE_FAILURE = 40,
	TLS_ALERT_BAD_CERTIFICATE = 42,
	TLS_ALERT_UNSUPPORTED_CERTIFICATE = 43,
	TLS_ALERT_CERTIFICATE_REVOKED = 44,
	TLS_ALERT_CERTIFICATE_EXPIRED = 45,
	TLS_ALERT_CERTIFICATE_UNKNOWN = 46,
	TLS_ALERT_ILLEGAL_PARAMETER = 47,
	TLS_ALERT_UNKNOWN_CA = 48,
	TLS_ALERT_ACCESS_DENIED = 49,
	TLS_ALERT_DECODE_ERROR = 50,
	TLS_ALERT_DECRYPT_ERROR = 51,
	TLS_ALERT_PROTOCOL_VERSION = 70,
	TLS_ALERT_INSUFFICIENT_SECURITY = 71,
	TLS_ALERT_INTERNAL_ERROR = 80,
	TLS_ALERT_USER_CANCELED = 90,
	TLS_ALERT_MISSING_EXTENSION = 109,
	TLS_ALERT_UNSUPPORTED_EXTENSION = 110,
	TLS_ALERT_UNRECOGNIZED_NAME = 112,
	TLS_ALERT_CERTIFICATE_REQUIRED = 116,
};

/* "bad_record_mac"; "alert(N)" for an unknown code (static storage for
 * known ones, a per-thread buffer otherwise). */
const char *alert_name(int code);
/* What the alert means when we receive it, in a few words ("the peer does
 * not trust the CA that issued our certificate"); NULL when we have none. */
const char *alert_text(int code);

/* The TLS 1.2 key exchanges a configuration allows. */
enum tls_kx12 {
	TLS_KX12_ANY = 0,
	TLS_KX12_ECDHE,		/* ECDHE_RSA suites only */
	TLS_KX12_RSA,		/* RSA key transport only */
};

enum tls_client_auth {
	TLS_AUTH_NONE = 0,	/* server: do not ask for a certificate */
	TLS_AUTH_OPTIONAL,	/* ask; an empty answer is anonymous */
	TLS_AUTH_REQUIRE,	/* ask; an empty answer is certificate_required */
};

/* Server: the keys tickets are sealed under (AES-256-GCM), held in memory
 * only. The current key seals; the previous one still opens, so a ticket
 * stays good across one rotation. Rotated every lifetime seconds:
 * a ticket is accepted for at most lifetime seconds (ticket.c). */
struct tls_ticket_keys {
	uint8_t name[2][16];	/* [0] current, [1] previous */
	uint8_t key[2][32];
	int64_t made;		/* when [0] was made */
	int have_prev;
	uint32_t lifetime;	/* seconds */
};
#define TLS_TICKET_LIFETIME 7200
/* New keys (lifetime 0: TLS_TICKET_LIFETIME). */
void tls_ticket_keys_init(struct tls_ticket_keys *, int64_t now,
    uint32_t lifetime);
/* Makes a new current key when the current one is lifetime old. */
void tls_ticket_keys_rotate(struct tls_ticket_keys *, int64_t now);
void tls_ticket_keys_clear(struct tls_ticket_keys *);

/* Client: what resuming needs, from a NewSessionTicket: the PSK (secret,
 * never to be logged), the ticket, and its suite. */
#define TLS_MAX_TICKET 1024
struct tls_session {
	uint16_t version, suite;
	uint8_t secret[TLS_MAX_HASH];	/* the resumption PSK */
	size_t secret_len;
	uint8_t ticket[TLS_MAX_TICKET];
	size_t ticket_len;
	uint32_t age_add, lifetime;
	int64_t received;	/* seconds since 1970 */
	/* the name the client connected to (its server_name), "" for none:
	 * the session is offered to that name only */
	char server_name[256];
};
/* The file form of a session (for --sess-out / --sess-in): a magic,
 * then the fields; the reader checks every length. */
void tls_session_write(const struct tls_session *, struct buf *);
int tls_session_read(const uint8_t *, size_t, struct tls_session *,
    struct err *);

/* What an engine is told; the caller keeps it (and what it points to)
 * alive as long as the engine. */
struct tls_config {
	int is_server;
	/* TLS_VERSION_12 or _13; 0 means TLS_VERSION_13 (1.3 only). */
	uint16_t min_version, max_version;
	/* TLS 1.2 suites offered or accepted: 0 both, else only this one
	 * (TLS_SUITE_ECDHE_RSA_AES128_GCM or TLS_SUITE_RSA_AES128_GCM). */
	uint16_t tls12_suite;
	enum tls_kx12 kx12;	/* and only suites of this key exchange */
	/* Cipher suites allowed, in our order of preference (a server
	 * chooses the first the client offers; a client offers them in this
	 * order); NULL: all, in the default order above. Either version's
	 * suites may be listed; the versions allowed still apply. */
	const uint16_t *suites;
	size_t nsuites;
	/* Key exchange groups, likewise; NULL: x25519, secp256r1. A client
	 * sends its TLS 1.3 key share for the first. */
	const uint16_t *groups;
	size_t ngroups;
	/* Signature schemes we offer and sign with (tests narrow them);
	 * NULL: every scheme of sigalg.c. */
	const uint16_t *sigalgs;
	size_t nsigalgs;
	const struct cert_list *chain;	/* our certificate chain, leaf first; may be NULL */
	const struct rsakey *key;	/* its private key when RSA */
	const struct ec256key *eckey;	/* or when P-256 (key then NULL) */
	const struct cert_list *anchors;	/* trust anchors for the peer */
	/* CRLs the peer's certificate is checked against (x509/crl.h), with
	 * a label each for messages (may be NULL); ncrls 0: no revocation
	 * check. With CRLs, the leaf must be covered by one of them. */
	const struct crl *const *crls;
	const char *const *crl_names;
	size_t ncrls;
	const char *server_name;	/* client: SNI and host checked; NULL: none */
	/* Client: accept the server's chain without validating it (EST
	 * bootstrap, RFC 7030 4.1.1: the CA is not known yet); the caller
	 * must validate peer_chain itself before trusting anything read. */
	int peer_unchecked;
	enum tls_client_auth client_auth;	/* server only */
	size_t max_fragment;	/* largest record we send (tests); 0: 2^14 */
	/* The record_size_limit we advertise (RFC 8449, 64 to 2^14 + 1; 0:
	 * the largest): in TLS 1.3 it counts the content type byte and
	 * padding, so the content we take is one less; in TLS 1.2 it is the
	 * plaintext, capped at 2^14. A peer's limit is always honoured. */
	size_t record_limit;
	/* Zero bytes of padding in each TLS 1.3 protected record we send
	 * (tests; RFC 8446 5.4). Not capped, not even by the peer's
	 * record_size_limit: a test may go over the limit. */
	size_t pad;
	/* Each decoded handshake message and key schedule step, one line at
	 * a time (never secrets). */
	void (*trace)(void *ctx, const char *line);
	/* NSS key log lines ("CLIENT_HANDSHAKE_TRAFFIC_SECRET <cr> <secret>"):
	 * secret material, for SSLKEYLOGFILE only. */
	void (*keylog)(void *ctx, const char *line);
	void *cb_ctx;
	/* Server: issue and accept session tickets sealed under these
	 * (NULL: no resumption). */
	const struct tls_ticket_keys *tickets;
	/* Client: offer this session for resumption (NULL: none). */
	const struct tls_session *resume;
};

/* One direction's record protection. */
struct suite_info;
struct tls_dir {
	int active;
	const struct suite_info *su;	/* the AEAD, key size and hash */
	uint8_t key[32];
	uint8_t iv[12];		/* 1.2 GCM: the first 4 bytes are the salt */
	uint64_t seq;
	uint8_t secret[TLS_MAX_HASH];	/* 1.3 traffic secret (KeyUpdate) */
};

struct tls_engine {
	const struct tls_config *cfg;
	int64_t now;
	uint16_t version;	/* negotiated, 0 before ServerHello */
	uint16_t suite;		/* negotiated cipher suite */
	const struct suite_info *su;	/* its table entry, NULL before */
	enum hash_alg hash;	/* its hash (transcript, PRF, HKDF) */
	size_t hlen;		/* and that hash's size */
	uint16_t group;		/* the key exchange group, 0 before/none */
	int state;		/* handshake state (tls13.c) */
	int done;		/* handshake complete */
	int failed;		/* a fatal alert was sent or received */
	int close_sent, close_rcvd;
	int alert_sent, alert_rcvd;	/* -1 when none */
	struct err error;

	/* record input: one record at a time */
	uint8_t ibuf[5 + TLS_MAX_CIPHER];
	size_t ilen;
	uint8_t pbuf[TLS_MAX_CIPHER];	/* decrypted record */
	size_t app_off, app_len;	/* pending application data in pbuf */
	/* record output */
	struct buf obuf;
	size_t ooff;
	uint8_t abuf[TLS_MAX_PLAIN];	/* application data not yet sealed */
	size_t alen;
	/* The most of ibuf (and so of pbuf, which holds a record of it
	 * opened) and of abuf ever used: what wiping them must cover. */
	size_t ihigh, ahigh;
	/* handshake message reassembly */
	struct buf hs;
	int key_changed;	/* a message just changed the read keys */

	struct tls_dir rd, wr;
	/* The transcript in every hash a suite or a TLS 1.2 signature may
	 * need: the suite is not known before ServerHello. */
	struct sha256_ctx th256;
	struct sha384_ctx th384;
	struct sha512_ctx th512;
	/* Only the suite's hash (hash) goes on: hs_transcript_narrow. */
	int th_one;
	uint8_t client_random[32], server_random[32];
	uint8_t session_id[32];
	size_t session_id_len;
	/* our ephemeral key share for group (kx_pub kx_publen bytes) */
	uint8_t kx_priv[32], kx_pub[TLS_MAX_SHARE];
	size_t kx_publen;
	uint8_t hs_secret[TLS_MAX_HASH], master_secret[TLS_MAX_HASH];
	uint8_t c_hs[TLS_MAX_HASH], s_hs[TLS_MAX_HASH];
	uint8_t c_ap[TLS_MAX_HASH], s_ap[TLS_MAX_HASH];
	uint32_t ext_offered;	/* client: extensions in our ClientHello */
	uint8_t *cookie;	/* client: HelloRetryRequest cookie to echo */
	size_t cookie_len;
	int hrr_seen;		/* client: HelloRetryRequest answered */
	/* TLS 1.2 */
	uint8_t ms12[48];	/* master secret */
	uint8_t peer_share[TLS_MAX_SHARE];	/* server's ECDHE value */
	size_t peer_share_len;
	uint16_t cv_scheme;	/* our CertificateVerify scheme */
	uint16_t ch_version;	/* client_version of the ClientHello (RSA kx) */
	int offered13;		/* client: we offered TLS 1.3 too */
	int cert_requested;	/* client: CertificateRequest seen */
	uint8_t *cr_context;	/* its certificate_request_context */
	size_t cr_context_len;
	struct cert_list peer_chain;
	char *peer_subject;	/* the authenticated peer's subject, or NULL */
	int ccs_seen;
	int ccs_sent;		/* 1.3 middlebox CCS sent (once) */
	int hrr_sent;		/* server: HelloRetryRequest sent */
	/* resumption */
	int resumed;		/* the handshake used a PSK */
	int psk_offered;	/* client: our ClientHello has pre_shared_key */
	uint8_t psk[TLS_MAX_HASH];	/* the PSK offered or accepted */
	size_t psk_len;
	enum hash_alg psk_hash;
	uint8_t res_master[TLS_MAX_HASH];	/* resumption_master_secret */
	int ticket_sent;	/* server: NewSessionTicket sent */
	int ticket12;		/* 1.2: server will send / client offered a ticket */
	struct tls_session session;	/* client: the last ticket received */
	int have_session;
	/* server: the ClientHello's server_name (lower case), "" for none;
	 * tickets are sealed with it and resume only for it */
	char sni[256];
	/* record_size_limit (RFC 8449), 0 while not agreed: what we sent
	 * and enforce (1.3: inner plaintext with type and padding), and the
	 * peer's, which our protected records keep to */
	unsigned rsl_ours, rsl_peer;
	unsigned rsl_sent;	/* client: the value our ClientHello carries */
	/* server: the client offered early_data, which we refuse; its 0-RTT
	 * records (undecryptable for us) are skipped, up to a bound */
	int early_skip;
	size_t early_skipped;
};

/* Sets up an engine; a client queues its ClientHello at once. now is the
 * time (seconds since 1970) for certificate checks; update it with
 * tls_engine_set_time. */
void tls_engine_init(struct tls_engine *, const struct tls_config *,
    int64_t now);
/* Wipes every secret and frees what the engine holds. */
void tls_engine_clear(struct tls_engine *);
void tls_engine_set_time(struct tls_engine *, int64_t now);

unsigned tls_engine_state(const struct tls_engine *);
uint8_t *tls_engine_sendrec_buf(struct tls_engine *, size_t *len);
void tls_engine_sendrec_ack(struct tls_engine *, size_t len);
uint8_t *tls_engine_recvrec_buf(struct tls_engine *, size_t *len);
void tls_engine_recvrec_ack(struct tls_engine *, size_t len);
uint8_t *tls_engine_sendapp_buf(struct tls_engine *, size_t *len);
void tls_engine_sendapp_ack(struct tls_engine *, size_t len);
/* Seals the application data written so far into a record. */
void tls_engine_flush(struct tls_engine *);
uint8_t *tls_engine_recvapp_buf(struct tls_engine *, size_t *len);
void tls_engine_recvapp_ack(struct tls_engine *, size_t len);
/* Sends close_notify (after flushing); the engine closes when the peer's
 * close_notify arrives or the caller gives up. */
void tls_engine_close(struct tls_engine *);
/* The transport ended without close_notify: the engine closes with an
 * error unless it had closed cleanly. */
void tls_engine_eof(struct tls_engine *);
/* Sends a KeyUpdate (1.3, after the handshake); request asks the peer to
 * update its keys too. -1 when not possible now. */
int tls_engine_key_update(struct tls_engine *, int request);

/* The failure, when the connection failed (NULL otherwise): the message
 * says what happened in words ("certificate verify failed: ...", "peer
 * sent alert unknown_ca"). */
const struct err *tls_engine_error(const struct tls_engine *);
int tls_engine_handshake_done(const struct tls_engine *);
/* The negotiated version (TLS_VERSION_*) and suite, 0 before known;
 * "TLS 1.3" / "TLS_AES_128_GCM_SHA256" names for them. */
uint16_t tls_engine_version(const struct tls_engine *);
uint16_t tls_engine_suite(const struct tls_engine *);
const char *tls_version_name(uint16_t);
const char *tls_suite_name(uint16_t);
/* The negotiated key exchange group (TLS_GROUP_*), 0 for none (TLS 1.2
 * RSA key transport) or before it is known; "x25519" / "secp256r1". */
uint16_t tls_engine_group(const struct tls_engine *);
const char *tls_group_name(uint16_t);

/* Reads a list of suite (IANA names, "TLS_AES_256_GCM_SHA384") or group
 * ("x25519", "secp256r1", also "P-256") names separated by ',' or ':'
 * into out (at most max entries, no repeats), in the order given. An
 * unknown or repeated name is ERR_USAGE naming it; returns the count or
 * -1. */
int tls_suites_parse(const char *list, uint16_t *out, size_t max,
    struct err *);
int tls_groups_parse(const char *list, uint16_t *out, size_t max,
    struct err *);
/* How many of the configured suites (cfg->suites, or all) remain for
 * version once the version's other limits (tls12_suite, kx12) apply: a
 * command refuses a configuration with none for every version it allows. */
size_t tls_config_suites(const struct tls_config *, uint16_t version);
/* 0 for a client whose groups lack secp256r1: it offers no TLS 1.2
 * ECDSA suite (RFC 8422 5.1), and tls_config_suites counts none. */
int tls_config_ecdsa12_ok(const struct tls_config *);
/* The names we know, for help and errors: "TLS_AES_128_GCM_SHA256, ...". */
const char *tls_suites_known(void);
const char *tls_groups_known(void);
/* The peer's authenticated certificate subject ("CN=..."), or NULL when
 * the peer sent none (an anonymous client). Lives as long as the engine. */
const char *tls_engine_peer_subject(const struct tls_engine *);
/* Nonzero when the handshake resumed a session (no certificates). */
int tls_engine_resumed(const struct tls_engine *);
/* Client: the last session ticket the server gave, NULL when none yet. */
const struct tls_session *tls_engine_session(const struct tls_engine *);

#endif
