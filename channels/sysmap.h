/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The system map: ZeroCloud's job description (`boot/system.map`, reference §6.1), a JSON
 * array of node groups, and its expansion into nodes (§6.2). Each node gets the manifest and
 * nvram text ZeroCloud would have written for it, in our dialect, so the ordinary parsers
 * (zvm_manifest_parse_node, zvm_nvram_parse) check them like any other. Knows nothing of
 * running: the engine (sandbox/job.h) gives the pipes their host ends.
 *
 * Naming: a group that expands to one node gives a node of the group's name; a group of
 * `count` N > 1, or whose wildcard matched N > 1 files, gives `<name>-1` .. `<name>-N` in
 * creation order (ZeroCloud's _create_node_name). Every `connect` pair of nodes A -> B is a
 * pipe `pipe:A->B`: A writes `/dev/out/B`, B reads `/dev/in/A`. Outputs of node A are
 * written under `A/` in the job's directory (`A/stdout`, `A/stderr`, `A/<output>`).
 */
#pragma once

#include <glib.h>

#include "zvm-limits.h"
#include "data-roots.h"

#define ZVM_SYSMAP_PATH "boot/system.map"
/* ZeroCloud's zerovm_maxconfig. */
#define ZVM_SYSMAP_MAX_BYTES 65536

#define ZVM_SYSMAP_ERROR (zvm_sysmap_error_quark())
GQuark zvm_sysmap_error_quark(void);

typedef enum {
	ZVM_SYSMAP_ERROR_SYNTAX,  /* not JSON, or not the shape of a system map */
	ZVM_SYSMAP_ERROR_INVALID, /* a group's values: names, devices, connect, count */
	ZVM_SYSMAP_ERROR_LIMIT,	  /* over a bound: nodes, text size, memory, timeout */
	ZVM_SYSMAP_ERROR_GLOB,	  /* a wildcard could not be expanded */
} ZvmSysmapError;

/* Wildcards of data: paths are expanded through a ZvmDataGlobFunc (channels/data-roots.h);
 * a system map with a wildcard and no glob function is refused. */

typedef struct {
	char *name;	/* "mapper-3" */
	char *group;	/* "mapper" */
	guint id;	/* 1..N over the whole map, creation order (manifest `Node`) */
	char *manifest; /* manifest text, for zvm_manifest_parse_node() */
	char *nvram;	/* nvram text, for zvm_nvram_parse() */
} ZvmSysmapNode;

typedef struct {
	GPtrArray *nodes; /* ZvmSysmapNode*, creation order */
} ZvmSysmap;

/*
 * Parses the system map @text (@length bytes) and expands it into nodes within @limits
 * (max_nodes, max_memory, max_timeout, the default channel limits). @glob (may be NULL)
 * expands wildcards of readable data: paths.
 * Returns: the expanded map, or NULL with @error set; messages start "system.map: ", and
 * "system.map: group '<name>': " for a fault of one group.
 */
ZvmSysmap *zvm_sysmap_parse(const char *text, gsize length, const ZvmLimits *limits,
			    ZvmDataGlobFunc glob, gpointer glob_data, GError **error);
void zvm_sysmap_free(ZvmSysmap *map);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ZvmSysmap, zvm_sysmap_free)
