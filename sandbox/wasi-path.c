/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The path calls of the WASI host (path_*): lookups below a directory descriptor, path_open,
 * the changes a writable tree (scratch or output, wasi-tree.c) takes, and the refusals of every
 * change to /dev and to images. Symbolic links exist only in writable trees, relative and
 * confined to the descriptor's tree by resolution (wasi-fs.c); hard links only in scratch
 * trees.
 */
#include <string.h>

#include "wasi-host-private.h"

/*
 * Resolves @path below the directory descriptor @dirfd (which needs @right, and @tree_right
 * when it is in a writable tree), following a last symbolic link when @follow.
 * Returns: what zvm_wasi_resolve returns, or EBADF, ENOTDIR, ENOTCAPABLE, EFAULT.
 */
static uint16_t path_lookup(ZvmWasiHost *host, uint32_t dirfd, uint64_t right, uint64_t tree_right,
			    gboolean follow, uint32_t path, uint32_t path_len, ZvmWasiFd **dir,
			    ZvmWasiLookup *lookup)
{
	ZvmWasiFd *entry = zvm_wasi_fd_get(host, dirfd);
	const uint8_t *p = zvm_wasi_guest(host, path, path_len);

	lookup->node = NULL;
	lookup->parent = NULL;
	if (entry == NULL)
		return ZVM_WASI_EBADF;
	if (entry->node->kind != ZVM_WASI_NODE_DIRECTORY)
		return ZVM_WASI_ENOTDIR;
	if (right != 0 && !(entry->rights_base & right))
		return ZVM_WASI_ENOTCAPABLE;
	if (entry->tree != NULL && tree_right != 0 && !(entry->rights_base & tree_right))
		return ZVM_WASI_ENOTCAPABLE;
	if (p == NULL)
		return ZVM_WASI_EFAULT;
	*dir = entry;
	return zvm_wasi_resolve(entry->node, (const char *)p, path_len, follow, lookup);
}

/* Nothing in /dev or an image can be created, removed or renamed: /dev is a directory the
 * program may not write, and images are read-only file systems. Writable trees refuse only
 * links, as a file system without them does. */
static uint16_t path_change_refused(const ZvmWasiFd *dir)
{
	if (dir->tree != NULL)
		return ZVM_WASI_EPERM;
	return dir->read_only ? ZVM_WASI_EROFS : ZVM_WASI_EACCES;
}

/* For a name a call would create: EEXIST if it is there, the refusal if only it is missing. */
static uint16_t path_create_refused(uint16_t error, const ZvmWasiFd *dir,
				    const ZvmWasiLookup *lookup)
{
	if (error == ZVM_WASI_SUCCESS)
		return ZVM_WASI_EEXIST;
	if (error == ZVM_WASI_ENOENT && lookup->parent != NULL)
		return path_change_refused(dir);
	return error;
}

