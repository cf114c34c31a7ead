/* SPDX-License-Identifier: Apache-2.0 */
/* Archive builders and scratch directories shared by the bundle tests and the fuzz target. */
#include "bundle-testutil.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

struct TestTar {
	struct archive *archive;
	GByteArray *bytes;
};

static la_ssize_t test_tar_write(struct archive *archive, void *client, const void *buffer,
				 size_t length)
{
	g_byte_array_append(client, buffer, (guint)length);
	return (la_ssize_t)length;
}

TestTar *test_tar_new(int format, int filter)
{
	TestTar *tar = g_new0(TestTar, 1);

	tar->archive = archive_write_new();
	tar->bytes = g_byte_array_new();
	if (format == TEST_FORMAT_V7)
		g_assert_cmpint(archive_write_set_format_v7tar(tar->archive), ==, ARCHIVE_OK);
	else if (format == TEST_FORMAT_AR)
		g_assert_cmpint(archive_write_set_format_ar_svr4(tar->archive), ==, ARCHIVE_OK);
	else
		g_assert_cmpint(archive_write_set_format(tar->archive, format), ==, ARCHIVE_OK);
	if (filter != ARCHIVE_FILTER_NONE)
		g_assert_cmpint(archive_write_add_filter(tar->archive, filter), ==, ARCHIVE_OK);
	/* No padding to a 10 KiB record: keeps the seed corpus and the test archives small. */
	g_assert_cmpint(archive_write_set_bytes_in_last_block(tar->archive, 1), ==, ARCHIVE_OK);
	g_assert_cmpint(archive_write_open(tar->archive, tar->bytes, NULL, test_tar_write, NULL),
			==, ARCHIVE_OK);
	return tar;
}

void test_tar_add_entry(TestTar *tar, struct archive_entry *entry, const void *data, gsize size)
{
	int r = archive_write_header(tar->archive, entry);

	if (r != ARCHIVE_OK)
		g_error("archive_write_header(%s): %s", archive_entry_pathname(entry),
			archive_error_string(tar->archive));
	if (size > 0)
		g_assert_cmpint(archive_write_data(tar->archive, data, size), ==, (la_ssize_t)size);
}

static struct archive_entry *test_entry_new(const char *name, unsigned type, guint64 size)
{
	struct archive_entry *entry = archive_entry_new();

	archive_entry_copy_pathname(entry, name);
	archive_entry_set_filetype(entry, type);
	archive_entry_set_perm(entry, type == AE_IFDIR ? 0755 : 0644);
	archive_entry_set_size(entry, (la_int64_t)size);
	return entry;
}

void test_tar_add_file(TestTar *tar, const char *name, const char *data, gssize size)
{
	gsize length = size < 0 ? strlen(data) : (gsize)size;
	struct archive_entry *entry = test_entry_new(name, AE_IFREG, length);

	test_tar_add_entry(tar, entry, data, length);
	archive_entry_free(entry);
}

void test_tar_add_zeros(TestTar *tar, const char *name, guint64 size)
{
	static const char zeros[64 * 1024];
	struct archive_entry *entry = test_entry_new(name, AE_IFREG, size);

	test_tar_add_entry(tar, entry, NULL, 0);
	while (size > 0) {
		gsize chunk = size < sizeof(zeros) ? (gsize)size : sizeof(zeros);

		g_assert_cmpint(archive_write_data(tar->archive, zeros, chunk), ==,
				(la_ssize_t)chunk);
		size -= chunk;
	}
	archive_entry_free(entry);
}

void test_tar_add_dir(TestTar *tar, const char *name)
{
	struct archive_entry *entry = test_entry_new(name, AE_IFDIR, 0);

	test_tar_add_entry(tar, entry, NULL, 0);
	archive_entry_free(entry);
}

GBytes *test_tar_finish(TestTar *tar)
{
	GByteArray *bytes = tar->bytes;

	g_assert_cmpint(archive_write_close(tar->archive), ==, ARCHIVE_OK);
	archive_write_free(tar->archive);
	g_free(tar);
	return g_byte_array_free_to_bytes(bytes);
}

