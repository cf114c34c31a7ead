/* SPDX-License-Identifier: Apache-2.0 */
/* A job's outputs as a numbered directory tree (see output-tree.h). */
#include "output-tree.h"

#include <string.h>

struct _ZvmOutputTree {
	GPtrArray *nodes; /* ZvmOutputNode* */
};

static void node_free(gpointer data)
{
	ZvmOutputNode *node = data;
	g_free(node->name);
	g_free(node->path);
	if (node->children)
		g_array_unref(node->children);
	g_free(node);
}

static ZvmOutputNode *node_new(const char *path, guint parent, gboolean is_dir, int output)
{
	ZvmOutputNode *node = g_new0(ZvmOutputNode, 1);
	const char *slash = strrchr(path, '/');
	node->name = g_strdup(slash ? slash + 1 : path);
	node->path = g_strdup(path);
	node->parent = parent;
	node->is_dir = is_dir;
	node->output = output;
	if (is_dir)
		node->children = g_array_new(FALSE, FALSE, sizeof(guint));
	return node;
}

static int compare_children(gconstpointer a, gconstpointer b, gpointer nodes)
{
	const ZvmOutputNode *x = g_ptr_array_index((GPtrArray *)nodes, *(const guint *)a);
	const ZvmOutputNode *y = g_ptr_array_index((GPtrArray *)nodes, *(const guint *)b);
	return strcmp(x->name, y->name);
}

static int compare_strings(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

ZvmOutputTree *zvm_output_tree_new(const char *const *outputs)
{
	ZvmOutputTree *tree = g_new0(ZvmOutputTree, 1);
	tree->nodes = g_ptr_array_new_with_free_func(node_free);
	g_ptr_array_add(tree->nodes, node_new("", 0, TRUE, -1));

	/* Files first, in list order; then every directory a file path implies. */
	g_autoptr(GHashTable) files = g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(GHashTable) dir_set =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	guint n = outputs ? g_strv_length((char **)outputs) : 0;
	g_autoptr(GArray) file_index = g_array_new(FALSE, FALSE, sizeof(int));
	for (guint i = 0; i < n; i++) {
		const char *path = outputs[i];
		if (*path == '\0' || g_hash_table_contains(files, path))
			continue;
		g_hash_table_add(files, (gpointer)path);
		int index = (int)i;
		g_array_append_val(file_index, index);
		for (const char *p = strchr(path, '/'); p; p = strchr(p + 1, '/'))
			g_hash_table_add(dir_set, g_strndup(path, (gsize)(p - path)));
	}
	/* A name cannot be a file and a directory: the file loses. */
	g_autoptr(GPtrArray) dirs = g_ptr_array_new();
	GHashTableIter iter;
	gpointer key;
	g_hash_table_iter_init(&iter, dir_set);
	while (g_hash_table_iter_next(&iter, &key, NULL))
		g_ptr_array_add(dirs, key);
	g_ptr_array_sort(dirs, compare_strings);

	g_autoptr(GHashTable) node_of = g_hash_table_new(g_str_hash, g_str_equal);
	g_hash_table_insert(node_of, (gpointer) "", GUINT_TO_POINTER(0));
	for (guint i = 0; i < file_index->len; i++) {
		int index = g_array_index(file_index, int, i);
		if (g_hash_table_contains(dir_set, outputs[index]))
			continue;
		g_ptr_array_add(tree->nodes, node_new(outputs[index], 0, FALSE, index));
	}
	for (guint i = 0; i < dirs->len; i++) {
		ZvmOutputNode *node = node_new(g_ptr_array_index(dirs, i), 0, TRUE, -1);
		g_ptr_array_add(tree->nodes, node);
		g_hash_table_insert(node_of, node->path, GUINT_TO_POINTER(tree->nodes->len - 1));
	}
	/* Link every node to its parent; dirs are sorted, so a parent is always known. */
	for (guint i = 1; i < tree->nodes->len; i++) {
		ZvmOutputNode *node = g_ptr_array_index(tree->nodes, i);
		const char *slash = strrchr(node->path, '/');
		g_autofree char *parent_path =
		    slash ? g_strndup(node->path, (gsize)(slash - node->path)) : g_strdup("");
		node->parent = GPOINTER_TO_UINT(g_hash_table_lookup(node_of, parent_path));
		ZvmOutputNode *parent = g_ptr_array_index(tree->nodes, node->parent);
		g_array_append_val(parent->children, i);
	}
	for (guint i = 0; i < tree->nodes->len; i++) {
		ZvmOutputNode *node = g_ptr_array_index(tree->nodes, i);
		if (node->children)
			g_array_sort_with_data(node->children, compare_children, tree->nodes);
	}
	return tree;
}

void zvm_output_tree_free(ZvmOutputTree *tree)
{
	if (tree == NULL)
		return;
	g_ptr_array_unref(tree->nodes);
	g_free(tree);
}

guint zvm_output_tree_count(const ZvmOutputTree *tree)
{
	return tree->nodes->len;
}

const ZvmOutputNode *zvm_output_tree_node(const ZvmOutputTree *tree, guint number)
{
	return number < tree->nodes->len ? g_ptr_array_index(tree->nodes, number) : NULL;
}

gboolean zvm_output_tree_lookup(const ZvmOutputTree *tree, guint parent, const char *name,
				guint *number)
{
	const ZvmOutputNode *dir = zvm_output_tree_node(tree, parent);
	if (dir == NULL || !dir->is_dir)
		return FALSE;
	for (guint i = 0; i < dir->children->len; i++) {
		guint child = g_array_index(dir->children, guint, i);
		const ZvmOutputNode *node = g_ptr_array_index(tree->nodes, child);
		if (strcmp(node->name, name) == 0) {
			*number = child;
			return TRUE;
		}
	}
	return FALSE;
}
