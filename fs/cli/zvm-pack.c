/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `zvm pack`: makes a job bundle from a .nexe and its arguments the way zvsh made a manifest
 * (reference §5.3): standard channels, @file arguments as packed random read-only channels,
 * KEY=VALUE as [env], tar images, scratch and output directories in [fstab], output channels;
 * checks the manifest and the
 * nvram with the engine's own parsers, then writes a deterministic tar.
 */
#include <archive.h>
#include <archive_entry.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "manifest.h"
#include "nvram.h"
#include "zvm-commands.h"
#include "zvm-limits.h"

#define PACK_DEFAULT_MEMORY ((uint64_t)64 << 20)
#define PACK_DEFAULT_TIMEOUT 10u
#define PACK_DEFAULT_READS 4294967296LL	     /* zvsh's limit */
#define PACK_DEFAULT_WRITE_SIZE 1073741824LL /* within the default maxima of zvm-limits.c */

typedef struct {
	char *member; /* name inside the bundle */
	char *path;   /* host file, or NULL when @data holds the bytes */
	GBytes *data;
} PackMember;

typedef struct {
	uint64_t memory;
	uint32_t timeout;
	int64_t limits[ZVM_LIMIT_COUNT]; /* -1: the default for the direction */
	const char *stdin_path;
	const char *bundle_path;
	gboolean manifest_only;
	GPtrArray *env;		/* "K=V" */
	GPtrArray *images;	/* "TAR[,MOUNTPOINT]" */
	GPtrArray *outputs;	/* job output names */
	GPtrArray *scratch;	/* mount points of scratch directories */
	GPtrArray *output_dirs; /* "DIR[,NAME]": output directories saved as tars */
} PackOptions;

/* What is being built: the bundle's members and the two generated texts. */
typedef struct {
	GPtrArray *members; /* PackMember* */
	GString *manifest;
	GString *nvram;
	const int64_t *limits; /* PackOptions.limits */
} PackJob;

static void pack_member_free(PackMember *member)
{
	if (!member)
		return;
	g_free(member->member);
	g_free(member->path);
	if (member->data)
		g_bytes_unref(member->data);
	g_free(member);
}

static void pack_usage(FILE *out)
{
	fputs("Usage: zvm pack [OPTION...] [KEY=VALUE...] PROGRAM.nexe [ARG...]\n"
	      "Makes a job bundle (tar) that runs PROGRAM with ARGs, as zvsh did.\n"
	      "  -o FILE              the bundle (default: PROGRAM without .nexe, plus .tar)\n"
	      "  --manifest-only      print the manifest; write nothing\n"
	      "  --memory BYTES       memory (K, M, G suffixes; default 64M)\n"
	      "  --timeout SECONDS    default 10\n"
	      "  --stdin FILE         packed into the bundle as /dev/stdin (default /dev/null)\n"
	      "  --env KEY=VALUE      an environment variable ([env] in /dev/nvram); KEY=VALUE\n"
	      "                       before PROGRAM means the same\n"
	      "  --image TAR[,DIR]    packs TAR as /dev/image.N.tar, unpacked at DIR (default /)\n"
	      "  --output NAME        a sequential write channel /dev/<basename of NAME> that\n"
	      "                       writes the job's output file NAME (type 0)\n"
	      "  --scratch DIR        a writable in-memory directory at DIR, gone after the job\n"
	      "                       ([fstab] access=rw; its bytes count against --memory)\n"
	      "  --output-dir DIR[,NAME]\n"
	      "                       a writable directory at DIR saved when the program ends\n"
	      "                       as the tar NAME among the job's outputs (default: DIR's\n"
	      "                       basename plus .tar; [fstab] access=wo), within the\n"
	      "                       write limits\n"
	      "  --limit gets=N,get_size=N,puts=N,put_size=N\n"
	      "                       limits of every channel (defaults: reads 4294967296,\n"
	      "                       writes puts 4294967296, put_size 1073741824)\n"
	      "An argument @FILE packs FILE as channel /dev/N.<basename> (random read-only) and\n"
	      "is passed as that name: a job has no host paths when it runs, so files the program\n"
	      "writes must be --output files. stdout and stderr go to the job files stdout and\n"
	      "stderr. /dev/nvram holds argv ([args]), [env] and [fstab].\n",
	      out);
}

