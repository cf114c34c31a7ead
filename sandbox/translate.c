/* SPDX-License-Identifier: Apache-2.0 */
/* Translation of checked modules to shared objects: the fenced tool runs and the cache. */
#include "translate.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/pidfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../channels/zvm-fd.h"
#include "../channels/zvm-limits.h"
#include "fd-io.h"
#include "fence.h"
#include "glue.h"
#include "module.h"
#include "object-check.h"
#include "uid-range.h"
#include "translate-split.h"
#include "zvm-build-config.h"

/* The quark name is one token; clang-format would space its dashes. */
/* clang-format off */
/* clang-format off */
G_DEFINE_QUARK(zvm-translate-error-quark, zvm_translate_error)
/* clang-format on */
/* clang-format on */

/* What a failed tool said: the end of its output holds the error. */
#define OUTPUT_TAIL_BYTES 2048
/* Work dirs and half-written objects older than this are left over from a crash. */
#define STALE_SECONDS 3600
/* Exit status of a child whose fence could not be set up (it says why on stderr). */
#define FENCE_FAILED_EXIT 125
/* Deepest directory the cleanup descends into; the compilers make none. */
#define REMOVE_MAX_DEPTH 8
/* How often a stoppable translation looks at its stop flag while it waits (µs). */
#define STOP_POLL_USEC 50000
/* Failed translations remembered at most, and the largest record read back. */
#define MEMO_MAX_ENTRIES 1024
#define MEMO_MAX_BYTES 16384

/* wasm2c 1.0.32 refuses every feature flag that is not its default ("wasm2c currently only
 * supports a limited set of features"), --disable-simd included, so SIMD is kept out by
 * module.c alone. --no-debug-names keeps names out of the C even if a name section slipped
 * through. */
static const char *const wasm2c_args[] = {
    "--no-debug-names", "-n", ZVM_GLUE_MODULE_NAME, "module.wasm", "-o", "module.c", NULL};
/* -lm: wasm2c calls libm for some float instructions (nearbyint, fmod...), which the runner
 * need not link. -nostartfiles: without crti/crtbeginS the object has no _init, _fini nor
 * init/fini arrays, so an object that has any is refused (object-check.h): nothing of the
 * module's object runs when the runner loads it. */
static const char *const cc_args[] = {
    "-O2", "-nostartfiles",	"-fPIC", "-shared",   "-ffp-contract=off", "-fno-fast-math", "-w",
    "-I",  ZVM_WASM_RT_INCLUDE, "-o",	 "module.so", "module.c",	   "glue.c",	     "-lm",
    NULL};

/* A module's C cut into units (translate-split.h): the flags of each unit's compile and of the
 * link, beside the CPU level. Same code generation as cc_args. */
static const char *const cc_unit_args[] = {"-O2", "-fPIC", "-ffp-contract=off", "-fno-fast-math",
					   "-w",  "-I",	   ZVM_WASM_RT_INCLUDE, NULL};

/*
 * The newest x86-64 level the CPU has, up to v3 (AVX2, BMI1/2, MOVBE): BMI2's rorx and BMI1's
 * andn spare the register copies of every rotate and `~e & g`, which is what hashes are made
 * of. Measured on the CPU benchmarks (zvm run over native gcc -O2, medians of 10-12
 * interleaved rounds on a loaded 2-core Xeon): sha256 1.22-1.27x -> 1.14-1.19x; sort, sieve
 * and matmul unchanged within the noise; cold compile unchanged within the noise (hello
 * 0.32 s, the sha256 module's gcc step 1.3-1.4 s). -O3 (sieve 1.16x -> 1.24x, sha256 compile
 * +25%), -fno-plt and -fno-semantic-interposition (every function but the five entry points
 * is static) and -march=x86-64-v2 gained nothing. The level is chosen here at run time and is
 * part of the flags the cache key hashes, so a cache dir moved to an older CPU misses and
 * recompiles instead of loading code the CPU cannot run. v4 (AVX-512) is left out: its wide
 * vectors can lower the clock of the whole core.
 */
static const char *const *cc_cpu_args(void)
{
	static const char *const baseline[] = {NULL};
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 12
	static const char *const x86_64_v3[] = {"-march=x86-64-v3", NULL};
	if (__builtin_cpu_supports("x86-64-v3"))
		return x86_64_v3;
#endif
	return baseline;
}

/* ---- Running a tool fenced ------------------------------------------------------------ */

typedef struct {
	gboolean drop_privileges;
	uid_t uid;
	gid_t gid;
	ZvmFenceLimits limits;
} ChildFence;

/* Runs in the child between fork and exec of a multithreaded parent, so async-signal-safe
 * calls only. The group lets the parent kill everything the tool starts (cc1, as, ld). */
static void fence_child(gpointer user_data)
{
	const ChildFence *fence = user_data;
	const char *failed = NULL;
	if (setpgid(0, 0) < 0)
		failed = "setpgid\n";
	else if (fence->drop_privileges && zvm_fence_drop_privileges(fence->uid, fence->gid) < 0)
		failed = "dropping privileges\n";
	else if (zvm_fence_no_new_privs() < 0)
		failed = "no_new_privs\n";
	else if (zvm_fence_set_limits(&fence->limits) < 0)
		failed = "rlimits\n";
	if (failed == NULL)
		return;
	static const char prefix[] = "zvmfs: cannot fence the compiler: ";
	ssize_t written = write(STDERR_FILENO, prefix, sizeof(prefix) - 1);
	written = write(STDERR_FILENO, failed, strlen(failed));
	(void)written;
	_exit(FENCE_FAILED_EXIT);
}

typedef struct {
	gboolean timed_out;
	gboolean stopped; /* killed because the caller's stop flag was set */
	int status;	  /* of waitpid */
	GString *output;  /* stdout and stderr together; only the tail once it grows */
} ToolRun;

