/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the mount's clients (zvm submit, wait, status, kill, ls; one file each) share:
 * their options, reading the mount's files, and printing a job's status (zvm-client.c).
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "zvm-status-file.h"

#define POLL_MS 50

/* The options every client subcommand shares. */
typedef struct {
	const char *mount;
	gboolean json;
	gboolean wait;
	gboolean no_progress;
	gboolean all;
	const char *name;
} ClientOptions;

/* Which options beyond --mount, --json and --help a subcommand takes. */
typedef enum {
	OPTIONS_COMMON = 0,
	OPTIONS_SUBMIT = 1 << 0,   /* --wait, --name */
	OPTIONS_PROGRESS = 1 << 1, /* --no-progress */
	OPTIONS_ALL = 1 << 2,	   /* --all */
} OptionSet;

char *zvm_client_read_path_all(const char *path);
int zvm_client_parse_options(int argc, char **argv, ClientOptions *options, OptionSet allowed,
			     const char *usage);
gboolean zvm_client_check_mount(const char *command, const char *mount);
gboolean zvm_client_id_valid(const char *id);
char *zvm_client_job_path(const char *mount, const char *id, const char *file);
const char *zvm_client_job_error(int error);
gboolean zvm_client_load_status(const char *path, ZvmStatus *status);
void zvm_client_add_value(JsonBuilder *builder, const char *value);
void zvm_client_print_json(JsonBuilder *builder);
gboolean zvm_client_status_succeeded(const ZvmStatus *status);
gboolean zvm_client_state_ended(const char *state);
int zvm_client_id_command_setup(int argc, char **argv, ClientOptions *options, OptionSet allowed,
				const char **id);
int zvm_client_show_status_file(int argc, char **argv, const char *file);
