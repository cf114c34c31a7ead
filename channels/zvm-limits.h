/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Operator limits: the maxima and defaults that bound what a bundle and its manifest may ask
 * for (docs/spec.md §7). Read from the [limits] and [bundle] groups of the shared config file.
 */
#pragma once

#include <glib.h>
#include <stdint.h>

/* Digest used by channel and memory etags (ZeroVM's tag0/1/2). */
typedef enum {
	ZVM_ETAG_MD5 = G_CHECKSUM_MD5,
	ZVM_ETAG_SHA1 = G_CHECKSUM_SHA1,
	ZVM_ETAG_SHA256 = G_CHECKSUM_SHA256,
} ZvmEtagAlgorithm;

typedef struct {
	/* Manifest maxima: values over these are refused, never lowered. */
	uint64_t max_memory;   /* bytes; at most 4 GiB (wasm32) */
	uint32_t max_timeout;  /* seconds */
	int64_t max_gets;      /* per channel */
	int64_t max_get_size;  /* bytes, per channel */
	int64_t max_puts;      /* per channel */
	int64_t max_put_size;  /* bytes, per channel */
	uint32_t max_channels; /* channel lines in one manifest */
	uint32_t max_nodes;    /* nodes one system map may expand to (sysmap.h) */

	/* Limits given to /dev/stdin, /dev/stdout, /dev/stderr when the manifest omits them. */
	int64_t default_gets;
	int64_t default_get_size;
	int64_t default_puts;
	int64_t default_put_size;

	/* Bundle (tar) bounds. */
	uint64_t bundle_max_bytes;   /* sum of member sizes, after decompression */
	uint64_t bundle_max_archive; /* size of the tar file itself */
	uint32_t bundle_max_members;
	uint32_t bundle_max_name;  /* bytes in one member name */
	uint32_t bundle_max_depth; /* path components in one member name */

	ZvmEtagAlgorithm etag_algorithm;

	/* Names of the exported data roots (NULL-terminated, borrowed), or NULL for none: a
	 * data: channel must name one of them. Not a config key: the engine fills it from its
	 * data roots (sandbox-config.h) before parsing, so the parser never looks at disk. */
	const char *const *data_roots;
} ZvmLimits;

/* Fills @limits with the built-in defaults (documented in docs/configuration.md). */
void zvm_limits_init(ZvmLimits *limits);

/*
 * Overrides @limits from the [limits] and [bundle] groups of @keyfile. Unknown keys are an
 * error (a typo must not silently leave a default in force).
 * Returns: FALSE with @error set (G_KEY_FILE_ERROR_INVALID_VALUE) on a bad value.
 */
gboolean zvm_limits_load(ZvmLimits *limits, GKeyFile *keyfile, GError **error);

/* Parses a size as the config file writes them: "1073741824", "1G", "1 GiB", "512K" (binary
 * units only). Returns: FALSE when @text is not one or overflows 64 bits. */
gboolean zvm_size_parse(const char *text, uint64_t *bytes);

/* "1 GiB", "512 KiB", "12 bytes": the unit a person reads in an error message. */
char *zvm_format_size(uint64_t bytes);
