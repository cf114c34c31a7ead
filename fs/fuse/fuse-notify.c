/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The notifier thread and the deferred replies of `wait`. The scheduler's events and the
 * submit area's deletions arrive through a GAsyncQueue; this one thread turns them into
 * cache notifications (inval_inode, notify_delete, notify_poll), never a request handler,
 * since a notification sent while the kernel waits for that handler can deadlock.
 *
 * A read of `wait` parks its request until the job ends, then gets the status text; an
 * interrupted read (^C) gets EINTR. Parked requests cost no thread.
 */
#include "fuse-fs.h"

#include <errno.h>
#include <poll.h>
#include <string.h>

/* Reads parked at once, over all jobs; more get EAGAIN. */
#define MAX_PARKED_READS 4096

typedef enum {
	ITEM_JOB,
	ITEM_DELETE_ENTRY,
	ITEM_STOP,
} ItemKind;

typedef struct {
	ItemKind kind;
	ZvmSchedulerEvent event;
	guint64 id;
	fuse_ino_t parent, child;
	char *name;
} Item;

struct _ZvmWaitHandle {
	ZvmStoreJob *job;
	guint64 id;
	char *text; /* the status once the job ended; NULL before */
	size_t length, pos;
	gboolean gone;		    /* the job was deleted before it ended */
	struct fuse_pollhandle *ph; /* the latest poll handle, while waiting */
};

typedef struct {
	ZvmNotifier *notifier;
	fuse_req_t req;
	ZvmWaitHandle *handle;
	size_t size;
	gboolean listed;
	gboolean interrupted;
} ParkedRead;

/* Everything waiting on one job. */
typedef struct {
	guint64 id;
	GPtrArray *reads; /* ParkedRead* */
	GPtrArray *polls; /* ZvmWaitHandle* holding a poll handle */
} JobWaiters;

struct _ZvmNotifier {
	ZvmFs *fs;
	GAsyncQueue *queue;
	GThread *thread;
	gint exiting;
	GMutex lock;	     /* waiters, parked and every ZvmWaitHandle */
	GHashTable *waiters; /* &id -> JobWaiters* */
	GHashTable *logged;  /* id -> last state logged + 1 (notifier thread only) */
	guint parked;
};

static void item_free(gpointer data)
{
	Item *item = data;
	g_free(item->name);
	g_free(item);
}

static void waiters_free(gpointer data)
{
	JobWaiters *w = data;
	g_ptr_array_unref(w->reads);
	g_ptr_array_unref(w->polls);
	g_free(w);
}

ZvmNotifier *zvm_notifier_new(ZvmFs *fs)
{
	ZvmNotifier *notifier = g_new0(ZvmNotifier, 1);
	notifier->fs = fs;
	notifier->queue = g_async_queue_new_full(item_free);
	g_mutex_init(&notifier->lock);
	notifier->waiters = g_hash_table_new_full(g_int64_hash, g_int64_equal, NULL, waiters_free);
	notifier->logged = g_hash_table_new(NULL, NULL);
	return notifier;
}

static JobWaiters *waiters_for(ZvmNotifier *notifier, guint64 id)
{
	JobWaiters *w = g_hash_table_lookup(notifier->waiters, &id);
	if (w == NULL) {
		w = g_new0(JobWaiters, 1);
		w->id = id;
		w->reads = g_ptr_array_new();
		w->polls = g_ptr_array_new();
		g_hash_table_insert(notifier->waiters, &w->id, w);
	}
	return w;
}

/* Wait handles */

ZvmWaitHandle *zvm_wait_handle_new(ZvmStoreJob *job)
{
	ZvmWaitHandle *handle = g_new0(ZvmWaitHandle, 1);
	handle->job = zvm_store_job_ref(job);
	handle->id = zvm_store_job_get_id(job);
	return handle;
}

void zvm_wait_handle_free(ZvmNotifier *notifier, ZvmWaitHandle *handle)
{
	g_mutex_lock(&notifier->lock);
	JobWaiters *w = g_hash_table_lookup(notifier->waiters, &handle->id);
	if (w)
		g_ptr_array_remove(w->polls, handle);
	g_mutex_unlock(&notifier->lock);
	if (handle->ph)
		fuse_pollhandle_destroy(handle->ph);
	zvm_store_job_unref(handle->job);
	g_free(handle->text);
	g_free(handle);
}