static void tool_run_clear(ToolRun *run)
{
	if (run->output != NULL)
		g_string_free(run->output, TRUE);
	run->output = NULL;
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(ToolRun, tool_run_clear)

/* Returns the bytes read, 0 at end of file, or -errno. */
static ssize_t read_output(int fd, GString *output)
{
	char buffer[4096];
	ssize_t n = read(fd, buffer, sizeof(buffer));
	if (n < 0)
		return -errno;
	g_string_append_len(output, buffer, n);
	if (output->len > 2 * OUTPUT_TAIL_BYTES)
		g_string_erase(output, 0, (gssize)(output->len - OUTPUT_TAIL_BYTES));
	return n;
}

static void set_spawn_error(const char *program, const char *package, const GError *spawn_error,
			    GError **error)
{
	const char *reason = spawn_error->message;
	gboolean missing = g_error_matches(spawn_error, G_SPAWN_ERROR, G_SPAWN_ERROR_NOENT);
	if (missing)
		reason = g_strerror(ENOENT);
	else if (g_error_matches(spawn_error, G_SPAWN_ERROR, G_SPAWN_ERROR_ACCES))
		reason = g_strerror(EACCES);
	g_set_error(error, ZVM_TRANSLATE_ERROR, ZVM_TRANSLATE_ERROR_TOOL,
		    "translation failed: cannot run '%s': %s%s%s%s", program, reason,
		    missing ? " (install " : "", missing ? package : "", missing ? ")" : "");
}

/* Waits for @pid until @deadline (monotonic µs) or until *@stop (may be NULL) is set,
 * collecting what it writes on @output_fd.
 * Whatever happens, the tool's process group is killed before the tool is reaped: its
 * unreaped leader keeps the group id from being reused, and nothing it started survives.
 * Returns 0, or -errno when the tool could not be watched (it is killed then). */
static int wait_tool(GPid pid, int output_fd, gint64 deadline, const volatile gint *stop,
		     ToolRun *run)
{
	g_auto(ZvmFd) pidfd = pidfd_open(pid, 0);
	int result = pidfd < 0 ? -errno : 0;
	gboolean output_open = TRUE;
	gboolean exited = FALSE;
	while (!exited && result == 0) {
		gint64 remaining = deadline - g_get_monotonic_time();
		if (remaining <= 0) {
			run->timed_out = TRUE;
			break;
		}
		if (stop != NULL && g_atomic_int_get(stop)) {
			run->stopped = TRUE;
			break;
		}
		gint64 timeout_ms = stop != NULL ? STOP_POLL_USEC / 1000 : 60000;
		struct pollfd fds[2] = {
		    {.fd = pidfd, .events = POLLIN},
		    {.fd = output_open ? output_fd : -1, .events = POLLIN},
		};
		if (poll(fds, 2, (int)MIN((remaining + 999) / 1000, timeout_ms)) < 0) {
			result = errno == EINTR ? 0 : -errno;
			continue;
		}
		if (fds[1].revents != 0) {
			ssize_t n = read_output(output_fd, run->output);
			output_open = n > 0 || n == -EINTR || n == -EAGAIN;
		}
		exited = (fds[0].revents & POLLIN) != 0;
	}
	kill(-pid, SIGKILL);
	if (!exited)
		kill(pid, SIGKILL);
	/* What the tool wrote before it ended is in the pipe; a straggler that left the group
	 * may hold the pipe open, so do not wait for end of file. */
	if (g_unix_set_fd_nonblocking(output_fd, TRUE, NULL))
		for (ssize_t n = 1; output_open && (n > 0 || n == -EINTR);)
			n = read_output(output_fd, run->output);
	while (waitpid(pid, &run->status, 0) < 0 && errno == EINTR)
		;
	return result;
}

/* ---- Records of the tools running, for the next process if this one dies ------------- */

/* The start time of process @pid (clock ticks since boot, /proc/PID/stat field 22), or 0
 * when there is no such process: with the pid it names one process for ever. */
static guint64 process_start_time(pid_t pid)
{
	g_autofree char *path = g_strdup_printf("/proc/%d/stat", (int)pid);
	g_autofree char *text = NULL;
	if (!g_file_get_contents(path, &text, NULL, NULL))
		return 0;
	/* The command name (field 2) may hold spaces and parentheses: count after its end. */
	const char *field = strrchr(text, ')');
	for (int n = 2; field != NULL && n < 22; n++)
		field = strchr(field + 1, ' ');
	return field != NULL ? g_ascii_strtoull(field + 1, NULL, 10) : 0;
}

static guint64 own_start_time(void)
{
	static gsize once;
	static guint64 start;
	if (g_once_init_enter(&once)) {
		start = process_start_time(getpid());
		g_once_init_leave(&once, 1);
	}
	return start;
}

/*
 * Writes <cache>/tmp/compiler-<pid>: this process (pid and start time), the tool's (its pid
 * is its process group) and the work dir's name, so that a process started after this one
 * died can kill what it left (end_orphans). Root's, 0600, in a directory only root reaches.
 * Best effort: a tool without a record is still bounded by its CPU limit. Returns the
 * record's path, to remove once the tool is reaped, or NULL.
 */
static char *record_tool(const ZvmSandboxConfig *config, GPid pid, const char *directory)
{
	g_autofree char *path = g_strdup_printf("%s/tmp/compiler-%d", config->cache_dir, (int)pid);
	g_autofree char *work = g_path_get_basename(directory);
	g_autofree char *text =
	    g_strdup_printf("%d %" G_GUINT64_FORMAT " %d %" G_GUINT64_FORMAT " %s\n", (int)getpid(),
			    own_start_time(), (int)pid, process_start_time(pid),
			    g_str_has_prefix(work, "work-") ? work : "-");
	if (!g_file_set_contents_full(path, text, -1, G_FILE_SET_CONTENTS_NONE, 0600, NULL))
		return NULL;
	return g_steal_pointer(&path);
}

/* Runs @argv fenced in @directory with stdin /dev/null, until @deadline or until *@stop (may
 * be NULL) is set, as @uid/@gid when privileges are dropped. Returns FALSE when it could not
 * be started, or with a KILLED error when it was stopped. */
static gboolean run_tool(const ZvmSandboxConfig *config, uid_t uid, gid_t gid,
			 const char *const *argv, const char *package, const char *directory,
			 gint64 deadline, const volatile gint *stop, ToolRun *run, GError **error)
{
	ChildFence fence = {
	    .drop_privileges = config->drop_privileges,
	    .uid = uid,
	    .gid = gid,
	    .limits =
		{
		    .address_space = config->compile_memory,
		    .data = config->compile_memory,
		    .cpu_seconds = config->compile_timeout,
		    .file_size = config->compile_output,
		    .open_files = 256,
		},
	};
	const char *path = g_getenv("PATH");
	g_autofree char *path_variable =
	    g_strconcat("PATH=", path != NULL ? path : "/usr/local/bin:/usr/bin:/bin", NULL);
	/* TMPDIR=.: the compiler's temporaries go to the work dir, removed with it, and count
	 * against nothing outside it. */
	const char *const envp[] = {path_variable, "LC_ALL=C", "TMPDIR=.", NULL};

	int pipe_fds[2];
	g_autoptr(GError) local = NULL;
	if (!g_unix_open_pipe(pipe_fds, FD_CLOEXEC, &local)) {
		g_set_error(error, ZVM_TRANSLATE_ERROR, ZVM_TRANSLATE_ERROR_TOOL,
			    "translation failed: %s", local->message);
		return FALSE;
	}
	g_auto(ZvmFd) output_fd = pipe_fds[0];
	GPid pid;
	gboolean spawned = g_spawn_async_with_pipes_and_fds(
	    directory, argv, envp,
	    G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_SEARCH_PATH | G_SPAWN_STDIN_FROM_DEV_NULL,
	    fence_child, &fence, -1, pipe_fds[1], pipe_fds[1], NULL, NULL, 0, &pid, NULL, NULL,
	    NULL, &local);
	close(pipe_fds[1]);
	if (!spawned) {
		set_spawn_error(argv[0], package, local, error);
		return FALSE;
	}
	/* Also from this side, so the group exists before the parent may have to kill it; once
	 * the child has exec'd this fails harmlessly (it did it itself). */
	setpgid(pid, pid);
	g_autofree char *record = record_tool(config, pid, directory);
	run->output = g_string_new(NULL);
	int r = wait_tool(pid, output_fd, deadline, stop, run);
	if (record != NULL)
		unlink(record);
	if (r < 0) {
		g_set_error(error, ZVM_TRANSLATE_ERROR, ZVM_TRANSLATE_ERROR_TOOL,
			    "translation failed: cannot watch '%s': %s", argv[0], g_strerror(-r));
		return FALSE;
	}
	if (run->stopped) {
		g_set_error_literal(error, ZVM_TRANSLATE_ERROR, ZVM_TRANSLATE_ERROR_KILLED,
				    "killed");
		return FALSE;
	}
	return TRUE;
}

/* The tool's last words, fit for a message: valid UTF-8, no control characters. */
static char *output_tail(const GString *output)
{
	g_autofree char *valid = g_utf8_make_valid(output->str, (gssize)output->len);
	for (char *c = valid; *c != '\0'; c++)
		if ((guchar)*c < 0x20 && *c != '\n')
			*c = ' ';
	return g_strdup(g_strstrip(valid));
}

static gboolean output_mentions_memory(const char *tail)
{
	static const char *const signs[] = {
	    "out of memory", "virtual memory exhausted", "Cannot allocate memory",
	    "bad_alloc",     "failed to map segment",	 "Killed signal terminated program"};
	for (gsize i = 0; i < G_N_ELEMENTS(signs); i++)
		if (strstr(tail, signs[i]) != NULL)
			return TRUE;
	return FALSE;
}

/* Tells how a tool run ended: TRUE on success, else a LIMIT error naming the limit or a
 * TOOL error with the tool's output. gcc reports a limit that hit cc1 in words, and exits
 * non-zero itself, so the output is read as well as the signal. */
static gboolean tool_succeeded(const ZvmSandboxConfig *config, const char *program,
			       const ToolRun *run, GError **error)
{
	if (run->timed_out) {
		g_set_error(error, ZVM_TRANSLATE_ERROR, ZVM_TRANSLATE_ERROR_LIMIT,
			    "translation failed: the compiler ran past the %" PRIu32 " s limit",
			    config->compile_timeout);
		return FALSE;
	}
	if (WIFEXITED(run->status) && WEXITSTATUS(run->status) == 0)
		return TRUE;
	g_autofree char *tail = output_tail(run->output);
	int signal_number = WIFSIGNALED(run->status) ? WTERMSIG(run->status) : 0;
	if (signal_number == SIGXCPU || strstr(tail, "CPU time limit exceeded") != NULL) {
		g_set_error(error, ZVM_TRANSLATE_ERROR, ZVM_TRANSLATE_ERROR_LIMIT,
			    "translation failed: %s ran past the CPU time limit of %" PRIu32 " s",
			    program, config->compile_timeout);
	} else if (signal_number == SIGXFSZ || strstr(tail, "File size limit exceeded") != NULL) {
		g_autofree char *limit = zvm_format_size(config->compile_output);
		g_set_error(error, ZVM_TRANSLATE_ERROR, ZVM_TRANSLATE_ERROR_LIMIT,
			    "translation failed: %s wrote more than the output limit of %s",
			    program, limit);
	} else if (signal_number == SIGKILL || output_mentions_memory(tail)) {
		g_autofree char *limit = zvm_format_size(config->compile_memory);
		g_set_error(error, ZVM_TRANSLATE_ERROR, ZVM_TRANSLATE_ERROR_LIMIT,
			    "translation failed: %s ran out of its memory limit of %s", program,
			    limit);
	} else if (signal_number != 0) {
		g_set_error(error, ZVM_TRANSLATE_ERROR, ZVM_TRANSLATE_ERROR_TOOL,
			    "translation failed: %s was killed by signal %d (%s)%s%s", program,
			    signal_number, g_strsignal(signal_number), *tail ? ": " : "", tail);
	} else if (*tail == '\0') {
		g_set_error(error, ZVM_TRANSLATE_ERROR, ZVM_TRANSLATE_ERROR_TOOL,
			    "translation failed: %s exited with status %d", program,
			    WEXITSTATUS(run->status));
	} else {
		g_set_error(error, ZVM_TRANSLATE_ERROR, ZVM_TRANSLATE_ERROR_TOOL,
			    "translation failed: %s: %s", program, tail);
	}
	return FALSE;
}

/* ---- The cache key -------------------------------------------------------------------- */

G_LOCK_DEFINE_STATIC(tool_versions);
/* Program -> its version text, for the life of the process: a probe costs a fork and exec,
 * and the tools do not change under a running gateway. Failures are not kept. */
static GHashTable *tool_versions;

static char *probe_version(const ZvmSandboxConfig *config, const char *program,
			   gboolean first_line_only)
{
	const char *argv[] = {program, "--version", NULL};
	g_auto(ToolRun) run = {0};
	gint64 deadline = g_get_monotonic_time() + (gint64)config->compile_timeout * G_USEC_PER_SEC;
	if (!run_tool(config, config->compile_uid, config->compile_gid, argv, "", "/", deadline,
		      NULL, &run, NULL) ||
	    run.timed_out || !WIFEXITED(run.status) || WEXITSTATUS(run.status) != 0)
		return NULL;
	if (first_line_only)
		g_string_truncate(run.output, strcspn(run.output->str, "\n"));
	return g_strdup(run.output->str);
}

/*
 * Where a probed version is kept across processes: a file named after the identity of the
 * program's binary (its resolved path, inode, size and modification time), which a package
 * upgrade changes. Without it every `zvm run` would pay two fenced probes (~10 ms) before
 * it could look a translation up.
 */
static char *version_file(const ZvmSandboxConfig *config, const char *program)
{
	g_autofree char *found = g_find_program_in_path(program);
	g_autofree char *real = found ? realpath(found, NULL) : NULL;
	struct stat st;
	if (real == NULL || stat(real, &st) < 0)
		return NULL;
	g_autofree char *identity = g_strdup_printf(
	    "%s %ju %ju %jd %jd.%09ld", real, (uintmax_t)st.st_dev, (uintmax_t)st.st_ino,
	    (intmax_t)st.st_size, (intmax_t)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
	g_autofree char *digest = g_compute_checksum_for_string(G_CHECKSUM_SHA256, identity, -1);
	return g_strdup_printf("%s/tool-%.32s.version", config->cache_dir, digest);
}

static char *tool_version(const ZvmSandboxConfig *config, const char *program,
			  gboolean first_line_only)
{
	G_LOCK(tool_versions);
	if (tool_versions == NULL)
		tool_versions = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	char *version = g_strdup(g_hash_table_lookup(tool_versions, program));
	if (version == NULL) {
		g_autofree char *path = version_file(config, program);
		if (path == NULL || !g_file_get_contents(path, &version, NULL, NULL)) {
			version = probe_version(config, program, first_line_only);
			/* Best effort: without the file the next process probes again. */
			if (version != NULL && path != NULL)
				g_file_set_contents(path, version, -1, NULL);
		}
		if (version != NULL)
			g_hash_table_insert(tool_versions, g_strdup(program), g_strdup(version));
	}
	G_UNLOCK(tool_versions);
	/* A tool that cannot say its version cannot translate either: the key is then one no
	 * translation is stored under, and zvm_translate reports the tool. */
	return version != NULL ? version : g_strdup("unavailable");
}

static void checksum_field(GChecksum *checksum, const void *data, gsize length)
{
	guint64 length_le = GUINT64_TO_LE(length);
	g_checksum_update(checksum, (const guchar *)&length_le, sizeof(length_le));
	g_checksum_update(checksum, data, (gssize)length);
}

char *zvm_translate_key(const ZvmSandboxConfig *config, GBytes *module)
{
	g_return_val_if_fail(config != NULL && module != NULL, NULL);
	g_autofree char *wasm2c_version = tool_version(config, config->wasm2c, FALSE);
	g_autofree char *cc_version = tool_version(config, config->cc, TRUE);
	g_autofree char *wasm2c_flags = g_strjoinv(" ", (char **)wasm2c_args);
	g_autofree char *cpu_flags = g_strjoinv(" ", (char **)cc_cpu_args());
	g_autofree char *cc_flags = g_strjoinv(" ", (char **)cc_args);
	g_autofree char *unit_flags = g_strjoinv(" ", (char **)cc_unit_args);
	g_autofree char *split =
	    g_strdup_printf("split %s %" G_GUINT64_FORMAT " %s", ZVM_SPLIT_VERSION,
			    (guint64)config->compile_split_bytes, unit_flags);
	g_autofree char *flags =
	    g_strconcat(wasm2c_flags, " | ", cpu_flags, " ", cc_flags, " | ", split, NULL);

	gsize length;
	const guint8 *data = g_bytes_get_data(module, &length);
	g_autoptr(GChecksum) checksum = g_checksum_new(G_CHECKSUM_SHA256);
	/* Each field with its length first, so no two different inputs give one stream. */
	checksum_field(checksum, data, length);
	checksum_field(checksum, wasm2c_version, strlen(wasm2c_version));
	checksum_field(checksum, cc_version, strlen(cc_version));
	checksum_field(checksum, flags, strlen(flags));
	checksum_field(checksum, ZVM_GLUE_VERSION, strlen(ZVM_GLUE_VERSION));
	return g_strdup(g_checksum_get_string(checksum));
}

/* ---- Files ---------------------------------------------------------------------------- */

static gboolean cache_error(int errsv, const char *what, const char *path, GError **error)
{
	if (errsv == ENOSPC || errsv == EDQUOT)
		g_set_error(error, ZVM_TRANSLATE_ERROR, ZVM_TRANSLATE_ERROR_CACHE,
			    "translation failed: no space left to %s %s", what, path);
	else
		g_set_error(error, ZVM_TRANSLATE_ERROR, ZVM_TRANSLATE_ERROR_CACHE,
			    "translation failed: cannot %s %s: %s", what, path, g_strerror(errsv));
	return FALSE;
}

/* Removes @name under @parent_fd with everything in it, never following a link: the tree
 * belonged to the unprivileged compiler, which could have planted links to anywhere. Best
 * effort: what stays is removed as stale by a later translation. */
static void remove_tree_at(int parent_fd, const char *name, unsigned int depth)
{
	if (unlinkat(parent_fd, name, 0) == 0 || errno != EISDIR)
		return;
	int fd = depth < REMOVE_MAX_DEPTH
		     ? openat(parent_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
		     : -1;
	DIR *dir = fd >= 0 ? fdopendir(fd) : NULL;
	if (dir == NULL && fd >= 0)
		close(fd);
	for (struct dirent *entry; dir != NULL && (entry = readdir(dir)) != NULL;)
		if (strcmp(entry->d_name, ".") != 0 && strcmp(entry->d_name, "..") != 0)
			remove_tree_at(dirfd(dir), entry->d_name, depth + 1);
	if (dir != NULL)
		closedir(dir);
	unlinkat(parent_fd, name, AT_REMOVEDIR);
}

/* ---- Compiling ------------------------------------------------------------------------ */

/* A fresh directory under <cache>/tmp where the fenced tools work; removed when freed. <cache>
 * and <cache>/tmp are root's, 0700: the compiler is given its work dir as its working
 * directory by root before it drops privileges, and no other user (the runner's, another
 * compile's by path) can reach it. */
typedef struct {
	int parent_fd;
	int fd;
	char *name;
	char *path;
} WorkDir;

static void work_dir_free(WorkDir *work)
{
	if (work->fd >= 0)
		close(work->fd);
	if (work->parent_fd >= 0) {
		remove_tree_at(work->parent_fd, work->name, 0);
		close(work->parent_fd);
	} else {
		remove_tree_at(AT_FDCWD, work->path, 0);
	}
	g_free(work->name);
	g_free(work->path);
	g_free(work);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(WorkDir, work_dir_free)

static WorkDir *work_dir_new(const ZvmSandboxConfig *config, GError **error)
{
	g_autofree char *tmp = g_build_filename(config->cache_dir, "tmp", NULL);
	/* 0700, also when an older version left it 0711. */
	if ((g_mkdir(tmp, 0700) < 0 && errno != EEXIST) || g_chmod(tmp, 0700) < 0) {
		cache_error(errno, "create", tmp, error);
		return NULL;
	}
	g_autofree char *path = g_build_filename(tmp, "work-XXXXXX", NULL);
	if (g_mkdtemp_full(path, 0700) == NULL) {
		cache_error(errno, "create", path, error);
		return NULL;
	}
	WorkDir *work = g_new0(WorkDir, 1);
	work->parent_fd = open(tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	work->name = g_path_get_basename(path);
	work->path = g_steal_pointer(&path);
	work->fd = work->parent_fd < 0 ? -1
				       : openat(work->parent_fd, work->name,
						O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (work->fd < 0) {
		cache_error(errno, "open", work->path, error);
		work_dir_free(work);
		return NULL;
	}
	return work;
}

static gboolean write_work_file(WorkDir *work, const char *name, const void *data, gsize length,
				GError **error)
{
	g_auto(ZvmFd) fd =
	    openat(work->fd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	int r = fd < 0 ? -errno : zvm_write_all(fd, data, length);
	if (r < 0) {
		g_autofree char *path = g_build_filename(work->path, name, NULL);
		return cache_error(-r, "write", path, error);
	}
	return TRUE;
}

/* One translation under way: what stops it, and whose fault its failure is. */
typedef struct {
	const volatile gint *stop; /* ZvmTranslateProgress.stop; may be NULL */
	/* Atomic: a tool ran and failed, or what it made was refused. Such a failure is the
	 * module's (under this toolchain and these limits) and is remembered; a kill, a tool
	 * that could not start or a full disk is not. */
	gint blamed;
} Translation;

typedef struct {
	const ZvmSandboxConfig *config;
	uid_t uid;
	gid_t gid;
	const WorkDir *work;
	gint64 deadline;
	Translation *translation;
} UnitRun;

/* One compiler run of a split module, fenced like the whole-module one (ZvmSplitRunTool). */
static gboolean run_unit_tool(const char *const *argv, gpointer user_data, GError **error)
{
	const UnitRun *unit = user_data;
	g_auto(ToolRun) run = {0};
	if (!run_tool(unit->config, unit->uid, unit->gid, argv, "gcc", unit->work->path,
		      unit->deadline, unit->translation->stop, &run, error))
		return FALSE;
	if (tool_succeeded(unit->config, argv[0], &run, error))
		return TRUE;
	g_atomic_int_set(&unit->translation->blamed, 1);
	return FALSE;
}

/* The two tiers of a module cut in units (translate.h): [sandbox] compile_fast_cc at -O0
 * first, cc -O2 (cc_unit_args) in the background. */
typedef enum { TIER_OPTIMIZED, TIER_FAST } Tier;

/* The first tier's flags: the code generation of cc_unit_args but -O0. clang 14 -O0 compiles
 * a 10 MB unit of ruby's C in 2.7 s of CPU where gcc -O0 takes 7.8 s and gcc -O2 25 s
 * (docs/benchmarks.md, "Real programs"). */
static const char *const cc_fast_unit_args[] = {
    "-O0", "-fPIC", "-ffp-contract=off", "-fno-fast-math", "-w", "-I", ZVM_WASM_RT_INCLUDE, NULL};

/* A module whose C is larger than compile_split_bytes is compiled as units of about that
 * much code, in parallel (translate-split.h), by the compiler of @tier: returns TRUE and sets
 * @ok then, else FALSE (the caller compiles the file whole, as it always did). @units: 0, or
 * the units an earlier tier cut in this work dir; set to the units cut. */
static gboolean compile_split(const ZvmSandboxConfig *config, uid_t uid, gid_t gid,
			      const WorkDir *work, gint64 deadline,
			      const ZvmTranslateProgress *progress, Translation *translation,
			      Tier tier, guint *units, gboolean *ok, GError **error)
{
	g_autoptr(GPtrArray) flags = g_ptr_array_new();
	for (const char *const *arg = cc_cpu_args(); *arg != NULL; arg++)
		g_ptr_array_add(flags, (gpointer)*arg);
	const char *const *tier_args = tier == TIER_FAST ? cc_fast_unit_args : cc_unit_args;
	for (const char *const *arg = tier_args; *arg != NULL; arg++)
		g_ptr_array_add(flags, (gpointer)*arg);
	g_ptr_array_add(flags, NULL);
	UnitRun unit = {config, uid, gid, work, deadline, translation};
	const ZvmSplitCompile how = {
	    .unit_bytes = config->compile_split_bytes,
	    .jobs = config->compile_jobs,
	    .cc = tier == TIER_FAST ? config->compile_fast_cc : config->cc,
	    .cc_flags = (const char *const *)flags->pdata,
	    .run = run_unit_tool,
	    .run_data = &unit,
	    .progress = progress != NULL ? progress->units : NULL,
	    .progress_data = progress != NULL ? progress->user_data : NULL,
	    .units = units,
	};
	struct stat st;
	if (*units == 0 &&
	    (fstatat(work->fd, "module.c", &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode) ||
	     (guint64)st.st_size <= config->compile_split_bytes))
		return FALSE;
	g_autoptr(GError) local = NULL;
	*ok = zvm_split_compile(&how, work->fd, config->compile_output, &local) > 0;
	if (!*ok && local->domain == ZVM_SPLIT_ERROR) {
		if (local->code == ZVM_SPLIT_ERROR_SHAPE)
			g_atomic_int_set(&translation->blamed, 1);
		g_set_error(error, ZVM_TRANSLATE_ERROR, ZVM_TRANSLATE_ERROR_TOOL,
			    "translation failed: %s", local->message);
	} else if (!*ok)
		g_propagate_error(error, g_steal_pointer(&local));
	return TRUE;
}

/* What run_tools made: the tier, and the units it cut (0 when it compiled the file whole). */
typedef struct {
	Tier tier;
	guint units;
} Made;

/* Both tools, within @seconds, as @uid/@gid. With @first_tier, a module cut in units is
 * compiled by compile_fast_cc (-O0) when it can be, else by cc -O2 as every other. */
static gboolean run_tools(const ZvmSandboxConfig *config, uid_t uid, gid_t gid, const WorkDir *work,
			  const ZvmTranslateProgress *progress, Translation *translation,
			  gboolean first_tier, guint32 seconds, Made *made, GError **error)
{
	gint64 deadline = g_get_monotonic_time() + (gint64)seconds * G_USEC_PER_SEC;
	made->tier = TIER_OPTIMIZED;
	made->units = 0;
	/* Each step's arguments: a leading list (the CPU level, for the compiler), then its own. */
	const char *const *leading[] = {NULL, cc_cpu_args()};
	const char *const *steps[] = {wasm2c_args, cc_args};
	const char *programs[] = {config->wasm2c, config->cc};
	const char *packages[] = {"wabt", "gcc"};
	for (gsize step = 0; step < G_N_ELEMENTS(steps); step++) {
		gboolean ok = FALSE;
		if (step == 1 && first_tier && config->compile_fast_cc != NULL) {
			/* A first tier that fails (no clang, a limit) leaves its units: cc -O2
			 * compiles them, as without a first tier. */
			g_autoptr(GError) fast_error = NULL;
			if (compile_split(config, uid, gid, work, deadline, progress, translation,
					  TIER_FAST, &made->units, &ok, &fast_error) &&
			    ok) {
				made->tier = TIER_FAST;
				return TRUE;
			}
			if (fast_error != NULL)
				g_message(
				    "zvmfs: first tier (%s -O0) failed, compiling with %s -O2: %s",
				    config->compile_fast_cc, config->cc, fast_error->message);
		}
		if (step == 1 &&
		    compile_split(config, uid, gid, work, deadline, progress, translation,
				  TIER_OPTIMIZED, &made->units, &ok, error))
			return ok;
		g_autoptr(GPtrArray) argv = g_ptr_array_new();
		g_ptr_array_add(argv, (gpointer)programs[step]);
		for (const char *const *arg = leading[step]; arg != NULL && *arg != NULL; arg++)
			g_ptr_array_add(argv, (gpointer)*arg);
		for (const char *const *arg = steps[step]; *arg != NULL; arg++)
			g_ptr_array_add(argv, (gpointer)*arg);
		g_ptr_array_add(argv, NULL);
		g_auto(ToolRun) run = {0};
		if (!run_tool(config, uid, gid, (const char *const *)argv->pdata, packages[step],
			      work->path, deadline, translation->stop, &run, error))
			return FALSE;
		if (!tool_succeeded(config, programs[step], &run, error)) {
			g_atomic_int_set(&translation->blamed, 1);
			return FALSE;
		}
	}
	return TRUE;
}

/* A work dir with the module and the glue written, owned by the uid that compiles in it. */
typedef struct {
	WorkDir *work;
	ZvmUidLease *lease; /* NULL: the compile user */
	uid_t uid;
	gid_t gid;
} Workspace;

static void workspace_free(Workspace *space)
{
	if (space->lease != NULL) {
		zvm_uid_lease_sweep(space->lease);
		zvm_uid_lease_free(space->lease);
	}
	if (space->work != NULL)
		work_dir_free(space->work);
	g_free(space);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Workspace, workspace_free)

static Workspace *workspace_new(const ZvmSandboxConfig *config, GBytes *module,
				gboolean has_imports, GError **error)
{
	g_autoptr(Workspace) space = g_new0(Workspace, 1);
	space->work = work_dir_new(config, error);
	if (space->work == NULL)
		return NULL;
	gsize length;
	const guint8 *data = g_bytes_get_data(module, &length);
	const char *glue = ZVM_GLUE_SOURCE ZVM_GLUE_INSTANTIATE_WITH_IMPORTS;
	if (!has_imports)
		glue = ZVM_GLUE_SOURCE ZVM_GLUE_INSTANTIATE_WITHOUT_IMPORTS;
	if (!write_work_file(space->work, "module.wasm", data, length, error) ||
	    !write_work_file(space->work, "glue.c", glue, strlen(glue), error))
		return NULL;
	/* A uid of its own from [sandbox] uid_range, else the compile user's (uid-range.h). */
	if (config->drop_privileges && config->uid_last != 0) {
		g_autoptr(GError) local = NULL;
		space->lease = zvm_uid_lease_take(config->uid_first, config->uid_last, &local);
		if (space->lease == NULL) {
			g_set_error(error, ZVM_TRANSLATE_ERROR, ZVM_TRANSLATE_ERROR_TOOL,
				    "translation failed: %s", local->message);
			return NULL;
		}
	}
	space->uid = space->lease != NULL ? zvm_uid_lease_uid(space->lease) : config->compile_uid;
	space->gid =
	    space->lease != NULL ? (gid_t)zvm_uid_lease_uid(space->lease) : config->compile_gid;
	if (config->drop_privileges && fchown(space->work->fd, space->uid, space->gid) < 0) {
		cache_error(errno, "chown", space->work->path, error);
		return NULL;
	}
	return g_steal_pointer(&space);
}

/* The module.so the tools left in @work, read once and checked (object-check.h). */
static GBytes *take_object(const ZvmSandboxConfig *config, const WorkDir *work,
			   Translation *translation, GError **error)
{
	/* The unprivileged compiler owned the dir: take only a regular file, through no link,
	 * and do not block on a fifo planted in its place. It is read once, into memory, and
	 * that copy is checked and published: the file may still change under us. */
	g_auto(ZvmFd) so_fd =
	    openat(work->fd, "module.so", O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	if (so_fd < 0 || fstat(so_fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		g_atomic_int_set(&translation->blamed, 1);
		g_set_error(error, ZVM_TRANSLATE_ERROR, ZVM_TRANSLATE_ERROR_TOOL,
			    "translation failed: %s produced no module.so", config->cc);
		return NULL;
	}
	if ((uint64_t)st.st_size > config->compile_output) {
		g_atomic_int_set(&translation->blamed, 1);
		g_autofree char *limit = zvm_format_size(config->compile_output);
		g_set_error(error, ZVM_TRANSLATE_ERROR, ZVM_TRANSLATE_ERROR_LIMIT,
			    "translation failed: %s wrote more than the output limit of %s",
			    config->cc, limit);
		return NULL;
	}
	gsize size = (gsize)st.st_size;
	g_autofree guint8 *object = g_malloc(size + 1);
	ssize_t got = pread(so_fd, object, size + 1, 0);
	if (got < 0 || (gsize)got != size) {
		g_set_error(error, ZVM_TRANSLATE_ERROR, ZVM_TRANSLATE_ERROR_TOOL,
			    "translation failed: cannot read the module.so %s produced",
			    config->cc);
		return NULL;
	}
	g_autoptr(GError) refused = NULL;
	if (!zvm_object_check(object, size, &refused)) {
		g_atomic_int_set(&translation->blamed, 1);
		g_set_error(error, ZVM_TRANSLATE_ERROR, ZVM_TRANSLATE_ERROR_TOOL,
			    "translation failed: the object %s produced is refused: %s", config->cc,
			    refused->message);
		return NULL;
	}
	return g_bytes_new_take(g_steal_pointer(&object), size);
}

/* Translates and compiles @module in a fresh work dir, within @seconds. Returns the checked
 * shared object, or NULL with @error set. When @first_tier is set and the object is the first
 * tier's, @made says so and @unfinished (else NULL) keeps the work dir with its units for the
 * optimized tier; otherwise the work dir is gone when this returns. */
static GBytes *compile(const ZvmSandboxConfig *config, GBytes *module, gboolean has_imports,
		       const ZvmTranslateProgress *progress, Translation *translation,
		       gboolean first_tier, guint32 seconds, Made *made, Workspace **unfinished,
		       GError **error)
{
	g_autoptr(Workspace) space = workspace_new(config, module, has_imports, error);
	if (space == NULL)
		return NULL;
	if (!run_tools(config, space->uid, space->gid, space->work, progress, translation,
		       first_tier, seconds, made, error))
		return NULL;
	if (space->lease != NULL)
		zvm_uid_lease_sweep(space->lease);
	GBytes *object = take_object(config, space->work, translation, error);
	if (object != NULL && made->tier == TIER_FAST && unfinished != NULL)
		*unfinished = g_steal_pointer(&space);
	return object;
}

/* ---- The cache ------------------------------------------------------------------------ */

/* Takes the flock of @path and makes sure the file locked is still the one at @path: the
 * evictor unlinks a lock file while holding it, and whoever opened it before must then try
 * again. Returns the descriptor, or -1 with errno set (EWOULDBLOCK when @wait is FALSE and
 * someone holds it). */
static int lock_file(const char *path, gboolean wait)
{
	for (;;) {
		int fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0)
			return -1;
		struct stat held, current;
		int errsv = 0;
		if (flock(fd, wait ? LOCK_EX : LOCK_EX | LOCK_NB) < 0 || fstat(fd, &held) < 0 ||
		    stat(path, &current) < 0)
			errsv = errno;
		else if (held.st_dev == current.st_dev && held.st_ino == current.st_ino)
			return fd;
		close(fd);
		if (errsv != 0 && errsv != EINTR && errsv != ENOENT) {
			errno = errsv;
			return -1;
		}
	}
}

/* A hit refreshes the object's mtime, the order eviction goes by. */
static gboolean cache_lookup(const char *so_path)
{
	if (utimensat(AT_FDCWD, so_path, NULL, AT_SYMLINK_NOFOLLOW) == 0)
		return TRUE;
	/* A cache we may read but not write still serves. */
	return errno != ENOENT && g_file_test(so_path, G_FILE_TEST_IS_REGULAR);
}

/* Writes the checked object into the cache under a temporary name, then renames it, so a
 * reader never sees half an object. 0600: only the cache's owner reads it; the runner gets it
 * as a descriptor opened before it drops privileges (runner-child.c). */
static gboolean publish(const ZvmSandboxConfig *config, const char *key, GBytes *object,
			const char *so_path, GError **error)
{
	g_autofree char *temp_path = g_strdup_printf("%s/%s.so.tmp.XXXXXX", config->cache_dir, key);
	g_auto(ZvmFd) fd = g_mkstemp_full(temp_path, O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0)
		return cache_error(errno, "create", temp_path, error);
	gsize size;
	const void *data = g_bytes_get_data(object, &size);
	int r = zvm_write_all(fd, data, size);
	if (r == 0 && fchmod(fd, 0600) < 0)
		r = -errno;
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	if (r == 0 && rename(temp_path, so_path) < 0)
		r = -errno;
	if (r < 0) {
		unlink(temp_path);
		return cache_error(-r, "store the translation in", config->cache_dir, error);
	}
	return TRUE;
}

typedef struct {
	char *key;
	off_t size;
	struct timespec mtime;
} CacheObject;

static void cache_object_clear(gpointer data)
{
	g_free(((CacheObject *)data)->key);
}

static gint compare_mtime(gconstpointer a, gconstpointer b)
{
	const CacheObject *x = a, *y = b;
	if (x->mtime.tv_sec != y->mtime.tv_sec)
		return x->mtime.tv_sec < y->mtime.tv_sec ? -1 : 1;
	if (x->mtime.tv_nsec != y->mtime.tv_nsec)
		return x->mtime.tv_nsec < y->mtime.tv_nsec ? -1 : 1;
	return strcmp(x->key, y->key);
}

/* "<64 hex digits>.so": a cache object, and nothing an operator put beside it. */
static gboolean is_cache_object(const char *name)
{
	if (strlen(name) != 64 + 3 || strcmp(name + 64, ".so") != 0)
		return FALSE;
	for (int i = 0; i < 64; i++)
		if (!g_ascii_isxdigit(name[i]) || g_ascii_isupper(name[i]))
			return FALSE;
	return TRUE;
}

/* Removes one object unless someone holds its lock (compiling or publishing it). */
static gboolean evict(const ZvmSandboxConfig *config, const char *key)
{
	g_autofree char *lock_path = g_strdup_printf("%s/%s.lock", config->cache_dir, key);
	g_autofree char *so_path = g_strdup_printf("%s/%s.so", config->cache_dir, key);
	g_auto(ZvmFd) fd = lock_file(lock_path, FALSE);
	if (fd < 0)
		return FALSE;
	gboolean removed = unlink(so_path) == 0;
	unlink(lock_path);
	return removed;
}

static void remove_stale_work_dirs(const ZvmSandboxConfig *config, time_t stale_before)
{
	g_autofree char *tmp = g_build_filename(config->cache_dir, "tmp", NULL);
	int fd = open(tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	DIR *dir = fd >= 0 ? fdopendir(fd) : NULL;
	if (dir == NULL) {
		if (fd >= 0)
			close(fd);
		return;
	}
	struct stat st;
	for (struct dirent *entry; (entry = readdir(dir)) != NULL;)
		if (g_str_has_prefix(entry->d_name, "work-") &&
		    fstatat(dirfd(dir), entry->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    st.st_mtime < stale_before)
			remove_tree_at(dirfd(dir), entry->d_name, 0);
	closedir(dir);
}

/* Keeps the cache under its bound, least recently used first, never the object @keep just
 * published; and removes leftovers of crashed translations. */
static void collect_garbage(const ZvmSandboxConfig *config, const char *keep)
{
	/* A live translation may take compile_timeout; stale is well past that. */
	time_t stale_before = time(NULL) - MAX(STALE_SECONDS, 2 * (time_t)config->compile_timeout);
	/* The -O2 tier's compile in the background keeps its work dir that long. */
	stale_before = MIN(stale_before, time(NULL) - 2 * (time_t)config->compile_optimize_timeout);
	remove_stale_work_dirs(config, stale_before);

	g_autoptr(GDir) dir = g_dir_open(config->cache_dir, 0, NULL);
	if (dir == NULL)
		return;
	g_autoptr(GArray) objects = g_array_new(FALSE, FALSE, sizeof(CacheObject));
	g_array_set_clear_func(objects, cache_object_clear);
	uint64_t total = 0;
	for (const char *name; (name = g_dir_read_name(dir)) != NULL;) {
		g_autofree char *path = g_build_filename(config->cache_dir, name, NULL);
		struct stat st;
		if (g_lstat(path, &st) < 0 || !S_ISREG(st.st_mode))
			continue;
		if (strstr(name, ".so.tmp.") != NULL && st.st_mtime < stale_before) {
			unlink(path);
		} else if (is_cache_object(name)) {
			CacheObject object = {g_strndup(name, 64), st.st_size, st.st_mtim};
			g_array_append_val(objects, object);
			total += (uint64_t)st.st_size;
		}
	}
	if (total <= config->cache_max_bytes)
		return;
	g_array_sort(objects, compare_mtime);
	for (guint i = 0; i < objects->len && total > config->cache_max_bytes; i++) {
		const CacheObject *object = &g_array_index(objects, CacheObject, i);
		if (strcmp(object->key, keep) != 0 && evict(config, object->key))
			total -= (uint64_t)object->size;
	}
}

/* ---- Failed translations, remembered ------------------------------------------------- */

/* <cache>/failed-<digest>: the digest covers the key (module, toolchain versions, flags) and
 * what else decides the outcome, the tools' paths and the limits, so a change of either is a
 * fresh try. */
static char *memo_path(const ZvmSandboxConfig *config, const char *key)
{
	g_autofree char *conditions =
	    g_strdup_printf("%s\n%s\n%s\n%" PRIu32 " %" PRIu64 " %" PRIu64, key, config->wasm2c,
			    config->cc, config->compile_timeout, (uint64_t)config->compile_memory,
			    (uint64_t)config->compile_output);
	g_autofree char *digest = g_compute_checksum_for_string(G_CHECKSUM_SHA256, conditions, -1);
	return g_strdup_printf("%s/failed-%s", config->cache_dir, digest);
}

/* TRUE with @error set as the remembered failure says, when one is remembered for @key and
 * has not expired; an expired (or unreadable) record is removed. */
static gboolean memo_lookup(const ZvmSandboxConfig *config, const char *key, GError **error)
{
	if (config->failed_compile_ttl == 0)
		return FALSE;
	g_autofree char *path = memo_path(config, key);
	g_auto(ZvmFd) fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0)
		return FALSE;
	char text[MEMO_MAX_BYTES + 1];
	ssize_t got = S_ISREG(st.st_mode) && st.st_size <= MEMO_MAX_BYTES
			  ? pread(fd, text, MEMO_MAX_BYTES, 0)
			  : -1;
	text[got > 0 ? got : 0] = '\0';
	gint64 expires = 0;
	int code = -1, offset = 0;
	gint64 now = g_get_real_time() / G_USEC_PER_SEC;
	/* An expiry further than the ttl away is from a longer ttl or a clock set back. */
	if (sscanf(text, "%" G_GINT64_FORMAT " %d\n%n", &expires, &code, &offset) != 2 ||
	    offset == 0 || expires <= now || expires > now + config->failed_compile_ttl ||
	    (code != ZVM_TRANSLATE_ERROR_TOOL && code != ZVM_TRANSLATE_ERROR_LIMIT) ||
	    !g_utf8_validate(text + offset, -1, NULL)) {
		unlink(path);
		return FALSE;
	}
	g_set_error_literal(error, ZVM_TRANSLATE_ERROR, code, text + offset);
	return TRUE;
}

typedef struct {
	char *name;
	struct timespec mtime;
} MemoEntry;

static void memo_entry_clear(gpointer data)
{
	g_free(((MemoEntry *)data)->name);
}

static gint compare_memo_mtime(gconstpointer a, gconstpointer b)
{
	const MemoEntry *x = a, *y = b;
	if (x->mtime.tv_sec != y->mtime.tv_sec)
		return x->mtime.tv_sec < y->mtime.tv_sec ? -1 : 1;
	if (x->mtime.tv_nsec != y->mtime.tv_nsec)
		return x->mtime.tv_nsec < y->mtime.tv_nsec ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* Keeps at most MEMO_MAX_ENTRIES records, the oldest go first: a flood of distinct failing
 * modules costs the cache a bounded 16 MiB at most. */
static void memo_trim(const ZvmSandboxConfig *config)
{
	DIR *dir = opendir(config->cache_dir);
	if (dir == NULL)
		return;
	g_autoptr(GArray) entries = g_array_new(FALSE, FALSE, sizeof(MemoEntry));
	g_array_set_clear_func(entries, memo_entry_clear);
	struct stat st;
	for (struct dirent *entry; (entry = readdir(dir)) != NULL;) {
		if (g_str_has_prefix(entry->d_name, "failed-") &&
		    fstatat(dirfd(dir), entry->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
			MemoEntry memo = {g_strdup(entry->d_name), st.st_mtim};
			g_array_append_val(entries, memo);
		}
	}
	if (entries->len > MEMO_MAX_ENTRIES) {
		g_array_sort(entries, compare_memo_mtime);
		for (guint i = 0; i < entries->len - MEMO_MAX_ENTRIES; i++)
			unlinkat(dirfd(dir), g_array_index(entries, MemoEntry, i).name, 0);
	}
	closedir(dir);
}

/* Remembers @failure of @key for failed_compile_ttl seconds. Best effort. */
static void memo_record(const ZvmSandboxConfig *config, const char *key, const GError *failure)
{
	if (config->failed_compile_ttl == 0)
		return;
	gint64 expires = g_get_real_time() / G_USEC_PER_SEC + config->failed_compile_ttl;
	g_autofree char *text = g_strdup_printf("%" G_GINT64_FORMAT " %d\n%s", expires,
						failure->code, failure->message);
	if (strlen(text) > MEMO_MAX_BYTES)
		return;
	g_autofree char *path = memo_path(config, key);
	g_file_set_contents_full(path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, NULL);
	memo_trim(config);
}

/* ---- Compile slots and orphans -------------------------------------------------------- */

static GMutex compile_slots_lock;
static GCond compile_slots_cond;
static guint compile_slots_used;

static gboolean stop_requested(const ZvmTranslateProgress *progress)
{
	return progress != NULL && progress->stop != NULL && g_atomic_int_get(progress->stop);
}

/* Waits for one of max_compiles slots, the caller told through progress->waiting while it
 * does. FALSE with a KILLED error when the caller is stopped first. */
static gboolean take_compile_slot(const ZvmSandboxConfig *config,
				  const ZvmTranslateProgress *progress, GError **error)
{
	gboolean told = FALSE, stopped = FALSE;
	g_mutex_lock(&compile_slots_lock);
	while (compile_slots_used >= MAX(config->max_compiles, 1) &&
	       !(stopped = stop_requested(progress))) {
		if (!told && progress != NULL && progress->waiting != NULL) {
			told = TRUE;
			g_mutex_unlock(&compile_slots_lock);
			progress->waiting(TRUE, progress->user_data);
			g_mutex_lock(&compile_slots_lock);
			continue;
		}
		g_cond_wait_until(&compile_slots_cond, &compile_slots_lock,
				  g_get_monotonic_time() + STOP_POLL_USEC);
	}
	if (!stopped)
		compile_slots_used++;
	g_mutex_unlock(&compile_slots_lock);
	if (told)
		progress->waiting(FALSE, progress->user_data);
	if (stopped)
		g_set_error_literal(error, ZVM_TRANSLATE_ERROR, ZVM_TRANSLATE_ERROR_KILLED,
				    "killed");
	return !stopped;
}

static void release_compile_slot(void)
{
	g_mutex_lock(&compile_slots_lock);
	compile_slots_used--;
	g_cond_broadcast(&compile_slots_cond);
	g_mutex_unlock(&compile_slots_lock);
}

/*
 * Kills the tools that a dead process left running on this cache (record_tool) and removes
 * their work dirs. A record whose owner (pid and start time) still runs is left alone. The
 * tool's pid is its process group: it is killed when its leader is the recorded one (same
 * start time) or gone (the kernel gives out no pid that is still a live group's id, so the
 * members left are the tool's); a leader with another start time is a reused pid, left alone.
 */
static void end_orphans(const ZvmSandboxConfig *config)
{
	g_autofree char *tmp = g_build_filename(config->cache_dir, "tmp", NULL);
	DIR *dir = opendir(tmp);
	if (dir == NULL)
		return;
	for (struct dirent *entry; (entry = readdir(dir)) != NULL;) {
		const char *name = entry->d_name;
		if (!g_str_has_prefix(name, "compiler-"))
			continue;
		g_autofree char *path = g_build_filename(tmp, name, NULL);
		g_autofree char *text = NULL;
		int owner = 0, tool = 0;
		guint64 owner_start = 0, tool_start = 0;
		char work[64] = "";
		if (!g_file_get_contents(path, &text, NULL, NULL) ||
		    sscanf(text, "%d %" G_GUINT64_FORMAT " %d %" G_GUINT64_FORMAT " %63s", &owner,
			   &owner_start, &tool, &tool_start, work) != 5 ||
		    owner <= 0 || tool <= 1) {
			unlink(path);
			continue;
		}
		if (process_start_time(owner) == owner_start)
			continue;
		guint64 leader_start = process_start_time(tool);
		if (leader_start == 0 || leader_start == tool_start)
			kill(-tool, SIGKILL);
		if (g_str_has_prefix(work, "work-") && strchr(work, '/') == NULL)
			remove_tree_at(dirfd(dir), work, 0);
		unlink(path);
	}
	closedir(dir);
}

/* end_orphans once per cache dir and process, before its first compile there. */
static void end_orphans_once(const ZvmSandboxConfig *config)
{
	static GMutex lock;
	static GHashTable *done;
	g_mutex_lock(&lock);
	if (done == NULL)
		done = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	if (g_hash_table_add(done, g_strdup(config->cache_dir)))
		end_orphans(config);
	g_mutex_unlock(&lock);
}

/* The key's lock, as lock_file(@path, TRUE); a caller that can be stopped tries every
 * STOP_POLL_USEC instead of blocking, and gets -1 with ECANCELED once stopped. */
static int lock_key(const char *path, const ZvmTranslateProgress *progress)
{
	if (progress == NULL || progress->stop == NULL)
		return lock_file(path, TRUE);
	for (;;) {
		int fd = lock_file(path, FALSE);
		if (fd >= 0 || errno != EWOULDBLOCK)
			return fd;
		if (stop_requested(progress)) {
			errno = ECANCELED;
			return -1;
		}
		g_usleep(STOP_POLL_USEC);
	}
}

/* ---- The optimized tier, in the background ------------------------------------------- */

/* The key of @module's first tier: its optimized key, the first tier's compiler and flags. */
static char *fast_key(const ZvmSandboxConfig *config, const char *key)
{
	g_autofree char *version = tool_version(config, config->compile_fast_cc, TRUE);
	g_autofree char *flags = g_strjoinv(" ", (char **)cc_fast_unit_args);
	static const char tier[] = "first tier";
	g_autoptr(GChecksum) checksum = g_checksum_new(G_CHECKSUM_SHA256);
	checksum_field(checksum, key, strlen(key));
	checksum_field(checksum, tier, strlen(tier));
	checksum_field(checksum, version, strlen(version));
	checksum_field(checksum, flags, strlen(flags));
	return g_strdup(g_checksum_get_string(checksum));
}

typedef struct {
	ZvmSandboxConfig config; /* the caller's, with copies of the strings compile reads */
	char *key;		 /* of the optimized tier, whose lock lock_fd holds */
	int lock_fd;
	GBytes *module;	  /* as the caller gave it, when there is no work dir */
	Workspace *space; /* the first tier's work dir, units cut, or NULL */
	guint units;
} Optimize;

static GMutex optimize_lock;
static GPtrArray *optimize_threads; /* started and not joined */
static GHashTable *optimize_failed; /* keys whose optimized compile failed in this process */

static void optimize_free(Optimize *job)
{
	if (job->space != NULL)
		workspace_free(job->space);
	if (job->module != NULL)
		g_bytes_unref(job->module);
	if (job->lock_fd >= 0)
		close(job->lock_fd);
	g_free(job->key);
	g_free(job->config.cache_dir);
	g_free(job->config.wasm2c);
	g_free(job->config.cc);
	g_free(job->config.compile_fast_cc);
	g_free(job);
}

static GBytes *optimize_object(Optimize *job, GError **error)
{
	const ZvmSandboxConfig *config = &job->config;
	/* Nobody stops it but the process's end; a failure is not remembered (the first tier
	 * serves). */
	Translation translation = {NULL, 0};
	if (job->space == NULL) {
		const ZvmModuleBounds unbounded = {G_MAXUINT64, G_MAXUINT32, G_MAXUINT32,
						   G_MAXUINT64};
		ZvmModuleInfo info;
		gsize length;
		const guint8 *data = g_bytes_get_data(job->module, &length);
		g_autoptr(GBytes) sanitised =
		    zvm_module_check(data, length, &unbounded, &info, error);
		Made made = {TIER_OPTIMIZED, 0};
		return sanitised == NULL
			   ? NULL
			   : compile(config, sanitised, info.n_imports > 0, NULL, &translation,
				     FALSE, config->compile_optimize_timeout, &made, NULL, error);
	}
	gint64 deadline =
	    g_get_monotonic_time() + (gint64)config->compile_optimize_timeout * G_USEC_PER_SEC;
	gboolean ok = FALSE;
	compile_split(config, job->space->uid, job->space->gid, job->space->work, deadline, NULL,
		      &translation, TIER_OPTIMIZED, &job->units, &ok, error);
	if (job->space->lease != NULL)
		zvm_uid_lease_sweep(job->space->lease);
	return ok ? take_object(config, job->space->work, &translation, error) : NULL;
}

static gpointer optimize_thread(gpointer data)
{
	Optimize *job = data;
	g_autofree char *so_path = g_strdup_printf("%s/%s.so", job->config.cache_dir, job->key);
	g_autoptr(GError) error = NULL;
	if (!cache_lookup(so_path)) {
		g_autoptr(GBytes) object = optimize_object(job, &error);
		if (object != NULL && publish(&job->config, job->key, object, so_path, &error))
			collect_garbage(&job->config, job->key);
	}
	if (error != NULL) {
		g_warning("zvmfs: the optimized translation failed; jobs keep the first tier's: %s",
			  error->message);
		g_mutex_lock(&optimize_lock);
		if (optimize_failed == NULL)
			optimize_failed =
			    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
		g_hash_table_add(optimize_failed, g_strdup(job->key));
		g_mutex_unlock(&optimize_lock);
	}
	optimize_free(job);
	return NULL;
}

/* Starts the optimized compile of @module (key @key) in the background, unless one runs
 * already (in any process: it holds the key's lock) or failed in this process. Takes
 * @space (the first tier's work dir and its @units, or NULL to translate from the module). */
static void optimize_later(const ZvmSandboxConfig *config, const char *key, GBytes *module,
			   Workspace *space, guint units)
{
	g_mutex_lock(&optimize_lock);
	gboolean failed = optimize_failed != NULL && g_hash_table_contains(optimize_failed, key);
	g_mutex_unlock(&optimize_lock);
	g_autofree char *lock_path = g_strdup_printf("%s/%s.lock", config->cache_dir, key);
	int lock_fd = failed ? -1 : lock_file(lock_path, FALSE);
	if (lock_fd < 0) {
		if (space != NULL)
			workspace_free(space);
		return;
	}
	Optimize *job = g_new0(Optimize, 1);
	job->config = *config;
	/* Its limit, in the messages too, is the shorter of the two. */
	job->config.compile_timeout =
	    MIN(config->compile_timeout, config->compile_optimize_timeout);
	job->config.user = job->config.compile_user = job->config.sandbox_helper = NULL;
	job->config.data_roots = NULL;
	job->config.cache_dir = g_strdup(config->cache_dir);
	job->config.wasm2c = g_strdup(config->wasm2c);
	job->config.cc = g_strdup(config->cc);
	job->config.compile_fast_cc = g_strdup(config->compile_fast_cc);
	job->key = g_strdup(key);
	job->lock_fd = lock_fd;
	job->module = space == NULL ? g_bytes_ref(module) : NULL;
	job->space = space;
	job->units = units;
	GThread *thread = g_thread_new("zvm-optimize", optimize_thread, job);
	g_mutex_lock(&optimize_lock);
	if (optimize_threads == NULL)
		optimize_threads = g_ptr_array_new();
	g_ptr_array_add(optimize_threads, thread);
	g_mutex_unlock(&optimize_lock);
}

guint zvm_translate_optimizing(void)
{
	g_mutex_lock(&optimize_lock);
	guint n = optimize_threads != NULL ? optimize_threads->len : 0;
	g_mutex_unlock(&optimize_lock);
	return n;
}

void zvm_translate_wait_optimized(void)
{
	for (;;) {
		g_mutex_lock(&optimize_lock);
		GThread *thread = optimize_threads != NULL && optimize_threads->len > 0
				      ? g_ptr_array_steal_index(optimize_threads, 0)
				      : NULL;
		g_mutex_unlock(&optimize_lock);
		if (thread == NULL)
			return;
		g_thread_join(thread);
	}
}

/* ---- Translating ---------------------------------------------------------------------- */

char *zvm_translate(const ZvmSandboxConfig *config, GBytes *module, gboolean *cached,
		    GError **error)
{
	return zvm_translate_with_progress(config, module, NULL, cached, error);
}

/* The first tier's object of @module when the cache has it (the optimized one is then
 * started in the background): its path, else NULL. */
static char *fast_lookup(const ZvmSandboxConfig *config, const char *key, const char *fast,
			 GBytes *module)
{
	g_autofree char *path = g_strdup_printf("%s/%s.so", config->cache_dir, fast);
	if (!cache_lookup(path))
		return NULL;
	optimize_later(config, key, module, NULL, 0);
	return g_steal_pointer(&path);
}

char *zvm_translate_with_progress(const ZvmSandboxConfig *config, GBytes *module,
				  const ZvmTranslateProgress *progress, gboolean *cached,
				  GError **error)
{
	g_return_val_if_fail(config != NULL && module != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	/* The optimized object when there is one, else the first tier's. */
	g_autofree char *key = zvm_translate_key(config, module);
	g_autofree char *fast = config->compile_fast_cc != NULL ? fast_key(config, key) : NULL;
	g_autofree char *so_path = g_strdup_printf("%s/%s.so", config->cache_dir, key);
	char *found = cache_lookup(so_path) ? g_steal_pointer(&so_path) : NULL;
	if (found == NULL && fast != NULL)
		found = fast_lookup(config, key, fast, module);
	if (found != NULL) {
		if (cached != NULL)
			*cached = TRUE;
		return found;
	}
	if (memo_lookup(config, key, error))
		return NULL;

	/* One translation per key at a time, across threads (each has its own open file
	 * description) and processes; whoever waited finds the object published, or the
	 * failure remembered. With a first tier, that tier's lock: the optimized one's is held
	 * by its background compile. */
	g_autofree char *lock_path =
	    g_strdup_printf("%s/%s.lock", config->cache_dir, fast != NULL ? fast : key);
	g_auto(ZvmFd) lock_fd = lock_key(lock_path, progress);
	if (lock_fd < 0 && errno == ECANCELED) {
		g_set_error_literal(error, ZVM_TRANSLATE_ERROR, ZVM_TRANSLATE_ERROR_KILLED,
				    "killed");
		return NULL;
	}
	if (lock_fd < 0) {
		cache_error(errno, "lock", lock_path, error);
		return NULL;
	}
	found = cache_lookup(so_path) ? g_steal_pointer(&so_path) : NULL;
	if (found == NULL && fast != NULL)
		found = fast_lookup(config, key, fast, module);
	if (found != NULL) {
		if (cached != NULL)
			*cached = TRUE;
		return found;
	}
	if (memo_lookup(config, key, error))
		return NULL;

	/* Checked again here, whatever the caller did: this is the last point before the
	 * module's bytes reach wasm2c, and the glue depends on whether it imports anything.
	 * The caller applied its bounds already, so none are applied here. */
	const ZvmModuleBounds unbounded = {G_MAXUINT64, G_MAXUINT32, G_MAXUINT32, G_MAXUINT64};
	ZvmModuleInfo info;
	gsize length;
	const guint8 *data = g_bytes_get_data(module, &length);
	g_autoptr(GBytes) sanitised = zvm_module_check(data, length, &unbounded, &info, error);
	if (sanitised == NULL)
		return NULL;
	end_orphans_once(config);
	if (!take_compile_slot(config, progress, error))
		return NULL;
	Translation translation = {progress != NULL ? progress->stop : NULL, 0};
	g_autoptr(GError) failure = NULL;
	Made made = {TIER_OPTIMIZED, 0};
	Workspace *unfinished = NULL;
	g_autoptr(GBytes) object =
	    compile(config, sanitised, info.n_imports > 0, progress, &translation, fast != NULL,
		    config->compile_timeout, &made, &unfinished, &failure);
	release_compile_slot();
	if (object == NULL) {
		if (g_atomic_int_get(&translation.blamed) && !stop_requested(progress) &&
		    !g_error_matches(failure, ZVM_TRANSLATE_ERROR, ZVM_TRANSLATE_ERROR_KILLED))
			memo_record(config, key, failure);
		g_propagate_error(error, g_steal_pointer(&failure));
		return NULL;
	}
	const char *published = made.tier == TIER_FAST ? fast : key;
	g_autofree char *path = g_strdup_printf("%s/%s.so", config->cache_dir, published);
	if (!publish(config, published, object, path, error)) {
		if (unfinished != NULL)
			workspace_free(unfinished);
		return NULL;
	}
	if (unfinished != NULL)
		optimize_later(config, key, module, unfinished, made.units);
	collect_garbage(config, published);
	if (cached != NULL)
		*cached = FALSE;
	return g_steal_pointer(&path);
}
