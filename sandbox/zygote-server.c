/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The zygote side (zygote.h): a single-threaded loop in `zvm-sandbox --zygote` that forks one
 * runner per request and reports each runner's end with its wait status and rusage. Its
 * runners are its children, so it is the one that reaps them.
 */
#include "zygote.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine.h"
#include "runner.h"

static void reply(int fd, const ZvmZygoteReply *message, int pidfd)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = {0};
	struct iovec iov = {.iov_base = (void *)message, .iov_len = sizeof(*message)};
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
	if (pidfd >= 0) {
		msg.msg_control = cbuf;
		msg.msg_controllen = sizeof(cbuf);
		struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
		cmsg->cmsg_level = SOL_SOCKET;
		cmsg->cmsg_type = SCM_RIGHTS;
		cmsg->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cmsg), &pidfd, sizeof(int));
	}
	/* The engine may have gone away; nothing to do about it here. */
	(void)sendmsg(fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
}

/* A pidfd of the zygote itself, inherited by each runner: in a PID namespace of its own a
 * runner sees no parent (getppid() is 0), and polls this instead to learn whether the zygote
 * died before it could ask for the parent-death signal. */
static int zygote_pidfd = -1;

/* In the forked runner: the layout of runner.h, nothing else above 2, then the run. */
static G_NORETURN void become_runner(pid_t zygote, const int *fds, const int32_t *targets, int n)
{
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGCHLD, SIG_DFL);
	/* A runner never outlives its zygote, which never outlives the engine. */
	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	pid_t parent = getppid();
	struct pollfd exited = {.fd = zygote_pidfd, .events = POLLIN};
	if (parent != zygote && (parent != 0 || zygote_pidfd < 0 || poll(&exited, 1, 0) != 0))
		_exit(127);
	int highest = 2;
	for (int i = 1; i < n; i++) {
		if (targets[i] < 3 || targets[i] > 65535)
			_exit(127);
		highest = MAX(highest, targets[i]);
	}
	/* Move every source above the targets first, so no dup2 clobbers a source. */
	int moved[ZVM_ZYGOTE_MAX_FDS];
	for (int i = 1; i < n; i++) {
		moved[i] = fcntl(fds[i], F_DUPFD, highest + 1);
		if (moved[i] < 0)
			_exit(127);
	}
	for (int i = 1; i < n; i++)
		if (dup2(moved[i], targets[i]) < 0)
			_exit(127);
	/* Close the rest: the gaps between targets, and everything above them. */
	for (int fd = 3; fd <= highest; fd++) {
		gboolean target = FALSE;
		for (int i = 1; i < n && !target; i++)
			target = targets[i] == fd;
		if (!target)
			close(fd);
	}
	if (syscall(SYS_close_range, highest + 1, ~0U, 0) < 0)
		_exit(127);
	_exit(zvm_runner_child_main());
}

/*
 * Forks a runner into a PID namespace of its own, where it is process 1 and sees no other
 * process, when the zygote may (it is root); else forks it plainly. A raw clone, as
 * bubblewrap does: glibc has no fork into a new PID namespace, and the zygote is
 * single-threaded, so no lock can be held across it.
 */
static pid_t fork_runner(void)
{
#ifdef __SANITIZE_ADDRESS__
	/* AddressSanitizer keys its threads by the tid fork() gave: a raw clone into a PID
	 * namespace (tid 1) fails its CHECKs on the first trap. Its test build goes without. */
	return fork();
#endif
	static gboolean plain;
	if (!plain) {
		long pid = syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, NULL, NULL, NULL, NULL);
		if (pid >= 0 || (errno != EPERM && errno != EINVAL && errno != ENOSPC))
			return (pid_t)pid;
		plain = TRUE;
	}
	return fork();
}

