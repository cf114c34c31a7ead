/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The /dev tree: preopens, path_open with the flags wasi-libc's fopen and open give, every
 * way out of a directory descriptor we could think of, listings, the refused changes, and the
 * descriptor table (close, renumber, its bound).
 */
#include "test-wasi.h"

#include <string.h>

static const TestChannel dev_channels[] = {
    {"/dev/input", 0, ZVM_ACCESS_READ, 100, 100, 0, 0, "secret input\n"},
    {"/dev/output", 0, ZVM_ACCESS_WRITE, 0, 0, 100, 100, NULL},
    {"/dev/in/mapper-2", 0, ZVM_ACCESS_READ, 100, 100, 0, 0, "two"},
    {"/dev/in/mapper-1", 0, ZVM_ACCESS_READ, 100, 100, 0, 0, "one"},
    {"/dev/out/reducer-1", 0, ZVM_ACCESS_WRITE, 0, 0, 100, 100, NULL},
    {"/dev/nvram", 1, ZVM_ACCESS_READ, 100, 1000, 0, 0, "[args]\nargs = prog\n"},
    {"/dev/data", 3, ZVM_ACCESS_READ_WRITE, 100, 100, 100, 100, "0123456789"},
};

static TestJob *dev_job(void)
{
	return test_job_new(dev_channels, G_N_ELEMENTS(dev_channels));
}

typedef struct {
	char *name;
	uint8_t type;
	uint64_t next;
	uint64_t ino;
} Dirent;

static void dirent_clear(gpointer data)
{
	g_free(((Dirent *)data)->name);
}

/* Lists @fd from @cookie with a buffer of @size bytes, asking again while it comes back full. */
static GArray *list(TestJob *job, uint32_t fd, uint64_t cookie, uint32_t size)
{
	GArray *entries = g_array_new(FALSE, TRUE, sizeof(Dirent));

	g_array_set_clear_func(entries, dirent_clear);
	for (;;) {
		g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_readdir(job->instance, fd, TEST_BUF,
								      size, cookie, TEST_RESULT),
				 ==, 0);
		uint32_t used = zvm_wasi_get_u32(test_mem(job, TEST_RESULT));
		const uint8_t *p = test_mem(job, TEST_BUF);
		uint32_t at = 0;
		guint before = entries->len;

		g_assert_cmpuint(used, <=, size);
		while (at + ZVM_WASI_DIRENT_SIZE <= used) {
			uint32_t length = zvm_wasi_get_u32(p + at + 16);

			if (at + ZVM_WASI_DIRENT_SIZE + length > used)
				break;
			Dirent d = {
			    .name = g_strndup((const char *)p + at + ZVM_WASI_DIRENT_SIZE, length),
			    .type = p[at + 20],
			    .next = zvm_wasi_get_u64(p + at),
			    .ino = zvm_wasi_get_u64(p + at + 8),
			};
			g_assert_cmpmem(p + at + 21, 3, "\0\0\0", 3);
			g_array_append_val(entries, d);
			cookie = d.next;
			at += ZVM_WASI_DIRENT_SIZE + length;
		}
		if (used < size)
			return entries;
		/* A full buffer: the last entry may be cut short; ask again from its cookie, with
		 * a bigger buffer if not even one entry fitted (as wasi-libc's readdir does). */
		if (entries->len == before)
			size *= 2;
		g_assert_cmpuint(size, <=, 65536);
	}
}

static void assert_names(GArray *entries, const char *const *names)
{
	guint i = 0;

	for (; names[i] != NULL; i++) {
		g_assert_cmpuint(i, <, entries->len);
		g_assert_cmpstr(g_array_index(entries, Dirent, i).name, ==, names[i]);
	}
	g_assert_cmpuint(i, ==, entries->len);
}

static void test_preopens(void)
{
	g_autoptr(TestJob) job = dev_job();
	Instance *in = job->instance;
	uint8_t *stat = test_mem(job, TEST_STAT);

	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_prestat_get(in, 3, TEST_STAT), ==, 0);
	g_assert_cmpuint(stat[0], ==, ZVM_WASI_PREOPENTYPE_DIR);
	g_assert_cmpuint(zvm_wasi_get_u32(stat + 4), ==, 4);
	memset(test_mem(job, TEST_BUF), '#', 8);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_prestat_dir_name(in, 3, TEST_BUF, 8), ==, 0);
	g_assert_cmpmem(test_mem(job, TEST_BUF), 5, "/dev#", 5);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_prestat_dir_name(in, 3, TEST_BUF, 3), ==,
			 ZVM_WASI_ENAMETOOLONG);
	for (uint32_t fd = 0; fd < 3; fd++)
		g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_prestat_get(in, fd, TEST_STAT), ==,
				 ZVM_WASI_EBADF);
	/* wasi-libc stops at the first EBADF: there is no preopen after /dev here. */
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_prestat_get(in, 4, TEST_STAT), ==,
			 ZVM_WASI_EBADF);
	/* A directory opened later is not a preopen. */
	uint32_t fd;
	g_assert_cmpuint(
	    test_open(job, 3, "in", ZVM_WASI_OFLAG_DIRECTORY, TEST_RIGHTS_RDONLY, 0, &fd), ==, 0);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_prestat_get(in, fd, TEST_STAT), ==,
			 ZVM_WASI_EBADF);
}

