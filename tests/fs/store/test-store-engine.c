/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The store and the scheduler over the real engine and bundle reader, without a mount:
 * images/hello.tar and the system map job images/wordcount.tar run to done; the real
 * manifest parser's and bundle reader's refusals become rejected jobs with the right error;
 * a spinning program is killed. Skips when the images or the sandbox helper are not built.
 */
#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "../../../channels/bundle.h"
#include "../../../fs/store/scheduler.h"
#include "../../../fs/common/state-file.h"
#include "../../../fs/store/store.h"

typedef struct {
	char *dir;
	ZvmLimits limits;
	ZvmSandboxConfig sandbox;
	ZvmStore *store;
	ZvmScheduler *scheduler;
} Fixture;

static char *build_path(const char *relative)
{
	const char *build = g_getenv("ZVM_BUILD_DIR");
	return build ? g_build_filename(build, relative, NULL) : NULL;
}

static gboolean skip_unless(const char *relative)
{
	g_autofree char *path = build_path(relative);
	if (path && g_file_test(path, G_FILE_TEST_EXISTS))
		return FALSE;
	g_test_skip("not built: ZVM_BUILD_DIR/"
		    "images, tests/engine or sandbox");
	return TRUE;
}

static void setup(Fixture *f, gconstpointer data)
{
	if (skip_unless("sandbox/zvm-sandbox"))
		return;
	f->dir = g_dir_make_tmp("zvm-store-engine-XXXXXX", NULL);
	g_assert_cmpint(g_chmod(f->dir, 0755), ==, 0); /* the sandbox user reads the cache */
	zvm_limits_init(&f->limits);
	zvm_sandbox_config_init(&f->sandbox);
	g_free(f->sandbox.user);
	f->sandbox.user = g_strdup("nobody");
	g_free(f->sandbox.cache_dir);
	f->sandbox.cache_dir = g_build_filename(f->dir, "cache", NULL);
	g_free(f->sandbox.sandbox_helper);
	f->sandbox.sandbox_helper = build_path("sandbox/zvm-sandbox");
	g_autoptr(GError) error = NULL;
	g_assert_true(zvm_sandbox_config_resolve(&f->sandbox, &error));
	g_autofree char *state = g_build_filename(f->dir, "state", NULL);
	f->store = zvm_store_open(state, &zvm_engine_ops, &f->limits, &f->sandbox, NULL, &error);
	g_assert_no_error(error);
	ZvmSchedulerOptions options = {.workers = 2, .queue_length = 16, .watch_interval_ms = 50};
	f->scheduler = zvm_scheduler_new(f->store, &f->limits, &f->sandbox, &options);
	zvm_scheduler_start(f->scheduler);
}

static void teardown(Fixture *f, gconstpointer data)
{
	if (f->dir == NULL)
		return;
	zvm_scheduler_free(f->scheduler);
	zvm_store_free(f->store);
	zvm_sandbox_config_clear(&f->sandbox);
	g_assert_true(zvm_state_remove_tree(f->dir, NULL));
	g_free(f->dir);
}

/* A staging file with a tar of the NULL-terminated name, content pairs. */
static int make_bundle(Fixture *f, const char *first_name, ...)
{
	int fd = zvm_store_open_staging(f->store, NULL);
	g_assert_cmpint(fd, >=, 0);
	struct archive *a = archive_write_new();
	archive_write_set_format_ustar(a);
	g_assert_cmpint(archive_write_open_fd(a, fd), ==, ARCHIVE_OK);
	va_list args;
	va_start(args, first_name);
	for (const char *name = first_name; name; name = va_arg(args, const char *)) {
		const GBytes *content = va_arg(args, const GBytes *);
		gsize size;
		const void *bytes = g_bytes_get_data((GBytes *)content, &size);
		struct archive_entry *entry = archive_entry_new();
		archive_entry_set_pathname(entry, name);
		archive_entry_set_filetype(entry, AE_IFREG);
		archive_entry_set_perm(entry, 0644);
		archive_entry_set_size(entry, (la_int64_t)size);
		g_assert_cmpint(archive_write_header(a, entry), ==, ARCHIVE_OK);
		g_assert_cmpint(archive_write_data(a, bytes, size), ==, (la_ssize_t)size);
		archive_entry_free(entry);
	}
	va_end(args);
	archive_write_close(a);
	archive_write_free(a);
	return fd;
}

static GBytes *text(const char *s)
{
	return g_bytes_new_static(s, strlen(s));
}

