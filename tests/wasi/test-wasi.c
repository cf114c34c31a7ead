/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The WASI host tests' fixtures and main: jobs over memfd channels, a fake linear memory,
 * helpers that make calls the way wasm2c's code does, and tar images for the image tests.
 */
#include "test-wasi.h"

#include <archive.h>
#include <archive_entry.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

jmp_buf test_runner_jump;
int test_runner_exit_code;

/* The runner's side of the contract in wasi-host.h. */
G_NORETURN void zvm_runner_exit(int code)
{
	test_runner_exit_code = code;
	longjmp(test_runner_jump, TEST_JUMP_EXIT);
}

G_NORETURN void zvm_runner_timeout(void)
{
	longjmp(test_runner_jump, TEST_JUMP_TIMEOUT);
}

static const TestChannel std_channels[] = {
    {"/dev/stdin", 0, ZVM_ACCESS_READ, TEST_BIG, TEST_BIG, 0, 0, NULL},
    {"/dev/stdout", 0, ZVM_ACCESS_WRITE, 0, 0, TEST_BIG, TEST_BIG, NULL},
    {"/dev/stderr", 0, ZVM_ACCESS_WRITE, 0, 0, TEST_BIG, TEST_BIG, NULL},
};

TestJob *test_job_new(const TestChannel *extra, guint n_extra)
{
	g_autofree TestChannel *all = g_new0(TestChannel, 3 + n_extra);

	memcpy(all, std_channels, sizeof(std_channels));
	if (n_extra > 0)
		memcpy(all + 3, extra, n_extra * sizeof(*extra));
	return test_job_new_full(all, 3 + n_extra, NULL);
}

TestJob *test_job_new_full(const TestChannel *channels, guint n_channels,
			   const TestJobOptions *options)
{
	static const guint8 zero_seed[32];
	TestJobOptions defaults = {0};
	TestJob *job = g_new0(TestJob, 1);

	if (options == NULL)
		options = &defaults;
	job->memory.data = g_malloc0(TEST_MEMORY_SIZE);
	job->memory.size = TEST_MEMORY_SIZE;
	job->memory.pages = TEST_MEMORY_SIZE / 65536;
	job->memory.max_pages = job->memory.pages;
	job->n_channels = n_channels;
	job->channels = g_new0(ZvmChannel *, n_channels + 1);
	job->host_fds = g_new0(int, n_channels);
	for (guint i = 0; i < n_channels; i++) {
		const TestChannel *c = &channels[i];
		ZvmChannelSpec spec = {
		    .alias = (char *)c->alias,
		    .type = c->type,
		    .access = c->access,
		    .limits = {c->gets, c->get_size, c->puts, c->put_size},
		};
		int fd = c->host_fd > 0 ? c->host_fd : memfd_create(c->alias, MFD_CLOEXEC);
		size_t length = c->content ? strlen(c->content) : 0;

		g_assert_cmpint(fd, >=, 0);
		if (c->host_fd <= 0)
			g_assert_cmpint(write(fd, c->content ? c->content : "", length), ==,
					(ssize_t)length);
		job->host_fds[i] = dup(fd);
		g_assert_cmpint(job->host_fds[i], >=, 0);
		job->channels[i] = zvm_channel_new(
		    &spec, ZVM_SOURCE_FD, fd, (c->access & ZVM_ACCESS_READ) ? (int64_t)length : 0,
		    NULL, ZVM_ETAG_MD5);
	}
	g_autofree ZvmWasiMount *mounts = g_new0(ZvmWasiMount, options->n_mounts + 1);
	for (guint i = 0; i < options->n_mounts; i++) {
		mounts[i] = options->mounts[i];
		if (options->mount_channels != NULL)
			mounts[i].channel = options->mount_channels[i] >= 0
						? job->channels[options->mount_channels[i]]
						: NULL;
	}
	job->host = zvm_wasi_host_new(
	    job->channels, n_channels, options->args, options->env, options->start_seconds,
	    options->seed ? options->seed : zero_seed, mounts, options->n_mounts);
	job->host->memory = &job->memory;
	job->instance = (Instance *)job->host;
	return job;
}

void test_job_free(TestJob *job)
{
	if (job == NULL)
		return;
	zvm_wasi_host_free(job->host);
	for (guint i = 0; i < job->n_channels; i++) {
		zvm_channel_free(job->channels[i]);
		close(job->host_fds[i]);
	}
	g_free(job->host_fds);
	g_free(job->channels);
	g_free(job->memory.data);
	g_free(job);
}

uint8_t *test_mem(TestJob *job, uint32_t address)
{
	g_assert_cmpuint(address, <, job->memory.size);
	return job->memory.data + address;
}

uint32_t test_put_path(TestJob *job, const char *path)
{
	size_t length = strlen(path);

	memcpy(test_mem(job, TEST_PATH), path, length);
	return (uint32_t)length;
}

char *test_job_contents(TestJob *job, guint index, gsize *length)
{
	int fd = job->host_fds[index];
	off_t size = lseek(fd, 0, SEEK_END);
	char *data = g_malloc0((gsize)size + 1);

	g_assert_cmpint(pread(fd, data, (size_t)size, 0), ==, size);
	if (length != NULL)
		*length = (gsize)size;
	return data;
}

ZvmChannel *test_job_channel(TestJob *job, const char *alias)
{
	for (guint i = 0; i < job->n_channels; i++) {
		if (strcmp(job->channels[i]->alias, alias) == 0)
			return job->channels[i];
	}
	g_assert_not_reached();
}