void test_ustar_header(guint8 block[512], const char *name, char type, guint64 size)
{
	guint sum = 0;

	g_assert_cmpuint(strlen(name), <=, 100);
	memset(block, 0, 512);
	memcpy(block, name, strlen(name));
	memcpy(block + 100, "0000644", 7);
	memcpy(block + 108, "0000000", 7);
	memcpy(block + 116, "0000000", 7);
	if (size < (G_GUINT64_CONSTANT(1) << 33)) {
		g_snprintf((char *)block + 124, 12, "%011" G_GINT64_MODIFIER "o", size);
	} else {
		/* GNU base-256: the top bit flags a big-endian binary number. */
		block[124] = 0x80;
		for (int i = 11; i >= 4; i--, size >>= 8)
			block[124 + i] = (guint8)(size & 0xff);
	}
	memcpy(block + 136, "00000000000", 11);
	block[156] = (guint8)type;
	memcpy(block + 257, "ustar", 6);
	memcpy(block + 263, "00", 2);
	memset(block + 148, ' ', 8);
	for (int i = 0; i < 512; i++)
		sum += block[i];
	g_snprintf((char *)block + 148, 8, "%06o", sum);
	block[155] = ' ';
}

void test_raw_add(GByteArray *raw, const char *name, char type, guint64 size, const void *data,
		  gsize data_size)
{
	static const guint8 padding[512];
	guint8 block[512];

	test_ustar_header(block, name, type, size);
	g_byte_array_append(raw, block, sizeof(block));
	if (data_size > 0) {
		g_byte_array_append(raw, data, (guint)data_size);
		if (data_size % 512 != 0)
			g_byte_array_append(raw, padding, (guint)(512 - data_size % 512));
	}
}

void test_raw_add_pax(GByteArray *raw, const char *key, const char *value)
{
	/* The record's length counts its own decimal digits: grow until it is stable. */
	gsize body = strlen(key) + strlen(value) + 3;
	gsize length = body + 1;
	g_autofree char *record = NULL;

	while (length != body + (gsize)snprintf(NULL, 0, "%zu", length))
		length = body + (gsize)snprintf(NULL, 0, "%zu", length);
	record = g_strdup_printf("%zu %s=%s\n", length, key, value);
	g_assert_cmpuint(strlen(record), ==, length);
	test_raw_add(raw, "PaxHeader", 'x', length, record, length);
}

GBytes *test_raw_finish(GByteArray *raw)
{
	static const guint8 end[1024];

	g_byte_array_append(raw, end, sizeof(end));
	return g_byte_array_free_to_bytes(raw);
}

TestDir *test_dir_new(void)
{
	g_autoptr(GError) error = NULL;
	TestDir *dir = g_new0(TestDir, 1);

	dir->base = g_dir_make_tmp("zvm-bundle-XXXXXX", &error);
	g_assert_no_error(error);
	dir->dest = g_build_filename(dir->base, "dest", NULL);
	dir->outside = g_build_filename(dir->base, "outside", NULL);
	g_assert_cmpint(mkdir(dir->dest, 0700), ==, 0);
	g_assert_cmpint(mkdir(dir->outside, 0700), ==, 0);
	return dir;
}

static guint test_count_entries(const char *path)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GDir) dir = g_dir_open(path, 0, &error);
	guint count = 0;

	g_assert_no_error(error);
	while (g_dir_read_name(dir) != NULL)
		count++;
	return count;
}

void test_dir_assert_contained(TestDir *dir)
{
	struct stat st;

	g_assert_cmpuint(test_count_entries(dir->base), ==, 2);
	g_assert_cmpint(lstat(dir->dest, &st), ==, 0);
	g_assert_true(S_ISDIR(st.st_mode));
	g_assert_cmpint(lstat(dir->outside, &st), ==, 0);
	g_assert_true(S_ISDIR(st.st_mode));
	g_assert_cmpuint(test_count_entries(dir->outside), ==, 0);
}

void test_dir_free(TestDir *dir)
{
	if (dir == NULL)
		return;
	g_assert_true(test_remove_tree(dir->base));
	g_free(dir->base);
	g_free(dir->dest);
	g_free(dir->outside);
	g_free(dir);
}

static int test_remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path) == 0 ? 0 : errno;
}

gboolean test_remove_tree(const char *path)
{
	return nftw(path, test_remove_one, 32, FTW_DEPTH | FTW_PHYS) == 0;
}

char *test_read_file(const char *dir, const char *name, gsize *length)
{
	g_autofree char *path = g_build_filename(dir, name, NULL);
	char *contents = NULL;

	if (!g_file_get_contents(path, &contents, length, NULL))
		return NULL;
	return contents;
}
