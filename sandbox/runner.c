/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The parent side of a run: writes the plan, has the zygote fork the runner (zygote.h) or
 * execs zvm-sandbox itself, with the descriptor layout of runner.h, enforces the wall-clock
 * backstop and kills on request, and reads the results out of the shared region. Between fork and
 * exec only async-signal-safe calls are made, since the gateway calls this from one of many
 * threads.
 */
#include "runner.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <wasm-rt.h>

#include "zygote.h"

/* clang-format off */
G_DEFINE_QUARK(zvm-sandbox-error-quark, zvm_sandbox_error)
/* clang-format on */

/* Seconds a runner may take to load its module before the first instruction. */
#define ZVM_RUNNER_LOAD_TIMEOUT 60
/* Grace after the program's own timeout before the parent kills the runner. */
#define ZVM_RUNNER_GRACE_MS 2000

void zvm_run_result_clear(ZvmRunResult *result)
{
	g_clear_pointer(&result->message, g_free);
	g_clear_pointer(&result->etags, g_free);
	g_clear_pointer(&result->counters, g_free);
}

static char *plan_to_text(const ZvmRunPlan *plan, pid_t parent)
{
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_key_file_set_string(kf, "run", "module", plan->module_path);
	g_key_file_set_boolean(kf, "run", "drop_privileges", plan->drop_privileges);
	g_key_file_set_uint64(kf, "run", "uid", plan->uid);
	g_key_file_set_uint64(kf, "run", "gid", plan->gid);
	g_key_file_set_uint64(kf, "run", "memory", plan->memory_bytes);
	g_key_file_set_uint64(kf, "run", "max_pages", plan->max_pages);
	g_key_file_set_uint64(kf, "run", "timeout", plan->timeout);
	g_key_file_set_boolean(kf, "run", "memory_etag", plan->memory_etag);
	g_key_file_set_integer(kf, "run", "etag_algorithm", plan->etag_algorithm);
	g_autofree char *seed = g_malloc(65);
	for (int i = 0; i < 32; i++)
		g_snprintf(seed + 2 * i, 3, "%02x", plan->seed[i]);
	g_key_file_set_string(kf, "run", "seed", seed);
	g_key_file_set_int64(kf, "run", "start_seconds", plan->start_seconds);
	g_key_file_set_int64(kf, "run", "parent", parent);
	if (plan->args)
		g_key_file_set_string_list(kf, "run", "args", (const char *const *)plan->args,
					   g_strv_length(plan->args));
	if (plan->env)
		g_key_file_set_string_list(kf, "run", "env", (const char *const *)plan->env,
					   g_strv_length(plan->env));
	g_key_file_set_uint64(kf, "run", "channels", plan->n_channels);
	g_key_file_set_uint64(kf, "run", "mounts", plan->n_mounts);
	for (guint i = 0; i < plan->n_channels; i++) {
		const ZvmRunChannel *c = &plan->channels[i];
		g_autofree char *group = g_strdup_printf("channel %u", i);
		g_key_file_set_string(kf, group, "alias", c->spec->alias);
		g_key_file_set_integer(kf, group, "type", c->spec->type);
		g_key_file_set_integer(kf, group, "access", c->spec->access);
		g_key_file_set_boolean(kf, group, "etag", c->spec->etag);
		for (int l = 0; l < ZVM_LIMIT_COUNT; l++) {
			g_autofree char *key = g_strdup_printf("limit%d", l);
			g_key_file_set_int64(kf, group, key, c->spec->limits[l]);
		}
		g_key_file_set_integer(kf, group, "source", c->source);
		g_key_file_set_boolean(kf, group, "has_fd", c->fd >= 0);
		g_key_file_set_int64(kf, group, "size", c->size);
	}
	for (guint i = 0; i < plan->n_mounts; i++) {
		g_autofree char *group = g_strdup_printf("mount %u", i);
		g_key_file_set_string(kf, group, "mountpoint", plan->mounts[i].mountpoint);
		g_key_file_set_uint64(kf, group, "channel", plan->mounts[i].channel);
		g_key_file_set_boolean(kf, group, "has_channel", plan->mounts[i].has_channel);
		g_key_file_set_integer(kf, group, "access", (int)plan->mounts[i].access);
	}
	return g_key_file_to_data(kf, NULL, NULL);
}

