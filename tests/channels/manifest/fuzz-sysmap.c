/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target: the system map parser on arbitrary bytes must not crash or leak, and
 * every node of a map it accepts must have a manifest and an nvram that our own parsers
 * accept (the expander writes nothing they would refuse). */
#include <string.h>

#include "manifest.h"
#include "nvram.h"
#include "sysmap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every pattern matches two files, so wildcard groups expand too. */
static GPtrArray *two_files(const char *pattern, gpointer user_data, GError **error)
{
	GPtrArray *matches = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(matches, g_strdup("data:root/one"));
	g_ptr_array_add(matches, g_strdup("data:root/two"));
	return matches;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const roots[] = {"root", NULL};
	ZvmLimits limits;
	zvm_limits_init(&limits);
	limits.data_roots = roots; /* the root two_files answers for */
	/* Small bounds as well, so that their refusals are reachable. */
	if (size > 0 && data[0] == ' ') {
		limits.max_nodes = 4;
		limits.max_channels = 8;
	}
	g_autoptr(GError) error = NULL;
	g_autoptr(ZvmSysmap) map =
	    zvm_sysmap_parse((const char *)data, size, &limits, two_files, NULL, &error);
	if (map == NULL) {
		g_assert_nonnull(error);
		g_assert_true(g_str_has_prefix(error->message, "system.map: "));
		return 0;
	}
	g_assert_null(error);
	g_assert_true(map->nodes->len >= 1 && map->nodes->len <= limits.max_nodes);
	for (guint i = 0; i < map->nodes->len; i++) {
		const ZvmSysmapNode *node = map->nodes->pdata[i];
		g_autoptr(ZvmManifest) manifest = zvm_manifest_parse_node(
		    node->manifest, strlen(node->manifest), &limits, &error);
		if (manifest == NULL)
			g_error("node %s: %s\n%s", node->name, error->message, node->manifest);
		g_autoptr(ZvmNvram) nvram =
		    zvm_nvram_parse(node->nvram, strlen(node->nvram), &error);
		if (nvram == NULL)
			g_error("node %s: %s\n%s", node->name, error->message, node->nvram);
	}
	return 0;
}
