/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Transfers: ZeroVM's limit arithmetic seen through fd_read/fd_write (one channel call per
 * iovec), bounds checks on every guest pointer, random and sequential channels, descriptor
 * state (fdstat, filestat, rights, flags) and the calls that are refused.
 */
#include "test-wasi.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

static const char hundred[] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			      "0123456789abcdefghijklmnopqrstuvwxyzABCD";

static int64_t used(TestJob *job, const char *alias, ZvmLimitIndex limit)
{
	return test_job_channel(job, alias)->counters->used[limit];
}

/* reference §2.3: gets = 32, get_size = 32: four 1-byte reads, 30 gives 28, then EDQUOT. */
static void test_read_limits(void)
{
	const TestChannel extra[] = {
	    {"/dev/rlimited", 0, ZVM_ACCESS_READ, 32, 32, 0, 0, hundred},
	};
	g_autoptr(TestJob) job = test_job_new(extra, G_N_ELEMENTS(extra));
	uint32_t fd, n;

	g_assert_cmpuint(test_open(job, 3, "rlimited", 0, TEST_RIGHTS_RDONLY, 0, &fd), ==, 0);
	for (int i = 0; i < 4; i++) {
		g_assert_cmpuint(test_read(job, fd, 1, &n), ==, ZVM_WASI_SUCCESS);
		g_assert_cmpuint(n, ==, 1);
		g_assert_cmpint(*test_mem(job, TEST_BUF), ==, hundred[i]);
	}
	g_assert_cmpuint(test_read(job, fd, 30, &n), ==, ZVM_WASI_SUCCESS);
	g_assert_cmpuint(n, ==, 28);
	g_assert_cmpmem(test_mem(job, TEST_BUF), 28, hundred + 4, 28);
	/* A 0-byte read is free, even now. */
	g_assert_cmpuint(test_read(job, fd, 0, &n), ==, ZVM_WASI_SUCCESS);
	g_assert_cmpuint(n, ==, 0);
	g_assert_cmpuint(test_read(job, fd, 1, &n), ==, ZVM_WASI_EDQUOT);
	g_assert_cmpint(used(job, "/dev/rlimited", ZVM_LIMIT_GETS), ==, 5);
	g_assert_cmpint(used(job, "/dev/rlimited", ZVM_LIMIT_GET_SIZE), ==, 32);
}

static void test_write_limits(void)
{
	const TestChannel extra[] = {
	    {"/dev/wlimited", 0, ZVM_ACCESS_WRITE, 0, 0, 32, 32, NULL},
	};
	g_autoptr(TestJob) job = test_job_new(extra, G_N_ELEMENTS(extra));
	uint32_t fd, n;

	g_assert_cmpuint(test_open(job, 3, "wlimited", ZVM_WASI_OFLAG_CREAT | ZVM_WASI_OFLAG_TRUNC,
				   TEST_RIGHTS_WRONLY, 0, &fd),
			 ==, 0);
	for (int i = 0; i < 4; i++) {
		g_assert_cmpuint(test_write(job, fd, hundred + i, 1, &n), ==, 0);
		g_assert_cmpuint(n, ==, 1);
	}
	g_assert_cmpuint(test_write(job, fd, hundred + 4, 30, &n), ==, 0);
	g_assert_cmpuint(n, ==, 28);
	g_assert_cmpuint(test_write(job, fd, hundred, 0, &n), ==, 0);
	g_assert_cmpuint(n, ==, 0);
	g_assert_cmpuint(test_write(job, fd, hundred, 1, &n), ==, ZVM_WASI_EDQUOT);
	gsize length;
	g_autofree char *out = test_job_contents(job, 3, &length);
	g_assert_cmpmem(out, length, hundred, 32);
	g_assert_cmpint(used(job, "/dev/wlimited", ZVM_LIMIT_PUTS), ==, 5);
}

