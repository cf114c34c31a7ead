/* SPDX-License-Identifier: Apache-2.0 */
/* Test helpers: built modules and a byte-level module writer (module-test-util.h). */
#include "module-test-util.h"

#include <string.h>
#include <unistd.h>

#include "module.h"

GBytes *test_load_module(const char *name)
{
	g_autofree char *path = g_build_filename(ZVM_TEST_MODULE_DIR, name, NULL);
	g_autoptr(GError) error = NULL;
	char *contents;
	gsize length;
	if (!g_file_get_contents(path, &contents, &length, &error))
		g_error("cannot load test module %s: %s", path, error->message);
	return g_bytes_new_take(contents, length);
}

GByteArray *wasm_builder_new(void)
{
	static const guint8 header[] = {0x00, 'a', 's', 'm', 0x01, 0x00, 0x00, 0x00};
	GByteArray *out = g_byte_array_new();
	g_byte_array_append(out, header, sizeof(header));
	return out;
}

void wasm_put_byte(GByteArray *out, guint8 value)
{
	g_byte_array_append(out, &value, 1);
}

void wasm_put_u32(GByteArray *out, uint32_t value)
{
	do {
		guint8 byte = value & 0x7f;
		value >>= 7;
		wasm_put_byte(out, value != 0 ? byte | 0x80 : byte);
	} while (value != 0);
}

void wasm_put_s64(GByteArray *out, int64_t value)
{
	for (;;) {
		guint8 byte = value & 0x7f;
		value >>= 7; /* arithmetic on gcc and clang */
		gboolean done =
		    (value == 0 && (byte & 0x40) == 0) || (value == -1 && (byte & 0x40) != 0);
		wasm_put_byte(out, done ? byte : byte | 0x80);
		if (done)
			return;
	}
}

void wasm_put_name(GByteArray *out, const char *name)
{
	wasm_put_u32(out, (uint32_t)strlen(name));
	g_byte_array_append(out, (const guint8 *)name, (guint)strlen(name));
}

void wasm_put_section(GByteArray *module, guint8 id, const GByteArray *payload)
{
	wasm_put_byte(module, id);
	wasm_put_u32(module, payload->len);
	g_byte_array_append(module, payload->data, payload->len);
}

GBytes *wasm_simple_module(const GByteArray *locals, const guint8 *body, gsize body_length,
			   uint32_t pages)
{
	GByteArray *module = wasm_builder_new();
	g_autoptr(GByteArray) types = g_byte_array_new();
	wasm_put_u32(types, 1);
	wasm_put_byte(types, 0x60);
	wasm_put_u32(types, 0);
	wasm_put_u32(types, 0);
	wasm_put_section(module, 1, types);

	g_autoptr(GByteArray) functions = g_byte_array_new();
	wasm_put_u32(functions, 1);
	wasm_put_u32(functions, 0);
	wasm_put_section(module, 3, functions);

	g_autoptr(GByteArray) memories = g_byte_array_new();
	wasm_put_u32(memories, 1);
	wasm_put_byte(memories, 0);
	wasm_put_u32(memories, pages);
	wasm_put_section(module, 5, memories);

	g_autoptr(GByteArray) exports = g_byte_array_new();
	wasm_put_u32(exports, 2);
	wasm_put_name(exports, "_start");
	wasm_put_byte(exports, 0);
	wasm_put_u32(exports, 0);
	wasm_put_name(exports, "memory");
	wasm_put_byte(exports, 2);
	wasm_put_u32(exports, 0);
	wasm_put_section(module, 7, exports);

	g_autoptr(GByteArray) function_body = g_byte_array_new();
	if (locals != NULL)
		g_byte_array_append(function_body, locals->data, locals->len);
	else
		wasm_put_u32(function_body, 0);
	g_byte_array_append(function_body, body, (guint)body_length);
	wasm_put_byte(function_body, 0x0b);
	g_autoptr(GByteArray) code = g_byte_array_new();
	wasm_put_u32(code, 1);
	wasm_put_u32(code, function_body->len);
	g_byte_array_append(code, function_body->data, function_body->len);
	wasm_put_section(module, 10, code);

	return g_byte_array_free_to_bytes(module);
}

static void remove_tree(const char *path)
{
	const char *argv[] = {"rm", "-rf", path, NULL};
	g_autoptr(GError) error = NULL;
	g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL,
		     &error);
	g_assert_no_error(error);
}

void test_translate_world_init(TestTranslateWorld *world)
{
	world->cache_dir = g_dir_make_tmp("zvm-cache-XXXXXX", NULL);
	world->tools_dir = g_dir_make_tmp("zvm-tools-XXXXXX", NULL);
	g_assert_nonnull(world->cache_dir);
	g_assert_nonnull(world->tools_dir);
	zvm_sandbox_config_init(&world->config);
	g_free(world->config.cache_dir);
	world->config.cache_dir = g_strdup(world->cache_dir);
	world->config.drop_privileges = FALSE;
	world->config.uid = geteuid();
	world->config.gid = getegid();
}

void test_translate_world_clear(TestTranslateWorld *world)
{
	remove_tree(world->cache_dir);
	remove_tree(world->tools_dir);
	zvm_sandbox_config_clear(&world->config);
	g_free(world->cache_dir);
	g_free(world->tools_dir);
}

GBytes *test_checked_module(const char *file)
{
	g_autoptr(GBytes) module = test_load_module(file);
	g_autoptr(GError) error = NULL;
	GBytes *sanitised = zvm_module_check(g_bytes_get_data(module, NULL),
					     g_bytes_get_size(module), NULL, NULL, &error);
	g_assert_no_error(error);
	return sanitised;
}