/* A memfd of @size bytes holding @data (NULL: zeros); @sealed: its size can never change,
 * so that a runner cannot shrink the region under the parent's mapping (a SIGBUS in the
 * gateway) nor grow it. */
static int memfd_with(const char *name, const void *data, size_t size, gboolean sealed)
{
	int fd = memfd_create(name, MFD_CLOEXEC | (sealed ? MFD_ALLOW_SEALING : 0));
	if (fd < 0)
		return -errno;
	if (ftruncate(fd, (off_t)size) < 0 ||
	    (data && size > 0 && pwrite(fd, data, size, 0) != (ssize_t)size) ||
	    (sealed && fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) < 0)) {
		int saved = errno ? errno : EIO;
		close(fd);
		return -saved;
	}
	return fd;
}

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The descriptors the child must find at fixed numbers: target[i] <- source[i]. */
typedef struct {
	int source[ZVM_RUNNER_FD_CHANNELS + 1024];
	int target[ZVM_RUNNER_FD_CHANNELS + 1024];
	int count;
} FdMap;

static G_NORETURN void child_exec(const ZvmRunPlan *plan, FdMap *map, char **envp, int null_fd)
{
	/* Move every source out of the target range first, so no dup2 clobbers a source. */
	for (int i = 0; i < map->count; i++) {
		int moved = fcntl(map->source[i], F_DUPFD, 2000);
		if (moved < 0)
			_exit(127);
		map->source[i] = moved;
	}
	int moved_null = fcntl(null_fd, F_DUPFD, 2000);
	if (moved_null < 0 || dup2(moved_null, 0) < 0 || dup2(moved_null, 1) < 0)
		_exit(127);
	for (int i = 0; i < map->count; i++)
		if (dup2(map->source[i], map->target[i]) < 0)
			_exit(127);
	/* A runner never outlives its engine (a kill -9 of the gateway, say). */
	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	if (plan->child_main != NULL) {
		/* Named as the exec'd runner is, for ps and for people. */
		prctl(PR_SET_NAME, "zvm-sandbox", 0, 0, 0);
		_exit(plan->child_main());
	}
	char *argv[] = {(char *)"zvm-sandbox", NULL};
	execve(plan->helper, argv, envp);
	_exit(127);
}

char **zvm_runner_child_environment(void)
{
	/* Nothing of ours reaches the runner but the sanitizer settings of a test build. */
	static const char *const passed[] = {"ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS", NULL};
	GPtrArray *env = g_ptr_array_new();
	for (const char *const *name = passed; *name; name++) {
		const char *value = g_getenv(*name);
		if (value)
			g_ptr_array_add(env, g_strdup_printf("%s=%s", *name, value));
	}
	g_ptr_array_add(env, NULL);
	return (char **)g_ptr_array_free(env, FALSE);
}

/* The etag line of a region: empty, or "<alias> <hex>" pairs naming the plan's etag'd
 * channels in plan order (each at most once), then "/dev/memory <hex>" when the plan asked
 * for it; every digest as long as @algorithm's. NULL when it is well formed, else what is
 * wrong with it. */