/* Each non-empty iovec is one channel call; a short one ends the call. */
static void test_iovecs(void)
{
	const TestChannel extra[] = {
	    {"/dev/input", 0, ZVM_ACCESS_READ, 100, 12, 0, 0, hundred},
	    {"/dev/once", 0, ZVM_ACCESS_READ, 1, 100, 0, 0, hundred},
	    {"/dev/output", 0, ZVM_ACCESS_WRITE, 0, 0, 1, 100, NULL},
	};
	g_autoptr(TestJob) job = test_job_new(extra, G_N_ELEMENTS(extra));
	uint32_t in, once, out;

	g_assert_cmpuint(test_open(job, 3, "input", 0, TEST_RIGHTS_RDONLY, 0, &in), ==, 0);
	g_assert_cmpuint(test_open(job, 3, "once", 0, TEST_RIGHTS_RDONLY, 0, &once), ==, 0);
	g_assert_cmpuint(test_open(job, 3, "output", 0, TEST_RIGHTS_WRONLY, 0, &out), ==, 0);

	/* 5, 0 (free), 5: two calls. */
	test_set_iovec(job, 0, TEST_BUF, 5);
	test_set_iovec(job, 1, TEST_BUF2, 0);
	test_set_iovec(job, 2, TEST_BUF + 5, 5);
	g_assert_cmpuint(
	    Z_wasi_snapshot_preview1Z_fd_read(job->instance, in, TEST_IOVS, 3, TEST_RESULT), ==, 0);
	g_assert_cmpuint(zvm_wasi_get_u32(test_mem(job, TEST_RESULT)), ==, 10);
	g_assert_cmpmem(test_mem(job, TEST_BUF), 10, hundred, 10);
	g_assert_cmpint(used(job, "/dev/input", ZVM_LIMIT_GETS), ==, 2);

	/* 5, 5, 5 with 2 bytes of quota left: 2, and the third iovec is not tried. */
	test_set_iovec(job, 0, TEST_BUF, 5);
	test_set_iovec(job, 1, TEST_BUF + 5, 5);
	test_set_iovec(job, 2, TEST_BUF + 10, 5);
	g_assert_cmpuint(
	    Z_wasi_snapshot_preview1Z_fd_read(job->instance, in, TEST_IOVS, 3, TEST_RESULT), ==, 0);
	g_assert_cmpuint(zvm_wasi_get_u32(test_mem(job, TEST_RESULT)), ==, 2);
	g_assert_cmpint(used(job, "/dev/input", ZVM_LIMIT_GETS), ==, 3);

	/* gets = 1: the first iovec's bytes come back, the second's EDQUOT is not reported... */
	g_assert_cmpuint(
	    Z_wasi_snapshot_preview1Z_fd_read(job->instance, once, TEST_IOVS, 2, TEST_RESULT), ==,
	    0);
	g_assert_cmpuint(zvm_wasi_get_u32(test_mem(job, TEST_RESULT)), ==, 5);
	/* ...until the next call. */
	g_assert_cmpuint(
	    Z_wasi_snapshot_preview1Z_fd_read(job->instance, once, TEST_IOVS, 2, TEST_RESULT), ==,
	    ZVM_WASI_EDQUOT);

	/* The same for writes: puts = 1. */
	memcpy(test_mem(job, TEST_BUF), "hello world", 11);
	test_set_iovec(job, 0, TEST_BUF, 6);
	test_set_iovec(job, 1, TEST_BUF + 6, 5);
	g_assert_cmpuint(
	    Z_wasi_snapshot_preview1Z_fd_write(job->instance, out, TEST_IOVS, 2, TEST_RESULT), ==,
	    0);
	g_assert_cmpuint(zvm_wasi_get_u32(test_mem(job, TEST_RESULT)), ==, 6);
	g_autofree char *text = test_job_contents(job, 5, NULL);
	g_assert_cmpstr(text, ==, "hello ");

	/* No iovecs at all: nothing happens. */
	g_assert_cmpuint(
	    Z_wasi_snapshot_preview1Z_fd_write(job->instance, out, TEST_IOVS, 0, TEST_RESULT), ==,
	    0);
	g_assert_cmpuint(zvm_wasi_get_u32(test_mem(job, TEST_RESULT)), ==, 0);
}

/* Every pointer and length is checked before any byte moves. */
static void test_bounds(void)
{
	const TestChannel extra[] = {
	    {"/dev/input", 3, ZVM_ACCESS_READ, 100, 100, 0, 0, "x"},
	};
	g_autoptr(TestJob) job = test_job_new(extra, G_N_ELEMENTS(extra));
	const uint32_t size = TEST_MEMORY_SIZE;
	Instance *in = job->instance;

	/* The iovec array itself. */
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_write(in, 1, size - 4, 1, TEST_RESULT), ==,
			 ZVM_WASI_EFAULT);
	g_assert_cmpuint(
	    Z_wasi_snapshot_preview1Z_fd_write(in, 1, TEST_IOVS, 0x20000000, TEST_RESULT), ==,
	    ZVM_WASI_EFAULT);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_write(in, 1, 0xffffffff, 1, TEST_RESULT), ==,
			 ZVM_WASI_EFAULT);
	/* A buffer past the end, or wrapping around 4 GiB: no channel call is made. */
	test_set_iovec(job, 0, TEST_BUF, 5);
	test_set_iovec(job, 1, size - 4, 5);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_write(in, 1, TEST_IOVS, 2, TEST_RESULT), ==,
			 ZVM_WASI_EFAULT);
	test_set_iovec(job, 1, 0xfffffff0, 0x20);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_write(in, 1, TEST_IOVS, 2, TEST_RESULT), ==,
			 ZVM_WASI_EFAULT);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_read(in, 0, TEST_IOVS, 2, TEST_RESULT), ==,
			 ZVM_WASI_EFAULT);
	g_assert_cmpint(used(job, "/dev/stdout", ZVM_LIMIT_PUTS), ==, 0);
	g_assert_cmpint(used(job, "/dev/stdin", ZVM_LIMIT_GETS), ==, 0);
	/* The result word. */
	test_set_iovec(job, 0, TEST_BUF, 5);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_write(in, 1, TEST_IOVS, 1, size - 3), ==,
			 ZVM_WASI_EFAULT);
	g_assert_cmpint(used(job, "/dev/stdout", ZVM_LIMIT_PUTS), ==, 0);
	/* Exactly at the end is inside. */
	test_set_iovec(job, 0, size - 5, 5);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_write(in, 1, TEST_IOVS, 1, size - 4), ==, 0);
	g_assert_cmpuint(zvm_wasi_get_u32(test_mem(job, size - 4)), ==, 5);

	/* Fixed-size results. */
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_fdstat_get(in, 1, size - 23), ==,
			 ZVM_WASI_EFAULT);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_fdstat_get(in, 1, size - 24), ==, 0);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_filestat_get(in, 1, size - 63), ==,
			 ZVM_WASI_EFAULT);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_prestat_get(in, 3, size - 7), ==,
			 ZVM_WASI_EFAULT);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_prestat_dir_name(in, 3, size - 3, 4), ==,
			 ZVM_WASI_EFAULT);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_readdir(in, 3, size - 10, 20, 0, TEST_RESULT),
			 ==, ZVM_WASI_EFAULT);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_readdir(in, 3, TEST_BUF, 20, 0, size), ==,
			 ZVM_WASI_EFAULT);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_clock_time_get(in, 0, 0, size - 7), ==,
			 ZVM_WASI_EFAULT);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_random_get(in, size - 7, 8), ==,
			 ZVM_WASI_EFAULT);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_random_get(in, 0xffffffff, 2), ==,
			 ZVM_WASI_EFAULT);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_args_sizes_get(in, size, TEST_RESULT), ==,
			 ZVM_WASI_EFAULT);
	uint32_t length = test_put_path(job, "stdin");
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_path_open(in, 3, 0, size - 2, length, 0,
							     TEST_RIGHTS_RDONLY, 0, 0, TEST_RESULT),
			 ==, ZVM_WASI_EFAULT);
	g_assert_cmpuint(
	    Z_wasi_snapshot_preview1Z_path_filestat_get(in, 3, 0, TEST_PATH, length, size - 8), ==,
	    ZVM_WASI_EFAULT);

	/* No linear memory yet (a call before instantiation cannot happen, but must not crash). */
	job->host->memory = NULL;
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_write(in, 1, TEST_IOVS, 1, TEST_RESULT), ==,
			 ZVM_WASI_EFAULT);
	job->host->memory = &job->memory;
}

