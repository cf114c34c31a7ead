/* SPDX-License-Identifier: Apache-2.0 */
/* Data roots: the exported directories, identities, and opening and globbing below a root as
 * the job's owner (see data-roots.h for the why of the identity switch). */
#include "data-roots.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <grp.h>
#include <linux/openat2.h>
#include <pwd.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define ROOT_NAME_MAX 64
#define DATA_PATH_MAX 4096
/* NGROUPS_MAX of Linux. */
#define GROUPS_MAX 65536
/* Bound on the strings of one passwd entry. */
#define PASSWD_BUFFER_MAX (1 << 20)
/* openat2 gives EAGAIN when a rename raced the lookup; a few tries settle it. */
#define OPEN_TRIES 8

/* clang-format off */
G_DEFINE_QUARK(zvm-data-error-quark, zvm_data_error)
/* clang-format on */

/* Identities */

ZvmIdentity *zvm_identity_new(uid_t uid, gid_t gid, guint n_groups, const gid_t *groups)
{
	ZvmIdentity *identity = g_new0(ZvmIdentity, 1);
	identity->uid = uid;
	identity->gid = gid;
	identity->n_groups = n_groups;
	identity->groups = n_groups ? g_memdup2(groups, n_groups * sizeof(gid_t)) : NULL;
	return identity;
}

/* The passwd entry of @uid, its strings in *@buffer; NULL when there is none. */
static struct passwd *lookup_user(uid_t uid, struct passwd *pw, char **buffer)
{
	struct passwd *found = NULL;
	for (size_t size = 4096; size <= PASSWD_BUFFER_MAX; size *= 4) {
		*buffer = g_realloc(*buffer, size);
		int r = getpwuid_r(uid, pw, *buffer, size, &found);
		if (r != ERANGE)
			return r == 0 ? found : NULL;
	}
	return NULL;
}

ZvmIdentity *zvm_identity_new_for_user(uid_t uid, gid_t gid)
{
	struct passwd pw;
	g_autofree char *buffer = NULL;
	const struct passwd *found = lookup_user(uid, &pw, &buffer);
	if (found == NULL)
		return zvm_identity_new(uid, gid, 1, &gid);
	int n = 32;
	g_autofree gid_t *groups = g_new(gid_t, n);
	for (;;) {
		int wanted = n;
		if (getgrouplist(found->pw_name, gid, groups, &wanted) >= 0) {
			n = wanted;
			break;
		}
		if (wanted <= n || wanted > GROUPS_MAX)
			return zvm_identity_new(uid, gid, 1, &gid);
		n = wanted;
		groups = g_renew(gid_t, groups, n);
	}
	return zvm_identity_new(uid, gid, (guint)n, groups);
}

ZvmIdentity *zvm_identity_new_current(void)
{
	int n = getgroups(0, NULL);
	g_autofree gid_t *groups = g_new(gid_t, MAX(n, 1));
	n = n > 0 ? getgroups(n, groups) : 0;
	return zvm_identity_new(geteuid(), getegid(), (guint)MAX(n, 0), groups);
}

ZvmIdentity *zvm_identity_copy(const ZvmIdentity *identity)
{
	return zvm_identity_new(identity->uid, identity->gid, identity->n_groups, identity->groups);
}

void zvm_identity_free(ZvmIdentity *identity)
{
	if (identity == NULL)
		return;
	g_free(identity->groups);
	g_free(identity);
}

/* The identity switch of this thread (data-roots.h). */

typedef struct {
	gboolean switched;
	uid_t fsuid;
	gid_t fsgid;
	int n_groups;
	gid_t *groups;
} SavedIdentity;

/* setfsuid() reports no error; a call with an invalid id changes nothing and returns the
 * current one. */
static uid_t current_fsuid(void)
{
	return (uid_t)setfsuid((uid_t)-1);
}

static gid_t current_fsgid(void)
{
	return (gid_t)setfsgid((gid_t)-1);
}

static void identity_leave(SavedIdentity *saved)
{
	if (saved->switched) {
		setfsuid(saved->fsuid);
		setfsgid(saved->fsgid);
		/* The raw call: glibc's setgroups() changes every thread of the process. */
		if (syscall(SYS_setgroups, (size_t)saved->n_groups, saved->groups) < 0 ||
		    current_fsuid() != saved->fsuid || current_fsgid() != saved->fsgid)
			g_error("data roots: cannot restore the gateway's identity: %s",
				g_strerror(errno));
		saved->switched = FALSE;
	}
	g_clear_pointer(&saved->groups, g_free);
}

