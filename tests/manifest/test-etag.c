/* SPDX-License-Identifier: Apache-2.0 */
/* channels/etag.c: the same digests as GChecksum (which reports used before), in pieces and
 * whole, and a digest in the middle leaves the running one going on. */
#include <glib.h>

#include "etag.h"

static void check_algorithm(ZvmEtagAlgorithm algorithm)
{
	g_autofree guint8 *data = g_malloc(200000);
	for (gsize i = 0; i < 200000; i++)
		data[i] = (guint8)(i * 7 + i / 251);
	g_autoptr(GChecksum) reference = g_checksum_new((GChecksumType)algorithm);
	g_autoptr(ZvmEtag) etag = zvm_etag_new(algorithm);
	g_autofree char *empty = zvm_etag_hex(etag);
	g_assert_cmpstr(empty, ==, g_checksum_get_string(reference));
	g_checksum_free(g_steal_pointer(&reference));
	reference = g_checksum_new((GChecksumType)algorithm);
	/* Uneven pieces, across every block boundary. */
	gsize done = 0, piece = 1;
	while (done < 200000) {
		gsize n = MIN(piece, 200000 - done);
		zvm_etag_update(etag, data + done, n);
		g_checksum_update(reference, data + done, (gssize)n);
		done += n;
		piece = piece * 3 + 1;
		if (done > 1000 && done < 5000) {
			g_autofree char *middle = zvm_etag_hex(etag);
			g_autoptr(GChecksum) copy = g_checksum_copy(reference);
			g_assert_cmpstr(middle, ==, g_checksum_get_string(copy));
		}
	}
	g_autofree char *whole = zvm_etag_hex(etag);
	g_assert_cmpstr(whole, ==, g_checksum_get_string(reference));
	g_autofree char *once = zvm_etag_hex_of(algorithm, data, 200000);
	g_assert_cmpstr(once, ==, whole);
}

static void test_md5(void)
{
	check_algorithm(ZVM_ETAG_MD5);
}

static void test_sha1(void)
{
	check_algorithm(ZVM_ETAG_SHA1);
}

static void test_sha256(void)
{
	check_algorithm(ZVM_ETAG_SHA256);
	g_autofree char *abc = zvm_etag_hex_of(ZVM_ETAG_SHA256, "abc", 3);
	g_assert_cmpstr(abc, ==,
			"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/etag/md5", test_md5);
	g_test_add_func("/etag/sha1", test_sha1);
	g_test_add_func("/etag/sha256", test_sha256);
	return g_test_run();
}
