/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared fixtures of the WASI host tests: a job (host, fake linear memory, real channels over
 * memfds), calls made as wasm2c's code makes them, and tar images built with libarchive.
 */
#pragma once

#include <glib.h>
#include <setjmp.h>
#include <stdint.h>

#include "wasi-abi.h"
#include "wasi-fs.h"
#include "wasi-host.h"
#include "wasi-imports.h"

typedef struct Z_wasi_snapshot_preview1_instance_t Instance;

/* Guest addresses the tests use: scratch words, paths, iovecs, data. */
enum {
	TEST_MEMORY_SIZE = 1 << 20,
	TEST_RESULT = 0x100, /* u32/u64 results */
	TEST_STAT = 0x200,   /* fdstat, filestat, prestat */
	TEST_PATH = 0x1000,
	TEST_IOVS = 0x2000,
	TEST_BUF = 0x10000,
	TEST_BUF2 = 0x40000,
};

/* wasi-libc's path_open rights for O_RDONLY and O_WRONLY (before its mask by the directory). */
#define TEST_RIGHTS_OTHER                                                                  \
	(~(ZVM_WASI_RIGHT_FD_DATASYNC | ZVM_WASI_RIGHT_FD_READ | ZVM_WASI_RIGHT_FD_WRITE | \
	   ZVM_WASI_RIGHT_FD_ALLOCATE | ZVM_WASI_RIGHT_FD_READDIR |                        \
	   ZVM_WASI_RIGHT_FD_FILESTAT_SET_SIZE))
#define TEST_RIGHTS_RDONLY (TEST_RIGHTS_OTHER | ZVM_WASI_RIGHT_FD_READ | ZVM_WASI_RIGHT_FD_READDIR)
#define TEST_RIGHTS_WRONLY                                                          \
	(TEST_RIGHTS_OTHER | ZVM_WASI_RIGHT_FD_DATASYNC | ZVM_WASI_RIGHT_FD_WRITE | \
	 ZVM_WASI_RIGHT_FD_ALLOCATE | ZVM_WASI_RIGHT_FD_FILESTAT_SET_SIZE)
#define TEST_RIGHTS_RDWR (TEST_RIGHTS_RDONLY | TEST_RIGHTS_WRONLY)

#define TEST_BIG (INT64_C(1) << 40)

typedef struct {
	const char *alias;
	int type; /* 0..3 */
	ZvmAccess access;
	int64_t gets, get_size, puts, put_size;
	const char *content; /* what the host file holds at the start; NULL: empty */
	int host_fd;	     /* > 0: this descriptor instead of a memfd (the channel owns it) */
} TestChannel;

typedef struct {
	wasm_rt_memory_t memory;
	ZvmChannel **channels;
	guint n_channels;
	int *host_fds; /* a second descriptor on each channel's memfd */
	ZvmWasiHost *host;
	Instance *instance;
} TestJob;

typedef struct {
	char **args;
	char **env;
	int64_t start_seconds;
	const guint8 *seed; /* 32 bytes; NULL: zeros */
	const ZvmWasiMount *mounts;
	guint n_mounts;
	const int *mount_channels; /* per mount: the index of its channel among the job's, or
				      -1 (NULL: every mount keeps its own .channel) */
} TestJobOptions;

/* Readable sequential stdin (empty) and writable stdout/stderr, then @extra. */
TestJob *test_job_new(const TestChannel *extra, guint n_extra);
/* Exactly @channels (the first three are the standard ones), with @options (may be NULL). */
TestJob *test_job_new_full(const TestChannel *channels, guint n_channels,
			   const TestJobOptions *options);
void test_job_free(TestJob *job);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TestJob, test_job_free)

uint8_t *test_mem(TestJob *job, uint32_t address);
/* Writes @path (without NUL) at TEST_PATH; returns its length. */
uint32_t test_put_path(TestJob *job, const char *path);
/* What the host file of channel @index holds now (NUL-terminated for convenience). */
char *test_job_contents(TestJob *job, guint index, gsize *length);
/* The channel named @alias. */
ZvmChannel *test_job_channel(TestJob *job, const char *alias);

uint32_t test_open(TestJob *job, uint32_t dirfd, const char *path, uint32_t oflags, uint64_t rights,
		   uint32_t fdflags, uint32_t *fd);
/* One iovec over TEST_BUF. */
uint32_t test_read(TestJob *job, uint32_t fd, uint32_t length, uint32_t *nread);
uint32_t test_write(TestJob *job, uint32_t fd, const char *data, uint32_t length,
		    uint32_t *nwritten);
uint32_t test_seek(TestJob *job, uint32_t fd, int64_t offset, uint32_t whence, uint64_t *position);
void test_set_iovec(TestJob *job, uint32_t index, uint32_t buf, uint32_t length);
uint8_t test_filetype(TestJob *job, uint32_t fd);
uint64_t test_rights(TestJob *job, uint32_t fd);

/* A tar built with libarchive's writer: regular files unless @type says otherwise. */
typedef struct {
	const char *name;
	unsigned int type;   /* AE_IF*; 0 means AE_IFREG */
	const char *content; /* regular files */
	const char *link;    /* symlink target or hard link source */
} TestMember;
GBytes *test_tar(const TestMember *members, guint n_members, gboolean gzip);

/* proc_exit and the timeout jump back here (zvm_runner_exit/timeout of the tests). */
extern jmp_buf test_runner_jump;
extern int test_runner_exit_code;
enum { TEST_JUMP_EXIT = 1, TEST_JUMP_TIMEOUT = 2 };

void test_io_register(void);
void test_paths_register(void);
void test_image_register(void);
void test_misc_register(void);
void test_signatures_register(void);
void test_tree_register(void);
