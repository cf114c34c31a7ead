/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Writable trees ([fstab] access=rw and access=wo): changes through the path and fd calls, the
 * Memory budget shared with linear memory, an output channel's limits counted as the archive,
 * the archive itself, and symbolic links confined to their tree.
 */
#include <archive.h>
#include <archive_entry.h>
#include <string.h>

#include "test-wasi.h"

static const TestChannel std[] = {
    {"/dev/stdin", 0, ZVM_ACCESS_READ, 1, 1, 0, 0, NULL},
    {"/dev/stdout", 0, ZVM_ACCESS_WRITE, 0, 0, 100, 100, NULL},
    {"/dev/stderr", 0, ZVM_ACCESS_WRITE, 0, 0, 100, 100, NULL},
};

static TestJob *scratch_job(void)
{
	static const ZvmWasiMount mounts[] = {{"/tmp", NULL, ZVM_WASI_MOUNT_SCRATCH, NULL}};
	const TestJobOptions options = {.mounts = mounts, .n_mounts = 1};

	return test_job_new_full(std, G_N_ELEMENTS(std), &options);
}

static uint32_t path_call(TestJob *job, uint32_t (*call)(Instance *, uint32_t, uint32_t, uint32_t),
			  const char *path)
{
	return call(job->instance, 3, TEST_PATH, test_put_path(job, path));
}

static uint32_t rename_call(TestJob *job, const char *from, const char *to)
{
	uint32_t from_length = test_put_path(job, from);

	memcpy(test_mem(job, TEST_PATH + 0x800), to, strlen(to));
	return Z_wasi_snapshot_preview1Z_path_rename(job->instance, 3, TEST_PATH, from_length, 3,
						     TEST_PATH + 0x800, (uint32_t)strlen(to));
}

static uint32_t symlink_call(TestJob *job, const char *target, const char *name)
{
	uint32_t name_length = test_put_path(job, name);

	memcpy(test_mem(job, TEST_PATH + 0x800), target, strlen(target));
	return Z_wasi_snapshot_preview1Z_path_symlink(
	    job->instance, TEST_PATH + 0x800, (uint32_t)strlen(target), 3, TEST_PATH, name_length);
}

/* The names fd_readdir lists after "." and "..", space-separated. */
static char *listing(TestJob *job, uint32_t fd)
{
	g_assert_cmpuint(
	    Z_wasi_snapshot_preview1Z_fd_readdir(job->instance, fd, TEST_BUF, 4096, 2, TEST_RESULT),
	    ==, 0);
	uint32_t used = zvm_wasi_get_u32(test_mem(job, TEST_RESULT));
	GString *names = g_string_new(NULL);
	for (uint32_t at = 0; at + ZVM_WASI_DIRENT_SIZE <= used;) {
		uint32_t length = zvm_wasi_get_u32(test_mem(job, TEST_BUF + at + 16));

		g_string_append_len(names, (const char *)test_mem(job, TEST_BUF + at + 24), length);
		g_string_append_c(names, ' ');
		at += ZVM_WASI_DIRENT_SIZE + length;
	}
	return g_string_free(names, FALSE);
}

