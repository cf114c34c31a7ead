/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Running digests for etags (channels, /dev/memory): MD5, SHA-1 or SHA-256. SHA-256, the
 * default and the one that streams gigabytes, is our own (etag.c, FIPS 180-4): the CPU's SHA
 * extensions on x86-64 where there are some (chosen once, at run time), portable C elsewhere;
 * glib's GChecksum was several times slower and made etag-on streaming hash-bound. MD5 and
 * SHA-1 are rarely asked for and stay on GChecksum. Digests are lowercase hex, as GChecksum's
 * were, so reports do not change.
 *
 * An etag may hash on a worker thread of its own (zvm_etag_start_worker): the runner does so,
 * so that a streaming program's thread only copies its bytes and the digests of its channels
 * run beside it and each other. Without a worker, updates hash on the caller's thread. Either
 * way one thread at a time calls an etag's functions, and the digest is the same.
 */
#pragma once

#include <glib.h>

#include "zvm-limits.h"

typedef struct _ZvmEtag ZvmEtag;

ZvmEtag *zvm_etag_new(ZvmEtagAlgorithm algorithm);
/* Ends the etag's worker, if any (waiting for its thread), and frees it. NULL is fine. */
void zvm_etag_free(ZvmEtag *etag);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ZvmEtag, zvm_etag_free)

/* A worker's ring: the updating thread waits only when this many chunks of this many bytes
 * are full. Its stack is small: it only hashes. */
#define ZVM_ETAG_WORKER_CHUNK ((size_t)1 << 20)
#define ZVM_ETAG_WORKER_CHUNKS 4
#define ZVM_ETAG_WORKER_STACK ((size_t)64 << 10)
/* The memory a worker holds, for the memory limits of a process that starts some. */
#define ZVM_ETAG_WORKER_MEMORY \
	(ZVM_ETAG_WORKER_CHUNKS * ZVM_ETAG_WORKER_CHUNK + ZVM_ETAG_WORKER_STACK)

/*
 * Hashes @etag's updates from now on on a thread of its own, which takes no signals and only
 * waits on futexes once this returns (a seccomp filter installed afterwards, with TSYNC, may
 * allow little else); it needs no cleanup if the process is killed. FALSE with @error when the
 * thread cannot be had: the etag then goes on hashing on the caller's thread, as before.
 * Once a worker runs, this returns TRUE and does nothing.
 */
gboolean zvm_etag_start_worker(ZvmEtag *etag, GError **error);

/* Adds @length bytes at @data to the digest: with a worker, copies them into its ring (waiting
 * while the ring is full) and returns. */
void zvm_etag_update(ZvmEtag *etag, const void *data, size_t length);

/* Hex digest of everything so far, after waiting for the worker, if any, to catch up; the
 * running digest goes on (free with g_free). */
char *zvm_etag_hex(ZvmEtag *etag);

/* The hex digest of @length bytes at @data, in one call. */
char *zvm_etag_hex_of(ZvmEtagAlgorithm algorithm, const void *data, size_t length);