static gboolean pack_parse_size(const char *text, uint64_t max, uint64_t *out)
{
	char *end = NULL;
	if (!g_ascii_isdigit(text[0]))
		return FALSE;
	guint64 value = g_ascii_strtoull(text, &end, 10);
	unsigned shift = 0;
	switch (g_ascii_toupper(*end)) {
	case 'K':
		shift = 10;
		end++;
		break;
	case 'M':
		shift = 20;
		end++;
		break;
	case 'G':
		shift = 30;
		end++;
		break;
	default:
		break;
	}
	if (*end != '\0' || value > (max >> shift))
		return FALSE;
	*out = value << shift;
	return TRUE;
}

static gboolean pack_parse_limits(const char *text, int64_t limits[ZVM_LIMIT_COUNT])
{
	static const char *const names[ZVM_LIMIT_COUNT] = {"gets", "get_size", "puts", "put_size"};
	g_auto(GStrv) fields = g_strsplit(text, ",", -1);
	for (char **field = fields; *field; field++) {
		const char *equals = strchr(*field, '=');
		uint64_t value;
		int index = -1;
		if (!equals)
			return FALSE;
		for (int i = 0; i < ZVM_LIMIT_COUNT; i++)
			if (strlen(names[i]) == (size_t)(equals - *field) &&
			    strncmp(*field, names[i], equals - *field) == 0)
				index = i;
		if (index < 0 || !pack_parse_size(equals + 1, G_MAXINT64, &value))
			return FALSE;
		limits[index] = (int64_t)value;
	}
	return TRUE;
}

static gboolean pack_is_env(const char *arg)
{
	const char *equals = strchr(arg, '=');
	if (!equals || equals == arg || g_ascii_isdigit(arg[0]))
		return FALSE;
	for (const char *c = arg; c < equals; c++)
		if (!g_ascii_isalnum(*c) && *c != '_')
			return FALSE;
	return TRUE;
}

/* ZRT's nvram escapes for one value: what would split a record or a word becomes \xHH. */
static void pack_escape(GString *out, const char *value)
{
	for (const char *c = value; *c; c++) {
		if (strchr(",\\\" \t\n\r#=", *c) || (unsigned char)*c < 0x20)
			g_string_append_printf(out, "\\x%02x", (unsigned char)*c);
		else
			g_string_append_c(out, *c);
	}
}

/* One manifest channel; @read picks the read limits (write limits 0) or the reverse. */
static void pack_channel(PackJob *job, const char *uri, const char *alias, int type, gboolean read)
{
	const int64_t *limits = job->limits;
	int64_t gets = limits[ZVM_LIMIT_GETS] >= 0 ? limits[ZVM_LIMIT_GETS] : PACK_DEFAULT_READS;
	int64_t get_size =
	    limits[ZVM_LIMIT_GET_SIZE] >= 0 ? limits[ZVM_LIMIT_GET_SIZE] : PACK_DEFAULT_READS;
	int64_t puts = limits[ZVM_LIMIT_PUTS] >= 0 ? limits[ZVM_LIMIT_PUTS] : PACK_DEFAULT_READS;
	int64_t put_size =
	    limits[ZVM_LIMIT_PUT_SIZE] >= 0 ? limits[ZVM_LIMIT_PUT_SIZE] : PACK_DEFAULT_WRITE_SIZE;
	if (read)
		g_string_append_printf(job->manifest,
				       "Channel = %s,%s,%d,0,%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT
				       ",0,0\n",
				       uri, alias, type, gets, get_size);
	else
		g_string_append_printf(job->manifest,
				       "Channel = %s,%s,%d,0,0,0,%" G_GINT64_FORMAT
				       ",%" G_GINT64_FORMAT "\n",
				       uri, alias, type, puts, put_size);
}

/* Adds a member: the host file @path, or @data (taken). Refuses a second member of one name
 * and a @path that is not a regular file. */
static gboolean pack_add_member(GPtrArray *members, const char *member, const char *path,
				GBytes *data)
{
	g_autoptr(GBytes) owned = data;
	for (guint i = 0; i < members->len; i++) {
		PackMember *other = members->pdata[i];
		if (strcmp(other->member, member) == 0) {
			fprintf(stderr, "zvm pack: two bundle members would be named '%s'\n",
				member);
			return FALSE;
		}
	}
	if (path && !g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
		fprintf(stderr, "zvm pack: %s: no such file\n", path);
		return FALSE;
	}
	PackMember *entry = g_new0(PackMember, 1);
	entry->member = g_strdup(member);
	entry->path = g_strdup(path);
	entry->data = g_steal_pointer(&owned);
	g_ptr_array_add(members, entry);
	return TRUE;
}

