/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Bundle bounds: bytes (bombs, lying headers, sparse members), members, the archive's own size
 * on every kind of input, a full disk, and the manifest's size.
 */
#include "test-bundle.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

static guint64 tree_bytes_total;

static int tree_bytes_add(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	if (flag == FTW_F)
		tree_bytes_total += (guint64)st->st_size;
	return 0;
}

/* Bytes in the regular files below @path: what a refused bomb managed to write. */
static guint64 tree_bytes(const char *path)
{
	tree_bytes_total = 0;
	g_assert_cmpint(nftw(path, tree_bytes_add, 16, FTW_PHYS), ==, 0);
	return tree_bytes_total;
}

static void assert_bomb_stopped(GBytes *archive, const ZvmLimits *limits)
{
	g_autoptr(TestDir) dir = test_dir_new();
	g_autoptr(GError) error = NULL;
	gsize length;
	const void *data = g_bytes_get_data(archive, &length);

	g_assert_false(zvm_bundle_extract_buffer(data, length, dir->dest, limits, &error));
	g_assert_error(error, ZVM_BUNDLE_ERROR, ZVM_BUNDLE_ERROR_TOO_LARGE);
	g_assert_cmpstr(error->message, ==, "bundle: contents over the 1 MiB maximum");
	g_assert_cmpuint(tree_bytes(dir->dest), <=, limits->bundle_max_bytes);
	test_dir_assert_contained(dir);
}

static void test_compression_bomb(gconstpointer data)
{
	TestTar *tar = test_tar_new(ARCHIVE_FORMAT_TAR_PAX_INTERCHANGE, GPOINTER_TO_INT(data));
	g_autoptr(GBytes) archive = NULL;
	ZvmLimits limits;

	test_tar_add_file(tar, "manifest", test_manifest_text, -1);
	test_tar_add_zeros(tar, "bomb", 64 * 1024 * 1024);
	archive = test_tar_finish(tar);
	g_assert_cmpuint(g_bytes_get_size(archive), <, 1024 * 1024);

	test_limits(&limits);
	assert_bomb_stopped(archive, &limits);
	assert_refused(archive, ZVM_BUNDLE_ERROR_TOO_LARGE,
		       "bundle: contents over the 1 MiB maximum");
}

/* Members each under the bound whose sum is over it. */
static void test_total_over(void)
{
	TestTar *tar = test_tar_new(ARCHIVE_FORMAT_TAR_USTAR, ARCHIVE_FILTER_GZIP);
	g_autoptr(GBytes) archive = NULL;

	test_tar_add_file(tar, "manifest", test_manifest_text, -1);
	test_tar_add_zeros(tar, "one", 400 * 1024);
	test_tar_add_zeros(tar, "two", 400 * 1024);
	test_tar_add_zeros(tar, "three", 400 * 1024);
	archive = test_tar_finish(tar);
	assert_refused(archive, ZVM_BUNDLE_ERROR_TOO_LARGE,
		       "bundle: contents over the 1 MiB maximum");
}

/*
 * A header that under-states its data: libarchive reports the pax realsize (1 byte) as the
 * size but hands out all 2 MiB. Only counting the bytes really written stops it.
 */
static void test_lying_header(void)
{
	GByteArray *raw = g_byte_array_new();
	gsize size = 2 * 1024 * 1024;
	g_autofree char *data = g_malloc0(size);
	g_autoptr(GBytes) archive = NULL;
	ZvmLimits limits;

	test_raw_add(raw, "manifest", '0', strlen(test_manifest_text), test_manifest_text,
		     strlen(test_manifest_text));
	test_raw_add_pax(raw, "SCHILY.realsize", "1");
	test_raw_add(raw, "big", '0', size, data, size);
	archive = test_raw_finish(raw);

	test_limits(&limits);
	assert_bomb_stopped(archive, &limits);
	assert_refused(archive, ZVM_BUNDLE_ERROR_TOO_LARGE,
		       "bundle: contents over the 1 MiB maximum");
}