static void assert_reads(TestJob *job, uint32_t fd, const char *expected)
{
	uint32_t n;

	g_assert_cmpuint(test_read(job, fd, 100, &n), ==, 0);
	g_assert_cmpmem(test_mem(job, TEST_BUF), n, expected, strlen(expected));
}

static void test_open_tree(void)
{
	g_autoptr(TestJob) job = dev_job();
	uint32_t fd, dir;

	g_assert_cmpuint(test_open(job, 3, "input", 0, TEST_RIGHTS_RDONLY, 0, &fd), ==, 0);
	g_assert_cmpuint(fd, ==, 4);
	assert_reads(job, fd, "secret input\n");
	g_assert_cmpuint(test_open(job, 3, "in/mapper-1", 0, TEST_RIGHTS_RDONLY, 0, &fd), ==, 0);
	assert_reads(job, fd, "one");
	g_assert_cmpuint(
	    test_open(job, 3, "in", ZVM_WASI_OFLAG_DIRECTORY, TEST_RIGHTS_RDONLY, 0, &dir), ==, 0);
	g_assert_cmpuint(test_filetype(job, dir), ==, ZVM_WASI_FILETYPE_DIRECTORY);
	g_assert_cmpuint(test_open(job, dir, "mapper-2", 0, TEST_RIGHTS_RDONLY, 0, &fd), ==, 0);
	assert_reads(job, fd, "two");
	/* Spellings of the same names. */
	const char *same[] = {"./in//mapper-1", "in/./mapper-1", "in/../in/mapper-1",
			      "in/mapper-1//", NULL};
	for (guint i = 0; same[i] != NULL; i++) {
		g_test_message("path %s", same[i]);
		uint32_t error = test_open(job, 3, same[i], 0, TEST_RIGHTS_RDONLY, 0, &fd);
		g_assert_cmpuint(error, ==, g_str_has_suffix(same[i], "/") ? ZVM_WASI_ENOTDIR : 0);
	}
	g_assert_cmpuint(test_open(job, 3, ".", 0, TEST_RIGHTS_RDONLY, 0, &fd), ==, 0);
	g_assert_cmpuint(test_filetype(job, fd), ==, ZVM_WASI_FILETYPE_DIRECTORY);
	g_assert_cmpuint(test_open(job, 3, "in/", 0, TEST_RIGHTS_RDONLY, 0, &fd), ==, 0);
	g_assert_cmpuint(test_open(job, 3, "nvram", 0, TEST_RIGHTS_RDONLY, 0, &fd), ==, 0);
	assert_reads(job, fd, "[args]\nargs = prog\n");

	/* What is not there, or not a directory. */
	g_assert_cmpuint(test_open(job, 3, "input/", 0, TEST_RIGHTS_RDONLY, 0, NULL), ==,
			 ZVM_WASI_ENOTDIR);
	g_assert_cmpuint(test_open(job, 3, "input/x", 0, TEST_RIGHTS_RDONLY, 0, NULL), ==,
			 ZVM_WASI_ENOTDIR);
	g_assert_cmpuint(
	    test_open(job, 3, "input", ZVM_WASI_OFLAG_DIRECTORY, TEST_RIGHTS_RDONLY, 0, NULL), ==,
	    ZVM_WASI_ENOTDIR);
	g_assert_cmpuint(test_open(job, 3, "stdin", 0, TEST_RIGHTS_RDONLY, 0, NULL), ==,
			 ZVM_WASI_ENOENT);
	g_assert_cmpuint(test_open(job, 3, "missing", 0, TEST_RIGHTS_RDONLY, 0, NULL), ==,
			 ZVM_WASI_ENOENT);
	g_assert_cmpuint(test_open(job, 3, "in/missing", 0, TEST_RIGHTS_RDONLY, 0, NULL), ==,
			 ZVM_WASI_ENOENT);
	g_assert_cmpuint(test_open(job, 3, "missing/x", 0, TEST_RIGHTS_RDONLY, 0, NULL), ==,
			 ZVM_WASI_ENOENT);
	g_assert_cmpuint(test_open(job, 0, "input", 0, TEST_RIGHTS_RDONLY, 0, NULL), ==,
			 ZVM_WASI_ENOTDIR);
}

