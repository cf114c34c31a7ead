/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Tar images: the read-only tree a mount shows (served from the tar's own bytes), every
 * member zvm_image_new refuses with the member named, and its bounds.
 */
#include "test-wasi.h"

#include <archive_entry.h>
#include <string.h>

#include "bundle.h"

static const TestMember good_members[] = {
    {"README", 0, "read me\n", NULL}, {"lib/python/os.py", 0, "import sys\n", NULL},
    {"empty/", AE_IFDIR, NULL, NULL}, {"./bin/tool", 0, "#!tool", NULL},
    {"lib/", AE_IFDIR, NULL, NULL},   {"zero", 0, NULL, NULL},
    {"./", AE_IFDIR, NULL, NULL},
};

static ZvmImage *good_image(GBytes **bytes)
{
	g_autoptr(GError) error = NULL;

	*bytes = test_tar(good_members, G_N_ELEMENTS(good_members), FALSE);
	ZvmImage *image = zvm_image_new(*bytes, &error);
	g_assert_no_error(error);
	g_assert_nonnull(image);
	return image;
}

static uint32_t path_call_length(TestJob *job, const char *path)
{
	return test_put_path(job, path);
}

static void test_image_tree(void)
{
	g_autoptr(GBytes) bytes = NULL;
	g_autoptr(ZvmImage) image = good_image(&bytes);
	const ZvmWasiMount mounts[] = {{"/usr", image}, {"/opt/again", image}};
	const TestChannel std[] = {
	    {"/dev/stdin", 0, ZVM_ACCESS_READ, 1, 1, 0, 0, NULL},
	    {"/dev/stdout", 0, ZVM_ACCESS_WRITE, 0, 0, 100, 100, NULL},
	    {"/dev/stderr", 0, ZVM_ACCESS_WRITE, 0, 0, 100, 100, NULL},
	    {"/dev/input", 3, ZVM_ACCESS_READ, 1, 1, 0, 0, NULL},
	};
	const TestJobOptions options = {.mounts = mounts, .n_mounts = 2};
	TestJob *job = test_job_new_full(std, G_N_ELEMENTS(std), &options);
	Instance *in = job->instance;
	uint8_t *stat = test_mem(job, TEST_STAT);
	uint32_t fd, n;
	uint64_t position;

	/* The preopens wasi-libc finds: /dev, /usr, /opt/again. */
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_prestat_get(in, 4, TEST_STAT), ==, 0);
	g_assert_cmpuint(zvm_wasi_get_u32(stat + 4), ==, 4);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_prestat_dir_name(in, 4, TEST_BUF, 4), ==, 0);
	g_assert_cmpmem(test_mem(job, TEST_BUF), 4, "/usr", 4);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_prestat_get(in, 5, TEST_STAT), ==, 0);
	g_assert_cmpuint(zvm_wasi_get_u32(stat + 4), ==, 10);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_prestat_get(in, 6, TEST_STAT), ==,
			 ZVM_WASI_EBADF);

	/* Files read from memory, with offsets. */
	g_assert_cmpuint(test_open(job, 4, "lib/python/os.py", 0, TEST_RIGHTS_RDONLY, 0, &fd), ==,
			 0);
	g_assert_cmpuint(test_filetype(job, fd), ==, ZVM_WASI_FILETYPE_REGULAR_FILE);
	g_assert_cmpuint(test_rights(job, fd) & ZVM_WASI_RIGHT_FD_WRITE, ==, 0);
	g_assert_cmpuint(test_read(job, fd, 6, &n), ==, 0);
	g_assert_cmpmem(test_mem(job, TEST_BUF), n, "import", 6);
	g_assert_cmpuint(test_read(job, fd, 100, &n), ==, 0);
	g_assert_cmpmem(test_mem(job, TEST_BUF), n, " sys\n", 5);
	g_assert_cmpuint(test_read(job, fd, 100, &n), ==, 0);
	g_assert_cmpuint(n, ==, 0);
	g_assert_cmpuint(test_seek(job, fd, -4, ZVM_WASI_WHENCE_END, &position), ==, 0);
	g_assert_cmpuint(position, ==, 7);
	test_set_iovec(job, 0, TEST_BUF, 3);
	test_set_iovec(job, 1, TEST_BUF + 3, 3);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_pread(in, fd, TEST_IOVS, 2, 1, TEST_RESULT),
			 ==, 0);
	g_assert_cmpuint(zvm_wasi_get_u32(test_mem(job, TEST_RESULT)), ==, 6);
	g_assert_cmpmem(test_mem(job, TEST_BUF), 6, "mport ", 6);
	g_assert_cmpuint(
	    Z_wasi_snapshot_preview1Z_fd_pread(in, fd, TEST_IOVS, 2, 1000, TEST_RESULT), ==, 0);
	g_assert_cmpuint(zvm_wasi_get_u32(test_mem(job, TEST_RESULT)), ==, 0);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_tell(in, fd, TEST_RESULT), ==, 0);
	g_assert_cmpuint(zvm_wasi_get_u64(test_mem(job, TEST_RESULT)), ==, 7);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_filestat_get(in, fd, TEST_STAT), ==, 0);
	g_assert_cmpuint(zvm_wasi_get_u64(stat), ==, 2);
	g_assert_cmpuint(zvm_wasi_get_u64(stat + 32), ==, strlen("import sys\n"));
	g_assert_cmpuint(test_open(job, 4, "zero", 0, TEST_RIGHTS_RDONLY, 0, &fd), ==, 0);
	g_assert_cmpuint(test_read(job, fd, 100, &n), ==, 0);
	g_assert_cmpuint(n, ==, 0);
	/* The second mount of the same image is another device. */
	g_assert_cmpuint(test_open(job, 5, "bin/tool", 0, TEST_RIGHTS_RDONLY, 0, &fd), ==, 0);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_filestat_get(in, fd, TEST_STAT), ==, 0);
	g_assert_cmpuint(zvm_wasi_get_u64(stat), ==, 3);

	/* The data is the tar's own bytes, not a copy. */
	gsize size;
	const guint8 *base = g_bytes_get_data(bytes, &size);
	ZvmWasiNode *readme = g_hash_table_lookup(zvm_image_root(image)->by_name, "README");
	g_assert_nonnull(readme);
	g_assert_true(readme->data >= base && readme->data + readme->size <= base + size);
	g_assert_cmpmem(readme->data, readme->size, "read me\n", 8);

	/* Listings. */
	g_assert_cmpuint(
	    Z_wasi_snapshot_preview1Z_fd_readdir(in, 4, TEST_BUF, 4096, 0, TEST_RESULT), ==, 0);
	uint32_t used = zvm_wasi_get_u32(test_mem(job, TEST_RESULT));
	const char *expected[] = {".", "..", "README", "bin", "empty", "lib", "zero"};
	const uint8_t types[] = {3, 3, 4, 3, 3, 3, 4};
	uint32_t at = 0;
	for (guint i = 0; i < G_N_ELEMENTS(expected); i++) {
		const uint8_t *d = test_mem(job, TEST_BUF + at);
		uint32_t length = zvm_wasi_get_u32(d + 16);

		g_assert_cmpmem(d + 24, length, expected[i], strlen(expected[i]));
		g_assert_cmpuint(d[20], ==, types[i]);
		at += 24 + length;
	}
	g_assert_cmpuint(at, ==, used);

	/* Read-only, all of it. */
	const uint32_t creat = ZVM_WASI_OFLAG_CREAT, trunc = ZVM_WASI_OFLAG_TRUNC;
	g_assert_cmpuint(test_open(job, 4, "README", 0, TEST_RIGHTS_WRONLY, 0, NULL), ==,
			 ZVM_WASI_EROFS);
	g_assert_cmpuint(test_open(job, 4, "README", 0, TEST_RIGHTS_RDWR, 0, NULL), ==,
			 ZVM_WASI_EROFS);
	g_assert_cmpuint(test_open(job, 4, "README", creat, TEST_RIGHTS_RDONLY, 0, NULL), ==,
			 ZVM_WASI_EROFS);
	g_assert_cmpuint(test_open(job, 4, "README", trunc, TEST_RIGHTS_RDONLY, 0, NULL), ==,
			 ZVM_WASI_EROFS);
	g_assert_cmpuint(test_open(job, 4, "new", creat | trunc, TEST_RIGHTS_WRONLY, 0, NULL), ==,
			 ZVM_WASI_EROFS);
	g_assert_cmpuint(test_open(job, 4, "lib/new", creat, TEST_RIGHTS_WRONLY, 0, NULL), ==,
			 ZVM_WASI_EROFS);
	g_assert_cmpuint(test_open(job, 4, "..", 0, TEST_RIGHTS_RDONLY, 0, NULL), ==,
			 ZVM_WASI_ENOTCAPABLE);
	g_assert_cmpuint(test_open(job, 4, "lib/../../dev/stdin", 0, TEST_RIGHTS_RDONLY, 0, NULL),
			 ==, ZVM_WASI_ENOTCAPABLE);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_path_create_directory(
			     in, 4, TEST_PATH, path_call_length(job, "newdir")),
			 ==, ZVM_WASI_EROFS);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_path_create_directory(
			     in, 4, TEST_PATH, path_call_length(job, "empty")),
			 ==, ZVM_WASI_EEXIST);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_path_unlink_file(
			     in, 4, TEST_PATH, path_call_length(job, "README")),
			 ==, ZVM_WASI_EROFS);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_path_remove_directory(
			     in, 4, TEST_PATH, path_call_length(job, "empty")),
			 ==, ZVM_WASI_EROFS);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_path_filestat_set_times(
			     in, 4, 0, TEST_PATH, path_call_length(job, "README"), 0, 0, 0),
			 ==, ZVM_WASI_EROFS);
	memcpy(test_mem(job, TEST_BUF2), "moved", 5);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_path_rename(
			     in, 4, TEST_PATH, path_call_length(job, "README"), 4, TEST_BUF2, 5),
			 ==, ZVM_WASI_EROFS);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_path_rename(
			     in, 4, TEST_PATH, path_call_length(job, "README"), 3, TEST_BUF2, 5),
			 ==, ZVM_WASI_EXDEV);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_path_link(
			     in, 4, 0, TEST_PATH, path_call_length(job, "README"), 5, TEST_BUF2, 5),
			 ==, ZVM_WASI_EXDEV);
	g_assert_cmpuint(test_open(job, 4, "README", 0, TEST_RIGHTS_RDONLY, 0, &fd), ==, 0);
	g_assert_cmpuint(test_write(job, fd, "x", 1, &n), ==, ZVM_WASI_EBADF);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_pwrite(in, fd, TEST_IOVS, 1, 0, TEST_RESULT),
			 ==, ZVM_WASI_EBADF);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_filestat_set_size(in, fd, 0), ==,
			 ZVM_WASI_EROFS);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_filestat_set_times(in, fd, 0, 0, 0), ==,
			 ZVM_WASI_EROFS);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_sync(in, fd), ==, ZVM_WASI_EBADF);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_allocate(in, fd, 0, 1), ==, ZVM_WASI_EBADF);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_advise(in, fd, 0, 1, 1), ==, 0);

	/* The host goes before the images it borrows. */
	test_job_free(job);
}

