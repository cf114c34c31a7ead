/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the WASI host's descriptors point at (private to the host's wasi-host.c, wasi-io.c and
 * wasi-path.c, to wasi-fs.c and to their tests): an in-memory tree of nodes (the /dev
 * directory of channel aliases, and the read-only trees of tar images) and the descriptor table
 * over it, and the writable trees of [fstab] access=rw (scratch) and access=wo (output)
 * mounts (wasi-tree.c). Nothing here touches linear memory except zvm_wasi_node_readdir, which
 * fills a buffer the caller has bounds-checked, and the memory budget, which reads the linear
 * memory's size and lowers its maximum. Results are WASI errno values (wasi-abi.h).
 */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "wasi-host.h"

typedef enum {
	ZVM_WASI_NODE_DIRECTORY,
	ZVM_WASI_NODE_CHANNEL,
	ZVM_WASI_NODE_FILE,    /* a regular file of an image: a slice of the tar's bytes */
	ZVM_WASI_NODE_SYMLINK, /* only in writable trees: a relative path in its tree */
} ZvmWasiNodeKind;

typedef struct _ZvmWasiNode ZvmWasiNode;
typedef struct _ZvmWasiTree ZvmWasiTree;
struct _ZvmWasiNode {
	ZvmWasiNodeKind kind;
	char *name;	     /* one path component; "" for a root */
	ZvmWasiNode *parent; /* NULL for a root, the standard streams and removed nodes */
	uint64_t ino;	     /* unique within its tree, in build order */
	int refs;	     /* the parent's (or the owner's, for a root) and each descriptor's */
	GPtrArray *children; /* DIRECTORY: owned nodes, sorted by name (byte order) */
	GHashTable *by_name; /* DIRECTORY: name -> child, borrowed from children */
	ZvmChannel *channel; /* CHANNEL: not owned */
	const guint8 *data;  /* FILE: inside the image's GBytes, or @owned */
	uint64_t size;	     /* FILE */
	ZvmWasiTree *tree;   /* the writable tree the node belongs to, else NULL */
	guint8 *owned;	     /* FILE of a writable tree: its bytes, zero beyond @size */
	uint64_t capacity;   /* bytes allocated at @owned, a multiple of 512 */
	char *target;	     /* SYMLINK: what it points at */
	ZvmWasiNode *link;   /* a hard link's name: the node it names (held), else NULL */
	uint64_t nlink;	     /* writable trees: the names the node has */
	uint64_t mtim;	     /* writable trees: nanoseconds on the program's clock */
	uint64_t atim;
};

/* Open descriptors, the preopens included. */
#define ZVM_WASI_MAX_FDS 1024
/* Longest path a call may name, and longest component (as on Linux). */
#define ZVM_WASI_PATH_MAX 4096
#define ZVM_WASI_NAME_MAX 255

typedef struct {
	ZvmWasiNode *node;  /* holds a reference */
	uint64_t dev;	    /* the tree: 1 for the channels, 2 + i for mount i */
	gboolean read_only; /* the tree is an image */
	ZvmWasiTree *tree;  /* the tree is writable: scratch or output */
	int64_t offset;	    /* seekable nodes only */
	uint64_t rights_base;
	uint64_t rights_inheriting;
	uint16_t flags; /* fdflags */
	char *preopen;	/* the prestat name of a preopened directory, else NULL */
} ZvmWasiFd;

/*
 * The table a host starts with: 0-2 the standard channels (@channels[0..2]); then, from 3 on
 * without gaps, the preopened "/dev" holding every other channel whose alias starts with
 * "/dev/" (only when one of them is neither /dev/nvram nor a mount's channel: the engine has
 * consumed those), then the root of each of @mounts in order. So a job without such channels
 * or mounts has nothing at 3 (EBADF), as WASI programs expect. When two aliases would make one
 * name both a file and a directory ("/dev/in" and "/dev/in/x"), the directory wins and the
 * file is left out of the tree.
 */
ZvmWasiFiles *zvm_wasi_files_new(ZvmChannel **channels, guint n_channels,
				 const ZvmWasiMount *mounts, guint n_mounts,
				 wasm_rt_memory_t **memory);
void zvm_wasi_files_free(ZvmWasiFiles *files);

/* The open descriptor @fd, or NULL. */
ZvmWasiFd *zvm_wasi_files_get(ZvmWasiFiles *files, uint32_t fd);

