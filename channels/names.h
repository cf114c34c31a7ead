/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Names a job uses: bundle members (the program, readable channels, data: paths), outputs in
 * the job directory and channel aliases. The rules are docs/spec.md §1 and §2's; each problem is a
 * phrase for a message ("it has a '..' component"), NULL when the name passes.
 */
#pragma once

#include <glib.h>

/* The rules shared by bundle members, outputs and the program (at most 1024 bytes, UTF-8,
 * no control characters, relative and normalised). */
const char *zvm_name_problem(const char *name);

/* A channel alias: /dev/ then a normalised path of printable ASCII, at most 255 bytes. */
const char *zvm_alias_problem(const char *alias);

/* TRUE when @name's first component is a job-directory entry that an output would shadow
 * (status, manifest, report, accounting, wait, ctl; docs/spec.md §5). */
gboolean zvm_output_name_is_reserved(const char *name);

/* TRUE when @name may name a member of a bundle (the program, a readable channel): a relative,
 * normalised path with no "..", no empty or dot components, readable UTF-8. */
gboolean zvm_member_name_is_valid(const char *name);

/* TRUE when @name may be an output file of a job: a relative, normalised path with no
 * "..", no empty or dot components, not a reserved job-directory name (status, report, ...). */
gboolean zvm_output_name_is_valid(const char *name);
