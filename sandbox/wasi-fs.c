/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The file tree behind the WASI host's descriptors: the /dev directory built from channel
 * aliases, the read-only trees of tar images (parsed from memory, files served as slices of
 * the tar's bytes), path resolution that cannot leave a directory descriptor, directory
 * listings in WASI's dirent layout, and the descriptor table itself.
 */
#include "wasi-fs.h"

#include <archive.h>
#include <archive_entry.h>
#include <string.h>

#include "../channels/bundle.h"
#include "../channels/text.h"
#include "wasi-abi.h"

/* The tree: nodes. */

void zvm_wasi_node_ref(ZvmWasiNode *node)
{
	node->refs++;
}

/* Defined in wasi-tree.c: gives a writable node's bytes back to the budget. */
void zvm_wasi_tree_forget(ZvmWasiNode *node);

void zvm_wasi_node_unref(ZvmWasiNode *node)
{
	if (node == NULL || --node->refs > 0)
		return;
	if (node->tree != NULL)
		zvm_wasi_tree_forget(node);
	g_clear_pointer(&node->by_name, g_hash_table_unref);
	g_clear_pointer(&node->children, g_ptr_array_unref);
	zvm_wasi_node_unref(node->link);
	g_free(node->owned);
	g_free(node->target);
	g_free(node->name);
	g_free(node);
}

static void node_free(gpointer data)
{
	zvm_wasi_node_unref(data);
}

/* A new node named @name (copied) inside @parent, if any. */
static ZvmWasiNode *node_new(ZvmWasiNodeKind kind, const char *name, ZvmWasiNode *parent,
			     uint64_t ino)
{
	ZvmWasiNode *node = g_new0(ZvmWasiNode, 1);

	node->kind = kind;
	node->name = g_strdup(name);
	node->parent = parent;
	node->ino = ino;
	node->refs = 1;
	if (kind == ZVM_WASI_NODE_DIRECTORY) {
		node->children = g_ptr_array_new_with_free_func(node_free);
		node->by_name = g_hash_table_new(g_str_hash, g_str_equal);
	}
	if (parent != NULL) {
		g_ptr_array_add(parent->children, node);
		g_hash_table_insert(parent->by_name, node->name, node);
	}
	return node;
}

ZvmWasiNode *zvm_wasi_node_new(ZvmWasiNodeKind kind, const char *name, ZvmWasiNode *parent,
			       uint64_t ino)
{
	return node_new(kind, name, parent, ino);
}

static ZvmWasiNode *node_child(const ZvmWasiNode *dir, const char *name)
{
	return g_hash_table_lookup(dir->by_name, name);
}

static int node_compare(gconstpointer a, gconstpointer b)
{
	const ZvmWasiNode *x = *(ZvmWasiNode *const *)a;
	const ZvmWasiNode *y = *(ZvmWasiNode *const *)b;

	return strcmp(x->name, y->name);
}

/* Listings are in byte order of the names, so they do not depend on build order. */
static void node_sort(ZvmWasiNode *dir)
{
	g_ptr_array_sort(dir->children, node_compare);
	for (guint i = 0; i < dir->children->len; i++) {
		ZvmWasiNode *child = dir->children->pdata[i];

		if (child->kind == ZVM_WASI_NODE_DIRECTORY)
			node_sort(child);
	}
}

gboolean zvm_wasi_node_seekable(const ZvmWasiNode *node)
{
	switch (node->kind) {
	case ZVM_WASI_NODE_FILE:
		return TRUE;
	case ZVM_WASI_NODE_CHANNEL:
		return ((node->channel->access & ZVM_ACCESS_READ) &&
			zvm_channel_random_read(node->channel)) ||
		       ((node->channel->access & ZVM_ACCESS_WRITE) &&
			zvm_channel_random_write(node->channel));
	case ZVM_WASI_NODE_DIRECTORY:
	case ZVM_WASI_NODE_SYMLINK:
	default:
		return FALSE;
	}
}

/*
 * Sequential channels are character devices (as under ZRT, and wasi-libc's isatty() then
 * says what ZRT's did). Random channels are regular files rather than ZRT's block devices:
 * wasi-libc's fopen, fseek and stat then treat them as files.
 */
uint8_t zvm_wasi_node_filetype(const ZvmWasiNode *node)
{
	switch (node->kind) {
	case ZVM_WASI_NODE_DIRECTORY:
		return ZVM_WASI_FILETYPE_DIRECTORY;
	case ZVM_WASI_NODE_FILE:
		return ZVM_WASI_FILETYPE_REGULAR_FILE;
	case ZVM_WASI_NODE_SYMLINK:
		return ZVM_WASI_FILETYPE_SYMBOLIC_LINK;
	case ZVM_WASI_NODE_CHANNEL:
		return zvm_wasi_node_seekable(node) ? ZVM_WASI_FILETYPE_REGULAR_FILE
						    : ZVM_WASI_FILETYPE_CHARACTER_DEVICE;
	default:
		return ZVM_WASI_FILETYPE_UNKNOWN;
	}
}

int64_t zvm_wasi_node_size(const ZvmWasiNode *node)
{
	switch (node->kind) {
	case ZVM_WASI_NODE_FILE:
		return (int64_t)node->size;
	case ZVM_WASI_NODE_CHANNEL:
		return zvm_wasi_node_seekable(node) ? node->channel->size : 0;
	case ZVM_WASI_NODE_SYMLINK:
		return (int64_t)strlen(node->target);
	case ZVM_WASI_NODE_DIRECTORY:
	default:
		return 0;
	}
}

/* Only rights that some call honours: a right is a promise that the call can work. */
#define DIRECTORY_RIGHTS                                                                           \
	(ZVM_WASI_RIGHT_PATH_OPEN | ZVM_WASI_RIGHT_FD_READDIR | ZVM_WASI_RIGHT_PATH_FILESTAT_GET | \
	 ZVM_WASI_RIGHT_FD_FILESTAT_GET | ZVM_WASI_RIGHT_FD_FDSTAT_SET_FLAGS)
#define FILE_COMMON_RIGHTS                                                     \
	(ZVM_WASI_RIGHT_FD_FILESTAT_GET | ZVM_WASI_RIGHT_FD_FDSTAT_SET_FLAGS | \
	 ZVM_WASI_RIGHT_POLL_FD_READWRITE)
#define SEEK_RIGHTS (ZVM_WASI_RIGHT_FD_SEEK | ZVM_WASI_RIGHT_FD_TELL | ZVM_WASI_RIGHT_FD_ADVISE)
#define WRITE_RIGHTS (ZVM_WASI_RIGHT_FD_WRITE | ZVM_WASI_RIGHT_FD_SYNC | ZVM_WASI_RIGHT_FD_DATASYNC)
/* What a writable tree adds. */
#define TREE_DIRECTORY_RIGHTS                                                             \
	(ZVM_WASI_RIGHT_PATH_CREATE_DIRECTORY | ZVM_WASI_RIGHT_PATH_CREATE_FILE |         \
	 ZVM_WASI_RIGHT_PATH_RENAME_SOURCE | ZVM_WASI_RIGHT_PATH_RENAME_TARGET |          \
	 ZVM_WASI_RIGHT_PATH_FILESTAT_SET_SIZE | ZVM_WASI_RIGHT_PATH_FILESTAT_SET_TIMES | \
	 ZVM_WASI_RIGHT_FD_FILESTAT_SET_TIMES | ZVM_WASI_RIGHT_PATH_REMOVE_DIRECTORY |    \
	 ZVM_WASI_RIGHT_PATH_UNLINK_FILE | ZVM_WASI_RIGHT_PATH_SYMLINK |                  \
	 ZVM_WASI_RIGHT_PATH_READLINK)
/* Hard links: scratch trees only. */
#define LINK_RIGHTS (ZVM_WASI_RIGHT_PATH_LINK_SOURCE | ZVM_WASI_RIGHT_PATH_LINK_TARGET)
#define TREE_FILE_RIGHTS                                                                   \
	(WRITE_RIGHTS | ZVM_WASI_RIGHT_FD_FILESTAT_SET_SIZE | ZVM_WASI_RIGHT_FD_ALLOCATE | \
	 ZVM_WASI_RIGHT_FD_FILESTAT_SET_TIMES)

uint64_t zvm_wasi_node_rights(const ZvmWasiNode *node)
{
	uint64_t rights = FILE_COMMON_RIGHTS;

	switch (node->kind) {
	case ZVM_WASI_NODE_DIRECTORY:
		if (node->tree != NULL && zvm_wasi_tree_kind(node->tree) == ZVM_WASI_TREE_SCRATCH)
			return DIRECTORY_RIGHTS | TREE_DIRECTORY_RIGHTS | LINK_RIGHTS;
		return DIRECTORY_RIGHTS | (node->tree != NULL ? TREE_DIRECTORY_RIGHTS : 0);
	case ZVM_WASI_NODE_FILE:
		rights |= ZVM_WASI_RIGHT_FD_READ | SEEK_RIGHTS;
		return rights | (node->tree != NULL ? TREE_FILE_RIGHTS : 0);
	case ZVM_WASI_NODE_CHANNEL:
		if (node->channel->access & ZVM_ACCESS_READ)
			rights |= ZVM_WASI_RIGHT_FD_READ;
		if (node->channel->access & ZVM_ACCESS_WRITE)
			rights |= WRITE_RIGHTS;
		if (zvm_wasi_node_seekable(node))
			rights |= SEEK_RIGHTS;
		return rights;
	case ZVM_WASI_NODE_SYMLINK:
	default:
		return 0;
	}
}

uint64_t zvm_wasi_node_inheriting(const ZvmWasiNode *node)
{
	if (node->kind != ZVM_WASI_NODE_DIRECTORY)
		return 0;
	return zvm_wasi_node_rights(node) | FILE_COMMON_RIGHTS | ZVM_WASI_RIGHT_FD_READ |
	       SEEK_RIGHTS | WRITE_RIGHTS | (node->tree != NULL ? TREE_FILE_RIGHTS : 0);
}

/* Path resolution. */

uint16_t zvm_wasi_resolve(ZvmWasiNode *base, const char *path, size_t length, gboolean follow,
			  ZvmWasiLookup *out)
{
	ZvmWasiNode *node = base;
	guint links = 0;

	out->node = NULL;
	out->parent = NULL;
	out->name[0] = '\0';
	out->trailing_slash = length > 0 && path[length - 1] == '/';
	if (length == 0)
		return ZVM_WASI_ENOENT;
	if (length > ZVM_WASI_PATH_MAX)
		return ZVM_WASI_ENAMETOOLONG;
	if (memchr(path, '\0', length) != NULL)
		return ZVM_WASI_EINVAL;
	/* Capabilities are relative: no path may start from a root the descriptor is not. */
	if (path[0] == '/')
		return ZVM_WASI_ENOTCAPABLE;

	/* What is left to walk; a followed link puts its target in front of it. */
	g_autoptr(GString) rest = g_string_new_len(path, (gssize)length);
	size_t i = 0;
	for (;;) {
		while (i < rest->len && rest->str[i] == '/')
			i++;
		if (i == rest->len)
			break;
		size_t start = i;
		while (i < rest->len && rest->str[i] != '/')
			i++;
		size_t n = i - start;
		const char *name = rest->str + start;
		size_t after = i;
		while (after < rest->len && rest->str[after] == '/')
			after++;
		gboolean last = after == rest->len;

		if (node->kind != ZVM_WASI_NODE_DIRECTORY)
			return ZVM_WASI_ENOTDIR;
		if (n > ZVM_WASI_NAME_MAX)
			return ZVM_WASI_ENAMETOOLONG;
		memcpy(out->name, name, n);
		out->name[n] = '\0';
		out->parent = NULL;
		if (n == 1 && name[0] == '.')
			continue;
		if (n == 2 && name[0] == '.' && name[1] == '.') {
			if (node == base || node->parent == NULL)
				return ZVM_WASI_ENOTCAPABLE;
			node = node->parent;
			continue;
		}
		ZvmWasiNode *child = node_child(node, out->name);
		if (child == NULL) {
			if (last)
				out->parent = node;
			return ZVM_WASI_ENOENT;
		}
		gboolean slash_after = i < rest->len;
		const ZvmWasiNode *real = zvm_wasi_node_real(child);
		if (real->kind == ZVM_WASI_NODE_SYMLINK && (!last || follow || slash_after)) {
			if (++links > ZVM_WASI_MAX_SYMLINKS)
				return ZVM_WASI_ELOOP;
			if (real->target[0] == '/')
				return ZVM_WASI_ENOTCAPABLE;
			if (real->target[0] == '\0')
				return ZVM_WASI_ENOENT;
			/* The target, then what followed the link, from the link's directory. */
			g_autoptr(GString) next = g_string_new(real->target);
			g_string_append_len(next, rest->str + i, (gssize)(rest->len - i));
			if (next->len > ZVM_WASI_PATH_MAX)
				return ZVM_WASI_ENAMETOOLONG;
			g_string_assign(rest, next->str);
			i = 0;
			continue;
		}
		out->parent = node;
		node = child;
	}
	/* "file/" names a directory that is not there. */
	if (rest->len > 0 && rest->str[rest->len - 1] == '/' &&
	    node->kind != ZVM_WASI_NODE_DIRECTORY)
		return ZVM_WASI_ENOTDIR;
	out->node = node;
	return ZVM_WASI_SUCCESS;
}

/* Directory listings. */

uint32_t zvm_wasi_node_readdir(const ZvmWasiNode *dir, uint64_t cookie, uint8_t *buf,
			       uint32_t length)
{
	uint64_t count = 2 + (uint64_t)dir->children->len;
	uint32_t used = 0;

	for (uint64_t i = cookie; i < count && used < length; i++) {
		const char *name;
		uint64_t ino;
		uint8_t type;

		if (i == 0) {
			name = ".";
			ino = dir->ino;
			type = ZVM_WASI_FILETYPE_DIRECTORY;
		} else if (i == 1) {
			/* A root's parent is out of reach: ".." lists as the root itself. */
			name = "..";
			ino = dir->parent != NULL ? dir->parent->ino : dir->ino;
			type = ZVM_WASI_FILETYPE_DIRECTORY;
		} else {
			const ZvmWasiNode *child = dir->children->pdata[i - 2];

			name = child->name;
			ino = zvm_wasi_node_real((ZvmWasiNode *)child)->ino;
			type = zvm_wasi_node_filetype(child);
		}

		uint32_t name_length = (uint32_t)strlen(name);
		uint8_t header[ZVM_WASI_DIRENT_SIZE] = {0};
		zvm_wasi_put_u64(header, i + 1);
		zvm_wasi_put_u64(header + 8, ino);
		zvm_wasi_put_u32(header + 16, name_length);
		zvm_wasi_put_u8(header + 20, type);

		uint32_t n = MIN((uint32_t)sizeof(header), length - used);
		memcpy(buf + used, header, n);
		used += n;
		n = MIN(name_length, length - used);
		memcpy(buf + used, name, n);
		used += n;
	}
	return used;
}

/* Tar images. */

struct _ZvmImage {
	GBytes *bytes; /* what the files' data points into */
	ZvmWasiNode *root;
	uint64_t n_nodes;
};

ZvmWasiNode *zvm_image_root(ZvmImage *image)
{
	return image->root;
}

void zvm_image_free(ZvmImage *image)
{
	if (image == NULL)
		return;
	node_free(image->root);
	g_bytes_unref(image->bytes);
	g_free(image);
}

/*
 * A member name is bounded like a path a WASI call may name. That alone keeps it under 2,049
 * levels, so depth has no bound of its own.
 */
static const ZvmBundleMemberBounds image_member_bounds = {
    .max_name = ZVM_IMAGE_MAX_NAME,
    .max_component = ZVM_WASI_NAME_MAX,
    .max_depth = G_MAXUINT,
};

/* A member name as it may appear in a message: the archive controls it. */
static char *image_quote(const char *name)
{
	char *quoted = zvm_text_escape(name);

	if (strlen(quoted) > 200) {
		const char *end = g_utf8_find_prev_char(quoted, quoted + 200);
		g_autofree char *cut = g_strndup(quoted, end != NULL ? (gsize)(end - quoted) : 200);

		g_free(quoted);
		quoted = g_strconcat(cut, "...", NULL);
	}
	return quoted;
}

static void image_set_member_error(GError **error, ZvmBundleError code, const char *name,
				   const char *what)
{
	g_autofree char *quoted = image_quote(name);

	g_set_error(error, ZVM_BUNDLE_ERROR, code, "image: member '%s' %s", quoted, what);
}

typedef struct {
	ZvmImage *image;
	struct archive *archive;
	const guint8 *base; /* the tar's bytes */
	gsize size;
} ImageReader;

static ZvmWasiNode *image_add_node(ImageReader *reader, ZvmWasiNodeKind kind, const char *name,
				   ZvmWasiNode *parent, GError **error)
{
	if (reader->image->n_nodes >= ZVM_IMAGE_MAX_NODES) {
		g_set_error(error, ZVM_BUNDLE_ERROR, ZVM_BUNDLE_ERROR_TOO_LARGE,
			    "image: more than %d files and directories", ZVM_IMAGE_MAX_NODES);
		return NULL;
	}
	reader->image->n_nodes++;
	return node_new(kind, name, parent, reader->image->n_nodes);
}

/* The directory @components[0..@depth) names, made as needed. */
static ZvmWasiNode *image_directory(ImageReader *reader, const char *name, GPtrArray *components,
				    guint depth, GError **error)
{
	ZvmWasiNode *dir = reader->image->root;

	for (guint i = 0; i < depth; i++) {
		const char *component = components->pdata[i];
		ZvmWasiNode *child = node_child(dir, component);

		if (child == NULL)
			child =
			    image_add_node(reader, ZVM_WASI_NODE_DIRECTORY, component, dir, error);
		if (child == NULL)
			return NULL;
		if (child->kind != ZVM_WASI_NODE_DIRECTORY) {
			image_set_member_error(error, ZVM_BUNDLE_ERROR_DUPLICATE, name,
					       "runs through a file of the same archive");
			return NULL;
		}
		dir = child;
	}
	return dir;
}

/*
 * Finds a regular member's data inside the tar's own bytes. libarchive reading an
 * uncompressed archive from memory hands out pointers into that memory; anything else (a
 * copy) would not be a slice, and is refused rather than copied.
 */
static gboolean image_slice(ImageReader *reader, const char *name, int64_t size,
			    const guint8 **data, GError **error)
{
	const guint8 *start = NULL;
	int64_t got = 0;

	*data = NULL;
	for (;;) {
		const void *block;
		size_t length;
		la_int64_t offset;
		int r = archive_read_data_block(reader->archive, &block, &length, &offset);

		if (r == ARCHIVE_EOF)
			break;
		if (r != ARCHIVE_OK) {
			g_set_error(error, ZVM_BUNDLE_ERROR, ZVM_BUNDLE_ERROR_FORMAT,
				    "image: damaged archive: %s",
				    archive_error_string(reader->archive));
			return FALSE;
		}
		if (length == 0)
			continue;
		const guint8 *p = block;
		uintptr_t at = (uintptr_t)p, base = (uintptr_t)reader->base;
		gboolean inside =
		    at >= base && at - base <= reader->size && length <= reader->size - (at - base);
		if (!inside || offset != got || (start != NULL && p != start + got)) {
			image_set_member_error(error, ZVM_BUNDLE_ERROR_FORMAT, name,
					       "is not stored in one piece");
			return FALSE;
		}
		if (start == NULL)
			start = p;
		got += (int64_t)length;
	}
	if (got != size) {
		image_set_member_error(error, ZVM_BUNDLE_ERROR_FORMAT, name, "is truncated");
		return FALSE;
	}
	*data = start;
	return TRUE;
}

static gboolean image_take_member(ImageReader *reader, struct archive_entry *entry, GError **error)
{
	const char *name = archive_entry_pathname(entry);
	g_autoptr(GError) problem = NULL;

	if (name == NULL)
		name = "";
	g_autoptr(GPtrArray) components =
	    zvm_bundle_check_member(entry, &image_member_bounds, &problem);
	if (components == NULL) {
		image_set_member_error(error, problem->code, name, problem->message);
		return FALSE;
	}

	if (archive_entry_filetype(entry) == AE_IFDIR)
		return image_directory(reader, name, components, components->len, error) != NULL;

	if (components->len == 0) {
		image_set_member_error(error, ZVM_BUNDLE_ERROR_UNSAFE, name, "has an unsafe name");
		return FALSE;
	}
	ZvmWasiNode *dir = image_directory(reader, name, components, components->len - 1, error);
	if (dir == NULL)
		return FALSE;
	const char *leaf = components->pdata[components->len - 1];
	ZvmWasiNode *existing = node_child(dir, leaf);
	if (existing != NULL) {
		image_set_member_error(error, ZVM_BUNDLE_ERROR_DUPLICATE, name,
				       existing->kind == ZVM_WASI_NODE_DIRECTORY
					   ? "clashes with a directory of the same name"
					   : "appears twice in the archive");
		return FALSE;
	}
	int64_t size = archive_entry_size_is_set(entry) ? archive_entry_size(entry) : 0;
	const guint8 *data = NULL;
	if (size < 0 || (uint64_t)size > reader->size) {
		image_set_member_error(error, ZVM_BUNDLE_ERROR_FORMAT, name, "is truncated");
		return FALSE;
	}
	if (size > 0 && !image_slice(reader, name, size, &data, error))
		return FALSE;
	ZvmWasiNode *file = image_add_node(reader, ZVM_WASI_NODE_FILE, leaf, dir, error);
	if (file == NULL)
		return FALSE;
	file->data = data;
	file->size = (uint64_t)size;
	return TRUE;
}

ZvmImage *zvm_image_new(GBytes *tar, GError **error)
{
	g_autoptr(ZvmImage) image = g_new0(ZvmImage, 1);
	ImageReader reader = {.image = image};
	guint members = 0;
	gboolean ok = TRUE;

	g_return_val_if_fail(tar != NULL, NULL);
	image->bytes = g_bytes_ref(tar);
	image->n_nodes = 1;
	image->root = node_new(ZVM_WASI_NODE_DIRECTORY, "", NULL, image->n_nodes);
	reader.base = g_bytes_get_data(tar, &reader.size);

	/* Tar only, no decompression: the files are slices of these very bytes. */
	reader.archive = archive_read_new();
	archive_read_support_format_tar(reader.archive);
	if (archive_read_open_memory(reader.archive, reader.base, reader.size) != ARCHIVE_OK) {
		g_set_error(error, ZVM_BUNDLE_ERROR, ZVM_BUNDLE_ERROR_FORMAT,
			    "image: not an uncompressed tar archive (%s)",
			    archive_error_string(reader.archive));
		ok = FALSE;
	}
	while (ok) {
		struct archive_entry *entry;
		int r = archive_read_next_header(reader.archive, &entry);

		if (r == ARCHIVE_EOF)
			break;
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
			if (members == 0)
				g_set_error(error, ZVM_BUNDLE_ERROR, ZVM_BUNDLE_ERROR_FORMAT,
					    "image: not an uncompressed tar archive (%s)",
					    archive_error_string(reader.archive));
			else
				g_set_error(error, ZVM_BUNDLE_ERROR, ZVM_BUNDLE_ERROR_FORMAT,
					    "image: damaged archive: %s",
					    archive_error_string(reader.archive));
			ok = FALSE;
			break;
		}
		if (members >= ZVM_IMAGE_MAX_NODES) {
			g_set_error(error, ZVM_BUNDLE_ERROR, ZVM_BUNDLE_ERROR_TOO_LARGE,
				    "image: more than %d members", ZVM_IMAGE_MAX_NODES);
			ok = FALSE;
			break;
		}
		members++;
		ok = image_take_member(&reader, entry, error);
	}
	archive_read_free(reader.archive);
	if (!ok)
		return NULL;
	node_sort(image->root);
	return g_steal_pointer(&image);
}

