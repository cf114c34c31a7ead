/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the WASI host's descriptors point at (private to the host's wasi-host.c, wasi-io.c and
 * wasi-path.c, to wasi-fs.c and to their tests): an in-memory tree of nodes (the /dev
 * directory of channel aliases, and the read-only trees of tar images) and the descriptor table
 * over it. Nothing here touches linear memory except zvm_wasi_node_readdir, which fills a
 * buffer the caller has bounds-checked. Results are WASI errno values (wasi-abi.h).
 */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "wasi-host.h"

typedef enum {
	ZVM_WASI_NODE_DIRECTORY,
	ZVM_WASI_NODE_CHANNEL,
	ZVM_WASI_NODE_FILE, /* a regular file of an image: a slice of the tar's bytes */
} ZvmWasiNodeKind;

typedef struct _ZvmWasiNode ZvmWasiNode;
struct _ZvmWasiNode {
	ZvmWasiNodeKind kind;
	char *name;	     /* one path component; "" for a root */
	ZvmWasiNode *parent; /* NULL for a root and for the standard streams */
	uint64_t ino;	     /* unique within its tree, in build order */
	GPtrArray *children; /* DIRECTORY: owned nodes, sorted by name (byte order) */
	GHashTable *by_name; /* DIRECTORY: name -> child, borrowed from children */
	ZvmChannel *channel; /* CHANNEL: not owned */
	const guint8 *data;  /* FILE: inside the image's GBytes */
	uint64_t size;	     /* FILE */
};

/* Open descriptors, the preopens included. */
#define ZVM_WASI_MAX_FDS 1024
/* Longest path a call may name, and longest component (as on Linux). */
#define ZVM_WASI_PATH_MAX 4096
#define ZVM_WASI_NAME_MAX 255

typedef struct {
	ZvmWasiNode *node;
	uint64_t dev;	    /* the tree: 1 for the channels, 2 + i for mount i */
	gboolean read_only; /* the tree is an image */
	int64_t offset;	    /* seekable nodes only */
	uint64_t rights_base;
	uint64_t rights_inheriting;
	uint16_t flags; /* fdflags */
	char *preopen;	/* the prestat name of a preopened directory, else NULL */
} ZvmWasiFd;

/*
 * The table a host starts with: 0-2 the standard channels (@channels[0..2]), 3 the preopened
 * "/dev" holding every other channel whose alias starts with "/dev/", 4 + i the root of
 * @mounts[i]. When two aliases would make one name both a file and a directory
 * ("/dev/in" and "/dev/in/x"), the directory wins and the file is left out of the tree.
 */
ZvmWasiFiles *zvm_wasi_files_new(ZvmChannel **channels, guint n_channels,
				 const ZvmWasiMount *mounts, guint n_mounts);
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
				in; NULL when an earlier component is missing */
} ZvmWasiLookup;

/*
 * Resolves the relative @path (@length bytes, not NUL-terminated) below the directory @base:
 * components split on '/', empty ones and "." skipped, ".." goes to the parent but never above
 * @base. No symbolic links exist.
 * Returns: SUCCESS; ENOENT (see @out->parent); ENOTDIR (a component or a trailing '/' applied
 * to a file); ENOTCAPABLE (absolute path, or ".." above @base); EINVAL (a NUL byte inside);
 * ENAMETOOLONG (over ZVM_WASI_PATH_MAX or a component over ZVM_WASI_NAME_MAX).
 * An empty path is ENOENT.
 */
uint16_t zvm_wasi_resolve(ZvmWasiNode *base, const char *path, size_t length, ZvmWasiLookup *out);

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

/* Image bounds: files and directories (implicit ones included), and name length. */
#define ZVM_IMAGE_MAX_NODES 100000
#define ZVM_IMAGE_MAX_NAME ZVM_WASI_PATH_MAX