/*
 * Makes this thread's file accesses those of @owner, for the data file @uri. A process that
 * is not root stays itself, and serves only its own user.
 * Returns: FALSE with @error (ACCESS when not root, FAILED when the switch failed).
 */
static gboolean identity_enter(const ZvmIdentity *owner, SavedIdentity *saved, const char *uri,
			       GError **error)
{
	*saved = (SavedIdentity){0};
	uid_t euid = geteuid();
	if (euid != 0 && owner->uid != euid) {
		g_set_error(error, ZVM_DATA_ERROR, ZVM_DATA_ERROR_ACCESS,
			    "%s: Permission denied (the gateway does not run as root, so it reads "
			    "data only for its own user)",
			    uri);
		return FALSE;
	}
	if (euid != 0)
		return TRUE;
	int err = 0;
	int n = getgroups(0, NULL);
	saved->groups = g_new(gid_t, MAX(n, 1));
	n = n > 0 ? getgroups(n, saved->groups) : n;
	if (n < 0) {
		err = errno;
	} else {
		saved->n_groups = n;
		saved->fsuid = current_fsuid();
		saved->fsgid = current_fsgid();
		if (syscall(SYS_setgroups, (size_t)owner->n_groups, owner->groups) < 0)
			err = errno;
	}
	if (err == 0) {
		saved->switched = TRUE;
		setfsgid(owner->gid);
		setfsuid(owner->uid);
		if (current_fsuid() != owner->uid || current_fsgid() != owner->gid)
			err = EPERM;
	}
	if (err != 0) {
		identity_leave(saved);
		g_set_error(error, ZVM_DATA_ERROR, ZVM_DATA_ERROR_FAILED,
			    "%s: cannot take the owner's identity: %s", uri, g_strerror(err));
		return FALSE;
	}
	return TRUE;
}

/* Roots */

typedef struct {
	char *name;
	char *dir;
	dev_t dev;
	ino_t ino;
} Root;

struct _ZvmDataRoots {
	GPtrArray *roots; /* Root*, sorted by name */
	GPtrArray *names; /* borrowed from roots, NULL-terminated */
};

static void root_free(Root *root)
{
	g_free(root->name);
	g_free(root->dir);
	g_free(root);
}

gboolean zvm_data_root_name_is_valid(const char *name)
{
	size_t length = name ? strlen(name) : 0;
	if (length == 0 || length > ROOT_NAME_MAX || !g_ascii_isalnum(name[0]))
		return FALSE;
	for (const char *p = name; *p; p++) {
		if (!g_ascii_isalnum(*p) && *p != '_' && *p != '-')
			return FALSE;
	}
	return TRUE;
}

ZvmDataRoots *zvm_data_roots_new(void)
{
	ZvmDataRoots *roots = g_new0(ZvmDataRoots, 1);
	roots->roots = g_ptr_array_new_with_free_func((GDestroyNotify)root_free);
	roots->names = g_ptr_array_new();
	g_ptr_array_add(roots->names, NULL);
	return roots;
}

void zvm_data_roots_free(ZvmDataRoots *roots)
{
	if (roots == NULL)
		return;
	g_ptr_array_unref(roots->names);
	g_ptr_array_unref(roots->roots);
	g_free(roots);
}

static const Root *find_root(const ZvmDataRoots *roots, const char *name)
{
	for (guint i = 0; roots && i < roots->roots->len; i++) {
		const Root *root = roots->roots->pdata[i];
		if (strcmp(root->name, name) == 0)
			return root;
	}
	return NULL;
}

static gint compare_roots(gconstpointer a, gconstpointer b)
{
	return strcmp((*(Root *const *)a)->name, (*(Root *const *)b)->name);
}

static ZvmDataError code_of_errno(int err)
{
	switch (err) {
	case EACCES:
	case EPERM:
		return ZVM_DATA_ERROR_ACCESS;
	case ENOENT:
	case ENOTDIR:
		return ZVM_DATA_ERROR_NOT_FOUND;
	case EXDEV:
		return ZVM_DATA_ERROR_ESCAPE;
	default:
		return ZVM_DATA_ERROR_FAILED;
	}
}