static const char *check_etags(const char *line, const ZvmRunPlan *plan)
{
	g_autofree char *empty_digest = zvm_etag_hex_of(plan->etag_algorithm, "", 0);
	size_t digest_length = strlen(empty_digest);
	g_auto(GStrv) words = g_strsplit(line, " ", -1);
	guint n_words = g_strv_length(words);
	if (line[0] == '\0')
		return NULL;
	if (n_words % 2 != 0)
		return "the etag line is not alias and digest pairs";
	guint next_channel = 0;
	gboolean memory_seen = FALSE;
	for (guint w = 0; w < n_words; w += 2) {
		const char *alias = words[w], *digest = words[w + 1];
		/* A channel may be called /dev/memory too: the channels come first. */
		guint found = next_channel;
		while (found < plan->n_channels &&
		       !(plan->channels[found].spec->etag &&
			 g_str_equal(plan->channels[found].spec->alias, alias)))
			found++;
		if (found < plan->n_channels && !memory_seen)
			next_channel = found + 1;
		else if (plan->memory_etag && !memory_seen && g_str_equal(alias, "/dev/memory"))
			memory_seen = TRUE;
		else
			return "the etag line names a channel without an etag, out of order or "
			       "after /dev/memory";
		if (strlen(digest) != digest_length)
			return "an etag digest has the wrong length";
		for (const char *c = digest; *c; c++)
			if (!g_ascii_isdigit(*c) && !(*c >= 'a' && *c <= 'f'))
				return "an etag digest is not lower-case hex";
	}
	return NULL;
}

/* NULL when the header and outcome fields of @copy are what a runner may report. */
static const char *check_header(const ZvmRunShared *copy, const ZvmRunPlan *plan,
				uint32_t etags_capacity)
{
	if (copy->n_channels != plan->n_channels)
		return "the region's channel count was changed";
	if (copy->etags_capacity != etags_capacity)
		return "the region's etag capacity was changed";
	if (copy->magic == 0)
		return NULL;
	if (copy->magic != ZVM_RUN_SHARED_MAGIC)
		return "bad magic";
	if (copy->outcome < ZVM_RUN_EXITED || copy->outcome > ZVM_RUN_OUT_OF_MEMORY)
		return "an outcome out of range";
	if (copy->outcome == ZVM_RUN_TRAPPED &&
	    (copy->trap_code <= WASM_RT_TRAP_NONE ||
	     copy->trap_code > MAX(WASM_RT_TRAP_EXHAUSTION, WASM_RT_TRAP_UNCAUGHT_EXCEPTION)))
		return "a trap code out of range";
	if (copy->syscall_nr < 0 || copy->syscall_nr > 4095)
		return "a system call number out of range";
	if (copy->host_errno < 0 || copy->host_errno > 4095)
		return "an errno out of range";
	if (memchr(copy->message, '\0', sizeof(copy->message)) == NULL)
		return "the message is not terminated";
	if (!g_utf8_validate(copy->message, -1, NULL))
		return "the message is not UTF-8";
	for (const char *c = copy->message; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			return "the message holds control characters";
	return NULL;
}

void zvm_runner_read_results(const ZvmRunShared *shared, size_t shared_size, const ZvmRunPlan *plan,
			     uint32_t etags_capacity, ZvmRunResult *result)
{
	result->counters = g_new0(ZvmChannelCounters, MAX(plan->n_channels, 1));
	const char *broken = NULL;
	size_t expected = zvm_run_shared_size(plan->n_channels, etags_capacity);
	/* Only one copy is read, so a runner that still runs cannot change what was checked. */
	g_autofree ZvmRunShared *copy = NULL;
	if (shared_size != expected || etags_capacity == 0)
		broken = "the region has the wrong size";
	else
		copy = g_memdup2(shared, expected);
	if (broken == NULL)
		broken = check_header(copy, plan, etags_capacity);
	const ZvmChannelCounters *counters = copy ? (const ZvmChannelCounters *)(copy + 1) : NULL;
	for (guint i = 0; broken == NULL && i < plan->n_channels; i++)
		for (int l = 0; l < ZVM_LIMIT_COUNT; l++)
			if (counters[i].used[l] < 0 ||
			    counters[i].used[l] > plan->channels[i].spec->limits[l])
				broken = "a counter is outside its channel's limit";
	char *etags = copy ? (char *)(counters + plan->n_channels) : NULL;
	if (broken == NULL && copy->magic == ZVM_RUN_SHARED_MAGIC) {
		if (memchr(etags, '\0', etags_capacity) == NULL)
			broken = "the etag line is not terminated";
		else
			broken = check_etags(etags, plan);
	}
	if (broken != NULL) {
		result->outcome = ZVM_RUN_BROKE_PROTOCOL;
		g_free(result->message);
		result->message = g_strdup_printf("runner broke the protocol: %s", broken);
		return;
	}
	memcpy(result->counters, counters, plan->n_channels * sizeof(ZvmChannelCounters));
	if (copy->magic != ZVM_RUN_SHARED_MAGIC)
		return;
	result->outcome = (ZvmRunOutcome)copy->outcome;
	result->trap_code = copy->trap_code;
	result->user_rc = copy->user_rc;
	result->syscall_nr = copy->syscall_nr;
	result->host_errno = copy->host_errno;
	if (copy->message[0]) {
		g_free(result->message);
		result->message = g_strdup(copy->message);
	}
	if (etags[0])
		result->etags = g_strdup(etags);
}

static void publish_live(const ZvmRunPlan *plan, const ZvmChannelCounters *counters)
{
	if (plan->live == NULL)
		return;
	g_mutex_lock(&plan->live->lock);
	plan->live->counters = counters;
	g_mutex_unlock(&plan->live->lock);
}

static void kill_runner(pid_t pid, int pidfd)
{
	/* The pidfd names this runner even if its pid was reaped and reused meanwhile. */
	if (pidfd < 0 ||
	    (syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0) < 0 && errno == ENOSYS))
		kill(pid, SIGKILL);
}

