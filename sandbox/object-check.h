/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The check root makes of a compiled module's shared object before publishing it in the cache
 * (docs/engine.md, "Privilege separation"). The compiler ran as an unprivileged user on C
 * derived from an untrusted module, so its output is untrusted too: the check takes only what
 * gcc makes of wasm2c's C and the glue with translate.c's flags, and refuses everything that
 * would run code, or write memory outside the object, while the runner loads it: constructors
 * and destructors (DT_INIT*, DT_FINI*, DT_PREINIT_ARRAY), IFUNC resolvers, relocations of any
 * other kind or outside the object's writable segments, search paths (DT_RPATH, DT_RUNPATH),
 * filters and audit libraries, libraries other than libc and libm, text relocations,
 * writable-and-executable segments and an executable stack.
 */
#pragma once

#include <glib.h>

#define ZVM_OBJECT_ERROR (zvm_object_error_quark())
GQuark zvm_object_error_quark(void);

typedef enum {
	ZVM_OBJECT_ERROR_REFUSED, /* the message says which part of the object */
} ZvmObjectError;

/*
 * Checks the @size bytes at @data, a whole ELF file, as the shared object of a module: of the
 * host's machine, exporting the five functions of glue.h as code of its own, and nothing of
 * the list above. Returns TRUE, or FALSE with @error (ZVM_OBJECT_ERROR_REFUSED) saying what
 * was found.
 */
gboolean zvm_object_check(const guint8 *data, gsize size, GError **error);