static gint pack_member_compare(gconstpointer a, gconstpointer b)
{
	const PackMember *x = *(PackMember *const *)a, *y = *(PackMember *const *)b;
	return strcmp(x->member, y->member);
}

/* Writes one member with the fixed metadata that makes bundles reproducible. */
static gboolean pack_write_member(struct archive *archive, const PackMember *member)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *contents = NULL;
	gsize length = 0;
	const void *bytes;
	if (member->data) {
		bytes = g_bytes_get_data(member->data, &length);
	} else if (g_file_get_contents(member->path, &contents, &length, &error)) {
		bytes = contents;
	} else {
		fprintf(stderr, "zvm pack: %s\n", error->message);
		return FALSE;
	}
	struct archive_entry *entry = archive_entry_new();
	archive_entry_set_pathname(entry, member->member);
	archive_entry_set_filetype(entry, AE_IFREG);
	archive_entry_set_perm(entry, 0644);
	archive_entry_set_size(entry, (la_int64_t)length);
	archive_entry_set_mtime(entry, 0, 0);
	archive_entry_set_uid(entry, 0);
	archive_entry_set_gid(entry, 0);
	gboolean ok =
	    archive_write_header(archive, entry) == ARCHIVE_OK &&
	    (length == 0 || archive_write_data(archive, bytes, length) == (la_ssize_t)length);
	archive_entry_free(entry);
	if (!ok)
		fprintf(stderr, "zvm pack: %s: %s\n", member->member,
			archive_error_string(archive) ? archive_error_string(archive)
						      : "cannot write");
	return ok;
}

/* Writes the members, sorted by name, as a pax tar at @path; removes it on failure so no
 * half-written bundle is left to be submitted by mistake. */
static gboolean pack_write_tar(const char *path, GPtrArray *members)
{
	g_ptr_array_sort(members, pack_member_compare);
	struct archive *archive = archive_write_new();
	gboolean ok = archive_write_set_format_pax_restricted(archive) == ARCHIVE_OK &&
		      archive_write_open_filename(archive, path) == ARCHIVE_OK;
	if (!ok)
		fprintf(stderr, "zvm pack: %s: %s\n", path,
			archive_error_string(archive) ? archive_error_string(archive)
						      : "cannot open");
	for (guint i = 0; ok && i < members->len; i++)
		ok = pack_write_member(archive, members->pdata[i]);
	if (ok && archive_write_close(archive) != ARCHIVE_OK) {
		fprintf(stderr, "zvm pack: %s: %s\n", path, archive_error_string(archive));
		ok = FALSE;
	}
	archive_write_free(archive);
	if (!ok)
		g_unlink(path);
	return ok;
}

/* Parses what was generated back with the engine's parsers and checks argv survived. */
static gboolean pack_validate(const GString *manifest_text, const GString *nvram_text,
			      char **expected_args, GPtrArray *members)
{
	ZvmLimits limits;
	g_autoptr(GError) error = NULL;
	zvm_limits_init(&limits);
	g_autoptr(ZvmManifest) manifest =
	    zvm_manifest_parse(manifest_text->str, manifest_text->len, &limits, &error);
	if (!manifest) {
		fprintf(stderr, "zvm pack: the manifest would be refused: %s\n", error->message);
		return FALSE;
	}
	for (guint i = 0; i < manifest->channels->len; i++) {
		const ZvmChannelSpec *channel = manifest->channels->pdata[i];
		gboolean found = FALSE;
		if (channel->kind != ZVM_URI_MEMBER)
			continue;
		for (guint j = 0; j < members->len; j++)
			found |=
			    strcmp(((PackMember *)members->pdata[j])->member, channel->uri) == 0;
		if (!found) {
			fprintf(stderr, "zvm pack: channel %s names no bundle member\n",
				channel->alias);
			return FALSE;
		}
	}
	g_autoptr(ZvmNvram) nvram = zvm_nvram_parse(nvram_text->str, nvram_text->len, &error);
	if (!nvram) {
		fprintf(stderr, "zvm pack: /dev/nvram would be refused: %s\n", error->message);
		return FALSE;
	}
	if (!nvram->args || g_strv_length(nvram->args) != g_strv_length(expected_args)) {
		fputs("zvm pack: the arguments cannot be written in /dev/nvram\n", stderr);
		return FALSE;
	}
	for (guint i = 0; expected_args[i]; i++) {
		if (strcmp(nvram->args[i], expected_args[i]) != 0) {
			fprintf(stderr, "zvm pack: argument '%s' cannot be written in /dev/nvram\n",
				expected_args[i]);
			return FALSE;
		}
	}
	return TRUE;
}