static uint16_t wasi_path_open(ZvmWasiHost *host, uint32_t dirfd, uint32_t dirflags, uint32_t path,
			       uint32_t path_len, uint32_t oflags, uint64_t base,
			       uint64_t inheriting, uint32_t fdflags, uint32_t opened)
{
	ZvmWasiFd *dir = NULL;
	ZvmWasiLookup lookup;
	uint64_t tree_right =
	    ((oflags & ZVM_WASI_OFLAG_CREAT) ? ZVM_WASI_RIGHT_PATH_CREATE_FILE : 0) |
	    ((oflags & ZVM_WASI_OFLAG_TRUNC) ? ZVM_WASI_RIGHT_PATH_FILESTAT_SET_SIZE : 0);
	uint16_t error = path_lookup(host, dirfd, ZVM_WASI_RIGHT_PATH_OPEN, tree_right,
				     (dirflags & ZVM_WASI_LOOKUP_SYMLINK_FOLLOW) != 0, path,
				     path_len, &dir, &lookup);
	uint8_t *result = zvm_wasi_guest(host, opened, 4);

	if (dir == NULL)
		return error;
	if (result == NULL)
		return ZVM_WASI_EFAULT;
	if (oflags & ~(uint32_t)ZVM_WASI_OFLAGS_ALL)
		return ZVM_WASI_EINVAL;
	/* wasi-libc's opendir asks O_NONBLOCK, which means nothing for a directory, nor for a
	 * regular file (a tree's file, a random-read channel): Ruby opens every file it loads
	 * so. A sequential channel, which may be a pipe whose read blocks, is still refused. */
	uint32_t checked_flags = fdflags;
	if (error == ZVM_WASI_SUCCESS &&
	    (lookup.node->kind == ZVM_WASI_NODE_DIRECTORY || zvm_wasi_node_seekable(lookup.node)))
		checked_flags &= ~(uint32_t)ZVM_WASI_FDFLAG_NONBLOCK;
	uint16_t flags_error = zvm_wasi_check_fdflags(checked_flags);
	if (flags_error != ZVM_WASI_SUCCESS)
		return flags_error;
	gboolean created = FALSE;
	if (error == ZVM_WASI_ENOENT && lookup.parent != NULL && (oflags & ZVM_WASI_OFLAG_CREAT)) {
		if (dir->tree == NULL)
			return path_change_refused(dir);
		if (lookup.trailing_slash || (oflags & ZVM_WASI_OFLAG_DIRECTORY))
			return ZVM_WASI_EISDIR;
		error = zvm_wasi_tree_create(lookup.parent, lookup.name, ZVM_WASI_NODE_FILE,
					     &lookup.node);
		if (error == ZVM_WASI_SUCCESS)
			lookup.node->mtim = (uint64_t)host->realtime_ns;
		created = TRUE;
	}
	if (error != ZVM_WASI_SUCCESS)
		return error;

	ZvmWasiNode *node = zvm_wasi_node_real(lookup.node);
	gboolean wants_write = (base & ZVM_WASI_RIGHT_FD_WRITE) != 0;
	gboolean changes = (oflags & (ZVM_WASI_OFLAG_CREAT | ZVM_WASI_OFLAG_TRUNC)) != 0;
	if (!created && (oflags & ZVM_WASI_OFLAG_CREAT) && (oflags & ZVM_WASI_OFLAG_EXCL))
		return ZVM_WASI_EEXIST;
	/* A link that was not followed cannot be opened (Linux's O_NOFOLLOW). */
	if (node->kind == ZVM_WASI_NODE_SYMLINK)
		return ZVM_WASI_ELOOP;
	if ((oflags & ZVM_WASI_OFLAG_DIRECTORY) && node->kind != ZVM_WASI_NODE_DIRECTORY)
		return ZVM_WASI_ENOTDIR;
	switch (node->kind) {
	case ZVM_WASI_NODE_DIRECTORY:
		if (wants_write || changes)
			return ZVM_WASI_EISDIR;
		break;
	case ZVM_WASI_NODE_FILE:
		if (node->tree == NULL && (wants_write || changes))
			return ZVM_WASI_EROFS;
		if (node->tree != NULL && (oflags & ZVM_WASI_OFLAG_TRUNC) && node->size > 0) {
			node->mtim = (uint64_t)host->realtime_ns;
			error = zvm_wasi_tree_set_size(node, 0);
			if (error != ZVM_WASI_SUCCESS)
				return error;
		}
		break;
	case ZVM_WASI_NODE_CHANNEL:
		/* fopen(..., "w") asks O_CREAT|O_TRUNC: a writable channel takes it (a channel
		 * is never truncated; ZeroVM's outputs start empty anyway). */
		if ((base & ZVM_WASI_RIGHT_FD_READ) && !(node->channel->access & ZVM_ACCESS_READ))
			return ZVM_WASI_EACCES;
		if ((wants_write || (oflags & ZVM_WASI_OFLAG_TRUNC)) &&
		    !(node->channel->access & ZVM_ACCESS_WRITE))
			return ZVM_WASI_EACCES;
		break;
	case ZVM_WASI_NODE_SYMLINK: /* refused above */
	default:
		return ZVM_WASI_EIO;
	}

	ZvmWasiFd entry = {
	    .node = node,
	    .dev = dir->dev,
	    .read_only = dir->read_only,
	    .tree = dir->tree,
	    .rights_base = base & zvm_wasi_node_rights(node) & dir->rights_inheriting,
	    .rights_inheriting =
		inheriting & zvm_wasi_node_inheriting(node) & dir->rights_inheriting,
	    .flags = (uint16_t)checked_flags,
	};
	uint32_t fd;
	error = zvm_wasi_files_add(host->files, &entry, &fd);
	if (error != ZVM_WASI_SUCCESS)
		return error;
	zvm_wasi_put_u32(result, fd);
	return ZVM_WASI_SUCCESS;
}

