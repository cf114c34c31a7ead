/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target: the manifest parser on arbitrary bytes must not crash or leak, and what
 * it accepts must hold the promises of manifest.h. */
#include <string.h>

#include "manifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_accepted(const ZvmManifest *manifest, const ZvmLimits *limits)
{
	g_assert_true(manifest->memory >= 65536 && manifest->memory <= limits->max_memory);
	g_assert_true(manifest->timeout >= 1 && manifest->timeout <= limits->max_timeout);
	g_assert_nonnull(manifest->program);
	for (guint i = 0; i < manifest->channels->len; i++) {
		const ZvmChannelSpec *spec = manifest->channels->pdata[i];
		g_assert_true(g_str_has_prefix(spec->alias, "/dev/"));
		g_assert_true(spec->access != ZVM_ACCESS_NONE);
		g_assert_true(spec->type >= 0 && spec->type <= 3);
		g_assert_true(zvm_manifest_find_channel(manifest, spec->alias) == spec);
		if (spec->kind == ZVM_URI_OUTPUT)
			g_assert_true(zvm_output_name_is_valid(spec->uri));
		else if (spec->kind != ZVM_URI_NULL)
			g_assert_true(spec->access == ZVM_ACCESS_READ);
	}
	g_assert_nonnull(zvm_manifest_find_channel(manifest, "/dev/stdin"));
	g_assert_nonnull(zvm_manifest_find_channel(manifest, "/dev/stdout"));
	g_assert_nonnull(zvm_manifest_find_channel(manifest, "/dev/stderr"));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ZvmLimits limits;
	zvm_limits_init(&limits);
	/* A small channel maximum as well, so that its refusal is reachable. */
	if (size > 0 && data[0] == '!')
		limits.max_channels = 4;
	g_autoptr(GError) error = NULL;
	g_autoptr(ZvmManifest) manifest =
	    zvm_manifest_parse((const char *)data, size, &limits, &error);
	if (manifest) {
		g_assert_null(error);
		check_accepted(manifest, &limits);
	} else {
		g_assert_nonnull(error);
		g_assert_true(g_str_has_prefix(error->message, "MANIFEST"));
	}
	return 0;
}