/* [args]: the program's basename and its arguments, each @FILE packed as /dev/N.<basename>
 * and rewritten to that name. @expected gets the argv the program should see. */
static gboolean pack_add_args(PackJob *job, const char *program_name, char **args,
			      GPtrArray *expected)
{
	unsigned file_number = 0;
	g_string_append(job->nvram, "[args]\nargs = ");
	pack_escape(job->nvram, program_name);
	g_ptr_array_add(expected, g_strdup(program_name));
	for (char **next = args; *next; next++) {
		const char *arg = *next;
		g_autofree char *rewritten = NULL;
		if (arg[0] == '@') {
			g_autofree char *base = g_path_get_basename(arg + 1);
			g_autofree char *member = g_strdup_printf("%u.%s", ++file_number, base);
			if (arg[1] == '\0') {
				fputs("zvm pack: '@' names no file\n", stderr);
				return FALSE;
			}
			if (!pack_add_member(job->members, member, arg + 1, NULL))
				return FALSE;
			rewritten = g_strconcat("/dev/", member, NULL);
			pack_channel(job, member, rewritten, 3, TRUE);
			arg = rewritten;
		}
		g_string_append_c(job->nvram, ' ');
		if (arg[0] == '\0')
			g_string_append(job->nvram, "\"\"");
		pack_escape(job->nvram, arg);
		g_ptr_array_add(expected, g_strdup(arg));
	}
	g_ptr_array_add(expected, NULL);
	g_string_append_c(job->nvram, '\n');
	return TRUE;
}

/* [env] from "KEY=VALUE" strings. */
static void pack_add_env(PackJob *job, GPtrArray *env)
{
	if (env->len > 0)
		g_string_append(job->nvram, "[env]\n");
	for (guint i = 0; i < env->len; i++) {
		const char *pair = env->pdata[i];
		const char *equals = strchr(pair, '=');
		g_autofree char *name = g_strndup(pair, equals - pair);
		g_string_append(job->nvram, "name=");
		pack_escape(job->nvram, name);
		g_string_append(job->nvram, ", value=");
		pack_escape(job->nvram, equals + 1);
		g_string_append_c(job->nvram, '\n');
	}
}

/* [fstab]: each "TAR[,MOUNTPOINT]" packed as /dev/image.N.tar and unpacked by ZRT (ro); each
 * scratch directory (rw); each "DIR[,NAME]" output directory saved into the output channel
 * NAME (wo). */
static gboolean pack_add_fstab(PackJob *job, GPtrArray *images, GPtrArray *scratch,
			       GPtrArray *output_dirs)
{
	if (images->len + scratch->len + output_dirs->len > 0)
		g_string_append(job->nvram, "[fstab]\n");
	for (guint i = 0; i < images->len; i++) {
		g_auto(GStrv) parts = g_strsplit(images->pdata[i], ",", 2);
		const char *mountpoint = parts[1] ? parts[1] : "/";
		g_autofree char *member = g_strdup_printf("image.%u.tar", i + 1);
		g_autofree char *alias = g_strconcat("/dev/", member, NULL);
		if (mountpoint[0] != '/') {
			fprintf(stderr, "zvm pack: --image mount point '%s' is not absolute\n",
				mountpoint);
			return FALSE;
		}
		if (!pack_add_member(job->members, member, parts[0], NULL))
			return FALSE;
		pack_channel(job, member, alias, 3, TRUE);
		g_string_append_printf(job->nvram, "channel=%s, mountpoint=", alias);
		pack_escape(job->nvram, mountpoint);
		g_string_append(job->nvram, ", access=ro, removable=no\n");
	}
	for (guint i = 0; i < scratch->len; i++) {
		const char *mountpoint = scratch->pdata[i];
		if (mountpoint[0] != '/') {
			fprintf(stderr, "zvm pack: --scratch '%s' is not absolute\n", mountpoint);
			return FALSE;
		}
		g_string_append(job->nvram, "mountpoint=");
		pack_escape(job->nvram, mountpoint);
		g_string_append(job->nvram, ", access=rw\n");
	}
	for (guint i = 0; i < output_dirs->len; i++) {
		g_auto(GStrv) parts = g_strsplit(output_dirs->pdata[i], ",", 2);
		const char *mountpoint = parts[0];
		g_autofree char *base = g_path_get_basename(mountpoint);
		g_autofree char *name =
		    parts[1] ? g_strdup(parts[1]) : g_strconcat(base, ".tar", NULL);
		g_autofree char *alias = g_strdup_printf("/dev/output-dir.%u.tar", i + 1);
		if (mountpoint[0] != '/' || strcmp(mountpoint, "/") == 0) {
			fprintf(stderr,
				"zvm pack: --output-dir '%s' is not an absolute directory "
				"below /\n",
				mountpoint);
			return FALSE;
		}
		if (!zvm_output_name_is_valid(name)) {
			fprintf(stderr, "zvm pack: bad --output-dir name '%s'\n", name);
			return FALSE;
		}
		pack_channel(job, name, alias, 0, FALSE);
		g_string_append_printf(job->nvram, "channel=%s, mountpoint=", alias);
		pack_escape(job->nvram, mountpoint);
		g_string_append(job->nvram, ", access=wo\n");
	}
	return TRUE;
}