/* The descriptor table. */

struct _ZvmWasiFiles {
	ZvmWasiFd *fds[ZVM_WASI_MAX_FDS];
	ZvmWasiNode *dev_root;
	ZvmWasiNode *std_nodes[3];
	GPtrArray *trees; /* ZvmWasiTree*, owned, in mount order */
	ZvmWasiBudget budget;
};

/* The components of a "/dev/..." alias below /dev, or NULL when it has no place there. */
static char **alias_components(const char *alias)
{
	if (!g_str_has_prefix(alias, "/dev/"))
		return NULL;
	g_auto(GStrv) parts = g_strsplit(alias + strlen("/dev/"), "/", -1);
	GPtrArray *components = g_ptr_array_new();
	for (char **part = parts; *part != NULL; part++) {
		if (**part == '\0' || strcmp(*part, ".") == 0)
			continue;
		if (strcmp(*part, "..") == 0 || strlen(*part) > ZVM_WASI_NAME_MAX) {
			g_ptr_array_set_free_func(components, g_free);
			g_ptr_array_unref(components);
			return NULL;
		}
		g_ptr_array_add(components, g_strdup(*part));
	}
	if (components->len == 0) {
		g_ptr_array_unref(components);
		return NULL;
	}
	g_ptr_array_add(components, NULL);
	return (char **)g_ptr_array_free(components, FALSE);
}

