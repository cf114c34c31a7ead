/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests of the store's file primitives (fs/state-file.h): atomic replacement, removing a
 * tree, and emptying a directory in place.
 */
#include <errno.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../fs/state-file.h"

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

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/state-file/write-atomic", test_write_atomic);
	g_test_add_func("/state-file/remove-tree", test_remove_tree);
	g_test_add_func("/state-file/empty-dir", test_empty_dir);
	return g_test_run();
}