static GBytes *file_bytes(const char *relative)
{
	g_autofree char *path = build_path(relative);
	g_autofree char *contents = NULL;
	gsize length;
	g_assert_true(g_file_get_contents(path, &contents, &length, NULL));
	return g_bytes_new_take(g_steal_pointer(&contents), length);
}

static ZvmStoreState state_of(Fixture *f, guint64 id)
{
	g_autoptr(ZvmStoreJob) job = zvm_store_lookup(f->store, id);
	ZvmJobInfo info;
	zvm_store_job_get_info(job, &info);
	return info.state;
}

static void wait_for(Fixture *f, guint64 id, ZvmStoreState state)
{
	for (int i = 0; i < 1800 && state_of(f, id) != state; i++) {
		if (zvm_store_state_is_ended(state_of(f, id)))
			break; /* ended otherwise: no use waiting */
		g_usleep(100000);
	}
	g_assert_cmpstr(zvm_store_state_to_string(state_of(f, id)), ==,
			zvm_store_state_to_string(state));
}

static char *job_text(Fixture *f, guint64 id, const char *relative)
{
	g_autoptr(ZvmStoreJob) job = zvm_store_lookup(f->store, id);
	g_autofree char *path = zvm_store_job_path(job, relative);
	char *contents = NULL;
	g_assert_true(g_file_get_contents(path, &contents, NULL, NULL));
	return contents;
}

static void test_hello(Fixture *f, gconstpointer data)
{
	if (f->dir == NULL || skip_unless("images/hello.tar"))
		return;
	g_autofree char *path = build_path("images/hello.tar");
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	guint64 id = 0;
	g_autoptr(GError) error = NULL;
	g_assert_true(zvm_scheduler_submit(f->scheduler, fd, "hello.tar", 0, 0, &id, &error));
	close(fd);
	g_assert_no_error(error);
	wait_for(f, id, ZVM_STORE_STATE_DONE);
	g_autofree char *out = job_text(f, id, "out/stdout");
	g_assert_cmpstr(out, ==, "hello, world\n");
	g_autofree char *report = job_text(f, id, "report");
	g_auto(GStrv) lines = g_strsplit(report, "\n", -1);
	g_assert_cmpuint(g_strv_length(lines), ==, 7);
	g_assert_cmpstr(lines[5], ==, "ok");
	g_autofree char *accounting = job_text(f, id, "accounting");
	g_auto(GStrv) fields = g_strsplit(g_strstrip(accounting), " ", -1);
	g_assert_cmpuint(g_strv_length(fields), ==, 10);
}

/* The engine's view of a system map job: its width, node names and per-node outputs; then
 * the scheduler runs it to done with the nodes in its status. */
