/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target for the bundle reader: any bytes are extracted into a fresh directory with
 * small bounds, the reader's promises are checked, and the directory is removed.
 */
#include <stdint.h>
#include <string.h>

#include "bundle.h"
#include "bundle-testutil.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(TestDir) dir = test_dir_new();
	g_autoptr(GError) error = NULL;
	ZvmLimits limits;
	gboolean ok;

	/* Small bounds keep each run fast and let the fuzzer reach every refusal. */
	memset(&limits, 0, sizeof(limits));
	limits.bundle_max_bytes = 64 * 1024;
	limits.bundle_max_archive = 1024 * 1024;
	limits.bundle_max_members = 32;
	limits.bundle_max_name = 128;
	limits.bundle_max_depth = 6;

	ok = zvm_bundle_extract_buffer(data, size, dir->dest, &limits, &error);
	if (ok) {
		g_autoptr(GError) manifest_error = NULL;
		g_autofree char *manifest =
		    zvm_bundle_read_manifest(dir->dest, NULL, &manifest_error);

		/* An accepted bundle has a manifest, and it is within the bounds. */
		g_assert_no_error(error);
		g_assert_no_error(manifest_error);
		g_assert_nonnull(manifest);
	} else {
		g_assert_nonnull(error);
		g_assert_true(error->domain == ZVM_BUNDLE_ERROR);
		g_assert_true(g_str_has_prefix(error->message, "bundle: "));
	}
	/* Accepted or not, nothing was written beside the destination. */
	test_dir_assert_contained(dir);
	return 0;
}
