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
	EXT_RECORD_SIZE_LIMIT = 28,	/* RFC 8449 */
	EXT_SESSION_TICKET = 35,
	EXT_SUPPORTED_VERSIONS = 43,
	EXT_PRE_SHARED_KEY = 41,
	EXT_EARLY_DATA = 42,
	EXT_COOKIE = 44,
	EXT_PSK_KEY_EXCHANGE_MODES = 45,
	EXT_SIGNATURE_ALGORITHMS_CERT = 50,
	EXT_KEY_SHARE = 51,
	EXT_RENEGOTIATION_INFO = 0xff01,
};

#define SUITE_SCSV_RENEGOTIATION	0x00ff

/* suite.c: one entry per cipher suite we speak. */
enum suite_kx { KX_TLS13 = 0, KX_ECDHE, KX_RSA };
enum suite_aead { AEAD_AES_GCM = 0, AEAD_CHACHA20_POLY1305 };
/* The key the server's certificate must hold (TLS 1.2 suites name it;
 * a TLS 1.3 suite takes any, the signature scheme decides). */
enum suite_auth { AUTH_ANY = 0, AUTH_RSA, AUTH_ECDSA };
struct suite_info {
	uint16_t id;
	const char *name;
	uint16_t version;	/* TLS_VERSION_13 or _12 */
	enum suite_kx kx;
	enum suite_auth auth;
	enum suite_aead aead;
	size_t keylen;		/* 16 or 32 */
	size_t fixed_iv;	/* 1.2 key block IV bytes: 4 GCM, 12 ChaCha */
	enum hash_alg hash;	/* transcript, HKDF or PRF */
	const char *cipher;	/* "AES-128-GCM", for the trace */
};
const struct suite_info *suite_find(unsigned id);
/* Whether our own certificate's key can serve suite s (a server). */
int suite_auth_ok(const struct tls_engine *, const struct suite_info *s);
/* The suites the configuration allows for version, in our preference
 * order, into out (up to TLS_MAX_SUITES); returns the count. A client's
 * TLS 1.2 list has ECDSA suites only with secp256r1 among its groups. */
size_t suite_list(const struct tls_engine *, uint16_t version,
    const struct suite_info **out);

/* group.c: one entry per key exchange group. */
struct group_info {
	uint16_t id;
	const char *name;
	size_t share_len;	/* exact key share length */
	size_t secret_len;	/* shared secret length */
	void (*keygen)(uint8_t *priv, uint8_t *pub);
	int (*shared)(const uint8_t *priv, const uint8_t *peer, size_t len,
	    uint8_t *out, struct err *);
};
const struct group_info *group_find(unsigned id);
/* The configured groups in our order (up to TLS_MAX_GROUPS). */
size_t group_list(const struct tls_engine *, const struct group_info **out);
/* Index of g in our list, -1 when not allowed. */
int group_rank(const struct tls_engine *, unsigned g);
/* New key share for g into t->kx_priv / kx_pub; sets t->group. */
void group_keygen(struct tls_engine *, const struct group_info *g);
/* The shared secret with the peer's share (secret gets g->secret_len
 * bytes, at most 32); fails the connection with illegal_parameter (-1)
 * for a share of the wrong length or a bad point. Wipes kx_priv. */
int group_shared(struct tls_engine *, const uint8_t *peer, size_t len,
    uint8_t *secret, const char *what);

/* sigalg.c: signature schemes as a table; a set of them is a bit mask
 * over the table's indexes. */
enum sig_kind { SIGK_RSA_PSS = 0, SIGK_RSA_PKCS1, SIGK_ECDSA };
struct sig_info {
	uint16_t id;
	const char *name;
	enum sig_kind kind;
	enum hash_alg hash;
	int tls13;		/* allowed in TLS 1.3 CertificateVerify */
};
/* The schemes we offer (and so accept) for signatures in a handshake of
 * the given kind: tls13 set leaves out PKCS#1 v1.5. Our order. */
