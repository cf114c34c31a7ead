/* SPDX-License-Identifier: Apache-2.0 */
/*
 * An etag's worker thread and its ring (see etag-worker.h). The producer fills one chunk
 * without taking the lock, so small updates cost a copy and no round trip; it locks only to
 * hand a chunk over or to get the next free one. Chunk i of the stream lives in slot i % N:
 * the worker consumes them in the order they were handed over, which keeps digests the same
 * as hashing on the producer's thread. The locks are pthreads' own, not glib's, so that
 * ThreadSanitizer sees them (tests/channels/manifest's etag test runs under it).
 */
#include "etag-worker.h"
#include "etag.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>

struct _ZvmEtagWorker {
	ZvmEtagWorkerSink sink;
	gpointer target;
	pthread_t thread;
	guint8 *ring; /* ZVM_ETAG_WORKER_CHUNKS slots of ZVM_ETAG_WORKER_CHUNK bytes */

	pthread_mutex_t lock;
	pthread_cond_t handed_over; /* the worker waits here for a chunk, or to stop */
	pthread_cond_t consumed;    /* the producer waits here for a free slot, or for the worker */
	/* Under the lock (the producer alone writes n_handed, so it may read it without): */
	guint64 n_handed;   /* chunks handed over so far */
	guint64 n_consumed; /* chunks the sink has had */
	size_t lengths[ZVM_ETAG_WORKER_CHUNKS];
	gboolean running;
	gboolean stopping;

	/* The producer's alone: the slot n_handed % N is its own while it has_slot. */
	gboolean has_slot;
	size_t fill;
};

static void *worker_main(void *data)
{
	ZvmEtagWorker *worker = data;
	pthread_mutex_lock(&worker->lock);
	worker->running = TRUE;
	pthread_cond_signal(&worker->consumed);
	for (;;) {
		while (worker->n_consumed == worker->n_handed && !worker->stopping)
			pthread_cond_wait(&worker->handed_over, &worker->lock);
		if (worker->stopping)
			break;
		size_t slot = worker->n_consumed % ZVM_ETAG_WORKER_CHUNKS;
		size_t length = worker->lengths[slot];
		pthread_mutex_unlock(&worker->lock);
		worker->sink(worker->target, worker->ring + slot * ZVM_ETAG_WORKER_CHUNK, length);
		pthread_mutex_lock(&worker->lock);
		worker->n_consumed++;
		pthread_cond_signal(&worker->consumed);
	}
	pthread_mutex_unlock(&worker->lock);
	return NULL;
}

static void worker_free(ZvmEtagWorker *worker)
{
	pthread_mutex_destroy(&worker->lock);
	pthread_cond_destroy(&worker->handed_over);
	pthread_cond_destroy(&worker->consumed);
	g_free(worker->ring);
	g_free(worker);
}

/* Creates the thread with a small stack (a caller's address-space limit pays for it) and
 * every signal blocked: the runner's timeout signal must reach the program's thread only. */
static int create_thread(ZvmEtagWorker *worker)
{
	pthread_attr_t attr;
	int r = pthread_attr_init(&attr);
	if (r != 0)
		return r;
	r = pthread_attr_setstacksize(&attr, ZVM_ETAG_WORKER_STACK);
	sigset_t all, old;
	sigfillset(&all);
	if (r == 0)
		r = pthread_sigmask(SIG_BLOCK, &all, &old);
	if (r == 0) {
		r = pthread_create(&worker->thread, &attr, worker_main, worker);
		pthread_sigmask(SIG_SETMASK, &old, NULL);
	}
	pthread_attr_destroy(&attr);
	return r;
}

ZvmEtagWorker *zvm_etag_worker_start(ZvmEtagWorkerSink sink, gpointer target, GError **error)
{
	ZvmEtagWorker *worker = g_new0(ZvmEtagWorker, 1);
	worker->sink = sink;
	worker->target = target;
	pthread_mutex_init(&worker->lock, NULL);
	pthread_cond_init(&worker->handed_over, NULL);
	pthread_cond_init(&worker->consumed, NULL);
	worker->ring = g_try_malloc(ZVM_ETAG_WORKER_CHUNKS * ZVM_ETAG_WORKER_CHUNK);
	int r = worker->ring != NULL ? create_thread(worker) : ENOMEM;
	if (r != 0) {
		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(r),
			    "cannot start an etag worker: %s", g_strerror(r));
		worker_free(worker);
		return NULL;
	}
	pthread_mutex_lock(&worker->lock);
	while (!worker->running)
		pthread_cond_wait(&worker->consumed, &worker->lock);
	pthread_mutex_unlock(&worker->lock);
	return worker;
}

/* Takes the next slot once the worker has emptied it. */
static void take_slot(ZvmEtagWorker *worker)
{
	pthread_mutex_lock(&worker->lock);
	while (worker->n_handed - worker->n_consumed == ZVM_ETAG_WORKER_CHUNKS)
		pthread_cond_wait(&worker->consumed, &worker->lock);
	pthread_mutex_unlock(&worker->lock);
	worker->has_slot = TRUE;
	worker->fill = 0;
}

static void hand_over(ZvmEtagWorker *worker)
{
	pthread_mutex_lock(&worker->lock);
	worker->lengths[worker->n_handed % ZVM_ETAG_WORKER_CHUNKS] = worker->fill;
	worker->n_handed++;
	pthread_cond_signal(&worker->handed_over);
	pthread_mutex_unlock(&worker->lock);
	worker->has_slot = FALSE;
}

void zvm_etag_worker_push(ZvmEtagWorker *worker, const void *data, size_t length)
{
	const guint8 *bytes = data;
	while (length > 0) {
		if (!worker->has_slot)
			take_slot(worker);
		size_t slot = worker->n_handed % ZVM_ETAG_WORKER_CHUNKS;
		size_t n = MIN(length, ZVM_ETAG_WORKER_CHUNK - worker->fill);
		memcpy(worker->ring + slot * ZVM_ETAG_WORKER_CHUNK + worker->fill, bytes, n);
		worker->fill += n;
		bytes += n;
		length -= n;
		if (worker->fill == ZVM_ETAG_WORKER_CHUNK)
			hand_over(worker);
	}
}

void zvm_etag_worker_drain(ZvmEtagWorker *worker)
{
	if (worker->has_slot && worker->fill > 0)
		hand_over(worker);
	pthread_mutex_lock(&worker->lock);
	while (worker->n_consumed != worker->n_handed)
		pthread_cond_wait(&worker->consumed, &worker->lock);
	pthread_mutex_unlock(&worker->lock);
}

void zvm_etag_worker_stop(ZvmEtagWorker *worker)
{
	if (worker == NULL)
		return;
	pthread_mutex_lock(&worker->lock);
	worker->stopping = TRUE;
	pthread_cond_signal(&worker->handed_over);
	pthread_mutex_unlock(&worker->lock);
	pthread_join(worker->thread, NULL);
	worker_free(worker);
}