/* Returns the index of the program in argv, or -1 after a usage message. */
static int pack_parse_options(int argc, char **argv, PackOptions *options)
{
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		const char *value = i + 1 < argc ? argv[i + 1] : NULL;
		gboolean takes = strcmp(arg, "-o") == 0 || strcmp(arg, "--memory") == 0 ||
				 strcmp(arg, "--timeout") == 0 || strcmp(arg, "--stdin") == 0 ||
				 strcmp(arg, "--env") == 0 || strcmp(arg, "--image") == 0 ||
				 strcmp(arg, "--output") == 0 || strcmp(arg, "--limit") == 0 ||
				 strcmp(arg, "--scratch") == 0 || strcmp(arg, "--output-dir") == 0;
		if (strcmp(arg, "--") == 0) {
			if (i + 1 < argc)
				return i + 1;
			break;
		}
		if (arg[0] != '-') {
			if (pack_is_env(arg)) {
				g_ptr_array_add(options->env, (char *)arg);
				continue;
			}
			return i;
		}
		if (strcmp(arg, "--manifest-only") == 0) {
			options->manifest_only = TRUE;
			continue;
		}
		if (!takes) {
			fprintf(stderr, "zvm pack: unknown option %s (see zvm pack --help)\n", arg);
			return -1;
		}
		if (!value) {
			fprintf(stderr, "zvm pack: %s needs a value\n", arg);
			return -1;
		}
		i++;
		uint64_t number;
		if (strcmp(arg, "-o") == 0) {
			options->bundle_path = value;
		} else if (strcmp(arg, "--memory") == 0) {
			if (!pack_parse_size(value, G_MAXUINT32 + (uint64_t)1, &number) ||
			    number == 0) {
				fprintf(stderr, "zvm pack: bad --memory '%s'\n", value);
				return -1;
			}
			options->memory = number;
		} else if (strcmp(arg, "--timeout") == 0) {
			char *end = NULL;
			guint64 seconds = g_ascii_strtoull(value, &end, 10);
			if (!g_ascii_isdigit(value[0]) || *end || seconds == 0 ||
			    seconds > G_MAXUINT32) {
				fprintf(stderr, "zvm pack: bad --timeout '%s'\n", value);
				return -1;
			}
			options->timeout = (uint32_t)seconds;
		} else if (strcmp(arg, "--stdin") == 0) {
			options->stdin_path = value;
		} else if (strcmp(arg, "--env") == 0) {
			if (!pack_is_env(value)) {
				fprintf(stderr, "zvm pack: bad --env '%s' (want KEY=VALUE)\n",
					value);
				return -1;
			}
			g_ptr_array_add(options->env, (char *)value);
		} else if (strcmp(arg, "--image") == 0) {
			g_ptr_array_add(options->images, (char *)value);
		} else if (strcmp(arg, "--scratch") == 0) {
			g_ptr_array_add(options->scratch, (char *)value);
		} else if (strcmp(arg, "--output-dir") == 0) {
			g_ptr_array_add(options->output_dirs, (char *)value);
		} else if (strcmp(arg, "--output") == 0) {
			if (!zvm_output_name_is_valid(value)) {
				fprintf(stderr, "zvm pack: bad --output name '%s'\n", value);
				return -1;
			}
			g_ptr_array_add(options->outputs, (char *)value);
		} else if (!pack_parse_limits(value, options->limits)) {
			fprintf(stderr,
				"zvm pack: bad --limit '%s' "
				"(want gets=N,get_size=N,puts=N,put_size=N)\n",
				value);
			return -1;
		}
	}
	fputs("zvm pack: no program given (see zvm pack --help)\n", stderr);
	return -1;
}