/* TRUE when the job of @handle ended or went away; then its text is ready (lock held). */
static gboolean handle_ready(ZvmWaitHandle *handle)
{
	if (handle->text || handle->gone)
		return TRUE;
	ZvmJobInfo info;
	zvm_store_job_get_info(handle->job, &info);
	if (zvm_job_state_is_ended(info.state)) {
		handle->text = zvm_store_job_render_status(handle->job);
		handle->length = strlen(handle->text);
		return TRUE;
	}
	if (info.deleted) {
		handle->gone = TRUE;
		return TRUE;
	}
	return FALSE;
}

/* The next piece of the text for a read of @size (lock held); NULL with *@error. */
static char *take_slice(ZvmWaitHandle *handle, size_t size, size_t *length, int *error)
{
	if (handle->gone) {
		*error = ENOENT;
		return NULL;
	}
	size_t n = MIN(size, handle->length - handle->pos);
	char *slice = g_memdup2(handle->text + handle->pos, n);
	handle->pos += n;
	*length = n;
	*error = 0;
	return slice;
}

static void reply_slice(fuse_req_t req, char *slice, size_t length, int error)
{
	if (error)
		fuse_reply_err(req, error);
	else
		fuse_reply_buf(req, slice, length);
	g_free(slice);
}

static void on_interrupt(fuse_req_t req, void *data)
{
	ParkedRead *p = data;
	ZvmNotifier *notifier = p->notifier;
	g_mutex_lock(&notifier->lock);
	if (!p->listed) {
		/* Not parked yet (the reader sees the flag) or being answered already. */
		p->interrupted = TRUE;
		g_mutex_unlock(&notifier->lock);
		return;
	}
	JobWaiters *w = g_hash_table_lookup(notifier->waiters, &p->handle->id);
	if (w)
		g_ptr_array_remove(w->reads, p);
	p->listed = FALSE;
	notifier->parked--;
	g_mutex_unlock(&notifier->lock);
	fuse_reply_err(req, EINTR);
	g_free(p);
}

void zvm_wait_read(ZvmNotifier *notifier, fuse_req_t req, ZvmWaitHandle *handle, size_t size,
		   gboolean nonblocking)
{
	size_t length = 0;
	int error = 0;
	char *slice = NULL;
	g_mutex_lock(&notifier->lock);
	if (handle_ready(handle)) {
		slice = take_slice(handle, size, &length, &error);
		g_mutex_unlock(&notifier->lock);
		reply_slice(req, slice, length, error);
		return;
	}
	if (nonblocking || notifier->parked >= MAX_PARKED_READS ||
	    g_atomic_int_get(&notifier->exiting)) {
		g_mutex_unlock(&notifier->lock);
		fuse_reply_err(req, EAGAIN);
		return;
	}
	g_mutex_unlock(&notifier->lock);

	ParkedRead *p = g_new0(ParkedRead, 1);
	p->notifier = notifier;
	p->req = req;
	p->handle = handle;
	p->size = size;
	/* Called at once if the reader was interrupted already. */
	fuse_req_interrupt_func(req, on_interrupt, p);

	g_mutex_lock(&notifier->lock);
	if (p->interrupted) {
		error = EINTR;
	} else if (handle_ready(handle)) {
		/* It ended between the two looks. */
		slice = take_slice(handle, size, &length, &error);
	} else {
		g_ptr_array_add(waiters_for(notifier, handle->id)->reads, p);
		p->listed = TRUE;
		notifier->parked++;
		g_mutex_unlock(&notifier->lock);
		return;
	}
	g_mutex_unlock(&notifier->lock);
	fuse_req_interrupt_func(req, NULL, NULL);
	g_free(p);
	reply_slice(req, slice, length, error);
}

void zvm_wait_poll(ZvmNotifier *notifier, fuse_req_t req, ZvmWaitHandle *handle,
		   struct fuse_pollhandle *ph)
{
	unsigned revents = 0;
	struct fuse_pollhandle *old = NULL;
	g_mutex_lock(&notifier->lock);
	if (handle_ready(handle)) {
		revents = POLLIN | POLLRDNORM;
		old = ph;
	} else if (ph) {
		/* One notification wakes every poller of the file: keep the latest. */
		old = handle->ph;
		handle->ph = ph;
		JobWaiters *w = waiters_for(notifier, handle->id);
		if (old == NULL)
			g_ptr_array_add(w->polls, handle);
	}
	g_mutex_unlock(&notifier->lock);
	if (old)
		fuse_pollhandle_destroy(old);
	fuse_reply_poll(req, revents);
}

