/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `zvm cc`: a C compiler for .nexe files. It checks that the wasm32-wasi toolchain is there,
 * then runs clang with the flags images/meson.build uses (wasm32-wasi, -O2, stripped, stack
 * first so an overflow traps instead of corrupting the heap) and the user's cc options.
 */
#include <glib.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zvm-commands.h"

#define CC_CLANG "clang"
#define CC_SYSROOT "/usr"
#define CC_WASI_INCLUDE "/usr/include/wasm32-wasi"
#define CC_BUILTINS_DEFAULT \
	"/usr/lib/llvm-14/lib/clang/14.0.6/lib/wasi/libclang_rt.builtins-wasm32.a"
#define CC_BUILTINS_RELATIVE "lib/wasi/libclang_rt.builtins-wasm32.a"

static void cc_usage(FILE *out)
{
	fputs(
	    "Usage: zvm cc [--print-command] [CC OPTIONS] FILES... [-o OUT]\n"
	    "Compiles C for zvmfs: runs clang --target=wasm32-wasi --sysroot=/usr with\n"
	    "-O2 unless an -O option is given and, when it links, -Wl,--stack-first (a stack\n"
	    "overflow traps instead of corrupting the heap) and -s unless -g is given.\n"
	    "Other options go to clang unchanged (-o -c -g -O -I -D -U -l -L -W -std= -f -x ...).\n"
	    "Without -o the output is a.out, as with cc; name it PROGRAM.nexe for `zvm pack`.\n"
	    "  --print-command  print the clang command instead of running it\n"
	    "  --help           this text\n"
	    "Needs clang, lld (wasm-ld), wasi-libc and libclang-rt-14-dev-wasm32.\n",
	    out);
}

/* The clang resource directory's builtins, or NULL when clang cannot say. */
static char *cc_resource_builtins(void)
{
	const char *argv[] = {CC_CLANG, "-print-resource-dir", NULL};
	g_autofree char *out = NULL;
	int status = 0;

	if (!g_spawn_sync(NULL, (char **)argv, NULL,
			  G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL,
			  &status, NULL) ||
	    !g_spawn_check_wait_status(status, NULL))
		return NULL;
	g_strstrip(out);
	return g_build_filename(out, CC_BUILTINS_RELATIVE, NULL);
}

/* Prints what is missing and returns FALSE when the toolchain is incomplete. */
static gboolean cc_check_toolchain(void)
{
	g_autofree char *clang = g_find_program_in_path(CC_CLANG);
	if (!clang) {
		fputs("zvm cc: clang is not installed (apt-get install clang)\n", stderr);
		return FALSE;
	}
	if (!g_file_test(CC_WASI_INCLUDE, G_FILE_TEST_IS_DIR)) {
		fputs("zvm cc: wasi-libc is not installed (apt-get install wasi-libc)\n", stderr);
		return FALSE;
	}
	g_autofree char *builtins = cc_resource_builtins();
	if (!g_file_test(CC_BUILTINS_DEFAULT, G_FILE_TEST_EXISTS) &&
	    !(builtins && g_file_test(builtins, G_FILE_TEST_EXISTS))) {
		fputs("zvm cc: the wasm32 compiler runtime is not installed "
		      "(apt-get install libclang-rt-14-dev-wasm32)\n",
		      stderr);
		return FALSE;
	}
	g_autofree char *wasm_ld = g_find_program_in_path("wasm-ld");
	g_autofree char *lld = g_find_program_in_path("lld");
	if (!wasm_ld && !lld) {
		fputs("zvm cc: the wasm linker is not installed (apt-get install lld)\n", stderr);
		return FALSE;
	}
	return TRUE;
}

/* Options whose value is the next argument when not attached (clang's spelling). */
static gboolean cc_takes_value(const char *arg)
{
	static const char *const separate[] = {"-o",  "-I",  "-D",	 "-U",	     "-l",
					       "-L",  "-x",  "-include", "-isystem", "-MF",
					       "-MT", "-MQ", "-Xlinker", "-Xclang",  NULL};
	for (const char *const *s = separate; *s; s++)
		if (strcmp(arg, *s) == 0)
			return TRUE;
	return FALSE;
}

int zvm_command_cc(int argc, char **argv)
{
	gboolean print_command = FALSE, optimise = TRUE, strip = TRUE, has_input = FALSE;
	gboolean link = TRUE;
	g_autoptr(GPtrArray) user = g_ptr_array_new();

	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		if (strcmp(arg, "--help") == 0) {
			cc_usage(stdout);
			return ZVM_STATUS_OK;
		}
		if (strcmp(arg, "--print-command") == 0) {
			print_command = TRUE;
			continue;
		}
		if (g_str_has_prefix(arg, "-O"))
			optimise = FALSE;
		else if (g_str_has_prefix(arg, "-g"))
			strip = FALSE;
		else if (strcmp(arg, "-c") == 0 || strcmp(arg, "-S") == 0 || strcmp(arg, "-E") == 0)
			link = FALSE;
		else if (arg[0] != '-' || strcmp(arg, "-") == 0)
			has_input = TRUE;
		g_ptr_array_add(user, (char *)arg);
		if (cc_takes_value(arg)) {
			if (i + 1 >= argc) {
				fprintf(stderr, "zvm cc: %s needs a value\n", arg);
				return ZVM_STATUS_USAGE;
			}
			g_ptr_array_add(user, argv[++i]);
		}
	}
	if (!has_input) {
		fputs("zvm cc: no input files (see zvm cc --help)\n", stderr);
		return ZVM_STATUS_USAGE;
	}

	g_autoptr(GPtrArray) command = g_ptr_array_new();
	g_ptr_array_add(command, (char *)CC_CLANG);
	g_ptr_array_add(command, (char *)"--target=wasm32-wasi");
	g_ptr_array_add(command, (char *)"--sysroot=" CC_SYSROOT);
	if (optimise)
		g_ptr_array_add(command, (char *)"-O2");
	/* Link-only flags: clang warns about them when it does not link. */
	if (link && strip)
		g_ptr_array_add(command, (char *)"-s");
	if (link)
		g_ptr_array_add(command, (char *)"-Wl,--stack-first");
	for (guint i = 0; i < user->len; i++)
		g_ptr_array_add(command, user->pdata[i]);
	g_ptr_array_add(command, NULL);

	if (print_command) {
		/* Shell-quoted only where needed, so the line reads like the command typed. */
		for (guint i = 0; i + 1 < command->len; i++) {
			const char *word = command->pdata[i];
			gboolean plain = word[0] && !strpbrk(word, " \t\n'\"\\$`*?[]{}()<>|&;#~!");
			g_autofree char *quoted = plain ? g_strdup(word) : g_shell_quote(word);
			printf("%s%s", i ? " " : "", quoted);
		}
		putchar('\n');
		return ZVM_STATUS_OK;
	}
	if (!cc_check_toolchain())
		return ZVM_STATUS_USAGE;

	fflush(stdout);
	int status = 0;
	g_autoptr(GError) error = NULL;
	if (!g_spawn_sync(NULL, (char **)command->pdata, NULL,
			  G_SPAWN_SEARCH_PATH | G_SPAWN_CHILD_INHERITS_STDIN, NULL, NULL, NULL,
			  NULL, &status, &error)) {
		fprintf(stderr, "zvm cc: cannot run clang: %s\n", error->message);
		return ZVM_STATUS_USAGE;
	}
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return ZVM_STATUS_FAILED;
}