static uint16_t wasi_path_filestat_get(ZvmWasiHost *host, uint32_t dirfd, uint32_t flags,
				       uint32_t path, uint32_t path_len, uint32_t stat)
{
	ZvmWasiFd *dir = NULL;
	ZvmWasiLookup lookup;
	uint8_t *p = zvm_wasi_guest(host, stat, ZVM_WASI_FILESTAT_SIZE);
	uint16_t error = path_lookup(host, dirfd, ZVM_WASI_RIGHT_PATH_FILESTAT_GET, 0,
				     (flags & ZVM_WASI_LOOKUP_SYMLINK_FOLLOW) != 0, path, path_len,
				     &dir, &lookup);

	if (dir == NULL)
		return error;
	if (p == NULL)
		return ZVM_WASI_EFAULT;
	if (error != ZVM_WASI_SUCCESS)
		return error;
	zvm_wasi_put_filestat(p, dir->dev, zvm_wasi_node_real(lookup.node));
	return ZVM_WASI_SUCCESS;
}

static uint16_t wasi_path_create_directory(ZvmWasiHost *host, uint32_t dirfd, uint32_t path,
					   uint32_t path_len)
{
	ZvmWasiFd *dir = NULL;
	ZvmWasiLookup lookup;
	uint16_t error = path_lookup(host, dirfd, 0, ZVM_WASI_RIGHT_PATH_CREATE_DIRECTORY, FALSE,
				     path, path_len, &dir, &lookup);

	if (dir == NULL)
		return error;
	if (dir->tree != NULL && error == ZVM_WASI_ENOENT && lookup.parent != NULL) {
		ZvmWasiNode *node;

		error = zvm_wasi_tree_create(lookup.parent, lookup.name, ZVM_WASI_NODE_DIRECTORY,
					     &node);
		if (error == ZVM_WASI_SUCCESS)
			node->mtim = (uint64_t)host->realtime_ns;
		return error;
	}
	return path_create_refused(error, dir, &lookup);
}

static uint16_t wasi_path_remove_directory(ZvmWasiHost *host, uint32_t dirfd, uint32_t path,
					   uint32_t path_len)
{
	ZvmWasiFd *dir = NULL;
	ZvmWasiLookup lookup;
	uint16_t error = path_lookup(host, dirfd, 0, ZVM_WASI_RIGHT_PATH_REMOVE_DIRECTORY, FALSE,
				     path, path_len, &dir, &lookup);

	if (error != ZVM_WASI_SUCCESS)
		return error;
	if (lookup.node->kind != ZVM_WASI_NODE_DIRECTORY)
		return ZVM_WASI_ENOTDIR;
	/* rmdir(".") and rmdir on a preopen's own root */
	if (lookup.node == dir->node)
		return ZVM_WASI_EINVAL;
	if (dir->tree == NULL)
		return path_change_refused(dir);
	/* A path ending in "." or "..": Linux refuses to remove a directory that way. */
	if (lookup.parent == NULL)
		return strcmp(lookup.name, "..") == 0 ? ZVM_WASI_ENOTEMPTY : ZVM_WASI_EINVAL;
	return zvm_wasi_tree_remove(lookup.node);
}

static uint16_t wasi_path_unlink_file(ZvmWasiHost *host, uint32_t dirfd, uint32_t path,
				      uint32_t path_len)
{
	ZvmWasiFd *dir = NULL;
	ZvmWasiLookup lookup;
	uint16_t error = path_lookup(host, dirfd, 0, ZVM_WASI_RIGHT_PATH_UNLINK_FILE, FALSE, path,
				     path_len, &dir, &lookup);

	if (error != ZVM_WASI_SUCCESS)
		return error;
	if (lookup.node->kind == ZVM_WASI_NODE_DIRECTORY)
		return ZVM_WASI_EISDIR;
	if (dir->tree == NULL)
		return path_change_refused(dir);
	return zvm_wasi_tree_remove(lookup.node);
}