/* The flags wasi-libc derives from fopen modes and open(2) flags. */
static void test_open_flags(void)
{
	g_autoptr(TestJob) job = dev_job();
	const uint32_t creat = ZVM_WASI_OFLAG_CREAT, trunc = ZVM_WASI_OFLAG_TRUNC;
	const uint32_t excl = ZVM_WASI_OFLAG_EXCL;
	uint32_t fd, n;

	/* "w" and "a" on a write-only channel. */
	g_assert_cmpuint(test_open(job, 3, "output", creat | trunc, TEST_RIGHTS_WRONLY, 0, &fd), ==,
			 0);
	g_assert_cmpuint(test_write(job, fd, "w", 1, &n), ==, 0);
	g_assert_cmpuint(
	    test_open(job, 3, "output", creat, TEST_RIGHTS_WRONLY, ZVM_WASI_FDFLAG_APPEND, &fd), ==,
	    0);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_fdstat_get(job->instance, fd, TEST_STAT), ==,
			 0);
	g_assert_cmpuint(zvm_wasi_get_u16(test_mem(job, TEST_STAT + 2)), ==,
			 ZVM_WASI_FDFLAG_APPEND);
	g_assert_cmpuint(test_write(job, fd, "a", 1, &n), ==, 0);
	g_autofree char *output = test_job_contents(job, 4, NULL);
	g_assert_cmpstr(output, ==, "wa");
	/* The rights a descriptor gets are what the channel allows of what was asked. */
	uint64_t rights = test_rights(job, fd);
	g_assert_cmpuint(rights & ZVM_WASI_RIGHT_FD_WRITE, !=, 0);
	g_assert_cmpuint(rights & (ZVM_WASI_RIGHT_FD_READ | ZVM_WASI_RIGHT_FD_SEEK |
				   ZVM_WASI_RIGHT_FD_ALLOCATE | ZVM_WASI_RIGHT_PATH_OPEN),
			 ==, 0);
	/* "r+" on a read-write channel. */
	g_assert_cmpuint(test_open(job, 3, "data", 0, TEST_RIGHTS_RDWR, 0, &fd), ==, 0);
	/* O_SYNC and friends are accepted. */
	g_assert_cmpuint(
	    test_open(job, 3, "data", 0, TEST_RIGHTS_RDWR,
		      ZVM_WASI_FDFLAG_SYNC | ZVM_WASI_FDFLAG_DSYNC | ZVM_WASI_FDFLAG_RSYNC, &fd),
	    ==, 0);

	/* Asking for a direction the channel does not have. */
	g_assert_cmpuint(test_open(job, 3, "output", 0, TEST_RIGHTS_RDONLY, 0, NULL), ==,
			 ZVM_WASI_EACCES);
	g_assert_cmpuint(test_open(job, 3, "input", creat | trunc, TEST_RIGHTS_WRONLY, 0, NULL), ==,
			 ZVM_WASI_EACCES);
	g_assert_cmpuint(test_open(job, 3, "input", 0, TEST_RIGHTS_RDWR, 0, NULL), ==,
			 ZVM_WASI_EACCES);
	g_assert_cmpuint(test_open(job, 3, "input", trunc, TEST_RIGHTS_RDONLY, 0, NULL), ==,
			 ZVM_WASI_EACCES);
	/* Creating: never. */
	g_assert_cmpuint(test_open(job, 3, "input", creat | excl, TEST_RIGHTS_RDONLY, 0, NULL), ==,
			 ZVM_WASI_EEXIST);
	g_assert_cmpuint(test_open(job, 3, "newfile", creat, TEST_RIGHTS_WRONLY, 0, NULL), ==,
			 ZVM_WASI_EACCES);
	g_assert_cmpuint(test_open(job, 3, "newfile", creat | excl, TEST_RIGHTS_WRONLY, 0, NULL),
			 ==, ZVM_WASI_EACCES);
	g_assert_cmpuint(test_open(job, 3, "in/newfile", creat, TEST_RIGHTS_WRONLY, 0, NULL), ==,
			 ZVM_WASI_EACCES);
	g_assert_cmpuint(test_open(job, 3, "nodir/newfile", creat, TEST_RIGHTS_WRONLY, 0, NULL), ==,
			 ZVM_WASI_ENOENT);
	g_assert_cmpuint(test_open(job, 3, "newfile", 0, TEST_RIGHTS_RDONLY, 0, NULL), ==,
			 ZVM_WASI_ENOENT);
	/* Directories are for reading. */
	g_assert_cmpuint(test_open(job, 3, "in", 0, TEST_RIGHTS_WRONLY, 0, NULL), ==,
			 ZVM_WASI_EISDIR);
	g_assert_cmpuint(test_open(job, 3, "in", creat, TEST_RIGHTS_RDONLY, 0, NULL), ==,
			 ZVM_WASI_EISDIR);
	g_assert_cmpuint(test_open(job, 3, "in", creat | excl, TEST_RIGHTS_RDONLY, 0, NULL), ==,
			 ZVM_WASI_EEXIST);
	/* Flags nobody knows, and a promise we cannot keep. */
	g_assert_cmpuint(test_open(job, 3, "input", 0x10, TEST_RIGHTS_RDONLY, 0, NULL), ==,
			 ZVM_WASI_EINVAL);
	g_assert_cmpuint(test_open(job, 3, "input", 0, TEST_RIGHTS_RDONLY, 0x20, NULL), ==,
			 ZVM_WASI_EINVAL);
	g_assert_cmpuint(
	    test_open(job, 3, "input", 0, TEST_RIGHTS_RDONLY, ZVM_WASI_FDFLAG_NONBLOCK, NULL), ==,
	    ZVM_WASI_ENOTSUP);
	/* But on a regular file (a random-read channel), where it means nothing. */
	uint32_t nvram_fd;
	g_assert_cmpuint(
	    test_open(job, 3, "nvram", 0, TEST_RIGHTS_RDONLY, ZVM_WASI_FDFLAG_NONBLOCK, &nvram_fd),
	    ==, ZVM_WASI_SUCCESS);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_close(job->instance, nvram_fd), ==, 0);
	/* Nothing was read or written by any of it. */
	g_assert_cmpint(test_job_channel(job, "/dev/input")->counters->used[ZVM_LIMIT_GETS], ==, 0);
}