gboolean zvm_data_roots_add(ZvmDataRoots *roots, const char *name, const char *dir, GError **error)
{
	if (!zvm_data_root_name_is_valid(name)) {
		g_set_error(error, ZVM_DATA_ERROR, ZVM_DATA_ERROR_INVALID,
			    "data root name '%s' is not valid (1 to 64 letters, digits, '_' or "
			    "'-', starting with a letter or digit)",
			    name);
		return FALSE;
	}
	if (find_root(roots, name)) {
		g_set_error(error, ZVM_DATA_ERROR, ZVM_DATA_ERROR_INVALID,
			    "data root '%s' is exported twice", name);
		return FALSE;
	}
	if (!g_path_is_absolute(dir)) {
		g_set_error(error, ZVM_DATA_ERROR, ZVM_DATA_ERROR_INVALID,
			    "data root '%s': '%s' is not an absolute path", name, dir);
		return FALSE;
	}
	/* The path that will be opened, so that the check holds for it. */
	g_autofree char *canonical = g_canonicalize_filename(dir, NULL);
	struct stat st;
	if (stat(canonical, &st) < 0) {
		int err = errno;
		g_set_error(error, ZVM_DATA_ERROR, code_of_errno(err), "data root '%s': %s: %s",
			    name, dir, g_strerror(err));
		return FALSE;
	}
	if (!S_ISDIR(st.st_mode)) {
		g_set_error(error, ZVM_DATA_ERROR, ZVM_DATA_ERROR_NOT_REGULAR,
			    "data root '%s': %s is not a directory", name, dir);
		return FALSE;
	}
	Root *root = g_new0(Root, 1);
	root->name = g_strdup(name);
	root->dir = g_steal_pointer(&canonical);
	root->dev = st.st_dev;
	root->ino = st.st_ino;
	g_ptr_array_add(roots->roots, root);
	g_ptr_array_sort(roots->roots, compare_roots);
	g_ptr_array_set_size(roots->names, 0);
	for (guint i = 0; i < roots->roots->len; i++)
		g_ptr_array_add(roots->names, ((Root *)roots->roots->pdata[i])->name);
	g_ptr_array_add(roots->names, NULL);
	return TRUE;
}

const char *const *zvm_data_roots_get_names(const ZvmDataRoots *roots)
{
	return (const char *const *)roots->names->pdata;
}

const char *zvm_data_roots_get_dir(const ZvmDataRoots *roots, const char *name)
{
	const Root *root = find_root(roots, name);
	return root ? root->dir : NULL;
}

/* URIs */

/* NULL when @path is a relative, normalised path: no empty, '.' or '..' component, no
 * control character, at most DATA_PATH_MAX bytes. */
static const char *path_problem(const char *path)
{
	if (*path == '\0')
		return "the path is empty";
	if (*path == '/')
		return "the path is absolute";
	if (strlen(path) > DATA_PATH_MAX)
		return "the path is longer than 4096 bytes";
	for (const char *p = path; *p; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return "the path holds a control character";
	}
	g_auto(GStrv) components = g_strsplit(path, "/", -1);
	for (char **c = components; *c; c++) {
		if (**c == '\0')
			return "the path has an empty component";
		if (strcmp(*c, ".") == 0 || strcmp(*c, "..") == 0)
			return "the path has a '.' or '..' component";
	}
	return NULL;
}

/* The root and the path below it of @uri, "data:<root>/<path>". */
static const Root *parse_uri(const ZvmDataRoots *roots, const char *uri, const char **path,
			     GError **error)
{
	const char *rest = g_str_has_prefix(uri, "data:") ? uri + strlen("data:") : NULL;
	const char *slash = rest ? strchr(rest, '/') : NULL;
	if (slash == NULL || slash == rest) {
		g_set_error(error, ZVM_DATA_ERROR, ZVM_DATA_ERROR_INVALID,
			    "%s: not a data URI (expected data:<root>/<path>)", uri);
		return NULL;
	}
	const char *problem = path_problem(slash + 1);
	if (problem) {
		g_set_error(error, ZVM_DATA_ERROR, ZVM_DATA_ERROR_INVALID, "%s: %s", uri, problem);
		return NULL;
	}
	g_autofree char *name = g_strndup(rest, slash - rest);
	const Root *root = find_root(roots, name);
	if (root == NULL) {
		g_set_error(error, ZVM_DATA_ERROR, ZVM_DATA_ERROR_NOT_EXPORTED,
			    "%s: no data root '%s' is exported", uri, name);
		return NULL;
	}
	*path = slash + 1;
	return root;
}

