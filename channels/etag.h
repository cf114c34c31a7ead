/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Running digests for etags (channels, /dev/memory): MD5, SHA-1 or SHA-256 through nettle,
 * whose SHA-256 uses the CPU's SHA extensions where there are some (about eight times glib's
 * GChecksum, which made etag-on streaming hash-bound). Digests are lowercase hex, as
 * GChecksum's were, so reports do not change.
 */
#pragma once

#include <glib.h>

#include "zvm-limits.h"

typedef struct _ZvmEtag ZvmEtag;

ZvmEtag *zvm_etag_new(ZvmEtagAlgorithm algorithm);
void zvm_etag_free(ZvmEtag *etag);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ZvmEtag, zvm_etag_free)

void zvm_etag_update(ZvmEtag *etag, const void *data, size_t length);

/* Hex digest of everything so far; the running digest goes on (free with g_free). */
char *zvm_etag_hex(const ZvmEtag *etag);

/* The hex digest of @length bytes at @data, in one call. */
char *zvm_etag_hex_of(ZvmEtagAlgorithm algorithm, const void *data, size_t length);