/* Escape attempts, relative to /dev and to a directory below it. */
static void test_escapes(void)
{
	g_autoptr(TestJob) job = dev_job();
	uint32_t in_dir, fd;
	static const struct {
		const char *path;
		uint32_t error;
	} from_dev[] = {
	    {"..", ZVM_WASI_ENOTCAPABLE},
	    {"../..", ZVM_WASI_ENOTCAPABLE},
	    {"../etc/passwd", ZVM_WASI_ENOTCAPABLE},
	    {"../dev/input", ZVM_WASI_ENOTCAPABLE},
	    {"in/../../x", ZVM_WASI_ENOTCAPABLE},
	    {"in/../..", ZVM_WASI_ENOTCAPABLE},
	    {"./../input", ZVM_WASI_ENOTCAPABLE},
	    {"/etc/passwd", ZVM_WASI_ENOTCAPABLE},
	    {"/proc/self/status", ZVM_WASI_ENOTCAPABLE},
	    {"//x", ZVM_WASI_ENOTCAPABLE},
	    {"/", ZVM_WASI_ENOTCAPABLE},
	    {"/input", ZVM_WASI_ENOTCAPABLE},
	    {"", ZVM_WASI_ENOENT},
	    {"input/..", ZVM_WASI_ENOTDIR},
	    {"input/../../x", ZVM_WASI_ENOTDIR},
	};

	for (guint i = 0; i < G_N_ELEMENTS(from_dev); i++) {
		g_test_message("path '%s'", from_dev[i].path);
		g_assert_cmpuint(
		    test_open(job, 3, from_dev[i].path, 0, TEST_RIGHTS_RDONLY, 0, NULL), ==,
		    from_dev[i].error);
		g_assert_cmpuint(test_open(job, 3, from_dev[i].path, ZVM_WASI_OFLAG_CREAT,
					   TEST_RIGHTS_WRONLY, 0, NULL),
				 ==, from_dev[i].error);
		uint32_t length = test_put_path(job, from_dev[i].path);
		g_assert_cmpuint(Z_wasi_snapshot_preview1Z_path_filestat_get(
				     job->instance, 3, 0, TEST_PATH, length, TEST_STAT),
				 ==, from_dev[i].error);
	}
	/* A NUL inside the path: not a shorter path. */
	memcpy(test_mem(job, TEST_PATH), "input\0/../../x", 14);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_path_open(job->instance, 3, 0, TEST_PATH, 14, 0,
							     TEST_RIGHTS_RDONLY, 0, 0, TEST_RESULT),
			 ==, ZVM_WASI_EINVAL);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_path_open(job->instance, 3, 0, TEST_PATH, 6, 0,
							     TEST_RIGHTS_RDONLY, 0, 0, TEST_RESULT),
			 ==, ZVM_WASI_EINVAL);
	/* A path longer than memory, or past its end. */
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_path_open(job->instance, 3, 0, TEST_PATH,
							     0xffffffff, 0, TEST_RIGHTS_RDONLY, 0,
							     0, TEST_RESULT),
			 ==, ZVM_WASI_EFAULT);
	/* Over the length bounds. */
	g_autofree char *long_path = g_strnfill(ZVM_WASI_PATH_MAX + 1, '/');
	long_path[0] = 'x';
	g_assert_cmpuint(test_open(job, 3, long_path, 0, TEST_RIGHTS_RDONLY, 0, NULL), ==,
			 ZVM_WASI_ENAMETOOLONG);
	g_autofree char *long_name = g_strnfill(ZVM_WASI_NAME_MAX + 1, 'a');
	g_assert_cmpuint(test_open(job, 3, long_name, 0, TEST_RIGHTS_RDONLY, 0, NULL), ==,
			 ZVM_WASI_ENAMETOOLONG);
	long_name[ZVM_WASI_NAME_MAX] = '\0';
	g_assert_cmpuint(test_open(job, 3, long_name, 0, TEST_RIGHTS_RDONLY, 0, NULL), ==,
			 ZVM_WASI_ENOENT);

	/* A directory descriptor is a capability for what is below it, not for its parent. */
	g_assert_cmpuint(
	    test_open(job, 3, "in", ZVM_WASI_OFLAG_DIRECTORY, TEST_RIGHTS_RDONLY, 0, &in_dir), ==,
	    0);
	g_assert_cmpuint(test_open(job, in_dir, "..", 0, TEST_RIGHTS_RDONLY, 0, NULL), ==,
			 ZVM_WASI_ENOTCAPABLE);
	g_assert_cmpuint(test_open(job, in_dir, "../input", 0, TEST_RIGHTS_RDONLY, 0, NULL), ==,
			 ZVM_WASI_ENOTCAPABLE);
	g_assert_cmpuint(
	    test_open(job, in_dir, "mapper-1/../../input", 0, TEST_RIGHTS_RDONLY, 0, NULL), ==,
	    ZVM_WASI_ENOTDIR);
	g_assert_cmpuint(test_open(job, in_dir, ".", 0, TEST_RIGHTS_RDONLY, 0, &fd), ==, 0);
	g_assert_cmpuint(test_open(job, 3, "in/..", 0, TEST_RIGHTS_RDONLY, 0, &fd), ==, 0);
	/* Neither input nor the host changed. */
	g_assert_cmpuint(test_open(job, 3, "input", 0, TEST_RIGHTS_RDONLY, 0, &fd), ==, 0);
	assert_reads(job, fd, "secret input\n");
}

