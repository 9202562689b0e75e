/* peerlib.h — what the tests judged by another tool (openssl, curl)
 * share: running its command, looking for a line of its output, and
 * writing the PEM files it reads. */
#ifndef MP_PEERLIB_H
#define MP_PEERLIB_H

#include <stddef.h>
#include <stdint.h>

/* Skips the test (77) when the openssl command is not there; else makes
 * dir (under tests/work) anew, empty. */
void peer_need_openssl(const char *dir);
/* Runs a shell command; returns its exit status (-1 when it did not
 * exit). */
int peer_run(const char *cmd);
/* Nonzero when a line of cmd's standard output contains want. */
int peer_output_has(const char *cmd, const char *want);
/* Writes der as one PEM block labelled label to path (0600, replaced);
 * a failure fails the test. The PEM text is wiped after: it may be a
 * key. */
void peer_write_pem(const char *path, const char *label, const uint8_t *der,
    size_t len);

#endif
