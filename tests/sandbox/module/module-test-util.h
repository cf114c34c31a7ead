/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Helpers of the module and translation tests: loading the modules meson built, and writing
 * small modules byte by byte where wat2wasm cannot express the case (malformed encodings,
 * huge counts) or where a test needs a generated one.
 */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "sandbox-config.h"

/* A module built into the test directory (hello.wasm, wat/<name>.wat as <name>.wasm). */
GBytes *test_load_module(const char *name);

/* Binary format writers; LEB128 encodings are the shortest. */
GByteArray *wasm_builder_new(void); /* "\0asm", version 1 */
void wasm_put_byte(GByteArray *out, guint8 value);
void wasm_put_u32(GByteArray *out, uint32_t value);
void wasm_put_s64(GByteArray *out, int64_t value);
void wasm_put_name(GByteArray *out, const char *name);
/* Appends section @id holding @payload. */
void wasm_put_section(GByteArray *module, guint8 id, const GByteArray *payload);

/* A module of one function of type () -> (), exported as _start, with the local
 * declarations @locals (the vector, count first; NULL for none) and the instructions @body
 * (without the final end), and one memory of @pages exported as memory. */
GBytes *wasm_simple_module(const GByteArray *locals, const guint8 *body, gsize body_length,
			   uint32_t pages);

/* A translation test's world: an empty cache and a folder for stand-in tools, both removed
 * with everything in them by test_translate_world_clear(); @config points at the cache and
 * keeps the caller's uid (no privilege drop). */
typedef struct {
	char *cache_dir;
	char *tools_dir; /* scripts standing in for the tools, and things outside the cache */
	ZvmSandboxConfig config;
} TestTranslateWorld;

void test_translate_world_init(TestTranslateWorld *world);
void test_translate_world_clear(TestTranslateWorld *world);

/* @file (as test_load_module) after the module checker: what translation takes. */
GBytes *test_checked_module(const char *file);
