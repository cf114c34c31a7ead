/* SPDX-License-Identifier: Apache-2.0 */
/* A job's status file as the zvm client reads it, and the progress line drawn from it
 * (zvm-status-file.h). */
#include "zvm-status-file.h"

#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

void zvm_status_clear(ZvmStatus *status)
{
	g_clear_pointer(&status->keys, g_ptr_array_unref);
	g_clear_pointer(&status->values, g_ptr_array_unref);
}

const char *zvm_status_get(const ZvmStatus *status, const char *key)
{
	for (guint i = 0; status->keys && i < status->keys->len; i++)
		if (strcmp(g_ptr_array_index(status->keys, i), key) == 0)
			return g_ptr_array_index(status->values, i);
	return NULL;
}

void zvm_status_parse(ZvmStatus *status, const char *text)
{
	status->keys = g_ptr_array_new_with_free_func(g_free);
	status->values = g_ptr_array_new_with_free_func(g_free);
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	for (char **line = lines; *line; line++) {
		if (**line == '\0')
			continue;
		const char *space = strchr(*line, ' ');
		g_ptr_array_add(status->keys,
				space ? g_strndup(*line, (gsize)(space - *line)) : g_strdup(*line));
		g_ptr_array_add(status->values, g_strdup(space ? space + 1 : ""));
	}
}

void zvm_progress_init(ZvmProgress *progress, gboolean no_progress)
{
	gboolean tty = isatty(STDERR_FILENO);
	const char *term = g_getenv("TERM");
	const char *no_colour = g_getenv("NO_COLOR");
	*progress = (ZvmProgress){
	    .enabled = tty && !no_progress && g_strcmp0(term, "dumb") != 0,
	    .colour = tty && (no_colour == NULL || *no_colour == '\0'),
	    .start = g_get_monotonic_time(),
	};
}

/* @sequence (an SGR escape, "\033[1m") when colour is on, else nothing. */
const char *zvm_progress_sgr(const ZvmProgress *progress, const char *sequence)
{
	return progress->colour ? sequence : "";
}

/* Takes the line off the screen, before the program's output is written there. */
void zvm_progress_clear(ZvmProgress *progress)
{
	if (!progress->shown)
		return;
	fputs("\r\033[K", stderr);
	progress->shown = FALSE;
}

/* "512 B", "12.3 KiB", "40.0 MiB". */
static char *format_bytes(int64_t bytes)
{
	static const char *const units[] = {"KiB", "MiB", "GiB", "TiB", "PiB"};
	if (bytes < 1024)
		return g_strdup_printf("%" G_GINT64_FORMAT " B", bytes);
	double value = (double)bytes / 1024;
	guint unit = 0;
	while (value >= 1024 && unit + 1 < G_N_ELEMENTS(units)) {
		value /= 1024;
		unit++;
	}
	return g_strdup_printf("%.1f %s", value, units[unit]);
}

/* A status value as a count, or -1 for "-" and anything else. */
static int64_t status_count(const ZvmStatus *status, const char *key)
{
	const char *value = zvm_status_get(status, key);
	guint64 number;
	if (!value || !g_ascii_string_to_unsigned(value, 10, 0, G_MAXINT64, &number, NULL))
		return -1;
	return (int64_t)number;
}

/* "input 12.3 MiB / 40.0 MiB (31%)", "input 12.3 MiB", or NULL when nothing is known. */
static char *format_input(const ZvmStatus *status)
{
	int64_t read = status_count(status, "read_bytes");
	int64_t total = status_count(status, "input_bytes");
	if (read < 0)
		return NULL;
	g_autofree char *done = format_bytes(read);
	if (total <= 0)
		return g_strdup_printf("input %s", done);
	g_autofree char *all = format_bytes(total);
	int percent = (int)MIN(100, (double)read * 100 / (double)total);
	return g_strdup_printf("input %s / %s (%d%%)", done, all, percent);
}

static int terminal_columns(void)
{
	struct winsize size;
	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0)
		return size.ws_col;
	return 80;
}

/* Draws the line for @status in place: "zvm: job 42 running 3.2s input 1.0 MiB / 4.0 MiB
 * (25%)", cut to the terminal's width (a wrapped line could not be cleared). Not while the
 * program's output has an unfinished line on the screen. */
void zvm_progress_draw(ZvmProgress *progress, const char *id, const ZvmStatus *status)
{
	if (!progress->enabled || progress->mid_line)
		return;
	const char *state = zvm_status_get(status, "state");
	double elapsed = (double)(g_get_monotonic_time() - progress->start) / G_USEC_PER_SEC;
	g_autofree char *input = format_input(status);
	g_autofree char *head = g_strdup_printf("zvm: job %s ", id);
	g_autofree char *tail =
	    g_strdup_printf(" %.1fs%s%s", elapsed, input ? " " : "", input ? input : "");
	const char *translating = zvm_status_get(status, "translating");
	g_autofree char *translating_text =
	    g_strcmp0(state, "compiling") == 0 && translating != NULL
		? g_strconcat("translating: ", translating, NULL)
		: NULL;
	const char *state_text = translating_text ? translating_text : state ? state : "?";
	int room = terminal_columns() - 1;
	g_autofree char *plain = g_strconcat(head, state_text, tail, NULL);
	if ((int)strlen(plain) > room) {
		/* Too narrow for colour pieces: the plain text, cut. */
		fprintf(stderr, "\r%.*s\033[K", MAX(room, 0), plain);
	} else {
		const char *colour = g_strcmp0(state, "running") == 0 ? "\033[36m" : "\033[33m";
		const char *dim = zvm_progress_sgr(progress, "\033[2m"),
			   *reset = zvm_progress_sgr(progress, "\033[0m");
		fprintf(stderr, "\r%s%s%s%s%s%s%s%s%s\033[K", dim, head, reset,
			zvm_progress_sgr(progress, colour), state_text, reset, dim, tail, reset);
	}
	progress->shown = TRUE;
}
