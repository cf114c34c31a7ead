/* SPDX-License-Identifier: Apache-2.0 */
/* Tests of translation and its cache (sandbox/translate.c), with the real wasm2c and cc. */
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <pwd.h>
#include <sched.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "glue.h"
#include "module-test-util.h"
#include "module.h"
#include "translate.h"

typedef TestTranslateWorld Fixture;

static void fixture_setup(Fixture *f, gconstpointer data)
{
	test_translate_world_init(f);
	/* One tier, as before tiers, but in the tests of tiers. */
	g_clear_pointer(&f->config.compile_fast_cc, g_free);
}

static void fixture_teardown(Fixture *f, gconstpointer data)
{
	test_translate_world_clear(f);
}

static char *translate_ok(const ZvmSandboxConfig *config, GBytes *module, gboolean *cached,
			  double *seconds)
{
	g_autoptr(GError) error = NULL;
	gint64 start = g_get_monotonic_time();
	char *path = zvm_translate(config, module, cached, &error);
	if (seconds != NULL)
		*seconds = (double)(g_get_monotonic_time() - start) / G_USEC_PER_SEC;
	g_assert_no_error(error);
	g_assert_nonnull(path);
	return path;
}

static void assert_translate_fails(const ZvmSandboxConfig *config, GBytes *module, GQuark domain,
				   int code, const char *message)
{
	g_autoptr(GError) error = NULL;
	gboolean cached = 42;
	g_autofree char *path = zvm_translate(config, module, &cached, &error);
	g_assert_null(path);
	g_assert_error(error, domain, code);
	g_assert_cmpint(cached, ==, 42);
	if (message != NULL)
		g_assert_cmpstr(error->message, ==, message);
}

/* Nothing is left of work dirs: the compile cleaned up after itself. */
static void assert_no_work_dirs(const Fixture *f)
{
	g_autofree char *tmp = g_build_filename(f->cache_dir, "tmp", NULL);
	g_autoptr(GDir) dir = g_dir_open(tmp, 0, NULL);
	const char *name = dir != NULL ? g_dir_read_name(dir) : NULL;
	if (name != NULL)
		g_error("work dir %s left in %s", name, tmp);
}

static void assert_glue_symbols(const char *path)
{
	/* RTLD_LAZY: the WASI calls and wasm_rt_* are the runner's, absent from this test. */
	void *handle = dlopen(path, RTLD_LAZY | RTLD_LOCAL);
	if (handle == NULL)
		g_error("dlopen %s: %s", path, dlerror());
	const char *symbols[] = {ZVM_GLUE_INSTANCE_SIZE, ZVM_GLUE_INIT, ZVM_GLUE_INSTANTIATE,
				 ZVM_GLUE_MEMORY, ZVM_GLUE_START};
	for (gsize i = 0; i < G_N_ELEMENTS(symbols); i++)
		if (dlsym(handle, symbols[i]) == NULL)
			g_error("%s lacks %s", path, symbols[i]);
	ZvmGlueInstanceSize instance_size =
	    (ZvmGlueInstanceSize)dlsym(handle, ZVM_GLUE_INSTANCE_SIZE);
	g_assert_cmpuint(instance_size(), >=, sizeof(wasm_rt_memory_t));
	dlclose(handle);
}

static char *dynamic_symbols(const char *path, const char *which)
{
	const char *argv[] = {"nm", "-D", which, path, NULL};
	char *out = NULL;
	g_autoptr(GError) error = NULL;
	g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, NULL, NULL,
		     &error);
	g_assert_no_error(error);
	return out;
}

static void test_hello(Fixture *f, gconstpointer data)
{
	g_autoptr(GBytes) module = test_checked_module("hello.wasm");
	gboolean cached = TRUE;
	double cold, warm;
	g_autofree char *path = translate_ok(&f->config, module, &cached, &cold);
	g_assert_false(cached);
	g_test_message("cold translate of hello (wasm2c + cc, fenced): %.3f s", cold);

	g_autofree char *key = zvm_translate_key(&f->config, module);
	g_assert_cmpuint(strlen(key), ==, 64);
	g_assert_true(strspn(key, "0123456789abcdef") == 64);
	g_autofree char *expected = g_strdup_printf("%s/%s.so", f->cache_dir, key);
	g_assert_cmpstr(path, ==, expected);
	struct stat st;
	g_assert_cmpint(g_lstat(path, &st), ==, 0);
	g_assert_true(S_ISREG(st.st_mode));
	g_assert_cmpint(st.st_mode & 07777, ==, 0600);
	assert_no_work_dirs(f);
	assert_glue_symbols(path);

	g_autofree char *undefined = dynamic_symbols(path, "--undefined-only");
	g_autofree char *defined = dynamic_symbols(path, "--defined-only");
	g_assert_nonnull(strstr(undefined, "Z_wasi_snapshot_preview1Z_fd_write"));
	g_assert_nonnull(strstr(undefined, "wasm_rt_trap"));
	g_assert_null(strstr(defined, "Z_wasi_snapshot_preview1Z_"));
	g_assert_null(strstr(defined, " wasm_rt_"));
	g_assert_nonnull(strstr(defined, "zvm_glue_start"));

	g_autofree char *again = translate_ok(&f->config, module, &cached, &warm);
	g_assert_true(cached);
	g_assert_cmpstr(again, ==, path);
	g_test_message("warm lookup of hello: %.6f s", warm);
}

