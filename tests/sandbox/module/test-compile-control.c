/* SPDX-License-Identifier: Apache-2.0 */
/* Tests of the compile controls of sandbox/translate.c: the failed-translation memo, a stop
 * that kills the compiler, orphaned compilers of a dead process, the max_compiles slots.
 * Stand-in compilers are shell scripts that say when they start (a marker file) and wait for
 * the test (a release file): every step is ordered by what the processes did, never by time. */
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "module-test-util.h"
#include "module.h"
#include "translate.h"

typedef TestTranslateWorld Fixture;

static void fixture_setup(Fixture *f, gconstpointer data)
{
	test_translate_world_init(f);
}

static void fixture_teardown(Fixture *f, gconstpointer data)
{
	/* A test that failed half way leaves its stand-ins waiting: let them go. */
	g_autofree char *release = g_build_filename(f->tools_dir, "release", NULL);
	g_file_set_contents(release, "", 0, NULL);
	test_translate_world_clear(f);
}

/* A stand-in C compiler: says its version like cc, then runs @body. */
static void use_cc(Fixture *f, const char *name, const char *body)
{
	g_autofree char *path = g_build_filename(f->tools_dir, name, NULL);
	g_autofree char *text = g_strdup_printf(
	    "#!/bin/sh\ncase \"$1\" in --version) exec cc --version;; esac\nT=%s\n%s", f->tools_dir,
	    body);
	g_autoptr(GError) error = NULL;
	g_file_set_contents(path, text, -1, &error);
	g_assert_no_error(error);
	g_assert_cmpint(g_chmod(path, 0755), ==, 0);
	g_free(f->config.cc);
	f->config.cc = g_steal_pointer(&path);
}

/* Files in @dir whose name starts with @prefix. */
static guint count_files(const char *dir, const char *prefix)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	guint n = 0;
	for (const char *name; d != NULL && (name = g_dir_read_name(d)) != NULL;)
		n += g_str_has_prefix(name, prefix);
	return n;
}

/* Processes whose working directory is under @dir (the compilers work in <cache>/tmp). */
static guint processes_working_in(const char *dir)
{
	g_autoptr(GDir) proc = g_dir_open("/proc", 0, NULL);
	guint n = 0;
	for (const char *name; (name = g_dir_read_name(proc)) != NULL;) {
		g_autofree char *cwd_link = g_build_filename("/proc", name, "cwd", NULL);
		g_autofree char *cwd = g_file_read_link(cwd_link, NULL);
		n += cwd != NULL && g_str_has_prefix(cwd, dir);
	}
	return n;
}

/* Polls @done (a bounded wait for something another process or thread does): FALSE when it
 * did not happen within a minute, which fails the test. */
#define WAIT_UNTIL(condition)                                                \
	G_STMT_START                                                         \
	{                                                                    \
		int wait_i_;                                                 \
		for (wait_i_ = 0; wait_i_ < 6000 && !(condition); wait_i_++) \
			g_usleep(10000);                                     \
		g_assert_true(condition);                                    \
	}                                                                    \
	G_STMT_END

typedef struct {
	const ZvmSandboxConfig *config;
	GBytes *module;
	ZvmTranslateProgress progress;
	volatile gint stop;
	volatile gint waiting; /* calls of the waiting hook with TRUE */
	char *path;
	GError *error;
	gint64 ended; /* monotonic µs */
} Translator;

static void on_waiting(gboolean waiting, gpointer user_data)
{
	Translator *t = user_data;
	if (waiting)
		g_atomic_int_inc(&t->waiting);
}

static gpointer translate_thread(gpointer data)
{
	Translator *t = data;
	t->path = zvm_translate_with_progress(t->config, t->module, &t->progress, NULL, &t->error);
	t->ended = g_get_monotonic_time();
	return NULL;
}

static GThread *translator_start(Translator *t, const ZvmSandboxConfig *config, GBytes *module)
{
	*t = (Translator){.config = config, .module = module};
	t->progress.stop = &t->stop;
	t->progress.waiting = on_waiting;
	t->progress.user_data = t;
	return g_thread_new("translator", translate_thread, t);
}

static void translator_clear(Translator *t)
{
	g_free(t->path);
	g_clear_error(&t->error);
}

/* ---- The memo ------------------------------------------------------------------------- */

/* A failed compile is remembered: the second try fails with the same words and runs no
 * compiler; the record is a 0600 file in the cache, so it outlives the process. */
