/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests of the store's file primitives (fs/state-file.h): atomic replacement, removing a
 * tree, emptying a directory in place, and shared (grouped) flushes.
 */
#include <errno.h>
#include <string.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../../fs/common/state-file.h"

static char *make_dir(void)
{
	char *dir = g_dir_make_tmp("zvm-state-file-XXXXXX", NULL);
	g_assert_nonnull(dir);
	return dir;
}

static char *read_text(const char *path)
{
	char *text = NULL;
	g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
	return text;
}

static void put(const char *dir, const char *relative, const char *text)
{
	g_autofree char *path = g_build_filename(dir, relative, NULL);
	g_assert_true(g_file_set_contents(path, text, -1, NULL));
}

static void test_write_atomic(void)
{
	g_autofree char *dir = make_dir();
	g_autofree char *target = g_build_filename(dir, "atomic", NULL);
	g_autoptr(GError) error = NULL;
	g_assert_true(zvm_state_write_atomic(target, "one", 3, 0644, ZVM_STATE_SYNC_FILE, &error));
	g_assert_true(zvm_state_write_atomic(target, "two", 3, 0640, ZVM_STATE_SYNC_FS, &error));
	g_assert_no_error(error);
	g_autofree char *two = read_text(target);
	g_assert_cmpstr(two, ==, "two");
	struct stat st;
	g_assert_cmpint(stat(target, &st), ==, 0);
	g_assert_cmpuint(st.st_mode & 07777, ==, 0640);
	g_autofree char *tmp = g_strconcat(target, ".tmp", NULL);
	g_assert_false(g_file_test(tmp, G_FILE_TEST_EXISTS));
	g_assert_true(zvm_state_remove_tree(dir, NULL));
}

static void test_remove_tree(void)
{
	g_autofree char *dir = make_dir();
	g_autofree char *sub = g_build_filename(dir, "a", "b", NULL);
	g_assert_cmpint(g_mkdir_with_parents(sub, 0755), ==, 0);
	put(dir, "a/b/file", "x");
	put(dir, "top", "y");
	/* A link to outside is removed, never followed. */
	g_autofree char *outside = make_dir();
	put(outside, "kept", "z");
	g_autofree char *link = g_build_filename(dir, "a", "out", NULL);
	g_assert_cmpint(symlink(outside, link), ==, 0);
	g_autoptr(GError) error = NULL;
	g_assert_true(zvm_state_remove_tree(dir, &error));
	g_assert_no_error(error);
	g_assert_false(g_file_test(dir, G_FILE_TEST_EXISTS));
	g_autofree char *kept = g_build_filename(outside, "kept", NULL);
	g_assert_true(g_file_test(kept, G_FILE_TEST_IS_REGULAR));
	/* Missing is not an error. */
	g_assert_true(zvm_state_remove_tree(dir, &error));
	g_assert_no_error(error);
	g_assert_true(zvm_state_remove_tree(outside, NULL));
}

