/* SPDX-License-Identifier: Apache-2.0 */
/* Data roots: exports, identities, opening below a root as the owner (the kernel decides, as
 * root-only, world-readable and group-readable files show), symbolic links that escape, the
 * identity switch staying on its thread, and wildcard expansion. */
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <grp.h>
#include <pwd.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "data-roots.h"

/* A group nobody belongs to in the user database; the kernel needs no name for it. */
#define TEST_GROUP 4242

typedef struct {
	char *base; /* scratch: base/root is exported, base/outside is not */
	char *root;
	ZvmDataRoots *roots;
} Fixture;

static void write_file(const char *dir, const char *name, const char *text, mode_t mode, uid_t uid,
		       gid_t gid)
{
	g_autofree char *path = g_build_filename(dir, name, NULL);
	g_autofree char *parent = g_path_get_dirname(path);
	g_assert_cmpint(g_mkdir_with_parents(parent, 0755), ==, 0);
	g_assert_true(g_file_set_contents(path, text, -1, NULL));
	g_assert_cmpint(chmod(path, mode), ==, 0);
	if (geteuid() == 0)
		g_assert_cmpint(chown(path, uid, gid), ==, 0);
}

static void fixture_set_up(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	f->base = g_dir_make_tmp("zvm-data-XXXXXX", &error);
	g_assert_no_error(error);
	g_assert_cmpint(chmod(f->base, 0755), ==, 0);
	f->root = g_build_filename(f->base, "root", NULL);
	g_assert_cmpint(g_mkdir(f->root, 0755), ==, 0);
	write_file(f->root, "public.txt", "public\n", 0644, 0, 0);
	write_file(f->root, "secret.txt", "secret\n", 0600, 0, 0);
	write_file(f->root, "group.txt", "group\n", 0640, 0, TEST_GROUP);
	write_file(f->root, "sub/a.log", "a\n", 0644, 0, 0);
	write_file(f->root, "sub/b.log", "b\n", 0644, 0, 0);
	write_file(f->root, "sub/c.txt", "c\n", 0644, 0, 0);
	write_file(f->root, ".hidden.txt", "hidden\n", 0644, 0, 0);
	write_file(f->root, "locked/inside.txt", "locked\n", 0644, 0, 0);
	g_autofree char *locked = g_build_filename(f->root, "locked", NULL);
	g_assert_cmpint(chmod(locked, 0700), ==, 0);
	write_file(f->base, "outside/passwd", "outside\n", 0644, 0, 0);
	g_autofree char *link_out = g_build_filename(f->root, "escape.txt", NULL);
	g_assert_cmpint(symlink("../outside/passwd", link_out), ==, 0);
	g_autofree char *link_abs = g_build_filename(f->root, "absolute.txt", NULL);
	g_autofree char *outside = g_build_filename(f->base, "outside", "passwd", NULL);
	g_assert_cmpint(symlink(outside, link_abs), ==, 0);
	g_autofree char *link_in = g_build_filename(f->root, "sub", "link.txt", NULL);
	g_assert_cmpint(symlink("../public.txt", link_in), ==, 0);
	g_autofree char *fifo = g_build_filename(f->root, "fifo.txt", NULL);
	g_assert_cmpint(mkfifo(fifo, 0644), ==, 0);
	f->roots = zvm_data_roots_new();
	g_assert_true(zvm_data_roots_add(f->roots, "logs", f->root, &error));
	g_assert_no_error(error);
}

static void fixture_tear_down(Fixture *f, gconstpointer data)
{
	g_autofree char *command = g_strdup_printf("rm -rf '%s'", f->base);
	g_assert_cmpint(system(command), ==, 0);
	zvm_data_roots_free(f->roots);
	g_free(f->root);
	g_free(f->base);
}

static gboolean have_root(void)
{
	if (geteuid() == 0)
		return TRUE;
	g_test_skip("needs root to open as other users");
	return FALSE;
}

static const struct passwd *nobody(void)
{
	const struct passwd *pw = getpwnam("nobody");
	if (pw == NULL)
		g_test_skip("no user nobody");
	return pw;
}

