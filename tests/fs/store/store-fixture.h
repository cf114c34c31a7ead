/* SPDX-License-Identifier: Apache-2.0 */
/* The store tests' shared fixture: a scratch state directory, a store over it, bundles. */
#pragma once

#include <glib.h>
#include <sys/types.h>

#include "../../../fs/common/state-file.h"
#include "../../../fs/store/store.h"

typedef struct {
	char *dir;
	ZvmLimits limits;
	ZvmSandboxConfig sandbox;
	ZvmStoreRetention retention;
	ZvmStore *store;
} Fixture;

/* A scratch directory (f->dir) and small bundle limits; no store until open_store(). */
void fixture_setup(Fixture *f, gconstpointer data);
/* Frees the store and removes the scratch directory. */
void fixture_teardown(Fixture *f, gconstpointer data);
/* @relative inside the state directory (f->dir/state). */
char *state_path(Fixture *f, const char *relative);
/* Opens (again) the store over the state directory, as a restart does. */
void open_store(Fixture *f);

/* A staging file holding a tar of the NULL-terminated name, content pairs. */
int make_bundle(Fixture *f, const char *first_name, ...);
/* A staging file holding @length raw @bytes. */
int make_bytes(Fixture *f, const char *bytes, gsize length);
/* Submits a bundle of @manifest and a stub program; returns the id (0 when not recorded). */
guint64 submit_manifest(Fixture *f, const char *manifest, GError **error);

ZvmStoreState job_state(ZvmStore *store, guint64 id);
char *read_text(const char *path);
/* @relative inside job @id's directory. */
char *job_file(Fixture *f, guint64 id, const char *relative);
mode_t mode_of(const char *path);
