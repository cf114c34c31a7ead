/* SPDX-License-Identifier: Apache-2.0 */
/* Assertions shared by the bundle test files: extract both ways, then check the outcome. */
#pragma once

#include <sys/types.h>

#include "bundle.h"
#include "bundle-testutil.h"

extern const char test_manifest_text[];

/* Small bounds filled by hand (1 MiB contents, 4 MiB archive, 64 members, 200 bytes, 8 deep). */
void test_limits(ZvmLimits *limits);

/* An anonymous regular file holding @archive, positioned after @skip bytes of it. */
int test_archive_fd_at(GBytes *archive, gsize skip);

/* Extracts from a buffer and from a descriptor; each must refuse with exactly @message. */
void assert_refused_with(GBytes *archive, const ZvmLimits *limits, ZvmBundleError code,
			 const char *message);
void assert_refused(GBytes *archive, ZvmBundleError code, const char *message);
/* Extracts both ways; returns the buffer way's directory for the caller to inspect. */
TestDir *assert_extracts(GBytes *archive, const ZvmLimits *limits);

void assert_mode(const char *dir, const char *name, mode_t type, mode_t mode);
/* A regular file 0644 holding exactly @data. */
void assert_file(const char *dir, const char *name, const char *data, gsize size);

/* A tar holding just a manifest, then @name with @data. */
GBytes *manifest_and(const char *name, const char *data);

void test_bundle_add_limit_tests(void);
void test_bundle_add_name_tests(void);
