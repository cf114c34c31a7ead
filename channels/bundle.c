/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The bundle reader: takes a job's tar apart member by member, refuses whatever docs/spec.md §1 or
 * the operator's bounds do not allow, and writes the rest below a directory descriptor.
 */
#include "bundle.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "text.h"
#include "zvm-fd.h"

/* libarchive's read size on a descriptor: few syscalls for a large bundle, little memory. */
#define BUNDLE_READ_BLOCK (64 * 1024)
#define BUNDLE_MANIFEST "manifest"
#define BUNDLE_SYSMAP "boot/system.map"
#define BUNDLE_MANIFEST_MAX (512 * 1024)
/* Enough of a hostile name to recognise it in a message without flooding a log. */
#define BUNDLE_QUOTE_MAX 128
/* libarchive keeps ARCHIVE_ERRNO_FILE_FORMAT private: EFTYPE where it exists, else EILSEQ. */
#ifdef EFTYPE
#define BUNDLE_ERRNO_FILE_FORMAT EFTYPE
#else
#define BUNDLE_ERRNO_FILE_FORMAT EILSEQ
#endif

typedef struct archive BundleArchive;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(BundleArchive, archive_read_free)

typedef struct {
	struct archive *archive;
	const ZvmLimits *limits;
	ZvmBundleMemberBounds member_bounds; /* from @limits */
	int root_fd;
	uint64_t bytes_left; /* of bundle_max_bytes, counted as bytes are really written */
	uint32_t members;
} BundleReader;

/*
 * A member name as it may appear in a message: the archive controls it, so bytes that are not
 * printable UTF-8 are escaped the way g_strescape() does, and a long name is cut short.
 */
static char *bundle_quote(const char *name)
{
	GString *out = g_string_new(NULL);
	const char *p = name;

	while (*p != '\0') {
		gunichar c = g_utf8_get_char_validated(p, -1);
		const char *next;

		if (out->len >= BUNDLE_QUOTE_MAX) {
			g_string_append(out, "...");
			break;
		}
		if (c == (gunichar)-1 || c == (gunichar)-2) {
			g_string_append_printf(out, "\\%03o", (guchar)*p);
			p++;
			continue;
		}
		next = g_utf8_next_char(p);
		switch (c) {
		case '\b':
			g_string_append(out, "\\b");
			break;
		case '\f':
			g_string_append(out, "\\f");
			break;
		case '\n':
			g_string_append(out, "\\n");
			break;
		case '\r':
			g_string_append(out, "\\r");
			break;
		case '\t':
			g_string_append(out, "\\t");
			break;
		case '\v':
			g_string_append(out, "\\v");
			break;
		case '\\':
		case '\'':
			g_string_append_c(out, '\\');
			g_string_append_c(out, (char)c);
			break;
		default:
			if (g_unichar_isprint(c)) {
				g_string_append_len(out, p, next - p);
			} else {
				for (const char *q = p; q < next; q++)
					g_string_append_printf(out, "\\%03o", (guchar)*q);
			}
			break;
		}
		p = next;
	}
	return g_string_free(out, FALSE);
}

static void bundle_set_member_error(GError **error, ZvmBundleError code, const char *name,
				    const char *what)
{
	g_autofree char *quoted = bundle_quote(name);

	g_set_error(error, ZVM_BUNDLE_ERROR, code, "bundle: member '%s' %s", quoted, what);
}

/* A failed write, mkdir or create: a full disk is told apart because the user can act on it. */
static void bundle_set_io_error(GError **error, const char *name, int errsv)
{
	g_autofree char *quoted = bundle_quote(name);

	if (errsv == ENOSPC || errsv == EDQUOT)
		g_set_error(error, ZVM_BUNDLE_ERROR, ZVM_BUNDLE_ERROR_IO,
			    "bundle: no space left writing member '%s'", quoted);
	else
		g_set_error(error, ZVM_BUNDLE_ERROR, ZVM_BUNDLE_ERROR_IO,
			    "bundle: cannot write member '%s': %s", quoted, g_strerror(errsv));
}

/*
 * libarchive's own failure. A real errno from the read callback is an I/O error on the
 * archive; anything else is the archive's fault. Before the format is known ("not a tar"),
 * libarchive tags an unrecognised stream ARCHIVE_ERRNO_FILE_FORMAT.
 */