static void test_readdir(void)
{
	g_autoptr(TestJob) job = dev_job();
	static const char *const dev_names[] = {".",	 "..",	"data",	  "in", "input",
						"nvram", "out", "output", NULL};
	static const uint8_t dev_types[] = {
	    ZVM_WASI_FILETYPE_DIRECTORY,	ZVM_WASI_FILETYPE_DIRECTORY,
	    ZVM_WASI_FILETYPE_REGULAR_FILE,	ZVM_WASI_FILETYPE_DIRECTORY,
	    ZVM_WASI_FILETYPE_CHARACTER_DEVICE, ZVM_WASI_FILETYPE_REGULAR_FILE,
	    ZVM_WASI_FILETYPE_DIRECTORY,	ZVM_WASI_FILETYPE_CHARACTER_DEVICE,
	};
	uint32_t in_dir;

	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_filestat_get(job->instance, 3, TEST_STAT), ==,
			 0);
	uint64_t dev_ino = zvm_wasi_get_u64(test_mem(job, TEST_STAT + 8));

	/* Whatever the buffer size, the same listing. */
	const uint32_t sizes[] = {4096, 25, 30, 48, 64};
	for (guint s = 0; s < G_N_ELEMENTS(sizes); s++) {
		g_autoptr(GArray) entries = list(job, 3, 0, sizes[s]);

		assert_names(entries, dev_names);
		for (guint i = 0; i < entries->len; i++) {
			Dirent *d = &g_array_index(entries, Dirent, i);

			g_assert_cmpuint(d->type, ==, dev_types[i]);
			g_assert_cmpuint(d->next, ==, i + 1);
		}
		g_assert_cmpuint(g_array_index(entries, Dirent, 0).ino, ==, dev_ino);
		g_assert_cmpuint(g_array_index(entries, Dirent, 1).ino, ==, dev_ino);
	}
	/* From a cookie on. */
	g_autoptr(GArray) tail = list(job, 3, 4, 4096);
	assert_names(tail, (const char *const[]){"input", "nvram", "out", "output", NULL});
	g_autoptr(GArray) none = list(job, 3, 8, 4096);
	g_assert_cmpuint(none->len, ==, 0);
	g_autoptr(GArray) far = list(job, 3, UINT64_MAX, 4096);
	g_assert_cmpuint(far->len, ==, 0);

	/* A full buffer is full to the byte: 24 + 1 for ".", then 5 bytes of "..". */
	g_assert_cmpuint(
	    Z_wasi_snapshot_preview1Z_fd_readdir(job->instance, 3, TEST_BUF, 30, 0, TEST_RESULT),
	    ==, 0);
	g_assert_cmpuint(zvm_wasi_get_u32(test_mem(job, TEST_RESULT)), ==, 30);
	g_assert_cmpuint(zvm_wasi_get_u64(test_mem(job, TEST_BUF + 25)), ==, 2);
	g_assert_cmpuint(
	    Z_wasi_snapshot_preview1Z_fd_readdir(job->instance, 3, TEST_BUF, 0, 0, TEST_RESULT), ==,
	    0);
	g_assert_cmpuint(zvm_wasi_get_u32(test_mem(job, TEST_RESULT)), ==, 0);

	/* A subdirectory: its ".." is /dev. */
	g_assert_cmpuint(
	    test_open(job, 3, "in", ZVM_WASI_OFLAG_DIRECTORY, TEST_RIGHTS_RDONLY, 0, &in_dir), ==,
	    0);
	g_autoptr(GArray) in_entries = list(job, in_dir, 0, 4096);
	assert_names(in_entries, (const char *const[]){".", "..", "mapper-1", "mapper-2", NULL});
	g_assert_cmpuint(g_array_index(in_entries, Dirent, 1).ino, ==, dev_ino);
	g_assert_cmpuint(g_array_index(in_entries, Dirent, 0).ino, !=, dev_ino);

	/* Not a directory. */
	g_assert_cmpuint(
	    Z_wasi_snapshot_preview1Z_fd_readdir(job->instance, 0, TEST_BUF, 100, 0, TEST_RESULT),
	    ==, ZVM_WASI_ENOTDIR);
}

