/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the three parts of the job store share, and nothing else includes: store.c (job states,
 * job records, the index and its queries, deletion and retention, the scheduler's state changes,
 * the status file), store-disk.c (the state directory: meta, report files, the id counter,
 * opening and the rescan) and store-submit.c (staging, taking a submission in, and the store's
 * error for a refusal).
 */
#pragma once

#include <sys/stat.h>
#include <time.h>

#include "../common/state-file.h"
#include "store.h"

struct _ZvmStore {
	char *state_dir;
	char *jobs_dir;
	char *staging_dir;
	char *counter_path;
	char *reserve_path;
	const ZvmEngineOps *engine;
	const ZvmLimits *limits;
	const ZvmSandboxConfig *sandbox;
	ZvmStoreRetention retention;

	GMutex lock;	  /* jobs and next_id */
	GHashTable *jobs; /* &job->id -> ZvmStoreJob* (one reference) */
	guint64 next_id;
};

struct _ZvmStoreJob {
	gint refcount;
	ZvmStore *store;     /* immutable; used only by writes, which end before the store */
	guint64 id;	     /* immutable */
	uid_t uid;	     /* immutable */
	gid_t gid;	     /* immutable */
	ZvmOutputTree *tree; /* immutable */
	char **outputs;	     /* immutable */
	guint n_outputs;
	guint n_nodes; /* nodes of a system map job, 0 for a manifest job; immutable */

	GMutex io_lock; /* serialises meta writes and the move on unlink */
	GMutex lock;	/* every field below */
	char *dir;
	ZvmStoreState state;
	char *exit_state;
	int user_rc;
	gboolean has_rc;
	char *owner;
	char *name;
	gint64 submitted_ns, started_ns, ended_ns, changed_ns;
	double wall_seconds, cpu_seconds;
	guint restarts;
	guint interrupted; /* runs a gateway crash interrupted (found running at open) */
	char *reason;
	/* The job as a cluster engine knows it while another runner runs it ("slurm" and its
	 * Slurm job id), kept in meta so that a restarted gateway follows it; NULL when none. */
	char *runner, *runner_job;
	uint64_t *output_sizes;
	gint64 *output_mtimes;
	uint64_t manifest_size, report_size, accounting_size;
	/* Bytes read and written by the program (live while it runs, from the accounting once it
	 * ended) and the size of its input (ZvmJobProgress); -1 when not known. */
	int64_t read_bytes, written_bytes, input_bytes;
	/* Units of the program's C compiled so far, of how many, while it is translated in
	 * units (total 0 otherwise); memory only. */
	guint units_done, units_total;
	gboolean compile_waiting; /* for a [sandbox] max_compiles slot */
	/* A system map job's "<state> <user rc> <exit state>" per node, in the order of
	 * zvm_store_job_node_names(): once the job ended ("failed - -" for a node that left no
	 * report), and while it runs for the nodes that have ended ("running" for the others). */
	char **node_results;
	gboolean deleted;
	/* Entries of the job's directory its owner removed ("status", "out/x"), kept in the
	 * job's `removed` file; NULL when none. */
	GHashTable *removed;
};

static inline gint64 zvm_store_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (gint64)ts.tv_sec * G_GINT64_CONSTANT(1000000000) + ts.tv_nsec;
}

static inline uint64_t zvm_store_file_size(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (uint64_t)st.st_size : 0;
}

/* The job's `manifest` file: the bundle's manifest, or its system map (channels/sysmap.h). */
static inline char *zvm_store_manifest_path(const char *dir)
{
	char *path = g_build_filename(dir, "bundle", "manifest", NULL);
	struct stat st;
	if (stat(path, &st) == 0)
		return path;
	g_free(path);
	path = g_build_filename(dir, "bundle", "boot", "system.map", NULL);
	if (stat(path, &st) == 0)
		return path;
	g_free(path);
	return g_build_filename(dir, "bundle", "manifest", NULL);
}

/* Defined in store.c */

ZvmStoreJob *zvm_store_job_new(ZvmStore *store, guint64 id, uid_t uid, gid_t gid, char **outputs,
			       const char *dir);
/* A copy of the job's directory, which moves on submission and on unlink. */
char *zvm_store_job_dir(ZvmStoreJob *job);
/* The node names of a system map job, from its outputs (`<node>/report`, which only the
 * engine writes), in node order; empty for a manifest job. */
GPtrArray *zvm_store_job_node_names(const ZvmStoreJob *job);
/* Takes over the caller's reference to @job. */
void zvm_store_index_insert(ZvmStore *store, ZvmStoreJob *job);
/* A zvm_store_meta_save() mutation: back to queued after a run the gateway stopped under
 * (at shutdown, or found compiling or running at open), restarts + 1. */
void zvm_store_apply_requeue(ZvmStoreJob *job, gconstpointer data);

/* Times a job may be found compiling or running at open and run again: a job whose runs
 * take the gateway down (a runner that crashes it) must not do so at every start. */
#define ZVM_STORE_MAX_INTERRUPTED 1
#define ZVM_STORE_INTERRUPTED_REASON "interrupted: the gateway stopped twice while this job ran"

/* Defined in store-disk.c */

/* Writes meta from the job's current fields; @mutate (may be NULL) changes them first,
 * under the lock, so that the file and the index never disagree on the order of changes.
 * @sync: see "Durability" in store.h. */
gboolean zvm_store_meta_save(ZvmStoreJob *job, void (*mutate)(ZvmStoreJob *, gconstpointer),
			     gconstpointer data, ZvmStateSync sync, GError **error);
/* Empties out/ and removes report and accounting, for a run. */
gboolean zvm_store_reset_run_files(ZvmStoreJob *job, GError **error);
/* Writes report and accounting for @report in @dir and records their sizes. Not synced:
 * the meta write that follows makes them durable (ZVM_STATE_SYNC_FS). */
gboolean zvm_store_write_report_files(ZvmStoreJob *job, const char *dir, const ZvmReport *report,
				      GError **error);
/* The next id, advanced in next-id before it is handed out; the submission's sync makes
 * it durable with the job directory. */
gboolean zvm_store_allocate_id(ZvmStore *store, guint64 *id, GError **error);
/* Makes the reserve whole again when it was used or is missing (best effort: a disk that is
 * still full leaves it missing until the next call). */
void zvm_store_reserve_fill(ZvmStore *store);

/* Defined in store-submit.c */

/* The store's error for a refusal by the bundle reader, the manifest parser or the
 * engine; the message is kept as the reason. */
ZvmStoreError zvm_store_classify_error(const GError *cause);