/* Opening */

static int open_beneath(int dirfd, const char *path, guint64 flags)
{
	struct open_how how = {
	    .flags = flags | O_CLOEXEC | O_NOCTTY,
	    .resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS,
	};
	int fd = -1;
	for (int i = 0; i < OPEN_TRIES; i++) {
		fd = (int)syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
		if (fd >= 0 || (errno != EAGAIN && errno != EINTR))
			break;
	}
	return fd < 0 ? -errno : fd;
}

/* Opens @root by its host path as the current (switched) identity, so that the directories
 * above it are searched with the owner's permissions too. Returns: an O_PATH fd or -errno;
 * -ESTALE when another directory now stands at that path. */
static int open_root(const Root *root)
{
	int fd = open(root->dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	struct stat st;
	if (fstat(fd, &st) < 0 || st.st_dev != root->dev || st.st_ino != root->ino) {
		close(fd);
		return -ESTALE;
	}
	return fd;
}

/* Opens @path below @root_fd read-only; a regular file only, in blocking mode. */
static int open_regular(int root_fd, const char *path)
{
	int fd = open_beneath(root_fd, path, O_RDONLY | O_NONBLOCK);
	if (fd < 0)
		return fd;
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -EISDIR;
	}
	int flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0) {
		int err = errno;
		close(fd);
		return -err;
	}
	return fd;
}

static void set_open_error(GError **error, const char *uri, const Root *root, int err)
{
	switch (err) {
	case EXDEV:
		g_set_error(error, ZVM_DATA_ERROR, ZVM_DATA_ERROR_ESCAPE,
			    "%s: a symbolic link leads outside the data root", uri);
		break;
	case EISDIR:
		g_set_error(error, ZVM_DATA_ERROR, ZVM_DATA_ERROR_NOT_REGULAR,
			    "%s: not a regular file", uri);
		break;
	case ESTALE:
		g_set_error(error, ZVM_DATA_ERROR, ZVM_DATA_ERROR_FAILED,
			    "%s: the data root %s was replaced since the gateway started", uri,
			    root->dir);
		break;
	default:
		g_set_error(error, ZVM_DATA_ERROR, code_of_errno(err), "%s: %s", uri,
			    g_strerror(err));
		break;
	}
}

int zvm_data_roots_open(const ZvmDataRoots *roots, const ZvmIdentity *owner, const char *uri,
			GError **error)
{
	const char *path = NULL;
	const Root *root = parse_uri(roots, uri, &path, error);
	if (root == NULL)
		return -1;
	SavedIdentity saved;
	if (!identity_enter(owner, &saved, uri, error))
		return -1;
	int root_fd = open_root(root);
	int fd = root_fd < 0 ? root_fd : open_regular(root_fd, path);
	if (root_fd >= 0)
		close(root_fd);
	identity_leave(&saved);
	if (fd < 0) {
		set_open_error(error, uri, root, -fd);
		return -1;
	}
	return fd;
}

/* Globbing */

typedef struct {
	const Root *root;
	int root_fd;
	char **components;
	guint n_components;
	GPtrArray *found;
	guint scanned;
	gboolean too_many;
	int denied;	   /* the errno of the first path the owner may not read, or 0 */
	char *denied_path; /* that path below the root ("" for the root itself) */
} Glob;

/* Stops the expansion at a path the owner may not read: a wildcard that silently left out
 * data the user meant to give the job would be worse than a refusal naming it. */
static gboolean glob_denied(Glob *g, const char *path, int err)
{
	if (err != EACCES && err != EPERM)
		return FALSE;
	if (g->denied == 0) {
		g->denied = err;
		g->denied_path = g_strdup(path);
	}
	return TRUE;
}

static gboolean has_wildcard(const char *text)
{
	return strpbrk(text, "*?[") != NULL;
}

