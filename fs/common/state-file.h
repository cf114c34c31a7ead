/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Durable files for the job store: atomic replacement (temp, sync, rename, fsync of the
 * directory), recursive removal, and copying a descriptor's bytes. Plain POSIX and GError;
 * no knowledge of jobs.
 */
#pragma once

#include <glib.h>
#include <stdint.h>
#include <sys/types.h>

/* How zvm_state_write_atomic() makes the new content durable. */
typedef enum {
	/* Temp file and rename only: readers see the old or the new content, never a mix,
	 * but a crash of the host may lose the change (or leave an empty file on a
	 * filesystem that does not order a rename after the data it replaces). */
	ZVM_STATE_SYNC_NONE,
	/* fsync of the temp file, rename, fsync of the directory: durable when it returns. */
	ZVM_STATE_SYNC_FILE,
	/* syncfs of the filesystem instead of the temp file's fsync, then rename and fsync of
	 * the directory: one flush makes this file and everything written before it on the
	 * same filesystem (outputs, report, accounting) durable. */
	ZVM_STATE_SYNC_FS,
} ZvmStateSync;

/*
 * Replaces @path with @length bytes of @data so that a reader sees either the old or the new
 * content, never a mix: writes "@path.tmp", renames it over @path; @sync says what is made
 * durable, and when.
 * Returns: TRUE, or FALSE with @error set (G_FILE_ERROR, G_FILE_ERROR_NOSPC on a full disk).
 */
gboolean zvm_state_write_atomic(const char *path, const void *data, gsize length, mode_t mode,
				ZvmStateSync sync, GError **error);

/* syncfs of the filesystem that holds @path: every write made on it so far is durable.
 * Concurrent calls on one filesystem (here and in ZVM_STATE_SYNC_FS) share one flush when
 * they can: a call waits for a flush that started after it, or starts one. */
gboolean zvm_state_sync_fs(const char *path, GError **error);

/* fsync of the directory @path, so that a rename or creation inside it is durable. */
gboolean zvm_state_sync_dir(const char *path, GError **error);

/* Creates @path with @mode if missing (the mode of an existing directory is set to @mode).
 * Returns: FALSE with @error set when it cannot be created or is not a directory. */
gboolean zvm_state_ensure_dir(const char *path, mode_t mode, GError **error);

/* Removes @path and everything below it, without following symbolic links. A missing
 * @path is not an error. */
gboolean zvm_state_remove_tree(const char *path, GError **error);

/* Makes @path an empty directory of @mode: removes what is below it and keeps the directory
 * itself (a removal and a new directory cost two journal updates for nothing). */
gboolean zvm_state_empty_dir(const char *path, mode_t mode, GError **error);

/*
 * Copies every byte of @in_fd (from offset 0, whatever its position) to the new file
 * @path (created 0600), at most @max_bytes. Not synced: the caller makes it durable with
 * the rest of its files (zvm_state_sync_fs).
 * Returns: the number of bytes copied, or -1 with @error set (G_FILE_ERROR_NOSPC on a full
 * disk) and *@too_large TRUE when the input is longer than @max_bytes.
 */
int64_t zvm_state_copy_fd(int in_fd, const char *path, uint64_t max_bytes, gboolean *too_large,
			  GError **error);