static void bundle_set_archive_error(GError **error, struct archive *archive, gboolean opening)
{
	int errsv = archive_errno(archive);
	const char *message = archive_error_string(archive);

	if (message == NULL)
		message = "unknown error";
	if (errsv > 0 && errsv != BUNDLE_ERRNO_FILE_FORMAT && errsv != EINVAL && errsv != ENOMEM)
		g_set_error(error, ZVM_BUNDLE_ERROR, ZVM_BUNDLE_ERROR_IO,
			    "bundle: cannot read the archive: %s", g_strerror(errsv));
	else if (opening && errsv == BUNDLE_ERRNO_FILE_FORMAT)
		g_set_error(error, ZVM_BUNDLE_ERROR, ZVM_BUNDLE_ERROR_FORMAT,
			    "bundle: not a tar archive (%s)", message);
	else
		g_set_error(error, ZVM_BUNDLE_ERROR, ZVM_BUNDLE_ERROR_FORMAT,
			    "bundle: damaged archive: %s", message);
}

static void bundle_set_size_error(GError **error, const char *what, uint64_t maximum)
{
	g_autofree char *size = zvm_format_size(maximum);

	g_set_error(error, ZVM_BUNDLE_ERROR, ZVM_BUNDLE_ERROR_TOO_LARGE,
		    "bundle: %s over the %s maximum", what, size);
}

/* Bytes taken from the archive itself, for input whose size was not known up front (a pipe). */
static gboolean bundle_check_archive_size(BundleReader *reader, GError **error)
{
	la_int64_t consumed = archive_filter_bytes(reader->archive, -1);

	if (consumed > 0 && (uint64_t)consumed > reader->limits->bundle_max_archive) {
		bundle_set_size_error(error, "the archive is", reader->limits->bundle_max_archive);
		return FALSE;
	}
	return TRUE;
}

/* A member whose path runs through a file the archive created earlier. */
static void bundle_set_clash_error(GError **error, const char *name, GPtrArray *components,
				   guint depth, gboolean whole_name)
{
	g_autoptr(GString) prefix = g_string_new(NULL);
	g_autofree char *quoted_prefix = NULL;
	g_autofree char *what = NULL;

	if (whole_name) {
		bundle_set_member_error(error, ZVM_BUNDLE_ERROR_DUPLICATE, name,
					"is both a file and a directory");
		return;
	}
	for (guint i = 0; i <= depth; i++) {
		if (i > 0)
			g_string_append_c(prefix, '/');
		g_string_append(prefix, components->pdata[i]);
	}
	quoted_prefix = bundle_quote(prefix->str);
	what = g_strdup_printf("goes through '%s', which is a file", quoted_prefix);
	bundle_set_member_error(error, ZVM_BUNDLE_ERROR_DUPLICATE, name, what);
}

/*
 * Opens the directory made of the first @n_dirs @components below the root, creating missing
 * levels 0755. Each step is relative to the previous descriptor and O_NOFOLLOW, so no name in
 * the archive can lead outside the root, whatever the tree already holds.
 * Returns: a descriptor the caller closes, or -1 with @error set.
 */
static int bundle_open_directory(BundleReader *reader, const char *name, GPtrArray *components,
				 guint n_dirs, gboolean whole_name, GError **error)
{
	g_auto(ZvmFd) dir = fcntl(reader->root_fd, F_DUPFD_CLOEXEC, 0);

	if (dir < 0) {
		bundle_set_io_error(error, name, errno);
		return -1;
	}
	for (guint i = 0; i < n_dirs; i++) {
		const char *component = components->pdata[i];
		gboolean created = mkdirat(dir, component, 0755) == 0;
		g_auto(ZvmFd) next = -1;

		if (!created && errno != EEXIST) {
			bundle_set_io_error(error, name, errno);
			return -1;
		}
		next = openat(dir, component, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0) {
			if (errno == ENOTDIR || errno == ELOOP)
				bundle_set_clash_error(error, name, components, i,
						       whole_name && i + 1 == n_dirs);
			else
				bundle_set_io_error(error, name, errno);
			return -1;
		}
		/* The umask must not take away what the unprivileged runner needs to read. */
		if (created && fchmod(next, 0755) != 0) {
			bundle_set_io_error(error, name, errno);
			return -1;
		}
		close(dir);
		dir = g_steal_fd(&next);
	}
	return g_steal_fd(&dir);
}

static int bundle_write_all(int fd, const char *data, size_t size)
{
	while (size > 0) {
		ssize_t written = write(fd, data, size);

		if (written < 0) {
			if (errno == EINTR)
				continue;
			return errno;
		}
		/* No progress and no errno: the file system has nowhere to put the bytes. */
		if (written == 0)
			return ENOSPC;
		data += written;
		size -= (size_t)written;
	}
	return 0;
}

/*
 * Copies the current member's data into a new file @leaf of @dir. The byte bound is charged
 * with what is really written, block by block, so neither a compression bomb nor a header
 * that lies about its size gets further than the bound.
 */