static void test_empty_dir(void)
{
	g_autofree char *dir = make_dir();
	g_autofree char *out = g_build_filename(dir, "out", NULL);
	g_autoptr(GError) error = NULL;

	/* Missing: created with the mode asked for, whatever the umask. */
	mode_t old_umask = umask(077);
	g_assert_true(zvm_state_empty_dir(out, 0755, &error));
	umask(old_umask);
	g_assert_no_error(error);
	struct stat before;
	g_assert_cmpint(lstat(out, &before), ==, 0);
	g_assert_true(S_ISDIR(before.st_mode));
	g_assert_cmpuint(before.st_mode & 07777, ==, 0755);

	/* Full: everything below goes, the directory itself stays (same inode). */
	g_autofree char *nested = g_build_filename(out, "d", "e", NULL);
	g_assert_cmpint(g_mkdir_with_parents(nested, 0700), ==, 0);
	put(out, "d/e/f", "1");
	put(out, "stdout", "2");
	g_assert_cmpint(chmod(out, 0700), ==, 0);
	g_assert_true(zvm_state_empty_dir(out, 0755, &error));
	g_assert_no_error(error);
	struct stat after;
	g_assert_cmpint(lstat(out, &after), ==, 0);
	g_assert_cmpuint(after.st_ino, ==, before.st_ino);
	g_assert_cmpuint(after.st_mode & 07777, ==, 0755);
	g_autoptr(GDir) listing = g_dir_open(out, 0, NULL);
	g_assert_nonnull(listing);
	g_assert_null(g_dir_read_name(listing));

	/* A file or a link where the directory should be: replaced by an empty directory, and a
	 * link's target is left alone. */
	g_assert_true(zvm_state_remove_tree(out, NULL));
	put(dir, "out", "not a directory");
	g_assert_true(zvm_state_empty_dir(out, 0755, &error));
	g_assert_no_error(error);
	g_assert_true(g_file_test(out, G_FILE_TEST_IS_DIR));
	g_assert_true(zvm_state_remove_tree(out, NULL));
	g_autofree char *target = make_dir();
	put(target, "kept", "3");
	g_assert_cmpint(symlink(target, out), ==, 0);
	g_assert_true(zvm_state_empty_dir(out, 0755, &error));
	g_assert_no_error(error);
	g_assert_cmpint(lstat(out, &after), ==, 0);
	g_assert_true(S_ISDIR(after.st_mode));
	g_autofree char *kept = g_build_filename(target, "kept", NULL);
	g_assert_true(g_file_test(kept, G_FILE_TEST_IS_REGULAR));

	g_assert_true(zvm_state_remove_tree(target, NULL));
	g_assert_true(zvm_state_remove_tree(dir, NULL));
}

#define SYNC_THREADS 8
#define SYNC_ROUNDS 20

typedef struct {
	const char *dir;
	int index;
} SyncWorker;

static gpointer sync_worker(gpointer data)
{
	const SyncWorker *worker = data;
	for (int round = 0; round < SYNC_ROUNDS; round++) {
		g_autofree char *name = g_strdup_printf("w%d", worker->index);
		g_autofree char *path = g_build_filename(worker->dir, name, NULL);
		g_autofree char *text = g_strdup_printf("%d.%d", worker->index, round);
		g_autoptr(GError) error = NULL;
		if (round % 2 == 0)
			g_assert_true(zvm_state_write_atomic(path, text, strlen(text), 0644,
							     ZVM_STATE_SYNC_FS, &error));
		else
			g_assert_true(zvm_state_write_atomic(path, text, strlen(text), 0644,
							     ZVM_STATE_SYNC_NONE, &error) &&
				      zvm_state_sync_fs(path, &error));
		g_assert_no_error(error);
		g_autofree char *back = read_text(path);
		g_assert_cmpstr(back, ==, text);
	}
	return NULL;
}

/* Concurrent flushes share syncfs calls: all of them return, none is lost or fails. */
static void test_sync_group(void)
{
	g_autofree char *dir = make_dir();
	SyncWorker workers[SYNC_THREADS];
	GThread *threads[SYNC_THREADS];
	for (int i = 0; i < SYNC_THREADS; i++) {
		workers[i] = (SyncWorker){dir, i};
		threads[i] = g_thread_new("sync", sync_worker, &workers[i]);
	}
	for (int i = 0; i < SYNC_THREADS; i++)
		g_thread_join(threads[i]);
	g_autoptr(GError) error = NULL;
	g_autofree char *missing = g_build_filename(dir, "missing", NULL);
	g_assert_false(zvm_state_sync_fs(missing, &error));
	g_assert_error(error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
	g_assert_true(zvm_state_remove_tree(dir, NULL));
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/state-file/write-atomic", test_write_atomic);
	g_test_add_func("/state-file/remove-tree", test_remove_tree);
	g_test_add_func("/state-file/empty-dir", test_empty_dir);
	g_test_add_func("/state-file/sync-group", test_sync_group);
	return g_test_run();
}