static void test_no_imports(Fixture *f, gconstpointer data)
{
	g_autoptr(GBytes) module = test_checked_module("no-imports.wasm");
	gboolean cached;
	g_autofree char *path = translate_ok(&f->config, module, &cached, NULL);
	g_assert_false(cached);
	assert_glue_symbols(path);
}

/* A module with custom sections is compiled from its sanitised copy. */
static void test_custom_sections(Fixture *f, gconstpointer data)
{
	g_autoptr(GBytes) module = test_load_module("hello-debug.wasm");
	gboolean cached;
	g_autofree char *path = translate_ok(&f->config, module, &cached, NULL);
	assert_glue_symbols(path);
}

/* Exports beyond _start and memory, some named to break out of a C comment or string, are
 * dropped before wasm2c: the module compiles, and its object defines none of them. */
static void test_export_names(Fixture *f, gconstpointer data)
{
	g_autoptr(GBytes) module = test_load_module("export-extra.wasm");
	gboolean cached;
	g_autofree char *path = translate_ok(&f->config, module, &cached, NULL);
	assert_glue_symbols(path);
	g_autofree char *defined = dynamic_symbols(path, "--defined-only");
	g_assert_nonnull(strstr(defined, " Z_zvmZ__start\n"));
	g_assert_nonnull(strstr(defined, " Z_zvmZ_memory\n"));
	for (const char *line = defined; (line = strstr(line, " Z_zvmZ")) != NULL; line++)
		g_assert_true(g_str_has_prefix(line, " Z_zvmZ__start\n") ||
			      g_str_has_prefix(line, " Z_zvmZ_memory\n"));
	g_assert_null(strstr(defined, "main_void"));
	g_assert_null(strstr(defined, "heap_base"));
	g_assert_null(strstr(defined, "evil"));
}

static void test_unchecked_module(Fixture *f, gconstpointer data)
{
	g_autoptr(GBytes) module = test_load_module("import-injection.wasm");
	assert_translate_fails(&f->config, module, ZVM_MODULE_ERROR, ZVM_MODULE_ERROR_IMPORT, NULL);
	assert_no_work_dirs(f);
}

static void test_key(Fixture *f, gconstpointer data)
{
	g_autoptr(GBytes) hello = test_checked_module("hello.wasm");
	g_autoptr(GBytes) other = test_checked_module("no-imports.wasm");
	g_autofree char *a = zvm_translate_key(&f->config, hello);
	g_autofree char *b = zvm_translate_key(&f->config, hello);
	g_autofree char *c = zvm_translate_key(&f->config, other);
	g_assert_cmpstr(a, ==, b);
	g_assert_cmpstr(a, !=, c);
	/* Another compiler (its --version names it) is another key. */
	g_free(f->config.cc);
	f->config.cc = g_strdup("gcc");
	g_autofree char *d = zvm_translate_key(&f->config, hello);
	g_assert_cmpstr(a, !=, d);
}

typedef struct {
	const ZvmSandboxConfig *config;
	GBytes *module;
	GMutex *mutex;
	GCond *cond;
	gboolean *go;
	gboolean cached;
	char *path;
} Racer;

static gpointer race(gpointer data)
{
	Racer *racer = data;
	g_mutex_lock(racer->mutex);
	while (!*racer->go)
		g_cond_wait(racer->cond, racer->mutex);
	g_mutex_unlock(racer->mutex);
	racer->path = translate_ok(racer->config, racer->module, &racer->cached, NULL);
	return NULL;
}

static void test_concurrent(Fixture *f, gconstpointer data)
{
	g_autoptr(GBytes) module = test_checked_module("good-features.wasm");
	GMutex mutex;
	GCond cond;
	gboolean go = FALSE;
	g_mutex_init(&mutex);
	g_cond_init(&cond);
	Racer racers[4];
	GThread *threads[4];
	for (int i = 0; i < 4; i++) {
		racers[i] = (Racer){&f->config, module, &mutex, &cond, &go, FALSE, NULL};
		threads[i] = g_thread_new("racer", race, &racers[i]);
	}
	g_mutex_lock(&mutex);
	go = TRUE;
	g_cond_broadcast(&cond);
	g_mutex_unlock(&mutex);
	int compiled = 0;
	for (int i = 0; i < 4; i++) {
		g_thread_join(threads[i]);
		compiled += !racers[i].cached;
		g_assert_cmpstr(racers[i].path, ==, racers[0].path);
	}
	for (int i = 0; i < 4; i++)
		g_free(racers[i].path);
	g_assert_cmpint(compiled, ==, 1);
	g_mutex_clear(&mutex);
	g_cond_clear(&cond);
}