static void test_memo(Fixture *f, gconstpointer data)
{
	g_autoptr(GBytes) module = test_checked_module("no-imports.wasm");
	use_cc(f, "failing-cc", "echo run >>$T/runs\necho 'cc1: error: broken' >&2\nexit 1\n");
	g_autofree char *runs = g_build_filename(f->tools_dir, "runs", NULL);
	g_autoptr(GError) first = NULL, second = NULL;
	g_assert_null(zvm_translate(&f->config, module, NULL, &first));
	g_assert_error(first, ZVM_TRANSLATE_ERROR, ZVM_TRANSLATE_ERROR_TOOL);
	g_assert_nonnull(strstr(first->message, "cc1: error: broken"));
	gint64 start = g_get_monotonic_time();
	g_assert_null(zvm_translate(&f->config, module, NULL, &second));
	g_test_message("the remembered failure took %.3f ms",
		       (double)(g_get_monotonic_time() - start) / 1000);
	g_assert_error(second, ZVM_TRANSLATE_ERROR, ZVM_TRANSLATE_ERROR_TOOL);
	g_assert_cmpstr(second->message, ==, first->message);
	g_autofree char *text = NULL;
	g_assert_true(g_file_get_contents(runs, &text, NULL, NULL));
	g_assert_cmpstr(text, ==, "run\n");

	g_assert_cmpuint(count_files(f->cache_dir, "failed-"), ==, 1);
	g_autoptr(GDir) dir = g_dir_open(f->cache_dir, 0, NULL);
	for (const char *name; (name = g_dir_read_name(dir)) != NULL;) {
		g_autofree char *path = g_build_filename(f->cache_dir, name, NULL);
		struct stat st;
		g_assert_cmpint(lstat(path, &st), ==, 0);
		if (g_str_has_prefix(name, "failed-"))
			g_assert_cmpint(st.st_mode & 07777, ==, 0600);
	}

	/* Another limit is another try; so is a ttl of 0 (nothing remembered). */
	f->config.compile_timeout++;
	g_autoptr(GError) third = NULL;
	g_assert_null(zvm_translate(&f->config, module, NULL, &third));
	f->config.failed_compile_ttl = 0;
	g_autoptr(GError) fourth = NULL;
	g_assert_null(zvm_translate(&f->config, module, NULL, &fourth));
	g_clear_pointer(&text, g_free);
	g_assert_true(g_file_get_contents(runs, &text, NULL, NULL));
	g_assert_cmpstr(text, ==, "run\nrun\nrun\n");
}

/* A record past its time is a fresh try; a tool that could not start is not remembered. */
static void test_memo_expires(Fixture *f, gconstpointer data)
{
	g_autoptr(GBytes) module = test_checked_module("no-imports.wasm");
	use_cc(f, "failing-cc", "echo run >>$T/runs\nexit 1\n");
	g_autoptr(GError) first = NULL;
	g_assert_null(zvm_translate(&f->config, module, NULL, &first));
	/* Rewrite the record as if written long ago. */
	g_autoptr(GDir) dir = g_dir_open(f->cache_dir, 0, NULL);
	g_autofree char *record = NULL;
	for (const char *name; (name = g_dir_read_name(dir)) != NULL;)
		if (g_str_has_prefix(name, "failed-"))
			record = g_build_filename(f->cache_dir, name, NULL);
	g_assert_nonnull(record);
	g_assert_true(g_file_set_contents(record, "1000 0\nold words", -1, NULL));
	g_autoptr(GError) second = NULL;
	g_assert_null(zvm_translate(&f->config, module, NULL, &second));
	g_assert_cmpstr(second->message, ==, first->message);
	g_autofree char *runs = g_build_filename(f->tools_dir, "runs", NULL);
	g_autofree char *text = NULL;
	g_assert_true(g_file_get_contents(runs, &text, NULL, NULL));
	g_assert_cmpstr(text, ==, "run\nrun\n");

	g_free(f->config.cc);
	f->config.cc = g_strdup("/nonexistent/cc");
	g_autoptr(GError) missing = NULL;
	g_assert_null(zvm_translate(&f->config, module, NULL, &missing));
	g_assert_cmpuint(count_files(f->cache_dir, "failed-"), ==, 1);
}