static void serve_request(int control, GHashTable *runs)
{
	g_autofree ZvmZygoteRequest *request = g_new0(ZvmZygoteRequest, 1);
	char cbuf[CMSG_SPACE(sizeof(int) * (ZVM_ZYGOTE_MAX_FDS + 16))];
	struct iovec iov = {.iov_base = request, .iov_len = sizeof(*request)};
	struct msghdr msg = {
	    .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf)};
	ssize_t got = recvmsg(control, &msg, MSG_CMSG_CLOEXEC);
	if (got < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (got <= 0) {
		/* The engine closed its end: it is going away, and the runners with it. */
		GHashTableIter iter;
		gpointer key;
		g_hash_table_iter_init(&iter, runs);
		while (g_hash_table_iter_next(&iter, &key, NULL))
			kill(GPOINTER_TO_INT(key), SIGKILL);
		/* Reaped here, so none is left a zombie for whoever inherits it. */
		while (wait4(-1, NULL, 0, NULL) > 0 || errno == EINTR)
			;
		_exit(0);
	}
	int fds[ZVM_ZYGOTE_MAX_FDS + 16];
	int n = 0;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		int count = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
		for (int i = 0; i < count && n < (int)G_N_ELEMENTS(fds); i++)
			memcpy(&fds[n++], CMSG_DATA(c) + i * sizeof(int), sizeof(int));
	}
	gboolean valid = request->magic == ZVM_ZYGOTE_MAGIC && n >= 1 &&
			 (uint32_t)n == request->n_fds && n <= ZVM_ZYGOTE_MAX_FDS &&
			 !(msg.msg_flags & (MSG_CTRUNC | MSG_TRUNC));
	if (valid) {
		pid_t zygote = getpid();
		pid_t pid = fork_runner();
		if (pid == 0)
			become_runner(zygote, fds, request->targets, n);
		ZvmZygoteReply message = {.pid = pid};
		int pidfd = -1;
		if (pid < 0) {
			message.kind = ZVM_ZYGOTE_FAILED;
			message.error = errno;
		} else {
			message.kind = ZVM_ZYGOTE_STARTED;
			pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
		}
		reply(fds[0], &message, pidfd);
		if (pidfd >= 0)
			close(pidfd);
		if (pid > 0)
			g_hash_table_insert(runs, GINT_TO_POINTER(pid), GINT_TO_POINTER(fds[0]));
		else
			close(fds[0]);
	} else if (n >= 1) {
		close(fds[0]);
	}
	for (int i = 1; i < n; i++)
		close(fds[i]);
}

static void reap(GHashTable *runs)
{
	for (;;) {
		ZvmZygoteReply message = {.kind = ZVM_ZYGOTE_EXITED};
		int status = 0;
		pid_t pid = wait4(-1, &status, WNOHANG, &message.usage);
		if (pid <= 0)
			return;
		gpointer fd;
		if (!g_hash_table_steal_extended(runs, GINT_TO_POINTER(pid), NULL, &fd))
			continue;
		message.pid = pid;
		message.status = status;
		reply(GPOINTER_TO_INT(fd), &message, -1);
		close(GPOINTER_TO_INT(fd));
	}
}

int zvm_zygote_serve(int control)
{
	prctl(PR_SET_NAME, "zvm-sandbox", 0, 0, 0);
	sigset_t child;
	sigemptyset(&child);
	sigaddset(&child, SIGCHLD);
	sigprocmask(SIG_BLOCK, &child, NULL);
	signal(SIGPIPE, SIG_IGN);
	int signals = signalfd(-1, &child, SFD_CLOEXEC | SFD_NONBLOCK);
	zygote_pidfd = (int)syscall(SYS_pidfd_open, getpid(), 0);
	if (signals < 0 || fcntl(control, F_SETFD, FD_CLOEXEC) < 0)
		return 1;
	g_autoptr(GHashTable) runs = g_hash_table_new(NULL, NULL);
	for (;;) {
		struct pollfd fds[2] = {
		    {.fd = control, .events = POLLIN},
		    {.fd = signals, .events = POLLIN},
		};
		if (poll(fds, 2, -1) < 0 && errno != EINTR)
			return 1;
		if (fds[1].revents & POLLIN) {
			struct signalfd_siginfo info;
			while (read(signals, &info, sizeof(info)) == sizeof(info))
				;
			reap(runs);
		}
		if (fds[0].revents & (POLLIN | POLLHUP | POLLERR))
			serve_request(control, runs);
	}
}