/* Receives one zygote reply; its pidfd, if any, into *@pidfd. */
static gboolean receive_reply(int fd, ZvmZygoteReply *message, int *pidfd)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = {.iov_base = message, .iov_len = sizeof(*message)};
	struct msghdr msg = {
	    .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf)};
	ssize_t n;
	do
		n = recvmsg(fd, &msg, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); n > 0 && c; c = CMSG_NXTHDR(&msg, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
		    c->cmsg_len == CMSG_LEN(sizeof(int))) {
			int received;
			memcpy(&received, CMSG_DATA(c), sizeof(int));
			if (pidfd != NULL && *pidfd < 0)
				*pidfd = received;
			else
				close(received);
		}
	}
	return n == (ssize_t)sizeof(*message);
}

/* The zygote's answer to a request: the runner's pid (and pidfd), or FALSE. */
static gboolean await_start(int reply_fd, pid_t *pid, int *pidfd)
{
	struct pollfd poll_fd = {.fd = reply_fd, .events = POLLIN};
	int n;
	do
		n = poll(&poll_fd, 1, ZVM_RUNNER_LOAD_TIMEOUT * 1000);
	while (n < 0 && errno == EINTR);
	ZvmZygoteReply message;
	if (n != 1 || !receive_reply(reply_fd, &message, pidfd) ||
	    message.kind != ZVM_ZYGOTE_STARTED || message.pid <= 0) {
		if (*pidfd >= 0)
			close(*pidfd);
		*pidfd = -1;
		return FALSE;
	}
	*pid = message.pid;
	return TRUE;
}

/* The end of a runner the zygote reaped; a zygote that died took its runners along. */
static gboolean await_exit(int reply_fd, int *status, struct rusage *usage)
{
	ZvmZygoteReply message;
	if (receive_reply(reply_fd, &message, NULL) && message.kind == ZVM_ZYGOTE_EXITED) {
		*status = message.status;
		*usage = message.usage;
	} else {
		*status = SIGKILL; /* as wait reports a death by SIGKILL */
	}
	return TRUE;
}

