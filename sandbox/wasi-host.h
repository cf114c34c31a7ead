/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The WASI preview 1 host inside zvm-sandbox: every call of wasi-calls.def, served on the
 * job's channels and nothing else. wasm2c's generated code calls the functions
 * Z_wasi_snapshot_preview1Z_<name>(host, ...) with the ZvmWasiHost pointer given at
 * instantiation.
 *
 * What the program sees:
 *   fd 0, 1, 2      /dev/stdin, /dev/stdout, /dev/stderr
 *   fd 3            the preopened directory "/dev": every other channel alias is a file in it,
 *                   nested aliases ("/dev/in/mapper-1") in subdirectories; only when a channel
 *                   besides the standard three, /dev/nvram and the mounts' own lives there
 *   next            one preopened directory per [fstab] record, at its mountpoint: a
 *                   read-only tar image, a scratch tree or an output tree (wasi-tree.c)
 *   then            descriptors the program opens with path_open
 * With neither /dev nor a mount, descriptor 3 is not open.
 * No host path, clock or entropy reaches the program: the clock starts at nvram [time]
 * (else 0) and advances by a fixed step per clock call; random_get is a PRNG seeded from the
 * job (not cryptographic). Every guest pointer and length is bounds-checked against the
 * linear memory before use, so a host bug cannot pass for a module trap.
 *
 * Thread context: the program's thread (the runner's only other threads hash etags, never call
 * the host and take no signals). A SIGALRM (the timeout) may arrive at any time; host calls
 * are bracketed by zvm_host_enter/leave so that the timeout never unwinds through host code.
 */
#pragma once

#include <glib.h>
#include <signal.h>
#include <stdint.h>
#include <wasm-rt.h>

#include "../channels/channel.h"
#include "../channels/nvram.h"

typedef struct _ZvmImage ZvmImage;

/* A read-only directory tree built from a tar image's bytes (regular files and directories
 * only; the same safety rules as the bundle). Defined in wasi-fs.c. */
ZvmImage *zvm_image_new(GBytes *tar, GError **error);
void zvm_image_free(ZvmImage *image);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ZvmImage, zvm_image_free)

typedef struct _ZvmWasiFiles ZvmWasiFiles; /* the descriptor table, private to the host */

typedef struct {
	wasm_rt_memory_t *memory; /* set once the module is instantiated */

	ZvmChannel **channels; /* not owned; [0..2] are stdin, stdout, stderr */
	guint n_channels;

	char **args; /* argv, not owned; NULL gives argc 0 */
	char **env;  /* "NAME=value", not owned; NULL gives none */

	int64_t realtime_ns;  /* CLOCK_REALTIME as the program sees it */
	int64_t monotonic_ns; /* CLOCK_MONOTONIC and the CPU-time clocks */
	uint64_t prng[4];     /* xoshiro256** state, seeded by zvm_wasi_host_new */

	ZvmWasiFiles *files;

	volatile sig_atomic_t in_host_call;
	volatile sig_atomic_t timeout_pending;
} ZvmWasiHost;

typedef enum {
	ZVM_WASI_MOUNT_IMAGE = 0, /* [fstab] access=ro: the image read-only */
	ZVM_WASI_MOUNT_SCRATCH,	  /* access=rw: a writable copy of the image (or an empty
				     tree), in memory, gone after the job */
	ZVM_WASI_MOUNT_OUTPUT,	  /* access=wo: an empty writable tree, saved into @channel
				     as a ustar archive when the program ends */
} ZvmWasiMountKind;

/* One mount: the program sees its tree at @mountpoint (absolute). */
typedef struct {
	const char *mountpoint;
	ZvmImage *image; /* not owned; NULL for an output or empty scratch tree */
	ZvmWasiMountKind kind;
	ZvmChannel *channel; /* not owned: the channel the engine consumed for it, or
				NULL (an empty scratch tree) */
} ZvmWasiMount;

/*
 * Makes the host. @seed (32 bytes) seeds the PRNG; @start_seconds is nvram [time] or 0.
 * Aliases of @channels not under "/dev/" (and the std ones) are not in the /dev directory.
 */
ZvmWasiHost *zvm_wasi_host_new(ZvmChannel **channels, guint n_channels, char **args, char **env,
			       int64_t start_seconds, const guint8 seed[32],
			       const ZvmWasiMount *mounts, guint n_mounts);
void zvm_wasi_host_free(ZvmWasiHost *host);

/*
 * Saves every output tree (access=wo) into its channel. The runner calls it once the program
 * has ended, unless it timed out. Returns: 0, or the first channel's -errno.
 */
int zvm_wasi_host_save_outputs(ZvmWasiHost *host);

/* Implemented by the runner (runner-child.c): leave the program for good. proc_exit calls
 * zvm_runner_exit(code); zvm_host_leave calls zvm_runner_timeout() when the timeout fired
 * during a host call. */
G_NORETURN void zvm_runner_exit(int code);
G_NORETURN void zvm_runner_timeout(void);

static inline void zvm_host_enter(ZvmWasiHost *host)
{
	host->in_host_call = 1;
	/* The compiler may not move the call's memory accesses outside the bracket. */
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
}

static inline void zvm_host_leave(ZvmWasiHost *host)
{
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	host->in_host_call = 0;
	if (host->timeout_pending)
		zvm_runner_timeout();
}