/* At most 1024 records: the oldest go. */
static void test_memo_bounded(Fixture *f, gconstpointer data)
{
	for (int i = 0; i < 1100; i++) {
		g_autofree char *path = g_strdup_printf("%s/failed-old%04d", f->cache_dir, i);
		g_assert_true(g_file_set_contents(path, "1000 0\nold", -1, NULL));
	}
	g_autoptr(GBytes) module = test_checked_module("no-imports.wasm");
	use_cc(f, "failing-cc", "exit 1\n");
	g_autoptr(GError) error = NULL;
	g_assert_null(zvm_translate(&f->config, module, NULL, &error));
	g_assert_cmpuint(count_files(f->cache_dir, "failed-"), ==, 1024);
	/* The newest record, this failure's, stayed. */
	g_autoptr(GError) again = NULL;
	g_assert_null(zvm_translate(&f->config, module, NULL, &again));
	g_assert_cmpstr(again->message, ==, error->message);
	g_autofree char *oldest = g_strdup_printf("%s/failed-old0000", f->cache_dir);
	g_assert_false(g_file_test(oldest, G_FILE_TEST_EXISTS));
}

/* ---- Stopping ------------------------------------------------------------------------- */

/* A stop kills the compiler at once (it would wait for ever); a waiter for the same module
 * stops alone, the compile it waited for goes on; nothing of a kill is remembered. */
static void test_stop(Fixture *f, gconstpointer data)
{
	g_autoptr(GBytes) module = test_checked_module("no-imports.wasm");
	use_cc(f, "stuck-cc", "touch $T/started\nexec sleep 600\n");
	g_autofree char *started = g_build_filename(f->tools_dir, "started", NULL);
	g_autofree char *tmp = g_build_filename(f->cache_dir, "tmp", NULL);
	Translator owner, waiter;
	GThread *owner_thread = translator_start(&owner, &f->config, module);
	WAIT_UNTIL(g_file_test(started, G_FILE_TEST_EXISTS));
	GThread *waiter_thread = translator_start(&waiter, &f->config, module);

	g_atomic_int_set(&waiter.stop, 1);
	gint64 stopped = g_get_monotonic_time();
	g_thread_join(waiter_thread);
	g_assert_error(waiter.error, ZVM_TRANSLATE_ERROR, ZVM_TRANSLATE_ERROR_KILLED);
	g_assert_cmpuint(processes_working_in(tmp), ==, 1);

	g_atomic_int_set(&owner.stop, 1);
	stopped = g_get_monotonic_time();
	g_thread_join(owner_thread);
	g_test_message("the compiler was stopped after %.3f s",
		       (double)(owner.ended - stopped) / G_USEC_PER_SEC);
	g_assert_error(owner.error, ZVM_TRANSLATE_ERROR, ZVM_TRANSLATE_ERROR_KILLED);
	g_assert_cmpstr(owner.error->message, ==, "killed");
	g_assert_cmpint(owner.ended - stopped, <, 5 * G_USEC_PER_SEC);
	g_assert_cmpuint(processes_working_in(tmp), ==, 0);
	g_assert_cmpuint(count_files(tmp, "work-"), ==, 0);
	g_assert_cmpuint(count_files(tmp, "compiler-"), ==, 0);
	g_assert_cmpuint(count_files(f->cache_dir, "failed-"), ==, 0);
	translator_clear(&owner);
	translator_clear(&waiter);
}

/* ---- Slots ---------------------------------------------------------------------------- */

/* max_compiles 1: of two modules one compiles and the other waits, says so and can be
 * stopped while it waits; with the slot free it compiles. */
static void test_max_compiles(Fixture *f, gconstpointer data)
{
	g_autoptr(GBytes) first = test_checked_module("no-imports.wasm");
	g_autoptr(GBytes) second = test_checked_module("hello.wasm");
	use_cc(f, "gated-cc",
	       "touch $T/started-$$\nwhile [ ! -e $T/release ]; do sleep 0.05; done\n"
	       "exec cc \"$@\"\n");
	f->config.max_compiles = 1;
	Translator a, b;
	GThread *a_thread = translator_start(&a, &f->config, first);
	GThread *b_thread = translator_start(&b, &f->config, second);
	WAIT_UNTIL(count_files(f->tools_dir, "started-") >= 1 &&
		   g_atomic_int_get(&a.waiting) + g_atomic_int_get(&b.waiting) == 1);
	g_assert_cmpuint(count_files(f->tools_dir, "started-"), ==, 1);
	Translator *waiting = g_atomic_int_get(&a.waiting) ? &a : &b;
	GThread *waiting_thread = waiting == &a ? a_thread : b_thread;
	GThread *running_thread = waiting == &a ? b_thread : a_thread;
	Translator *running = waiting == &a ? &b : &a;

	g_atomic_int_set(&waiting->stop, 1);
	g_thread_join(waiting_thread);
	g_assert_error(waiting->error, ZVM_TRANSLATE_ERROR, ZVM_TRANSLATE_ERROR_KILLED);
	g_assert_cmpuint(count_files(f->tools_dir, "started-"), ==, 1);

	g_autofree char *release = g_build_filename(f->tools_dir, "release", NULL);
	g_assert_true(g_file_set_contents(release, "", 0, NULL));
	g_thread_join(running_thread);
	g_assert_no_error(running->error);
	GBytes *again_module = waiting == &a ? first : second;
	translator_clear(waiting);
	waiting_thread = translator_start(waiting, &f->config, again_module);
	g_thread_join(waiting_thread);
	g_assert_no_error(waiting->error);
	g_assert_cmpint(g_atomic_int_get(&waiting->waiting), ==, 0);
	translator_clear(&a);
	translator_clear(&b);
}