/* Opens @uri as @owner and returns its contents, or NULL with @error set. */
static char *read_as(Fixture *f, const ZvmIdentity *owner, const char *uri, GError **error)
{
	int fd = zvm_data_roots_open(f->roots, owner, uri, error);
	if (fd < 0)
		return NULL;
	g_assert_cmpint(fcntl(fd, F_GETFD) & FD_CLOEXEC, !=, 0);
	g_assert_cmpint(fcntl(fd, F_GETFL) & O_ACCMODE, ==, O_RDONLY);
	char buffer[64] = {0};
	ssize_t n = read(fd, buffer, sizeof(buffer) - 1);
	close(fd);
	g_assert_cmpint(n, >=, 0);
	return g_strdup(buffer);
}

static void assert_refused(Fixture *f, const ZvmIdentity *owner, const char *uri, ZvmDataError code,
			   const char *message)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *text = read_as(f, owner, uri, &error);
	g_assert_null(text);
	g_assert_error(error, ZVM_DATA_ERROR, (gint)code);
	g_assert_cmpstr(error->message, ==, message);
}

static void test_names(void)
{
	g_assert_true(zvm_data_root_name_is_valid("logs"));
	g_assert_true(zvm_data_root_name_is_valid("corpus_2026-en"));
	g_assert_true(zvm_data_root_name_is_valid("0"));
	g_assert_false(zvm_data_root_name_is_valid(""));
	g_assert_false(zvm_data_root_name_is_valid("-x"));
	g_assert_false(zvm_data_root_name_is_valid("_x"));
	g_assert_false(zvm_data_root_name_is_valid("a/b"));
	g_assert_false(zvm_data_root_name_is_valid(".."));
	g_assert_false(zvm_data_root_name_is_valid("a b"));
	g_assert_false(zvm_data_root_name_is_valid("a*"));
	g_autofree char *long_name = g_strnfill(65, 'a');
	g_assert_false(zvm_data_root_name_is_valid(long_name));
	long_name[64] = '\0';
	g_assert_true(zvm_data_root_name_is_valid(long_name));
}

static void test_add(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	ZvmDataRoots *roots = f->roots;
	g_assert_false(zvm_data_roots_add(roots, "logs", f->base, &error));
	g_assert_error(error, ZVM_DATA_ERROR, ZVM_DATA_ERROR_INVALID);
	g_assert_cmpstr(error->message, ==, "data root 'logs' is exported twice");
	g_clear_error(&error);
	g_assert_false(zvm_data_roots_add(roots, "rel", "srv/logs", &error));
	g_assert_cmpstr(error->message, ==, "data root 'rel': 'srv/logs' is not an absolute path");
	g_clear_error(&error);
	g_assert_false(zvm_data_roots_add(roots, "gone", "/nonexistent/zvm", &error));
	g_assert_error(error, ZVM_DATA_ERROR, ZVM_DATA_ERROR_NOT_FOUND);
	g_assert_cmpstr(error->message, ==,
			"data root 'gone': /nonexistent/zvm: No such file or directory");
	g_clear_error(&error);
	g_autofree char *file = g_build_filename(f->root, "public.txt", NULL);
	g_assert_false(zvm_data_roots_add(roots, "file", file, &error));
	g_assert_error(error, ZVM_DATA_ERROR, ZVM_DATA_ERROR_NOT_REGULAR);
	g_assert_true(g_str_has_suffix(error->message, "public.txt is not a directory"));
	g_clear_error(&error);
	g_assert_false(zvm_data_roots_add(roots, "a/b", f->base, &error));
	g_assert_error(error, ZVM_DATA_ERROR, ZVM_DATA_ERROR_INVALID);
	g_clear_error(&error);
	g_autofree char *untidy = g_strconcat(f->base, "//outside/", NULL);
	g_assert_true(zvm_data_roots_add(roots, "corpus", untidy, &error));
	g_assert_true(zvm_data_roots_add(roots, "zeta", f->base, &error));
	g_assert_no_error(error);
	const char *const *names = zvm_data_roots_get_names(roots);
	g_assert_cmpstr(names[0], ==, "corpus");
	g_assert_cmpstr(names[1], ==, "logs");
	g_assert_cmpstr(names[2], ==, "zeta");
	g_assert_null(names[3]);
	g_autofree char *outside = g_build_filename(f->base, "outside", NULL);
	g_assert_cmpstr(zvm_data_roots_get_dir(roots, "corpus"), ==, outside);
	g_assert_null(zvm_data_roots_get_dir(roots, "nope"));

	g_autoptr(ZvmDataRoots) empty = zvm_data_roots_new();
	g_assert_null(zvm_data_roots_get_names(empty)[0]);
}