static void test_path_filestat(void)
{
	g_autoptr(TestJob) job = dev_job();
	uint8_t *stat = test_mem(job, TEST_STAT);
	uint32_t length;

	length = test_put_path(job, "nvram");
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_path_filestat_get(job->instance, 3, 1, TEST_PATH,
								     length, TEST_STAT),
			 ==, 0);
	g_assert_cmpuint(zvm_wasi_get_u64(stat), ==, 1);
	g_assert_cmpuint(stat[16], ==, ZVM_WASI_FILETYPE_REGULAR_FILE);
	g_assert_cmpuint(zvm_wasi_get_u64(stat + 32), ==, strlen("[args]\nargs = prog\n"));
	g_assert_cmpuint(zvm_wasi_get_u64(stat + 24), ==, 1);
	length = test_put_path(job, "in");
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_path_filestat_get(job->instance, 3, 0, TEST_PATH,
								     length, TEST_STAT),
			 ==, 0);
	g_assert_cmpuint(stat[16], ==, ZVM_WASI_FILETYPE_DIRECTORY);
	length = test_put_path(job, "out/reducer-1");
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_path_filestat_get(job->instance, 3, 0, TEST_PATH,
								     length, TEST_STAT),
			 ==, 0);
	g_assert_cmpuint(stat[16], ==, ZVM_WASI_FILETYPE_CHARACTER_DEVICE);
	g_assert_cmpuint(zvm_wasi_get_u64(stat + 32), ==, 0);
	length = test_put_path(job, "missing");
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_path_filestat_get(job->instance, 3, 0, TEST_PATH,
								     length, TEST_STAT),
			 ==, ZVM_WASI_ENOENT);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_path_filestat_get(job->instance, 1, 0, TEST_PATH,
								     length, TEST_STAT),
			 ==, ZVM_WASI_ENOTDIR);
}

