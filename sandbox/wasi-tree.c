/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The writable trees of the WASI host: a scratch tree ([fstab] access=rw, in memory, gone after
 * the job) and an output tree (access=wo, saved into its channel as a ustar archive when the
 * program ends, as ZRT saved a wo mount at exit). Creation, removal, renames, writes and sizes,
 * with the limits: the job's Memory for the bytes of every writable tree together with the
 * linear memory, and an output channel's put_size and puts for the archive it will become.
 * Nothing here resolves a path on the host: the trees exist only in this process's memory.
 */
#include <errno.h>
#include <string.h>

#include "wasi-abi.h"
#include "wasi-fs.h"

struct _ZvmWasiTree {
	ZvmWasiTreeKind kind;
	ZvmWasiNode *root;
	ZvmChannel *channel; /* OUTPUT: where the archive goes; not owned */
	ZvmWasiBudget *budget;
	uint64_t next_ino;
	uint64_t nodes;	  /* below the root */
	uint64_t archive; /* OUTPUT: bytes of the members (headers and padded data) */
	uint64_t puts;	  /* OUTPUT: channel writes the members take */
};

#define TAR_BLOCK 512
/* The two zero blocks that end an archive, written in one put. */
#define TAR_END (2 * TAR_BLOCK)
#define TAR_NAME 100
#define TAR_PREFIX 155

static uint64_t round_block(uint64_t n)
{
	return (n + TAR_BLOCK - 1) / TAR_BLOCK * TAR_BLOCK;
}

/* What one member costs the output channel: its header and data, in bytes and puts. */
static uint64_t member_bytes(ZvmWasiNodeKind kind, uint64_t size)
{
	return TAR_BLOCK + (kind == ZVM_WASI_NODE_FILE ? round_block(size) : 0);
}

static uint64_t member_puts(ZvmWasiNodeKind kind, uint64_t size)
{
	return kind == ZVM_WASI_NODE_FILE && size > 0 ? 2 : 1;
}

/* The memory budget. */

static wasm_rt_memory_t *budget_memory(ZvmWasiBudget *budget)
{
	wasm_rt_memory_t *memory = budget->memory != NULL ? *budget->memory : NULL;

	if (memory != NULL && budget->limit == 0)
		budget->limit = (uint64_t)memory->max_pages * 65536;
	return memory;
}

/* Gives memory.grow what the trees leave of the limit. */
static void budget_fit_memory(ZvmWasiBudget *budget, wasm_rt_memory_t *memory)
{
	if (memory == NULL || budget->limit == 0)
		return;
	uint64_t pages = (budget->limit - MIN(budget->used, budget->limit)) / 65536;
	memory->max_pages = (uint64_t)MAX(pages, memory->pages);
}

/* Takes @more bytes (or gives back @less), ENOSPC when the limit does not hold them. */
static uint16_t budget_change(ZvmWasiBudget *budget, uint64_t more, uint64_t less)
{
	wasm_rt_memory_t *memory = budget_memory(budget);

	if (more > less) {
		uint64_t grow = more - less;
		uint64_t linear = memory != NULL ? memory->size : 0;

		if (memory == NULL || budget->used + grow < budget->used ||
		    budget->used + grow + linear > budget->limit)
			return ZVM_WASI_ENOSPC;
		budget->used += grow;
	} else {
		budget->used -= MIN(budget->used, less - more);
	}
	budget_fit_memory(budget, memory);
	return ZVM_WASI_SUCCESS;
}

void zvm_wasi_tree_forget(ZvmWasiNode *node);

/* The last reference to a node of a writable tree is gone: its bytes are free again. */
void zvm_wasi_tree_forget(ZvmWasiNode *node)
{
	budget_change(node->tree->budget, 0, node->capacity);
}

/* Output limits. */

static uint16_t output_check(const ZvmWasiTree *tree, uint64_t archive, uint64_t puts)
{
	const int64_t *limits = tree->channel->limits;

	if (archive + TAR_END > (uint64_t)limits[ZVM_LIMIT_PUT_SIZE] ||
	    puts + 1 > (uint64_t)limits[ZVM_LIMIT_PUTS])
		return ZVM_WASI_EDQUOT;
	return ZVM_WASI_SUCCESS;
}

