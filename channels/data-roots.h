/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Data roots (docs/spec.md §2, §5): host directories the operator exports read-only, named in the
 * config ([data] NAME = /host/dir). A channel URI `data:<root>/<path>` reads a file below one
 * of them, opened with the submitting user's own permissions; nothing is copied into the
 * bundle.
 *
 * Opening as the user: the calling thread switches its filesystem identity (setfsuid,
 * setfsgid and the raw setgroups system call, all per-thread on Linux) to the owner's, opens
 * the root by its host path and the file beneath it with openat2(RESOLVE_BENEATH |
 * RESOLVE_NO_MAGICLINKS), and switches back before returning. The kernel checks the
 * permissions: nothing here reads mode bits. A symbolic link that leads outside the root is
 * refused; one that stays inside is followed. A process that is not root can only open as
 * itself, so it refuses every other owner.
 *
 * Thread context: every function may be called from any thread; the identity switch never
 * outlives the call and affects no other thread.
 */
#pragma once

#include <glib.h>
#include <sys/types.h>

#define ZVM_DATA_ERROR (zvm_data_error_quark())
GQuark zvm_data_error_quark(void);

typedef enum {
	ZVM_DATA_ERROR_INVALID,	     /* not data:<root>/<path>, or an unsafe path */
	ZVM_DATA_ERROR_NOT_EXPORTED, /* no data root of that name */
	ZVM_DATA_ERROR_ACCESS,	     /* the owner may not read it (EACCES, EPERM) */
	ZVM_DATA_ERROR_NOT_FOUND,    /* no such file (ENOENT, ENOTDIR) */
	ZVM_DATA_ERROR_NOT_REGULAR,  /* a directory, device, fifo or socket */
	ZVM_DATA_ERROR_ESCAPE,	     /* a symbolic link leads outside the root */
	ZVM_DATA_ERROR_TOO_MANY,     /* a wildcard matches or scans too many entries */
	ZVM_DATA_ERROR_FAILED,	     /* any other host failure */
} ZvmDataError;

/* Most URIs one wildcard may expand to, and most directory entries it may look at. */
#define ZVM_DATA_GLOB_MAX_MATCHES 4096
#define ZVM_DATA_GLOB_MAX_SCANNED 100000

/* Who a job reads data as: the submitter's uid, primary gid and supplementary groups. */
typedef struct {
	uid_t uid;
	gid_t gid;
	guint n_groups;
	gid_t *groups;
} ZvmIdentity;

ZvmIdentity *zvm_identity_new(uid_t uid, gid_t gid, guint n_groups, const gid_t *groups);
/* @uid with primary group @gid and the supplementary groups the user database gives the
 * user (getgrouplist, as at login); just @gid for a uid without a passwd entry. */
ZvmIdentity *zvm_identity_new_for_user(uid_t uid, gid_t gid);
/* The calling process: effective uid and gid, and its groups. */
ZvmIdentity *zvm_identity_new_current(void);
ZvmIdentity *zvm_identity_copy(const ZvmIdentity *identity);
void zvm_identity_free(ZvmIdentity *identity);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ZvmIdentity, zvm_identity_free)

typedef struct _ZvmDataRoots ZvmDataRoots;

/* TRUE for a root name the config may use: 1 to 64 of [A-Za-z0-9_-], starting with a letter
 * or digit. */
gboolean zvm_data_root_name_is_valid(const char *name);

ZvmDataRoots *zvm_data_roots_new(void);
void zvm_data_roots_free(ZvmDataRoots *roots);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ZvmDataRoots, zvm_data_roots_free)

/*
 * Exports @dir as root @name: the name must be valid and new, the directory absolute,
 * existing and a directory (checked now, as the calling process). The root is remembered by
 * device and inode too: a directory swapped in at that path later is refused.
 * Returns: FALSE with @error (ZVM_DATA_ERROR_INVALID, or NOT_FOUND / NOT_REGULAR / ACCESS /
 * FAILED naming the directory).
 */
gboolean zvm_data_roots_add(ZvmDataRoots *roots, const char *name, const char *dir, GError **error);

/* The names, sorted, NULL-terminated (owned by @roots, valid until the next add); an empty
 * list when none was added. */
const char *const *zvm_data_roots_get_names(const ZvmDataRoots *roots);
/* The host directory of root @name, or NULL. */
const char *zvm_data_roots_get_dir(const ZvmDataRoots *roots, const char *name);

/*
 * Opens the file that @uri ("data:<root>/<path>") names, read-only, as @owner (see above).
 * Returns: a new descriptor (O_CLOEXEC) of a regular file, or -1 with @error set; the
 * message is "<uri>: <cause>", e.g. "data:logs/x.txt: Permission denied".
 */
int zvm_data_roots_open(const ZvmDataRoots *roots, const ZvmIdentity *owner, const char *uri,
			GError **error);

/* Expands "data:<root>/<glob>" into the sorted "data:<root>/<path>" URIs it matches. */
typedef GPtrArray *(*ZvmDataGlobFunc)(const char *pattern, gpointer user_data, GError **error);

/*
 * Expands @pattern, "data:<root>/<glob>", as @owner: each component of the glob may hold
 * `*`, `?` and `[...]` (fnmatch, FNM_PERIOD: a leading '.' must be matched explicitly),
 * matched against the entries of one directory level; `**` is just `*`. Regular files are
 * listed; directories, fifos, devices and links that lead out of the root are not matches.
 * Nothing the owner may not read is left out silently: a matching file @owner cannot open, or
 * a directory the pattern must look into that @owner cannot list or search, fails the whole
 * expansion with ACCESS naming it ("data:logs/secret.txt: Permission denied"), as reading
 * that one file would (docs/engine.md §2a).
 * Returns: a new array of URIs (char*, freed with it), sorted by byte order, possibly empty;
 * or NULL with @error set: INVALID, NOT_EXPORTED, ACCESS, TOO_MANY when over
 * ZVM_DATA_GLOB_MAX_MATCHES or ZVM_DATA_GLOB_MAX_SCANNED, FAILED when the root cannot be
 * opened.
 */
GPtrArray *zvm_data_roots_glob(const ZvmDataRoots *roots, const ZvmIdentity *owner,
			       const char *pattern, GError **error);

/* The roots and owner of zvm_data_glob_func(), passed as its user_data. */
typedef struct {
	const ZvmDataRoots *roots;
	const ZvmIdentity *owner;
} ZvmDataGlobScope;

/* A ZvmDataGlobFunc over zvm_data_roots_glob(); @user_data is a ZvmDataGlobScope*. */
GPtrArray *zvm_data_glob_func(const char *pattern, gpointer user_data, GError **error);
