/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The engine: one job from an extracted bundle to ZeroVM's report. It reads the manifest and
 * nvram, checks and translates the program (through the cache), opens the channels, runs the
 * program in a fenced child (zvm-sandbox) and collects exit state, etags and accounting.
 * Used by `zvm run` and by the gateway's scheduler; it knows nothing of FUSE.
 *
 * Thread context: a ZvmJob is driven by one thread; zvm_job_kill() and zvm_job_get_progress()
 * may be called from any thread at any time.
 */
#pragma once

#include <glib.h>
#include <stdint.h>
#include <sys/types.h>

#include "../channels/zvm-limits.h"
#include "../channels/manifest.h"
#include "../channels/sysmap.h"
#include "sandbox-config.h"

#define ZVM_JOB_ERROR (zvm_job_error_quark())
GQuark zvm_job_error_quark(void);

typedef enum {
	ZVM_JOB_ERROR_BUNDLE,	/* the bundle (or a data root) does not hold what the manifest
				 * names, or a data: file is not a regular file below its root */
	ZVM_JOB_ERROR_ACCESS,	/* the owner may not read a data: file the manifest names */
	ZVM_JOB_ERROR_HOST,	/* a host failure (out of memory, cannot fork, disk) */
	ZVM_JOB_ERROR_NO_SPACE, /* ENOSPC writing outputs or the translation */
} ZvmJobError;

/* How a job ended, for the gateway's state (docs/spec.md §5): OK is `done`, KILLED is `killed`,
 * everything else is `failed`. */
typedef enum {
	ZVM_EXIT_OK,	     /* the program exited (any return code): exit state "ok" */
	ZVM_EXIT_VALIDATION, /* "validation failed: ..." */
	ZVM_EXIT_COMPILE,    /* "translation failed: ..." */
	ZVM_EXIT_TRAP,	     /* "trap: integer divide by zero" */
	ZVM_EXIT_TIMEOUT,    /* "session timeout" */
	ZVM_EXIT_KILLED,     /* "killed" (zvm_job_kill) */
	ZVM_EXIT_SIGNAL,     /* "Signal <n> from trusted code": the runner died */
	ZVM_EXIT_CHANNEL,    /* "<alias>: ..." a channel could not be opened or written */
	ZVM_EXIT_MANIFEST,   /* "MANIFEST <n>: ..." */
	ZVM_EXIT_MEMORY,     /* "out of memory: Memory <n> bytes exceeded ..." */
} ZvmExitKind;

typedef struct {
	int validator_state; /* 0 validated, 1 failed */
	int daemon;	     /* always 0 */
	int user_rc;	     /* proc_exit code, 0 if the program never called it */
	char *etags;	     /* "<alias> <hex> ... [/dev/memory <hex>]" or "disabled" */
	char *accounting;    /* ten space-separated fields, ZeroVM's order */
	char *exit_state;    /* "ok" or the reason */
	ZvmExitKind exit_kind;
	/* The ten accounting values, also as numbers. */
	double sys_seconds, user_seconds;
	int64_t local[4]; /* reads, read bytes, writes, written bytes */
	int64_t network[4];
	double wall_seconds; /* from the first instruction to the end */
	gboolean cached;     /* the translation came from the cache */
	/* Sum of the sizes of the readable channels that have one (bundle members, files), as
	 * ZvmJobProgress.input_bytes; set when the program's channels were opened. */
	gboolean has_input_bytes;
	int64_t input_bytes;
} ZvmReport;

void zvm_report_clear(ZvmReport *report);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(ZvmReport, zvm_report_clear)

/* ZeroVM's six report lines, each ending in '\n'. */
char *zvm_report_format(const ZvmReport *report);

/* Fills @report for a job that never ran (manifest error, bad bundle): exit state @reason. */
void zvm_report_set_failure(ZvmReport *report, ZvmExitKind kind, const char *reason);

typedef struct _ZvmJob ZvmJob;

/* Progress callbacks, called on the thread that drives the job. Any may be NULL. */
typedef struct {
	void (*compiling)(gpointer user_data);
	void (*running)(pid_t runner_pid, gpointer user_data);
	/* While a program's C is compiled as units: @done of @total (translate.h). */
	void (*translating)(guint done, guint total, gpointer user_data);
	/* TRUE while the program waits for a compile slot ([sandbox] max_compiles), FALSE once
	 * it has one (translate.h). */
	void (*compile_waiting)(gboolean waiting, gpointer user_data);
} ZvmJobHooks;

/*
 * Opens the extracted bundle in @bundle_dir for @owner (copied; NULL: the calling process's
 * identity, as `zvm run` uses): parses `manifest` (and `/dev/nvram` if the manifest names
 * it) with the data roots of @config as the exported names, checks that every member the
 * manifest names exists, and opens every data: file as @owner once, so that a submission
 * that could never read its data is refused now (zvm_job_run opens them again: files
 * change). Does not touch the program's bytes beyond checking it exists.
 *
 * A bundle with `boot/system.map` and no `manifest` is a multi-node job (docs/pipelines.md):
 * the map is expanded into nodes (channels/sysmap.h; wildcards of data: paths as @owner,
 * and a wildcard matching a file @owner may not read refuses the job with
 * ZVM_JOB_ERROR_ACCESS), each checked like a manifest job; its outputs are per node,
 * `<node>/stdout`,
 * `<node>/stderr`, `<node>/<output>`, and the engine's own `<node>/report` and
 * `<node>/accounting`.
 * Returns: a job, or NULL with @error set. Manifest errors are ZVM_MANIFEST_ERROR with
 * "MANIFEST <line>: ..." ("system.map: node 'x': MANIFEST ..." for a node); system map errors
 * ZVM_SYSMAP_ERROR; nvram errors ZVM_NVRAM_ERROR; missing members and data files
 * ZVM_JOB_ERROR_BUNDLE; a data: file @owner may not read ZVM_JOB_ERROR_ACCESS
 * ("/dev/input: data:logs/x.txt: Permission denied").
 */