/* Nothing can be created, removed, renamed, linked or touched. */
static void test_changes_refused(void)
{
	g_autoptr(TestJob) job = dev_job();
	Instance *in = job->instance;
	uint32_t a, b;

#define PATH(text) (a = test_put_path(job, text), a)
	g_assert_cmpuint(
	    Z_wasi_snapshot_preview1Z_path_create_directory(in, 3, TEST_PATH, PATH("newdir")), ==,
	    ZVM_WASI_EACCES);
	g_assert_cmpuint(
	    Z_wasi_snapshot_preview1Z_path_create_directory(in, 3, TEST_PATH, PATH("in")), ==,
	    ZVM_WASI_EEXIST);
	g_assert_cmpuint(
	    Z_wasi_snapshot_preview1Z_path_create_directory(in, 3, TEST_PATH, PATH("../newdir")),
	    ==, ZVM_WASI_ENOTCAPABLE);
	g_assert_cmpuint(
	    Z_wasi_snapshot_preview1Z_path_create_directory(in, 3, TEST_PATH, PATH("a/b")), ==,
	    ZVM_WASI_ENOENT);
	g_assert_cmpuint(
	    Z_wasi_snapshot_preview1Z_path_create_directory(in, 1, TEST_PATH, PATH("x")), ==,
	    ZVM_WASI_ENOTDIR);
	g_assert_cmpuint(
	    Z_wasi_snapshot_preview1Z_path_remove_directory(in, 3, TEST_PATH, PATH("in")), ==,
	    ZVM_WASI_EACCES);
	g_assert_cmpuint(
	    Z_wasi_snapshot_preview1Z_path_remove_directory(in, 3, TEST_PATH, PATH(".")), ==,
	    ZVM_WASI_EINVAL);
	g_assert_cmpuint(
	    Z_wasi_snapshot_preview1Z_path_remove_directory(in, 3, TEST_PATH, PATH("input")), ==,
	    ZVM_WASI_ENOTDIR);
	g_assert_cmpuint(
	    Z_wasi_snapshot_preview1Z_path_remove_directory(in, 3, TEST_PATH, PATH("..")), ==,
	    ZVM_WASI_ENOTCAPABLE);
	g_assert_cmpuint(
	    Z_wasi_snapshot_preview1Z_path_unlink_file(in, 3, TEST_PATH, PATH("input")), ==,
	    ZVM_WASI_EACCES);
	g_assert_cmpuint(
	    Z_wasi_snapshot_preview1Z_path_unlink_file(in, 3, TEST_PATH, PATH("output")), ==,
	    ZVM_WASI_EACCES);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_path_unlink_file(in, 3, TEST_PATH, PATH("in")),
			 ==, ZVM_WASI_EISDIR);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_path_unlink_file(in, 3, TEST_PATH, PATH("nope")),
			 ==, ZVM_WASI_ENOENT);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_path_filestat_set_times(in, 3, 0, TEST_PATH,
									   PATH("input"), 1, 1, 5),
			 ==, ZVM_WASI_EPERM);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_path_filestat_set_times(in, 3, 0, TEST_PATH,
									   PATH("nope"), 1, 1, 5),
			 ==, ZVM_WASI_ENOENT);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_path_readlink(in, 3, TEST_PATH, PATH("input"),
								 TEST_BUF, 100, TEST_RESULT),
			 ==, ZVM_WASI_EINVAL);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_path_readlink(in, 3, TEST_PATH, PATH("nope"),
								 TEST_BUF, 100, TEST_RESULT),
			 ==, ZVM_WASI_ENOENT);

	/* Two paths: the old one at TEST_PATH, the new one at TEST_BUF2. */
	b = (uint32_t)strlen("renamed");
	memcpy(test_mem(job, TEST_BUF2), "renamed", b);
	g_assert_cmpuint(
	    Z_wasi_snapshot_preview1Z_path_rename(in, 3, TEST_PATH, PATH("input"), 3, TEST_BUF2, b),
	    ==, ZVM_WASI_EACCES);
	g_assert_cmpuint(
	    Z_wasi_snapshot_preview1Z_path_rename(in, 3, TEST_PATH, PATH("nope"), 3, TEST_BUF2, b),
	    ==, ZVM_WASI_ENOENT);
	g_assert_cmpuint(
	    Z_wasi_snapshot_preview1Z_path_rename(in, 3, TEST_PATH, PATH("input"), 3, TEST_BUF2, 0),
	    ==, ZVM_WASI_ENOENT);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_path_link(in, 3, 0, TEST_PATH, PATH("input"), 3,
							     TEST_BUF2, b),
			 ==, ZVM_WASI_EACCES);
	g_assert_cmpuint(
	    Z_wasi_snapshot_preview1Z_path_link(in, 3, 0, TEST_PATH, PATH("in"), 3, TEST_BUF2, b),
	    ==, ZVM_WASI_EPERM);
	a = test_put_path(job, "input");
	g_assert_cmpuint(
	    Z_wasi_snapshot_preview1Z_path_link(in, 3, 0, TEST_PATH, a, 3, TEST_PATH, a), ==,
	    ZVM_WASI_EEXIST);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_path_symlink(in, TEST_PATH, PATH("/etc/passwd"),
								3, TEST_BUF2, b),
			 ==, ZVM_WASI_EACCES);
	g_assert_cmpuint(
	    Z_wasi_snapshot_preview1Z_path_symlink(in, TEST_PATH, PATH("x"), 3, TEST_BUF2 + 2, 1),
	    ==, ZVM_WASI_EACCES);
	memcpy(test_mem(job, TEST_BUF2), "input", 5);
	g_assert_cmpuint(
	    Z_wasi_snapshot_preview1Z_path_symlink(in, TEST_PATH, PATH("x"), 3, TEST_BUF2, 5), ==,
	    ZVM_WASI_EEXIST);
	g_assert_cmpuint(
	    Z_wasi_snapshot_preview1Z_path_symlink(in, TEST_MEMORY_SIZE - 1, 2, 3, TEST_BUF2, 5),
	    ==, ZVM_WASI_EFAULT);
#undef PATH
	/* Still there, still the same. */
	uint32_t fd;
	g_assert_cmpuint(test_open(job, 3, "input", 0, TEST_RIGHTS_RDONLY, 0, &fd), ==, 0);
	assert_reads(job, fd, "secret input\n");
}

static void test_close_renumber(void)
{
	g_autoptr(TestJob) job = dev_job();
	Instance *in = job->instance;
	uint32_t fd, dir, n;

	g_assert_cmpuint(test_open(job, 3, "input", 0, TEST_RIGHTS_RDONLY, 0, &fd), ==, 0);
	g_assert_cmpuint(fd, ==, 4);
	/* Onto stdin: fd 0 is now /dev/input, 4 is gone. */
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_renumber(in, 4, 0), ==, 0);
	assert_reads(job, 0, "secret input\n");
	g_assert_cmpuint(test_read(job, 4, 1, &n), ==, ZVM_WASI_EBADF);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_renumber(in, 0, 0), ==, 0);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_renumber(in, 0, 9), ==, ZVM_WASI_EBADF);
	assert_reads(job, 0, "");
	/* The stream that was replaced is untouched: its channel is still there. */
	g_assert_cmpint(test_job_channel(job, "/dev/stdin")->counters->used[ZVM_LIMIT_GETS], ==, 0);

	/* A preopen may be closed, or moved (its prestat goes along). */
	g_assert_cmpuint(
	    test_open(job, 3, ".", ZVM_WASI_OFLAG_DIRECTORY, TEST_RIGHTS_RDONLY, 0, &dir), ==, 0);
	g_assert_cmpuint(dir, ==, 4);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_renumber(in, 3, 2), ==, 0);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_prestat_get(in, 2, TEST_STAT), ==, 0);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_prestat_get(in, 3, TEST_STAT), ==,
			 ZVM_WASI_EBADF);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_close(in, 2), ==, 0);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_close(in, 2), ==, ZVM_WASI_EBADF);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_prestat_get(in, 2, TEST_STAT), ==,
			 ZVM_WASI_EBADF);
	g_assert_cmpuint(test_open(job, 2, "input", 0, TEST_RIGHTS_RDONLY, 0, NULL), ==,
			 ZVM_WASI_EBADF);
	/* New descriptors take the lowest free numbers. */
	g_assert_cmpuint(test_open(job, dir, "input", 0, TEST_RIGHTS_RDONLY, 0, &fd), ==, 0);
	g_assert_cmpuint(fd, ==, 2);
	g_assert_cmpuint(test_open(job, dir, "output", 0, TEST_RIGHTS_WRONLY, 0, &fd), ==, 0);
	g_assert_cmpuint(fd, ==, 3);
	g_assert_cmpuint(test_open(job, dir, "output", 0, TEST_RIGHTS_WRONLY, 0, &fd), ==, 0);
	g_assert_cmpuint(fd, ==, 5);
}

