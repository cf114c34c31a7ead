/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The native side of the differential fuzzer: one module shaped by prepare.mjs goes through
 * the module checker and zvm_translate (wasm2c and the C compiler with a job's flags, fence
 * and cache), and is run as a job's module is: instantiated, then `_start` called, once per
 * export the checker dropped (prepare.mjs makes `_start` a dispatcher that runs the next
 * export each time and leaves its i64 result in memory bytes 0-7).
 *
 *   difffuzz-run [--cache DIR] MODULE.wasm
 *
 * Prints one line per dropped export, in export order: "NAME => <i64 as a signed decimal>"
 * or "NAME trap <kind>"; "instantiate trap <kind>" when instantiation traps; "crash signal
 * N" or "timeout" when the child running the module ends otherwise. "refused <message>"
 * (exit 2) when the checker refuses the module. Exit 1 on any other error.
 */
#include <dlfcn.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <wasm-rt-impl.h>

#include "glue.h"
#include "module.h"
#include "translate.h"

#define SECTION_EXPORT 7
#define EXPORT_FUNCTION 0
#define EXPORT_MEMORY 2
/* Wall seconds for one module's calls; -ttf's hang limit ends every loop long before. */
#define RUN_SECONDS 60

static gboolean read_leb32(const guint8 **p, const guint8 *end, uint32_t *value)
{
	uint64_t result = 0;
	for (unsigned int shift = 0; shift < 35; shift += 7) {
		if (*p >= end)
			return FALSE;
		guint8 byte = *(*p)++;
		result |= (uint64_t)(byte & 0x7f) << shift;
		if ((byte & 0x80) == 0) {
			*value = (uint32_t)result;
			return result <= UINT32_MAX;
		}
	}
	return FALSE;
}

/* Finds the payload of section @id in the module @data. */
static gboolean find_section(const guint8 *data, gsize length, guint8 id, const guint8 **payload,
			     gsize *payload_length)
{
	const guint8 *end = data + length;
	const guint8 *p = data + 8;
	while (length >= 8 && p < end) {
		guint8 section_id = *p++;
		uint32_t size;
		if (!read_leb32(&p, end, &size) || size > (gsize)(end - p))
			return FALSE;
		if (section_id == id) {
			*payload = p;
			*payload_length = size;
			return TRUE;
		}
		p += size;
	}
	return FALSE;
}

/* The names prepare.mjs gives, and nothing wasm2c would have to escape. */
static gboolean name_is_ours(const char *name)
{
	if (strcmp(name, "_start") == 0 || strcmp(name, "memory") == 0 || strcmp(name, "m") == 0 ||
	    strcmp(name, "s") == 0 || strcmp(name, "hs") == 0)
		return TRUE;
	if (name[0] != 'c' && name[0] != 'h')
		return FALSE;
	if (name[1] == '\0')
		return FALSE;
	for (const char *c = name + 1; *c != '\0'; c++)
		if (!g_ascii_isdigit(*c))
			return FALSE;
	return TRUE;
}

/* The function exports of an export section's payload but `_start`, in order. */
static GPtrArray *read_exports(const guint8 *payload, gsize length, GError **error)
{
	g_autoptr(GPtrArray) exports = g_ptr_array_new_with_free_func(g_free);
	const guint8 *p = payload, *end = payload + length;
	uint32_t n;
	if (!read_leb32(&p, end, &n))
		goto malformed;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t name_length, index; /* the index is only skipped */
		if (!read_leb32(&p, end, &name_length) || name_length > (gsize)(end - p))
			goto malformed;
		g_autofree char *name = g_strndup((const char *)p, name_length);
		p += name_length;
		if (p >= end)
			goto malformed;
		guint8 kind = *p++;
		if (!read_leb32(&p, end, &index))
			goto malformed;
		if (strlen(name) != name_length || !name_is_ours(name)) {
			g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
				    "export %" PRIu32 " is not one prepare.mjs makes", i);
			return NULL;
		}
		if (kind == EXPORT_FUNCTION && strcmp(name, "_start") != 0)
			g_ptr_array_add(exports, g_steal_pointer(&name));
		else if (kind != EXPORT_FUNCTION && kind != EXPORT_MEMORY) {
			g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
				    "export %s is neither a function nor the memory", name);
			return NULL;
		}
	}
	return g_steal_pointer(&exports);
malformed:
	g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "malformed export section");
	return NULL;
}

static const char *trap_kind(int trap)
{
	switch (trap) {
	case WASM_RT_TRAP_OOB: /* also stack exhaustion: wasm2c's guard pages */
		return "oob";
	case WASM_RT_TRAP_INT_OVERFLOW:
		return "int-overflow";
	case WASM_RT_TRAP_DIV_BY_ZERO:
		return "div-by-zero";
	case WASM_RT_TRAP_INVALID_CONVERSION:
		return "invalid-conversion";
	case WASM_RT_TRAP_UNREACHABLE:
		return "unreachable";
	case WASM_RT_TRAP_CALL_INDIRECT:
		return "call-indirect";
	default:
		return "other";
	}
}

/* Each call in its own frame, so nothing live across the setjmp changes before a longjmp. */
static int call_start(ZvmGlueStart start, void *instance)
{
	int trap = wasm_rt_impl_try();
	if (trap == 0)
		start(instance);
	return trap;
}

static int instantiate_module(ZvmGlueInstantiate instantiate, void *instance)
{
	int trap = wasm_rt_impl_try();
	if (trap == 0)
		instantiate(instance, NULL);
	return trap;
}

