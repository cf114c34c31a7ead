/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The zygote: one pre-started `zvm-sandbox --zygote` per gateway that forks runners on
 * request, so a job's runner is a fork of an exec'd, loaded process rather than a fresh
 * fork+exec+ld.so (docs/engine.md, "The zygote").
 *
 * Protocol, on a SOCK_SEQPACKET socketpair (the control socket): the engine sends one
 * ZvmZygoteRequest per run with SCM_RIGHTS descriptors: [0] the zygote's end of a private
 * reply socket, [i >= 1] the descriptor to place at targets[i]. The zygote forks a runner
 * (into a PID namespace of its own when it is root: docs/engine.md §5b)
 * that puts them in the layout of runner.h, closes every other descriptor above 2 and calls
 * zvm_runner_child_main(); on the reply socket it sends ZVM_ZYGOTE_STARTED (with a pidfd of
 * the runner) or ZVM_ZYGOTE_FAILED, and, once it reaped the runner, ZVM_ZYGOTE_EXITED with
 * the wait status and the rusage. EOF on the control socket: the zygote kills its runners and
 * exits; it also dies with the gateway (PR_SET_PDEATHSIG), and its runners with it.
 */
#pragma once

#include <glib.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

/* SCM_MAX_FD is 253 per message; one is the reply socket. */
#define ZVM_ZYGOTE_MAX_FDS 240
#define ZVM_ZYGOTE_MAGIC 0x7a79676fu /* "zygo" */
#define ZVM_ZYGOTE_CONTROL_FD 3	     /* the control socket in `zvm-sandbox --zygote` */

typedef struct {
	uint32_t magic;
	uint32_t n_fds;			     /* descriptors attached, reply socket included */
	int32_t targets[ZVM_ZYGOTE_MAX_FDS]; /* targets[0] unused */
} ZvmZygoteRequest;

typedef enum { ZVM_ZYGOTE_STARTED = 1, ZVM_ZYGOTE_FAILED, ZVM_ZYGOTE_EXITED } ZvmZygoteReplyKind;

typedef struct {
	uint32_t kind;
	int32_t pid;
	int32_t status; /* EXITED: the wait status */
	int32_t error;	/* FAILED: the errno of fork */
	struct rusage usage;
} ZvmZygoteReply;

/*
 * Engine side (zygote.c). The pid of the running zygote for @helper, starting it if needed;
 * 0 when there is none (it cannot be started): the caller execs the runner itself.
 */
pid_t zvm_zygote_pid(const char *helper);

/*
 * Hands a run to the zygote @zygote_pid (as returned by zvm_zygote_pid): fds[i] goes to
 * targets[i]. Returns the engine's end of the reply socket, or -errno (the zygote is gone:
 * -ESRCH), in which case no runner was started.
 */
int zvm_zygote_submit(pid_t zygote_pid, const int *fds, const int *targets, int n);

/* zvm_zygote_stop(), which the gateway calls, is declared in engine.h. */

/* Zygote side (zygote-server.c, linked into zvm-sandbox): serves the control socket. */
int zvm_zygote_serve(int control);
