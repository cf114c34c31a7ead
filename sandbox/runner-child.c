/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The child side of a run (runner.h): runs one translated module. Reads the plan the engine
 * wrote, copies the module's shared object, fences itself (closed descriptors, unprivileged
 * user, namespaces of its own, no_new_privs), only then loads the object and the tar images,
 * finishes the fence (empty root, no capabilities, etag digest threads, rlimits, seccomp on
 * every thread), then runs the module's code, `_start` under a wall-clock timer. Traps, proc_exit
 * and the timeout all unwind to one place, which writes the outcome, counters and etags into the
 * shared region and exits.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

#include <wasm-rt-impl.h>

#include "fd-io.h"
#include "fence.h"
#include "glue.h"
#include "engine.h"
#include "runner.h"
#include "wasi-host.h"

#ifdef __SANITIZE_ADDRESS__
/* In the sanitizer build the runner's guard-page traps are SIGSEGVs that wasm2c's handler
 * must see, not AddressSanitizer's; and the fenced runner cannot open files for reports. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "handle_segv=0:handle_sigbus=0:allow_user_segv_handler=1:detect_leaks=0";
}
#endif

/* Values of the unwind that are not wasm_rt traps. */
enum { JUMP_EXIT = 1000, JUMP_TIMEOUT = 1001 };

static ZvmRunShared *shared;
static ZvmWasiHost *host;
static int exit_code;

G_NORETURN void zvm_runner_exit(int code)
{
	exit_code = code;
	WASM_RT_LONGJMP(wasm_rt_jmp_buf, JUMP_EXIT);
}

G_NORETURN void zvm_runner_timeout(void)
{
	WASM_RT_LONGJMP(wasm_rt_jmp_buf, JUMP_TIMEOUT);
}

static void on_alarm(int signal)
{
	/* Never unwind through host code: its state (a channel's digest) must stay whole. */
	if (host != NULL && host->in_host_call)
		host->timeout_pending = 1;
	else
		zvm_runner_timeout();
}

static void on_forbidden_syscall(int signal, siginfo_t *info, void *context)
{
	shared->syscall_nr = info->si_syscall;
	shared->outcome = ZVM_RUN_FORBIDDEN;
	__atomic_store_n(&shared->magic, ZVM_RUN_SHARED_MAGIC, __ATOMIC_RELEASE);
	/* The raw call: the signal may have interrupted code that holds a lock _exit's
	 * wrappers (a sanitizer's) would wait for. */
	syscall(SYS_exit_group, 0);
}

static G_NORETURN void fail_setup(const char *format, ...) G_GNUC_PRINTF(1, 2);

static G_NORETURN void fail_setup(const char *format, ...)
{
	va_list args;
	va_start(args, format);
	if (shared != NULL) {
		vsnprintf(shared->message, sizeof(shared->message), format, args);
		shared->outcome = ZVM_RUN_SETUP_FAILED;
		__atomic_store_n(&shared->magic, ZVM_RUN_SHARED_MAGIC, __ATOMIC_RELEASE);
	} else {
		vfprintf(stderr, format, args);
		fputc('\n', stderr);
	}
	va_end(args);
	_exit(shared != NULL ? 0 : 2);
}

/* glib's fatal errors, g_malloc's "failed to allocate" above all: the runner's data limit
 * refused memory. The outcome says so, instead of whatever system call the abort path would
 * make behind the seccomp filter. */
