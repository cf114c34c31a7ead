/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Helpers for the bundle tests and fuzzer: archives built in memory with libarchive's writer
 * or byte by byte, and a scratch directory that can tell whether anything escaped it.
 */
#pragma once

#include <archive.h>
#include <archive_entry.h>
#include <glib.h>

typedef struct TestTar TestTar;

/* Writers that archive_write_set_format() does not reach by code. */
#define TEST_FORMAT_V7 (-1) /* pre-POSIX tar */
#define TEST_FORMAT_AR (-2) /* System V ar */

/* @format is an ARCHIVE_FORMAT_* or TEST_FORMAT_* code, @filter an ARCHIVE_FILTER_* code. */
TestTar *test_tar_new(int format, int filter);
/* Adds one member; @size -1 means strlen(@data). */
void test_tar_add_file(TestTar *tar, const char *name, const char *data, gssize size);
/* Adds a member of @size zero bytes, written in chunks so a bomb needs no big buffer. */
void test_tar_add_zeros(TestTar *tar, const char *name, guint64 size);
void test_tar_add_dir(TestTar *tar, const char *name);
/* Adds a member of any other kind; the caller owns @entry. */
void test_tar_add_entry(TestTar *tar, struct archive_entry *entry, const void *data, gsize size);
/* Closes the archive and returns its bytes; @tar is freed. */
GBytes *test_tar_finish(TestTar *tar);

/* Fills a ustar header block by hand, for what libarchive's writer will not produce. */
void test_ustar_header(guint8 block[512], const char *name, char type, guint64 size);
/*
 * Appends a hand-made member to @raw: its header claims @size; @data_size bytes of @data (may
 * be fewer, to lie) follow, padded to the 512-byte record.
 */
void test_raw_add(GByteArray *raw, const char *name, char type, guint64 size, const void *data,
		  gsize data_size);
/* Appends a pax 'x' header holding one "key=value" record for the member that follows. */
void test_raw_add_pax(GByteArray *raw, const char *key, const char *value);
/* Appends the end-of-archive records and returns the bytes; @raw is freed. */
GBytes *test_raw_finish(GByteArray *raw);

/* A scratch tree: @base holds the extraction target @dest and an empty @outside directory. */
typedef struct {
	char *base;
	char *dest;
	char *outside;
} TestDir;

TestDir *test_dir_new(void);
/* Fails the test unless @base holds only `dest` and an empty `outside`. */
void test_dir_assert_contained(TestDir *dir);
void test_dir_free(TestDir *dir);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TestDir, test_dir_free)

/* Removes @path and everything below it without following symbolic links. */
gboolean test_remove_tree(const char *path);

/* Reads @name below @dir into a string; NULL when it does not exist. */
char *test_read_file(const char *dir, const char *name, gsize *length);