/* A read into the iovec array itself: the iovecs still in use are checked again. */
static void test_iovecs_rewritten(void)
{
	/* The bytes of an iovec { 0xfffffff0, 0x01010101 }: far outside memory. */
	const TestChannel extra[] = {
	    {"/dev/input", 0, ZVM_ACCESS_READ, 100, 100, 0, 0, "\xf0\xff\xff\xff\x01\x01\x01\x01"},
	};
	g_autoptr(TestJob) job = test_job_new(extra, G_N_ELEMENTS(extra));
	uint32_t fd;

	g_assert_cmpuint(test_open(job, 3, "input", 0, TEST_RIGHTS_RDONLY, 0, &fd), ==, 0);
	test_set_iovec(job, 0, TEST_IOVS + 8, 8);
	test_set_iovec(job, 1, TEST_BUF, 4);
	g_assert_cmpuint(
	    Z_wasi_snapshot_preview1Z_fd_read(job->instance, fd, TEST_IOVS, 2, TEST_RESULT), ==, 0);
	g_assert_cmpuint(zvm_wasi_get_u32(test_mem(job, TEST_RESULT)), ==, 8);
	g_assert_cmpuint(zvm_wasi_get_u32(test_mem(job, TEST_IOVS + 8)), ==, 0xfffffff0);
	g_assert_cmpint(used(job, "/dev/input", ZVM_LIMIT_GETS), ==, 1);
	/* Alone, such an iovec is a fault. */
	test_set_iovec(job, 0, 0xfffffff0, 0x01010101);
	g_assert_cmpuint(
	    Z_wasi_snapshot_preview1Z_fd_read(job->instance, fd, TEST_IOVS, 1, TEST_RESULT), ==,
	    ZVM_WASI_EFAULT);
}

static void test_random_channel(void)
{
	const TestChannel extra[] = {
	    {"/dev/data", 1, ZVM_ACCESS_READ, 100, 100, 0, 0, "0123456789"},
	};
	g_autoptr(TestJob) job = test_job_new(extra, G_N_ELEMENTS(extra));
	uint32_t fd, other, n;
	uint64_t position;

	g_assert_cmpuint(test_open(job, 3, "data", 0, TEST_RIGHTS_RDONLY, 0, &fd), ==, 0);
	g_assert_cmpuint(test_filetype(job, fd), ==, ZVM_WASI_FILETYPE_REGULAR_FILE);
	g_assert_cmpuint(test_rights(job, fd) & (ZVM_WASI_RIGHT_FD_SEEK | ZVM_WASI_RIGHT_FD_TELL),
			 ==, ZVM_WASI_RIGHT_FD_SEEK | ZVM_WASI_RIGHT_FD_TELL);
	g_assert_cmpuint(test_read(job, fd, 4, &n), ==, 0);
	g_assert_cmpmem(test_mem(job, TEST_BUF), n, "0123", 4);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_tell(job->instance, fd, TEST_RESULT), ==, 0);
	g_assert_cmpuint(zvm_wasi_get_u64(test_mem(job, TEST_RESULT)), ==, 4);

	g_assert_cmpuint(test_seek(job, fd, 8, ZVM_WASI_WHENCE_SET, &position), ==, 0);
	g_assert_cmpuint(position, ==, 8);
	g_assert_cmpuint(test_read(job, fd, 4, &n), ==, 0);
	g_assert_cmpmem(test_mem(job, TEST_BUF), n, "89", 2);
	/* At the end: 0, and free. */
	int64_t gets = used(job, "/dev/data", ZVM_LIMIT_GETS);
	g_assert_cmpuint(test_read(job, fd, 4, &n), ==, 0);
	g_assert_cmpuint(n, ==, 0);
	g_assert_cmpint(used(job, "/dev/data", ZVM_LIMIT_GETS), ==, gets);

	g_assert_cmpuint(test_seek(job, fd, -3, ZVM_WASI_WHENCE_END, &position), ==, 0);
	g_assert_cmpuint(position, ==, 7);
	g_assert_cmpuint(test_seek(job, fd, -2, ZVM_WASI_WHENCE_CUR, &position), ==, 0);
	g_assert_cmpuint(position, ==, 5);
	g_assert_cmpuint(test_seek(job, fd, -6, ZVM_WASI_WHENCE_CUR, NULL), ==, ZVM_WASI_EINVAL);
	g_assert_cmpuint(test_seek(job, fd, INT64_MAX, ZVM_WASI_WHENCE_CUR, NULL), ==,
			 ZVM_WASI_EINVAL);
	g_assert_cmpuint(test_seek(job, fd, 0, 3, NULL), ==, ZVM_WASI_EINVAL);
	g_assert_cmpuint(
	    Z_wasi_snapshot_preview1Z_fd_seek(job->instance, fd, 0, 0, TEST_MEMORY_SIZE - 4), ==,
	    ZVM_WASI_EFAULT);

	/* pread leaves the offset alone. */
	test_set_iovec(job, 0, TEST_BUF, 3);
	g_assert_cmpuint(
	    Z_wasi_snapshot_preview1Z_fd_pread(job->instance, fd, TEST_IOVS, 1, 2, TEST_RESULT), ==,
	    0);
	g_assert_cmpuint(zvm_wasi_get_u32(test_mem(job, TEST_RESULT)), ==, 3);
	g_assert_cmpmem(test_mem(job, TEST_BUF), 3, "234", 3);
	g_assert_cmpuint(test_seek(job, fd, 0, ZVM_WASI_WHENCE_CUR, &position), ==, 0);
	g_assert_cmpuint(position, ==, 5);

	/* A second descriptor has its own offset over the same counters. */
	g_assert_cmpuint(test_open(job, 3, "data", 0, TEST_RIGHTS_RDONLY, 0, &other), ==, 0);
	g_assert_cmpuint(test_read(job, other, 2, &n), ==, 0);
	g_assert_cmpmem(test_mem(job, TEST_BUF), n, "01", 2);
	g_assert_cmpuint(test_read(job, fd, 1, &n), ==, 0);
	g_assert_cmpmem(test_mem(job, TEST_BUF), n, "5", 1);

	/* Past the end: ZeroVM v1.x's EFAULT (reference §2.3). */
	g_assert_cmpuint(test_seek(job, fd, 20, ZVM_WASI_WHENCE_SET, NULL), ==, 0);
	g_assert_cmpuint(test_read(job, fd, 1, &n), ==, ZVM_WASI_EFAULT);

	/* No write right, no pwrite. */
	g_assert_cmpuint(
	    Z_wasi_snapshot_preview1Z_fd_pwrite(job->instance, fd, TEST_IOVS, 1, 0, TEST_RESULT),
	    ==, ZVM_WASI_EBADF);
}