static void test_scratch_changes(void)
{
	g_autoptr(TestJob) job = scratch_job();
	Instance *in = job->instance;
	uint32_t fd, n;

	/* Nothing under /dev is used, so the scratch tree is descriptor 3. */
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_prestat_get(in, 3, TEST_STAT), ==, 0);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_prestat_dir_name(in, 3, TEST_BUF, 4), ==, 0);
	g_assert_cmpmem(test_mem(job, TEST_BUF), 4, "/tmp", 4);
	job->memory.max_pages = 64;

	g_assert_cmpuint(path_call(job, Z_wasi_snapshot_preview1Z_path_create_directory, "a"), ==,
			 0);
	g_assert_cmpuint(path_call(job, Z_wasi_snapshot_preview1Z_path_create_directory, "a"), ==,
			 ZVM_WASI_EEXIST);
	g_assert_cmpuint(test_open(job, 3, "a/f", ZVM_WASI_OFLAG_CREAT, TEST_RIGHTS_RDWR, 0, &fd),
			 ==, 0);
	g_assert_cmpuint(test_write(job, fd, "hello", 5, &n), ==, 0);
	g_assert_cmpuint(n, ==, 5);
	g_assert_cmpuint(test_seek(job, fd, 0, ZVM_WASI_WHENCE_SET, NULL), ==, 0);
	g_assert_cmpuint(test_read(job, fd, 100, &n), ==, 0);
	g_assert_cmpmem(test_mem(job, TEST_BUF), n, "hello", 5);
	g_assert_cmpuint(rename_call(job, "a/f", "g"), ==, 0);
	g_autofree char *names = listing(job, 3);
	g_assert_cmpstr(names, ==, "a g ");
	g_assert_cmpuint(rename_call(job, "a", "a/inside"), ==, ZVM_WASI_EINVAL);
	/* Removed while open: the bytes stay readable through the descriptor. */
	g_assert_cmpuint(path_call(job, Z_wasi_snapshot_preview1Z_path_unlink_file, "g"), ==, 0);
	g_assert_cmpuint(test_seek(job, fd, 1, ZVM_WASI_WHENCE_SET, NULL), ==, 0);
	g_assert_cmpuint(test_read(job, fd, 100, &n), ==, 0);
	g_assert_cmpmem(test_mem(job, TEST_BUF), n, "ello", 4);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_close(in, fd), ==, 0);
	g_assert_cmpuint(path_call(job, Z_wasi_snapshot_preview1Z_path_remove_directory, "a"), ==,
			 0);
	g_autofree char *empty = listing(job, 3);
	g_assert_cmpstr(empty, ==, "");
}

/* Trees and linear memory share Memory: writes fail with ENOSPC, memory.grow's cap falls. */
static void test_scratch_budget(void)
{
	g_autoptr(TestJob) job = scratch_job();
	static char block[512 * 1024];
	uint32_t fd, n;

	job->memory.max_pages = 32; /* 2 MiB, of which the linear memory holds 1 */
	g_assert_cmpuint(test_open(job, 3, "f", ZVM_WASI_OFLAG_CREAT, TEST_RIGHTS_RDWR, 0, &fd), ==,
			 0);
	g_assert_cmpuint(
	    Z_wasi_snapshot_preview1Z_fd_filestat_set_size(job->instance, fd, sizeof(block)), ==,
	    0);
	g_assert_cmpuint(job->memory.max_pages, ==, 24);
	g_assert_cmpuint(
	    Z_wasi_snapshot_preview1Z_fd_filestat_set_size(job->instance, fd, 3 * sizeof(block)),
	    ==, ZVM_WASI_ENOSPC);
	g_assert_cmpuint(
	    Z_wasi_snapshot_preview1Z_fd_filestat_set_size(job->instance, fd, 2 * sizeof(block)),
	    ==, 0);
	g_assert_cmpuint(job->memory.max_pages, ==, 16);
	g_assert_cmpuint(test_write(job, fd, "x", 1, &n), ==, 0);
	g_assert_cmpuint(test_seek(job, fd, 0, ZVM_WASI_WHENCE_END, NULL), ==, 0);
	g_assert_cmpuint(test_write(job, fd, "x", 1, &n), ==, ZVM_WASI_ENOSPC);
	/* Giving bytes back raises the cap again. */
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_filestat_set_size(job->instance, fd, 0), ==,
			 0);
	g_assert_cmpuint(job->memory.max_pages, ==, 32);
	memset(block, 0, sizeof(block));
}

