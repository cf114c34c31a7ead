/* SPDX-License-Identifier: Apache-2.0 */
/*
 * zvm: the command-line front end's dispatcher. It holds no command: each one is a
 * zvm_command_*() in a file of its own (zvm-commands.h).
 */
#include <glib.h>
#include <stdio.h>

#include "zvm-commands.h"
#include "zvm-build-config.h"

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} commands[] = {
    {"run", zvm_command_run, "run one bundle without a mount and print its report"},
    {"cc", zvm_command_cc, "compile C sources to a .nexe (clang, wasm32-wasi)"},
    {"pack", zvm_command_pack, "make a job bundle from a .nexe, its arguments and files"},
    {"submit", zvm_command_submit, "submit a bundle through the mount and print its id"},
    {"wait", zvm_command_wait, "wait for a job to end and print its status"},
    {"status", zvm_command_status, "print a job's status"},
    {"kill", zvm_command_kill, "stop a job"},
    {"ls", zvm_command_ls, "list your jobs"},
    {"cache", zvm_command_cache, "cache warm: translate bundles or modules ahead of jobs"},
    {"run-job", zvm_command_run_job, "run one job a gateway left for a Slurm node"},
};

static int usage(FILE *out)
{
	fprintf(out, "Usage: zvm COMMAND [OPTION...]\n\nCommands:\n");
	for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
		fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\n`zvm COMMAND --help` describes one command.\n");
	return out == stdout ? 0 : ZVM_STATUS_USAGE;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage(stderr);
	if (g_str_equal(argv[1], "--help") || g_str_equal(argv[1], "-h"))
		return usage(stdout);
	if (g_str_equal(argv[1], "--version")) {
		printf("zvm %s\n", ZVM_VERSION);
		return 0;
	}
	for (size_t i = 0; i < G_N_ELEMENTS(commands); i++) {
		if (g_str_equal(argv[1], commands[i].name)) {
			g_set_prgname(commands[i].name);
			return commands[i].run(argc - 1, argv + 1);
		}
	}
	g_printerr("zvm: unknown command '%s'\n", argv[1]);
	return usage(stderr);
}