static void test_sequential_channel(void)
{
	const TestChannel extra[] = {
	    {"/dev/seq", 0, ZVM_ACCESS_READ, 100, 100, 0, 0, "abcdef"},
	    {"/dev/out", 0, ZVM_ACCESS_WRITE, 0, 0, 100, 100, NULL},
	};
	g_autoptr(TestJob) job = test_job_new(extra, G_N_ELEMENTS(extra));
	uint32_t fd, twin, out, n;

	g_assert_cmpuint(test_open(job, 3, "seq", 0, TEST_RIGHTS_RDONLY, 0, &fd), ==, 0);
	g_assert_cmpuint(test_open(job, 3, "seq", 0, TEST_RIGHTS_RDONLY, 0, &twin), ==, 0);
	g_assert_cmpuint(test_open(job, 3, "out", 0, TEST_RIGHTS_WRONLY, 0, &out), ==, 0);
	g_assert_cmpuint(test_filetype(job, fd), ==, ZVM_WASI_FILETYPE_CHARACTER_DEVICE);
	g_assert_cmpuint(test_rights(job, fd) & (ZVM_WASI_RIGHT_FD_SEEK | ZVM_WASI_RIGHT_FD_TELL),
			 ==, 0);
	g_assert_cmpuint(test_seek(job, fd, 0, ZVM_WASI_WHENCE_SET, NULL), ==, ZVM_WASI_ESPIPE);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_tell(job->instance, fd, TEST_RESULT), ==,
			 ZVM_WASI_ESPIPE);
	g_assert_cmpuint(test_seek(job, out, 0, ZVM_WASI_WHENCE_SET, NULL), ==, ZVM_WASI_ESPIPE);
	test_set_iovec(job, 0, TEST_BUF, 3);
	g_assert_cmpuint(
	    Z_wasi_snapshot_preview1Z_fd_pread(job->instance, fd, TEST_IOVS, 1, 0, TEST_RESULT), ==,
	    ZVM_WASI_ESPIPE);
	g_assert_cmpuint(
	    Z_wasi_snapshot_preview1Z_fd_pwrite(job->instance, out, TEST_IOVS, 1, 0, TEST_RESULT),
	    ==, ZVM_WASI_ESPIPE);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_advise(job->instance, fd, 0, 0, 0), ==,
			 ZVM_WASI_ESPIPE);

	/* Two descriptors share the channel's one position. */
	g_assert_cmpuint(test_read(job, fd, 2, &n), ==, 0);
	g_assert_cmpmem(test_mem(job, TEST_BUF), n, "ab", 2);
	g_assert_cmpuint(test_read(job, twin, 2, &n), ==, 0);
	g_assert_cmpmem(test_mem(job, TEST_BUF), n, "cd", 2);
	g_assert_cmpint(used(job, "/dev/seq", ZVM_LIMIT_GETS), ==, 2);

	/* Standard streams: character devices with only their direction. */
	g_assert_cmpuint(test_filetype(job, 0), ==, ZVM_WASI_FILETYPE_CHARACTER_DEVICE);
	g_assert_cmpuint(test_rights(job, 0) & ZVM_WASI_RIGHT_FD_READ, !=, 0);
	g_assert_cmpuint(test_rights(job, 0) & ZVM_WASI_RIGHT_FD_WRITE, ==, 0);
	g_assert_cmpuint(test_rights(job, 1) & ZVM_WASI_RIGHT_FD_WRITE, !=, 0);
	g_assert_cmpuint(test_rights(job, 1) & ZVM_WASI_RIGHT_FD_READ, ==, 0);
	g_assert_cmpuint(test_write(job, 1, "out\n", 4, &n), ==, 0);
	g_assert_cmpuint(test_write(job, 2, "err\n", 4, &n), ==, 0);
	g_autofree char *stdout_text = test_job_contents(job, 1, NULL);
	g_autofree char *stderr_text = test_job_contents(job, 2, NULL);
	g_assert_cmpstr(stdout_text, ==, "out\n");
	g_assert_cmpstr(stderr_text, ==, "err\n");
	/* Empty stdin: end of file. */
	g_assert_cmpuint(test_read(job, 0, 10, &n), ==, 0);
	g_assert_cmpuint(n, ==, 0);
}