gboolean zvm_runner_run(const ZvmRunPlan *plan, volatile gint *kill_flag, volatile gint *pid_slot,
			ZvmRunnerStarted started, gpointer user_data, ZvmRunResult *result,
			GError **error)
{
	*result = (ZvmRunResult){0};
	int filter_fd = zvm_seccomp_filter_fd(error);
	if (filter_fd < 0)
		return FALSE;

	uint32_t etags_capacity = 128 + (plan->memory_etag ? 160 : 0);
	for (guint i = 0; i < plan->n_channels; i++)
		etags_capacity += (uint32_t)strlen(plan->channels[i].spec->alias) + 132;
	size_t shared_size = zvm_run_shared_size(plan->n_channels, etags_capacity);

	/* The gateway's runners fork from its zygote, which is then their parent. */
	pid_t zygote_pid = 0;
	if (plan->child_main == NULL && plan->zygote && plan->n_channels + 8 < ZVM_ZYGOTE_MAX_FDS)
		zygote_pid = zvm_zygote_pid(plan->helper);
	g_autofree char *plan_text = plan_to_text(plan, zygote_pid > 0 ? zygote_pid : getpid());
	int plan_fd = memfd_with("zvm-plan", plan_text, strlen(plan_text), FALSE);
	int shared_fd = memfd_with("zvm-shared", NULL, shared_size, TRUE);
	int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	int pipe_fds[2] = {-1, -1};
	int r = plan_fd < 0 ? plan_fd : shared_fd < 0 ? shared_fd : null_fd < 0 ? -errno : 0;
	if (r == 0 && pipe2(pipe_fds, O_CLOEXEC) < 0)
		r = -errno;
	ZvmRunShared *shared = MAP_FAILED;
	if (r == 0) {
		shared = mmap(NULL, shared_size, PROT_READ | PROT_WRITE, MAP_SHARED, shared_fd, 0);
		if (shared == MAP_FAILED)
			r = -errno;
	}
	if (r == 0) {
		shared->magic = 0;
		shared->n_channels = plan->n_channels;
		shared->etags_capacity = etags_capacity;
	}

	g_autofree FdMap *map = g_new0(FdMap, 1);
	map->source[map->count] = plan_fd, map->target[map->count++] = ZVM_RUNNER_FD_PLAN;
	map->source[map->count] = shared_fd, map->target[map->count++] = ZVM_RUNNER_FD_SHARED;
	map->source[map->count] = filter_fd, map->target[map->count++] = ZVM_RUNNER_FD_FILTER;
	map->source[map->count] = pipe_fds[1], map->target[map->count++] = ZVM_RUNNER_FD_STARTED;
	if (plan->n_channels > 1024)
		r = -EMFILE;
	for (guint i = 0; r == 0 && i < plan->n_channels; i++) {
		if (plan->channels[i].fd < 0)
			continue;
		map->source[map->count] = plan->channels[i].fd;
		map->target[map->count++] = ZVM_RUNNER_FD_CHANNELS + (int)i;
	}
	g_auto(GStrv) envp = zvm_runner_child_environment();

	pid_t pid = -1;
	int reply_fd = -1, pidfd = -1;
	if (r == 0 && zygote_pid > 0) {
		reply_fd = zvm_zygote_submit(zygote_pid, map->source, map->target, map->count);
		if (reply_fd >= 0 && !await_start(reply_fd, &pid, &pidfd)) {
			close(reply_fd);
			reply_fd = -1;
		}
		if (reply_fd < 0) {
			/* No zygote after all: the runner is exec'd from here, its parent. */
			g_free(plan_text);
			plan_text = plan_to_text(plan, getpid());
			size_t length = strlen(plan_text);
			if (ftruncate(plan_fd, (off_t)length) < 0 ||
			    pwrite(plan_fd, plan_text, length, 0) != (ssize_t)length)
				r = errno ? -errno : -EIO;
		}
	}
	if (r == 0 && reply_fd < 0) {
		pid = fork();
		if (pid < 0)
			r = -errno;
		else if (pid == 0)
			child_exec(plan, map, envp, null_fd);
	}
	if (plan_fd >= 0)
		close(plan_fd);
	if (shared_fd >= 0)
		close(shared_fd);
	if (null_fd >= 0)
		close(null_fd);
	if (pipe_fds[1] >= 0)
		close(pipe_fds[1]);
	if (r != 0) {
		if (pipe_fds[0] >= 0)
			close(pipe_fds[0]);
		if (shared != MAP_FAILED)
			munmap(shared, shared_size);
		g_set_error(error, ZVM_SANDBOX_ERROR, ZVM_SANDBOX_ERROR_START,
			    "cannot start the sandbox: %s", g_strerror(-r));
		return FALSE;
	}
	g_atomic_int_set(pid_slot, pid);
	publish_live(plan, zvm_run_shared_counters(shared));

	if (reply_fd < 0)
		pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	double begin = now_seconds(), start_time = 0;
	double deadline = begin + ZVM_RUNNER_LOAD_TIMEOUT;
	gboolean exited = FALSE, timed_out = FALSE;
	int status = 0;
	while (!exited) {
		if (g_atomic_int_get(kill_flag) && !result->killed) {
			kill_runner(pid, pidfd);
			result->killed = TRUE;
		}
		double now = now_seconds();
		if (now > deadline && !timed_out) {
			kill_runner(pid, pidfd);
			timed_out = TRUE;
		}
		struct pollfd fds[2] = {
		    {.fd = reply_fd >= 0 ? reply_fd : pidfd, .events = POLLIN},
		    {.fd = pipe_fds[0], .events = POLLIN},
		};
		/* Short waits, so that a kill request is seen within 50 ms. */
		int n = poll(fds, pipe_fds[0] >= 0 ? 2 : 1, 50);
		if (n < 0 && errno != EINTR)
			break;
		if (pipe_fds[0] >= 0 && (fds[1].revents & (POLLIN | POLLHUP))) {
			char byte;
			if (read(pipe_fds[0], &byte, 1) == 1) {
				result->started = TRUE;
				start_time = now_seconds();
				deadline =
				    start_time + plan->timeout + ZVM_RUNNER_GRACE_MS / 1000.0;
				if (started)
					started(pid, user_data);
			}
			close(pipe_fds[0]);
			pipe_fds[0] = -1;
		}
		if (reply_fd >= 0) {
			if (fds[0].revents & (POLLIN | POLLHUP | POLLERR))
				exited = await_exit(reply_fd, &status, &result->usage);
		} else if (pidfd < 0 || (fds[0].revents & POLLIN)) {
			if (wait4(pid, &status, pidfd < 0 ? WNOHANG : 0, &result->usage) == pid)
				exited = TRUE;
		}
	}
	/* A zygote that died may have left its runner behind (zygote-server.c): end it. */
	if (reply_fd >= 0 && pidfd >= 0)
		syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0);
	g_atomic_int_set(pid_slot, 0);
	publish_live(plan, NULL);
	/* zvm_job_kill may have sent the SIGKILL itself, before this loop saw its flag. */
	if (g_atomic_int_get(kill_flag))
		result->killed = TRUE;
	if (pidfd >= 0)
		close(pidfd);
	if (reply_fd >= 0)
		close(reply_fd);
	if (pipe_fds[0] >= 0)
		close(pipe_fds[0]);
	result->wall_seconds = result->started ? now_seconds() - start_time : 0;
	if (WIFSIGNALED(status))
		result->signal = WTERMSIG(status);
	else if (WIFEXITED(status) && WEXITSTATUS(status) == 127 && shared->magic == 0)
		result->message = g_strdup_printf("cannot execute the sandbox %s", plan->helper);
	zvm_runner_read_results(shared, shared_size, plan, etags_capacity, result);
	if (timed_out && result->started && result->outcome == ZVM_RUN_UNFINISHED)
		result->outcome = ZVM_RUN_TIMED_OUT;
	munmap(shared, shared_size);
	return TRUE;
}
