/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Ahead-of-time translation of a checked module to native code: wasm2c, then the C compiler
 * (-O2 -fPIC -shared -ffp-contract=off) into a shared object, cached by the SHA-256 of the
 * module and of the translator's and compiler's versions and flags. Both tools run fenced
 * (the compile user or a leased uid, never the runners', in a work dir only they reach; CPU,
 * memory, output and wall-time limits): their input is untrusted, so their output is too, and
 * root checks the object (object-check.h) before it publishes it, 0600, in a cache only root
 * reads.
 * Concurrent translations of one module, in this process or another, compile it once.
 * At most [sandbox] max_compiles translations of this process compile at once; a failed one
 * is remembered for [sandbox] failed_compile_ttl seconds (a file in the cache), so the same
 * module under the same toolchain and limits fails again at once with the same message.
 * Every tool run is recorded in <cache>/tmp with its owner: the first compile of a process
 * kills the tools whose owner died (a gateway killed with -9) and removes their work dirs.
 */
#pragma once

#include <glib.h>

#include "sandbox-config.h"

#define ZVM_TRANSLATE_ERROR (zvm_translate_error_quark())
GQuark zvm_translate_error_quark(void);

typedef enum {
	ZVM_TRANSLATE_ERROR_TOOL,  /* wasm2c or cc missing or failed: message has its stderr tail */
	ZVM_TRANSLATE_ERROR_LIMIT, /* killed by the time, memory or output limit */
	ZVM_TRANSLATE_ERROR_CACHE, /* the cache directory could not be used */
	ZVM_TRANSLATE_ERROR_KILLED, /* stopped through ZvmTranslateProgress.stop: "killed" */
} ZvmTranslateError;

/*
 * Returns the path of the shared object for the sanitised module @module (from
 * zvm_module_check), translating and compiling it if the cache has none. @cached is set to
 * TRUE when it came from the cache. The shared object exports the functions of glue.h.
 * Returns: a path in the cache (free with g_free), or NULL with @error set.
 */
char *zvm_translate(const ZvmSandboxConfig *config, GBytes *module, gboolean *cached,
		    GError **error);

/* What a translation reports while it runs, called on the translating threads, and what stops
 * it. Any member may be NULL. */
typedef struct {
	/* @done of @total units of the module's C compiled (a module cut in units only:
	 * [sandbox] compile_split_bytes); 0 of @total when the compiles start. */
	void (*units)(guint done, guint total, gpointer user_data);
	gpointer user_data;
	/* Read (g_atomic_int_get) at least every 50 ms while the translation waits or its
	 * tools run: once non-zero, the tools' process groups are killed and the translation
	 * fails with ZVM_TRANSLATE_ERROR_KILLED. Only the translation of this caller stops:
	 * another caller waiting for the same module then translates it itself. */
	const volatile gint *stop;
	/* TRUE when the translation must wait for one of the [sandbox] max_compiles slots,
	 * FALSE once it has one (called only after a TRUE). */
	void (*waiting)(gboolean waiting, gpointer user_data);
} ZvmTranslateProgress;

/* zvm_translate, reporting to @progress (may be NULL). */
char *zvm_translate_with_progress(const ZvmSandboxConfig *config, GBytes *module,
				  const ZvmTranslateProgress *progress, gboolean *cached,
				  GError **error);

/*
 * Tiers (docs/engine.md §4): a module whose C is cut in units ([sandbox] compile_split_bytes)
 * is first compiled by [sandbox] compile_fast_cc at -O0, in seconds, and that object is
 * returned and cached under a key of its own; cc -O2 then compiles the same units in a
 * background thread of this process (at most one per module across processes: it holds the
 * module's lock) and publishes the optimized object under the module's key, which every later
 * zvm_translate returns. A first-tier hit starts the optimized compile when none runs.
 * Waits for the optimized compiles this process started: a program that exits calls it
 * first, or they are lost with it.
 */
void zvm_translate_wait_optimized(void);
/* How many of those compiles are started and not waited for. */
guint zvm_translate_optimizing(void);

/* The cache key of @module: lowercase hex SHA-256 of the module bytes and the toolchain. */
char *zvm_translate_key(const ZvmSandboxConfig *config, GBytes *module);
