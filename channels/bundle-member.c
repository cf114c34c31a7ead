/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The member checks of docs/spec.md §1 that bundles and the WASI host's tar images share: name,
 * type, depth. Apart from the bundle reader so that the runner, which links libarchive
 * statically, does not pull in the reader's compression filters with them.
 */
#include "bundle.h"

#include <archive.h>
#include <archive_entry.h>
#include <string.h>

#include "text.h"

GQuark zvm_bundle_error_quark(void)
{
	return g_quark_from_static_string("zvm-bundle-error-quark");
}

/*
 * Splits @name into components with "" and "." dropped. Refuses names that could leave the
 * destination, that a person could not read back in a listing, or over @bounds.
 */
static GPtrArray *bundle_split_name(const char *name, const ZvmBundleMemberBounds *bounds,
				    GError **error)
{
	g_autoptr(GPtrArray) components = g_ptr_array_new_with_free_func(g_free);
	g_auto(GStrv) parts = NULL;
	size_t length = strlen(name);

	if (length > bounds->max_name) {
		g_set_error(error, ZVM_BUNDLE_ERROR, ZVM_BUNDLE_ERROR_TOO_LARGE,
			    "has a name over the %u-byte maximum", bounds->max_name);
		return NULL;
	}
	if (length == 0 || name[0] == '/' || !zvm_text_is_readable(name)) {
		g_set_error_literal(error, ZVM_BUNDLE_ERROR, ZVM_BUNDLE_ERROR_UNSAFE,
				    "has an unsafe name");
		return NULL;
	}

	parts = g_strsplit(name, "/", -1);
	for (char **part = parts; *part != NULL; part++) {
		if (**part == '\0' || strcmp(*part, ".") == 0)
			continue;
		if (strcmp(*part, "..") == 0) {
			g_set_error_literal(error, ZVM_BUNDLE_ERROR, ZVM_BUNDLE_ERROR_UNSAFE,
					    "has an unsafe name");
			return NULL;
		}
		if (strlen(*part) > bounds->max_component) {
			g_set_error(error, ZVM_BUNDLE_ERROR, ZVM_BUNDLE_ERROR_TOO_LARGE,
				    "has a name component over %u bytes", bounds->max_component);
			return NULL;
		}
		g_ptr_array_add(components, g_strdup(*part));
	}
	if (components->len > bounds->max_depth) {
		g_set_error(error, ZVM_BUNDLE_ERROR, ZVM_BUNDLE_ERROR_TOO_LARGE,
			    "is nested over the %u-level maximum", bounds->max_depth);
		return NULL;
	}
	return g_steal_pointer(&components);
}

/* What a member is when it is not something we take, in words for the refusal. */
static const char *bundle_refused_type(struct archive_entry *entry)
{
	if (archive_entry_hardlink(entry) != NULL)
		return "a hard link";
	switch (archive_entry_filetype(entry)) {
	case AE_IFREG:
	case AE_IFDIR:
		return NULL;
	case AE_IFLNK:
		return "a symbolic link";
	case AE_IFCHR:
		return "a character device";
	case AE_IFBLK:
		return "a block device";
	case AE_IFIFO:
		return "a fifo";
	case AE_IFSOCK:
		return "a socket";
	default:
		return "a special file";
	}
}

GPtrArray *zvm_bundle_check_member(struct archive_entry *entry, const ZvmBundleMemberBounds *bounds,
				   GError **error)
{
	const char *name;
	const char *refused;
	g_autoptr(GPtrArray) components = NULL;

	g_return_val_if_fail(entry != NULL && bounds != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	name = archive_entry_pathname(entry);
	components = bundle_split_name(name != NULL ? name : "", bounds, error);
	if (components == NULL)
		return NULL;
	refused = bundle_refused_type(entry);
	if (refused != NULL) {
		g_set_error(error, ZVM_BUNDLE_ERROR, ZVM_BUNDLE_ERROR_UNSAFE,
			    "is %s; only regular files and directories are taken", refused);
		return NULL;
	}
	if (archive_entry_sparse_count(entry) > 0) {
		g_set_error_literal(error, ZVM_BUNDLE_ERROR, ZVM_BUNDLE_ERROR_UNSAFE,
				    "is a sparse file; sparse members are not supported");
		return NULL;
	}
	return g_steal_pointer(&components);
}