static void test_random_write_channel(void)
{
	const TestChannel extra[] = {
	    {"/dev/result", 3, ZVM_ACCESS_WRITE, 0, 0, 100, 100, NULL},
	    {"/dev/both", 3, ZVM_ACCESS_READ_WRITE, 100, 100, 100, 100, "hello"},
	};
	g_autoptr(TestJob) job = test_job_new(extra, G_N_ELEMENTS(extra));
	uint32_t fd, both, n;
	uint64_t position;
	gsize length;

	g_assert_cmpuint(test_open(job, 3, "result", ZVM_WASI_OFLAG_CREAT | ZVM_WASI_OFLAG_TRUNC,
				   TEST_RIGHTS_WRONLY, 0, &fd),
			 ==, 0);
	g_assert_cmpuint(test_filetype(job, fd), ==, ZVM_WASI_FILETYPE_REGULAR_FILE);
	g_assert_cmpuint(test_write(job, fd, "abc", 3, &n), ==, 0);
	g_assert_cmpuint(test_seek(job, fd, 1, ZVM_WASI_WHENCE_SET, NULL), ==, 0);
	g_assert_cmpuint(test_write(job, fd, "XY", 2, &n), ==, 0);
	g_assert_cmpuint(test_seek(job, fd, 0, ZVM_WASI_WHENCE_CUR, &position), ==, 0);
	g_assert_cmpuint(position, ==, 3);
	memcpy(test_mem(job, TEST_BUF), "Z", 1);
	test_set_iovec(job, 0, TEST_BUF, 1);
	g_assert_cmpuint(
	    Z_wasi_snapshot_preview1Z_fd_pwrite(job->instance, fd, TEST_IOVS, 1, 5, TEST_RESULT),
	    ==, 0);
	g_autofree char *text = test_job_contents(job, 3, &length);
	g_assert_cmpmem(text, length, "aXY\0\0Z", 6);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_filestat_get(job->instance, fd, TEST_STAT),
			 ==, 0);
	g_assert_cmpuint(zvm_wasi_get_u64(test_mem(job, TEST_STAT + 32)), ==, 6);
	/* ZeroVM: a write-only random channel refuses an offset at or past put_size. */
	g_assert_cmpuint(
	    Z_wasi_snapshot_preview1Z_fd_pwrite(job->instance, fd, TEST_IOVS, 1, 100, TEST_RESULT),
	    ==, ZVM_WASI_EINVAL);

	/* APPEND writes at the end, wherever the offset is. */
	g_assert_cmpuint(test_seek(job, fd, 0, ZVM_WASI_WHENCE_SET, NULL), ==, 0);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_fdstat_set_flags(job->instance, fd,
								       ZVM_WASI_FDFLAG_APPEND),
			 ==, 0);
	g_assert_cmpuint(test_write(job, fd, "!", 1, &n), ==, 0);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_fdstat_get(job->instance, fd, TEST_STAT), ==,
			 0);
	g_assert_cmpuint(zvm_wasi_get_u16(test_mem(job, TEST_STAT + 2)), ==,
			 ZVM_WASI_FDFLAG_APPEND);
	g_autofree char *appended = test_job_contents(job, 3, &length);
	g_assert_cmpmem(appended, length, "aXY\0\0Z!", 7);

	/* Read-write: one offset for both directions. */
	g_assert_cmpuint(test_open(job, 3, "both", 0, TEST_RIGHTS_RDWR, 0, &both), ==, 0);
	g_assert_cmpuint(test_read(job, both, 2, &n), ==, 0);
	g_assert_cmpmem(test_mem(job, TEST_BUF), n, "he", 2);
	g_assert_cmpuint(test_write(job, both, "LL", 2, &n), ==, 0);
	g_assert_cmpuint(test_read(job, both, 5, &n), ==, 0);
	g_assert_cmpmem(test_mem(job, TEST_BUF), n, "o", 1);
	g_autofree char *both_text = test_job_contents(job, 4, &length);
	g_assert_cmpmem(both_text, length, "heLLo", 5);
}

static void test_fdstat_filestat(void)
{
	const TestChannel extra[] = {
	    {"/dev/data", 3, ZVM_ACCESS_READ, 100, 100, 0, 0, "0123456789"},
	};
	g_autoptr(TestJob) job = test_job_new(extra, G_N_ELEMENTS(extra));
	uint32_t fd, again;
	Instance *in = job->instance;

	g_assert_cmpuint(test_open(job, 3, "data", 0, TEST_RIGHTS_RDONLY, 0, &fd), ==, 0);
	g_assert_cmpuint(test_open(job, 3, "data", 0, TEST_RIGHTS_RDONLY, 0, &again), ==, 0);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_filestat_get(in, fd, TEST_STAT), ==, 0);
	uint8_t *stat = test_mem(job, TEST_STAT);
	uint64_t ino = zvm_wasi_get_u64(stat + 8);
	g_assert_cmpuint(stat[16], ==, ZVM_WASI_FILETYPE_REGULAR_FILE);
	g_assert_cmpuint(zvm_wasi_get_u64(stat + 24), ==, 1);
	g_assert_cmpuint(zvm_wasi_get_u64(stat + 32), ==, 10);
	g_assert_cmpuint(zvm_wasi_get_u64(stat + 40), ==, 0);
	g_assert_cmpuint(zvm_wasi_get_u64(stat + 48), ==, 0);
	g_assert_cmpuint(zvm_wasi_get_u64(stat + 56), ==, 0);
	/* Same node, same number; other nodes, other numbers. */
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_filestat_get(in, again, TEST_STAT), ==, 0);
	g_assert_cmpuint(zvm_wasi_get_u64(stat + 8), ==, ino);
	GHashTable *seen = g_hash_table_new(g_int64_hash, g_int64_equal);
	uint64_t inos[5];
	uint32_t fds[] = {0, 1, 2, 3, fd};
	for (guint i = 0; i < G_N_ELEMENTS(fds); i++) {
		g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_filestat_get(in, fds[i], TEST_STAT),
				 ==, 0);
		inos[i] = zvm_wasi_get_u64(stat + 8);
		g_assert_false(g_hash_table_contains(seen, &inos[i]));
		g_hash_table_add(seen, &inos[i]);
	}
	g_hash_table_unref(seen);
	/* Sequential: size 0. */
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_filestat_get(in, 0, TEST_STAT), ==, 0);
	g_assert_cmpuint(stat[16], ==, ZVM_WASI_FILETYPE_CHARACTER_DEVICE);
	g_assert_cmpuint(zvm_wasi_get_u64(stat + 32), ==, 0);
	/* The /dev directory. */
	g_assert_cmpuint(test_filetype(job, 3), ==, ZVM_WASI_FILETYPE_DIRECTORY);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_fdstat_get(in, 3, TEST_STAT), ==, 0);
	g_assert_cmpuint(zvm_wasi_get_u64(stat + 8) & ZVM_WASI_RIGHT_PATH_OPEN, !=, 0);
	g_assert_cmpuint(zvm_wasi_get_u64(stat + 16) & ZVM_WASI_RIGHT_FD_READ, !=, 0);
	g_assert_cmpuint(zvm_wasi_get_u64(stat + 16) & ZVM_WASI_RIGHT_FD_WRITE, !=, 0);
}

