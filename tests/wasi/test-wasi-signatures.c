/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The host's import functions against wasi-calls.def: every call is defined (the table below
 * links only if it is), and with the types wasm2c declares for it (when wasm2c is at hand,
 * its header for a module importing every call is included beside wasi-imports.h, and any
 * difference is a compile error).
 */
#ifdef ZVM_TEST_WASM2C_HEADER
#include "imports.h"
#endif
#include "test-wasi.h"

static const struct {
	const char *name;
	const char *params;
	const char *results;
	void (*function)(void);
} calls[] = {
#define ZVM_WASI_CALL(name, params, results) \
	{#name, params, results, (void (*)(void))Z_wasi_snapshot_preview1Z_##name},
#include "wasi-calls.def"
#undef ZVM_WASI_CALL
};

static void test_signatures(void)
{
	g_assert_cmpuint(G_N_ELEMENTS(calls), ==, 46);
	for (guint i = 0; i < G_N_ELEMENTS(calls); i++) {
		g_assert_nonnull(calls[i].function);
		g_assert_cmpuint(strspn(calls[i].params, "iI"), ==, strlen(calls[i].params));
	}
#ifndef ZVM_TEST_WASM2C_HEADER
	g_test_skip("wat2wasm or wasm2c not found: the types were not compared");
#endif
}

void test_signatures_register(void)
{
	g_test_add_func("/wasi/signatures", test_signatures);
}