ZvmJob *zvm_job_open(const char *bundle_dir, const ZvmLimits *limits,
		     const ZvmSandboxConfig *config, const ZvmIdentity *owner, GError **error);

/*
 * zvm_job_open() of a job opened before, taking its wildcards' expansion from then
 * (@expansion, the text zvm_job_get_expansion() gave; NULL: expand now), so that the job
 * runs the nodes it was accepted with even when files matching a wildcard came or went
 * since. Each recorded file is still opened as @owner: one that is gone or unreadable now
 * refuses the job ("system.map: node 'mapper-2': /dev/stdin: data:texts/b.txt: No such file
 * or directory"). A gateway keeps the text beside the job from its submission on.
 */
ZvmJob *zvm_job_open_expanded(const char *bundle_dir, const ZvmLimits *limits,
			      const ZvmSandboxConfig *config, const ZvmIdentity *owner,
			      const char *expansion, GError **error);
void zvm_job_free(ZvmJob *job);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ZvmJob, zvm_job_free)

/* What the system map's wildcards matched, as text for zvm_job_open_expanded() (lines
 * "<pattern> <uri>", owned by the job), or NULL when the job has no wildcard. */
const char *zvm_job_get_expansion(const ZvmJob *job);

/* The manifest of the job (of its first node, for a system map). */
const ZvmManifest *zvm_job_get_manifest(const ZvmJob *job);

/*
 * How many runners the job keeps busy at once: 1 for a manifest, the number of nodes for a
 * system map. A scheduler lends min(width, workers) worker slots to it; every node starts
 * at once even when the width is over that, since a pipe needs both its ends alive.
 */
guint zvm_job_get_width(const ZvmJob *job);

/* The job's declared Memory in bytes: its manifest's, or the sum of its nodes' (each node
 * runs its own runner, bounded by its own Memory). What a gateway admits against its memory
 * budget. */
uint64_t zvm_job_get_memory(const ZvmJob *job);

/* The node names of a system map job in creation order, NULL-terminated (owned by the
 * job); empty for a manifest job. */
const char *const *zvm_job_get_nodes(const ZvmJob *job);

/* The output files the job will write, relative to the output directory, stdout and stderr
 * first (NULL-terminated, owned by the job). */
const char *const *zvm_job_get_outputs(const ZvmJob *job);

void zvm_job_set_hooks(ZvmJob *job, const ZvmJobHooks *hooks, gpointer user_data);

/* Checks and translates the program of every node into the translation cache, running
 * nothing (`zvm cache warm`). Returns FALSE with @error saying why the first one failed. */
gboolean zvm_job_translate(ZvmJob *job, GError **error);

/*
 * Runs the job to its end: checks and translates the program, creates every output file
 * below @out_dir (which must exist), opens the data: files as the owner (one that cannot be
 * read now fails the job with exit state "<alias>: <uri>: <cause>"), runs the program, fills
 * @report. A program failure
 * (trap, timeout, validation, kill) is not an error: it is in @report with FALSE returned
 * only for host failures, with @error set (ZVM_JOB_ERROR, or the runner's ZVM_SANDBOX_ERROR
 * when it could not be started) and @report filled with the reason too.
 *
 * A system map job translates every program first, then starts all nodes together and
 * writes each node's report and accounting under @out_dir/<node>/. @report sums them up:
 * exit state "ok" when every node's is, else "node '<name>': <its exit state>" of the node
 * whose failure came first (a broken pipe or a kill only when nothing else failed); user_rc
 * the first nonzero one in node order; accounting summed, wall time the longest; etags
 * "<node>:<alias> <digest> ...".
 */
gboolean zvm_job_run(ZvmJob *job, const char *out_dir, ZvmReport *report, GError **error);

/* A running program's channel counters, summed over its channels. */
typedef struct {
	int64_t reads; /* read calls, as the accounting counts them */
	int64_t read_bytes;
	int64_t writes;
	int64_t written_bytes;
	/* Sum of the sizes of the readable channels that have a size (bundle members, files;
	 * not /dev/nvram): what read_bytes is a part of. -1 when no readable channel has one. */
	int64_t input_bytes;
} ZvmJobProgress;

/*
 * The counters of the program as it runs: the runner updates them at every channel call, and
 * this reads them without stopping it (each value is current; the set is not a snapshot).
 * Safe from any thread while another runs the job; cheap (no system call).
 * Returns: TRUE with @out filled from the channels' opening to the runner's end; FALSE,
 * @out untouched, before (queued, translating) and after.
 */
gboolean zvm_job_get_progress(ZvmJob *job, ZvmJobProgress *out);

/* Stops the job: before it runs it will not start; while it runs the runner is killed.
 * Safe from any thread; idempotent. */
void zvm_job_kill(ZvmJob *job);