static void test_rights_and_flags(void)
{
	const TestChannel extra[] = {
	    {"/dev/data", 1, ZVM_ACCESS_READ, 100, 100, 0, 0, "0123456789"},
	};
	g_autoptr(TestJob) job = test_job_new(extra, G_N_ELEMENTS(extra));
	Instance *in = job->instance;
	uint32_t fd, n;

	/* Reading a write-only descriptor and writing a read-only one. */
	g_assert_cmpuint(test_read(job, 1, 1, &n), ==, ZVM_WASI_EBADF);
	g_assert_cmpuint(test_write(job, 0, "x", 1, &n), ==, ZVM_WASI_EBADF);
	g_assert_cmpuint(test_write(job, 3, "x", 1, &n), ==, ZVM_WASI_EBADF);
	g_assert_cmpuint(test_read(job, 3, 1, &n), ==, ZVM_WASI_EISDIR);
	test_set_iovec(job, 0, TEST_BUF, 1);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_pread(in, 3, TEST_IOVS, 1, 0, TEST_RESULT),
			 ==, ZVM_WASI_EISDIR);
	g_assert_cmpuint(test_seek(job, 3, 0, ZVM_WASI_WHENCE_SET, NULL), ==, ZVM_WASI_EBADF);

	/* Rights only narrow. */
	g_assert_cmpuint(test_open(job, 3, "data", 0, TEST_RIGHTS_RDONLY, 0, &fd), ==, 0);
	uint64_t rights = test_rights(job, fd);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_fdstat_set_rights(
			     in, fd, rights | ZVM_WASI_RIGHT_FD_WRITE, 0),
			 ==, ZVM_WASI_ENOTCAPABLE);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_fdstat_set_rights(in, fd, rights, 1), ==,
			 ZVM_WASI_ENOTCAPABLE);
	g_assert_cmpuint(
	    Z_wasi_snapshot_preview1Z_fd_fdstat_set_rights(
		in, fd, rights & ~(ZVM_WASI_RIGHT_FD_READ | ZVM_WASI_RIGHT_FD_SEEK), 0),
	    ==, 0);
	g_assert_cmpuint(test_read(job, fd, 1, &n), ==, ZVM_WASI_EBADF);
	g_assert_cmpuint(test_seek(job, fd, 0, ZVM_WASI_WHENCE_SET, NULL), ==,
			 ZVM_WASI_ENOTCAPABLE);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_tell(in, fd, TEST_RESULT), ==, 0);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_fdstat_set_rights(in, fd, rights, 0), ==,
			 ZVM_WASI_ENOTCAPABLE);
	/* A directory whose inheriting rights lost FD_READ opens files without it. */
	uint32_t dir;
	g_assert_cmpuint(
	    test_open(job, 3, ".", ZVM_WASI_OFLAG_DIRECTORY, TEST_RIGHTS_RDONLY, 0, &dir), ==, 0);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_fdstat_get(in, dir, TEST_STAT), ==, 0);
	uint64_t dir_base = zvm_wasi_get_u64(test_mem(job, TEST_STAT + 8));
	uint64_t dir_inheriting = zvm_wasi_get_u64(test_mem(job, TEST_STAT + 16));
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_fdstat_set_rights(
			     in, dir, dir_base, dir_inheriting & ~ZVM_WASI_RIGHT_FD_READ),
			 ==, 0);
	g_assert_cmpuint(test_open(job, dir, "data", 0, TEST_RIGHTS_RDONLY, 0, &fd), ==, 0);
	g_assert_cmpuint(test_rights(job, fd) & ZVM_WASI_RIGHT_FD_READ, ==, 0);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_fdstat_set_rights(
			     in, dir, dir_base & ~ZVM_WASI_RIGHT_PATH_OPEN, 0),
			 ==, 0);
	g_assert_cmpuint(test_open(job, dir, "data", 0, TEST_RIGHTS_RDONLY, 0, NULL), ==,
			 ZVM_WASI_ENOTCAPABLE);

	/* Flags: APPEND and the sync flags are taken, NONBLOCK and unknown bits are not. */
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_fdstat_set_flags(in, 1, 0), ==, 0);
	g_assert_cmpuint(
	    Z_wasi_snapshot_preview1Z_fd_fdstat_set_flags(in, 1, ZVM_WASI_FDFLAG_APPEND), ==, 0);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_fdstat_set_flags(in, 1, ZVM_WASI_FDFLAG_SYNC),
			 ==, 0);
	g_assert_cmpuint(
	    Z_wasi_snapshot_preview1Z_fd_fdstat_set_flags(in, 1, ZVM_WASI_FDFLAG_NONBLOCK), ==,
	    ZVM_WASI_ENOTSUP);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_fdstat_set_flags(in, 1, 0x20), ==,
			 ZVM_WASI_EINVAL);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_fdstat_set_flags(in, 1, 0x10000), ==,
			 ZVM_WASI_EINVAL);
	g_assert_cmpuint(test_write(job, 1, "x", 1, &n), ==, 0);
	g_assert_cmpuint(n, ==, 1);
}