static uint16_t wasi_path_rename(ZvmWasiHost *host, uint32_t old_fd, uint32_t old_path,
				 uint32_t old_len, uint32_t new_fd, uint32_t new_path,
				 uint32_t new_len)
{
	ZvmWasiFd *old_dir = NULL, *new_dir = NULL;
	ZvmWasiLookup old_lookup, new_lookup;
	uint16_t error = path_lookup(host, old_fd, 0, ZVM_WASI_RIGHT_PATH_RENAME_SOURCE, FALSE,
				     old_path, old_len, &old_dir, &old_lookup);

	if (error != ZVM_WASI_SUCCESS)
		return error;
	error = path_lookup(host, new_fd, 0, ZVM_WASI_RIGHT_PATH_RENAME_TARGET, FALSE, new_path,
			    new_len, &new_dir, &new_lookup);
	if (error != ZVM_WASI_SUCCESS && !(error == ZVM_WASI_ENOENT && new_lookup.parent != NULL))
		return error;
	if (old_dir->dev != new_dir->dev)
		return ZVM_WASI_EXDEV;
	if (old_dir->tree == NULL)
		return path_change_refused(old_dir);
	ZvmWasiNode *node = old_lookup.node;
	if (old_lookup.parent == NULL || (error == ZVM_WASI_SUCCESS && new_lookup.parent == NULL))
		return ZVM_WASI_EBUSY;
	/* "file/" names a directory: neither side may say it of a file. */
	if (node->kind != ZVM_WASI_NODE_DIRECTORY &&
	    (new_lookup.trailing_slash || old_lookup.trailing_slash))
		return ZVM_WASI_ENOTDIR;
	return zvm_wasi_tree_rename(node, new_lookup.parent, new_lookup.name);
}

static uint16_t wasi_path_link(ZvmWasiHost *host, uint32_t old_fd, uint32_t old_flags,
			       uint32_t old_path, uint32_t old_len, uint32_t new_fd,
			       uint32_t new_path, uint32_t new_len)
{
	ZvmWasiFd *old_dir = NULL, *new_dir = NULL;
	ZvmWasiLookup old_lookup, new_lookup;
	uint16_t error = path_lookup(host, old_fd, 0, ZVM_WASI_RIGHT_PATH_LINK_SOURCE,
				     (old_flags & ZVM_WASI_LOOKUP_SYMLINK_FOLLOW) != 0, old_path,
				     old_len, &old_dir, &old_lookup);

	if (error != ZVM_WASI_SUCCESS)
		return error;
	if (zvm_wasi_node_real(old_lookup.node)->kind == ZVM_WASI_NODE_DIRECTORY)
		return ZVM_WASI_EPERM;
	error = path_lookup(host, new_fd, 0, ZVM_WASI_RIGHT_PATH_LINK_TARGET, FALSE, new_path,
			    new_len, &new_dir, &new_lookup);
	if (new_dir == NULL)
		return error;
	if (error == ZVM_WASI_ENOENT && new_lookup.parent != NULL && old_dir->dev != new_dir->dev)
		return ZVM_WASI_EXDEV;
	if (new_dir->tree == NULL || old_dir->tree == NULL)
		return path_create_refused(error, new_dir, &new_lookup);
	if (error == ZVM_WASI_SUCCESS)
		return ZVM_WASI_EEXIST;
	if (error != ZVM_WASI_ENOENT || new_lookup.parent == NULL)
		return error;
	if (new_lookup.trailing_slash || old_lookup.trailing_slash)
		return ZVM_WASI_ENOENT;
	return zvm_wasi_tree_link(old_lookup.node, new_lookup.parent, new_lookup.name);
}

