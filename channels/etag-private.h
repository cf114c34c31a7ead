/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Test hooks of etag.c, for tests/channels/manifest/test-etag.c only (nothing else includes this).
 */
#pragma once

#include <glib.h>

/* TRUE when this CPU gives SHA-256 etags the SHA extensions (x86-64 SHA-NI). */
gboolean zvm_etag_sha_ni_available(void);

/* With TRUE, SHA-256 etags made from now on use the portable C code even where the SHA
 * extensions are available; FALSE restores the choice by CPU. Etags already made keep theirs. */
void zvm_etag_force_portable(gboolean portable);