uint32_t sig_offer(const struct tls_engine *, int tls13);
/* Writes the schemes of mask as a SignatureScheme list<2..2^16-2>. */
void sig_write(struct buf *, uint32_t mask);
/* Reads a SignatureScheme list into a mask of the schemes we know. */
uint32_t sig_read(struct rd *);
/* Our choice for signing with our key among the peer's mask (and what
 * tls13 allows): the first of our table; 0 when none fits. */
unsigned sig_choose(const struct tls_engine *, uint32_t peer, int tls13);
const struct sig_info *sig_find(unsigned id);
/* The mask bit of scheme id, 0 when unknown. */
uint32_t sig_bit(unsigned id);

/* What a ClientHello offers, as far as we care (tls13.c parses it). */
struct ch_offer {
	unsigned legacy_version;
	int v13, v12;		/* supported_versions lists 0x0304 / 0x0303 */
	int has_sv;		/* the supported_versions extension is there */
	uint16_t suites[64];	/* the suites we know, in the client's order */
	size_t nsuites;
	int scsv;
	uint32_t sigs;		/* signature_algorithms, as a sig mask */
	int has_groups;		/* supported_groups is there */
	uint32_t groups;	/* its groups we know: bit group_rank */
	int secp256r1;		/* it lists secp256r1, configured or not */
	/* the key share for each group of ours (by rank), NULL: none */
	const uint8_t *share[TLS_MAX_GROUPS];
	size_t share_len[TLS_MAX_GROUPS];
	int ems;		/* extended_master_secret */
	int reneg;		/* renegotiation_info: -1 absent, 0 empty, 1 not */
	uint32_t exts;		/* extensions sent, as hello_ext_bit bits */
	int psk_dhe;		/* psk_key_exchange_modes has psk_dhe_ke */
	int has_psk;		/* pre_shared_key: its first identity */
	const uint8_t *psk_id;
	size_t psk_id_len;
	const uint8_t *psk_binder;	/* and the first binder */
	size_t psk_binder_len;
	size_t psk_trunc;	/* body bytes before the binders list */
	int has_ticket12;	/* session_ticket (RFC 5077), maybe empty */
	const uint8_t *ticket12;
	size_t ticket12_len;
	unsigned rsl;		/* record_size_limit, 0 when absent */
	int early_data;		/* early_data: the client would send 0-RTT */
};

