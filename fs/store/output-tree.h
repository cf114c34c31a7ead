/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The directory view of a job's outputs: the files its manifest writes ("stdout",
 * "out/result.csv") and the directories their paths imply, as numbered nodes. The numbering
 * depends only on the output list, so a front end can derive stable inode numbers from it.
 * Immutable once built; safe to read from any thread.
 */
#pragma once

#include <glib.h>

/* Node 0 is the job's own directory. */
#define ZVM_OUTPUT_TREE_ROOT 0u

typedef struct {
	char *name;   /* last path component; "" for the root */
	char *path;   /* relative path below the job directory; "" for the root */
	guint parent; /* node of the containing directory (the root's parent is itself) */
	gboolean is_dir;
	int output;	  /* index in the output list for a file, -1 for a directory */
	GArray *children; /* guint node numbers, by name; NULL for a file */
} ZvmOutputNode;

typedef struct _ZvmOutputTree ZvmOutputTree;

/* Builds the tree of @outputs (relative paths, as zvm_job_get_outputs() gives them). Files
 * are numbered from 1 in list order, implied directories follow in sorted order. A name that
 * is both a file and a directory ("a" and "a/b") is a directory; the file is not shown. */
ZvmOutputTree *zvm_output_tree_new(const char *const *outputs);
void zvm_output_tree_free(ZvmOutputTree *tree);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ZvmOutputTree, zvm_output_tree_free)

guint zvm_output_tree_count(const ZvmOutputTree *tree);

/* The node @number, or NULL when out of range. */
const ZvmOutputNode *zvm_output_tree_node(const ZvmOutputTree *tree, guint number);

/* The node named @name inside directory node @parent, or FALSE. */
gboolean zvm_output_tree_lookup(const ZvmOutputTree *tree, guint parent, const char *name,
				guint *number);
