/* SPDX-License-Identifier: Apache-2.0 */
/*
 * An etag's worker thread (etag.c's zvm_etag_start_worker; nothing else includes this): the
 * thread that feeds a channel's bytes takes them in order into a bounded ring of chunks
 * (ZVM_ETAG_WORKER_CHUNKS of ZVM_ETAG_WORKER_CHUNK bytes, etag.h) and goes on; the worker
 * hands each full chunk to a sink, in the order the bytes came. One producer thread calls
 * push, drain and stop; the sink runs on the worker only, and between drains never on it.
 */
#pragma once

#include <glib.h>

typedef struct _ZvmEtagWorker ZvmEtagWorker;

/* Consumes @length bytes at @data, the next ones of the stream, for @target. */
typedef void (*ZvmEtagWorkerSink)(gpointer target, const guint8 *data, size_t length);

/*
 * Starts a worker feeding @sink with @target. Returns once the thread runs and waits for work,
 * so that a seccomp filter installed next finds it past the C library's thread start-up. The
 * thread takes no signals. NULL with @error when the memory or the thread cannot be had.
 */
ZvmEtagWorker *zvm_etag_worker_start(ZvmEtagWorkerSink sink, gpointer target, GError **error);

/* Copies @length bytes at @data into the ring; waits only while every chunk is full. */
void zvm_etag_worker_push(ZvmEtagWorker *worker, const void *data, size_t length);

/* Hands over a partly filled chunk and waits until the sink has had every byte pushed: the
 * sink's target may then be read by the producer until the next push. */
void zvm_etag_worker_drain(ZvmEtagWorker *worker);

/* Ends the thread, dropping bytes the sink has not had, and frees the worker. NULL is fine. */
void zvm_etag_worker_stop(ZvmEtagWorker *worker);