/* What a ServerHello says. */
struct sh_info {
	unsigned legacy_version, suite, comp;
	const uint8_t *random;
	struct rd sid;
	unsigned sv;		/* supported_versions, 0 when absent */
	unsigned group;		/* key_share */
	const uint8_t *share;
	size_t share_len;
	int ems, reneg, ecpf;	/* -1 reneg absent, 0 empty, 1 not */
	uint32_t exts;		/* extensions present (hello_ext_bit) */
	int has_psk;		/* pre_shared_key: selected_identity */
	unsigned psk_sel;
	int ticket12;		/* session_ticket: a NewSessionTicket follows */
	unsigned rsl;		/* record_size_limit (TLS 1.2), 0 when absent */
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
/* Installs traffic keys for 1.3 from a traffic secret (hash size of
 * su's hash). */
void record_set_keys13(struct tls_dir *, const struct suite_info *su,
    const uint8_t *secret);
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
/* From now on only the transcript in t->hash is kept (and given). */
void hs_transcript_narrow(struct tls_engine *);
/* The transcript hash in the negotiated suite's hash (t->hlen bytes). */
void hs_transcript_hash(const struct tls_engine *, uint8_t *out);
/* In hash alg (SHA-256, -384 or -512); returns its size. */
size_t hs_transcript_hash_alg(const struct tls_engine *, enum hash_alg,
    uint8_t *out);
/* After a HelloRetryRequest: the transcript so far (ClientHello1) becomes
 * message_hash(Hash(ClientHello1)) in each hash (RFC 8446 4.4.1). */
void hs_transcript_restart(struct tls_engine *);
/* Checks the peer's Finished body against the n bytes of verify_data we
 * expect (compared in constant time, then wiped); -1 after failing the
 * connection. */
int hs_check_finished(struct tls_engine *, uint8_t *want, size_t n,
    const uint8_t *body, size_t len);

/* keysched.c: TLS 1.3 key schedule (RFC 8446 7.1) with the suite's hash
 * (SHA-256 or SHA-384): secrets and transcript hashes are hash_size(h)
 * bytes. */
void keysched_expand_label(enum hash_alg h, const uint8_t *secret,
    const char *label, const uint8_t *ctx, size_t ctxlen, uint8_t *out,
    size_t outlen);
void keysched_derive(enum hash_alg h, const uint8_t *secret,
    const char *label, const uint8_t *thash, uint8_t *out);
/* Early secret = HKDF-Extract(0, PSK), zeros for psk NULL. */
void keysched_early_secret(enum hash_alg h, const uint8_t *psk,
    size_t psklen, uint8_t *early);
/* A resumption PSK binder (RFC 8446 4.2.11.2): the Finished MAC under
 * the "res binder" key over thash, the truncated transcript's hash. */
void keysched_binder(enum hash_alg h, const uint8_t *psk, size_t psklen,
    const uint8_t *thash, uint8_t *out);
/* Early secret (from psk, NULL: none) then derived -> handshake secret
 * from the ECDHE shared secret. */
void keysched_handshake_secret(enum hash_alg h, const uint8_t *psk,
    size_t psklen, const uint8_t *ecdhe, size_t len, uint8_t *hs);
void keysched_master_secret(enum hash_alg h, const uint8_t *hs,
    uint8_t *master);
void keysched_finished(enum hash_alg h, const uint8_t *base,
    const uint8_t *thash, uint8_t *out);

/* hello.c */
extern const uint8_t hello_hrr_random[32];
/* The bit of extension type in ch_offer.exts / ext_offered: one per
 * extension we may answer, 0 for others. */
uint32_t hello_ext_bit(unsigned type);
extern const uint8_t hello_downgrade12[8];
/* Writes an extension header; close it with wr_end(b, *mark, 2). */
void hello_ext_begin(struct buf *, unsigned type, size_t *mark);
/* Builds and sends our ClientHello for the configured versions, with a
 * TLS 1.3 key share for group (0: our first); again after a
 * HelloRetryRequest with the same random and session id. */
void hello_client(struct tls_engine *, unsigned group);
/* Starts a ServerHello extension, unless the ClientHello did not offer it
 * (RFC 5246 7.4.1.4, RFC 8446 4.2: then returns 0 and writes nothing):
 * the one check for every extension a server sends. */
int hello_sh_ext_begin(struct buf *, const struct ch_offer *, unsigned type,
    size_t *mark);
/* Reads a ServerHello (exts gets its extension list); -1 after failing
 * the connection. A HelloRetryRequest is read only up to its extensions. */
int hello_parse_sh(struct tls_engine *, const uint8_t *body, size_t len,
    struct sh_info *, struct rd *exts);
/* Reads a ClientHello into what it offers; sid gets its session id. */
int hello_parse_ch(struct tls_engine *, const uint8_t *body, size_t len,
    struct ch_offer *, struct rd *sid);

/* psk.c: TLS 1.3 resumption. */
/* Client: writes psk_key_exchange_modes and pre_shared_key (binder
 * zeroed) when the configured session can be offered; returns 1 then. */
int psk_client_ext(struct tls_engine *, struct buf *);
/* Client: fills the binder, the end of the finished ClientHello body. */
void psk_client_bind(struct tls_engine *, struct buf *);
int psk_server_accept(struct tls_engine *, const struct ch_offer *,
    const uint8_t *msg, size_t msglen);
void psk_res_master(struct tls_engine *);
/* Server: one NewSessionTicket (when configured with ticket keys). */
void psk_server_ticket(struct tls_engine *);
/* Client: reads a NewSessionTicket into t->session. */
int psk_client_nst(struct tls_engine *, const uint8_t *, size_t);

/* ticket12.c: TLS 1.2 session tickets (RFC 5077). */
/* Server: opens the ClientHello's ticket; 1 when it resumes (t->ms12,
 * suite and peer subject set), 0 for a full handshake. */
int ticket12_server_open(struct tls_engine *, const struct ch_offer *);
/* Server: sends a NewSessionTicket for the session (part of the 1.2
 * transcript). */
void ticket12_server_send(struct tls_engine *);
/* Client: the session to offer (NULL: none) and a ticket received. */
const struct tls_session *ticket12_client_offer(const struct tls_engine *);
int ticket12_client_nst(struct tls_engine *, const uint8_t *, size_t,
    const uint8_t *msg, size_t msglen);

/* rsl.c: record_size_limit (RFC 8449). */
/* Client: the extension in our ClientHello. */
void rsl_client_ext(struct tls_engine *, struct buf *);
/* Reads an extension's value (>= 64, else illegal_parameter naming
 * where); -1 after failing the connection. */
int rsl_read(struct tls_engine *, struct rd *, const char *where,
    unsigned *out);
/* Client: the trace line for a server that sent no limit. */
void rsl_client_none(struct tls_engine *);
/* Server: answers the ClientHello's limit (in ServerHello for 1.2,
 * EncryptedExtensions for 1.3) and from then on honours it. */
void rsl_server_ext(struct tls_engine *, const struct ch_offer *,
    struct buf *, uint16_t version);
/* Client: the server's answer; both limits hold from now on. */
void rsl_client_got(struct tls_engine *, unsigned limit);
/* The most content bytes a protected record we send may carry. */
size_t rsl_send_max(const struct tls_engine *);

/* session.c: whether session s was kept for the server name this
 * connection is for (RFC 8446 4.6.1: a ticket serves the name it came
 * from). */
int session_name_ok(const struct tls_engine *, const struct tls_session *);
/* Records in s the name this connection is for. */
void session_name_set(const struct tls_engine *, struct tls_session *);

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
/* Installs 1.2 keys: key (su->keylen) and fixed IV (su->fixed_iv). */
void record_set_keys12(struct tls_dir *, const struct suite_info *su,
    const uint8_t *key, const uint8_t *iv);

/* prf.c: the TLS 1.2 PRF, P_hash with the suite's hash (RFC 5246 5):
 * label, then seed a and seed b (b may be NULL). */
void prf_tls12(enum hash_alg, const uint8_t *secret, size_t slen,
    const char *label, const uint8_t *a, size_t alen, const uint8_t *b,
    size_t blen, uint8_t *out, size_t outlen);

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
/* ... and its private key (RSA or P-256) is there to sign with. */
int peercert_key_ready(const struct tls_engine *);
/* Appends SignatureScheme and signature<0..2^16-1> over tbs (tbslen
 * bytes; NULL: the transcript so far, as a TLS 1.2 CertificateVerify
 * signs), hashed with the scheme's hash and signed with our key. what
 * names the message in an error. */
int peercert_sign(struct tls_engine *, unsigned scheme, const uint8_t *tbs,
    size_t tbslen, const char *what, struct buf *);
/* Reads SignatureScheme and signature from r (which must end there) and
 * checks it over tbs (as for peercert_sign) with the peer's leaf key; the
 * scheme must be in the mask we offered (illegal_parameter otherwise). */
int peercert_verify(struct tls_engine *, struct rd *, const uint8_t *tbs,
    size_t tbslen, uint32_t offered, const char *what);

/* trace.c */
int trace_on(const struct tls_engine *);
void trace_printf(struct tls_engine *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Decodes a handshake message (header included) for the trace. */
void trace_message(struct tls_engine *, int sent, const uint8_t *msg,
    size_t len);
const char *trace_hs_name(int type);
/* "record_size_limit"; NULL for an extension we have no name for. */
const char *trace_ext_name(unsigned type);

/* keylog.c: one NSS key log line, when a key log is configured. */
void keylog_secret(struct tls_engine *, const char *label,
    const uint8_t *secret, size_t len);

#endif
