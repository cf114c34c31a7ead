/* SPDX-License-Identifier: Apache-2.0 */
/*
 * User text in messages: whether a person can read it back, and how the manifest, nvram and
 * image readers quote it. Header-only because the fuzz targets of tests/channels/manifest and
 * tests/channels/bundle compile channels/ sources by name: these few lines need no change to their
 * builds.
 */
#pragma once

#include <glib.h>

/* TRUE when the UTF-8 @utf8 holds a control character (Unicode Cc: C0, DEL, C1). */
static inline gboolean zvm_text_has_control(const char *utf8)
{
	for (const char *p = utf8; *p != '\0'; p = g_utf8_next_char(p)) {
		if (g_unichar_iscntrl(g_utf8_get_char(p)))
			return TRUE;
	}
	return FALSE;
}

/* Text a person can read back: valid UTF-8 without control characters. */
static inline gboolean zvm_text_is_readable(const char *text)
{
	return g_utf8_validate(text, -1, NULL) && !zvm_text_has_control(text);
}

/*
 * @text as it may appear in a message: as written when it is readable, else the whole of it
 * g_strescape()d, so that a message stays one line. Returns: a new string.
 */
static inline char *zvm_text_escape(const char *text)
{
	return zvm_text_is_readable(text) ? g_strdup(text) : g_strescape(text, NULL);
}

/*
 * zvm_text_escape(@text) in at most @max_chars characters (@max_chars > 3): when longer, the
 * first @max_chars - 3 followed by "...". Returns: a new string.
 */
static inline char *zvm_text_quote(const char *text, guint max_chars)
{
	char *quoted = zvm_text_escape(text);

	if (g_utf8_strlen(quoted, -1) > (glong)max_chars) {
		g_autofree char *cut = g_utf8_substring(quoted, 0, max_chars - 3);

		g_free(quoted);
		quoted = g_strconcat(cut, "...", NULL);
	}
	return quoted;
}