/* As the calling process itself: paths, kinds of file, symbolic links. */
static void test_open_self(Fixture *f, gconstpointer data)
{
	g_autoptr(ZvmIdentity) self = zvm_identity_new_current();
	g_autoptr(GError) error = NULL;
	g_autofree char *text = read_as(f, self, "data:logs/public.txt", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(text, ==, "public\n");
	g_autofree char *linked = read_as(f, self, "data:logs/sub/link.txt", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(linked, ==, "public\n");
	g_autofree char *literal = read_as(f, self, "data:logs/sub/a.log", &error);
	g_assert_cmpstr(literal, ==, "a\n");

	assert_refused(f, self, "data:logs/escape.txt", ZVM_DATA_ERROR_ESCAPE,
		       "data:logs/escape.txt: a symbolic link leads outside the data root");
	assert_refused(f, self, "data:logs/absolute.txt", ZVM_DATA_ERROR_ESCAPE,
		       "data:logs/absolute.txt: a symbolic link leads outside the data root");
	assert_refused(f, self, "data:logs/missing.txt", ZVM_DATA_ERROR_NOT_FOUND,
		       "data:logs/missing.txt: No such file or directory");
	assert_refused(f, self, "data:logs/public.txt/x", ZVM_DATA_ERROR_NOT_FOUND,
		       "data:logs/public.txt/x: Not a directory");
	assert_refused(f, self, "data:logs/sub", ZVM_DATA_ERROR_NOT_REGULAR,
		       "data:logs/sub: not a regular file");
	/* Opened without blocking, then refused. */
	assert_refused(f, self, "data:logs/fifo.txt", ZVM_DATA_ERROR_NOT_REGULAR,
		       "data:logs/fifo.txt: not a regular file");
	assert_refused(f, self, "data:logs/../outside/passwd", ZVM_DATA_ERROR_INVALID,
		       "data:logs/../outside/passwd: the path has a '.' or '..' component");
	assert_refused(f, self, "data:logs//etc/passwd", ZVM_DATA_ERROR_INVALID,
		       "data:logs//etc/passwd: the path is absolute");
	assert_refused(f, self, "data:logs/", ZVM_DATA_ERROR_INVALID,
		       "data:logs/: the path is empty");
	assert_refused(f, self, "data:logs/a\nb", ZVM_DATA_ERROR_INVALID,
		       "data:logs/a\nb: the path holds a control character");
	assert_refused(f, self, "data:logs", ZVM_DATA_ERROR_INVALID,
		       "data:logs: not a data URI (expected data:<root>/<path>)");
	assert_refused(f, self, "logs/public.txt", ZVM_DATA_ERROR_INVALID,
		       "logs/public.txt: not a data URI (expected data:<root>/<path>)");
	assert_refused(f, self, "data:corpus/public.txt", ZVM_DATA_ERROR_NOT_EXPORTED,
		       "data:corpus/public.txt: no data root 'corpus' is exported");
}

/* A directory swapped in at the root's path is not the exported one. */
static void test_root_replaced(Fixture *f, gconstpointer data)
{
	g_autoptr(ZvmIdentity) self = zvm_identity_new_current();
	g_autofree char *aside = g_build_filename(f->base, "aside", NULL);
	g_assert_cmpint(rename(f->root, aside), ==, 0);
	g_assert_cmpint(g_mkdir(f->root, 0755), ==, 0);
	write_file(f->root, "public.txt", "impostor\n", 0644, 0, 0);
	g_autoptr(GError) error = NULL;
	g_assert_cmpint(zvm_data_roots_open(f->roots, self, "data:logs/public.txt", &error), ==,
			-1);
	g_assert_error(error, ZVM_DATA_ERROR, ZVM_DATA_ERROR_FAILED);
	g_assert_true(g_str_has_suffix(error->message, "was replaced since the gateway started"));
	g_assert_cmpint(g_rmdir(aside) == 0 || errno == ENOTEMPTY, ==, TRUE);
}

static void assert_identity_restored(const gid_t *groups, int n_groups)
{
	g_assert_cmpuint(setfsuid((uid_t)-1), ==, geteuid());
	g_assert_cmpuint(setfsgid((gid_t)-1), ==, getegid());
	gid_t now[256];
	int n = getgroups(G_N_ELEMENTS(now), now);
	g_assert_cmpint(n, ==, n_groups);
	g_assert_cmpmem(now, n * sizeof(gid_t), groups, n_groups * sizeof(gid_t));
}

/* The kernel checks: root-only, world-readable, group-readable through a supplementary or the
 * primary group, and a directory the owner may not search. */
static void test_open_as_users(Fixture *f, gconstpointer data)
{
	const struct passwd *pw;
	if (!have_root() || (pw = nobody()) == NULL)
		return;
	gid_t groups[256];
	int n_groups = getgroups(G_N_ELEMENTS(groups), groups);
	g_autoptr(ZvmIdentity) root = zvm_identity_new_for_user(0, 0);
	g_autoptr(ZvmIdentity) plain = zvm_identity_new(pw->pw_uid, pw->pw_gid, 0, NULL);
	const gid_t extra[] = {pw->pw_gid, TEST_GROUP};
	g_autoptr(ZvmIdentity) member = zvm_identity_new(pw->pw_uid, pw->pw_gid, 2, extra);
	g_autoptr(ZvmIdentity) primary = zvm_identity_new(pw->pw_uid, TEST_GROUP, 0, NULL);
	g_autoptr(GError) error = NULL;

	g_autofree char *secret = read_as(f, root, "data:logs/secret.txt", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(secret, ==, "secret\n");
	assert_refused(f, plain, "data:logs/secret.txt", ZVM_DATA_ERROR_ACCESS,
		       "data:logs/secret.txt: Permission denied");
	assert_identity_restored(groups, n_groups);
	g_autofree char *secret_again = read_as(f, root, "data:logs/secret.txt", &error);
	g_assert_cmpstr(secret_again, ==, "secret\n");

	g_autofree char *public = read_as(f, plain, "data:logs/public.txt", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(public, ==, "public\n");

	assert_refused(f, plain, "data:logs/group.txt", ZVM_DATA_ERROR_ACCESS,
		       "data:logs/group.txt: Permission denied");
	g_autofree char *by_member = read_as(f, member, "data:logs/group.txt", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(by_member, ==, "group\n");
	g_autofree char *by_primary = read_as(f, primary, "data:logs/group.txt", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(by_primary, ==, "group\n");
	assert_refused(f, member, "data:logs/secret.txt", ZVM_DATA_ERROR_ACCESS,
		       "data:logs/secret.txt: Permission denied");

	assert_refused(f, plain, "data:logs/locked/inside.txt", ZVM_DATA_ERROR_ACCESS,
		       "data:logs/locked/inside.txt: Permission denied");
	g_autofree char *locked = read_as(f, root, "data:logs/locked/inside.txt", &error);
	g_assert_cmpstr(locked, ==, "locked\n");
	assert_refused(f, plain, "data:logs/escape.txt", ZVM_DATA_ERROR_ESCAPE,
		       "data:logs/escape.txt: a symbolic link leads outside the data root");
	assert_identity_restored(groups, n_groups);

	/* A directory above the root that the owner may not search bars the root too. */
	g_assert_cmpint(chmod(f->base, 0700), ==, 0);
	assert_refused(f, plain, "data:logs/public.txt", ZVM_DATA_ERROR_ACCESS,
		       "data:logs/public.txt: Permission denied");
	g_assert_cmpint(chmod(f->base, 0755), ==, 0);
	assert_identity_restored(groups, n_groups);
}

typedef struct {
	Fixture *f;
	const ZvmIdentity *owner;
	gint stop;
	gint denied;
} SwitchLoop;

static gpointer open_as_nobody_loop(gpointer data)
{
	SwitchLoop *loop = data;
	while (!g_atomic_int_get(&loop->stop)) {
		g_autoptr(GError) error = NULL;
		int fd = zvm_data_roots_open(loop->f->roots, loop->owner, "data:logs/secret.txt",
					     &error);
		if (fd >= 0)
			close(fd);
		else
			g_atomic_int_inc(&loop->denied);
	}
	return NULL;
}

/* While one thread opens as nobody over and over, the others keep the process's identity. */
static void test_switch_stays_on_its_thread(Fixture *f, gconstpointer data)
{
	const struct passwd *pw;
	if (!have_root() || (pw = nobody()) == NULL)
		return;
	g_autoptr(ZvmIdentity) plain = zvm_identity_new(pw->pw_uid, pw->pw_gid, 0, NULL);
	SwitchLoop loop = {.f = f, .owner = plain};
	GThread *thread = g_thread_new("as-nobody", open_as_nobody_loop, &loop);
	g_autofree char *secret = g_build_filename(f->root, "secret.txt", NULL);
	for (int i = 0; i < 2000 || g_atomic_int_get(&loop.denied) < 200; i++) {
		int fd = open(secret, O_RDONLY | O_CLOEXEC);
		g_assert_cmpint(fd, >=, 0);
		close(fd);
		g_assert_cmpuint(setfsuid((uid_t)-1), ==, 0);
	}
	g_atomic_int_set(&loop.stop, 1);
	g_thread_join(thread);
	g_assert_cmpint(loop.denied, >=, 200);
}

/* Not root: only the process's own user can be served. */
static void test_not_root(Fixture *f, gconstpointer data)
{
	const struct passwd *pw;
	if (!have_root() || (pw = nobody()) == NULL)
		return;
	/* A child drops root for good; the parent keeps it to remove the fixture. */
	pid_t child = fork();
	g_assert_cmpint(child, >=, 0);
	if (child > 0) {
		int status;
		g_assert_cmpint(waitpid(child, &status, 0), ==, child);
		g_assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		return;
	}
	g_assert_cmpint(setgroups(0, NULL), ==, 0);
	g_assert_cmpint(setgid(pw->pw_gid), ==, 0);
	g_assert_cmpint(setuid(pw->pw_uid), ==, 0);
	g_autoptr(ZvmIdentity) root = zvm_identity_new(0, 0, 0, NULL);
	g_autoptr(ZvmIdentity) self = zvm_identity_new_current();
	assert_refused(f, root, "data:logs/public.txt", ZVM_DATA_ERROR_ACCESS,
		       "data:logs/public.txt: Permission denied (the gateway does not run as "
		       "root, so it reads data only for its own user)");
	g_autoptr(GError) error = NULL;
	g_autofree char *text = read_as(f, self, "data:logs/public.txt", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(text, ==, "public\n");
	assert_refused(f, self, "data:logs/secret.txt", ZVM_DATA_ERROR_ACCESS,
		       "data:logs/secret.txt: Permission denied");
	_exit(0);
}

static void test_identity(void)
{
	g_autoptr(ZvmIdentity) current = zvm_identity_new_current();
	g_assert_cmpuint(current->uid, ==, geteuid());
	g_assert_cmpuint(current->gid, ==, getegid());
	g_autoptr(ZvmIdentity) copy = zvm_identity_copy(current);
	g_assert_cmpuint(copy->n_groups, ==, current->n_groups);
	if (copy->n_groups)
		g_assert_cmpmem(copy->groups, copy->n_groups * sizeof(gid_t), current->groups,
				current->n_groups * sizeof(gid_t));
	/* The user database gives root at least group 0. */
	g_autoptr(ZvmIdentity) root = zvm_identity_new_for_user(0, 0);
	g_assert_cmpuint(root->uid, ==, 0);
	g_assert_cmpuint(root->n_groups, >=, 1);
	g_assert_cmpuint(root->groups[0], ==, 0);
	/* A uid without a passwd entry keeps just its primary group. */
	g_autoptr(ZvmIdentity) unknown = zvm_identity_new_for_user(3999999, 3999999);
	g_assert_cmpuint(unknown->n_groups, ==, 1);
	g_assert_cmpuint(unknown->groups[0], ==, 3999999);
	zvm_identity_free(NULL);
}

static GPtrArray *glob_ok(Fixture *f, const ZvmIdentity *owner, const char *pattern)
{
	g_autoptr(GError) error = NULL;
	GPtrArray *found = zvm_data_roots_glob(f->roots, owner, pattern, &error);
	g_assert_no_error(error);
	g_assert_nonnull(found);
	return found;
}

static void assert_glob(Fixture *f, const ZvmIdentity *owner, const char *pattern,
			const char *expected)
{
	g_autoptr(GPtrArray) found = glob_ok(f, owner, pattern);
	g_ptr_array_add(found, NULL);
	g_autofree char *joined = g_strjoinv(" ", (char **)found->pdata);
	g_assert_cmpstr(joined, ==, expected);
}

static void test_glob(Fixture *f, gconstpointer data)
{
	g_autoptr(ZvmIdentity) self = zvm_identity_new_current();
	/* Sorted; no hidden file, no fifo, no escaping link, no directory. (The fixture's files
	 * belong to the caller when it is not root, so it reads them all either way.) */
	assert_glob(f, self, "data:logs/*.txt",
		    "data:logs/group.txt data:logs/public.txt data:logs/secret.txt");
	assert_glob(f, self, "data:logs/sub/*.log", "data:logs/sub/a.log data:logs/sub/b.log");
	assert_glob(f, self, "data:logs/sub/?.*",
		    "data:logs/sub/a.log data:logs/sub/b.log data:logs/sub/c.txt");
	assert_glob(f, self, "data:logs/sub/[ac].*", "data:logs/sub/a.log data:logs/sub/c.txt");
	assert_glob(f, self, "data:logs/*/a.log", "data:logs/sub/a.log");
	assert_glob(f, self, "data:logs/s*/link.txt", "data:logs/sub/link.txt");
	assert_glob(f, self, "data:logs/.*.txt", "data:logs/.hidden.txt");
	assert_glob(f, self, "data:logs/sub/a.log", "data:logs/sub/a.log");
	assert_glob(f, self, "data:logs/*.csv", "");
	/* The same through the callback a system map is given. */
	ZvmDataGlobFunc glob = zvm_data_glob_func;
	ZvmDataGlobScope scope = {.roots = f->roots, .owner = self};
	g_autoptr(GError) callback_error = NULL;
	g_autoptr(GPtrArray) logs = glob("data:logs/sub/*.log", &scope, &callback_error);
	g_assert_no_error(callback_error);
	g_assert_cmpuint(logs->len, ==, 2);
	g_assert_cmpstr(logs->pdata[1], ==, "data:logs/sub/b.log");
	assert_glob(f, self, "data:logs/sub/**",
		    "data:logs/sub/a.log data:logs/sub/b.log "
		    "data:logs/sub/c.txt data:logs/sub/link.txt");
	g_autoptr(GError) error = NULL;
	g_assert_null(zvm_data_roots_glob(f->roots, self, "data:logs/../*", &error));
	g_assert_error(error, ZVM_DATA_ERROR, ZVM_DATA_ERROR_INVALID);
	g_clear_error(&error);
	g_assert_null(zvm_data_roots_glob(f->roots, self, "data:other/*", &error));
	g_assert_error(error, ZVM_DATA_ERROR, ZVM_DATA_ERROR_NOT_EXPORTED);
	g_clear_error(&error);
	g_assert_null(zvm_data_roots_glob(f->roots, self, "data:lo*/x", &error));
	g_assert_error(error, ZVM_DATA_ERROR, ZVM_DATA_ERROR_NOT_EXPORTED);
}

/* As the owner: a match the owner may not read refuses the expansion, naming it, rather than
 * leave data out silently; patterns that avoid it expand. */
static void assert_glob_denied(Fixture *f, const ZvmIdentity *owner, const char *pattern,
			       const char *message)
{
	g_autoptr(GError) error = NULL;
	g_assert_null(zvm_data_roots_glob(f->roots, owner, pattern, &error));
	g_assert_error(error, ZVM_DATA_ERROR, ZVM_DATA_ERROR_ACCESS);
	g_assert_cmpstr(error->message, ==, message);
}

static void test_glob_as_user(Fixture *f, gconstpointer data)
{
	const struct passwd *pw;
	if (!have_root() || (pw = nobody()) == NULL)
		return;
	g_autoptr(ZvmIdentity) plain = zvm_identity_new(pw->pw_uid, pw->pw_gid, 0, NULL);
	const gid_t extra[] = {TEST_GROUP};
	g_autoptr(ZvmIdentity) member = zvm_identity_new(pw->pw_uid, pw->pw_gid, 1, extra);
	g_autoptr(ZvmIdentity) root = zvm_identity_new_for_user(0, 0);
	assert_glob_denied(f, plain, "data:logs/*.txt", "data:logs/group.txt: Permission denied");
	assert_glob_denied(f, member, "data:logs/*.txt", "data:logs/secret.txt: Permission denied");
	assert_glob(f, plain, "data:logs/p*.txt", "data:logs/public.txt");
	assert_glob(f, member, "data:logs/[gp]*.txt", "data:logs/group.txt data:logs/public.txt");
	/* A directory the pattern must list, or search, is refused too. */
	assert_glob_denied(f, plain, "data:logs/*/*.txt", "data:logs/locked: Permission denied");
	assert_glob_denied(f, plain, "data:logs/lo*/inside.txt",
			   "data:logs/locked/inside.txt: Permission denied");
	assert_glob(f, plain, "data:logs/s*/*.txt", "data:logs/sub/c.txt data:logs/sub/link.txt");
	assert_glob(f, plain, "data:logs/absent/*.txt", "");
	assert_glob(f, root, "data:logs/*/*.txt",
		    "data:logs/locked/inside.txt data:logs/sub/c.txt data:logs/sub/link.txt");
}

static void test_glob_bound(Fixture *f, gconstpointer data)
{
	g_autoptr(ZvmIdentity) self = zvm_identity_new_current();
	g_autofree char *many = g_build_filename(f->root, "many", NULL);
	g_assert_cmpint(g_mkdir(many, 0755), ==, 0);
	for (int i = 0; i <= ZVM_DATA_GLOB_MAX_MATCHES; i++) {
		g_autofree char *name = g_strdup_printf("%05d.txt", i);
		write_file(many, name, "", 0644, 0, 0);
	}
	g_autoptr(GError) error = NULL;
	g_assert_null(zvm_data_roots_glob(f->roots, self, "data:logs/many/*", &error));
	g_assert_error(error, ZVM_DATA_ERROR, ZVM_DATA_ERROR_TOO_MANY);
	g_assert_cmpstr(error->message, ==,
			"data:logs/many/*: matches more than 4096 files or scans more than "
			"100000 directory entries");
	/* One fewer is fine. */
	g_autofree char *last = g_build_filename(many, "04096.txt", NULL);
	g_assert_cmpint(g_unlink(last), ==, 0);
	g_autoptr(GPtrArray) found = glob_ok(f, self, "data:logs/many/*");
	g_assert_cmpuint(found->len, ==, ZVM_DATA_GLOB_MAX_MATCHES);
	g_assert_cmpstr(found->pdata[0], ==, "data:logs/many/00000.txt");
}

#define ADD(path, func) g_test_add(path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/data-roots/names", test_names);
	g_test_add_func("/data-roots/identity", test_identity);
	ADD("/data-roots/add", test_add);
	ADD("/data-roots/open/self", test_open_self);
	ADD("/data-roots/open/root-replaced", test_root_replaced);
	ADD("/data-roots/open/as-users", test_open_as_users);
	ADD("/data-roots/open/switch-stays-on-its-thread", test_switch_stays_on_its_thread);
	ADD("/data-roots/open/not-root", test_not_root);
	ADD("/data-roots/glob", test_glob);
	ADD("/data-roots/glob/as-user", test_glob_as_user);
	ADD("/data-roots/glob/bound", test_glob_bound);
	return g_test_run();
}
