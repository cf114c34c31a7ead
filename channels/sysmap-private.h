/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Inside the system map (sysmap.c parses and expands, sysmap-text.c writes each node's
 * manifest and nvram): the parsed groups and the pipes between their nodes.
 */
#pragma once

#include "sysmap.h"

/* The devices ZeroCloud knew, as channels (reference §6.1, CHANNEL_TYPE_MAP). */
typedef struct {
	const char *name;
	gboolean readable;
	int type;
} DeviceKind;

typedef struct {
	const DeviceKind *kind;
	char *path; /* NULL: a writable device's default (its name) */
} Device;

typedef struct {
	char *label; /* "group 'mapper'" or "group 2" before the name is known */
	char *name;
	char *exec_path;
	char *exec_name;
	GPtrArray *args;    /* char*, exec.args split into words as ZRT split [args] */
	GPtrArray *env;	    /* "NAME", "value", ... */
	GPtrArray *devices; /* Device* */
	GPtrArray *connect; /* char*, group names */
	gint64 count;
	uint64_t memory;
	uint32_t timeout;
	Device *wildcard;   /* the device whose path is a pattern, or NULL */
	GPtrArray *matches; /* the wildcard's URIs, one per node */
	guint first_node, n_nodes;
} Group;

/* A pipe of one connect pair, by node index. */
typedef struct {
	guint writer, reader;
} Pipe;

/* The device kind called @name ("stdin" ... "image"), or NULL. */
const DeviceKind *zvm_sysmap_device_kind(const char *name);

/* The manifest text of @node, the @index-th of @group and @self-th of @nodes: its program and
 * limits, its devices in ZeroCloud's order (stdin, stdout, stderr as /dev/null or its output
 * when missing), then one channel per pipe of @pipes that it writes or reads. */
char *zvm_sysmap_node_manifest(const Group *group, guint index, const ZvmSysmapNode *node,
			       GPtrArray *nodes, const GArray *pipes, guint self,
			       const ZvmLimits *limits);

/* The nvram text of @node: [args] (the program's name, then the group's words), [env], and
 * an [fstab] entry mounting /dev/image at / when the group has an image. */
char *zvm_sysmap_node_nvram(const Group *group, const ZvmSysmapNode *node);