/* A node counts in its output tree while it is in the tree. */
static gboolean output_counted(const ZvmWasiNode *node)
{
	return node->tree->kind == ZVM_WASI_TREE_OUTPUT && node->parent != NULL;
}

/* Member paths. */

/* The path of @node below the root ("" for the root), with a '/' after a directory's. */
static GString *node_path(const ZvmWasiNode *node)
{
	GString *path = g_string_new(NULL);

	for (const ZvmWasiNode *n = node; n != NULL && n->parent != NULL; n = n->parent) {
		g_string_prepend(path, "/");
		g_string_prepend(path, n->name);
	}
	if (node->kind != ZVM_WASI_NODE_DIRECTORY && path->len > 0)
		g_string_truncate(path, path->len - 1);
	return path;
}

/* Where ustar splits @path into prefix and name, or -1 when it cannot hold it. 0: no prefix. */
static gssize ustar_split(const char *path, size_t length)
{
	if (length <= TAR_NAME)
		return 0;
	for (size_t i = MIN(length - 1, (size_t)TAR_PREFIX); i > 0; i--) {
		if (path[i] == '/' && length - i - 1 <= TAR_NAME && length - i - 1 > 0 &&
		    !(length - i - 1 == 1 && path[length - 1] == '/'))
			return (gssize)i;
	}
	return -1;
}

/* Whether @path (the new path of @node, NULL for a node to be made) and every member below it
 * fit ustar headers. */
static gboolean subtree_fits(GString *path, const ZvmWasiNode *node)
{
	if (ustar_split(path->str, path->len) < 0)
		return FALSE;
	for (guint i = 0; node != NULL && node->children != NULL && i < node->children->len; i++) {
		const ZvmWasiNode *child = node->children->pdata[i];
		gsize keep = path->len;

		g_string_append(path, child->name);
		if (child->kind == ZVM_WASI_NODE_DIRECTORY)
			g_string_append_c(path, '/');
		gboolean fits = subtree_fits(path, child);
		g_string_truncate(path, keep);
		if (!fits)
			return FALSE;
	}
	return TRUE;
}

/* Whether @node's subtree (or a new node of @kind), named @name in @dir, fits ustar. */
static gboolean output_fits(const ZvmWasiNode *dir, const char *name, const ZvmWasiNode *node,
			    ZvmWasiNodeKind kind)
{
	g_autoptr(GString) path = node_path(dir);

	g_string_append(path, name);
	if (kind == ZVM_WASI_NODE_DIRECTORY)
		g_string_append_c(path, '/');
	return subtree_fits(path, node);
}

/* Listing order. */

static guint child_position(const ZvmWasiNode *dir, const char *name)
{
	guint low = 0, high = dir->children->len;

	while (low < high) {
		guint middle = (low + high) / 2;
		const ZvmWasiNode *child = dir->children->pdata[middle];

		if (strcmp(child->name, name) < 0)
			low = middle + 1;
		else
			high = middle;
	}
	return low;
}

static void attach(ZvmWasiNode *dir, ZvmWasiNode *node)
{
	g_ptr_array_insert(dir->children, (gint)child_position(dir, node->name), node);
	g_hash_table_insert(dir->by_name, node->name, node);
	node->parent = dir;
}

/* Takes @node out of its directory; the directory's reference passes to the caller. */
static void detach(ZvmWasiNode *node)
{
	ZvmWasiNode *dir = node->parent;
	guint index = child_position(dir, node->name);

	g_hash_table_remove(dir->by_name, node->name);
	g_ptr_array_steal_index(dir->children, index);
	node->parent = NULL;
}

/* The tree. */

static ZvmWasiNode *tree_node(ZvmWasiTree *tree, ZvmWasiNodeKind kind, const char *name,
			      ZvmWasiNode *parent)
{
	ZvmWasiNode *node = zvm_wasi_node_new(kind, name, NULL, tree->next_ino++);

	node->tree = tree;
	node->nlink = 1;
	if (parent != NULL) {
		attach(parent, node);
		tree->nodes++;
	}
	return node;
}

