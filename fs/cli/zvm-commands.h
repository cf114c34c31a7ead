/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The subcommands of the zvm program. Each takes the arguments after `zvm` (argv[0] is the
 * command's name), returns the process exit status, and prints its own usage on --help.
 * Exit statuses shared by all: 0 success, 1 the job or the action failed, 2 usage or setup.
 */
#pragma once

enum { ZVM_STATUS_OK = 0, ZVM_STATUS_FAILED = 1, ZVM_STATUS_USAGE = 2 };

int zvm_command_run(int argc, char **argv);    /* zvm-run.c: run a bundle without a mount */
int zvm_command_cc(int argc, char **argv);     /* zvm-cc.c: compile C to a .nexe */
int zvm_command_pack(int argc, char **argv);   /* zvm-pack.c: make a bundle, zvsh style */
int zvm_command_submit(int argc, char **argv); /* zvm-submit.c .. zvm-ls.c: the mount's clients */
int zvm_command_wait(int argc, char **argv);
int zvm_command_status(int argc, char **argv);
int zvm_command_kill(int argc, char **argv);
int zvm_command_ls(int argc, char **argv);
int zvm_command_cache(int argc, char **argv);	/* zvm-cache.c: pre-translate into the cache */
int zvm_command_run_job(int argc, char **argv); /* zvm-run-job.c: a Slurm node's side */