/* Sizes no data backs: refused from the header alone, before any byte is looked for. */
static void test_huge_header_size(void)
{
	static const struct {
		char type;
		guint64 size;
	} cases[] = {
	    {'0', G_GUINT64_CONSTANT(077777777777)}, /* 8 GiB - 1 in octal */
	    {'0', G_GUINT64_CONSTANT(1) << 50},	     /* 1 PiB in base-256 */
	    {'D', 2 * 1024 * 1024},		     /* a GNU dumpdir "directory" */
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		GByteArray *raw = g_byte_array_new();
		g_autoptr(GBytes) archive = NULL;

		test_raw_add(raw, "manifest", '0', strlen(test_manifest_text), test_manifest_text,
			     strlen(test_manifest_text));
		test_raw_add(raw, "huge", cases[i].type, cases[i].size, NULL, 0);
		archive = test_raw_finish(raw);
		assert_refused(archive, ZVM_BUNDLE_ERROR_TOO_LARGE,
			       "bundle: contents over the 1 MiB maximum");
	}
}

static void test_sparse(void)
{
	TestTar *tar = test_tar_new(ARCHIVE_FORMAT_TAR_PAX_INTERCHANGE, ARCHIVE_FILTER_NONE);
	struct archive_entry *entry = archive_entry_new();
	g_autoptr(GBytes) archive = NULL;
	la_int64_t size = (la_int64_t)1 << 40;

	test_tar_add_file(tar, "manifest", test_manifest_text, -1);
	archive_entry_copy_pathname(entry, "sparse");
	archive_entry_set_filetype(entry, AE_IFREG);
	archive_entry_set_perm(entry, 0644);
	archive_entry_set_size(entry, size);
	archive_entry_sparse_add_entry(entry, 0, 4);
	archive_entry_sparse_add_entry(entry, size - 4, 4);
	test_tar_add_entry(tar, entry, "headtail", 8);
	archive_entry_free(entry);
	archive = test_tar_finish(tar);
	assert_refused(archive, ZVM_BUNDLE_ERROR_UNSAFE,
		       "bundle: member 'sparse' is a sparse file; sparse members are not "
		       "supported");
}

static GBytes *many_members(guint count, gboolean directories)
{
	TestTar *tar = test_tar_new(ARCHIVE_FORMAT_TAR_USTAR, ARCHIVE_FILTER_GZIP);

	test_tar_add_file(tar, "manifest", test_manifest_text, -1);
	for (guint i = 1; i < count; i++) {
		g_autofree char *name = g_strdup_printf("m%u", i);

		if (directories)
			test_tar_add_dir(tar, name);
		else
			test_tar_add_file(tar, name, "", 0);
	}
	return test_tar_finish(tar);
}

static void test_member_bomb(void)
{
	g_autoptr(GBytes) at_bound = many_members(64, FALSE);
	g_autoptr(GBytes) over_files = many_members(65, FALSE);
	g_autoptr(GBytes) over_dirs = many_members(65, TRUE);
	g_autoptr(GBytes) bomb = many_members(100000, FALSE);
	g_autoptr(TestDir) dir = NULL;
	ZvmLimits limits;

	test_limits(&limits);
	dir = assert_extracts(at_bound, &limits);
	assert_file(dir->dest, "m63", "", 0);
	assert_refused(over_files, ZVM_BUNDLE_ERROR_TOO_LARGE, "bundle: more than 64 members");
	assert_refused(over_dirs, ZVM_BUNDLE_ERROR_TOO_LARGE, "bundle: more than 64 members");
	assert_refused(bomb, ZVM_BUNDLE_ERROR_TOO_LARGE, "bundle: more than 64 members");
}

/* About 100 KiB of tar that gzip cannot shrink much, for the archive-size bound. */
static GBytes *incompressible_bundle(gsize size)
{
	TestTar *tar = test_tar_new(ARCHIVE_FORMAT_TAR_USTAR, ARCHIVE_FILTER_NONE);
	g_autoptr(GRand) rand = g_rand_new_with_seed(42);
	g_autofree char *data = g_malloc(size);

	for (gsize i = 0; i < size; i++)
		data[i] = (char)g_rand_int_range(rand, 0, 256);
	test_tar_add_file(tar, "manifest", test_manifest_text, -1);
	test_tar_add_file(tar, "data", data, (gssize)size);
	return test_tar_finish(tar);
}