/* Copies @from's children into @to (a scratch tree's first contents). */
static void tree_copy(ZvmWasiTree *tree, const ZvmWasiNode *from, ZvmWasiNode *to)
{
	for (guint i = 0; i < from->children->len; i++) {
		const ZvmWasiNode *child = from->children->pdata[i];
		ZvmWasiNode *copy = tree_node(tree, child->kind, child->name, to);

		if (child->kind == ZVM_WASI_NODE_DIRECTORY) {
			tree_copy(tree, child, copy);
		} else if (child->size > 0) {
			copy->capacity = round_block(child->size);
			copy->owned = g_malloc0(copy->capacity);
			memcpy(copy->owned, child->data, child->size);
			copy->data = copy->owned;
			copy->size = child->size;
			/* Memory is not known yet: the image's bytes are taken as they are. */
			tree->budget->used += copy->capacity;
		}
	}
}

ZvmWasiTree *zvm_wasi_tree_new(ZvmWasiTreeKind kind, ZvmImage *image, ZvmChannel *channel,
			       ZvmWasiBudget *budget, uint64_t dev)
{
	ZvmWasiTree *tree = g_new0(ZvmWasiTree, 1);

	tree->kind = kind;
	tree->channel = channel;
	tree->budget = budget;
	tree->next_ino = 1;
	tree->root = tree_node(tree, ZVM_WASI_NODE_DIRECTORY, "", NULL);
	if (kind == ZVM_WASI_TREE_SCRATCH && image != NULL)
		tree_copy(tree, zvm_image_root(image), tree->root);
	return tree;
}

void zvm_wasi_tree_free(ZvmWasiTree *tree)
{
	if (tree == NULL)
		return;
	zvm_wasi_node_unref(tree->root);
	g_free(tree);
}

ZvmWasiNode *zvm_wasi_tree_root(ZvmWasiTree *tree)
{
	return tree->root;
}

ZvmWasiTreeKind zvm_wasi_tree_kind(const ZvmWasiTree *tree)
{
	return tree->kind;
}

uint16_t zvm_wasi_tree_create(ZvmWasiNode *dir, const char *name, ZvmWasiNodeKind kind,
			      ZvmWasiNode **out)
{
	ZvmWasiTree *tree = dir->tree;

	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0 || name[0] == '\0')
		return ZVM_WASI_EINVAL;
	if (g_hash_table_lookup(dir->by_name, name) != NULL)
		return ZVM_WASI_EEXIST;
	if (tree->nodes >= ZVM_IMAGE_MAX_NODES)
		return ZVM_WASI_ENOSPC;
	if (tree->kind == ZVM_WASI_TREE_OUTPUT) {
		if (!output_fits(dir, name, NULL, kind))
			return ZVM_WASI_ENAMETOOLONG;
		uint16_t error = output_check(tree, tree->archive + member_bytes(kind, 0),
					      tree->puts + member_puts(kind, 0));
		if (error != ZVM_WASI_SUCCESS)
			return error;
		tree->archive += member_bytes(kind, 0);
		tree->puts += member_puts(kind, 0);
	}
	*out = tree_node(tree, kind, name, dir);
	return ZVM_WASI_SUCCESS;
}

uint16_t zvm_wasi_tree_symlink(ZvmWasiNode *dir, const char *name, const char *target,
			       size_t target_length)
{
	ZvmWasiNode *node;

	if (target_length > 0 && target[0] == '/')
		return ZVM_WASI_ENOTCAPABLE;
	if (target_length > ZVM_WASI_PATH_MAX ||
	    (dir->tree->kind == ZVM_WASI_TREE_OUTPUT && target_length > TAR_NAME))
		return ZVM_WASI_ENAMETOOLONG;
	uint16_t error = zvm_wasi_tree_create(dir, name, ZVM_WASI_NODE_SYMLINK, &node);
	if (error == ZVM_WASI_SUCCESS)
		node->target = g_strndup(target, target_length);
	return error;
}

uint16_t zvm_wasi_tree_link(ZvmWasiNode *target, ZvmWasiNode *dir, const char *name)
{
	ZvmWasiNode *node;

	target = zvm_wasi_node_real(target);
	if (target->kind == ZVM_WASI_NODE_DIRECTORY)
		return ZVM_WASI_EPERM;
	if (target->tree != dir->tree)
		return ZVM_WASI_EXDEV;
	if (dir->tree->kind == ZVM_WASI_TREE_OUTPUT)
		return ZVM_WASI_EPERM;
	uint16_t error = zvm_wasi_tree_create(dir, name, target->kind, &node);
	if (error != ZVM_WASI_SUCCESS)
		return error;
	zvm_wasi_node_ref(target);
	node->link = target;
	target->nlink++;
	return ZVM_WASI_SUCCESS;
}

