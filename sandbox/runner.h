/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The runner protocol between the engine (parent, runner.c) and the runner (child,
 * runner-child.c: exec'd as zvm-sandbox, zvm-sandbox.c, or forked by the zygote). The parent
 * opens every host descriptor and writes a plan; the child starts with a fixed descriptor
 * layout, fences itself and runs the module; results come back in a shared memory region,
 * so the parent keeps the accounting even when the child is killed.
 */
#pragma once

#include <glib.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "../channels/channel.h"
#include "../channels/manifest.h"
#include "../channels/nvram.h"

/* Descriptor layout of zvm-sandbox. */
enum {
	ZVM_RUNNER_FD_PLAN = 3,	    /* memfd: the plan, GKeyFile text */
	ZVM_RUNNER_FD_SHARED = 4,   /* memfd: ZvmRunShared, read-write */
	ZVM_RUNNER_FD_FILTER = 5,   /* memfd: the seccomp BPF program */
	ZVM_RUNNER_FD_STARTED = 6,  /* pipe: one byte when the first instruction is next */
	ZVM_RUNNER_FD_CHANNELS = 7, /* channel i's host descriptor is 7 + i (if it has one) */
};

#define ZVM_RUN_SHARED_MAGIC 0x7a766d31u /* "zvm1" */

typedef enum {
	ZVM_RUN_UNFINISHED = 0, /* the child never reported: it died or was killed */
	ZVM_RUN_EXITED,		/* proc_exit or _start returned */
	ZVM_RUN_TRAPPED,	/* trap_code says which */
	ZVM_RUN_TIMED_OUT,
	ZVM_RUN_SETUP_FAILED,	/* message says why (before the first instruction) */
	ZVM_RUN_FORBIDDEN,	/* a system call outside the allow-list: syscall_nr */
	ZVM_RUN_CHANNEL_FAILED, /* a host write failed: message names the channel */
	ZVM_RUN_OUT_OF_MEMORY,	/* the runner's data limit refused an allocation of the host */
	/* The parent's verdict, never the runner's: what the runner left in the shared region
	 * is not what the protocol allows (zvm_runner_read_results); message says what. */
	ZVM_RUN_BROKE_PROTOCOL,
} ZvmRunOutcome;

/*
 * The shared region: header, then n_channels counters, then the etag line text. The runner
 * can write every byte of it, so the parent never takes a size or an offset from it: it uses
 * its own n_channels and etags_capacity (zvm_runner_read_results). The helpers below that
 * read n_channels from the region are for the runner's side.
 */
typedef struct {
	uint32_t magic;
	uint32_t n_channels;
	uint32_t etags_capacity; /* bytes available for the etag line */
	int32_t outcome;	 /* ZvmRunOutcome */
	int32_t trap_code;	 /* wasm_rt_trap_t */
	int32_t user_rc;
	int32_t syscall_nr;
	int32_t host_errno; /* CHANNEL_FAILED: the errno the host gave (ENOSPC ...) */
	char message[512];
} __attribute__((aligned(8))) ZvmRunShared; /* the int64 counters follow it */

static inline ZvmChannelCounters *zvm_run_shared_counters(ZvmRunShared *shared)
{
	return (ZvmChannelCounters *)(shared + 1);
}

static inline char *zvm_run_shared_etags(ZvmRunShared *shared)
{
	return (char *)(zvm_run_shared_counters(shared) + shared->n_channels);
}

static inline size_t zvm_run_shared_size(uint32_t n_channels, uint32_t etags_capacity)
{
	return sizeof(ZvmRunShared) + n_channels * sizeof(ZvmChannelCounters) + etags_capacity;
}

/*
 * Bytes a runner may have beyond the job's declared Memory (the linear memory and the tar
 * images, which the parent makes fit in it): its own code's data, glib, libarchive, the
 * translated module's data and tables (at most 24 MiB of initial entries, docs/engine.md),
 * the WASI host's file tables. A runner's whole data limit (RLIMIT_DATA, which counts every
 * private writable mapping, heap and mmap alike) is its own data when it starts (a few MiB
 * exec'd; what `zvm run` held, forked from it) + Memory + this + its etag workers' rings.
 */
#define ZVM_RUNNER_DATA_RESERVE (64ULL << 20)

/* One channel as the parent opened it. */
typedef struct {
	const ZvmChannelSpec *spec;
	ZvmSourceKind source;
	int fd; /* the parent's descriptor, -1 for NULL/ZERO; not owned */
	int64_t size;
} ZvmRunChannel;

typedef struct {
	const char *mountpoint;
	guint channel;	       /* index of the image's (or an output tree's) channel */
	gboolean has_channel;  /* FALSE only for an empty scratch tree */
	ZvmFstabAccess access; /* [fstab] access: ro image, wo output tree, rw scratch tree */
} ZvmRunMount;

/*
 * Where a run shows its counters while the child runs, for readers on other threads. The
 * runner sets @counters (n_channels entries in the shared region) under @lock once the child
 * exists and clears it under @lock before the region goes away; a reader holds @lock and reads
 * each int64 with __atomic_load_n(__ATOMIC_RELAXED), which pairs with the child's relaxed
 * atomic stores (channels/channel.c).
 */
typedef struct {
	GMutex lock;
	const ZvmChannelCounters *counters;
} ZvmRunLive;

typedef struct {
	const char *helper;	 /* zvm-sandbox */
	int (*child_main)(void); /* when set, called after fork instead of exec'ing helper */
	gboolean zygote;	 /* else fork the runner from the zygote (zygote.h) */
	const char *module_path; /* the translated shared object */
	gboolean drop_privileges;
	uid_t uid;
	gid_t gid;
	uint64_t memory_bytes; /* the manifest's Memory: linear memory and images */
	uint32_t max_pages;    /* linear memory: Memory less the images, in wasm pages */
	uint32_t timeout;      /* seconds from the first instruction */
	gboolean memory_etag;
	ZvmEtagAlgorithm etag_algorithm;
	guint8 seed[32];
	char **args;
	char **env;
	int64_t start_seconds;
	const ZvmRunChannel *channels;
	guint n_channels;
	const ZvmRunMount *mounts;
	guint n_mounts;
	ZvmRunLive *live; /* may be NULL */
} ZvmRunPlan;

typedef struct {
	ZvmRunOutcome outcome;
	int trap_code;
	int user_rc;
	int syscall_nr;
	int host_errno; /* ZVM_RUN_CHANNEL_FAILED: the host's errno */
	char *message;
	char *etags;		      /* NULL when no channel had an etag */
	ZvmChannelCounters *counters; /* n_channels entries */
	gboolean killed;	      /* stopped through the run's kill flag */
	gboolean started;	      /* the first instruction ran */
	int signal;		      /* the child died of this signal, else 0 */
	double wall_seconds;
	struct rusage usage;
} ZvmRunResult;

/* The runner's own errors (its parent side here, the seccomp filter in seccomp.c): host
 * failures before any program code runs. zvm_job_run() passes them on as they are. */
#define ZVM_SANDBOX_ERROR (zvm_sandbox_error_quark())
GQuark zvm_sandbox_error_quark(void);

typedef enum {
	ZVM_SANDBOX_ERROR_FILTER, /* the seccomp filter could not be built */
	ZVM_SANDBOX_ERROR_START,  /* the runner could not be started (fork, zygote, pipes) */
} ZvmSandboxError;

void zvm_run_result_clear(ZvmRunResult *result);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(ZvmRunResult, zvm_run_result_clear)

/* Called with the child's pid once it is running (from the calling thread). */
typedef void (*ZvmRunnerStarted)(pid_t pid, gpointer user_data);

/*
 * Runs @plan in a new zvm-sandbox process and waits for its end. @kill_flag is checked
 * (atomically) while waiting; the engine's zvm_job_kill() sets it from another thread.
 * Returns: FALSE with @error only when the child could not be started at all.
 */
gboolean zvm_runner_run(const ZvmRunPlan *plan, volatile gint *kill_flag, volatile gint *pid_slot,
			ZvmRunnerStarted started, gpointer user_data, ZvmRunResult *result,
			GError **error);

/*
 * Reads a finished runner's results out of @shared, the region of @shared_size bytes the
 * parent made for @plan with @etags_capacity bytes of etag line. Nothing in the region is
 * trusted: it is copied first (a runner still alive cannot change it under the checks), and
 * checked against the parent's own sizes and the protocol: the header's n_channels and
 * etags_capacity, the magic, an outcome the runner may report, a terminated UTF-8 message
 * without control characters, a trap code, errno and syscall number in range, every counter
 * within 0 and its channel's limit, and an etag line made of the plan's etag'd channels in
 * order, each with a digest of the plan's algorithm. A region that fails any check gives
 * outcome ZVM_RUN_BROKE_PROTOCOL and the message "runner broke the protocol: <what>", with
 * zero counters and no etags; nothing else of it is used. A region without the magic is a
 * runner that never reported (UNFINISHED): its counters are still read, and checked.
 * @result->counters gets MAX(plan->n_channels, 1) entries; a message already in @result
 * (set by the caller) stays unless the region's replaces it.
 */
void zvm_runner_read_results(const ZvmRunShared *shared, size_t shared_size, const ZvmRunPlan *plan,
			     uint32_t etags_capacity, ZvmRunResult *result);

/* The child side, zvm_runner_child_main(), is declared in engine.h: programs name it. */

/* The environment a runner gets: the sanitizer settings of a test build, nothing else. */
char **zvm_runner_child_environment(void);

/* The seccomp filter as a sealed memfd (built once per process; do not close). */
int zvm_seccomp_filter_fd(GError **error);
