/* SPDX-License-Identifier: Apache-2.0 */
/* Names a job uses (names.h): bundle members, outputs and channel aliases. */
#include "names.h"

#include <string.h>

#include "text.h"

#define MEMBER_NAME_MAX 1024
#define ALIAS_MAX 255

/* Checks the components of a relative path; NULL when they are normalised. */
static const char *components_problem(const char *path)
{
	const char *component = path;
	for (;;) {
		const char *slash = strchr(component, '/');
		size_t length = slash ? (size_t)(slash - component) : strlen(component);
		if (length == 0)
			return slash ? "it has an empty component" : "it ends with '/'";
		if (length == 1 && component[0] == '.')
			return "it has a '.' component";
		if (length == 2 && component[0] == '.' && component[1] == '.')
			return "it has a '..' component";
		if (slash == NULL)
			return NULL;
		component = slash + 1;
	}
}

/* The rules shared by bundle members, outputs and the program; NULL when @name passes. A
 * leading '/' is the caller's to word, since what it means differs by use. */
const char *zvm_name_problem(const char *name)
{
	if (*name == '\0')
		return "it is empty";
	if (*name == '/')
		return "it is absolute";
	if (strlen(name) > MEMBER_NAME_MAX)
		return "it is longer than 1024 bytes";
	if (!g_utf8_validate(name, -1, NULL))
		return "it is not valid UTF-8";
	if (zvm_text_has_control(name))
		return "it contains a control character";
	return components_problem(name);
}

/* Job-directory entries that an output would shadow (docs/spec.md §5); stdout and stderr are
 * outputs themselves. */
gboolean zvm_output_name_is_reserved(const char *name)
{
	static const char *const reserved[] = {"status",     "manifest", "report",
					       "accounting", "wait",	 "ctl"};
	size_t length = strcspn(name, "/");
	for (size_t i = 0; i < G_N_ELEMENTS(reserved); i++) {
		if (strlen(reserved[i]) == length && strncmp(name, reserved[i], length) == 0)
			return TRUE;
	}
	return FALSE;
}

gboolean zvm_member_name_is_valid(const char *name)
{
	return name != NULL && zvm_name_problem(name) == NULL;
}

gboolean zvm_output_name_is_valid(const char *name)
{
	return name != NULL && zvm_name_problem(name) == NULL && !zvm_output_name_is_reserved(name);
}

const char *zvm_alias_problem(const char *alias)
{
	if (!g_str_has_prefix(alias, "/dev/"))
		return "it must start with /dev/";
	if (strlen(alias) > ALIAS_MAX)
		return "it is longer than 255 bytes";
	for (const char *p = alias; *p; p++) {
		if (*p <= ' ' || *p > '~')
			return "it may hold only printable ASCII without spaces";
	}
	if (alias[5] == '\0')
		return "it names nothing after /dev/";
	return components_problem(alias + 5);
}