static void test_pipeline(Fixture *f, gconstpointer data)
{
	if (f->dir == NULL || skip_unless("images/wordcount.tar"))
		return;
	g_autofree char *path = build_path("images/wordcount.tar");
	g_autofree char *extracted = g_build_filename(f->dir, "wordcount", NULL);
	g_assert_cmpint(g_mkdir(extracted, 0755), ==, 0);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	g_autoptr(GError) error = NULL;
	g_assert_true(zvm_bundle_extract(fd, extracted, &f->limits, &error));
	close(fd);
	g_autoptr(ZvmJob) job = zvm_job_open(extracted, &f->limits, &f->sandbox, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(zvm_job_get_width(job), ==, 8);
	g_autofree char *nodes = g_strjoinv(" ", (char **)zvm_job_get_nodes(job));
	g_assert_cmpstr(nodes, ==,
			"mapfox mapledger mapriver mapsandbox reducer-1 reducer-2 reducer-3 "
			"collector");
	const char *const *outputs = zvm_job_get_outputs(job);
	g_assert_cmpuint(g_strv_length((char **)outputs), ==, 32);
	g_assert_cmpstr(outputs[0], ==, "mapfox/stdout");
	g_assert_cmpstr(outputs[1], ==, "mapfox/stderr");
	g_assert_cmpstr(outputs[2], ==, "mapfox/report");
	g_assert_cmpstr(outputs[3], ==, "mapfox/accounting");
	g_assert_cmpstr(outputs[31], ==, "collector/accounting");

	fd = open(path, O_RDONLY | O_CLOEXEC);
	guint64 id = 0;
	g_assert_true(zvm_scheduler_submit(f->scheduler, fd, "wordcount.tar", 0, 0, &id, &error));
	close(fd);
	g_assert_no_error(error);
	wait_for(f, id, ZVM_STORE_STATE_DONE);
	g_autofree char *counts = job_text(f, id, "out/collector/stdout");
	g_assert_true(g_str_has_prefix(counts, "6 a\n"));
	g_autofree char *report = job_text(f, id, "report");
	g_assert_true(g_str_has_suffix(report, "\nok\n"));
	g_autofree char *node_report = job_text(f, id, "out/reducer-3/report");
	g_assert_true(g_str_has_suffix(node_report, "\nok\n"));
	g_autoptr(ZvmStoreJob) stored = zvm_store_lookup(f->store, id);
	g_autofree char *status = zvm_store_job_render_status(stored);
	g_assert_nonnull(strstr(status, "\nnodes 8\n"));
}

static void test_refusals(Fixture *f, gconstpointer data)
{
	if (f->dir == NULL)
		return;
	g_autoptr(GBytes) manifest = text("Version = 20130611\nProgram = p.nexe\n"
					  "Memory = 68719476736,0\nTimeout = 10\n");
	g_autoptr(GBytes) program = text("\0asm");
	int fd = make_bundle(f, "manifest", manifest, "p.nexe", program, NULL);
	guint64 id = 0;
	g_autoptr(GError) error = NULL;
	g_assert_false(zvm_scheduler_submit(f->scheduler, fd, "big.tar", 0, 0, &id, &error));
	close(fd);
	g_assert_error(error, ZVM_STORE_ERROR, ZVM_STORE_ERROR_INVALID);
	g_assert_true(g_str_has_prefix(error->message, "MANIFEST 3: "));
	g_assert_cmpint(state_of(f, id), ==, ZVM_STORE_STATE_REJECTED);
	g_clear_error(&error);

	g_autoptr(GBytes) evil = text("x");
	fd = make_bundle(f, "manifest", manifest, "../escape", evil, NULL);
	g_assert_false(zvm_scheduler_submit(f->scheduler, fd, "evil.tar", 0, 0, &id, &error));
	close(fd);
	g_assert_error(error, ZVM_STORE_ERROR, ZVM_STORE_ERROR_INVALID);
	g_assert_nonnull(strstr(error->message, "../escape"));
	g_assert_cmpint(state_of(f, id), ==, ZVM_STORE_STATE_REJECTED);
	g_clear_error(&error);

	/* The manifest names a program the bundle does not hold. */
	g_autoptr(GBytes) missing = text("Version = 20130611\nProgram = absent.nexe\n"
					 "Memory = 67108864,0\nTimeout = 10\n");
	fd = make_bundle(f, "manifest", missing, NULL);
	g_assert_false(zvm_scheduler_submit(f->scheduler, fd, "missing.tar", 0, 0, &id, &error));
	close(fd);
	g_assert_error(error, ZVM_STORE_ERROR, ZVM_STORE_ERROR_INVALID);
	g_assert_nonnull(strstr(error->message, "absent.nexe"));
}

static void test_kill(Fixture *f, gconstpointer data)
{
	if (f->dir == NULL || skip_unless("tests/engine/spin.nexe"))
		return;
	g_autoptr(GBytes) manifest =
	    text("Version = 20130611\nProgram = spin.nexe\nMemory = 67108864,0\nTimeout = 60\n"
		 "Channel = /dev/null,/dev/stdin,0,0,16,1024,0,0\n"
		 "Channel = stdout,/dev/stdout,0,0,0,0,1024,65536\n"
		 "Channel = stderr,/dev/stderr,0,0,0,0,1024,65536\n");
	g_autoptr(GBytes) spin = file_bytes("tests/engine/spin.nexe");
	int fd = make_bundle(f, "manifest", manifest, "spin.nexe", spin, NULL);
	guint64 id = 0;
	g_autoptr(GError) error = NULL;
	g_assert_true(zvm_scheduler_submit(f->scheduler, fd, "spin.tar", 0, 0, &id, &error));
	close(fd);
	wait_for(f, id, ZVM_STORE_STATE_RUNNING);
	g_usleep(300000);
	g_assert_true(zvm_scheduler_kill(f->scheduler, id, &error));
	wait_for(f, id, ZVM_STORE_STATE_KILLED);
	g_autofree char *report = job_text(f, id, "report");
	g_assert_true(g_str_has_suffix(report, "\nkilled\n"));
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add("/store-engine/hello", Fixture, NULL, setup, test_hello, teardown);
	g_test_add("/store-engine/refusals", Fixture, NULL, setup, test_refusals, teardown);
	g_test_add("/store-engine/kill", Fixture, NULL, setup, test_kill, teardown);
	g_test_add("/store-engine/pipeline", Fixture, NULL, setup, test_pipeline, teardown);
	return g_test_run();
}
