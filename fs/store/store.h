/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The job store: every job the gateway accepted or refused, on disk below the state
 * directory and in an in-memory index that front ends read without touching the disk.
 *
 *   STATE/next-id               the next job id (decimal), replaced atomically
 *   STATE/reserve               256 KiB kept free for meta, report and accounting: on a full
 *                               disk it gives way, so a job that filled it can still end
 *   STATE/staging/              bytes being written to submit/ (unnamed O_TMPFILE files)
 *   STATE/jobs/ID/              0700, owned by the gateway (root)
 *       bundle.tar              the bundle as submitted
 *       bundle/                 extracted (a rejected job keeps only bundle/manifest)
 *       out/                    the outputs, at the paths the manifest names
 *       expansion               what a system map's wildcards matched at submission, when
 *                               it has any (zvm_job_get_expansion)
 *       meta                    GKeyFile [job]: state, times, owner, exit state, reason ...
 *       meta.submitted          meta as accepted (queued), what a host crash falls back on
 *       report, accounting      once the job has ended
 *
 * Durability: every meta, report, accounting and id write is atomic for readers (temp,
 * rename). Three points are made durable, each with as few flushes as it can:
 *   - a submission, before zvm_store_submit() returns: one syncfs (id counter, bundle.tar,
 *     the extracted bundle, meta), the rename of .new-ID to ID, fsync of jobs/ and STATE;
 *   - a job's end (zvm_store_job_finish): report and accounting, then meta written with a
 *     syncfs (which also covers the outputs), renamed, and jobs/ID fsynced;
 *   - a requeue at shutdown: meta fsynced.
 * The compiling and running states are not synced: after a host crash the job runs again
 * whatever the disk kept (an empty meta falls back on meta.submitted).
 * Ids are never reused: the counter is advanced before a job directory exists, and made
 * durable with it; a counter behind the jobs on disk is raised at open.
 *
 * Knows nothing of FUSE or of running: the scheduler drives state changes through the
 * ZvmStoreJob functions below. Errors are ZVM_STORE_ERROR; a front end maps the codes to
 * errno in one place.
 *
 * Thread context: every function may be called from any thread. Reading a job (info,
 * status, output sizes) takes only that job's short lock, never disk I/O.
 */
#pragma once

#include <glib.h>
#include <stdint.h>
#include <sys/types.h>

#include "../../channels/zvm-limits.h"
#include "../../sandbox/job.h"
#include "output-tree.h"

#define ZVM_STORE_ERROR (zvm_store_error_quark())
GQuark zvm_store_error_quark(void);

typedef enum {
	ZVM_STORE_ERROR_INVALID,    /* the bundle or its manifest is wrong (EINVAL) */
	ZVM_STORE_ERROR_TOO_LARGE,  /* over a bundle or manifest bound (EFBIG) */
	ZVM_STORE_ERROR_NO_SPACE,   /* the state directory's disk is full (ENOSPC) */
	ZVM_STORE_ERROR_QUEUE_FULL, /* too many jobs waiting (EAGAIN) */
	ZVM_STORE_ERROR_STOPPED,    /* the gateway is shutting down (ESHUTDOWN) */
	ZVM_STORE_ERROR_NOT_FOUND,  /* no such job (ENOENT) */
	ZVM_STORE_ERROR_ACCESS,	    /* the submitter may not read a data: file it names (EACCES) */
	ZVM_STORE_ERROR_IO,	    /* a host failure (EIO) */
	ZVM_STORE_ERROR_QUOTA,	    /* over one of the submitter's own bounds (EDQUOT) */
} ZvmStoreError;

typedef enum {
	ZVM_STATE_QUEUED,
	ZVM_STATE_COMPILING,
	ZVM_STATE_RUNNING,
	ZVM_STATE_DONE,	  /* the program exited; see exit_state and user_rc */
	ZVM_STATE_FAILED, /* timeout, trap, limit, validation, host failure */
	ZVM_STATE_KILLED,
	ZVM_STATE_REJECTED, /* refused at submission; reason says why */
} ZvmJobState;

const char *zvm_job_state_to_string(ZvmJobState state);
gboolean zvm_job_state_from_string(const char *text, ZvmJobState *state);
/* done, failed, killed and rejected: the job will not change again. */
gboolean zvm_job_state_is_ended(ZvmJobState state);