static gboolean bundle_write_file(BundleReader *reader, int dir, const char *leaf, const char *name,
				  GError **error)
{
	g_auto(ZvmFd) fd =
	    openat(dir, leaf, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
	la_int64_t expected = 0;
	int errsv;

	if (fd < 0) {
		struct stat st;

		errsv = errno;
		if (errsv != EEXIST) {
			bundle_set_io_error(error, name, errsv);
		} else if (fstatat(dir, leaf, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
			   S_ISDIR(st.st_mode)) {
			bundle_set_member_error(error, ZVM_BUNDLE_ERROR_DUPLICATE, name,
						"is both a file and a directory");
		} else {
			bundle_set_member_error(error, ZVM_BUNDLE_ERROR_DUPLICATE, name,
						"appears twice");
		}
		return FALSE;
	}
	if (fchmod(fd, 0644) != 0) {
		bundle_set_io_error(error, name, errno);
		return FALSE;
	}

	for (;;) {
		const void *block;
		size_t size;
		la_int64_t offset;
		int r = archive_read_data_block(reader->archive, &block, &size, &offset);

		if (r == ARCHIVE_EOF)
			break;
		if (r != ARCHIVE_OK) {
			bundle_set_archive_error(error, reader->archive, FALSE);
			return FALSE;
		}
		if (!bundle_check_archive_size(reader, error))
			return FALSE;
		/* A gap is a hole: only sparse members have them, and those are refused. */
		if (offset != expected) {
			bundle_set_member_error(
			    error, ZVM_BUNDLE_ERROR_UNSAFE, name,
			    "is a sparse file; sparse members are not supported");
			return FALSE;
		}
		if (size > reader->bytes_left) {
			bundle_set_size_error(error, "contents", reader->limits->bundle_max_bytes);
			return FALSE;
		}
		errsv = bundle_write_all(fd, block, size);
		if (errsv != 0) {
			bundle_set_io_error(error, name, errsv);
			return FALSE;
		}
		reader->bytes_left -= size;
		expected += (la_int64_t)size;
	}

	/* Quota and network file systems may report a full disk only here. */
	if (close(g_steal_fd(&fd)) != 0) {
		bundle_set_io_error(error, name, errno);
		return FALSE;
	}
	return TRUE;
}

static gboolean bundle_take_member(BundleReader *reader, struct archive_entry *entry,
				   GError **error)
{
	const char *name = archive_entry_pathname(entry);
	gboolean is_directory;
	la_int64_t size;
	g_autoptr(GError) problem = NULL;
	g_autoptr(GPtrArray) components = NULL;
	g_auto(ZvmFd) dir = -1;

	if (name == NULL)
		name = "";
	components = zvm_bundle_check_member(entry, &reader->member_bounds, &problem);
	if (components == NULL) {
		bundle_set_member_error(error, problem->code, name, problem->message);
		return FALSE;
	}

	/*
	 * Refuse early what the header alone shows is too big. A directory's size is charged
	 * too: libarchive decompresses such data (GNU dumpdir) to skip it.
	 */
	is_directory = archive_entry_filetype(entry) == AE_IFDIR;
	size = archive_entry_size_is_set(entry) ? archive_entry_size(entry) : 0;
	if (size > 0 && (uint64_t)size > reader->bytes_left) {
		bundle_set_size_error(error, "contents", reader->limits->bundle_max_bytes);
		return FALSE;
	}

	if (is_directory) {
		if (size > 0)
			reader->bytes_left -= (uint64_t)size;
		dir = bundle_open_directory(reader, name, components, components->len, TRUE, error);
		return dir >= 0;
	}
	if (components->len == 0) {
		bundle_set_member_error(error, ZVM_BUNDLE_ERROR_UNSAFE, name, "has an unsafe name");
		return FALSE;
	}
	dir = bundle_open_directory(reader, name, components, components->len - 1, FALSE, error);
	if (dir < 0)
		return FALSE;
	return bundle_write_file(reader, dir, components->pdata[components->len - 1], name, error);
}

static gboolean bundle_read_members(BundleReader *reader, GError **error)
{
	struct stat st;

	for (;;) {
		struct archive_entry *entry;
		int r = archive_read_next_header(reader->archive, &entry);

		if (r == ARCHIVE_EOF)
			break;
		/*
		 * A warning leaves a usable entry (a name libarchive could not convert to the
		 * locale keeps its raw bytes); every check below applies to it all the same.
		 */
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
			bundle_set_archive_error(error, reader->archive, FALSE);
			return FALSE;
		}
		/* Only the tar readers are registered; this holds if that ever changes. */
		if ((archive_format(reader->archive) & ARCHIVE_FORMAT_BASE_MASK) !=
		    ARCHIVE_FORMAT_TAR) {
			g_set_error(error, ZVM_BUNDLE_ERROR, ZVM_BUNDLE_ERROR_FORMAT,
				    "bundle: not a tar archive (%s)",
				    archive_format_name(reader->archive));
			return FALSE;
		}
		if (!bundle_check_archive_size(reader, error))
			return FALSE;
		if (reader->members >= reader->limits->bundle_max_members) {
			g_set_error(error, ZVM_BUNDLE_ERROR, ZVM_BUNDLE_ERROR_TOO_LARGE,
				    "bundle: more than %u members",
				    reader->limits->bundle_max_members);
			return FALSE;
		}
		reader->members++;
		if (!bundle_take_member(reader, entry, error))
			return FALSE;
	}

	if (reader->members == 0) {
		g_set_error_literal(error, ZVM_BUNDLE_ERROR, ZVM_BUNDLE_ERROR_FORMAT,
				    "bundle: empty archive");
		return FALSE;
	}
	/* A system map (sysmap.h) stands in for the manifest of a multi-node job. */
	if ((fstatat(reader->root_fd, BUNDLE_MANIFEST, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
	     !S_ISREG(st.st_mode)) &&
	    (fstatat(reader->root_fd, BUNDLE_SYSMAP, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
	     !S_ISREG(st.st_mode))) {
		g_set_error_literal(error, ZVM_BUNDLE_ERROR, ZVM_BUNDLE_ERROR_NO_MANIFEST,
				    "bundle: no file 'manifest' at the top level");
		return FALSE;
	}
	return TRUE;
}

/*
 * The one implementation behind both entry points: @open_source attaches the archive's bytes
 * (a descriptor or a buffer) to a reader that knows tar and the three compressions only.
 */
typedef int (*BundleOpenFunc)(struct archive *archive, gconstpointer source, gsize length);

static int bundle_open_fd(struct archive *archive, gconstpointer source, gsize length)
{
	return archive_read_open_fd(archive, *(const int *)source, BUNDLE_READ_BLOCK);
}

static int bundle_open_memory(struct archive *archive, gconstpointer source, gsize length)
{
	return archive_read_open_memory(archive, source, length);
}

static gboolean bundle_extract(BundleOpenFunc open_source, gconstpointer source, gsize length,
			       const char *dest_dir, const ZvmLimits *limits, GError **error)
{
	g_autoptr(BundleArchive) archive = archive_read_new();
	g_auto(ZvmFd) root_fd = -1;
	BundleReader reader = {
	    .limits = limits,
	    .member_bounds = {.max_name = limits->bundle_max_name,
			      .max_component = NAME_MAX,
			      .max_depth = limits->bundle_max_depth},
	    .bytes_left = limits->bundle_max_bytes,
	};

	if (archive == NULL) {
		g_set_error_literal(error, ZVM_BUNDLE_ERROR, ZVM_BUNDLE_ERROR_IO,
				    "bundle: cannot read the archive: out of memory");
		return FALSE;
	}
	/*
	 * A libarchive built without one of these libraries would run an external program
	 * on untrusted input instead; refuse rather than allow that. The "empty" format only
	 * recognises a stream of no bytes, so an empty upload is called empty, not "not a tar".
	 */
	if (archive_read_support_filter_gzip(archive) != ARCHIVE_OK ||
	    archive_read_support_filter_xz(archive) != ARCHIVE_OK ||
	    archive_read_support_filter_zstd(archive) != ARCHIVE_OK ||
	    archive_read_support_format_tar(archive) != ARCHIVE_OK ||
	    archive_read_support_format_gnutar(archive) != ARCHIVE_OK ||
	    archive_read_support_format_empty(archive) != ARCHIVE_OK) {
		g_set_error(
		    error, ZVM_BUNDLE_ERROR, ZVM_BUNDLE_ERROR_FORMAT,
		    "bundle: this libarchive cannot read tar, gzip, xz and zstd itself (%s)",
		    archive_error_string(archive));
		return FALSE;
	}

	root_fd = open(dest_dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (root_fd < 0) {
		int errsv = errno;

		g_set_error(error, ZVM_BUNDLE_ERROR, ZVM_BUNDLE_ERROR_IO,
			    "bundle: cannot open the destination %s: %s", dest_dir,
			    g_strerror(errsv));
		return FALSE;
	}

	if (open_source(archive, source, length) != ARCHIVE_OK) {
		bundle_set_archive_error(error, archive, TRUE);
		return FALSE;
	}
	reader.archive = archive;
	reader.root_fd = root_fd;
	return bundle_read_members(&reader, error);
}

gboolean zvm_bundle_extract(int fd, const char *dest_dir, const ZvmLimits *limits, GError **error)
{
	struct stat st;

	g_return_val_if_fail(fd >= 0, FALSE);
	g_return_val_if_fail(dest_dir != NULL && limits != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (fstat(fd, &st) != 0) {
		int errsv = errno;

		g_set_error(error, ZVM_BUNDLE_ERROR, ZVM_BUNDLE_ERROR_IO,
			    "bundle: cannot read the archive: %s", g_strerror(errsv));
		return FALSE;
	}
	/* A regular file is measured up front; a pipe is counted as it is read. */
	if (S_ISREG(st.st_mode)) {
		off_t position = lseek(fd, 0, SEEK_CUR);
		uint64_t remaining = (uint64_t)st.st_size;

		if (position > 0 && position <= st.st_size)
			remaining -= (uint64_t)position;
		if (remaining > limits->bundle_max_archive) {
			bundle_set_size_error(error, "the archive is", limits->bundle_max_archive);
			return FALSE;
		}
	}
	return bundle_extract(bundle_open_fd, &fd, 0, dest_dir, limits, error);
}

gboolean zvm_bundle_extract_buffer(const void *data, gsize length, const char *dest_dir,
				   const ZvmLimits *limits, GError **error)
{
	g_return_val_if_fail(data != NULL || length == 0, FALSE);
	g_return_val_if_fail(dest_dir != NULL && limits != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (length > limits->bundle_max_archive) {
		bundle_set_size_error(error, "the archive is", limits->bundle_max_archive);
		return FALSE;
	}
	/* libarchive wants a valid pointer even for no bytes. */
	if (data == NULL)
		data = "";
	return bundle_extract(bundle_open_memory, data, length, dest_dir, limits, error);
}

char *zvm_bundle_read_manifest(const char *bundle_dir, gsize *length, GError **error)
{
	g_auto(ZvmFd) dir = -1;
	g_auto(ZvmFd) fd = -1;
	g_autofree char *text = NULL;
	gsize used = 0;
	struct stat st;
	int errsv;

	g_return_val_if_fail(bundle_dir != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	dir = open(bundle_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0) {
		errsv = errno;
		g_set_error(error, ZVM_BUNDLE_ERROR, ZVM_BUNDLE_ERROR_IO,
			    "bundle: cannot open the bundle directory %s: %s", bundle_dir,
			    g_strerror(errsv));
		return NULL;
	}
	/* O_NONBLOCK: a fifo planted in its place must not hang the caller. */
	fd =
	    openat(dir, BUNDLE_MANIFEST, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		errsv = errno;
		if (errsv == ENOENT || errsv == ELOOP)
			g_set_error_literal(error, ZVM_BUNDLE_ERROR, ZVM_BUNDLE_ERROR_NO_MANIFEST,
					    "bundle: no file 'manifest' at the top level");
		else
			g_set_error(error, ZVM_BUNDLE_ERROR, ZVM_BUNDLE_ERROR_IO,
				    "bundle: cannot open the manifest: %s", g_strerror(errsv));
		return NULL;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		g_set_error_literal(error, ZVM_BUNDLE_ERROR, ZVM_BUNDLE_ERROR_NO_MANIFEST,
				    "bundle: no file 'manifest' at the top level");
		return NULL;
	}

	/* One byte more than the bound tells "over" apart from "exactly at". */
	text = g_malloc(BUNDLE_MANIFEST_MAX + 1);
	while (used <= BUNDLE_MANIFEST_MAX) {
		ssize_t n = read(fd, text + used, BUNDLE_MANIFEST_MAX + 1 - used);

		if (n < 0) {
			errsv = errno;
			if (errsv == EINTR)
				continue;
			g_set_error(error, ZVM_BUNDLE_ERROR, ZVM_BUNDLE_ERROR_IO,
				    "bundle: cannot read the manifest: %s", g_strerror(errsv));
			return NULL;
		}
		if (n == 0)
			break;
		used += (gsize)n;
	}
	if (used > BUNDLE_MANIFEST_MAX) {
		g_autofree char *size = zvm_format_size(BUNDLE_MANIFEST_MAX);

		g_set_error(error, ZVM_BUNDLE_ERROR, ZVM_BUNDLE_ERROR_TOO_LARGE,
			    "bundle: manifest is over %s", size);
		return NULL;
	}
	text[used] = '\0';
	if (length != NULL)
		*length = used;
	return g_realloc(g_steal_pointer(&text), used + 1);
}