static void glob_level(Glob *g, const char *prefix, guint level);

/* @path matched components 0..@level: descend, or take it when it is a readable file. */
static void glob_visit(Glob *g, const char *path, guint level)
{
	if (level + 1 < g->n_components) {
		glob_level(g, path, level + 1);
		return;
	}
	int fd = open_regular(g->root_fd, path);
	if (fd < 0) {
		/* Not there, not a regular file, or a link out of the root: no match. */
		glob_denied(g, path, -fd);
		return;
	}
	close(fd);
	if (g->found->len >= ZVM_DATA_GLOB_MAX_MATCHES) {
		g->too_many = TRUE;
		return;
	}
	g_ptr_array_add(g->found, g_strdup_printf("data:%s/%s", g->root->name, path));
}

static gint compare_strings(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Matches component @level among the entries of directory @prefix ("" for the root). */
static void glob_level(Glob *g, const char *prefix, guint level)
{
	const char *component = g->components[level];
	if (g->too_many || g->denied)
		return;
	if (!has_wildcard(component)) {
		g_autofree char *path =
		    *prefix ? g_strconcat(prefix, "/", component, NULL) : g_strdup(component);
		glob_visit(g, path, level);
		return;
	}
	int fd = open_beneath(g->root_fd, *prefix ? prefix : ".", O_RDONLY | O_DIRECTORY);
	if (fd < 0) {
		glob_denied(g, prefix, -fd);
		return;
	}
	DIR *dir = fdopendir(fd);
	if (dir == NULL) {
		close(fd);
		return;
	}
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	for (struct dirent *entry; (entry = readdir(dir)) != NULL;) {
		if (++g->scanned > ZVM_DATA_GLOB_MAX_SCANNED) {
			g->too_many = TRUE;
			break;
		}
		if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
			continue;
		if (fnmatch(component, entry->d_name, FNM_PERIOD) == 0)
			g_ptr_array_add(names, g_strdup(entry->d_name));
	}
	closedir(dir);
	g_ptr_array_sort(names, compare_strings);
	for (guint i = 0; i < names->len && !g->too_many && !g->denied; i++) {
		const char *name = names->pdata[i];
		g_autofree char *path =
		    *prefix ? g_strconcat(prefix, "/", name, NULL) : g_strdup(name);
		glob_visit(g, path, level);
	}
}

GPtrArray *zvm_data_roots_glob(const ZvmDataRoots *roots, const ZvmIdentity *owner,
			       const char *pattern, GError **error)
{
	const char *path = NULL;
	const Root *root = parse_uri(roots, pattern, &path, error);
	if (root == NULL)
		return NULL;
	g_auto(GStrv) components = g_strsplit(path, "/", -1);
	g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func(g_free);
	Glob g = {
	    .root = root,
	    .components = components,
	    .n_components = g_strv_length(components),
	    .found = found,
	};
	SavedIdentity saved;
	if (!identity_enter(owner, &saved, pattern, error))
		return NULL;
	g.root_fd = open_root(root);
	if (g.root_fd >= 0) {
		glob_level(&g, "", 0);
		close(g.root_fd);
	}
	identity_leave(&saved);
	g_autofree char *denied_path = g.denied_path;
	if (g.root_fd < 0) {
		set_open_error(error, pattern, root, -g.root_fd);
		return NULL;
	}
	if (g.denied) {
		g_autofree char *uri = g_strdup_printf("data:%s/%s", root->name, denied_path);
		set_open_error(error, uri, root, g.denied);
		return NULL;
	}
	if (g.too_many) {
		g_set_error(error, ZVM_DATA_ERROR, ZVM_DATA_ERROR_TOO_MANY,
			    "%s: matches more than %u files or scans more than %u directory "
			    "entries",
			    pattern, ZVM_DATA_GLOB_MAX_MATCHES, ZVM_DATA_GLOB_MAX_SCANNED);
		return NULL;
	}
	g_ptr_array_sort(found, compare_strings);
	return g_steal_pointer(&found);
}

GPtrArray *zvm_data_glob_func(const char *pattern, gpointer user_data, GError **error)
{
	const ZvmDataGlobScope *scope = user_data;
	return zvm_data_roots_glob(scope->roots, scope->owner, pattern, error);
}