/*
 * Retention counts per user: one user's ended (and rejected) jobs only ever push out that
 * user's own oldest ended jobs. The whole store's bound is a safety net for many users: past
 * it, the user who holds the most ended jobs loses their oldest one, again and again, so a
 * user holding no more than anyone else keeps theirs.
 */
typedef struct {
	uint32_t retain_jobs;	   /* ended jobs kept in the whole store; 0 keeps all */
	uint64_t retain_seconds;   /* ended jobs older than this are removed; 0 keeps all */
	uint32_t user_retain_jobs; /* ended jobs kept per user, newest first; 0 keeps all */
} ZvmStoreRetention;

typedef struct _ZvmStore ZvmStore;
typedef struct _ZvmStoreJob ZvmStoreJob;

/*
 * Opens (creating it if needed: STATE 0755, jobs/ 0711) the store in @state_dir and reads
 * every job into the index. Jobs that were queued stay queued; jobs that were compiling or
 * running when the gateway stopped go back to queued with restarts + 1 and their outputs
 * removed. Ended jobs are served as they were. Leftovers of interrupted submissions and
 * deletions are removed; retention is applied.
 * @limits and @sandbox must outlive the store (submission checks the bundle against them).
 * Returns: the store, or NULL with @error set when the directory cannot be used.
 */
ZvmStore *zvm_store_open(const char *state_dir, const ZvmLimits *limits,
			 const ZvmSandboxConfig *sandbox, const ZvmStoreRetention *retention,
			 GError **error);
void zvm_store_free(ZvmStore *store);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ZvmStore, zvm_store_free)

const char *zvm_store_get_state_dir(const ZvmStore *store);
const ZvmLimits *zvm_store_get_limits(const ZvmStore *store);

/*
 * A new unnamed file below STATE/staging/ for the bytes of a submission in progress, open
 * read-write; it disappears when closed.
 * Returns: the descriptor, or -1 with @error set.
 */
int zvm_store_open_staging(ZvmStore *store, GError **error);

/*
 * Submits the bytes of @fd (all of them, from offset 0) as a job called @name, owned by
 * @uid/@gid: copies them to bundle.tar, extracts it (the [bundle] bounds), opens it with
 * the engine (manifest and members checked, data: files opened as the owner: @uid, @gid and
 * the supplementary groups the user database gives @uid) and records the job as queued.
 * A refused bundle is recorded too, as a `rejected` job that keeps the reason; *@id is set
 * to its id as well (0 when nothing could be recorded, e.g. on a full disk).
 * Returns: TRUE with *@id of the queued job, or FALSE with @error set: INVALID, TOO_LARGE,
 * NO_SPACE, ACCESS or IO. The message is the reason a user reads ("MANIFEST 4: ...").
 */
gboolean zvm_store_submit(ZvmStore *store, int fd, const char *name, uid_t uid, gid_t gid,
			  guint64 *id, GError **error);

/*
 * The text of the job's wildcard expansion from its submission (zvm_job_get_expansion), for
 * zvm_job_open_expanded(): read from disk, for the thread that is about to run the job.
 * Returns: the text (g_free), or NULL: none recorded (@error unset), or IO with @error set.
 */
char *zvm_store_job_read_expansion(ZvmStoreJob *job, GError **error);

/* A new reference to job @id, or NULL when there is none (or it was deleted). */
ZvmStoreJob *zvm_store_lookup(ZvmStore *store, guint64 id);
ZvmStoreJob *zvm_store_job_ref(ZvmStoreJob *job);
void zvm_store_job_unref(ZvmStoreJob *job);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ZvmStoreJob, zvm_store_job_unref)

/* Ids of the jobs @uid owns (all jobs when @all), ascending. */
GArray *zvm_store_list(ZvmStore *store, gboolean all, uid_t uid);
/* Ids of the queued jobs, ascending (the order they were submitted). */
GArray *zvm_store_list_queued(ZvmStore *store);
/* The newest job of @uid, or 0. */
guint64 zvm_store_newest(ZvmStore *store, uid_t uid);

/*
 * Removes job @id from the index and moves its directory aside (one rename), so it is gone
 * for every reader at once; zvm_store_job_purge() then frees the disk. The caller kills it
 * first if it runs.
 * Returns: a reference to the removed job, or NULL with @error set (NOT_FOUND, IO).
 */
ZvmStoreJob *zvm_store_unlink(ZvmStore *store, guint64 id, GError **error);
/* Removes the files of a job that zvm_store_unlink() took out of the index. */
void zvm_store_job_purge(ZvmStoreJob *job);