static void test_archive_size(void)
{
	g_autoptr(GBytes) archive = incompressible_bundle(100 * 1024);
	ZvmLimits limits;

	test_limits(&limits);
	limits.bundle_max_archive = 64 * 1024;
	assert_refused_with(archive, &limits, ZVM_BUNDLE_ERROR_TOO_LARGE,
			    "bundle: the archive is over the 64 KiB maximum");
}

/* The descriptor is read from where it stands: bytes before it are not the archive's. */
static void test_archive_at_offset(void)
{
	g_autoptr(GBytes) archive = incompressible_bundle(50 * 1024);
	g_autoptr(GByteArray) file = g_byte_array_new();
	g_autoptr(GBytes) prefixed = NULL;
	g_autoptr(TestDir) dir = test_dir_new();
	g_autoptr(GError) error = NULL;
	guint8 junk[20 * 1024];
	ZvmLimits limits;
	int fd;

	memset(junk, 'j', sizeof(junk));
	g_byte_array_append(file, junk, sizeof(junk));
	g_byte_array_append(file, g_bytes_get_data(archive, NULL),
			    (guint)g_bytes_get_size(archive));
	prefixed = g_bytes_new(file->data, file->len);
	g_assert_cmpuint(g_bytes_get_size(prefixed), >, 64 * 1024);

	test_limits(&limits);
	limits.bundle_max_archive = 64 * 1024;
	fd = test_archive_fd_at(prefixed, sizeof(junk));
	g_assert_true(zvm_bundle_extract(fd, dir->dest, &limits, &error));
	g_assert_no_error(error);
	g_assert_cmpint(close(fd), ==, 0);
	assert_file(dir->dest, "manifest", test_manifest_text, strlen(test_manifest_text));
	test_dir_assert_contained(dir);
}

typedef struct {
	int fd;
	GBytes *bytes;
} PipeWriter;

static gpointer pipe_writer_run(gpointer data)
{
	PipeWriter *writer = data;
	gsize length;
	const guint8 *bytes = g_bytes_get_data(writer->bytes, &length);

	while (length > 0) {
		ssize_t n = write(writer->fd, bytes, length);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		bytes += n;
		length -= (gsize)n;
	}
	close(writer->fd);
	return NULL;
}

/* A pipe has no size to check up front: the bound must hold while reading. */
static void test_archive_size_pipe(void)
{
	g_autoptr(GBytes) archive = incompressible_bundle(300 * 1024);
	g_autoptr(TestDir) dir = test_dir_new();
	g_autoptr(GError) error = NULL;
	PipeWriter writer;
	GThread *thread;
	ZvmLimits limits;
	int fds[2];
	gboolean ok;

	test_limits(&limits);
	limits.bundle_max_archive = 64 * 1024;
	g_assert_cmpint(pipe2(fds, O_CLOEXEC), ==, 0);
	writer.fd = fds[1];
	writer.bytes = archive;
	thread = g_thread_new("bundle-writer", pipe_writer_run, &writer);
	ok = zvm_bundle_extract(fds[0], dir->dest, &limits, &error);
	/* Closing the read end first lets a writer blocked on a full pipe see EPIPE. */
	close(fds[0]);
	g_thread_join(thread);

	g_assert_false(ok);
	g_assert_error(error, ZVM_BUNDLE_ERROR, ZVM_BUNDLE_ERROR_TOO_LARGE);
	g_assert_cmpstr(error->message, ==, "bundle: the archive is over the 64 KiB maximum");
	test_dir_assert_contained(dir);
}