/* Descriptors a program might guess. */
static void test_bad_descriptors(void)
{
	g_autoptr(TestJob) job = test_job_new(NULL, 0);
	const uint32_t bad[] = {4, 7, 100, 1023, 1024, 65536, 0x7fffffff, 0xffffffff};
	Instance *in = job->instance;
	uint32_t n;

	test_set_iovec(job, 0, TEST_BUF, 1);
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		uint32_t fd = bad[i];

		g_assert_cmpuint(test_read(job, fd, 1, &n), ==, ZVM_WASI_EBADF);
		g_assert_cmpuint(test_write(job, fd, "x", 1, &n), ==, ZVM_WASI_EBADF);
		g_assert_cmpuint(
		    Z_wasi_snapshot_preview1Z_fd_pread(in, fd, TEST_IOVS, 1, 0, TEST_RESULT), ==,
		    ZVM_WASI_EBADF);
		g_assert_cmpuint(
		    Z_wasi_snapshot_preview1Z_fd_pwrite(in, fd, TEST_IOVS, 1, 0, TEST_RESULT), ==,
		    ZVM_WASI_EBADF);
		g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_close(in, fd), ==, ZVM_WASI_EBADF);
		g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_fdstat_get(in, fd, TEST_STAT), ==,
				 ZVM_WASI_EBADF);
		g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_fdstat_set_flags(in, fd, 0), ==,
				 ZVM_WASI_EBADF);
		g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_fdstat_set_rights(in, fd, 0, 0), ==,
				 ZVM_WASI_EBADF);
		g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_filestat_get(in, fd, TEST_STAT), ==,
				 ZVM_WASI_EBADF);
		g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_filestat_set_size(in, fd, 0), ==,
				 ZVM_WASI_EBADF);
		g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_filestat_set_times(in, fd, 0, 0, 0),
				 ==, ZVM_WASI_EBADF);
		g_assert_cmpuint(test_seek(job, fd, 0, 0, NULL), ==, ZVM_WASI_EBADF);
		g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_tell(in, fd, TEST_RESULT), ==,
				 ZVM_WASI_EBADF);
		g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_sync(in, fd), ==, ZVM_WASI_EBADF);
		g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_datasync(in, fd), ==, ZVM_WASI_EBADF);
		g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_advise(in, fd, 0, 0, 0), ==,
				 ZVM_WASI_EBADF);
		g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_allocate(in, fd, 0, 1), ==,
				 ZVM_WASI_EBADF);
		g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_prestat_get(in, fd, TEST_STAT), ==,
				 ZVM_WASI_EBADF);
		g_assert_cmpuint(
		    Z_wasi_snapshot_preview1Z_fd_prestat_dir_name(in, fd, TEST_BUF, 10), ==,
		    ZVM_WASI_EBADF);
		g_assert_cmpuint(
		    Z_wasi_snapshot_preview1Z_fd_readdir(in, fd, TEST_BUF, 100, 0, TEST_RESULT), ==,
		    ZVM_WASI_EBADF);
		g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_renumber(in, fd, 1), ==,
				 ZVM_WASI_EBADF);
		g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_renumber(in, 1, fd), ==,
				 ZVM_WASI_EBADF);
		g_assert_cmpuint(test_open(job, fd, "stdin", 0, TEST_RIGHTS_RDONLY, 0, NULL), ==,
				 ZVM_WASI_EBADF);
		g_assert_cmpuint(Z_wasi_snapshot_preview1Z_sock_accept(in, fd, 0, TEST_RESULT), ==,
				 ZVM_WASI_EBADF);
		g_assert_cmpuint(Z_wasi_snapshot_preview1Z_sock_recv(in, fd, TEST_IOVS, 1, 0,
								     TEST_RESULT, TEST_STAT),
				 ==, ZVM_WASI_EBADF);
		g_assert_cmpuint(
		    Z_wasi_snapshot_preview1Z_sock_send(in, fd, TEST_IOVS, 1, 0, TEST_RESULT), ==,
		    ZVM_WASI_EBADF);
		g_assert_cmpuint(Z_wasi_snapshot_preview1Z_sock_shutdown(in, fd, 0), ==,
				 ZVM_WASI_EBADF);
	}
	/* Nothing reached a channel. */
	g_assert_cmpint(used(job, "/dev/stdin", ZVM_LIMIT_GETS), ==, 0);
	g_assert_cmpint(used(job, "/dev/stdout", ZVM_LIMIT_PUTS), ==, 0);
}