/* Output tree: limits counted as the archive will be, then the archive. */
static void test_output_tree(void)
{
	const TestChannel channels[] = {
	    std[0],
	    std[1],
	    std[2],
	    {"/dev/out", 0, ZVM_ACCESS_WRITE, 0, 0, 5, 4096, NULL},
	};
	static const ZvmWasiMount mounts[] = {{"/out", NULL, ZVM_WASI_MOUNT_OUTPUT, NULL}};
	static const int mount_channels[] = {3};
	const TestJobOptions options = {
	    .mounts = mounts, .n_mounts = 1, .mount_channels = mount_channels};
	g_autoptr(TestJob) job = test_job_new_full(channels, G_N_ELEMENTS(channels), &options);
	uint32_t fd, other, n;

	job->memory.max_pages = 64;
	/* The archive's channel is not in /dev: /dev is not even preopened. */
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_prestat_get(job->instance, 4, TEST_STAT), ==,
			 ZVM_WASI_EBADF);
	g_assert_cmpuint(path_call(job, Z_wasi_snapshot_preview1Z_path_create_directory, "d"), ==,
			 0);
	g_assert_cmpuint(test_open(job, 3, "d/x", ZVM_WASI_OFLAG_CREAT, TEST_RIGHTS_RDWR, 0, &fd),
			 ==, 0);
	g_assert_cmpuint(test_write(job, fd, "abc", 3, &n), ==, 0);
	g_assert_cmpuint(test_open(job, 3, "y", ZVM_WASI_OFLAG_CREAT, TEST_RIGHTS_RDWR, 0, &other),
			 ==, 0);
	/* puts: d 1, d/x 2, y 1, the end 1. */
	g_assert_cmpuint(test_open(job, 3, "z", ZVM_WASI_OFLAG_CREAT, TEST_RIGHTS_RDWR, 0, NULL),
			 ==, ZVM_WASI_EDQUOT);
	/* put_size: 3 headers, 512 of data, 1024 of end make 3072; 1025 more bytes would pass. */
	char big[1025] = {0};
	g_assert_cmpuint(test_write(job, other, big, 1025, &n), ==, ZVM_WASI_EDQUOT);
	g_assert_cmpuint(path_call(job, Z_wasi_snapshot_preview1Z_path_unlink_file, "y"), ==, 0);
	g_assert_cmpuint(symlink_call(job, "d/x", "s"), ==, 0);
	g_assert_cmpuint(symlink_call(job, "/etc", "t"), ==, ZVM_WASI_ENOTCAPABLE);
	char long_name[200];
	memset(long_name, 'n', 150);
	long_name[150] = '\0';
	g_assert_cmpuint(
	    test_open(job, 3, long_name, ZVM_WASI_OFLAG_CREAT, TEST_RIGHTS_RDWR, 0, NULL), ==,
	    ZVM_WASI_ENAMETOOLONG);

	g_assert_cmpint(zvm_wasi_host_save_outputs(job->host), ==, 0);
	gsize length;
	g_autofree char *tar = test_job_contents(job, 3, &length);
	g_assert_cmpuint(length, ==, 4 * 512 + 1024);
	struct archive *archive = archive_read_new();
	archive_read_support_format_tar(archive);
	g_assert_cmpint(archive_read_open_memory(archive, tar, length), ==, ARCHIVE_OK);
	GString *seen = g_string_new(NULL);
	struct archive_entry *entry;
	while (archive_read_next_header(archive, &entry) == ARCHIVE_OK) {
		char data[16] = {0};

		g_string_append_printf(seen, "%s:%o", archive_entry_pathname(entry),
				       (unsigned)archive_entry_filetype(entry) >> 12);
		if (archive_entry_filetype(entry) == AE_IFLNK)
			g_string_append_printf(seen, ">%s", archive_entry_symlink(entry));
		if (archive_read_data(archive, data, sizeof(data)) > 0)
			g_string_append_printf(seen, "=%s", data);
		g_string_append_c(seen, ' ');
	}
	archive_read_free(archive);
	g_autofree char *members = g_string_free(seen, FALSE);
	g_assert_cmpstr(members, ==, "d/:4 d/x:10=abc s:12>d/x ");
	g_assert_cmpint(test_job_channel(job, "/dev/out")->counters->used[ZVM_LIMIT_PUTS], ==, 5);
}