static void on_log(const char *domain, GLogLevelFlags level, const char *message,
		   gpointer user_data)
{
	if (shared == NULL || !(level & G_LOG_LEVEL_ERROR)) {
		g_log_default_handler(domain, level, message, user_data);
		return;
	}
	g_strlcpy(shared->message, message, sizeof(shared->message));
	/* The engine takes one line of text only (zvm_runner_read_results). */
	for (char *c = shared->message; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = ' ';
	shared->outcome =
	    strstr(message, "failed to allocate") ? ZVM_RUN_OUT_OF_MEMORY : ZVM_RUN_SETUP_FAILED;
	__atomic_store_n(&shared->magic, ZVM_RUN_SHARED_MAGIC, __ATOMIC_RELEASE);
	syscall(SYS_exit_group, 0);
}

/* The runner's own data (VmData) before the images: exec'd, a few MiB; forked from a
 * single-threaded `zvm run`, whatever that process held (the program's bytes among it). */
static uint64_t data_baseline;

static uint64_t read_data_bytes(void)
{
	g_autofree char *status = NULL;
	if (!g_file_get_contents("/proc/self/status", &status, NULL, NULL))
		return 0;
	const char *line = strstr(status, "\nVmData:");
	return line ? g_ascii_strtoull(line + strlen("\nVmData:"), NULL, 10) * 1024 : 0;
}

/* The data limit (RLIMIT_DATA) of a job of @memory_bytes with @workers etag workers. */
static uint64_t data_limit(uint64_t memory_bytes, guint workers)
{
	return data_baseline + memory_bytes + ZVM_RUNNER_DATA_RESERVE +
	       workers * ZVM_ETAG_WORKER_MEMORY;
}

static GBytes *read_fd(int fd, gsize max)
{
	struct stat st;
	if (fstat(fd, &st) < 0 || (gsize)st.st_size > max)
		return NULL;
	gsize size = (gsize)st.st_size;
	guint8 *data = g_malloc(size + 1);
	if (pread(fd, data, size, 0) != (ssize_t)size) {
		g_free(data);
		return NULL;
	}
	return g_bytes_new_take(data, size);
}

typedef struct {
	GKeyFile *plan;
	guint n_channels;
	ZvmChannel **channels;
	ZvmChannelSpec *specs;
	guint n_mounts;
	ZvmWasiMount *mounts;
	GPtrArray *images;
} Setup;

static void load_channels(Setup *setup, ZvmEtagAlgorithm algorithm)
{
	GKeyFile *kf = setup->plan;
	setup->channels = g_new0(ZvmChannel *, setup->n_channels + 1);
	setup->specs = g_new0(ZvmChannelSpec, setup->n_channels + 1);
	for (guint i = 0; i < setup->n_channels; i++) {
		g_autofree char *group = g_strdup_printf("channel %u", i);
		ZvmChannelSpec *spec = &setup->specs[i];
		spec->alias = g_key_file_get_string(kf, group, "alias", NULL);
		if (spec->alias == NULL)
			fail_setup("sandbox: the plan lacks channel %u", i);
		spec->type = g_key_file_get_integer(kf, group, "type", NULL);
		spec->access = (ZvmAccess)g_key_file_get_integer(kf, group, "access", NULL);
		spec->etag = g_key_file_get_boolean(kf, group, "etag", NULL);
		for (int l = 0; l < ZVM_LIMIT_COUNT; l++) {
			g_autofree char *key = g_strdup_printf("limit%d", l);
			spec->limits[l] = g_key_file_get_int64(kf, group, key, NULL);
		}
		ZvmSourceKind source =
		    (ZvmSourceKind)g_key_file_get_integer(kf, group, "source", NULL);
		gboolean has_fd = g_key_file_get_boolean(kf, group, "has_fd", NULL);
		int64_t size = g_key_file_get_int64(kf, group, "size", NULL);
		setup->channels[i] =
		    zvm_channel_new(spec, source, has_fd ? ZVM_RUNNER_FD_CHANNELS + (int)i : -1,
				    size, &zvm_run_shared_counters(shared)[i], algorithm);
	}
}

/* Reads an image channel whole: ZRT injected the image by reading it, so the reads count. */
static ZvmImage *load_image(ZvmChannel *channel)
{
	/* ZRT injected the image by reading its channel, so the reads count. One buffer of
	 * the image's size, read into in place: a growing array would map up to twice the
	 * image against the data limit. */
	gsize size = (gsize)MAX(channel->size, 0);
	guint8 *tar = g_malloc(size + 1);
	int64_t offset = 0;
	for (;;) {
		/* Chunks as before, so the reads count as they did; the byte past the size
		 * tells an image that grew since the engine saw it. */
		gsize want = MIN((gsize)65536, size + 1 - (gsize)offset);
		ssize_t n = zvm_channel_read(channel, tar + offset, want, offset);
		if (n == -EDQUOT)
			fail_setup("%s: its limits are too small to read the whole image "
				   "(read %" G_GINT64_FORMAT " bytes)",
				   channel->alias, offset);
		if (n < 0)
			fail_setup("%s: cannot read the image: %s", channel->alias,
				   g_strerror((int)-n));
		if (n == 0)
			break;
		offset += n;
		if ((gsize)offset > size)
			fail_setup("%s: the image grew while it was read", channel->alias);
	}
	g_autoptr(GBytes) bytes = g_bytes_new_take(tar, (gsize)offset);
	g_autoptr(GError) error = NULL;
	ZvmImage *image = zvm_image_new(bytes, &error);
	if (image == NULL)
		fail_setup("%s: %s", channel->alias, error->message);
	return image;
}

/* The [fstab] mounts: images (ro), scratch trees (rw, from an image or empty) and output trees
 * (wo, whose channel is written only when the program ends). */
static void load_images(Setup *setup)
{
	GKeyFile *kf = setup->plan;
	setup->mounts = g_new0(ZvmWasiMount, setup->n_mounts + 1);
	setup->images = g_ptr_array_new_with_free_func((GDestroyNotify)zvm_image_free);
	for (guint i = 0; i < setup->n_mounts; i++) {
		g_autofree char *group = g_strdup_printf("mount %u", i);
		char *mountpoint = g_key_file_get_string(kf, group, "mountpoint", NULL);
		guint64 index = g_key_file_get_uint64(kf, group, "channel", NULL);
		gboolean has_channel = g_key_file_get_boolean(kf, group, "has_channel", NULL);
		int access = g_key_file_get_integer(kf, group, "access", NULL);
		if (mountpoint == NULL || (has_channel && index >= setup->n_channels) ||
		    (!has_channel && access != ZVM_FSTAB_RW))
			fail_setup("sandbox: the plan has a bad mount %u", i);
		ZvmChannel *channel = has_channel ? setup->channels[index] : NULL;
		ZvmWasiMount *mount = &setup->mounts[i];
		mount->mountpoint = mountpoint;
		mount->channel = channel;
		switch (access) {
		case ZVM_FSTAB_RO:
			mount->kind = ZVM_WASI_MOUNT_IMAGE;
			break;
		case ZVM_FSTAB_RW:
			mount->kind = ZVM_WASI_MOUNT_SCRATCH;
			break;
		case ZVM_FSTAB_WO:
			mount->kind = ZVM_WASI_MOUNT_OUTPUT;
			break;
		default:
			fail_setup("sandbox: the plan has a bad mount %u", i);
		}
		if (channel != NULL && access != ZVM_FSTAB_WO) {
			mount->image = load_image(channel);
			g_ptr_array_add(setup->images, mount->image);
		}
	}
}

/* More digest threads than a machine has cores gain nothing, and each holds a ring. */
#define RUNNER_ETAG_WORKERS 4

/*
 * Moves the digests of the first RUNNER_ETAG_WORKERS etag'd channels to threads of their own,
 * so that a streaming program's thread only copies. Threads can be had only now: after the
 * privilege drop, before the process limit and the seccomp filter. A channel whose worker
 * cannot start hashes on the program's thread, with the same digest. Returns how many started.
 */
static guint start_etag_workers(Setup *setup)
{
	guint started = 0;
	for (guint i = 0; i < setup->n_channels && started < RUNNER_ETAG_WORKERS; i++) {
		ZvmEtag *etag = setup->channels[i]->etag;
		if (etag != NULL && zvm_etag_start_worker(etag, NULL))
			started++;
	}
	return started;
}

/* Installs @filter on every thread of the runner (the etag workers too), or fails the run. */
static void install_filter(GBytes *filter)
{
	gsize size;
	const void *code = g_bytes_get_data(filter, &size);
	struct sock_fprog program = {
	    .len = (unsigned short)(size / sizeof(struct sock_filter)),
	    .filter = (struct sock_filter *)code,
	};
	long r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, &program);
	if (r < 0)
		fail_setup("sandbox: cannot install the seccomp filter: %s", g_strerror(errno));
	/* A thread id: the thread that could not take the filter. */
	if (r > 0)
		fail_setup("sandbox: cannot install the seccomp filter on thread %ld", r);
}