/* The calls that change nothing and the ones refused outright. */
static void test_refused_calls(void)
{
	const TestChannel extra[] = {
	    {"/dev/data", 3, ZVM_ACCESS_READ_WRITE, 100, 100, 100, 100, "0123456789"},
	};
	g_autoptr(TestJob) job = test_job_new(extra, G_N_ELEMENTS(extra));
	Instance *in = job->instance;
	uint32_t fd;

	g_assert_cmpuint(test_open(job, 3, "data", 0, TEST_RIGHTS_RDWR, 0, &fd), ==, 0);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_sync(in, 1), ==, 0);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_datasync(in, fd), ==, 0);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_sync(in, 0), ==, ZVM_WASI_EBADF);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_datasync(in, 3), ==, ZVM_WASI_EBADF);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_advise(in, fd, 0, 10, 2), ==, 0);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_advise(in, fd, 0, 10, 6), ==,
			 ZVM_WASI_EINVAL);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_allocate(in, fd, 0, 10), ==,
			 ZVM_WASI_ENOTSUP);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_allocate(in, 0, 0, 10), ==, ZVM_WASI_EBADF);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_filestat_set_size(in, fd, 0), ==,
			 ZVM_WASI_EPERM);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_filestat_set_size(in, 3, 0), ==,
			 ZVM_WASI_EINVAL);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_filestat_set_times(in, fd, 1, 1, 5), ==,
			 ZVM_WASI_EPERM);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_proc_raise(in, 9), ==, ZVM_WASI_ENOSYS);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_sched_yield(in), ==, 0);
	/* No descriptor is a socket (wasi-testsuite's sock_shutdown-not_sock). */
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_sock_accept(in, 0, 0, TEST_RESULT), ==,
			 ZVM_WASI_ENOTSOCK);
	g_assert_cmpuint(
	    Z_wasi_snapshot_preview1Z_sock_recv(in, 0, TEST_IOVS, 1, 0, TEST_RESULT, TEST_STAT), ==,
	    ZVM_WASI_ENOTSOCK);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_sock_send(in, 1, TEST_IOVS, 1, 0, TEST_RESULT),
			 ==, ZVM_WASI_ENOTSOCK);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_sock_shutdown(in, 3, 0), ==, ZVM_WASI_ENOTSOCK);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_sock_shutdown(in, 1, 0), ==, ZVM_WASI_ENOTSOCK);
	/* Nothing of this moved the channel. */
	gsize length;
	g_autofree char *text = test_job_contents(job, 3, &length);
	g_assert_cmpmem(text, length, "0123456789", 10);
}

/*
 * /dev is preopened only for channels the program uses: with the standard three, /dev/nvram
 * and image channels alone, descriptor 3 is free (wasi-testsuite's sock_shutdown-invalid_fd
 * and every program that counts its preopens from 3).
 */
static void test_no_dev_preopen(void)
{
	const TestChannel extra[] = {
	    {"/dev/nvram", 3, ZVM_ACCESS_READ, 100, 100, 0, 0, "[args]\nargs = x\n"},
	};
	g_autoptr(TestJob) bare = test_job_new(NULL, 0);
	g_autoptr(TestJob) nvram = test_job_new(extra, G_N_ELEMENTS(extra));

	for (int i = 0; i < 2; i++) {
		Instance *in = (i == 0 ? bare : nvram)->instance;

		g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_prestat_get(in, 3, TEST_STAT), ==,
				 ZVM_WASI_EBADF);
		g_assert_cmpuint(Z_wasi_snapshot_preview1Z_sock_shutdown(in, 3, 0), ==,
				 ZVM_WASI_EBADF);
		g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_fdstat_get(in, 3, TEST_STAT), ==,
				 ZVM_WASI_EBADF);
	}
}

/* A host failure under a channel comes back through the one errno table. */
static void test_host_errors(void)
{
	int pipe_fds[2];
	uint32_t n;

	g_assert_cmpint(pipe(pipe_fds), ==, 0);
	close(pipe_fds[0]);
	int full = open("/dev/full", O_WRONLY | O_CLOEXEC);
	int directory = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	g_assert_cmpint(directory, >=, 0);
	TestChannel channels[] = {
	    {"/dev/stdin", 0, ZVM_ACCESS_READ, 100, 100, 0, 0, NULL, directory},
	    {"/dev/stdout", 0, ZVM_ACCESS_WRITE, 0, 0, 100, 100, NULL, pipe_fds[1]},
	    {"/dev/stderr", 0, ZVM_ACCESS_WRITE, 0, 0, 100, 100, NULL, full},
	};
	if (full < 0)
		channels[2].host_fd = 0;
	g_autoptr(TestJob) job = test_job_new_full(channels, G_N_ELEMENTS(channels), NULL);

	/* A reader that went away: EPIPE. */
	g_assert_cmpuint(test_write(job, 1, "x", 1, &n), ==, ZVM_WASI_EPIPE);
	/* Any other failure of the host's read: EIO. */
	g_assert_cmpuint(test_read(job, 0, 1, &n), ==, ZVM_WASI_EIO);
	/* A full disk: ENOSPC. */
	if (full >= 0)
		g_assert_cmpuint(test_write(job, 2, "x", 1, &n), ==, ZVM_WASI_ENOSPC);
	/* The failed calls were not counted. */
	g_assert_cmpint(used(job, "/dev/stdout", ZVM_LIMIT_PUTS), ==, 0);
}

void test_io_register(void)
{
	g_test_add_func("/wasi/io/read-limits", test_read_limits);
	g_test_add_func("/wasi/io/write-limits", test_write_limits);
	g_test_add_func("/wasi/io/iovecs", test_iovecs);
	g_test_add_func("/wasi/io/bounds", test_bounds);
	g_test_add_func("/wasi/io/iovecs-rewritten", test_iovecs_rewritten);
	g_test_add_func("/wasi/io/random-channel", test_random_channel);
	g_test_add_func("/wasi/io/sequential-channel", test_sequential_channel);
	g_test_add_func("/wasi/io/random-write-channel", test_random_write_channel);
	g_test_add_func("/wasi/io/fdstat-filestat", test_fdstat_filestat);
	g_test_add_func("/wasi/io/rights-and-flags", test_rights_and_flags);
	g_test_add_func("/wasi/io/bad-descriptors", test_bad_descriptors);
	g_test_add_func("/wasi/io/refused-calls", test_refused_calls);
	g_test_add_func("/wasi/io/no-dev-preopen", test_no_dev_preopen);
	g_test_add_func("/wasi/io/host-errors", test_host_errors);
}
