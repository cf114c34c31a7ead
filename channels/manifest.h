/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The job manifest: ZeroVM's `Version = 20130611` dialect with the changes of docs/spec.md §2.
 * Parsing checks everything ZeroVM checked (reference §1-§2) plus the operator maxima, and
 * names the line of the first error: "MANIFEST 4: invalid memory size (...)".
 */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "names.h"
#include "zvm-limits.h"

#define ZVM_MANIFEST_VERSION "20130611"
#define ZVM_MANIFEST_ERROR (zvm_manifest_error_quark())
GQuark zvm_manifest_error_quark(void);

/* Error codes; each carries the errno that ZeroVM exited with for it. */
typedef enum {
	ZVM_MANIFEST_ERROR_SYNTAX,    /* EINVAL: malformed value, token count, bad number */
	ZVM_MANIFEST_ERROR_MISSING,   /* EINVAL: obligatory key absent */
	ZVM_MANIFEST_ERROR_DUPLICATE, /* EINVAL: once-only key or alias repeated */
	ZVM_MANIFEST_ERROR_LIMIT,     /* EINVAL: over an operator maximum or ZeroVM's bounds */
	ZVM_MANIFEST_ERROR_CHANNEL,   /* EINVAL: channel semantics (types, URIs, std channels) */
	ZVM_MANIFEST_ERROR_TOO_LARGE, /* EFBIG: text over 512 KiB or 8192 lines */
} ZvmManifestError;

/* Where a channel's bytes come from or go to, decided from its URI and limits. */
typedef enum {
	ZVM_URI_MEMBER, /* readable: a file inside the bundle (uri is the member name) */
	ZVM_URI_NULL,	/* /dev/null */
	ZVM_URI_ZERO,	/* /dev/zero (readable only) */
	ZVM_URI_DATA,	/* data:<root>/<path>, an operator-exported host file (readable only) */
	ZVM_URI_OUTPUT, /* write-only or read-write: a file in the job's directory (uri is its path)
			 */
	ZVM_URI_PIPE,	/* pipe:<writer>-><reader>, between nodes of a system map (sysmap.h) */
} ZvmUriKind;

/* Read/write class, from the limits, not the type (ZeroVM CH_RW_TYPE). */
typedef enum {
	ZVM_ACCESS_NONE = 0,
	ZVM_ACCESS_READ = 1,
	ZVM_ACCESS_WRITE = 2,
	ZVM_ACCESS_READ_WRITE = 3,
} ZvmAccess;

typedef enum {
	ZVM_LIMIT_GETS = 0,
	ZVM_LIMIT_GET_SIZE = 1,
	ZVM_LIMIT_PUTS = 2,
	ZVM_LIMIT_PUT_SIZE = 3,
	ZVM_LIMIT_COUNT = 4,
} ZvmLimitIndex;

typedef struct {
	char *uri;   /* as written (stripped) */
	char *alias; /* "/dev/stdout", "/dev/in/mapper-1" */
	ZvmUriKind kind;
	ZvmAccess access;
	int type; /* 0..3: bit 0 random read, bit 1 random write */
	gboolean etag;
	int64_t limits[ZVM_LIMIT_COUNT];
	guint line; /* manifest line, 0 for a channel the parser added */
} ZvmChannelSpec;

typedef struct {
	char *program;	 /* bundle member name of the .nexe */
	uint64_t memory; /* bytes */
	gboolean memory_etag;
	uint32_t timeout;  /* seconds */
	int64_t node;	   /* 0 when absent */
	char *job;	   /* NULL when absent */
	char *etag;	   /* NULL when absent (reserved by ZeroVM) */
	char *name_server; /* NULL when absent */
	/* ZvmChannelSpec*, manifest order; missing std channels appended with line 0. */
	GPtrArray *channels;
} ZvmManifest;

/*
 * Parses and checks manifest @text (@length bytes, need not be NUL-terminated) against
 * @limits. Channel URIs are checked for form only; whether a member exists is the caller's
 * business (the bundle is not known here).
 * Returns: a new manifest, or NULL with @error set; the message starts "MANIFEST <line>: ".
 */
ZvmManifest *zvm_manifest_parse(const char *text, gsize length, const ZvmLimits *limits,
				GError **error);
/*
 * The same for the manifest of a system map node, which the expander wrote (sysmap.h): it
 * also accepts `pipe:<writer>-><reader>` channels (sequential, one-way), which a user's own
 * manifest may not name, since only the engine can give them a host end.
 */
ZvmManifest *zvm_manifest_parse_node(const char *text, gsize length, const ZvmLimits *limits,
				     GError **error);
void zvm_manifest_free(ZvmManifest *manifest);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ZvmManifest, zvm_manifest_free)

/* The channel with @alias, or NULL. */
const ZvmChannelSpec *zvm_manifest_find_channel(const ZvmManifest *manifest, const char *alias);

/* zvm_member_name_is_valid(), zvm_output_name_is_valid(): names.h. */