static void test_no_space(void)
{
	TestTar *tar = test_tar_new(ARCHIVE_FORMAT_TAR_USTAR, ARCHIVE_FILTER_GZIP);
	g_autoptr(GBytes) archive = NULL;
	g_autoptr(TestDir) dir = test_dir_new();
	g_autoptr(GError) error = NULL;
	ZvmLimits limits;
	gboolean ok;
	int unmounted;

	if (geteuid() != 0) {
		g_test_skip("mounting a small tmpfs needs root");
		return;
	}
	if (mount("zvm-bundle-test", dir->dest, "tmpfs", MS_NOSUID | MS_NODEV, "size=1m") != 0) {
		g_test_skip("cannot mount a tmpfs here");
		return;
	}
	test_tar_add_file(tar, "manifest", test_manifest_text, -1);
	test_tar_add_zeros(tar, "big", 2 * 1024 * 1024);
	archive = test_tar_finish(tar);
	test_limits(&limits);
	limits.bundle_max_bytes = 8 * 1024 * 1024;

	ok = zvm_bundle_extract_buffer(g_bytes_get_data(archive, NULL), g_bytes_get_size(archive),
				       dir->dest, &limits, &error);
	/* Unmount before any assertion, so a failing test leaves no mount behind. */
	unmounted = umount2(dir->dest, MNT_DETACH);

	g_assert_cmpint(unmounted, ==, 0);
	g_assert_false(ok);
	g_assert_error(error, ZVM_BUNDLE_ERROR, ZVM_BUNDLE_ERROR_IO);
	g_assert_cmpstr(error->message, ==, "bundle: no space left writing member 'big'");
	test_dir_assert_contained(dir);
}

static void test_manifest_size(void)
{
	g_autoptr(TestDir) dir = test_dir_new();
	g_autoptr(GError) error = NULL;
	g_autofree char *path = g_build_filename(dir->dest, "manifest", NULL);
	g_autofree char *at_bound = g_strnfill(512 * 1024, 'm');
	g_autofree char *over = g_strnfill(512 * 1024 + 1, 'm');
	g_autofree char *text = NULL;
	gsize length = 0;

	g_assert_true(g_file_set_contents(path, at_bound, -1, NULL));
	text = zvm_bundle_read_manifest(dir->dest, &length, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(length, ==, 512 * 1024);
	g_assert_cmpstr(text, ==, at_bound);
	g_clear_pointer(&text, g_free);

	g_assert_true(g_file_set_contents(path, over, -1, NULL));
	text = zvm_bundle_read_manifest(dir->dest, &length, &error);
	g_assert_null(text);
	g_assert_error(error, ZVM_BUNDLE_ERROR, ZVM_BUNDLE_ERROR_TOO_LARGE);
	g_assert_cmpstr(error->message, ==, "bundle: manifest is over 512 KiB");
}

void test_bundle_add_limit_tests(void)
{
	g_test_add_data_func("/bundle/limits/bomb-gzip", GINT_TO_POINTER(ARCHIVE_FILTER_GZIP),
			     test_compression_bomb);
	g_test_add_data_func("/bundle/limits/bomb-xz", GINT_TO_POINTER(ARCHIVE_FILTER_XZ),
			     test_compression_bomb);
	g_test_add_data_func("/bundle/limits/bomb-zstd", GINT_TO_POINTER(ARCHIVE_FILTER_ZSTD),
			     test_compression_bomb);
	g_test_add_func("/bundle/limits/total", test_total_over);
	g_test_add_func("/bundle/limits/lying-header", test_lying_header);
	g_test_add_func("/bundle/limits/huge-header-size", test_huge_header_size);
	g_test_add_func("/bundle/limits/sparse", test_sparse);
	g_test_add_func("/bundle/limits/members", test_member_bomb);
	g_test_add_func("/bundle/limits/archive-size", test_archive_size);
	g_test_add_func("/bundle/limits/archive-at-offset", test_archive_at_offset);
	g_test_add_func("/bundle/limits/archive-size-pipe", test_archive_size_pipe);
	g_test_add_func("/bundle/limits/no-space", test_no_space);
	g_test_add_func("/bundle/limits/manifest-size", test_manifest_size);
}