/* Answers the reads and polls waiting on job @id (its job ended or went away). */
static void wake(ZvmNotifier *notifier, guint64 id, gboolean notify)
{
	g_autoptr(GPtrArray) reads = g_ptr_array_new();
	g_autoptr(GPtrArray) polls = g_ptr_array_new();
	g_mutex_lock(&notifier->lock);
	JobWaiters *w = g_hash_table_lookup(notifier->waiters, &id);
	if (w == NULL) {
		g_mutex_unlock(&notifier->lock);
		return;
	}
	for (guint i = 0; i < w->reads->len; i++) {
		ParkedRead *p = g_ptr_array_index(w->reads, i);
		p->listed = FALSE;
		notifier->parked--;
		g_ptr_array_add(reads, p);
	}
	for (guint i = 0; i < w->polls->len; i++) {
		ZvmWaitHandle *handle = g_ptr_array_index(w->polls, i);
		g_ptr_array_add(polls, handle->ph);
		handle->ph = NULL;
	}
	g_hash_table_remove(notifier->waiters, &id);
	g_mutex_unlock(&notifier->lock);

	for (guint i = 0; i < reads->len; i++) {
		ParkedRead *p = g_ptr_array_index(reads, i);
		/* Waits out an interrupt callback in progress; none comes after. */
		fuse_req_interrupt_func(p->req, NULL, NULL);
		size_t length = 0;
		int error = ENOTCONN;
		char *slice = NULL;
		g_mutex_lock(&notifier->lock);
		if (!notify) /* shutting down */
			error = ENOTCONN;
		else if (handle_ready(p->handle))
			slice = take_slice(p->handle, p->size, &length, &error);
		g_mutex_unlock(&notifier->lock);
		reply_slice(p->req, slice, length, error);
		g_free(p);
	}
	for (guint i = 0; i < polls->len; i++) {
		struct fuse_pollhandle *ph = g_ptr_array_index(polls, i);
		if (notify)
			fuse_lowlevel_notify_poll(ph);
		fuse_pollhandle_destroy(ph);
	}
}

/* The notifier thread */

static void inval(ZvmNotifier *notifier, fuse_ino_t ino, off_t off)
{
	int r = fuse_lowlevel_notify_inval_inode(notifier->fs->session, ino, off, 0);
	/* ENOENT: the kernel does not know the inode, nothing to drop. */
	if (r < 0 && r != -ENOENT)
		g_debug("notify_inval_inode %#" G_GINT64_MODIFIER "x: %s", (guint64)ino,
			g_strerror(-r));
}

static void inval_outputs(ZvmNotifier *notifier, ZvmStoreJob *job, guint64 id, off_t off)
{
	const ZvmOutputTree *tree = zvm_store_job_get_outputs(job);
	for (guint n = 1; n < zvm_output_tree_count(tree); n++) {
		if (!zvm_output_tree_node(tree, n)->is_dir)
			inval(notifier, zvm_ino_job(id, ZVM_JOB_FILE_TREE + n), off);
	}
}

/* Logs each state once: events are handled after the fact, so two changes in a row (running,
 * done) both find the later state. Only the notifier thread touches @logged. */
static void log_state(ZvmNotifier *notifier, ZvmStoreJob *job, const ZvmJobInfo *info)
{
	gpointer key = GSIZE_TO_POINTER((gsize)info->id);
	if (GPOINTER_TO_INT(g_hash_table_lookup(notifier->logged, key)) == (int)info->state + 1)
		return;
	g_hash_table_insert(notifier->logged, key, GINT_TO_POINTER((int)info->state + 1));
	g_autofree char *name = zvm_user_name(info->uid);
	g_autofree char *who =
	    name ? g_strdup(name) : g_strdup_printf("uid %u", (unsigned)info->uid);
	if (!zvm_job_state_is_ended(info->state)) {
		g_message("job %" G_GUINT64_FORMAT " (%s): %s", info->id, who,
			  zvm_job_state_to_string(info->state));
		return;
	}
	g_autofree char *status = zvm_store_job_render_status(job);
	const char *exit_state = strstr(status, "\nexit_state ");
	g_autofree char *line =
	    exit_state ? g_strndup(exit_state + 12, strcspn(exit_state + 12, "\n")) : g_strdup("-");
	g_message("job %" G_GUINT64_FORMAT " (%s): %s, exit state %s", info->id, who,
		  zvm_job_state_to_string(info->state), line);
}