/*
 * Applies retention at wall-clock time @now_ns: unlinks and purges ended jobs beyond
 * retain_jobs (oldest first) or that ended more than retain_seconds ago.
 * Returns: the ids removed (ascending), possibly empty.
 */
GArray *zvm_store_expire(ZvmStore *store, gint64 now_ns);

/*
 * Applies the per-user bound (user_retain_jobs) to @uid's ended jobs only, at once: called
 * when one of theirs was recorded or ended, so a flood never waits for the next pass.
 * Returns: the ids removed (ascending), possibly empty.
 */
GArray *zvm_store_expire_user(ZvmStore *store, uid_t uid);

/* What one user holds in the store (zvm_store_get_usage). */
typedef struct {
	uid_t uid;
	guint kept;		/* jobs in the store, whatever their state */
	guint queued;		/* in state queued */
	guint running;		/* compiling or running */
	guint ended;		/* done, failed, killed or rejected */
	guint rejected;		/* of those, rejected */
	uint64_t output_bytes;	/* the outputs of all their jobs, less what they removed */
	double compile_seconds; /* filled by the scheduler (zvm_scheduler_get_usage) */
} ZvmUsage;

/* Per-user usage, one ZvmUsage per user who has a job, ordered by uid. Built from memory. */
GArray *zvm_store_get_usage(ZvmStore *store);
/* @uid's usage (zeros when they have no job). */
void zvm_store_get_user_usage(ZvmStore *store, uid_t uid, ZvmUsage *usage);

/* A consistent copy of a job's fixed-size fields (no strings), for getattr and the like. */
typedef struct {
	guint64 id;
	ZvmJobState state;
	uid_t uid;
	gid_t gid;
	gint64 submitted_ns;
	gint64 started_ns; /* 0 until it runs */
	gint64 ended_ns;   /* 0 until it ends */
	gint64 changed_ns; /* last state change */
	guint restarts;
	uint64_t manifest_size; /* of bundle/manifest, 0 when absent */
	uint64_t report_size;	/* 0 until ended */
	uint64_t accounting_size;
	gboolean deleted; /* unlinked from the store */
} ZvmJobInfo;

void zvm_store_job_get_info(ZvmStoreJob *job, ZvmJobInfo *info);

/* The login name of @uid (free with g_free), or NULL when the user database has none. */
char *zvm_user_name(uid_t uid);
guint64 zvm_store_job_get_id(const ZvmStoreJob *job);
/* The output tree (immutable for the life of the job). */
const ZvmOutputTree *zvm_store_job_get_outputs(const ZvmStoreJob *job);
/* Size and modification time of output file @index (in zvm_job_get_outputs() order), as
 * last seen by zvm_store_job_refresh_outputs(). */
void zvm_store_job_get_output_stat(ZvmStoreJob *job, guint index, uint64_t *size, gint64 *mtime_ns);
/* Path of @relative ("out/stdout", "bundle/manifest", "report") in the job's directory. */
char *zvm_store_job_path(ZvmStoreJob *job, const char *relative);

/*
 * Removes @entry (a path as the job's directory shows it: "status", "out/result.txt") from
 * the job's view. @disk_relative, when not NULL, is the entry's file below the job
 * directory; its bytes are freed now if the job has ended, else with the job. The removal
 * is then recorded in the job's `removed` file, so that a restart keeps it; it needs no
 * space to happen (`rm -r` frees a full disk), only to be recorded.
 * Returns: TRUE, or FALSE with @error set when it could not be recorded (it still happened).
 */
gboolean zvm_store_job_remove_entry(ZvmStoreJob *job, const char *entry, const char *disk_relative,
				    GError **error);
/* Whether zvm_store_job_remove_entry() removed @entry. */
gboolean zvm_store_job_entry_removed(ZvmStoreJob *job, const char *entry);

/*
 * The status file: flat "key value" lines (id, state, exit_state, user_rc, owner, uid, name,
 * submitted, started, ended (ISO 8601 UTC), wall_seconds, cpu_seconds, read_bytes,
 * written_bytes, input_bytes, restarts, `slurm_job ID` for a job a Slurm runner ran, `nodes N`
 * for a system map job only, reason), "-" for
 * a value not known yet; a value that is not readable text (a name, a reason) escaped
 * (zvm_text_escape), so it stays one line and holds no terminal control. Built from memory only.
 */