/* Opens a copy of @entry (preopen NULL) at the lowest free number: SUCCESS or EMFILE. */
uint16_t zvm_wasi_files_add(ZvmWasiFiles *files, const ZvmWasiFd *entry, uint32_t *fd);

/* SUCCESS or EBADF. Closing a channel's descriptor leaves the channel open (it is shared). */
uint16_t zvm_wasi_files_close(ZvmWasiFiles *files, uint32_t fd);

/* Moves @from onto @to, closing what @to held; both must be open (EBADF). */
uint16_t zvm_wasi_files_renumber(ZvmWasiFiles *files, uint32_t from, uint32_t to);

typedef struct {
	ZvmWasiNode *node;   /* the node the path names, or NULL */
	ZvmWasiNode *parent; /* with ENOENT: the directory the missing last name would be
				in; NULL when an earlier component is missing. With SUCCESS:
				the directory the last name was found in (NULL when the path
				ends in "." or "..", or names @base itself) */
	char name[ZVM_WASI_NAME_MAX + 1]; /* the last component */
	gboolean trailing_slash;	  /* the path ends in '/' */
} ZvmWasiLookup;

/* Symbolic links followed in one resolution before it fails with ELOOP (Linux's bound). */
#define ZVM_WASI_MAX_SYMLINKS 40

/*
 * Resolves the relative @path (@length bytes, not NUL-terminated) below the directory @base:
 * components split on '/', empty ones and "." skipped, ".." goes to the parent but never above
 * @base. A symbolic link (writable trees only) is followed where it is not the last component,
 * and as the last one when @follow is set or the path ends in '/': its target is read relative
 * to the link's directory and stays confined below @base like the rest of the path.
 * Returns: SUCCESS; ENOENT (see @out->parent); ENOTDIR (a component or a trailing '/' applied
 * to a file); ENOTCAPABLE (absolute path or link target, or ".." above @base); ELOOP (more
 * than ZVM_WASI_MAX_SYMLINKS links); EINVAL (a NUL byte inside); ENAMETOOLONG (over
 * ZVM_WASI_PATH_MAX, also once links are expanded, or a component over ZVM_WASI_NAME_MAX).
 * An empty path is ENOENT.
 */
uint16_t zvm_wasi_resolve(ZvmWasiNode *base, const char *path, size_t length, gboolean follow,
			  ZvmWasiLookup *out);

/* A random channel (in a direction it may use) or an image file: has an offset and a size. */
gboolean zvm_wasi_node_seekable(const ZvmWasiNode *node);
uint8_t zvm_wasi_node_filetype(const ZvmWasiNode *node);
/* Bytes: the channel size for seekable channels, 0 for sequential ones and directories. */
int64_t zvm_wasi_node_size(const ZvmWasiNode *node);
/* The most a descriptor of @node may hold. */
uint64_t zvm_wasi_node_rights(const ZvmWasiNode *node);
uint64_t zvm_wasi_node_inheriting(const ZvmWasiNode *node);

/*
 * Serialises the entries of @dir from @cookie on into @buf as WASI dirents: ".", "..", then the
 * children by name; an entry's d_next is the cookie of the one after it. Stops when @buf is
 * full, cutting the last entry short (so a full buffer tells the caller to ask again).
 * Returns: bytes written.
 */
uint32_t zvm_wasi_node_readdir(const ZvmWasiNode *dir, uint64_t cookie, uint8_t *buf,
			       uint32_t length);

/* The root directory of @image. */
ZvmWasiNode *zvm_image_root(ZvmImage *image);

/* What a name stands for: the node a hard link names, else the node itself. */
static inline ZvmWasiNode *zvm_wasi_node_real(ZvmWasiNode *node)
{
	return node->link != NULL ? node->link : node;
}

/* A node of @kind (a DIRECTORY gets an empty listing) inside @parent, if any, at the end of
 * its listing; the parent's reference is the one it starts with. */
ZvmWasiNode *zvm_wasi_node_new(ZvmWasiNodeKind kind, const char *name, ZvmWasiNode *parent,
			       uint64_t ino);
void zvm_wasi_node_ref(ZvmWasiNode *node);
void zvm_wasi_node_unref(ZvmWasiNode *node);

/* Writable trees (wasi-tree.c). */