/* ---- Orphans -------------------------------------------------------------------------- */

static guint64 start_time_of(pid_t pid)
{
	g_autofree char *path = g_strdup_printf("/proc/%d/stat", (int)pid);
	g_autofree char *text = NULL;
	g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
	g_auto(GStrv) fields = g_strsplit(strrchr(text, ')') + 2, " ", -1);
	return g_ascii_strtoull(fields[19], NULL, 10);
}

static void own_group(gpointer data)
{
	setpgid(0, 0);
}

/* A `sleep` in a process group of its own, as a compiler runs. */
static GPid spawn_sleeper(void)
{
	const char *argv[] = {"sleep", "600", NULL};
	GPid pid;
	g_autoptr(GError) error = NULL;
	g_spawn_async(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD,
		      own_group, NULL, &pid, &error);
	g_assert_no_error(error);
	return pid;
}

static void write_record(const char *tmp, pid_t owner, guint64 owner_start, GPid tool,
			 const char *work)
{
	g_autofree char *path = g_strdup_printf("%s/compiler-%d", tmp, (int)tool);
	g_autofree char *text =
	    g_strdup_printf("%d %" G_GUINT64_FORMAT " %d %" G_GUINT64_FORMAT " %s\n", (int)owner,
			    owner_start, (int)tool, start_time_of(tool), work);
	g_assert_true(g_file_set_contents(path, text, -1, NULL));
}

/* The tools a dead process left are killed before the next compile, their work dirs removed;
 * a live owner's are left. */
static void test_orphans(Fixture *f, gconstpointer data)
{
	g_autofree char *tmp = g_build_filename(f->cache_dir, "tmp", NULL);
	g_assert_cmpint(g_mkdir(tmp, 0700), ==, 0);
	pid_t dead = fork();
	if (dead == 0)
		_exit(0);
	g_assert_cmpint(waitpid(dead, NULL, 0), ==, dead);
	GPid orphan = spawn_sleeper();
	GPid kept = spawn_sleeper();
	write_record(tmp, dead, 12345, orphan, "work-orphan");
	write_record(tmp, getpid(), start_time_of(getpid()), kept, "work-kept");
	g_autofree char *orphan_dir = g_build_filename(tmp, "work-orphan", NULL);
	g_autofree char *kept_dir = g_build_filename(tmp, "work-kept", NULL);
	g_assert_cmpint(g_mkdir(orphan_dir, 0700), ==, 0);
	g_assert_cmpint(g_mkdir(kept_dir, 0700), ==, 0);

	g_autoptr(GBytes) module = test_checked_module("no-imports.wasm");
	g_autoptr(GError) error = NULL;
	g_autofree char *path = zvm_translate(&f->config, module, NULL, &error);
	g_assert_no_error(error);

	/* The kill was sent before the compile started; the status is the signal. */
	int status;
	pid_t reaped = 0;
	WAIT_UNTIL(reaped == orphan || (reaped = waitpid(orphan, &status, WNOHANG)) == orphan);
	g_assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	g_assert_false(g_file_test(orphan_dir, G_FILE_TEST_EXISTS));
	g_assert_cmpint(waitpid(kept, &status, WNOHANG), ==, 0);
	g_assert_true(g_file_test(kept_dir, G_FILE_TEST_EXISTS));
	kill(kept, SIGKILL);
	g_assert_cmpint(waitpid(kept, &status, 0), ==, kept);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define ADD(path, function)                                                          \
	g_test_add("/compile-control/" path, Fixture, NULL, fixture_setup, function, \
		   fixture_teardown)
	ADD("memo", test_memo);
	ADD("memo-expires", test_memo_expires);
	ADD("memo-bounded", test_memo_bounded);
	ADD("stop", test_stop);
	ADD("max-compiles", test_max_compiles);
	ADD("orphans", test_orphans);
#undef ADD
	return g_test_run();
}