/* "<cache>/<key>.lock" of "<cache>/<key>.so" */
static char *lock_of(const char *so_path)
{
	g_assert_true(g_str_has_suffix(so_path, ".so"));
	g_autofree char *stem = g_strndup(so_path, strlen(so_path) - 3);
	return g_strconcat(stem, ".lock", NULL);
}

static char *make_file(const char *dir, const char *name, gsize size, time_t age)
{
	char *path = g_build_filename(dir, name, NULL);
	g_autofree char *contents = g_malloc0(size);
	g_autoptr(GError) error = NULL;
	g_file_set_contents(path, contents, (gssize)size, &error);
	g_assert_no_error(error);
	struct timespec times[2] = {{time(NULL) - age, 0}, {time(NULL) - age, 0}};
	g_assert_cmpint(utimensat(AT_FDCWD, path, times, AT_SYMLINK_NOFOLLOW), ==, 0);
	return path;
}

static void test_evict(Fixture *f, gconstpointer data)
{
	const gsize mib = 1 << 20;
	g_autofree char *a_key = g_strnfill(64, 'a');
	g_autofree char *b_key = g_strnfill(64, 'b');
	g_autofree char *c_key = g_strnfill(64, 'c');
	g_autofree char *a_name = g_strconcat(a_key, ".so", NULL);
	g_autofree char *b_name = g_strconcat(b_key, ".so", NULL);
	g_autofree char *c_name = g_strconcat(c_key, ".so", NULL);
	g_autofree char *a = make_file(f->cache_dir, a_name, mib, 300);
	g_autofree char *b = make_file(f->cache_dir, b_name, mib, 200);
	g_autofree char *c = make_file(f->cache_dir, c_name, mib, 100);
	/* Not a cache object, whatever its age: never touched. */
	g_autofree char *other = make_file(f->cache_dir, "README", mib, 1000);

	/* 3 MiB of old objects and the new one, over 2.5 MiB: the oldest goes. */
	f->config.cache_max_bytes = 5 * mib / 2;
	g_autoptr(GBytes) first = test_checked_module("no-imports.wasm");
	gboolean cached;
	g_autofree char *first_path = translate_ok(&f->config, first, &cached, NULL);
	g_assert_false(g_file_test(a, G_FILE_TEST_EXISTS));
	g_assert_true(g_file_test(b, G_FILE_TEST_EXISTS));
	g_assert_true(g_file_test(c, G_FILE_TEST_EXISTS));
	g_assert_true(g_file_test(first_path, G_FILE_TEST_EXISTS));
	g_assert_true(g_file_test(other, G_FILE_TEST_EXISTS));

	/* A lookup makes an object recently used. */
	struct timespec old[2] = {{time(NULL) - 1000, 0}, {time(NULL) - 1000, 0}};
	g_assert_cmpint(utimensat(AT_FDCWD, first_path, old, 0), ==, 0);
	g_autofree char *again = translate_ok(&f->config, first, &cached, NULL);
	g_assert_true(cached);
	struct stat st;
	g_assert_cmpint(g_stat(first_path, &st), ==, 0);
	g_assert_cmpint(st.st_mtime, >=, time(NULL) - 60);

	/* A bound below everything: all go but the one just published, and one whose lock is
	 * held (someone is compiling or publishing it). */
	g_autofree char *b_lock = g_strdup_printf("%s/%s.lock", f->cache_dir, b_key);
	int held = open(b_lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	g_assert_cmpint(flock(held, LOCK_EX), ==, 0);
	f->config.cache_max_bytes = 1;
	g_autoptr(GBytes) second = test_checked_module("three-functions.wasm");
	g_autofree char *second_path = translate_ok(&f->config, second, &cached, NULL);
	g_assert_true(g_file_test(second_path, G_FILE_TEST_EXISTS));
	g_assert_true(g_file_test(b, G_FILE_TEST_EXISTS));
	g_assert_false(g_file_test(c, G_FILE_TEST_EXISTS));
	g_assert_false(g_file_test(first_path, G_FILE_TEST_EXISTS));
	g_autofree char *first_lock = lock_of(first_path);
	g_assert_false(g_file_test(first_lock, G_FILE_TEST_EXISTS));
	close(held);
}

static void test_stale_cleanup(Fixture *f, gconstpointer data)
{
	g_autofree char *tmp = g_build_filename(f->cache_dir, "tmp", NULL);
	g_autofree char *old_work = g_build_filename(tmp, "work-old123", NULL);
	g_autofree char *new_work = g_build_filename(tmp, "work-new123", NULL);
	g_autofree char *outside = g_build_filename(f->tools_dir, "outside", NULL);
	g_assert_cmpint(g_mkdir_with_parents(old_work, 0700), ==, 0);
	g_assert_cmpint(g_mkdir_with_parents(new_work, 0700), ==, 0);
	g_assert_cmpint(g_mkdir_with_parents(outside, 0700), ==, 0);
	g_autofree char *precious = make_file(outside, "precious", 10, 0);
	g_autofree char *junk = make_file(old_work, "module.c", 10, 0);
	/* A link the compiler planted, to a directory outside: the cleanup must not follow. */
	g_autofree char *link = g_build_filename(old_work, "escape", NULL);
	g_assert_cmpint(symlink(outside, link), ==, 0);
	/* Older than any live translation may be: twice compile_optimize_timeout (3600 s). */
	struct timespec old[2] = {{time(NULL) - 86400, 0}, {time(NULL) - 86400, 0}};
	g_assert_cmpint(utimensat(AT_FDCWD, old_work, old, 0), ==, 0);
	g_autofree char *half = make_file(f->cache_dir, "0123.so.tmp.abcdef", 10, 86400);
	g_autofree char *fresh_half = make_file(f->cache_dir, "4567.so.tmp.abcdef", 10, 0);

	g_autoptr(GBytes) module = test_checked_module("no-imports.wasm");
	gboolean cached;
	g_autofree char *path = translate_ok(&f->config, module, &cached, NULL);
	g_assert_false(g_file_test(old_work, G_FILE_TEST_EXISTS));
	g_assert_true(g_file_test(new_work, G_FILE_TEST_IS_DIR));
	g_assert_true(g_file_test(precious, G_FILE_TEST_EXISTS));
	g_assert_false(g_file_test(half, G_FILE_TEST_EXISTS));
	g_assert_true(g_file_test(fresh_half, G_FILE_TEST_EXISTS));
}

/* One function of @n load-multiply-store groups: cheap for wasm2c, slow and memory-hungry
 * for gcc -O2 (about 0.7 ms and 5 MiB per group here). */
static GBytes *slow_module(guint n)
{
	g_autoptr(GByteArray) locals = g_byte_array_new();
	wasm_put_u32(locals, 1);
	wasm_put_u32(locals, 1);
	wasm_put_byte(locals, 0x7f);
	g_autoptr(GByteArray) body = g_byte_array_new();
	for (guint i = 0; i < n; i++) {
		const guint8 get[] = {0x20, 0x00, 0x20, 0x00, 0x28, 0x02};
		g_byte_array_append(body, get, sizeof(get));
		wasm_put_u32(body, (i % 1000) * 4);
		wasm_put_byte(body, 0x41);
		wasm_put_s64(body, i);
		wasm_put_byte(body, 0x6c);
		wasm_put_byte(body, 0x36);
		wasm_put_byte(body, 0x02);
		wasm_put_u32(body, (i % 997) * 4);
	}
	return wasm_simple_module(locals, body->data, body->len, 1);
}

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

static void test_timeout(Fixture *f, gconstpointer data)
{
	g_autoptr(GBytes) module = slow_module(20000);
	f->config.compile_timeout = 1;
	gint64 start = g_get_monotonic_time();
	assert_translate_fails(&f->config, module, ZVM_TRANSLATE_ERROR, ZVM_TRANSLATE_ERROR_LIMIT,
			       "translation failed: the compiler ran past the 1 s limit");
	double elapsed = (double)(g_get_monotonic_time() - start) / G_USEC_PER_SEC;
	g_test_message("compile stopped after %.3f s", elapsed);
	g_assert_cmpfloat(elapsed, <, 5.0);
	assert_no_work_dirs(f);
	/* cc1 and as died with the driver: nothing runs in the cache any more. */
	for (int i = 0; i < 100 && processes_working_in(f->cache_dir) > 0; i++)
		g_usleep(20000);
	g_assert_cmpuint(processes_working_in(f->cache_dir), ==, 0);
}

static void test_memory_limit(Fixture *f, gconstpointer data)
{
	g_autoptr(GBytes) module = slow_module(20000);
	f->config.compile_memory = 150 << 20;
	assert_translate_fails(&f->config, module, ZVM_TRANSLATE_ERROR, ZVM_TRANSLATE_ERROR_LIMIT,
			       "translation failed: cc ran out of its memory limit of 150 MiB");
	assert_no_work_dirs(f);
}

static char *make_script(const Fixture *f, const char *name, const char *body)
{
	char *path = g_build_filename(f->tools_dir, name, NULL);
	g_autofree char *text = g_strconcat("#!/bin/sh\n", body, NULL);
	g_autoptr(GError) error = NULL;
	g_file_set_contents(path, text, -1, &error);
	g_assert_no_error(error);
	g_assert_cmpint(g_chmod(path, 0755), ==, 0);
	return path;
}

static void test_output_limit(Fixture *f, gconstpointer data)
{
	g_autoptr(GBytes) module = test_checked_module("no-imports.wasm");
	g_free(f->config.cc);
	f->config.cc = make_script(f, "big-cc", "exec head -c 3000000 /dev/zero >module.so\n");
	f->config.compile_output = 1 << 20;
	g_autofree char *message = g_strdup_printf(
	    "translation failed: %s wrote more than the output limit of 1 MiB", f->config.cc);
	assert_translate_fails(&f->config, module, ZVM_TRANSLATE_ERROR, ZVM_TRANSLATE_ERROR_LIMIT,
			       message);
}

static void test_missing_tool(Fixture *f, gconstpointer data)
{
	g_autoptr(GBytes) module = test_checked_module("no-imports.wasm");
	g_free(f->config.cc);
	f->config.cc = g_strdup("/nonexistent/cc");
	assert_translate_fails(&f->config, module, ZVM_TRANSLATE_ERROR, ZVM_TRANSLATE_ERROR_TOOL,
			       "translation failed: cannot run '/nonexistent/cc': No such file or "
			       "directory (install gcc)");
	assert_no_work_dirs(f);
	g_free(f->config.wasm2c);
	f->config.wasm2c = g_strdup("no-such-wasm2c");
	assert_translate_fails(&f->config, module, ZVM_TRANSLATE_ERROR, ZVM_TRANSLATE_ERROR_TOOL,
			       "translation failed: cannot run 'no-such-wasm2c': No such file or "
			       "directory (install wabt)");
}

static void test_tool_fails(Fixture *f, gconstpointer data)
{
	g_autoptr(GBytes) module = test_checked_module("no-imports.wasm");
	g_free(f->config.cc);
	f->config.cc = make_script(f, "failing-cc",
				   "echo 'lots of noise' >&2\n"
				   "echo 'cc1: error: the compiler broke' >&2\n"
				   "exit 1\n");
	g_autofree char *message = g_strdup_printf(
	    "translation failed: %s: lots of noise\ncc1: error: the compiler broke", f->config.cc);
	assert_translate_fails(&f->config, module, ZVM_TRANSLATE_ERROR, ZVM_TRANSLATE_ERROR_TOOL,
			       message);
	assert_no_work_dirs(f);

	/* A flood of output: the message keeps the end, where the error is. */
	g_free(f->config.cc);
	f->config.cc = make_script(f, "chatty-cc",
				   "head -c 100000 /dev/zero | tr '\\0' x >&2\n"
				   "echo >&2\n"
				   "echo 'the real error' >&2\n"
				   "exit 3\n");
	g_autoptr(GError) error = NULL;
	g_autofree char *path = zvm_translate(&f->config, module, NULL, &error);
	g_assert_error(error, ZVM_TRANSLATE_ERROR, ZVM_TRANSLATE_ERROR_TOOL);
	g_assert_true(g_str_has_suffix(error->message, "xxx\nthe real error"));
	g_assert_cmpuint(strlen(error->message), <, 4 * 2048);
}

/* What the fenced spawn costs: both "tools" are true(1), so the time is two fenced
 * fork+exec+wait, the work dir and its removal. */
static void test_spawn_cost(Fixture *f, gconstpointer data)
{
	g_autoptr(GBytes) module = test_checked_module("no-imports.wasm");
	g_free(f->config.cc);
	g_free(f->config.wasm2c);
	f->config.cc = g_strdup("true");
	f->config.wasm2c = g_strdup("true");
	const int runs = 20;
	assert_translate_fails(&f->config, module, ZVM_TRANSLATE_ERROR, ZVM_TRANSLATE_ERROR_TOOL,
			       "translation failed: true produced no module.so");
	gint64 start = g_get_monotonic_time();
	for (int i = 0; i < runs; i++)
		assert_translate_fails(&f->config, module, ZVM_TRANSLATE_ERROR,
				       ZVM_TRANSLATE_ERROR_TOOL, NULL);
	double fenced = (double)(g_get_monotonic_time() - start) / runs / 1000.0;

	const char *argv[] = {"true", NULL};
	start = g_get_monotonic_time();
	for (int i = 0; i < runs; i++)
		g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL,
					   NULL, NULL, NULL, NULL, NULL));
	double plain = (double)(g_get_monotonic_time() - start) / runs / 1000.0;
	g_test_message("two fenced tool runs with work dir: %.2f ms; one plain g_spawn_sync: "
		       "%.2f ms",
		       fenced, plain);
	assert_no_work_dirs(f);
}