/* Subtracts @node (in its tree) from its output tree's counts. */
static void output_uncount(ZvmWasiNode *node)
{
	if (!output_counted(node))
		return;
	node->tree->archive -= member_bytes(node->kind, node->size);
	node->tree->puts -= member_puts(node->kind, node->size);
}

uint16_t zvm_wasi_tree_remove(ZvmWasiNode *node)
{
	if (node->parent == NULL)
		return ZVM_WASI_EBUSY;
	if (node->kind == ZVM_WASI_NODE_DIRECTORY && node->children->len > 0)
		return ZVM_WASI_ENOTEMPTY;
	output_uncount(node);
	node->tree->nodes--;
	zvm_wasi_node_real(node)->nlink--;
	detach(node);
	zvm_wasi_node_unref(node);
	return ZVM_WASI_SUCCESS;
}

uint16_t zvm_wasi_tree_rename(ZvmWasiNode *node, ZvmWasiNode *dir, const char *name)
{
	ZvmWasiTree *tree = node->tree;

	if (node->parent == NULL)
		return ZVM_WASI_EBUSY;
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0 || name[0] == '\0')
		return ZVM_WASI_EINVAL;
	for (const ZvmWasiNode *up = dir; up != NULL; up = up->parent)
		if (up == node)
			return ZVM_WASI_EINVAL;
	ZvmWasiNode *existing = g_hash_table_lookup(dir->by_name, name);
	if (existing == node)
		return ZVM_WASI_SUCCESS;
	if (existing != NULL) {
		if (node->kind == ZVM_WASI_NODE_DIRECTORY &&
		    existing->kind != ZVM_WASI_NODE_DIRECTORY)
			return ZVM_WASI_ENOTDIR;
		if (node->kind != ZVM_WASI_NODE_DIRECTORY &&
		    existing->kind == ZVM_WASI_NODE_DIRECTORY)
			return ZVM_WASI_EISDIR;
		if (existing->kind == ZVM_WASI_NODE_DIRECTORY && existing->children->len > 0)
			return ZVM_WASI_ENOTEMPTY;
	}
	if (tree->kind == ZVM_WASI_TREE_OUTPUT && !output_fits(dir, name, node, node->kind))
		return ZVM_WASI_ENAMETOOLONG;
	if (existing != NULL)
		zvm_wasi_tree_remove(existing);
	detach(node);
	g_free(node->name);
	node->name = g_strdup(name);
	attach(dir, node);
	return ZVM_WASI_SUCCESS;
}

/* Gives @node (a FILE) @size bytes, new ones zero, within every limit. */
static uint16_t file_resize(ZvmWasiNode *node, uint64_t size)
{
	ZvmWasiTree *tree = node->tree;
	uint64_t capacity = round_block(size);

	/* More than a wasm32 program could address. */
	if (size > (UINT64_C(1) << 32))
		return ZVM_WASI_EFBIG;
	if (output_counted(node)) {
		uint64_t archive = tree->archive - member_bytes(node->kind, node->size) +
				   member_bytes(node->kind, size);
		uint64_t puts = tree->puts - member_puts(node->kind, node->size) +
				member_puts(node->kind, size);
		uint16_t error = output_check(tree, archive, puts);
		if (error != ZVM_WASI_SUCCESS && size > node->size)
			return error;
		tree->archive = archive;
		tree->puts = puts;
	}
	/* Bytes cut off read as zeros if the file grows again; zeroed while they are there. */
	if (size < node->size)
		memset(node->owned + size, 0, MIN(node->size, capacity) - size);
	if (capacity != node->capacity) {
		uint16_t error = budget_change(tree->budget, capacity, node->capacity);
		if (error != ZVM_WASI_SUCCESS) {
			if (output_counted(node)) {
				tree->archive = tree->archive - member_bytes(node->kind, size) +
						member_bytes(node->kind, node->size);
				tree->puts = tree->puts - member_puts(node->kind, size) +
					     member_puts(node->kind, node->size);
			}
			return error;
		}
		node->owned = g_realloc(node->owned, capacity);
		if (capacity > node->capacity)
			memset(node->owned + node->capacity, 0, capacity - node->capacity);
		node->capacity = capacity;
	}
	node->size = size;
	node->data = node->owned;
	return ZVM_WASI_SUCCESS;
}

