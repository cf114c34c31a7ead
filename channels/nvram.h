/* SPDX-License-Identifier: Apache-2.0 */
/*
 * /dev/nvram, the configuration ZRT read before main (reference §5.1): [args] becomes argv,
 * [env] the environment, [time] the clock, [fstab] tar images, [mapping] stat types.
 */
#pragma once

#include <glib.h>
#include <stdint.h>

#define ZVM_NVRAM_ERROR (zvm_nvram_error_quark())
GQuark zvm_nvram_error_quark(void);

typedef enum {
	ZVM_NVRAM_ERROR_TOO_LARGE, /* over ZRT's bounds: 10240 bytes, 7 sections, ... */
	ZVM_NVRAM_ERROR_SYNTAX,	   /* malformed line, escape, key or value */
} ZvmNvramError;

typedef enum {
	ZVM_MAPPING_DEFAULT = 0,
	ZVM_MAPPING_PIPE,
	ZVM_MAPPING_CHAR,
	ZVM_MAPPING_FILE,
} ZvmMappingMode;

typedef enum {
	ZVM_FSTAB_RO = 0, /* the tar image, read-only */
	ZVM_FSTAB_WO,	  /* an empty writable tree saved into the channel as a tar at exit
			     (ZRT's wo) */
	ZVM_FSTAB_RW,	  /* a writable in-memory scratch tree, first filled from the image
			     when a channel is named; gone after the job (zvmfs's own) */
} ZvmFstabAccess;

typedef struct {
	char *channel;	    /* alias, "/dev/python.tar"; NULL only for an empty rw tree */
	char *mountpoint;   /* absolute directory in the program's view, "/lib/python" */
	gboolean read_only; /* access=ro */
	ZvmFstabAccess access;
	gboolean removable;
} ZvmFstabEntry;

typedef struct {
	char *channel;
	ZvmMappingMode mode;
} ZvmMappingEntry;

typedef struct {
	char **args; /* NULL-terminated argv; NULL when there is no [args] */
	char **env;  /* NULL-terminated "NAME=value" strings; NULL when none */
	gboolean has_time;
	int64_t time_seconds; /* [time] seconds=<unix> */
	GPtrArray *fstab;     /* ZvmFstabEntry* */
	GPtrArray *mapping;   /* ZvmMappingEntry* */
} ZvmNvram;

/*
 * Parses nvram @text (@length bytes) with ZRT's syntax, limits and \xHH escapes.
 * Returns: a new ZvmNvram, or NULL with @error set; the message starts "nvram <line>: ".
 */
ZvmNvram *zvm_nvram_parse(const char *text, gsize length, GError **error);
void zvm_nvram_free(ZvmNvram *nvram);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ZvmNvram, zvm_nvram_free)