static ZvmWasiFd *fd_new(ZvmWasiNode *node, uint64_t dev, gboolean read_only, const char *preopen)
{
	ZvmWasiFd *entry = g_new0(ZvmWasiFd, 1);

	zvm_wasi_node_ref(node);
	entry->node = node;
	entry->tree = node->tree;
	entry->dev = dev;
	entry->read_only = read_only;
	entry->rights_base = zvm_wasi_node_rights(node);
	entry->rights_inheriting = zvm_wasi_node_inheriting(node);
	entry->preopen = g_strdup(preopen);
	return entry;
}

static void fd_free(ZvmWasiFd *entry)
{
	if (entry == NULL)
		return;
	zvm_wasi_node_unref(entry->node);
	g_free(entry->preopen);
	g_free(entry);
}

/* Builds /dev: directories first, so that a name both kinds want is a directory. */
static void files_build_dev(ZvmWasiFiles *files, ZvmChannel **channels, guint n_channels,
			    const ZvmWasiMount *mounts, guint n_mounts, uint64_t *ino)
{
	g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);

	for (guint i = 0; i < n_channels; i++) {
		/* An output tree's archive is the host's to write. */
		gboolean output = FALSE;

		for (guint m = 0; m < n_mounts; m++)
			output = output || (mounts[m].kind == ZVM_WASI_MOUNT_OUTPUT &&
					    mounts[m].channel == channels[i]);
		g_ptr_array_add(paths,
				i < 3 || output ? NULL : alias_components(channels[i]->alias));
	}
	for (guint i = 0; i < n_channels; i++) {
		char **path = paths->pdata[i];
		ZvmWasiNode *dir = files->dev_root;

		for (guint j = 0; path != NULL && path[j + 1] != NULL; j++) {
			ZvmWasiNode *child = node_child(dir, path[j]);

			if (child == NULL)
				child = node_new(ZVM_WASI_NODE_DIRECTORY, path[j], dir, (*ino)++);
			dir = child;
		}
	}
	for (guint i = 0; i < n_channels; i++) {
		char **path = paths->pdata[i];
		ZvmWasiNode *dir = files->dev_root;
		guint j;

		if (path == NULL)
			continue;
		for (j = 0; path[j + 1] != NULL; j++)
			dir = node_child(dir, path[j]);
		if (node_child(dir, path[j]) != NULL)
			continue;
		ZvmWasiNode *node = node_new(ZVM_WASI_NODE_CHANNEL, path[j], dir, (*ino)++);
		node->channel = channels[i];
	}
	node_sort(files->dev_root);
}

