/* SPDX-License-Identifier: Apache-2.0 */
/*
 * For the mount's clients (zvm-client.h): a job's status file ("key value" lines, docs/gateway.md)
 * parsed in file order, and the progress line of `zvm submit --wait` and `zvm wait`: one line
 * on stderr, redrawn in place, only on a terminal (docs/zvm.1, PROGRESS).
 */
#pragma once

#include <glib.h>
#include <stdint.h>

/* One job's status: keys and values in file order. */
typedef struct {
	GPtrArray *keys;
	GPtrArray *values;
} ZvmStatus;

/* The progress line: one line on stderr, redrawn in place, only on a terminal. */
typedef struct {
	gboolean enabled;  /* stderr is a terminal, no --no-progress, TERM is not dumb */
	gboolean colour;   /* stderr is a terminal and NO_COLOR is unset or empty */
	gboolean shown;	   /* the line is on the screen now */
	gboolean mid_line; /* the program's last byte on the terminal was not a newline */
	gint64 start;	   /* monotonic time the client began waiting */
} ZvmProgress;

void zvm_status_parse(ZvmStatus *status, const char *text);
void zvm_status_clear(ZvmStatus *status);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(ZvmStatus, zvm_status_clear)
/* The value of @key, or NULL. */
const char *zvm_status_get(const ZvmStatus *status, const char *key);

/* Enabled when stderr is a terminal, @no_progress is FALSE and TERM is not dumb; colour when
 * stderr is a terminal and NO_COLOR is unset or empty. */
void zvm_progress_init(ZvmProgress *progress, gboolean no_progress);
/* @sequence (an SGR escape, "\033[1m") when colour is on, else "". */
const char *zvm_progress_sgr(const ZvmProgress *progress, const char *sequence);
/* Takes the line off the screen, before the program's output is written there. */
void zvm_progress_clear(ZvmProgress *progress);
/* Draws the line for @status in place: "zvm: job 42 running 3.2s input 1.0 MiB / 4.0 MiB
 * (25%)", cut to the terminal's width. Not while the program's output has an unfinished
 * line on the screen (mid_line). */
void zvm_progress_draw(ZvmProgress *progress, const char *id, const ZvmStatus *status);