int64_t zvm_wasi_tree_write(ZvmWasiNode *node, const uint8_t *buf, uint64_t length, uint64_t offset)
{
	if (length == 0)
		return 0;
	if (offset + length < offset)
		return -(int64_t)ZVM_WASI_EFBIG;
	if (offset + length > node->size) {
		uint16_t error = file_resize(node, offset + length);
		if (error != ZVM_WASI_SUCCESS)
			return -(int64_t)error;
	}
	memcpy(node->owned + offset, buf, length);
	return (int64_t)length;
}

uint16_t zvm_wasi_tree_set_size(ZvmWasiNode *node, uint64_t size)
{
	return size == node->size ? ZVM_WASI_SUCCESS : file_resize(node, size);
}

/* The archive. */

static void put_octal(char *field, size_t width, uint64_t value)
{
	/* width - 1 digits and a NUL, as ustar readers expect. */
	g_snprintf(field, width, "%0*" G_GINT64_MODIFIER "o", (int)width - 1, value);
}

static void tar_header(uint8_t header[TAR_BLOCK], const char *path, size_t length,
		       const ZvmWasiNode *node)
{
	char *h = (char *)header;
	gssize split = ustar_split(path, length);

	memset(header, 0, TAR_BLOCK);
	if (split > 0) {
		memcpy(h + 345, path, (size_t)split);
		memcpy(h, path + split + 1, length - (size_t)split - 1);
	} else {
		memcpy(h, path, length);
	}
	gboolean dir = node->kind == ZVM_WASI_NODE_DIRECTORY;
	gboolean file = node->kind == ZVM_WASI_NODE_FILE;
	put_octal(h + 100, 8, dir ? 0755 : file ? 0644 : 0777);
	put_octal(h + 108, 8, 0);
	put_octal(h + 116, 8, 0);
	put_octal(h + 124, 12, file ? node->size : 0);
	put_octal(h + 136, 12, node->mtim / 1000000000);
	h[156] = dir ? '5' : file ? '0' : '2';
	if (node->kind == ZVM_WASI_NODE_SYMLINK)
		memcpy(h + 157, node->target, strlen(node->target));
	memcpy(h + 257, "ustar", 6);
	memcpy(h + 263, "00", 2);
	memset(h + 148, ' ', 8);
	unsigned sum = 0;
	for (int i = 0; i < TAR_BLOCK; i++)
		sum += header[i];
	g_snprintf(h + 148, 8, "%06o", sum);
	h[155] = ' ';
}

typedef struct {
	ZvmChannel *channel;
	int64_t offset;
} TarWriter;

static int tar_put(TarWriter *writer, const uint8_t *bytes, uint64_t length)
{
	ssize_t n = zvm_channel_write(writer->channel, bytes, length, writer->offset);

	if (n < 0)
		return (int)n;
	if ((uint64_t)n != length)
		return -EDQUOT;
	writer->offset += n;
	return 0;
}

static int tar_members(TarWriter *writer, const ZvmWasiNode *dir)
{
	for (guint i = 0; i < dir->children->len; i++) {
		const ZvmWasiNode *node = dir->children->pdata[i];
		g_autoptr(GString) path = node_path(node);
		uint8_t header[TAR_BLOCK];
		int r;

		tar_header(header, path->str, path->len, node);
		r = tar_put(writer, header, sizeof(header));
		if (r == 0 && node->kind == ZVM_WASI_NODE_FILE && node->size > 0)
			r = tar_put(writer, node->owned, round_block(node->size));
		if (r == 0 && node->kind == ZVM_WASI_NODE_DIRECTORY)
			r = tar_members(writer, node);
		if (r < 0)
			return r;
	}
	return 0;
}

int zvm_wasi_tree_save(ZvmWasiTree *tree)
{
	static const uint8_t end[TAR_END];
	TarWriter writer = {.channel = tree->channel};
	int r = tar_members(&writer, tree->root);

	return r < 0 ? r : tar_put(&writer, end, sizeof(end));
}