/* At most ZVM_WASI_MAX_FDS descriptors. */
static void test_descriptor_limit(void)
{
	g_autoptr(TestJob) job = dev_job();
	uint32_t fd = 0, opened = 0;

	while (test_open(job, 3, "input", 0, TEST_RIGHTS_RDONLY, 0, &fd) == ZVM_WASI_SUCCESS)
		opened++;
	g_assert_cmpuint(opened, ==, ZVM_WASI_MAX_FDS - 4);
	g_assert_cmpuint(test_open(job, 3, "input", 0, TEST_RIGHTS_RDONLY, 0, NULL), ==,
			 ZVM_WASI_EMFILE);
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_close(job->instance, 500), ==, 0);
	g_assert_cmpuint(test_open(job, 3, "input", 0, TEST_RIGHTS_RDONLY, 0, &fd), ==, 0);
	g_assert_cmpuint(fd, ==, 500);
}

/* Aliases that would clash or leave /dev: the tree stays a tree. */
static void test_odd_aliases(void)
{
	const TestChannel extra[] = {
	    {"/dev/a", 0, ZVM_ACCESS_READ, 1, 1, 0, 0, NULL},
	    {"/dev/a/b", 0, ZVM_ACCESS_READ, 1, 1, 0, 0, NULL},
	    {"/dev/x//y", 0, ZVM_ACCESS_READ, 1, 1, 0, 0, NULL},
	    {"/dev/./z", 0, ZVM_ACCESS_READ, 1, 1, 0, 0, NULL},
	    {"/dev/q/../r", 0, ZVM_ACCESS_READ, 1, 1, 0, 0, NULL},
	    {"/dev/", 0, ZVM_ACCESS_READ, 1, 1, 0, 0, NULL},
	    {"/other/thing", 0, ZVM_ACCESS_READ, 1, 1, 0, 0, NULL},
	    {"/dev/stdin/sub", 0, ZVM_ACCESS_READ, 1, 1, 0, 0, NULL},
	};
	g_autoptr(TestJob) job = test_job_new(extra, G_N_ELEMENTS(extra));

	g_autoptr(GArray) entries = list(job, 3, 0, 4096);
	assert_names(entries, (const char *const[]){".", "..", "a", "stdin", "x", "z", NULL});
	g_assert_cmpuint(test_open(job, 3, "a/b", 0, TEST_RIGHTS_RDONLY, 0, NULL), ==, 0);
	g_assert_cmpuint(test_open(job, 3, "x/y", 0, TEST_RIGHTS_RDONLY, 0, NULL), ==, 0);
	g_assert_cmpuint(test_open(job, 3, "stdin/sub", 0, TEST_RIGHTS_RDONLY, 0, NULL), ==, 0);
	g_assert_cmpuint(
	    test_open(job, 3, "a", ZVM_WASI_OFLAG_DIRECTORY, TEST_RIGHTS_RDONLY, 0, NULL), ==, 0);
}

void test_paths_register(void)
{
	g_test_add_func("/wasi/paths/preopens", test_preopens);
	g_test_add_func("/wasi/paths/open-tree", test_open_tree);
	g_test_add_func("/wasi/paths/open-flags", test_open_flags);
	g_test_add_func("/wasi/paths/escapes", test_escapes);
	g_test_add_func("/wasi/paths/readdir", test_readdir);
	g_test_add_func("/wasi/paths/path-filestat", test_path_filestat);
	g_test_add_func("/wasi/paths/changes-refused", test_changes_refused);
	g_test_add_func("/wasi/paths/close-renumber", test_close_renumber);
	g_test_add_func("/wasi/paths/descriptor-limit", test_descriptor_limit);
	g_test_add_func("/wasi/paths/odd-aliases", test_odd_aliases);
}
