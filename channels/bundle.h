/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The job bundle: a tar (any format and compression libarchive detects) holding `manifest`,
 * the program and input files. Reading it checks every member against docs/spec.md §1 and the
 * operator's bounds and extracts it into a private directory. The WASI host's tar images are
 * held to the same member checks (zvm_bundle_check_member).
 */
#pragma once

#include <glib.h>

#include "zvm-limits.h"

#define ZVM_BUNDLE_ERROR (zvm_bundle_error_quark())
GQuark zvm_bundle_error_quark(void);

typedef enum {
	ZVM_BUNDLE_ERROR_FORMAT,      /* EINVAL: not a tar, truncated, corrupt */
	ZVM_BUNDLE_ERROR_UNSAFE,      /* EINVAL: absolute, "..", link, device, fifo, bad name */
	ZVM_BUNDLE_ERROR_DUPLICATE,   /* EINVAL: a member appears twice */
	ZVM_BUNDLE_ERROR_TOO_LARGE,   /* EFBIG: over the byte, member, name or depth bounds */
	ZVM_BUNDLE_ERROR_NO_MANIFEST, /* EINVAL: no top-level `manifest` */
	ZVM_BUNDLE_ERROR_IO,	      /* EIO / ENOSPC: writing the extracted files failed */
} ZvmBundleError;

/*
 * Reads the tar open on @fd from its current position and extracts its regular files and
 * directories below @dest_dir, which must exist and be empty. Files are created 0644 and
 * directories 0755 with O_NOFOLLOW below a directory descriptor, never through a path the
 * archive controls. On failure @dest_dir may hold a partial extraction; the caller removes it.
 * Returns: TRUE, or FALSE with @error set; the message starts "bundle: " and names the member.
 * ENOSPC while writing is ZVM_BUNDLE_ERROR_IO with "no space left" in the message.
 */
gboolean zvm_bundle_extract(int fd, const char *dest_dir, const ZvmLimits *limits, GError **error);

/* Same, for an in-memory archive (used by the fuzz target and unit tests). */
gboolean zvm_bundle_extract_buffer(const void *data, gsize length, const char *dest_dir,
				   const ZvmLimits *limits, GError **error);

/* Bounds on one member's name: a bundle's come from ZvmLimits, an image has its own. */
typedef struct {
	guint max_name;	     /* bytes in the whole name */
	guint max_component; /* bytes in one component */
	guint max_depth;     /* components, "" and "." not counted */
} ZvmBundleMemberBounds;

struct archive_entry;

/*
 * The checks every tar we read applies to each member (docs/spec.md §1), the bundle's and the
 * images' alike: the name is relative, has no "..", is valid UTF-8 without control characters and
 * is within @bounds; the member is a regular file or a directory, and not sparse. Returns: the
 * name's components with "" and "." dropped, so "./manifest" and "dir/" are "manifest" and "dir"
 * (possibly none: "./" is the root itself); or NULL with @error set to ZVM_BUNDLE_ERROR_UNSAFE or
 * _TOO_LARGE. The message says only what is wrong ("has an unsafe name"): the caller puts its own
 * prefix and its quoting of the member name in front.
 */
GPtrArray *zvm_bundle_check_member(struct archive_entry *entry, const ZvmBundleMemberBounds *bounds,
				   GError **error);

/* Reads `manifest` of an extracted bundle (at most 512 KiB, the manifest size bound). */
char *zvm_bundle_read_manifest(const char *bundle_dir, gsize *length, GError **error);