static void handle_job_event(ZvmNotifier *notifier, ZvmSchedulerEvent event, guint64 id)
{
	gboolean notify = !g_atomic_int_get(&notifier->exiting);
	struct fuse_session *se = notifier->fs->session;
	fuse_ino_t dir = zvm_ino_job(id, ZVM_JOB_FILE_DIR);
	if (event == ZVM_SCHEDULER_EVENT_DELETED) {
		g_hash_table_remove(notifier->logged, GSIZE_TO_POINTER((gsize)id));
		if (notify) {
			char name[32];
			int length = g_snprintf(name, sizeof(name), "%" G_GUINT64_FORMAT, id);
			fuse_lowlevel_notify_delete(se, ZVM_INO_JOBS, dir, name, (size_t)length);
		}
		wake(notifier, id, notify);
		return;
	}
	g_autoptr(ZvmStoreJob) job = zvm_store_lookup(notifier->fs->store, id);
	if (job == NULL)
		return;
	ZvmJobInfo info;
	zvm_store_job_get_info(job, &info);
	if (event == ZVM_SCHEDULER_EVENT_OUTPUT) {
		if (notify)
			inval_outputs(notifier, job, id, -1); /* attributes: the size grew */
		return;
	}
	log_state(notifier, job, &info);
	if (notify) {
		inval(notifier, dir, 0); /* report and accounting may appear */
		inval(notifier, zvm_ino_job(id, ZVM_JOB_FILE_STATUS), 0);
		inval(notifier, zvm_ino_job(id, ZVM_JOB_FILE_WAIT), -1);
		/* Its name in by-name/ changed; names there are never cached, the link's
		 * attributes (mtime) and the directory's are. */
		inval(notifier, zvm_ino_job(id, ZVM_JOB_FILE_LINK), 0);
		inval(notifier, ZVM_INO_BYNAME, 0);
		inval_outputs(notifier, job, id, 0);
	}
	if (zvm_job_state_is_ended(info.state))
		wake(notifier, id, notify);
}

static gpointer notifier_main(gpointer data)
{
	ZvmNotifier *notifier = data;
	for (;;) {
		Item *item = g_async_queue_pop(notifier->queue);
		switch (item->kind) {
		case ITEM_STOP:
			item_free(item);
			return NULL;
		case ITEM_JOB:
			handle_job_event(notifier, item->event, item->id);
			break;
		case ITEM_DELETE_ENTRY:
			if (!g_atomic_int_get(&notifier->exiting))
				fuse_lowlevel_notify_delete(notifier->fs->session, item->parent,
							    item->child, item->name,
							    strlen(item->name));
			break;
		default:
			break;
		}
		item_free(item);
	}
}

void zvm_notifier_start(ZvmNotifier *notifier)
{
	notifier->thread = g_thread_new("zvm-notifier", notifier_main, notifier);
}

void zvm_notifier_job_event(ZvmSchedulerEvent event, guint64 id, gpointer data)
{
	ZvmNotifier *notifier = data;
	Item *item = g_new0(Item, 1);
	item->kind = ITEM_JOB;
	item->event = event;
	item->id = id;
	g_async_queue_push(notifier->queue, item);
}

void zvm_notifier_delete_entry(ZvmNotifier *notifier, fuse_ino_t parent, fuse_ino_t child,
			       const char *name)
{
	Item *item = g_new0(Item, 1);
	item->kind = ITEM_DELETE_ENTRY;
	item->parent = parent;
	item->child = child;
	item->name = g_strdup(name);
	g_async_queue_push(notifier->queue, item);
}

void zvm_notifier_stop(ZvmNotifier *notifier)
{
	g_atomic_int_set(&notifier->exiting, 1);
	if (notifier->thread) {
		Item *item = g_new0(Item, 1);
		item->kind = ITEM_STOP;
		g_async_queue_push(notifier->queue, item);
		g_thread_join(g_steal_pointer(&notifier->thread));
	}
	/* Whoever still waits gets an answer before the session goes. */
	g_autoptr(GArray) ids = g_array_new(FALSE, FALSE, sizeof(guint64));
	g_mutex_lock(&notifier->lock);
	GHashTableIter iter;
	gpointer key;
	g_hash_table_iter_init(&iter, notifier->waiters);
	while (g_hash_table_iter_next(&iter, &key, NULL))
		g_array_append_val(ids, *(guint64 *)key);
	g_mutex_unlock(&notifier->lock);
	for (guint i = 0; i < ids->len; i++)
		wake(notifier, g_array_index(ids, guint64, i), FALSE);
}

void zvm_notifier_free(ZvmNotifier *notifier)
{
	if (notifier == NULL)
		return;
	zvm_notifier_stop(notifier);
	g_async_queue_unref(notifier->queue);
	g_hash_table_unref(notifier->waiters);
	g_hash_table_unref(notifier->logged);
	g_mutex_clear(&notifier->lock);
	g_free(notifier);
}