/* The child: loads the object and calls every export; its lines go straight to stdout. */
static int run_exports(const char *object_path, const GPtrArray *exports)
{
	alarm(RUN_SECONDS);
	void *object = dlopen(object_path, RTLD_NOW | RTLD_LOCAL);
	if (object == NULL) {
		fprintf(stderr, "difffuzz-run: cannot load %s: %s\n", object_path, dlerror());
		return 1;
	}
	ZvmGlueInstanceSize instance_size =
	    (ZvmGlueInstanceSize)dlsym(object, ZVM_GLUE_INSTANCE_SIZE);
	ZvmGlueInit init = (ZvmGlueInit)dlsym(object, ZVM_GLUE_INIT);
	ZvmGlueInstantiate instantiate = (ZvmGlueInstantiate)dlsym(object, ZVM_GLUE_INSTANTIATE);
	ZvmGlueMemory get_memory = (ZvmGlueMemory)dlsym(object, ZVM_GLUE_MEMORY);
	ZvmGlueStart start = (ZvmGlueStart)dlsym(object, ZVM_GLUE_START);
	if (instance_size == NULL || init == NULL || instantiate == NULL || get_memory == NULL ||
	    start == NULL) {
		fprintf(stderr, "difffuzz-run: %s lacks its glue\n", object_path);
		return 1;
	}
	wasm_rt_init();
	init();
	void *instance = g_malloc0(instance_size());
	int trap = instantiate_module(instantiate, instance);
	if (trap != 0) {
		printf("instantiate trap %s\n", trap_kind(trap));
		return 0;
	}
	for (guint i = 0; i < exports->len; i++) {
		const char *name = g_ptr_array_index(exports, i);
		trap = call_start(start, instance);
		if (trap != 0) {
			printf("%s trap %s\n", name, trap_kind(trap));
		} else {
			const wasm_rt_memory_t *memory = get_memory(instance);
			int64_t value;
			if (memory->size < sizeof(value)) {
				fprintf(stderr, "difffuzz-run: the memory lost its first page\n");
				return 1;
			}
			memcpy(&value, memory->data, sizeof(value));
			printf("%s => %" PRId64 "\n", name, value);
		}
		fflush(stdout);
	}
	return 0;
}

int main(int argc, char **argv)
{
	g_autofree char *cache_dir = NULL;
	GOptionEntry entries[] = {
	    {"cache", 0, 0, G_OPTION_ARG_FILENAME, &cache_dir,
	     "translation cache (default: a new directory, removed at the end)", "DIR"},
	    G_OPTION_ENTRY_NULL,
	};
	g_autoptr(GOptionContext) context = g_option_context_new("MODULE.wasm");
	g_option_context_add_main_entries(context, entries, NULL);
	g_autoptr(GError) error = NULL;
	if (!g_option_context_parse(context, &argc, &argv, &error) || argc != 2) {
		fprintf(stderr, "difffuzz-run: %s\n",
			error ? error->message : "one module, please (--help)");
		return 1;
	}

	g_autofree char *data = NULL;
	gsize length;
	if (!g_file_get_contents(argv[1], &data, &length, &error)) {
		fprintf(stderr, "difffuzz-run: %s\n", error->message);
		return 1;
	}
	g_autoptr(GBytes) original = g_bytes_new_take(g_steal_pointer(&data), length);
	ZvmModuleBounds bounds = {
	    .max_module_bytes = 64ULL << 20,
	    .max_functions = 100000,
	    .max_locals = 50000,
	    .max_memory_bytes = 4ULL << 30,
	};
	ZvmModuleInfo info;
	g_autoptr(GBytes) checked =
	    zvm_module_check(g_bytes_get_data(original, NULL), length, &bounds, &info, &error);
	if (checked == NULL) {
		printf("refused %s\n", error->message);
		return 2;
	}
	const guint8 *payload;
	gsize payload_length;
	g_autoptr(GPtrArray) exports = NULL;
	if (find_section(g_bytes_get_data(original, NULL), length, SECTION_EXPORT, &payload,
			 &payload_length))
		exports = read_exports(payload, payload_length, &error);
	if (exports == NULL) {
		fprintf(stderr, "difffuzz-run: %s\n", error ? error->message : "no export section");
		return 1;
	}

	g_auto(ZvmSandboxConfig) config = {0};
	zvm_sandbox_config_init(&config);
	g_autofree char *temporary = NULL;
	if (cache_dir == NULL) {
		temporary = g_dir_make_tmp("difffuzz-XXXXXX", &error);
		if (temporary == NULL) {
			fprintf(stderr, "difffuzz-run: %s\n", error->message);
			return 1;
		}
		cache_dir = g_build_filename(temporary, "cache", NULL);
	}
	g_free(config.cache_dir);
	config.cache_dir = g_strdup(cache_dir);
	config.cache_max_bytes = 256ULL << 20;
	gboolean cached;
	g_autofree char *object_path = NULL;
	if (zvm_sandbox_config_resolve(&config, &error))
		object_path = zvm_translate(&config, checked, &cached, &error);
	if (object_path == NULL) {
		fprintf(stderr, "difffuzz-run: %s\n", error->message);
		return 1;
	}

	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0)
		_exit(run_exports(object_path, exports));
	int status = 0;
	while (pid > 0 && waitpid(pid, &status, 0) < 0)
		;
	int result = 0;
	if (pid < 0) {
		perror("difffuzz-run: fork");
		result = 1;
	} else if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM) {
		printf("timeout\n");
	} else if (WIFSIGNALED(status)) {
		printf("crash signal %d\n", WTERMSIG(status));
	} else if (WEXITSTATUS(status) != 0) {
		result = 1;
	}
	if (temporary != NULL) {
		const char *argv_rm[] = {"rm", "-rf", temporary, NULL};
		g_spawn_sync(NULL, (char **)argv_rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL,
			     NULL, NULL, NULL);
	}
	return result;
}
