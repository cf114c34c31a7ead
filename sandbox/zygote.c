/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The engine side of the zygote (zygote.h). One zygote per process, started and reaped by a
 * keeper thread that lives as long as the process: PR_SET_PDEATHSIG fires when the *thread*
 * that forked a process ends, so the zygote must not be the child of a worker thread that
 * may go away. Requests are sent under a mutex; each run gets its own reply socket.
 */
#include "zygote.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine.h"
#include "runner.h"

static GMutex lock;
static GCond changed;
static GThread *keeper;
static char *wanted_helper; /* set: the keeper is asked to start a zygote for it */
static pid_t zygote;	    /* the running zygote, 0 for none */
static int control = -1;    /* the engine's end of its control socket */
static guint attempts;	    /* bumped by the keeper after each start attempt */
static pid_t reaped;	    /* the last zygote the keeper reaped */

/* Between fork and exec in a threaded process: async-signal-safe calls only. */
static pid_t spawn(const char *helper, char **envp)
{
	int pair[2];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) < 0)
		return -errno;
	int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null_fd < 0) {
		int saved = errno;
		close(pair[0]);
		close(pair[1]);
		return -saved;
	}
	pid_t engine = getpid();
	pid_t pid = fork();
	if (pid == 0) {
		int moved = fcntl(pair[1], F_DUPFD_CLOEXEC, 10);
		if (moved < 0 || dup2(null_fd, 0) < 0 || dup2(null_fd, 1) < 0 ||
		    dup2(moved, ZVM_ZYGOTE_CONTROL_FD) < 0)
			_exit(127);
		/* Nothing else of the engine's, CLOEXEC or not, reaches the zygote. */
		if (syscall(SYS_close_range, ZVM_ZYGOTE_CONTROL_FD + 1, ~0U, 0) < 0)
			_exit(127);
		/* The zygote dies with the engine, and its runners with it. */
		prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
		if (getppid() != engine)
			_exit(127);
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		char *argv[] = {(char *)"zvm-sandbox", (char *)"--zygote", NULL};
		execve(helper, argv, envp);
		_exit(127);
	}
	int saved = errno;
	close(null_fd);
	close(pair[1]);
	if (pid < 0) {
		close(pair[0]);
		return -saved;
	}
	control = pair[0];
	return pid;
}

static gpointer keep(gpointer data)
{
	g_mutex_lock(&lock);
	for (;;) {
		while (wanted_helper == NULL)
			g_cond_wait(&changed, &lock);
		g_auto(GStrv) envp = zvm_runner_child_environment();
		pid_t pid = spawn(wanted_helper, envp);
		g_clear_pointer(&wanted_helper, g_free);
		zygote = MAX(pid, 0);
		attempts++;
		g_cond_broadcast(&changed);
		if (pid <= 0)
			continue;
		g_mutex_unlock(&lock);
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		g_mutex_lock(&lock);
		reaped = pid;
		g_cond_broadcast(&changed);
		if (zygote == pid) {
			zygote = 0;
			close(control);
			control = -1;
		}
	}
	return NULL;
}

pid_t zvm_zygote_pid(const char *helper)
{
	g_mutex_lock(&lock);
	if (keeper == NULL)
		keeper = g_thread_new("zvm-zygote", keep, NULL);
	if (zygote == 0) {
		guint before = attempts;
		g_free(wanted_helper);
		wanted_helper = g_strdup(helper);
		g_cond_broadcast(&changed);
		/* The keeper may still be reaping a dead zygote; do not wait long for it. */
		gint64 until = g_get_monotonic_time() + G_TIME_SPAN_SECOND;
		while (attempts == before && g_cond_wait_until(&changed, &lock, until))
			;
	}
	pid_t pid = zygote;
	g_mutex_unlock(&lock);
	return pid;
}

int zvm_zygote_submit(pid_t zygote_pid, const int *fds, const int *targets, int n)
{
	if (n + 1 > ZVM_ZYGOTE_MAX_FDS)
		return -EMFILE;
	int pair[2];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) < 0)
		return -errno;
	g_autofree ZvmZygoteRequest *request = g_new0(ZvmZygoteRequest, 1);
	request->magic = ZVM_ZYGOTE_MAGIC;
	request->n_fds = (uint32_t)n + 1;
	for (int i = 0; i < n; i++)
		request->targets[i + 1] = targets[i];
	size_t control_size = CMSG_SPACE(sizeof(int) * (size_t)(n + 1));
	g_autofree char *cbuf = g_malloc0(control_size);
	struct iovec iov = {.iov_base = request,
			    .iov_len = offsetof(ZvmZygoteRequest, targets) +
				       sizeof(int32_t) * (size_t)(n + 1)};
	struct msghdr msg = {
	    .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = control_size};
	struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)(n + 1));
	int *out = (int *)CMSG_DATA(cmsg);
	out[0] = pair[1];
	memcpy(out + 1, fds, sizeof(int) * (size_t)n);

	int r = 0;
	g_mutex_lock(&lock);
	if (zygote != zygote_pid || control < 0) {
		r = -ESRCH;
	} else if (sendmsg(control, &msg, MSG_NOSIGNAL) < 0) {
		r = errno == EPIPE || errno == ECONNRESET ? -ESRCH : -errno;
		/* Broken: let the next run start another (the keeper reaps this one). */
		kill(zygote, SIGKILL);
		zygote = 0;
		close(control);
		control = -1;
	}
	g_mutex_unlock(&lock);
	close(pair[1]);
	if (r < 0) {
		close(pair[0]);
		return r;
	}
	return pair[0];
}

void zvm_zygote_stop(void)
{
	g_mutex_lock(&lock);
	pid_t pid = zygote;
	if (pid > 0) {
		/* EOF on its control socket: it kills and reaps its runners, then exits. */
		zygote = 0;
		close(control);
		control = -1;
		gint64 until = g_get_monotonic_time() + 2 * G_TIME_SPAN_SECOND;
		while (reaped != pid && g_cond_wait_until(&changed, &lock, until))
			;
		if (reaped != pid)
			kill(pid, SIGKILL);
	}
	g_mutex_unlock(&lock);
}
