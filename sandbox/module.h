/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Our own reader of a WebAssembly module's sections, run before anything else sees the
 * module. It is a security boundary: Debian's wasm2c 1.0.32 copies import and export names
 * unescaped into C, does not check import signatures and mistranslates some constructs
 * (docs/engine.md lists what is taken and why each is safe). A module is refused unless it
 * imports only the WASI calls we serve, with their exact signatures, exports `_start` and
 * `memory` (anything else it exports is dropped), and uses only constructs wasm2c 1.0.32
 * translates correctly.
 */
#pragma once

#include <glib.h>
#include <stdint.h>

#define ZVM_MODULE_ERROR (zvm_module_error_quark())
GQuark zvm_module_error_quark(void);

typedef enum {
	ZVM_MODULE_ERROR_FORMAT,  /* not wasm, truncated, malformed section */
	ZVM_MODULE_ERROR_IMPORT,  /* an import we do not serve, or with another signature */
	ZVM_MODULE_ERROR_EXPORT,  /* _start or memory missing, twice or of the wrong kind */
	ZVM_MODULE_ERROR_FEATURE, /* SIMD, threads, an import in a table, a start function, ... */
	ZVM_MODULE_ERROR_LIMIT,	  /* over a bound: functions, locals, size, memory, tables */
} ZvmModuleError;

typedef struct {
	uint32_t initial_pages; /* of the one linear memory */
	uint32_t max_pages;	/* the module's, UINT32_MAX when it gives none */
	uint32_t n_functions;	/* defined (not imported) functions */
	uint32_t n_imports;
} ZvmModuleInfo;

typedef struct {
	uint64_t max_module_bytes; /* default 64 MiB */
	uint32_t max_functions;	   /* default 100000 */
	uint32_t max_locals;	   /* per function, default 50000 */
	uint64_t max_memory_bytes; /* the manifest's Memory: initial pages must fit */
} ZvmModuleBounds;

/*
 * Checks @data (@length bytes). On success fills @info and returns the module rewritten for
 * wasm2c: custom sections (names, debug info) removed; the import, memory and export
 * sections written anew by the checker, with names only from its own constants (the WASI
 * names it serves, `_start`, `memory`) and the memory's maximum at most 65535 pages; every
 * other section copied. So no name the module chose reaches the C compiler. Checking the
 * result again gives the same bytes.
 * Returns: the rewritten module, or NULL with @error set; the message starts
 * "validation failed: " and names the cause ("import env.foo is not a WASI call zvmfs serves").
 */
GBytes *zvm_module_check(const guint8 *data, gsize length, const ZvmModuleBounds *bounds,
			 ZvmModuleInfo *info, GError **error);