/* /dev is preopened for channels the program uses: the engine consumed nvram and mounts. */
static gboolean dev_needed(ZvmChannel **channels, guint n_channels, const ZvmWasiMount *mounts,
			   guint n_mounts)
{
	for (guint i = 3; i < n_channels; i++) {
		gboolean consumed = strcmp(channels[i]->alias, "/dev/nvram") == 0;
		g_auto(GStrv) path = alias_components(channels[i]->alias);

		for (guint m = 0; m < n_mounts; m++)
			consumed = consumed || mounts[m].channel == channels[i];
		if (path != NULL && !consumed)
			return TRUE;
	}
	return FALSE;
}

ZvmWasiFiles *zvm_wasi_files_new(ZvmChannel **channels, guint n_channels,
				 const ZvmWasiMount *mounts, guint n_mounts,
				 wasm_rt_memory_t **memory)
{
	ZvmWasiFiles *files = g_new0(ZvmWasiFiles, 1);
	uint64_t ino = 1;
	uint32_t next = 3;

	files->dev_root = node_new(ZVM_WASI_NODE_DIRECTORY, "", NULL, ino++);
	for (guint i = 0; i < n_channels && i < 3; i++) {
		const char *slash = strrchr(channels[i]->alias, '/');
		ZvmWasiNode *node = node_new(ZVM_WASI_NODE_CHANNEL,
					     slash ? slash + 1 : channels[i]->alias, NULL, ino++);

		node->channel = channels[i];
		files->std_nodes[i] = node;
		files->fds[i] = fd_new(node, 1, FALSE, NULL);
	}
	files_build_dev(files, channels, n_channels, mounts, n_mounts, &ino);
	if (dev_needed(channels, n_channels, mounts, n_mounts))
		files->fds[next++] = fd_new(files->dev_root, 1, FALSE, "/dev");
	files->budget.memory = memory;
	files->trees = g_ptr_array_new_with_free_func((GDestroyNotify)zvm_wasi_tree_free);
	for (guint i = 0; i < n_mounts && next < ZVM_WASI_MAX_FDS; i++) {
		uint64_t dev = 2 + (uint64_t)i;
		ZvmWasiNode *root;

		if (mounts[i].kind == ZVM_WASI_MOUNT_IMAGE) {
			root = zvm_image_root(mounts[i].image);
		} else {
			ZvmWasiTree *tree = zvm_wasi_tree_new(
			    mounts[i].kind == ZVM_WASI_MOUNT_SCRATCH ? ZVM_WASI_TREE_SCRATCH
								     : ZVM_WASI_TREE_OUTPUT,
			    mounts[i].image, mounts[i].channel, &files->budget, dev);
			g_ptr_array_add(files->trees, tree);
			root = zvm_wasi_tree_root(tree);
		}
		files->fds[next++] =
		    fd_new(root, dev, mounts[i].kind == ZVM_WASI_MOUNT_IMAGE, mounts[i].mountpoint);
	}
	return files;
}