uint32_t test_open(TestJob *job, uint32_t dirfd, const char *path, uint32_t oflags, uint64_t rights,
		   uint32_t fdflags, uint32_t *fd)
{
	uint32_t length = test_put_path(job, path);
	uint32_t error =
	    Z_wasi_snapshot_preview1Z_path_open(job->instance, dirfd, 1, TEST_PATH, length, oflags,
						rights, rights, fdflags, TEST_RESULT);

	if (fd != NULL)
		*fd = error == ZVM_WASI_SUCCESS ? zvm_wasi_get_u32(test_mem(job, TEST_RESULT))
						: UINT32_MAX;
	return error;
}

void test_set_iovec(TestJob *job, uint32_t index, uint32_t buf, uint32_t length)
{
	zvm_wasi_put_u32(test_mem(job, TEST_IOVS + index * 8), buf);
	zvm_wasi_put_u32(test_mem(job, TEST_IOVS + index * 8 + 4), length);
}

uint32_t test_read(TestJob *job, uint32_t fd, uint32_t length, uint32_t *nread)
{
	test_set_iovec(job, 0, TEST_BUF, length);
	zvm_wasi_put_u32(test_mem(job, TEST_RESULT), 0xdeadbeef);
	uint32_t error =
	    Z_wasi_snapshot_preview1Z_fd_read(job->instance, fd, TEST_IOVS, 1, TEST_RESULT);
	if (nread != NULL)
		*nread = zvm_wasi_get_u32(test_mem(job, TEST_RESULT));
	return error;
}

uint32_t test_write(TestJob *job, uint32_t fd, const char *data, uint32_t length,
		    uint32_t *nwritten)
{
	memcpy(test_mem(job, TEST_BUF), data, length);
	test_set_iovec(job, 0, TEST_BUF, length);
	zvm_wasi_put_u32(test_mem(job, TEST_RESULT), 0xdeadbeef);
	uint32_t error =
	    Z_wasi_snapshot_preview1Z_fd_write(job->instance, fd, TEST_IOVS, 1, TEST_RESULT);
	if (nwritten != NULL)
		*nwritten = zvm_wasi_get_u32(test_mem(job, TEST_RESULT));
	return error;
}

uint32_t test_seek(TestJob *job, uint32_t fd, int64_t offset, uint32_t whence, uint64_t *position)
{
	uint32_t error = Z_wasi_snapshot_preview1Z_fd_seek(job->instance, fd, (uint64_t)offset,
							   whence, TEST_RESULT);

	if (position != NULL)
		*position = zvm_wasi_get_u64(test_mem(job, TEST_RESULT));
	return error;
}

uint8_t test_filetype(TestJob *job, uint32_t fd)
{
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_fdstat_get(job->instance, fd, TEST_STAT), ==,
			 ZVM_WASI_SUCCESS);
	return *test_mem(job, TEST_STAT);
}

uint64_t test_rights(TestJob *job, uint32_t fd)
{
	g_assert_cmpuint(Z_wasi_snapshot_preview1Z_fd_fdstat_get(job->instance, fd, TEST_STAT), ==,
			 ZVM_WASI_SUCCESS);
	return zvm_wasi_get_u64(test_mem(job, TEST_STAT + 8));
}

static la_ssize_t tar_append(struct archive *archive, void *data, const void *buffer, size_t length)
{
	g_byte_array_append(data, buffer, (guint)length);
	return (la_ssize_t)length;
}

GBytes *test_tar(const TestMember *members, guint n_members, gboolean gzip)
{
	struct archive *archive = archive_write_new();
	GByteArray *bytes = g_byte_array_new();

	g_assert_cmpint(archive_write_set_format_pax_restricted(archive), ==, ARCHIVE_OK);
	if (gzip)
		g_assert_cmpint(archive_write_add_filter_gzip(archive), ==, ARCHIVE_OK);
	g_assert_cmpint(archive_write_set_bytes_in_last_block(archive, 1), ==, ARCHIVE_OK);
	g_assert_cmpint(archive_write_open(archive, bytes, NULL, tar_append, NULL), ==, ARCHIVE_OK);
	for (guint i = 0; i < n_members; i++) {
		const TestMember *m = &members[i];
		struct archive_entry *entry = archive_entry_new();
		unsigned int type = m->type ? m->type : AE_IFREG;
		size_t length = m->content ? strlen(m->content) : 0;

		archive_entry_set_pathname(entry, m->name);
		if (type == AE_IFREG && m->link != NULL) {
			archive_entry_set_hardlink(entry, m->link);
		} else {
			archive_entry_set_filetype(entry, type);
			if (type == AE_IFLNK)
				archive_entry_set_symlink(entry, m->link);
		}
		archive_entry_set_perm(entry, type == AE_IFDIR ? 0755 : 0644);
		archive_entry_set_size(entry, type == AE_IFREG ? (la_int64_t)length : 0);
		g_assert_cmpint(archive_write_header(archive, entry), ==, ARCHIVE_OK);
		if (type == AE_IFREG && length > 0)
			g_assert_cmpint(archive_write_data(archive, m->content, length), ==,
					(la_ssize_t)length);
		archive_entry_free(entry);
	}
	g_assert_cmpint(archive_write_close(archive), ==, ARCHIVE_OK);
	archive_write_free(archive);
	return g_byte_array_free_to_bytes(bytes);
}

int main(int argc, char **argv)
{
	/* A write to a pipe without a reader must come back as EPIPE. */
	signal(SIGPIPE, SIG_IGN);
	g_test_init(&argc, &argv, NULL);
	test_io_register();
	test_paths_register();
	test_image_register();
	test_tree_register();
	test_misc_register();
	test_signatures_register();
	return g_test_run();
}