static uint16_t wasi_path_symlink(ZvmWasiHost *host, uint32_t old_path, uint32_t old_len,
				  uint32_t dirfd, uint32_t new_path, uint32_t new_len)
{
	ZvmWasiFd *dir = NULL;
	ZvmWasiLookup lookup;

	const uint8_t *target = zvm_wasi_guest(host, old_path, old_len);

	if (target == NULL)
		return ZVM_WASI_EFAULT;
	uint16_t error = path_lookup(host, dirfd, 0, ZVM_WASI_RIGHT_PATH_SYMLINK, FALSE, new_path,
				     new_len, &dir, &lookup);
	if (dir == NULL)
		return error;
	if (dir->tree == NULL)
		return path_create_refused(error, dir, &lookup);
	if (error == ZVM_WASI_SUCCESS)
		return lookup.trailing_slash && lookup.node->kind != ZVM_WASI_NODE_DIRECTORY
			   ? ZVM_WASI_ENOTDIR
			   : ZVM_WASI_EEXIST;
	if (error != ZVM_WASI_ENOENT || lookup.parent == NULL)
		return error;
	/* A link's own name cannot end in '/': that names a directory. */
	if (lookup.trailing_slash)
		return ZVM_WASI_ENOENT;
	if (memchr(target, '\0', old_len) != NULL)
		return ZVM_WASI_EINVAL;
	error = zvm_wasi_tree_symlink(lookup.parent, lookup.name, (const char *)target, old_len);
	if (error == ZVM_WASI_SUCCESS) {
		ZvmWasiLookup made;

		if (zvm_wasi_resolve(lookup.parent, lookup.name, strlen(lookup.name), FALSE,
				     &made) == ZVM_WASI_SUCCESS)
			made.node->mtim = (uint64_t)host->realtime_ns;
	}
	return error;
}

/* Symbolic links exist only in writable trees; readlink cuts the target to the buffer. */
static uint16_t wasi_path_readlink(ZvmWasiHost *host, uint32_t dirfd, uint32_t path,
				   uint32_t path_len, uint32_t buf, uint32_t buf_len,
				   uint32_t bufused)
{
	ZvmWasiFd *dir = NULL;
	ZvmWasiLookup lookup;
	uint16_t error = path_lookup(host, dirfd, 0, ZVM_WASI_RIGHT_PATH_READLINK, FALSE, path,
				     path_len, &dir, &lookup);
	uint8_t *p = zvm_wasi_guest(host, buf, buf_len);
	uint8_t *used = zvm_wasi_guest(host, bufused, 4);

	if (error != ZVM_WASI_SUCCESS)
		return error;
	if (p == NULL || used == NULL)
		return ZVM_WASI_EFAULT;
	const ZvmWasiNode *link = zvm_wasi_node_real(lookup.node);
	if (link->kind != ZVM_WASI_NODE_SYMLINK)
		return ZVM_WASI_EINVAL;
	uint32_t n = (uint32_t)MIN(strlen(link->target), (size_t)buf_len);
	memcpy(p, link->target, n);
	zvm_wasi_put_u32(used, n);
	return ZVM_WASI_SUCCESS;
}

static uint16_t wasi_path_filestat_set_times(ZvmWasiHost *host, uint32_t dirfd, uint32_t flags,
					     uint32_t path, uint32_t path_len, uint64_t atim,
					     uint64_t mtim, uint32_t fstflags)
{
	ZvmWasiFd *dir = NULL;
	ZvmWasiLookup lookup;
	uint16_t error = path_lookup(host, dirfd, 0, ZVM_WASI_RIGHT_PATH_FILESTAT_SET_TIMES,
				     (flags & ZVM_WASI_LOOKUP_SYMLINK_FOLLOW) != 0, path, path_len,
				     &dir, &lookup);

	if (error != ZVM_WASI_SUCCESS)
		return error;
	if (dir->tree != NULL)
		return zvm_wasi_set_times(host, zvm_wasi_node_real(lookup.node), atim, mtim,
					  fstflags);
	return dir->read_only ? ZVM_WASI_EROFS : ZVM_WASI_EPERM;
}

/* The imports, in wasi-calls.def order. */

uint32_t Z_wasi_snapshot_preview1Z_path_create_directory(ZvmWasiInstance *instance, uint32_t fd,
							 uint32_t path, uint32_t path_len)
{
	ZvmWasiHost *host = zvm_wasi_call_enter(instance);

	return zvm_wasi_call_leave(host, wasi_path_create_directory(host, fd, path, path_len));
}

