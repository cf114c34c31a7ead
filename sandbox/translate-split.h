/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Cutting the one C file wasm2c 1.0.32 writes into translation units that a C compiler can
 * take in parallel, each in bounded memory. Text in, files out: no tool is run here.
 *
 * Every unit gets the file's prologue (includes, macros, the runtime's inline helpers) and
 * the declarations of every function; unit 0 also gets the static data (data segments, as
 * string literals, and element segments), the init functions and everything after the
 * functions (exports, instantiate, free), and no function of the module; the function
 * definitions are spread over units 1 to n-1 in file order, about the same number of bytes
 * each. The module's `static` functions, its
 * `func_types` array and its segments become hidden-visibility globals, so units call each
 * other inside the shared object and nothing new is exported.
 */
#pragma once

#include <glib.h>

#define ZVM_SPLIT_ERROR (zvm_split_error_quark())
GQuark zvm_split_error_quark(void);

typedef enum {
	ZVM_SPLIT_ERROR_SHAPE, /* the text is not in the shape wasm2c 1.0.32 writes */
	ZVM_SPLIT_ERROR_WRITE, /* a unit could not be written: message names it and errno */
} ZvmSplitError;

/* Bumped with every change to what the split writes: part of the translation cache key. */
#define ZVM_SPLIT_VERSION "2"

/* The most units one module is cut into: a bound on the files and compiler runs it causes. */
#define ZVM_SPLIT_MAX_UNITS 256

/*
 * Writes @text (@length bytes of wasm2c output) as the files unit-0.c .. unit-<n-1>.c in
 * @dir_fd (created exclusive, 0644): unit 0 with the data, then units of about @unit_bytes
 * of function definitions each, at most one per function, at least 1, so n is 2 to
 * ZVM_SPLIT_MAX_UNITS + 1. Returns n, or 0 with @error set.
 */
guint zvm_split_c(const char *text, gsize length, gsize unit_bytes, int dir_fd, GError **error);

/* Runs @argv (a compiler run in the work dir) to its end; TRUE when it succeeded, else FALSE
 * with @error set. Called from several threads at once. */
typedef gboolean (*ZvmSplitRunTool)(const char *const *argv, gpointer user_data, GError **error);
/* @done of @total units compiled; called from the compiling threads, one call at a time. */
typedef void (*ZvmSplitProgress)(guint done, guint total, gpointer user_data);

typedef struct {
	gsize unit_bytes;	     /* about this much C per unit */
	guint jobs;		     /* compiler runs at once, at least 1 */
	const char *cc;		     /* the compiler */
	const char *const *cc_flags; /* for every run: code generation, -I; NULL-terminated */
	ZvmSplitRunTool run;
	gpointer run_data;
	ZvmSplitProgress progress; /* may be NULL */
	gpointer progress_data;
	/* In: 0 to cut module.c first, else the units unit-0.c .. unit-<*units - 1>.c an
	 * earlier compile of this dir cut (another tier, other flags), compiled again as they
	 * are. Out: the units cut, set as soon as they are written, also when a compile fails. */
	guint *units;
} ZvmSplitCompile;

/*
 * Reads module.c in @dir_fd (a regular file, through no link, at most @max_bytes), cuts it
 * with zvm_split_c into units of @how->unit_bytes (unless @how->units says they are there),
 * compiles each (`cc FLAGS -c unit-K.c -o unit-K.o`, at most @how->jobs at once) and links
 * them with glue.c into module.so (`cc FLAGS -nostartfiles -shared -o module.so unit-*.o
 * glue.c -lm`), all through @how->run. Returns the number of units, or 0 with @error set by
 * the first failure (the runs under way then are let finish; no new one starts).
 */
guint zvm_split_compile(const ZvmSplitCompile *how, int dir_fd, gsize max_bytes, GError **error);
