/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The fixed interface of every translated module's shared object. wasm2c names its symbols
 * after the module and lays out the instance per module; a small glue file compiled into the
 * same object (written by translate.c) turns that into these five stable symbols, which the
 * runner looks up with dlsym. The WASI imports (Z_wasi_snapshot_preview1Z_*) and the wasm2c
 * runtime (wasm_rt_*) are resolved from the runner executable.
 */
#pragma once

#include <stddef.h>
#include <wasm-rt.h>

#define ZVM_GLUE_VERSION "2"
#define ZVM_GLUE_MODULE_NAME "zvm"

typedef size_t (*ZvmGlueInstanceSize)(void);
typedef void (*ZvmGlueInit)(void);
typedef void (*ZvmGlueInstantiate)(void *instance, void *wasi_host);
typedef wasm_rt_memory_t *(*ZvmGlueMemory)(void *instance);
typedef void (*ZvmGlueStart)(void *instance);

/* Symbol names in the shared object. */
#define ZVM_GLUE_INSTANCE_SIZE "zvm_glue_instance_size"
#define ZVM_GLUE_INIT "zvm_glue_init"
#define ZVM_GLUE_INSTANTIATE "zvm_glue_instantiate"
#define ZVM_GLUE_MEMORY "zvm_glue_memory"
#define ZVM_GLUE_START "zvm_glue_start"

/*
 * The C source of the glue for a module translated with `wasm2c -n zvm ... -o module.c`:
 * ZVM_GLUE_SOURCE, then the instantiate line that fits the module. wasm2c gives
 * Z_zvm_instantiate the WASI instance as a second parameter only when the module imports
 * something; zvm_glue_instantiate takes it either way, so the runner need not know.
 */
#define ZVM_GLUE_SOURCE                                                              \
	"#include \"module.h\"\n"                                                    \
	"size_t zvm_glue_instance_size(void) { return sizeof(Z_zvm_instance_t); }\n" \
	"void zvm_glue_init(void) { Z_zvm_init_module(); }\n"                        \
	"wasm_rt_memory_t *zvm_glue_memory(void *i) { return Z_zvmZ_memory(i); }\n"  \
	"void zvm_glue_start(void *i) { Z_zvmZ__start(i); }\n"
#define ZVM_GLUE_INSTANTIATE_WITH_IMPORTS \
	"void zvm_glue_instantiate(void *i, void *h) { Z_zvm_instantiate(i, h); }\n"
#define ZVM_GLUE_INSTANTIATE_WITHOUT_IMPORTS \
	"void zvm_glue_instantiate(void *i, void *h) { (void)h; Z_zvm_instantiate(i); }\n"