/* Links are followed inside their tree only. */
static void test_symlinks_confined(void)
{
	g_autoptr(TestJob) job = scratch_job();
	uint32_t fd;

	job->memory.max_pages = 64;
	g_assert_cmpuint(path_call(job, Z_wasi_snapshot_preview1Z_path_create_directory, "d"), ==,
			 0);
	g_assert_cmpuint(symlink_call(job, "../..", "d/up"), ==, 0);
	g_assert_cmpuint(test_open(job, 3, "d/up/x", 0, TEST_RIGHTS_RDONLY, 0, NULL), ==,
			 ZVM_WASI_ENOTCAPABLE);
	g_assert_cmpuint(symlink_call(job, "..", "d/back"), ==, 0);
	g_assert_cmpuint(
	    test_open(job, 3, "d/back/d", ZVM_WASI_OFLAG_DIRECTORY, TEST_RIGHTS_RDONLY, 0, &fd), ==,
	    0);
	/* From d itself, .. is above the descriptor. */
	g_assert_cmpuint(test_open(job, fd, "back", 0, TEST_RIGHTS_RDONLY, 0, NULL), ==,
			 ZVM_WASI_ENOTCAPABLE);
	/* A chain of 41 links is one too many; 40 resolve. */
	for (int i = 0; i < 41; i++) {
		g_autofree char *name = g_strdup_printf("l%d", i);
		g_autofree char *target = i == 0 ? g_strdup("d") : g_strdup_printf("l%d", i - 1);

		g_assert_cmpuint(symlink_call(job, target, name), ==, 0);
	}
	g_assert_cmpuint(
	    test_open(job, 3, "l39", ZVM_WASI_OFLAG_DIRECTORY, TEST_RIGHTS_RDONLY, 0, NULL), ==, 0);
	g_assert_cmpuint(
	    test_open(job, 3, "l40", ZVM_WASI_OFLAG_DIRECTORY, TEST_RIGHTS_RDONLY, 0, NULL), ==,
	    ZVM_WASI_ELOOP);
	/* readlink, cut to the buffer. */
	uint32_t length = test_put_path(job, "l1");
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_path_readlink(job->instance, 3, TEST_PATH,
								 length, TEST_BUF, 1, TEST_RESULT),
			 ==, 0);
	g_assert_cmpuint(zvm_wasi_get_u32(test_mem(job, TEST_RESULT)), ==, 1);
	g_assert_cmpmem(test_mem(job, TEST_BUF), 1, "l", 1);
}

/* A tree holds at most ZVM_IMAGE_MAX_NODES names, the root not counted. */
static void test_node_bound(void)
{
	g_autoptr(TestJob) job = scratch_job();

	job->memory.max_pages = 64;
	for (int i = 0; i < ZVM_IMAGE_MAX_NODES; i++) {
		g_autofree char *name = g_strdup_printf("d%06d", i);

		g_assert_cmpuint(
		    path_call(job, Z_wasi_snapshot_preview1Z_path_create_directory, name), ==, 0);
	}
	g_assert_cmpuint(path_call(job, Z_wasi_snapshot_preview1Z_path_create_directory, "more"),
			 ==, ZVM_WASI_ENOSPC);
	g_assert_cmpuint(path_call(job, Z_wasi_snapshot_preview1Z_path_remove_directory, "d000000"),
			 ==, 0);
	g_assert_cmpuint(path_call(job, Z_wasi_snapshot_preview1Z_path_create_directory, "more"),
			 ==, 0);
}

void test_tree_register(void)
{
	g_test_add_func("/wasi/tree/node-bound", test_node_bound);
	g_test_add_func("/wasi/tree/scratch-changes", test_scratch_changes);
	g_test_add_func("/wasi/tree/scratch-budget", test_scratch_budget);
	g_test_add_func("/wasi/tree/output", test_output_tree);
	g_test_add_func("/wasi/tree/symlinks-confined", test_symlinks_confined);
}