/* Whether the runner's parent is still the one the plan names. A runner forked into a PID
 * namespace of its own (zygote-server.c) sees no parent (getppid() is 0): there the zygote's
 * death is caught by the engine, which kills the runner through its pidfd, and the engine's
 * by the start pipe, which fails before the first instruction. */
static gboolean parent_is_engine(GKeyFile *kf)
{
	pid_t parent = getppid();
	return parent == 0 || parent == (pid_t)g_key_file_get_int64(kf, "run", "parent", NULL);
}

/*
 * The fence's first half, before anything of the module is loaded: every descriptor closed
 * but the runner's and @module_fd, the unprivileged user, namespaces of its own (when the host
 * offers them), no_new_privs. The module's object is loaded only after this (docs/engine.md,
 * "Privilege separation"). Returns whether the namespaces were entered.
 */
static gboolean fence_before_load(Setup *setup, int module_fd)
{
	GKeyFile *kf = setup->plan;
	g_autofree int *keep = g_new0(int, setup->n_channels + 3);
	/* The start pipe stays until the first instruction is next; main closes it. */
	keep[0] = ZVM_RUNNER_FD_STARTED;
	keep[1] = module_fd;
	int n_keep = 2;
	for (guint i = 0; i < setup->n_channels; i++)
		if (setup->channels[i]->fd >= 0)
			keep[n_keep++] = setup->channels[i]->fd;
	int r = zvm_fence_close_fds(0, keep, n_keep);
	if (r == 0 && g_key_file_get_boolean(kf, "run", "drop_privileges", NULL))
		r = zvm_fence_drop_privileges((uid_t)g_key_file_get_uint64(kf, "run", "uid", NULL),
					      (gid_t)g_key_file_get_uint64(kf, "run", "gid", NULL));
	/* A host without user namespaces (a sysctl, a container's seccomp) runs jobs without
	 * them; the other layers stand alone (docs/reliability.md). */
	gboolean isolated = r == 0 && zvm_fence_enter_namespaces() == 0;
	/* Changing credentials (and entering a user namespace) cleared the parent-death signal:
	 * set it again, and make sure the engine did not already go away before it was set. */
	if (r == 0 && prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
		r = -errno;
	if (r == 0 && !parent_is_engine(kf))
		r = -ESRCH;
	if (r == 0)
		r = zvm_fence_no_new_privs();
	if (r < 0)
		fail_setup("sandbox: cannot fence the runner: %s", g_strerror(-r));
	return isolated;
}

/* The second half, once the module is loaded: the empty root, no capabilities, the etag
 * workers, rlimits, the timer and the seccomp filter. */
static void fence_after_load(Setup *setup, gboolean isolated, GBytes *filter, uint64_t memory_bytes,
			     uint32_t timeout)
{
	GKeyFile *kf = setup->plan;
	int highest = ZVM_RUNNER_FD_CHANNELS;
	int64_t largest_output = 1;
	for (guint i = 0; i < setup->n_channels; i++) {
		ZvmChannel *c = setup->channels[i];
		highest = MAX(highest, c->fd);
		if (c->access & ZVM_ACCESS_WRITE)
			largest_output =
			    MAX(largest_output, c->size + c->limits[ZVM_LIMIT_PUT_SIZE] + 1);
	}
#ifdef __SANITIZE_ADDRESS__
	/* The sanitizer build reads /proc/self/maps on every trap's longjmp (seccomp.c): it
	 * keeps the host's root, in its own namespaces still. */
	isolated = FALSE;
#endif
	int r = isolated ? zvm_fence_empty_root() : 0;
	if (r == 0)
		r = zvm_fence_drop_capabilities();
	if (r == 0) {
		guint workers = start_etag_workers(setup);
		ZvmFenceLimits limits = {
		    .cpu_seconds = (uint64_t)timeout + 5,
		    /* Memory (linear memory and images) plus what the host, the runtime and the
		     * etag workers need. */
		    .data = data_limit(memory_bytes, workers),
		    .file_size = (uint64_t)largest_output,
		    .open_files = (uint64_t)highest + 1,
		    .no_processes = g_key_file_get_boolean(kf, "run", "drop_privileges", NULL),
		};
#ifdef __SANITIZE_ADDRESS__
		/* AddressSanitizer maps terabytes of shadow, so its test build goes without. */
		limits.data = 0;
#endif
		r = zvm_fence_set_limits(&limits);
	}
	if (r < 0)
		fail_setup("sandbox: cannot fence the runner: %s", g_strerror(-r));

	struct itimerval timer = {.it_value = {.tv_sec = timeout}};
	if (setitimer(ITIMER_REAL, &timer, NULL) < 0)
		fail_setup("sandbox: cannot arm the timeout: %s", g_strerror(errno));

	install_filter(filter);
}

/*
 * A private, sealed copy of the translated object, made while the runner may still read the
 * cache (which only root reads when the gateway is root): after the privilege drop the loader
 * opens it as /proc/self/fd/N, and nothing can change it any more.
 */
static int copy_module(const char *module_path)
{
	int fd = module_path != NULL ? open(module_path, O_RDONLY | O_CLOEXEC) : -1;
	if (fd < 0)
		fail_setup("sandbox: cannot open the translated module: %s", g_strerror(errno));
	int copy = memfd_create("zvm-module", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	int r = copy < 0 ? -errno : zvm_copy_fd(fd, copy);
	close(fd);
	if (r == 0 &&
	    fcntl(copy, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) < 0)
		r = -errno;
	if (r < 0)
		fail_setup("sandbox: cannot copy the translated module: %s", g_strerror(-r));
	return copy;
}

static void finish(Setup *setup, int jump, wasm_rt_memory_t *memory, gboolean memory_etag)
{
	sigset_t alarm;
	sigemptyset(&alarm);
	sigaddset(&alarm, SIGALRM);
	sigprocmask(SIG_BLOCK, &alarm, NULL);

	/* ZRT saved a wo mount at exit; a trap ends the program too, a timeout does not. */
	if (jump != JUMP_TIMEOUT && host != NULL)
		zvm_wasi_host_save_outputs(host);

	if (jump == 0 || jump == JUMP_EXIT) {
		shared->outcome = ZVM_RUN_EXITED;
		shared->user_rc = jump == 0 ? 0 : exit_code;
	} else if (jump == JUMP_TIMEOUT) {
		shared->outcome = ZVM_RUN_TIMED_OUT;
	} else {
		shared->outcome = ZVM_RUN_TRAPPED;
		shared->trap_code = jump;
	}
	for (guint i = 0; i < setup->n_channels; i++) {
		ZvmChannel *c = setup->channels[i];
		if (c->host_error != 0 && shared->outcome != ZVM_RUN_TIMED_OUT) {
			shared->outcome = ZVM_RUN_CHANNEL_FAILED;
			shared->host_errno = c->host_error;
			/* Not g_strerror(): behind the seccomp filter its first call opens the
			 * locale's catalogue, a forbidden openat that killed the runner and hid a
			 * full disk (tests/faults/test-disk-full.sh). */
			const char *text = strerrordesc_np(c->host_error);
			snprintf(shared->message, sizeof(shared->message), "%s: %s", c->alias,
				 text ? text : "host write failed");
			break;
		}
	}

	GString *etags = g_string_new(NULL);
	for (guint i = 0; i < setup->n_channels; i++) {
		g_autofree char *digest = zvm_channel_etag(setup->channels[i]);
		if (digest)
			g_string_append_printf(etags, "%s%s %s", etags->len ? " " : "",
					       setup->channels[i]->alias, digest);
	}
	if (memory_etag && memory != NULL && memory->data != NULL) {
		ZvmEtagAlgorithm algorithm = (ZvmEtagAlgorithm)g_key_file_get_integer(
		    setup->plan, "run", "etag_algorithm", NULL);
		g_autofree char *digest = zvm_etag_hex_of(algorithm, memory->data, memory->size);
		g_string_append_printf(etags, "%s/dev/memory %s", etags->len ? " " : "", digest);
	}
	g_strlcpy(zvm_run_shared_etags(shared), etags->str, shared->etags_capacity);
	g_string_free(etags, TRUE);
	__atomic_store_n(&shared->magic, ZVM_RUN_SHARED_MAGIC, __ATOMIC_RELEASE);
	_exit(0);
}

int zvm_runner_child_main(void)
{
	struct stat st;
	if (fstat(ZVM_RUNNER_FD_SHARED, &st) < 0 || (size_t)st.st_size < sizeof(ZvmRunShared))
		fail_setup("zvm-sandbox is started by zvm and zvmfs only");
	shared = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		      ZVM_RUNNER_FD_SHARED, 0);
	if (shared == MAP_FAILED) {
		shared = NULL;
		fail_setup("zvm-sandbox: cannot map the shared region: %s", g_strerror(errno));
	}

	g_autoptr(GBytes) plan_text = read_fd(ZVM_RUNNER_FD_PLAN, 64 << 20);
	g_autoptr(GBytes) filter = read_fd(ZVM_RUNNER_FD_FILTER, 1 << 20);
	Setup setup = {.plan = g_key_file_new()};
	gsize plan_size = 0;
	const char *plan_data = plan_text ? g_bytes_get_data(plan_text, &plan_size) : NULL;
	if (plan_data == NULL || filter == NULL ||
	    !g_key_file_load_from_data(setup.plan, plan_data, plan_size, G_KEY_FILE_NONE, NULL))
		fail_setup("sandbox: cannot read the plan");
	GKeyFile *kf = setup.plan;

	setup.n_channels = (guint)g_key_file_get_uint64(kf, "run", "channels", NULL);
	setup.n_mounts = (guint)g_key_file_get_uint64(kf, "run", "mounts", NULL);
	if (setup.n_channels < 3 || setup.n_channels != shared->n_channels)
		fail_setup("sandbox: the plan has %u channels", setup.n_channels);
	ZvmEtagAlgorithm algorithm =
	    (ZvmEtagAlgorithm)g_key_file_get_integer(kf, "run", "etag_algorithm", NULL);
	uint32_t max_pages = (uint32_t)g_key_file_get_uint64(kf, "run", "max_pages", NULL);
	uint64_t memory_bytes = g_key_file_get_uint64(kf, "run", "memory", NULL);
	if (memory_bytes == 0)
		memory_bytes = (uint64_t)max_pages * 65536;
	uint32_t timeout = (uint32_t)g_key_file_get_uint64(kf, "run", "timeout", NULL);
	gboolean memory_etag = g_key_file_get_boolean(kf, "run", "memory_etag", NULL);
	g_auto(GStrv) args = g_key_file_get_string_list(kf, "run", "args", NULL, NULL);
	g_auto(GStrv) env = g_key_file_get_string_list(kf, "run", "env", NULL, NULL);
	g_autofree char *seed_hex = g_key_file_get_string(kf, "run", "seed", NULL);
	guint8 seed[32] = {0};
	for (int i = 0; seed_hex && i < 32 && seed_hex[2 * i] && seed_hex[2 * i + 1]; i++)
		seed[i] = (guint8)(g_ascii_xdigit_value(seed_hex[2 * i]) * 16 +
				   g_ascii_xdigit_value(seed_hex[2 * i + 1]));

	g_log_set_default_handler(on_log, NULL);
	struct sigaction sa = {.sa_sigaction = on_forbidden_syscall, .sa_flags = SA_SIGINFO};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSYS, &sa, NULL);
	struct sigaction alarm_action = {.sa_handler = on_alarm};
	sigemptyset(&alarm_action.sa_mask);
	sigaction(SIGALRM, &alarm_action, NULL);
	signal(SIGXFSZ, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);

	load_channels(&setup, algorithm);

	g_autofree char *module_path = g_key_file_get_string(kf, "run", "module", NULL);
	int module_fd = copy_module(module_path);
	gboolean isolated = fence_before_load(&setup, module_fd);
	char module_name[32];
	g_snprintf(module_name, sizeof(module_name), "/proc/self/fd/%d", module_fd);
	void *module = dlopen(module_name, RTLD_NOW | RTLD_LOCAL);
	if (module == NULL)
		fail_setup("sandbox: cannot load the translated module: %s", dlerror());
	close(module_fd);
	ZvmGlueInstanceSize instance_size =
	    (ZvmGlueInstanceSize)dlsym(module, ZVM_GLUE_INSTANCE_SIZE);
	ZvmGlueInit init = (ZvmGlueInit)dlsym(module, ZVM_GLUE_INIT);
	ZvmGlueInstantiate instantiate = (ZvmGlueInstantiate)dlsym(module, ZVM_GLUE_INSTANTIATE);
	ZvmGlueMemory get_memory = (ZvmGlueMemory)dlsym(module, ZVM_GLUE_MEMORY);
	ZvmGlueStart start = (ZvmGlueStart)dlsym(module, ZVM_GLUE_START);
	if (!instance_size || !init || !instantiate || !get_memory || !start)
		fail_setup("sandbox: the translated module lacks its glue");

	/* The images and the host's buffers count against Memory from their first byte: the
	 * data limit holds before they are read (the fence lowers it to its final value). */
	data_baseline = read_data_bytes();
	ZvmFenceLimits early = {.data = data_limit(memory_bytes, RUNNER_ETAG_WORKERS)};
#ifdef __SANITIZE_ADDRESS__
	early.data = 0;
#endif
	int limited = zvm_fence_set_limits(&early);
	if (limited < 0)
		fail_setup("sandbox: cannot limit the runner's memory: %s", g_strerror(-limited));
	load_images(&setup);
	host = zvm_wasi_host_new(setup.channels, setup.n_channels, args, env,
				 g_key_file_get_int64(kf, "run", "start_seconds", NULL), seed,
				 setup.mounts, setup.n_mounts);
	wasm_rt_init();
	wasm_rt_memory_t *volatile memory = NULL;

	fence_after_load(&setup, isolated, filter, memory_bytes, timeout);
	/* The module's own code runs only from here, behind the whole fence. */
	init();
	/* Page-aligned, so where the heap happens to put it cannot alias (same low 12 address
	 * bits) the module's hot data in linear memory: a zygote runner whose instance did
	 * spent 1.7 to 13 times the CPU on a loop of loads and stores (tests/mount/test-live.sh).
	 */
	void *instance = g_aligned_alloc0(1, instance_size(), 4096);
	if (write(ZVM_RUNNER_FD_STARTED, "R", 1) != 1)
		fail_setup("sandbox: the engine went away");
	close(ZVM_RUNNER_FD_STARTED);

	int jump = wasm_rt_impl_try();
	if (jump == 0) {
		instantiate(instance, host);
		memory = get_memory(instance);
		if (memory->max_pages > max_pages)
			memory->max_pages = max_pages;
		host->memory = memory;
		start(instance);
	}
	finish(&setup, jump, memory, memory_etag);
	return 0;
}