char *zvm_store_job_render_status(ZvmStoreJob *job);
/* One line of jobs/index.txt: "ID STATE EXIT NAME  REASON", EXIT the return code of a done
 * job, "-" for a rejected one, else its exit state; a name or reason that is not readable
 * text shown escaped (zvm_text_escape). */
char *zvm_store_job_render_index_line(ZvmStoreJob *job);
/* For a job that ended other than done: "<STATE> - <reason or exit state>" (capitals, '/'
 * and control characters shown as '_', at most 200 bytes), the name under which its job
 * directory shows why; NULL for any other job. */
char *zvm_store_job_verdict_name(ZvmStoreJob *job);
/* The reason or exit state of a job that ended other than done, NULL otherwise. */
char *zvm_store_job_verdict(ZvmStoreJob *job);
/* The name of the job's link in jobs/by-name/: "<id> <name> <state>", then " <user_rc>" for
 * a done job and " - <reason or exit state>" for one that ended otherwise ("7 job.tar done 0",
 * "8 bad.tar rejected - bundle: empty archive"). Name and reason escaped as in the index,
 * '/' shown as '_', each cut to 96 bytes at a character boundary, so the whole stays under
 * NAME_MAX. Built from memory only. */
char *zvm_store_job_link_name(ZvmStoreJob *job);

/* The job's `manifest` file, relative to its directory: "bundle/manifest", or the system
 * map "bundle/boot/system.map" of a multi-node job. */
const char *zvm_store_job_manifest_name(const ZvmStoreJob *job);

/* Scheduler side: state changes, each written to meta before it is visible. */

/* Clears out/ (and any report) for a run, leaving the state as it is. */
gboolean zvm_store_job_prepare_run(ZvmStoreJob *job, GError **error);
/* Moves a queued job to compiling or running (running also sets the start time). */
gboolean zvm_store_job_set_state(ZvmStoreJob *job, ZvmJobState state, GError **error);
/* While the job is compiling: @done of @total units of its program's C compiled, shown as the
 * status line "translating <done> of <total> units". In memory only. */
void zvm_store_job_set_translation(ZvmStoreJob *job, guint done, guint total);
/* While the job is compiling: TRUE while its program waits for a compile slot ([sandbox]
 * max_compiles), shown as the status line "translating waiting for the compiler". In memory
 * only. */
void zvm_store_job_set_compile_waiting(ZvmStoreJob *job, gboolean waiting);
/*
 * Ends a job: writes report and accounting from @report (when not NULL), the final output
 * sizes, and meta with @state (done, failed or killed), the exit state, return code, wall
 * and cpu seconds from @report, and @reason (NULL for none).
 * When the disk is too full even with the reserve, FALSE with @error set (NO_SPACE), yet
 * the end is visible in memory all the same, so that no reader waits for ever; meta on disk
 * still says the job runs, so after a restart it runs again.
 */
gboolean zvm_store_job_finish(ZvmStoreJob *job, ZvmJobState state, const ZvmReport *report,
			      const char *reason, GError **error);
/*
 * Records (synced) the job's id in a cluster engine, @runner_job of runner @runner
 * ("slurm", "1234"; both NULL to forget it): its status shows "<runner>_job <id>", and a
 * job found compiling or running at open that has one goes back to queued with its files as
 * they are, for its runner to follow it (a job without one runs again).
 */
gboolean zvm_store_job_set_runner_job(ZvmStoreJob *job, const char *runner, const char *runner_job,
				      GError **error);
/* The job's id in runner @runner, or NULL when it has none there (free with g_free). */
char *zvm_store_job_get_runner_job(ZvmStoreJob *job, const char *runner);
/* Puts a job that was stopped by a gateway shutdown back to queued, restarts + 1. */
gboolean zvm_store_job_requeue(ZvmStoreJob *job, GError **error);
/*
 * Records the counters of a running job (zvm_job_get_progress()): its status shows them as
 * read_bytes, written_bytes and input_bytes until the job ends (then the accounting's values
 * replace them) or goes back to queued. Ignored for a job that is not compiling or running.
 * Returns: TRUE when a value changed.
 */
gboolean zvm_store_job_set_progress(ZvmStoreJob *job, const ZvmJobProgress *progress);
/* Re-reads the sizes of the output files. Returns: TRUE when one changed. */
gboolean zvm_store_job_refresh_outputs(ZvmStoreJob *job);
/* For a running system map job: reads which nodes have ended (their reports), so that its
 * status shows each node's end as it comes. Returns: TRUE when one was new. */
gboolean zvm_store_job_refresh_nodes(ZvmStoreJob *job);
