/* SPDX-License-Identifier: Apache-2.0 */
/*
 * channels/etag.c: the same digests as GChecksum (which reports used before), in pieces and
 * whole, and a digest in the middle leaves the running one going on. SHA-256 is etag.c's own,
 * with two compression functions: every SHA-256 case runs on both, the portable C one forced
 * through etag-private.h's hook (the SHA-NI cases skip on a CPU without the extensions). An
 * etag with a worker thread digests as one without, whatever the pieces.
 *
 *   test-etag --bench [MIB]   no tests: SHA-256 throughput of the portable code, SHA-NI and
 *                             GChecksum over MIB MiB (default 256), in MB/s of CPU time
 */
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <glib.h>

#include "etag.h"
#include "etag-private.h"

#define MIB ((gsize)1 << 20)

/* Which SHA-256 path a test case runs on, for the whole case. */
typedef enum {
	PATH_PORTABLE,
	PATH_SHA_NI,
} Path;

static gboolean use_path(Path path)
{
	if (path == PATH_SHA_NI && !zvm_etag_sha_ni_available()) {
		g_test_skip("this CPU has no SHA extensions");
		return FALSE;
	}
	zvm_etag_force_portable(path == PATH_PORTABLE);
	return TRUE;
}

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

/* FIPS 180-4's examples (NIST's SHA256.pdf, SHA256ShortMsg/LongMsg) and the million 'a's. */
static void test_sha256_vectors(gconstpointer user_data)
{
	if (!use_path(GPOINTER_TO_INT(user_data)))
		return;
	static const struct {
		const char *message;
		const char *digest;
	} vectors[] = {
	    {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
	    {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
	    {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	     "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
	    {"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopq"
	     "klmnopqrlmnopqrsmnopqrstnopqrstu",
	     "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"},
	};
	for (gsize i = 0; i < G_N_ELEMENTS(vectors); i++) {
		g_autofree char *hex = zvm_etag_hex_of(ZVM_ETAG_SHA256, vectors[i].message,
						       strlen(vectors[i].message));
		g_assert_cmpstr(hex, ==, vectors[i].digest);
		/* Byte by byte, the same. */
		g_autoptr(ZvmEtag) etag = zvm_etag_new(ZVM_ETAG_SHA256);
		for (const char *p = vectors[i].message; *p; p++)
			zvm_etag_update(etag, p, 1);
		g_autofree char *bytewise = zvm_etag_hex(etag);
		g_assert_cmpstr(bytewise, ==, vectors[i].digest);
	}
	/* A million 'a's: whole, and in pieces of 1000 as the test is usually worded. */
	g_autofree char *a = g_malloc(1000000);
	memset(a, 'a', 1000000);
	g_autofree char *million = zvm_etag_hex_of(ZVM_ETAG_SHA256, a, 1000000);
	g_assert_cmpstr(million, ==,
			"cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	g_autoptr(ZvmEtag) etag = zvm_etag_new(ZVM_ETAG_SHA256);
	for (int i = 0; i < 1000; i++)
		zvm_etag_update(etag, a, 1000);
	g_autofree char *pieces = zvm_etag_hex(etag);
	g_assert_cmpstr(pieces, ==, million);
	zvm_etag_force_portable(FALSE);
}

static void test_sha256_pieces(gconstpointer user_data)
{
	if (!use_path(GPOINTER_TO_INT(user_data)))
		return;
	check_algorithm(ZVM_ETAG_SHA256);
	zvm_etag_force_portable(FALSE);
}

/* @length bytes of @data fed to an etag in random pieces (some empty, most short, a few long)
 * digest as GChecksum does with the bytes whole; so does a digest taken halfway. */
static void check_random_pieces(GRand *rand, const guint8 *data, gsize length)
{
	g_autoptr(ZvmEtag) etag = zvm_etag_new(ZVM_ETAG_SHA256);
	g_autoptr(GChecksum) reference = g_checksum_new(G_CHECKSUM_SHA256);
	gsize done = 0, half = length / 2;
	gboolean halfway = FALSE;
	while (done < length) {
		gsize n;
		switch (g_rand_int_range(rand, 0, 4)) {
		case 0:
			n = (gsize)g_rand_int_range(rand, 0, 3);
			break;
		case 1:
			n = (gsize)g_rand_int_range(rand, 1, 130);
			break;
		case 2:
			n = 64 * (gsize)g_rand_int_range(rand, 1, 5);
			break;
		default:
			n = (gsize)g_rand_int_range(rand, 1,
						    (gint32)MIN(length, (gsize)G_MAXINT32 - 1) + 2);
			break;
		}
		n = MIN(n, length - done);
		if (!halfway && done + n > half) {
			n = half - done;
			halfway = TRUE;
			zvm_etag_update(etag, data + done, n);
			g_checksum_update(reference, data + done, (gssize)n);
			done += n;
			g_autofree char *middle = zvm_etag_hex(etag);
			g_autoptr(GChecksum) copy = g_checksum_copy(reference);
			g_assert_cmpstr(middle, ==, g_checksum_get_string(copy));
			continue;
		}
		zvm_etag_update(etag, data + done, n);
		g_checksum_update(reference, data + done, (gssize)n);
		done += n;
	}
	g_autofree char *hex = zvm_etag_hex(etag);
	g_assert_cmpstr(hex, ==, g_checksum_get_string(reference));
	g_autofree char *once = zvm_etag_hex_of(ZVM_ETAG_SHA256, data, length);
	g_assert_cmpstr(once, ==, hex);
}

static guint8 *random_bytes(GRand *rand, gsize length)
{
	guint8 *data = g_malloc(length + 1);
	for (gsize i = 0; i < length; i += 4) {
		guint32 word = g_rand_int(rand);
		memcpy(data + i, &word, MIN(4, length - i));
	}
	return data;
}

/* Every length up to 300 (all the padding cases, one to five blocks), three chunkings each,
 * and some MiB sizes around block boundaries; the data starts at odd addresses too. */
static void test_sha256_random(gconstpointer user_data)
{
	if (!use_path(GPOINTER_TO_INT(user_data)))
		return;
	g_autoptr(GRand) rand = g_rand_new_with_seed(0x5a256);
	g_autofree guint8 *small = random_bytes(rand, 301);
	for (gsize length = 0; length <= 300; length++)
		for (int round = 0; round < 3; round++)
			check_random_pieces(rand, small + (round == 2), length);
	static const gsize big[] = {MIB, 3 * MIB + 17, 8 * MIB - 1, 16 * MIB + 64};
	for (gsize i = 0; i < G_N_ELEMENTS(big); i++) {
		g_autofree guint8 *data = random_bytes(rand, big[i] + 1);
		check_random_pieces(rand, data, big[i]);
		check_random_pieces(rand, data + 1, big[i]);
	}
	zvm_etag_force_portable(FALSE);
}

/* --- Workers ------------------------------------------------------------------------------ */

/* Feeds @n bytes at @data to @sync (hashing on this thread) and @async (with a worker). */
static void feed_both(ZvmEtag *sync, ZvmEtag *async, const guint8 *data, gsize n)
{
	zvm_etag_update(sync, data, n);
	zvm_etag_update(async, data, n);
}

static void assert_same(ZvmEtag *sync, ZvmEtag *async)
{
	g_autofree char *expected = zvm_etag_hex(sync);
	g_autofree char *got = zvm_etag_hex(async);
	g_assert_cmpstr(got, ==, expected);
}

/* The same pieces to an etag without a worker and one with: the same digests midway and at
 * the end, and the one-shot digest of the whole. The pieces: empty, one byte, a chunk
 * exactly, more than the ring in one call, thousands of tiny ones, then random sizes. */
static void test_worker(gconstpointer user_data)
{
	ZvmEtagAlgorithm algorithm = GPOINTER_TO_INT(user_data);
	const gsize ring = ZVM_ETAG_WORKER_CHUNKS * ZVM_ETAG_WORKER_CHUNK;
	const gsize length = 2 * ring + ZVM_ETAG_WORKER_CHUNK / 2 + 13;
	g_autoptr(GRand) rand = g_rand_new_with_seed(0xe7a6 + algorithm);
	g_autofree guint8 *data = random_bytes(rand, length);
	g_autoptr(ZvmEtag) sync = zvm_etag_new(algorithm);
	g_autoptr(ZvmEtag) async = zvm_etag_new(algorithm);
	g_autoptr(GError) error = NULL;
	g_assert_true(zvm_etag_start_worker(async, &error));
	g_assert_no_error(error);
	g_assert_true(zvm_etag_start_worker(async, NULL));
	assert_same(sync, async);

	const gsize firsts[] = {0, 1, ZVM_ETAG_WORKER_CHUNK, ring + 1};
	gsize done = 0;
	for (gsize i = 0; i < G_N_ELEMENTS(firsts); i++) {
		feed_both(sync, async, data + done, firsts[i]);
		done += firsts[i];
		assert_same(sync, async);
	}
	for (int i = 0; i < 20000; i++) {
		gsize n = (gsize)g_rand_int_range(rand, 0, 4);
		feed_both(sync, async, data + done, n);
		done += n;
	}
	assert_same(sync, async);
	while (done < length) {
		gsize n = (gsize)g_rand_int_range(rand, 0, 2 * ZVM_ETAG_WORKER_CHUNK);
		n = MIN(n, length - done);
		feed_both(sync, async, data + done, n);
		done += n;
		if (g_rand_int_range(rand, 0, 4) == 0)
			assert_same(sync, async);
	}
	assert_same(sync, async);
	g_autofree char *once = zvm_etag_hex_of(algorithm, data, length);
	g_autofree char *whole = zvm_etag_hex(async);
	g_assert_cmpstr(whole, ==, once);
}

/* An etag freed with bytes in its worker's ring (none, some, every chunk full and more
 * waiting) ends its thread cleanly. */
static void test_worker_free_pending(void)
{
	g_autofree guint8 *data = g_malloc0((ZVM_ETAG_WORKER_CHUNKS + 2) * ZVM_ETAG_WORKER_CHUNK);
	for (int round = 0; round <= 8 * (ZVM_ETAG_WORKER_CHUNKS + 1); round++) {
		g_autoptr(ZvmEtag) etag = zvm_etag_new(ZVM_ETAG_SHA256);
		g_assert_true(zvm_etag_start_worker(etag, NULL));
		zvm_etag_update(etag, data, (gsize)round * (ZVM_ETAG_WORKER_CHUNK / 8) + 7);
	}
}

/* Without memory for a ring the worker does not start: the etag says why and goes on hashing
 * on the caller's thread, with the same digest. (In a subprocess: it lowers its address-space
 * limit to what it already has, which AddressSanitizer's shadow would not survive.) */
static void test_worker_cannot_start(void)
{
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
	g_test_skip("a sanitizer's shadow needs more address space than the limit leaves");
	return;
#endif
	if (g_test_subprocess()) {
		g_autofree char *statm = NULL;
		g_assert_true(g_file_get_contents("/proc/self/statm", &statm, NULL, NULL));
		struct rlimit limit = {.rlim_max = RLIM_INFINITY};
		limit.rlim_cur = g_ascii_strtoull(statm, NULL, 10) * (rlim_t)sysconf(_SC_PAGESIZE) +
				 ZVM_ETAG_WORKER_CHUNK;
		g_assert_cmpint(setrlimit(RLIMIT_AS, &limit), ==, 0);
		g_autoptr(ZvmEtag) etag = zvm_etag_new(ZVM_ETAG_SHA256);
		g_autoptr(GError) error = NULL;
		g_assert_false(zvm_etag_start_worker(etag, &error));
		g_assert_error(error, G_FILE_ERROR, G_FILE_ERROR_NOMEM);
		zvm_etag_update(etag, "abc", 3);
		g_autofree char *hex = zvm_etag_hex(etag);
		g_assert_cmpstr(hex, ==,
				"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
		return;
	}
	g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
	g_test_trap_assert_passed();
}

/* --- --bench ------------------------------------------------------------------------------ */

/* Seconds of CPU time of this process: the machine may be busy with other work. */
static double cpu_seconds(void)
{
	struct timespec now;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
	return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

static double bench_one(ZvmEtag *etag, GChecksum *checksum, const guint8 *data, gsize length)
{
	double start = cpu_seconds();
	/* In 1 MiB pieces, as a channel's writes come. */
	for (gsize done = 0; done < length; done += MIB) {
		if (etag)
			zvm_etag_update(etag, data + done, MIN(MIB, length - done));
		else
			g_checksum_update(checksum, data + done, (gssize)MIN(MIB, length - done));
	}
	g_autofree char *hex =
	    etag ? zvm_etag_hex(etag) : g_strdup(g_checksum_get_string(checksum));
	double seconds = cpu_seconds() - start;
	g_print("  %s\n", hex);
	return (double)length / seconds / 1e6;
}

static int bench(gsize mib)
{
	gsize length = mib * MIB;
	g_autoptr(GRand) rand = g_rand_new_with_seed(1);
	g_autofree guint8 *data = random_bytes(rand, length);
	g_print("SHA-256 over %zu MiB, in 1 MiB pieces:\n", mib);
	zvm_etag_force_portable(TRUE);
	g_autoptr(ZvmEtag) portable = zvm_etag_new(ZVM_ETAG_SHA256);
	double rate = bench_one(portable, NULL, data, length);
	g_print("portable C   %8.1f MB/s\n", rate);
	zvm_etag_force_portable(FALSE);
	if (zvm_etag_sha_ni_available()) {
		g_autoptr(ZvmEtag) sha_ni = zvm_etag_new(ZVM_ETAG_SHA256);
		rate = bench_one(sha_ni, NULL, data, length);
		g_print("SHA-NI       %8.1f MB/s\n", rate);
	} else {
		g_print("SHA-NI       (this CPU has no SHA extensions)\n");
	}
	g_autoptr(GChecksum) checksum = g_checksum_new(G_CHECKSUM_SHA256);
	rate = bench_one(NULL, checksum, data, length);
	g_print("GChecksum    %8.1f MB/s\n", rate);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "--bench") == 0)
		return bench(argc >= 3 ? (gsize)g_ascii_strtoull(argv[2], NULL, 10) : 256);
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/etag/md5", test_md5);
	g_test_add_func("/etag/sha1", test_sha1);
	static const struct {
		const char *name;
		Path path;
	} paths[] = {{"portable", PATH_PORTABLE}, {"sha-ni", PATH_SHA_NI}};
	for (gsize i = 0; i < G_N_ELEMENTS(paths); i++) {
		g_autofree char *vectors =
		    g_strdup_printf("/etag/sha256/%s/vectors", paths[i].name);
		g_autofree char *pieces = g_strdup_printf("/etag/sha256/%s/pieces", paths[i].name);
		g_autofree char *random = g_strdup_printf("/etag/sha256/%s/random", paths[i].name);
		g_test_add_data_func(vectors, GINT_TO_POINTER(paths[i].path), test_sha256_vectors);
		g_test_add_data_func(pieces, GINT_TO_POINTER(paths[i].path), test_sha256_pieces);
		g_test_add_data_func(random, GINT_TO_POINTER(paths[i].path), test_sha256_random);
	}
	static const struct {
		const char *name;
		ZvmEtagAlgorithm algorithm;
	} algorithms[] = {
	    {"md5", ZVM_ETAG_MD5}, {"sha1", ZVM_ETAG_SHA1}, {"sha256", ZVM_ETAG_SHA256}};
	for (gsize i = 0; i < G_N_ELEMENTS(algorithms); i++) {
		g_autofree char *name = g_strdup_printf("/etag/worker/%s", algorithms[i].name);
		g_test_add_data_func(name, GINT_TO_POINTER(algorithms[i].algorithm), test_worker);
	}
	g_test_add_func("/etag/worker/free-pending", test_worker_free_pending);
	g_test_add_func("/etag/worker/cannot-start", test_worker_cannot_start);
	return g_test_run();
}