static void test_drop_privileges(Fixture *f, gconstpointer data)
{
	if (geteuid() != 0) {
		g_test_skip("needs root to switch to nobody");
		return;
	}
	struct passwd *nobody = getpwnam("nobody");
	if (nobody == NULL) {
		g_test_skip("no user nobody");
		return;
	}
	/* The tools run as the compile user, never as the runner's (here daemon's, uid 1). */
	f->config.drop_privileges = TRUE;
	f->config.uid = 1;
	f->config.gid = 1;
	f->config.compile_uid = nobody->pw_uid;
	f->config.compile_gid = nobody->pw_gid;
	g_autoptr(GBytes) module = test_checked_module("hello.wasm");
	gboolean cached;
	g_autofree char *path = translate_ok(&f->config, module, &cached, NULL);
	g_assert_false(cached);
	assert_glue_symbols(path);
	g_autofree char *lock = lock_of(path);
	struct stat so_st, lock_st;
	g_assert_cmpint(g_lstat(path, &so_st), ==, 0);
	g_assert_cmpint(g_lstat(lock, &lock_st), ==, 0);
	g_assert_cmpuint(so_st.st_uid, ==, 0);
	g_assert_cmpuint(lock_st.st_uid, ==, 0);
	g_assert_cmpint(so_st.st_mode & 07777, ==, 0600);
	assert_no_work_dirs(f);

	/* The tools really run as nobody. */
	g_assert_cmpint(g_chmod(f->tools_dir, 0755), ==, 0);
	g_free(f->config.cc);
	f->config.cc = make_script(f, "who-cc", "echo \"uid=$(id -u)\" >&2\nexit 1\n");
	g_autoptr(GBytes) other = test_checked_module("no-imports.wasm");
	g_autofree char *message =
	    g_strdup_printf("translation failed: %s: uid=%u", f->config.cc, nobody->pw_uid);
	assert_translate_fails(&f->config, other, ZVM_TRANSLATE_ERROR, ZVM_TRANSLATE_ERROR_TOOL,
			       message);
	assert_no_work_dirs(f);
}

