/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The report a node-side run (`zvm run-job`) leaves for the gateway: the engine's ZvmReport
 * as a small key file, written last and whole (renamed into place) with an end marker.
 * The gateway reads it as hostile input: the job's owner can write that file.
 */
#pragma once

#include <glib.h>

#include "../../sandbox/engine.h"

/* Largest report file the gateway reads. */
#define ZVM_RUNNER_REPORT_MAX (64 * 1024)

/* Writes @report to @path atomically (a temporary file renamed over it), synced. */
gboolean zvm_runner_report_write(const char *path, const ZvmReport *report, GError **error);

/*
 * Reads @path (not following a symbolic link, a regular file of at most
 * ZVM_RUNNER_REPORT_MAX bytes) into @report, checking every value: known exit kind, counts
 * not negative, times finite and not negative, strings valid UTF-8 of bounded length
 * without control characters, and the end marker present.
 * Returns: FALSE with @error (G_FILE_ERROR_NOENT when there is none), @report untouched.
 */
gboolean zvm_runner_report_read(const char *path, ZvmReport *report, GError **error);