int zvm_command_pack(int argc, char **argv)
{
	for (int i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--help") == 0) {
			pack_usage(stdout);
			return ZVM_STATUS_OK;
		}
	}
	g_autoptr(GPtrArray) env = g_ptr_array_new();
	g_autoptr(GPtrArray) images = g_ptr_array_new();
	g_autoptr(GPtrArray) outputs = g_ptr_array_new();
	g_autoptr(GPtrArray) scratch = g_ptr_array_new();
	g_autoptr(GPtrArray) output_dirs = g_ptr_array_new();
	PackOptions options = {
	    .memory = PACK_DEFAULT_MEMORY,
	    .timeout = PACK_DEFAULT_TIMEOUT,
	    .limits = {-1, -1, -1, -1},
	    .env = env,
	    .images = images,
	    .outputs = outputs,
	    .scratch = scratch,
	    .output_dirs = output_dirs,
	};
	int program_index = pack_parse_options(argc, argv, &options);
	if (program_index < 0)
		return ZVM_STATUS_USAGE;

	const char *program = argv[program_index];
	g_autofree char *program_name = g_path_get_basename(program);
	g_autoptr(GPtrArray) members =
	    g_ptr_array_new_with_free_func((GDestroyNotify)pack_member_free);
	g_autoptr(GString) manifest = g_string_new(NULL);
	g_autoptr(GString) nvram = g_string_new(NULL);
	g_autoptr(GPtrArray) expected = g_ptr_array_new_with_free_func(g_free);
	PackJob job = {members, manifest, nvram, options.limits};
	if (!pack_add_member(members, program_name, program, NULL))
		return ZVM_STATUS_USAGE;

	g_string_append_printf(manifest,
			       "Version = 20130611\nProgram = %s\nMemory = %" G_GUINT64_FORMAT
			       ",0\nTimeout = %u\n",
			       program_name, options.memory, options.timeout);
	if (options.stdin_path) {
		if (!pack_add_member(members, "stdin", options.stdin_path, NULL))
			return ZVM_STATUS_USAGE;
		pack_channel(&job, "stdin", "/dev/stdin", 0, TRUE);
	} else {
		pack_channel(&job, "/dev/null", "/dev/stdin", 0, TRUE);
	}
	pack_channel(&job, "stdout", "/dev/stdout", 0, FALSE);
	pack_channel(&job, "stderr", "/dev/stderr", 0, FALSE);
	if (!pack_add_args(&job, program_name, argv + program_index + 1, expected))
		return ZVM_STATUS_USAGE;
	pack_add_env(&job, env);
	if (!pack_add_fstab(&job, images, scratch, output_dirs))
		return ZVM_STATUS_USAGE;
	for (guint i = 0; i < outputs->len; i++) {
		const char *name = outputs->pdata[i];
		g_autofree char *base = g_path_get_basename(name);
		g_autofree char *alias = g_strconcat("/dev/", base, NULL);
		pack_channel(&job, name, alias, 0, FALSE);
	}
	pack_channel(&job, "nvram", "/dev/nvram", 3, TRUE);
	if (!pack_add_member(members, "nvram", NULL, g_bytes_new(nvram->str, nvram->len)) ||
	    !pack_add_member(members, "manifest", NULL, g_bytes_new(manifest->str, manifest->len)))
		return ZVM_STATUS_USAGE;

	if (!pack_validate(manifest, nvram, (char **)expected->pdata, members))
		return ZVM_STATUS_USAGE;
	if (options.manifest_only) {
		fputs(manifest->str, stdout);
		return ZVM_STATUS_OK;
	}
	g_autofree char *default_path = NULL;
	if (!options.bundle_path) {
		g_autofree char *stem = g_str_has_suffix(program_name, ".nexe")
					    ? g_strndup(program_name, strlen(program_name) - 5)
					    : g_strdup(program_name);
		default_path = g_strconcat(stem, ".tar", NULL);
		options.bundle_path = default_path;
	}
	return pack_write_tar(options.bundle_path, members) ? ZVM_STATUS_OK : ZVM_STATUS_FAILED;
}