typedef enum {
	ZVM_WASI_TREE_SCRATCH, /* access=rw: in memory, gone after the job */
	ZVM_WASI_TREE_OUTPUT,  /* access=wo: saved as a ustar archive into its channel */
} ZvmWasiTreeKind;

/*
 * Every writable tree of one host shares one budget: the bytes of their files count against
 * the job's Memory together with the linear memory. A write that would pass it fails with
 * ENOSPC, and the linear memory's maximum is lowered as the trees grow (memory.grow fails).
 */
typedef struct {
	wasm_rt_memory_t **memory; /* the host's pointer to the linear memory, set later */
	uint64_t limit;		   /* Memory in bytes; 0 until known (the first use reads it) */
	uint64_t used;		   /* file bytes of all writable trees, removed files included
				      while a descriptor holds them */
} ZvmWasiBudget;

/*
 * A new writable tree. @image (may be NULL) gives a scratch tree its first contents (copied).
 * An output tree's limits are its @channel's: the archive (512 bytes per member header, the
 * data rounded up to 512, 1024 bytes of end) within put_size, and its writes within puts (one
 * per directory or empty file, two per other file, one for the end).
 */
ZvmWasiTree *zvm_wasi_tree_new(ZvmWasiTreeKind kind, ZvmImage *image, ZvmChannel *channel,
			       ZvmWasiBudget *budget, uint64_t dev);
void zvm_wasi_tree_free(ZvmWasiTree *tree);
ZvmWasiNode *zvm_wasi_tree_root(ZvmWasiTree *tree);
ZvmWasiTreeKind zvm_wasi_tree_kind(const ZvmWasiTree *tree);

/* Creates @name in @dir (a directory of a writable tree): a FILE or a DIRECTORY.
 * Returns: SUCCESS (*@out, borrowed), EEXIST, ENOSPC (budget), EDQUOT (an output channel's
 * limits), ENAMETOOLONG (an output path the archive cannot hold), EINVAL ("." or ".."). */
uint16_t zvm_wasi_tree_create(ZvmWasiNode *dir, const char *name, ZvmWasiNodeKind kind,
			      ZvmWasiNode **out);
/* Removes @node from its directory: ENOTEMPTY for a directory with children. */
uint16_t zvm_wasi_tree_remove(ZvmWasiNode *node);
/* rename(2) inside one tree: @node to @name in @dir, replacing a file by a file or an empty
 * directory by a directory; EINVAL moving a directory below itself. */
uint16_t zvm_wasi_tree_rename(ZvmWasiNode *node, ZvmWasiNode *dir, const char *name);
/* Writes @length bytes at @offset, growing the file. Returns bytes written or -errno (WASI). */
int64_t zvm_wasi_tree_write(ZvmWasiNode *node, const uint8_t *buf, uint64_t length,
			    uint64_t offset);
/* ftruncate(2). */
uint16_t zvm_wasi_tree_set_size(ZvmWasiNode *node, uint64_t size);

/* Makes @name in @dir a symbolic link to @target (relative, at most ZVM_WASI_PATH_MAX bytes;
 * an output tree takes at most 100, what ustar holds). Errors as zvm_wasi_tree_create, and
 * ENOTCAPABLE for an absolute target. */
uint16_t zvm_wasi_tree_symlink(ZvmWasiNode *dir, const char *name, const char *target,
			       size_t target_length);

/* Gives @target (a file or symbolic link, not a directory: EPERM) the further name @name in
 * @dir, in the same scratch tree (EXDEV across trees; EPERM in an output tree, which ustar
 * could not restore faithfully). Errors as zvm_wasi_tree_create. */
uint16_t zvm_wasi_tree_link(ZvmWasiNode *target, ZvmWasiNode *dir, const char *name);

/* Writes the output tree @tree into its channel as a ustar archive (members relative to the
 * mountpoint, directories before what they hold, names in byte order).
 * Returns: 0, or the channel's -errno. */
int zvm_wasi_tree_save(ZvmWasiTree *tree);

/* The writable trees of @files, in mount order (borrowed), for saving. */
GPtrArray *zvm_wasi_files_trees(ZvmWasiFiles *files);

/* Image bounds: files and directories (implicit ones included), and name length. */
#define ZVM_IMAGE_MAX_NODES 100000
#define ZVM_IMAGE_MAX_NAME ZVM_WASI_PATH_MAX