/* Whether a child process can make a mount namespace and a tmpfs on @dir in it. */
static gboolean can_mount_privately(const char *dir)
{
	pid_t pid = fork();
	if (pid == 0)
		_exit(unshare(CLONE_NEWNS) == 0 &&
			      mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0 &&
			      mount("tmpfs", dir, "tmpfs", 0, "size=64k") == 0
			  ? 0
			  : 1);
	int status = 1;
	g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* Publishing into a full filesystem; the work dirs live on another, so the compile works. */
static void test_no_space(Fixture *f, gconstpointer data)
{
	if (!g_test_subprocess()) {
		if (geteuid() != 0) {
			g_test_skip("needs root to mount a small tmpfs");
			return;
		}
		if (!can_mount_privately(f->cache_dir)) {
			g_test_skip("cannot mount a tmpfs in a mount namespace");
			return;
		}
		g_test_trap_subprocess(NULL, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
		g_test_trap_assert_passed();
		g_test_trap_assert_stdout("*published nothing*");
		return;
	}
	g_autofree char *tmp = g_build_filename(f->cache_dir, "tmp", NULL);
	if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount("tmpfs", f->cache_dir, "tmpfs", 0, "size=128k") < 0 || g_mkdir(tmp, 0711) < 0 ||
	    mount("tmpfs", tmp, "tmpfs", 0, "size=64m") < 0)
		g_error("cannot mount the small cache: %s", g_strerror(errno));
	g_autofree char *filler = g_build_filename(f->cache_dir, "filler", NULL);
	int fd = open(filler, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	char block[4096] = {0};
	while (write(fd, block, sizeof(block)) > 0)
		;
	g_assert_cmpint(errno, ==, ENOSPC);
	close(fd);

	g_autoptr(GBytes) module = test_checked_module("no-imports.wasm");
	g_autoptr(GError) error = NULL;
	g_autofree char *path = zvm_translate(&f->config, module, NULL, &error);
	g_assert_null(path);
	g_assert_error(error, ZVM_TRANSLATE_ERROR, ZVM_TRANSLATE_ERROR_CACHE);
	g_assert_nonnull(strstr(error->message, "no space left"));
	g_test_message("%s", error->message);
	assert_no_work_dirs(f);
	g_autoptr(GDir) dir = g_dir_open(f->cache_dir, 0, NULL);
	for (const char *name; (name = g_dir_read_name(dir)) != NULL;)
		g_assert_null(strstr(name, ".so"));
	g_print("published nothing\n");
	umount2(tmp, MNT_DETACH);
	umount2(f->cache_dir, MNT_DETACH);
}

typedef struct {
	guint calls, last_done, last_total;
	gboolean in_order;
} Progress;

static void record_progress(guint done, guint total, gpointer user_data)
{
	Progress *progress = user_data;
	progress->in_order &= progress->calls == 0 ? done == 0 : done == progress->last_done + 1;
	progress->calls++;
	progress->last_done = done;
	progress->last_total = total;
}

/* A module's C above compile_split_bytes is compiled as units, at most compile_jobs at once,
 * reported unit by unit, and linked into a working object; under another key than whole. */
static void test_split(Fixture *f, gconstpointer data)
{
	g_autoptr(GBytes) module = test_checked_module("hello.wasm");
	g_autofree char *whole_key = zvm_translate_key(&f->config, module);
	g_autofree char *log = g_build_filename(f->tools_dir, "cc.log", NULL);
	g_autofree char *body = g_strdup_printf("echo \"$*\" >>%s\nexec cc \"$@\"\n", log);
	g_free(f->config.cc);
	f->config.cc = make_script(f, "logging-cc", body);
	f->config.compile_split_bytes = 1024;
	f->config.compile_jobs = 2;
	g_autofree char *split_key = zvm_translate_key(&f->config, module);
	g_assert_cmpstr(split_key, !=, whole_key);

	Progress progress = {.in_order = TRUE};
	const ZvmTranslateProgress report = {record_progress, &progress};
	g_autoptr(GError) error = NULL;
	gboolean cached = TRUE;
	g_autofree char *path =
	    zvm_translate_with_progress(&f->config, module, &report, &cached, &error);
	g_assert_no_error(error);
	g_assert_false(cached);
	assert_glue_symbols(path);
	assert_no_work_dirs(f);
	g_assert_cmpuint(progress.last_total, >=, 3);
	g_assert_cmpuint(progress.last_done, ==, progress.last_total);
	g_assert_cmpuint(progress.calls, ==, progress.last_total + 1);
	g_assert_true(progress.in_order);

	g_autofree char *text = NULL;
	g_assert_true(g_file_get_contents(log, &text, NULL, NULL));
	/* After the cache key's probe of the compiler's version. */
	g_auto(GStrv) all = g_strsplit(g_strchomp(text), "\n", -1);
	g_assert_cmpstr(all[0], ==, "--version");
	char **lines = all + 1;
	g_assert_cmpuint(g_strv_length(lines), ==, progress.last_total + 1);
	for (guint i = 0; lines[i] != NULL; i++) {
		gboolean link = lines[i + 1] == NULL;
		g_assert_nonnull(strstr(lines[i], "-O2 -fPIC -ffp-contract=off -fno-fast-math"));
		g_assert_nonnull(
		    strstr(lines[i], link ? "-shared -o module.so unit-0.o" : " -c unit-"));
	}
}

/* A unit that fails to compile fails the translation with the compiler's words; nothing
 * is published and nothing left. */
static void test_split_fails(Fixture *f, gconstpointer data)
{
	g_autoptr(GBytes) module = test_checked_module("hello.wasm");
	g_free(f->config.cc);
	f->config.cc =
	    make_script(f, "unit-failing-cc",
			"case \"$*\" in *unit-1.c*) echo 'unit 1 broke' >&2; exit 1;; esac\n"
			"exec cc \"$@\"\n");
	f->config.compile_split_bytes = 1024;
	f->config.compile_jobs = 1;
	g_autofree char *message =
	    g_strdup_printf("translation failed: %s: unit 1 broke", f->config.cc);
	assert_translate_fails(&f->config, module, ZVM_TRANSLATE_ERROR, ZVM_TRANSLATE_ERROR_TOOL,
			       message);
	assert_no_work_dirs(f);
	g_autofree char *key = zvm_translate_key(&f->config, module);
	g_autofree char *so = g_strdup_printf("%s/%s.so", f->cache_dir, key);
	g_assert_false(g_file_test(so, G_FILE_TEST_EXISTS));
}

static guint count_lines(const char *path, const char *needle)
{
	g_autofree char *text = NULL;
	g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
	guint n = 0;
	for (const char *p = text; (p = strstr(p, needle)) != NULL; p += strlen(needle))
		n++;
	return n;
}

/* A module cut in units is compiled by compile_fast_cc -O0 first, under a key of its own;
 * cc -O2 compiles the same units (not cut again) in the background and is then what the cache
 * returns. A first-tier hit without the optimized object starts its compile again. */
static void test_tiers(Fixture *f, gconstpointer data)
{
	g_autofree char *clang = g_find_program_in_path("clang");
	if (clang == NULL) {
		g_test_skip("no clang: the first tier falls back to cc (translate/tiers/fallback)");
		return;
	}
	g_autoptr(GBytes) module = test_checked_module("hello.wasm");
	g_autofree char *cc_log = g_build_filename(f->tools_dir, "cc.log", NULL);
	g_autofree char *fast_log = g_build_filename(f->tools_dir, "fast.log", NULL);
	g_autofree char *cc_body = g_strdup_printf("echo \"$*\" >>%s\nexec cc \"$@\"\n", cc_log);
	g_autofree char *fast_body =
	    g_strdup_printf("echo \"$*\" >>%s\nexec clang \"$@\"\n", fast_log);
	g_free(f->config.cc);
	f->config.cc = make_script(f, "logging-cc", cc_body);
	f->config.compile_fast_cc = make_script(f, "logging-clang", fast_body);
	f->config.compile_split_bytes = 1024;
	f->config.compile_jobs = 2;
	g_autofree char *key = zvm_translate_key(&f->config, module);
	g_autofree char *optimized = g_strdup_printf("%s/%s.so", f->cache_dir, key);

	Progress progress = {.in_order = TRUE};
	const ZvmTranslateProgress report = {record_progress, &progress};
	g_autoptr(GError) error = NULL;
	gboolean cached = TRUE;
	g_autofree char *first =
	    zvm_translate_with_progress(&f->config, module, &report, &cached, &error);
	g_assert_no_error(error);
	g_assert_false(cached);
	g_assert_cmpstr(first, !=, optimized);
	assert_glue_symbols(first);
	guint units = progress.last_total;
	g_assert_cmpuint(units, >=, 3);
	g_assert_cmpuint(count_lines(fast_log, "-O0 -fPIC"), ==, units + 1);

	zvm_translate_wait_optimized();
	assert_no_work_dirs(f);
	g_assert_true(g_file_test(optimized, G_FILE_TEST_IS_REGULAR));
	assert_glue_symbols(optimized);
	/* The units of the first tier, compiled again: no second cut, same count. */
	g_assert_cmpuint(count_lines(cc_log, " -c unit-"), ==, units);
	g_assert_cmpuint(count_lines(cc_log, "-O2 -fPIC"), ==, units + 1);
	g_autofree char *second = translate_ok(&f->config, module, &cached, NULL);
	g_assert_true(cached);
	g_assert_cmpstr(second, ==, optimized);

	/* The optimized object gone, the first tier's serves and the optimized compile is
	 * started again, from the module. */
	g_assert_cmpint(unlink(optimized), ==, 0);
	g_autofree char *third = translate_ok(&f->config, module, &cached, NULL);
	g_assert_true(cached);
	g_assert_cmpstr(third, ==, first);
	zvm_translate_wait_optimized();
	g_assert_true(g_file_test(optimized, G_FILE_TEST_IS_REGULAR));
	g_assert_cmpuint(count_lines(cc_log, " -c unit-"), ==, 2 * units);
	assert_no_work_dirs(f);
}

/* A first-tier compiler that cannot run leaves its units to cc -O2, synchronously: the object
 * returned is the optimized one. */
static void test_tiers_fallback(Fixture *f, gconstpointer data)
{
	g_autoptr(GBytes) module = test_checked_module("hello.wasm");
	f->config.compile_fast_cc = g_build_filename(f->tools_dir, "no-such-clang", NULL);
	f->config.compile_split_bytes = 1024;
	g_autofree char *key = zvm_translate_key(&f->config, module);
	g_autofree char *optimized = g_strdup_printf("%s/%s.so", f->cache_dir, key);
	gboolean cached = TRUE;
	g_autofree char *path = translate_ok(&f->config, module, &cached, NULL);
	g_assert_false(cached);
	g_assert_cmpstr(path, ==, optimized);
	assert_glue_symbols(path);
	zvm_translate_wait_optimized();
	assert_no_work_dirs(f);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define ADD(path, function) \
	g_test_add("/translate/" path, Fixture, NULL, fixture_setup, function, fixture_teardown)
	ADD("hello", test_hello);
	ADD("no-imports", test_no_imports);
	ADD("custom-sections", test_custom_sections);
	ADD("export-names", test_export_names);
	ADD("unchecked-module", test_unchecked_module);
	ADD("key", test_key);
	ADD("tiers", test_tiers);
	ADD("tiers/fallback", test_tiers_fallback);
	ADD("concurrent", test_concurrent);
	ADD("evict", test_evict);
	ADD("stale-cleanup", test_stale_cleanup);
	ADD("limit/timeout", test_timeout);
	ADD("limit/memory", test_memory_limit);
	ADD("limit/output", test_output_limit);
	ADD("tool/missing", test_missing_tool);
	ADD("tool/fails", test_tool_fails);
	ADD("tool/spawn-cost", test_spawn_cost);
	ADD("drop-privileges", test_drop_privileges);
	ADD("no-space", test_no_space);
	ADD("split", test_split);
	ADD("split-fails", test_split_fails);
#undef ADD
	return g_test_run();
}
