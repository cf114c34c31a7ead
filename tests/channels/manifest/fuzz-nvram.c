/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target: the nvram parser on arbitrary bytes must not crash or leak, and what it
 * accepts must hold the promises of nvram.h. */
#include <string.h>

#include "nvram.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_accepted(const ZvmNvram *nvram)
{
	if (nvram->args)
		g_assert_nonnull(nvram->args[0]);
	for (char **e = nvram->env; e && *e; e++)
		g_assert_true(strchr(*e, '=') > *e);
	for (guint i = 0; i < nvram->fstab->len; i++) {
		const ZvmFstabEntry *entry = nvram->fstab->pdata[i];
		g_assert_true(entry->channel == NULL ? entry->access == ZVM_FSTAB_RW
						     : g_str_has_prefix(entry->channel, "/dev/"));
		g_assert_true(entry->mountpoint[0] == '/');
	}
	for (guint i = 0; i < nvram->mapping->len; i++) {
		const ZvmMappingEntry *entry = nvram->mapping->pdata[i];
		g_assert_true(entry->mode != ZVM_MAPPING_DEFAULT);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ZvmNvram) nvram = zvm_nvram_parse((const char *)data, size, &error);
	if (nvram) {
		g_assert_null(error);
		check_accepted(nvram);
	} else {
		g_assert_nonnull(error);
		g_assert_true(g_str_has_prefix(error->message, "nvram"));
	}
	return 0;
}
