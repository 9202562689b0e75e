/* capresign.h — a batch's certificates signed ahead, on every CPU.
 *
 * A batch (ca_issue_batch; the service's, caserve-batch.c) first makes
 * each certificate it expects to issue, in order, on its own thread: the
 * request's checks, the TBSCertificate with a serial drawn then (in
 * order), and queues its signature on a pool (role/signpool.h). Then it
 * issues as it always has, one request after the other: ca_issue takes
 * the signature made for its request (capresign_take) where it used to
 * sign, and appends the record, on the batch's thread alone; the one sync
 * and the answers come after, unchanged. So the ordering and durability
 * of a batch are what they were: records in request order, nothing handed
 * out before the sync, an interrupted batch leaving only what a serial
 * run would have left (signatures not yet taken are never recorded nor
 * sent; they are dropped).
 *
 * A request's own signature, unless the caller checked it already (the
 * service does on arrival: csr.sig_ok), is verified on the pool too, in
 * the job ahead of the certificate's signature: with an EC CA, checking
 * a P-256 request costs more than signing it.
 *
 * A signature made ahead is used only for the very certificate it signs:
 * ca_issue encodes its TBSCertificate with the serial drawn ahead and
 * compares it with the one signed, byte for byte. A guess that turned out
 * wrong (another profile, a request refused meanwhile) costs a wasted
 * signature and the certificate is signed on the spot, as without a pool.
 *
 * All of it runs on the thread that owns the ca; only the signatures run
 * on the pool's threads. The pool (ca->pool) is the ca's, not the
 * batch's: `ca serve` feeds all its batches to threads started once, and
 * ca_clear stops them. */
#ifndef MP_ROLE_CAPRESIGN_H
#define MP_ROLE_CAPRESIGN_H

#include <stddef.h>
#include <stdint.h>

#include "role/ca.h"

/* Starts a batch of up to n requests signed ahead on ca's pool of
 * signers (ca->signers threads, 0: signpool_cpus()), started here the
 * first time and kept for the next batches until capresign_stop; or
 * nothing (ca->presign stays NULL) with one signer, one request, or a CA
 * not open for issuing. Ends an earlier batch first. */
void capresign_begin(struct ca *, size_t n);
/* Queues req's certificate under p, as ca_issue(ca, req, p, days, now)
 * will make it: checked (ca_check_request and what ca_issue checks), its
 * TBSCertificate and serial made now, its signature on the pool. Does
 * nothing without a batch, after n requests, or when a check fails
 * (ca_issue will fail the same way and say why). req must stay put and
 * unchanged until capresign_end. */
void capresign_add(struct ca *, const struct csr *req,
    const struct profile *p, long days, int64_t now);
/* Ends the batch: drops what was not taken (its jobs leave the pool's
 * queue, or are waited for when a thread signs them); the threads stay. */
void capresign_end(struct ca *);
/* Ends the batch and stops ca's signer threads (ca_clear: before the key
 * is wiped). */
void capresign_stop(struct ca *);

/* ca.c's: 1 when req was queued, so it passed ca_check_request but for
 * its signature when that was not checked before (csr.sig_ok): that is
 * checked on the pool with the certificate's signature, and
 * capresign_take fails with ca_check_request's error when it does not
 * verify, wherever the certificate is then signed. */
int capresign_checked(const struct ca *, const struct csr *req);
/* ca.c's, in place of drawing a serial and signing t (prepared by
 * ca_sign_prepare): 1 when req's certificate made ahead is exactly t with
 * the serial drawn for it; out gets it (der, serial; t->serial points to
 * the batch's copy until capresign_end). 0 when there is none or it
 * differs (sign t as usual). -1 with e when its signature failed: that
 * request fails, as a signature on the spot that failed would. */
int capresign_take(struct ca *, const struct csr *req,
    struct cert_template *t, struct ca_issued *out, struct err *e);

#endif