GPtrArray *zvm_wasi_files_trees(ZvmWasiFiles *files)
{
	return files->trees;
}

void zvm_wasi_files_free(ZvmWasiFiles *files)
{
	if (files == NULL)
		return;
	for (guint i = 0; i < ZVM_WASI_MAX_FDS; i++)
		fd_free(files->fds[i]);
	for (guint i = 0; i < 3; i++)
		node_free(files->std_nodes[i]);
	node_free(files->dev_root);
	g_clear_pointer(&files->trees, g_ptr_array_unref);
	g_free(files);
}

ZvmWasiFd *zvm_wasi_files_get(ZvmWasiFiles *files, uint32_t fd)
{
	return fd < ZVM_WASI_MAX_FDS ? files->fds[fd] : NULL;
}

uint16_t zvm_wasi_files_add(ZvmWasiFiles *files, const ZvmWasiFd *entry, uint32_t *fd)
{
	for (uint32_t i = 0; i < ZVM_WASI_MAX_FDS; i++) {
		if (files->fds[i] == NULL) {
			files->fds[i] = g_memdup2(entry, sizeof(*entry));
			files->fds[i]->preopen = NULL;
			files->fds[i]->tree = entry->node->tree;
			zvm_wasi_node_ref(entry->node);
			*fd = i;
			return ZVM_WASI_SUCCESS;
		}
	}
	return ZVM_WASI_EMFILE;
}

uint16_t zvm_wasi_files_close(ZvmWasiFiles *files, uint32_t fd)
{
	if (zvm_wasi_files_get(files, fd) == NULL)
		return ZVM_WASI_EBADF;
	g_clear_pointer(&files->fds[fd], fd_free);
	return ZVM_WASI_SUCCESS;
}

uint16_t zvm_wasi_files_renumber(ZvmWasiFiles *files, uint32_t from, uint32_t to)
{
	if (zvm_wasi_files_get(files, from) == NULL || zvm_wasi_files_get(files, to) == NULL)
		return ZVM_WASI_EBADF;
	if (from == to)
		return ZVM_WASI_SUCCESS;
	fd_free(files->fds[to]);
	files->fds[to] = g_steal_pointer(&files->fds[from]);
	return ZVM_WASI_SUCCESS;
}
