/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The fence around untrusted work: dropping to the unprivileged user, no_new_privs, closing
 * descriptors, rlimits. Shared by the compiler processes (translate.c) and the module runner
 * (zvm-sandbox). Every function here is async-signal-safe, so it may run between fork and
 * exec of a multithreaded parent, and returns 0 or -errno.
 */
#pragma once

#include <stdint.h>
#include <sys/types.h>

/* setgroups(0), setresgid, setresuid to @uid/@gid, then checks that root cannot be regained. */
int zvm_fence_drop_privileges(uid_t uid, gid_t gid);

/* prctl(PR_SET_NO_NEW_PRIVS) and PR_SET_DUMPABLE 0. */
int zvm_fence_no_new_privs(void);

/* Closes every descriptor >= @lowest except those in @keep (may be NULL when @n_keep is 0). */
int zvm_fence_close_fds(int lowest, const int *keep, int n_keep);

typedef struct {
	uint64_t cpu_seconds;	/* RLIMIT_CPU; 0 leaves it */
	uint64_t address_space; /* RLIMIT_AS; 0 leaves it */
	uint64_t data;		/* RLIMIT_DATA; 0 leaves it */
	uint64_t file_size;	/* RLIMIT_FSIZE; 0 leaves it */
	uint64_t open_files;	/* RLIMIT_NOFILE; 0 leaves it */
	int no_processes;	/* RLIMIT_NPROC 0: no fork (only when privileges were dropped) */
} ZvmFenceLimits;

/* Sets the given rlimits and RLIMIT_CORE 0 (no core files of untrusted code). */
int zvm_fence_set_limits(const ZvmFenceLimits *limits);

/*
 * Moves the caller, which must be single-threaded and should no longer be root, into new
 * user, mount, network, IPC and UTS namespaces of its own: no other job's processes, IPC
 * objects or sockets are in them, and it has no network at all. It has every capability in
 * its new user namespace until zvm_fence_drop_capabilities(); its uid outside is unchanged.
 * Returns 0, or -errno (EPERM, ENOSPC, EINVAL: the host does not offer them).
 */
int zvm_fence_enter_namespaces(void);

/*
 * Makes an empty, read-only tmpfs the root of the caller's mount namespace, entered with
 * zvm_fence_enter_namespaces(), and detaches the old root: from then on no path names a host
 * file. Call it once everything needed from the filesystem is open or loaded. It is mounted
 * over /proc (which the loader needed for /proc/self/fd until then).
 */
int zvm_fence_empty_root(void);

/* Clears every capability (effective, permitted, inheritable; ambient too). */
int zvm_fence_drop_capabilities(void);
