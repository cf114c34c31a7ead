/* SPDX-License-Identifier: Apache-2.0 */
/* The node-side report file: written by `zvm run-job`, checked by the gateway. */
#include "runner-report.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <sys/stat.h>
#include <unistd.h>

#include "state-file.h"

#define GROUP "report"
#define END_KEY "end"
#define END_VALUE "zvm-run-job-report-1"
#define STRING_MAX 4096

gboolean zvm_runner_report_write(const char *path, const ZvmReport *report, GError **error)
{
	g_autoptr(GKeyFile) keyfile = g_key_file_new();
	g_key_file_set_integer(keyfile, GROUP, "validator_state", report->validator_state);
	g_key_file_set_integer(keyfile, GROUP, "user_rc", report->user_rc);
	g_key_file_set_string(keyfile, GROUP, "etags", report->etags ? report->etags : "");
	g_key_file_set_string(keyfile, GROUP, "accounting",
			      report->accounting ? report->accounting : "");
	g_key_file_set_string(keyfile, GROUP, "exit_state",
			      report->exit_state ? report->exit_state : "");
	g_key_file_set_integer(keyfile, GROUP, "exit_kind", (int)report->exit_kind);
	g_key_file_set_double(keyfile, GROUP, "sys_seconds", report->sys_seconds);
	g_key_file_set_double(keyfile, GROUP, "user_seconds", report->user_seconds);
	g_key_file_set_double(keyfile, GROUP, "wall_seconds", report->wall_seconds);
	g_key_file_set_int64(keyfile, GROUP, "local_reads", report->local[0]);
	g_key_file_set_int64(keyfile, GROUP, "local_read_bytes", report->local[1]);
	g_key_file_set_int64(keyfile, GROUP, "local_writes", report->local[2]);
	g_key_file_set_int64(keyfile, GROUP, "local_written_bytes", report->local[3]);
	g_key_file_set_boolean(keyfile, GROUP, "cached", report->cached);
	if (report->has_input_bytes)
		g_key_file_set_int64(keyfile, GROUP, "input_bytes", report->input_bytes);
	/* Last: a reader that finds it found the whole file. */
	g_key_file_set_string(keyfile, GROUP, END_KEY, END_VALUE);
	gsize length;
	g_autofree char *text = g_key_file_to_data(keyfile, &length, NULL);
	return zvm_state_write_atomic(path, text, length, 0644, ZVM_STATE_SYNC_FILE, error);
}

static gboolean bad(GError **error, const char *path, const char *what)
{
	g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s: bad report: %s", path, what);
	return FALSE;
}

/* A string value: present, UTF-8, bounded, no control character. */
static char *get_text(GKeyFile *keyfile, const char *key)
{
	g_autofree char *value = g_key_file_get_string(keyfile, GROUP, key, NULL);
	if (value == NULL || strlen(value) > STRING_MAX || !g_utf8_validate(value, -1, NULL))
		return NULL;
	for (const char *p = value; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return NULL;
	return g_steal_pointer(&value);
}

static gboolean get_seconds(GKeyFile *keyfile, const char *key, double *out)
{
	g_autoptr(GError) local = NULL;
	double value = g_key_file_get_double(keyfile, GROUP, key, &local);
	if (local || !isfinite(value) || value < 0 || value > 1e9)
		return FALSE;
	*out = value;
	return TRUE;
}

static gboolean get_count(GKeyFile *keyfile, const char *key, int64_t *out)
{
	g_autoptr(GError) local = NULL;
	gint64 value = g_key_file_get_int64(keyfile, GROUP, key, &local);
	if (local || value < 0)
		return FALSE;
	*out = value;
	return TRUE;
}

gboolean zvm_runner_report_read(const char *path, ZvmReport *report, GError **error)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0) {
		int saved = errno;
		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved), "%s: %s", path,
			    g_strerror(saved));
		return FALSE;
	}
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > ZVM_RUNNER_REPORT_MAX) {
		close(fd);
		return bad(error, path, "not a regular file of at most 64 KiB");
	}
	g_autofree char *text = g_malloc((gsize)st.st_size + 1);
	ssize_t n = read(fd, text, (size_t)st.st_size);
	close(fd);
	if (n != st.st_size)
		return bad(error, path, "short read");
	text[n] = '\0';
	if (memchr(text, '\0', (size_t)n))
		return bad(error, path, "a NUL byte");

	g_autoptr(GKeyFile) keyfile = g_key_file_new();
	if (!g_key_file_load_from_data(keyfile, text, (gsize)n, G_KEY_FILE_NONE, NULL))
		return bad(error, path, "not a key file");
	g_autofree char *end = g_key_file_get_string(keyfile, GROUP, END_KEY, NULL);
	if (g_strcmp0(end, END_VALUE) != 0)
		return bad(error, path, "no end marker");

	g_auto(ZvmReport) read = {0};
	g_autoptr(GError) local = NULL;
	read.validator_state = g_key_file_get_integer(keyfile, GROUP, "validator_state", &local);
	if (local || (read.validator_state != 0 && read.validator_state != 1))
		return bad(error, path, "validator_state");
	read.user_rc = g_key_file_get_integer(keyfile, GROUP, "user_rc", &local);
	if (local)
		return bad(error, path, "user_rc");
	int kind = g_key_file_get_integer(keyfile, GROUP, "exit_kind", &local);
	if (local || kind < ZVM_EXIT_OK || kind > ZVM_EXIT_MEMORY)
		return bad(error, path, "exit_kind");
	read.exit_kind = (ZvmExitKind)kind;
	read.etags = get_text(keyfile, "etags");
	read.accounting = get_text(keyfile, "accounting");
	read.exit_state = get_text(keyfile, "exit_state");
	if (read.etags == NULL || read.accounting == NULL || read.exit_state == NULL ||
	    read.exit_state[0] == '\0')
		return bad(error, path, "etags, accounting or exit_state");
	/* An ok end says "ok", as the engine's does; anything else is not ok. */
	if ((read.exit_kind == ZVM_EXIT_OK) != (g_strcmp0(read.exit_state, "ok") == 0))
		return bad(error, path, "exit_state does not match exit_kind");
	if (!get_seconds(keyfile, "sys_seconds", &read.sys_seconds) ||
	    !get_seconds(keyfile, "user_seconds", &read.user_seconds) ||
	    !get_seconds(keyfile, "wall_seconds", &read.wall_seconds) ||
	    !get_count(keyfile, "local_reads", &read.local[0]) ||
	    !get_count(keyfile, "local_read_bytes", &read.local[1]) ||
	    !get_count(keyfile, "local_writes", &read.local[2]) ||
	    !get_count(keyfile, "local_written_bytes", &read.local[3]))
		return bad(error, path, "a time or a count");
	read.cached = g_key_file_get_boolean(keyfile, GROUP, "cached", NULL);
	if (g_key_file_has_key(keyfile, GROUP, "input_bytes", NULL)) {
		if (!get_count(keyfile, "input_bytes", &read.input_bytes))
			return bad(error, path, "input_bytes");
		read.has_input_bytes = TRUE;
	}
	zvm_report_clear(report);
	*report = read;
	memset(&read, 0, sizeof(read));
	return TRUE;
}