static void assert_refused(GBytes *tar, ZvmBundleError code, const char *message)
{
	g_autoptr(GError) error = NULL;
	ZvmImage *image = zvm_image_new(tar, &error);

	g_assert_null(image);
	g_assert_error(error, ZVM_BUNDLE_ERROR, (gint)code);
	g_test_message("%s", error->message);
	if (!g_str_has_prefix(error->message, message))
		g_error("'%s' does not start with '%s'", error->message, message);
}

static void assert_members_refused(const TestMember *members, guint n, ZvmBundleError code,
				   const char *message)
{
	g_autoptr(GBytes) tar = test_tar(members, n, FALSE);

	assert_refused(tar, code, message);
}

static void test_image_refusals(void)
{
	static const struct {
		TestMember members[2];
		guint n;
		ZvmBundleError code;
		const char *message;
	} cases[] = {
	    {{{"/etc/passwd", 0, "x", NULL}},
	     1,
	     ZVM_BUNDLE_ERROR_UNSAFE,
	     "image: member '/etc/passwd' has an unsafe name"},
	    {{{"../x", 0, "x", NULL}},
	     1,
	     ZVM_BUNDLE_ERROR_UNSAFE,
	     "image: member '../x' has an unsafe name"},
	    {{{"a/../../x", 0, "x", NULL}},
	     1,
	     ZVM_BUNDLE_ERROR_UNSAFE,
	     "image: member 'a/../../x' has an unsafe name"},
	    {{{"a\nb", 0, "x", NULL}},
	     1,
	     ZVM_BUNDLE_ERROR_UNSAFE,
	     "image: member 'a\\nb' has an unsafe name"},
	    {{{".", 0, "x", NULL}},
	     1,
	     ZVM_BUNDLE_ERROR_UNSAFE,
	     "image: member '.' has an unsafe name"},
	    {{{"link", AE_IFLNK, NULL, "/etc/passwd"}},
	     1,
	     ZVM_BUNDLE_ERROR_UNSAFE,
	     "image: member 'link' is a symbolic link; only regular files and directories"},
	    {{{"README", 0, "x", NULL}, {"hard", 0, NULL, "README"}},
	     2,
	     ZVM_BUNDLE_ERROR_UNSAFE,
	     "image: member 'hard' is a hard link"},
	    {{{"tty", AE_IFCHR, NULL, NULL}},
	     1,
	     ZVM_BUNDLE_ERROR_UNSAFE,
	     "image: member 'tty' is a character device"},
	    {{{"disk", AE_IFBLK, NULL, NULL}},
	     1,
	     ZVM_BUNDLE_ERROR_UNSAFE,
	     "image: member 'disk' is a block device"},
	    {{{"fifo", AE_IFIFO, NULL, NULL}},
	     1,
	     ZVM_BUNDLE_ERROR_UNSAFE,
	     "image: member 'fifo' is a fifo"},
	    {{{"README", 0, "x", NULL}, {"./README", 0, "y", NULL}},
	     2,
	     ZVM_BUNDLE_ERROR_DUPLICATE,
	     "image: member './README' appears twice in the archive"},
	    {{{"README", 0, "x", NULL}, {"README/x", 0, "y", NULL}},
	     2,
	     ZVM_BUNDLE_ERROR_DUPLICATE,
	     "image: member 'README/x' runs through a file of the same archive"},
	    {{{"README", 0, "x", NULL}, {"README/", AE_IFDIR, NULL, NULL}},
	     2,
	     ZVM_BUNDLE_ERROR_DUPLICATE,
	     "image: member 'README/' runs through a file of the same archive"},
	    {{{"dir/", AE_IFDIR, NULL, NULL}, {"dir", 0, "y", NULL}},
	     2,
	     ZVM_BUNDLE_ERROR_DUPLICATE,
	     "image: member 'dir' clashes with a directory of the same name"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++)
		assert_members_refused(cases[i].members, cases[i].n, cases[i].code,
				       cases[i].message);

	/* Names over the bounds. */
	g_autofree char *long_component = g_strnfill(256, 'c');
	TestMember member = {long_component, 0, "x", NULL};
	assert_members_refused(&member, 1, ZVM_BUNDLE_ERROR_TOO_LARGE, "image: member 'ccc");
	GString *long_name = g_string_new(NULL);
	while (long_name->len <= ZVM_IMAGE_MAX_NAME)
		g_string_append(long_name, "d/");
	g_string_append(long_name, "f");
	member.name = long_name->str;
	assert_members_refused(&member, 1, ZVM_BUNDLE_ERROR_TOO_LARGE, "image: member 'd/d/d/d/");
	g_string_free(long_name, TRUE);

	/* Not a tar, a compressed one, a cut one, nothing. */
	g_autoptr(GBytes) text = g_bytes_new_static("hello, world\n", 13);
	assert_refused(text, ZVM_BUNDLE_ERROR_FORMAT, "image: not an uncompressed tar archive");
	g_autoptr(GBytes) gzip = test_tar(good_members, G_N_ELEMENTS(good_members), TRUE);
	assert_refused(gzip, ZVM_BUNDLE_ERROR_FORMAT, "image: not an uncompressed tar archive");
	g_autoptr(GBytes) empty = g_bytes_new_static("", 0);
	assert_refused(empty, ZVM_BUNDLE_ERROR_FORMAT, "image: not an uncompressed tar archive");
	const TestMember big = {"big", 0,
				"0123456789012345678901234567890123456789012345678901234567890"
				"0123456789012345678901234567890123456789012345678901234567890",
				NULL};
	g_autoptr(GBytes) whole = test_tar(&big, 1, FALSE);
	g_autoptr(GBytes) cut = g_bytes_new_from_bytes(whole, 0, 512 + 50);
	assert_refused(cut, ZVM_BUNDLE_ERROR_FORMAT, "image: ");

	/* An empty archive is an empty tree. */
	g_autoptr(GBytes) nothing = test_tar(NULL, 0, FALSE);
	g_autoptr(GError) error = NULL;
	g_autoptr(ZvmImage) image = zvm_image_new(nothing, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(zvm_image_root(image)->children->len, ==, 0);
}

/* One member "k<i>/a/a/.../f": 2 + @depth nodes. */
static char *deep_name(guint i, guint depth)
{
	GString *name = g_string_new(NULL);

	g_string_append_printf(name, "k%u/", i);
	for (guint j = 0; j < depth; j++)
		g_string_append(name, "a/");
	g_string_append(name, "f");
	return g_string_free(name, FALSE);
}

static GBytes *deep_tar(guint extra_files)
{
	/* 49 members of 2040 nodes, one of 39, plus the root: exactly the maximum. */
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < 49; i++)
		g_ptr_array_add(names, deep_name(i, 2038));
	g_ptr_array_add(names, deep_name(49, 37));
	for (guint i = 0; i < extra_files; i++)
		g_ptr_array_add(names, g_strdup_printf("extra%u", i));
	g_autofree TestMember *members = g_new0(TestMember, names->len);
	for (guint i = 0; i < names->len; i++)
		members[i].name = names->pdata[i];
	GBytes *tar = test_tar(members, names->len, FALSE);
	g_ptr_array_unref(names);
	return tar;
}

static void test_image_limits(void)
{
	g_autoptr(GError) error = NULL;

	g_assert_cmpuint(ZVM_IMAGE_MAX_NODES, ==, 100000);
	g_autoptr(GBytes) at_limit = deep_tar(0);
	g_autoptr(ZvmImage) image = zvm_image_new(at_limit, &error);
	g_assert_no_error(error);
	g_assert_nonnull(image);
	g_autoptr(GBytes) over = deep_tar(1);
	assert_refused(over, ZVM_BUNDLE_ERROR_TOO_LARGE,
		       "image: more than 100000 files and directories");

	/* Members are bounded too, even those that add no node (a directory again and again):
	 * one ustar header block repeated. */
	const TestMember dir = {"d/", AE_IFDIR, NULL, NULL};
	g_autoptr(GBytes) one = test_tar(&dir, 1, FALSE);
	const guint8 *header = g_bytes_get_data(one, NULL);
	GByteArray *many = g_byte_array_sized_new(512 * (ZVM_IMAGE_MAX_NODES + 3));
	for (guint i = 0; i < ZVM_IMAGE_MAX_NODES; i++)
		g_byte_array_append(many, header, 512);
	g_autoptr(GBytes) fits = g_bytes_new(many->data, many->len);
	g_byte_array_append(many, header, 512);
	guint8 zeros[1024] = {0};
	g_byte_array_append(many, zeros, sizeof(zeros));
	g_autoptr(GBytes) too_many = g_byte_array_free_to_bytes(many);
	assert_refused(too_many, ZVM_BUNDLE_ERROR_TOO_LARGE, "image: more than 100000 members");
	g_autoptr(ZvmImage) fitting = zvm_image_new(fits, &error);
	g_assert_no_error(error);
	g_assert_nonnull(fitting);
}

void test_image_register(void)
{
	g_test_add_func("/wasi/image/tree", test_image_tree);
	g_test_add_func("/wasi/image/refusals", test_image_refusals);
	g_test_add_func("/wasi/image/limits", test_image_limits);
}