uint32_t Z_wasi_snapshot_preview1Z_path_filestat_get(ZvmWasiInstance *instance, uint32_t fd,
						     uint32_t flags, uint32_t path,
						     uint32_t path_len, uint32_t stat)
{
	ZvmWasiHost *host = zvm_wasi_call_enter(instance);

	return zvm_wasi_call_leave(host,
				   wasi_path_filestat_get(host, fd, flags, path, path_len, stat));
}

uint32_t Z_wasi_snapshot_preview1Z_path_filestat_set_times(ZvmWasiInstance *instance, uint32_t fd,
							   uint32_t flags, uint32_t path,
							   uint32_t path_len, uint64_t atim,
							   uint64_t mtim, uint32_t fstflags)
{
	ZvmWasiHost *host = zvm_wasi_call_enter(instance);

	return zvm_wasi_call_leave(
	    host,
	    wasi_path_filestat_set_times(host, fd, flags, path, path_len, atim, mtim, fstflags));
}

uint32_t Z_wasi_snapshot_preview1Z_path_link(ZvmWasiInstance *instance, uint32_t old_fd,
					     uint32_t old_flags, uint32_t old_path,
					     uint32_t old_len, uint32_t new_fd, uint32_t new_path,
					     uint32_t new_len)
{
	ZvmWasiHost *host = zvm_wasi_call_enter(instance);

	return zvm_wasi_call_leave(host, wasi_path_link(host, old_fd, old_flags, old_path, old_len,
							new_fd, new_path, new_len));
}

uint32_t Z_wasi_snapshot_preview1Z_path_open(ZvmWasiInstance *instance, uint32_t fd,
					     uint32_t dirflags, uint32_t path, uint32_t path_len,
					     uint32_t oflags, uint64_t base, uint64_t inheriting,
					     uint32_t fdflags, uint32_t opened)
{
	ZvmWasiHost *host = zvm_wasi_call_enter(instance);

	return zvm_wasi_call_leave(host, wasi_path_open(host, fd, dirflags, path, path_len, oflags,
							base, inheriting, fdflags, opened));
}

uint32_t Z_wasi_snapshot_preview1Z_path_readlink(ZvmWasiInstance *instance, uint32_t fd,
						 uint32_t path, uint32_t path_len, uint32_t buf,
						 uint32_t buf_len, uint32_t bufused)
{
	ZvmWasiHost *host = zvm_wasi_call_enter(instance);

	return zvm_wasi_call_leave(
	    host, wasi_path_readlink(host, fd, path, path_len, buf, buf_len, bufused));
}

uint32_t Z_wasi_snapshot_preview1Z_path_remove_directory(ZvmWasiInstance *instance, uint32_t fd,
							 uint32_t path, uint32_t path_len)
{
	ZvmWasiHost *host = zvm_wasi_call_enter(instance);

	return zvm_wasi_call_leave(host, wasi_path_remove_directory(host, fd, path, path_len));
}

uint32_t Z_wasi_snapshot_preview1Z_path_rename(ZvmWasiInstance *instance, uint32_t fd,
					       uint32_t old_path, uint32_t old_len, uint32_t new_fd,
					       uint32_t new_path, uint32_t new_len)
{
	ZvmWasiHost *host = zvm_wasi_call_enter(instance);

	return zvm_wasi_call_leave(
	    host, wasi_path_rename(host, fd, old_path, old_len, new_fd, new_path, new_len));
}

uint32_t Z_wasi_snapshot_preview1Z_path_symlink(ZvmWasiInstance *instance, uint32_t old_path,
						uint32_t old_len, uint32_t fd, uint32_t new_path,
						uint32_t new_len)
{
	ZvmWasiHost *host = zvm_wasi_call_enter(instance);

	return zvm_wasi_call_leave(
	    host, wasi_path_symlink(host, old_path, old_len, fd, new_path, new_len));
}

uint32_t Z_wasi_snapshot_preview1Z_path_unlink_file(ZvmWasiInstance *instance, uint32_t fd,
						    uint32_t path, uint32_t path_len)
{
	ZvmWasiHost *host = zvm_wasi_call_enter(instance);

	return zvm_wasi_call_leave(host, wasi_path_unlink_file(host, fd, path, path_len));
}
