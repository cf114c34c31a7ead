/* SPDX-License-Identifier: Apache-2.0 */
/* The store tests' shared fixture (store-fixture.h). */
#include "store-fixture.h"

#include "fake-engine.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void fixture_setup(Fixture *f, gconstpointer data)
{
	f->dir = g_dir_make_tmp("zvm-store-XXXXXX", NULL);
	g_assert_nonnull(f->dir);
	/* The store extracts bundles with the real reader (channels/bundle.h): its defaults. */
	zvm_limits_init(&f->limits);
	f->limits.bundle_max_bytes = 1 << 20;
	f->limits.bundle_max_archive = 1 << 20;
	f->sandbox = (ZvmSandboxConfig){0};
	f->retention = (ZvmStoreRetention){0};
}

void fixture_teardown(Fixture *f, gconstpointer data)
{
	zvm_store_free(f->store);
	g_assert_true(zvm_state_remove_tree(f->dir, NULL));
	g_free(f->dir);
}

char *state_path(Fixture *f, const char *relative)
{
	return g_build_filename(f->dir, "state", relative, NULL);
}

void open_store(Fixture *f)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *state = state_path(f, NULL);
	zvm_store_free(f->store);
	f->store = zvm_store_open(state, &zvm_fake_engine_ops, &f->limits, &f->sandbox,
				  &f->retention, &error);
	g_assert_no_error(error);
	g_assert_nonnull(f->store);
}

/* A staging file holding a tar of the NULL-terminated name, content pairs. */
int make_bundle(Fixture *f, const char *first_name, ...)
{
	g_autoptr(GError) error = NULL;
	int fd = zvm_store_open_staging(f->store, &error);
	g_assert_no_error(error);
	struct archive *a = archive_write_new();
	archive_write_set_format_pax_restricted(a);
	g_assert_cmpint(archive_write_open_fd(a, fd), ==, ARCHIVE_OK);
	va_list args;
	va_start(args, first_name);
	for (const char *name = first_name; name; name = va_arg(args, const char *)) {
		const char *content = va_arg(args, const char *);
		struct archive_entry *entry = archive_entry_new();
		archive_entry_set_pathname(entry, name);
		archive_entry_set_filetype(entry, AE_IFREG);
		archive_entry_set_perm(entry, 0644);
		archive_entry_set_size(entry, (la_int64_t)strlen(content));
		g_assert_cmpint(archive_write_header(a, entry), ==, ARCHIVE_OK);
		g_assert_cmpint(archive_write_data(a, content, strlen(content)), ==,
				(la_ssize_t)strlen(content));
		archive_entry_free(entry);
	}
	va_end(args);
	archive_write_close(a);
	archive_write_free(a);
	return fd;
}

int make_bytes(Fixture *f, const char *bytes, gsize length)
{
	int fd = zvm_store_open_staging(f->store, NULL);
	g_assert_cmpint(fd, >=, 0);
	g_assert_cmpint(write(fd, bytes, length), ==, (gssize)length);
	return fd;
}

guint64 submit_manifest(Fixture *f, const char *manifest, GError **error)
{
	int fd = make_bundle(f, "manifest", manifest, "prog.nexe", "\0asm", NULL);
	guint64 id = 0;
	zvm_store_submit(f->store, fd, "job.tar", 1000, 1000, &id, error);
	close(fd);
	return id;
}

ZvmStoreState job_state(ZvmStore *store, guint64 id)
{
	g_autoptr(ZvmStoreJob) job = zvm_store_lookup(store, id);
	g_assert_nonnull(job);
	ZvmJobInfo info;
	zvm_store_job_get_info(job, &info);
	return info.state;
}

char *read_text(const char *path)
{
	char *text = NULL;
	g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
	return text;
}

char *job_file(Fixture *f, guint64 id, const char *relative)
{
	g_autofree char *name = g_strdup_printf("jobs/%" G_GUINT64_FORMAT, id);
	g_autofree char *dir = state_path(f, name);
	return g_build_filename(dir, relative, NULL);
}

mode_t mode_of(const char *path)
{
	struct stat st;
	g_assert_cmpint(lstat(path, &st), ==, 0);
	return st.st_mode & 07777;
}
