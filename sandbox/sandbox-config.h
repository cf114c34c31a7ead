/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Settings of the sandbox: who runs modules and compilers, where translations are cached and
 * how much the translation of one module may cost. The [sandbox] group of the config file.
 */
#pragma once

#include <glib.h>
#include <stdint.h>
#include <sys/types.h>

#include "../channels/data-roots.h"

typedef struct {
	char *user; /* unprivileged user that runs modules when we are root */
	uid_t uid;  /* resolved by zvm_sandbox_config_resolve() */
	gid_t gid;
	gboolean drop_privileges; /* TRUE when running as root: switch to uid/gid */
	/* Unprivileged user that runs wasm2c and the C compiler when we are root; never the
	 * runner's user, so a module that escaped cannot reach a compile (docs/engine.md). */
	char *compile_user;
	uid_t compile_uid; /* resolved by zvm_sandbox_config_resolve() */
	gid_t compile_gid;
	/* [sandbox] uid_range = FIRST-LAST, when root: each run and each compile leases a uid
	 * of its own from it (uid-range.h) instead of user / compile_user. 0 and 0: off. */
	uint32_t uid_first;
	uint32_t uid_last;

	char *cache_dir;	  /* translated modules, by content hash */
	uint64_t cache_max_bytes; /* bound on the cache; least recently used go first */

	char *wasm2c;		  /* translator program */
	char *cc;		  /* C compiler for the translated module */
	uint32_t compile_timeout; /* wall seconds for translation plus compilation */
	uint64_t compile_memory;  /* RLIMIT_AS of the translator and the compiler, bytes */
	uint64_t compile_output;  /* RLIMIT_FSIZE of the translator and compiler, bytes */
	/* wasm2c's C beyond this many bytes is cut into units of about this size, compiled
	 * in parallel, each compiler run with the limits above (translate-split.h) */
	uint64_t compile_split_bytes;
	uint32_t compile_jobs; /* compiler runs of one translation at once */
	uint32_t max_compiles; /* translations of one process compiling at once */
	/* seconds a failed translation is remembered by its key (0: never), translate.h */
	uint32_t failed_compile_ttl;
	/* The first tier of a module cut in units: this compiler at -O0 makes the object the
	 * first jobs run, while cc -O2 makes the one that replaces it in the background
	 * (translate.h). NULL ([sandbox] compile_fast_cc = none): cc -O2 only. */
	char *compile_fast_cc;
	/* Wall seconds of that optimized compile in the background. */
	uint32_t compile_optimize_timeout;

	char *sandbox_helper; /* path of the zvm-sandbox program that runs one job */
	/* When set, each runner is forked from this process and calls this function instead of
	 * exec'ing sandbox_helper: for single-threaded programs (zvm run) only, since the child
	 * of a multithreaded process may only make async-signal-safe calls before exec. */
	int (*runner_main)(void);
	/* Fork runners from a pre-started `zvm-sandbox --zygote` instead of exec'ing
	 * sandbox_helper for each (zygote.h). [sandbox] zygote, default TRUE; runner_main wins. */
	gboolean zygote;
	/* fsync every output when the job ends, so a crash of the host loses nothing. Default
	 * TRUE; `zvm run` leaves it to the page cache and the gateway to its store, which
	 * syncs the filesystem once when it records the job's end. */
	gboolean sync_outputs;

	/* The host directories exported for data: channels (borrowed; NULL for none). Not read
	 * from [sandbox]: the programs build them from [data] and --data at start. */
	const ZvmDataRoots *data_roots;
} ZvmSandboxConfig;

/* Built-in defaults: user "zvmfs", compile user "zvmfs-cc", cache under /var/cache/zvmfs as root,
 * else $XDG_CACHE_HOME/zvmfs; 1 GiB cache; 120 s and 2 GiB per compilation. */
void zvm_sandbox_config_init(ZvmSandboxConfig *config);
void zvm_sandbox_config_clear(ZvmSandboxConfig *config);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(ZvmSandboxConfig, zvm_sandbox_config_clear)

/* Overrides from the [sandbox] group of @keyfile; unknown keys are an error. */
gboolean zvm_sandbox_config_load(ZvmSandboxConfig *config, GKeyFile *keyfile, GError **error);

/* Resolves the users to uids/gids (when root), checks that uid_range holds no account nor
 * group, and creates the cache directory (0700).
 * Returns: FALSE with @error naming the user that does not exist, is root or is both the
 * runner's and the compiler's, the range, or the directory. */
gboolean zvm_sandbox_config_resolve(ZvmSandboxConfig *config, GError **error);
