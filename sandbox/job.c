/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The engine (job.h): from an extracted bundle to ZeroVM's report. It owns the decisions
 * between the parsers and the runner: which host file backs each channel, the order the
 * program sees them in, argv/env/clock from nvram, and how a run's outcome reads as an exit
 * state.
 */
#include "job-private.h"

#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wasm-rt.h>

#include "../channels/bundle.h"
#include "../channels/nvram.h"
#include "fd-io.h"
#include "module.h"
#include "runner.h"
#include "translate.h"
#include "uid-range.h"

/* clang-format off */
G_DEFINE_QUARK(zvm-job-error-quark, zvm_job_error)
/* clang-format on */

static gboolean member_is_file(const char *bundle_dir, const char *name)
{
	g_autofree char *path = g_build_filename(bundle_dir, name, NULL);
	struct stat st;
	return lstat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Reads /dev/nvram when the manifest names a member for it, unless the node was given its
 * nvram already (a system map node), and checks [fstab] against the manifest. */
static gboolean check_nvram(ZvmJob *job, ZvmJobNode *node, GError **error)
{
	const ZvmChannelSpec *spec = zvm_manifest_find_channel(node->manifest, "/dev/nvram");
	if (node->nvram == NULL && spec != NULL && spec->kind == ZVM_URI_MEMBER) {
		g_autofree char *path = g_build_filename(job->bundle_dir, spec->uri, NULL);
		g_autofree char *text = NULL;
		gsize length = 0;
		if (!g_file_get_contents(path, &text, &length, error))
			return FALSE;
		node->nvram = zvm_nvram_parse(text, length, error);
		if (node->nvram == NULL)
			return FALSE;
	}
	for (guint i = 0; node->nvram && node->nvram->fstab && i < node->nvram->fstab->len; i++) {
		const ZvmFstabEntry *entry = node->nvram->fstab->pdata[i];
		const ZvmChannelSpec *image =
		    entry->channel ? zvm_manifest_find_channel(node->manifest, entry->channel)
				   : NULL;
		const char *problem = NULL;
		if (entry->channel != NULL && image == NULL)
			problem = "names no channel of the manifest";
		else if (entry->access == ZVM_FSTAB_WO && !(image->access & ZVM_ACCESS_WRITE))
			problem = "(access=wo) names a channel the program cannot write";
		else if (entry->access == ZVM_FSTAB_WO && (image->access & ZVM_ACCESS_READ))
			problem = "(access=wo) names a channel the program can also read";
		else if (entry->access != ZVM_FSTAB_WO && image != NULL &&
			 !(image->access & ZVM_ACCESS_READ))
			problem = "names a channel the program cannot read";
		else if (g_str_equal(entry->mountpoint, "/dev") ||
			 g_str_has_prefix(entry->mountpoint, "/dev/"))
			problem = "mounts over /dev, where the channels are";
		for (guint j = 0; problem == NULL && j < i; j++) {
			const ZvmFstabEntry *other = node->nvram->fstab->pdata[j];
			if (entry->channel != NULL && other->channel != NULL &&
			    g_str_equal(entry->channel, other->channel) &&
			    (entry->access == ZVM_FSTAB_WO || other->access == ZVM_FSTAB_WO))
				problem = "is an output tree's channel twice";
		}
		if (problem) {
			if (entry->channel != NULL)
				g_set_error(error, ZVM_NVRAM_ERROR, ZVM_NVRAM_ERROR_SYNTAX,
					    "nvram: [fstab] channel=%s %s", entry->channel,
					    problem);
			else
				g_set_error(error, ZVM_NVRAM_ERROR, ZVM_NVRAM_ERROR_SYNTAX,
					    "nvram: [fstab] mountpoint=%s %s", entry->mountpoint,
					    problem);
			return FALSE;
		}
	}
	return TRUE;
}

/* Opens a data: channel's file as the owner; the error says "<alias>: <uri>: <cause>". */
static int open_data(ZvmJob *job, const ZvmChannelSpec *spec, GError **error)
{
	g_autoptr(GError) local = NULL;
	int fd = job->config->data_roots
		     ? zvm_data_roots_open(job->config->data_roots, job->owner, spec->uri, &local)
		     : -1;
	if (fd >= 0)
		return fd;
	ZvmJobError code = ZVM_JOB_ERROR_BUNDLE;
	if (local && local->code == ZVM_DATA_ERROR_ACCESS)
		code = ZVM_JOB_ERROR_ACCESS;
	else if (local && local->code == ZVM_DATA_ERROR_FAILED)
		code = ZVM_JOB_ERROR_HOST;
	g_set_error(error, ZVM_JOB_ERROR, code, "%s: %s", spec->alias,
		    local ? local->message : "no data roots are exported");
	return -1;
}

gboolean zvm_job_node_check(ZvmJob *job, ZvmJobNode *node, GError **error)
{
	if (!member_is_file(job->bundle_dir, node->manifest->program)) {
		g_set_error(error, ZVM_JOB_ERROR, ZVM_JOB_ERROR_BUNDLE,
			    "bundle: the program '%s' named by the manifest is not in the bundle",
			    node->manifest->program);
		return FALSE;
	}
	GPtrArray *channels = node->manifest->channels;
	for (guint i = 0; i < channels->len; i++) {
		const ZvmChannelSpec *spec = channels->pdata[i];
		if (spec->kind == ZVM_URI_MEMBER && !member_is_file(job->bundle_dir, spec->uri)) {
			g_set_error(error, ZVM_JOB_ERROR, ZVM_JOB_ERROR_BUNDLE,
				    "bundle: channel %s reads '%s', which is not in the bundle",
				    spec->alias, spec->uri);
			return FALSE;
		}
		if (spec->kind == ZVM_URI_DATA) {
			int fd = open_data(job, spec, error);
			if (fd < 0)
				return FALSE;
			close(fd);
		}
	}
	if (!check_nvram(job, node, error))
		return FALSE;
	/* stdout and stderr first: the gateway shows them before the other outputs. */
	const char *std_outputs[] = {"/dev/stdout", "/dev/stderr"};
	for (guint s = 0; s < G_N_ELEMENTS(std_outputs); s++) {
		const ZvmChannelSpec *spec =
		    zvm_manifest_find_channel(node->manifest, std_outputs[s]);
		if (spec && spec->kind == ZVM_URI_OUTPUT)
			g_ptr_array_add(job->outputs, g_strdup(spec->uri));
	}
	for (guint i = 0; i < channels->len; i++) {
		const ZvmChannelSpec *spec = channels->pdata[i];
		if (spec->kind == ZVM_URI_OUTPUT && !g_str_equal(spec->alias, "/dev/stdout") &&
		    !g_str_equal(spec->alias, "/dev/stderr"))
			g_ptr_array_add(job->outputs, g_strdup(spec->uri));
	}
	return TRUE;
}

ZvmJobNode *zvm_job_node_new(ZvmJob *job)
{
	ZvmJobNode *node = g_new0(ZvmJobNode, 1);
	g_mutex_init(&node->live.lock);
	g_ptr_array_add(job->nodes, node);
	return node;
}

static void job_node_free(ZvmJobNode *node)
{
	g_free(node->name);
	g_free(node->manifest_text);
	g_clear_pointer(&node->manifest, zvm_manifest_free);
	g_clear_pointer(&node->nvram, zvm_nvram_free);
	g_mutex_clear(&node->live.lock);
	g_free(node);
}

ZvmJob *zvm_job_open(const char *bundle_dir, const ZvmLimits *limits,
		     const ZvmSandboxConfig *config, const ZvmIdentity *owner, GError **error)
{
	return zvm_job_open_expanded(bundle_dir, limits, config, owner, NULL, error);
}

ZvmJob *zvm_job_open_expanded(const char *bundle_dir, const ZvmLimits *limits,
			      const ZvmSandboxConfig *config, const ZvmIdentity *owner,
			      const char *expansion, GError **error)
{
	g_autoptr(ZvmJob) job = g_new0(ZvmJob, 1);
	job->bundle_dir = g_strdup(bundle_dir);
	job->limits = *limits;
	job->limits.data_roots =
	    config->data_roots ? zvm_data_roots_get_names(config->data_roots) : NULL;
	job->config = config;
	job->owner = owner ? zvm_identity_copy(owner) : zvm_identity_new_current();
	job->outputs = g_ptr_array_new_with_free_func(g_free);
	job->nodes = g_ptr_array_new_with_free_func((GDestroyNotify)job_node_free);
	job->node_names = g_ptr_array_new();
	if (member_is_file(bundle_dir, ZVM_SYSMAP_PATH) &&
	    !member_is_file(bundle_dir, "manifest")) {
		if (!zvm_job_open_sysmap(job, expansion, error))
			return NULL;
		g_ptr_array_add(job->outputs, NULL);
		g_ptr_array_add(job->node_names, NULL);
		return g_steal_pointer(&job);
	}
	ZvmJobNode *node = zvm_job_node_new(job);
	node->manifest_text = zvm_bundle_read_manifest(bundle_dir, &node->manifest_length, error);
	if (node->manifest_text == NULL)
		return NULL;
	node->manifest =
	    zvm_manifest_parse(node->manifest_text, node->manifest_length, &job->limits, error);
	if (node->manifest == NULL || !zvm_job_node_check(job, node, error))
		return NULL;
	g_ptr_array_add(job->outputs, NULL);
	g_ptr_array_add(job->node_names, NULL);
	return g_steal_pointer(&job);
}

void zvm_job_free(ZvmJob *job)
{
	if (job == NULL)
		return;
	g_free(job->bundle_dir);
	g_free(job->expansion);
	zvm_identity_free(job->owner);
	g_clear_pointer(&job->nodes, g_ptr_array_unref);
	g_clear_pointer(&job->node_names, g_ptr_array_unref);
	g_ptr_array_unref(job->outputs);
	g_free(job);
}

const ZvmManifest *zvm_job_get_manifest(const ZvmJob *job)
{
	return ((ZvmJobNode *)job->nodes->pdata[0])->manifest;
}

guint zvm_job_get_width(const ZvmJob *job)
{
	return job->nodes->len;
}

uint64_t zvm_job_get_memory(const ZvmJob *job)
{
	uint64_t total = 0;
	for (guint n = 0; n < job->nodes->len; n++)
		total += (uint64_t)((ZvmJobNode *)job->nodes->pdata[n])->manifest->memory;
	return total;
}

const char *const *zvm_job_get_nodes(const ZvmJob *job)
{
	return (const char *const *)job->node_names->pdata;
}

const char *zvm_job_get_expansion(const ZvmJob *job)
{
	return job->expansion;
}

const char *const *zvm_job_get_outputs(const ZvmJob *job)
{
	return (const char *const *)job->outputs->pdata;
}

void zvm_job_set_hooks(ZvmJob *job, const ZvmJobHooks *hooks, gpointer user_data)
{
	job->hooks = *hooks;
	job->user_data = user_data;
}

void zvm_job_kill(ZvmJob *job)
{
	/* Only the flag: each node's runner loop (runner.c) sees it within 50 ms and kills its
	 * runner through a pidfd. A kill(2) by pid from here could hit another process once the
	 * zygote has reaped the runner and the pid is reused. A compile under way sees it as
	 * well (ZvmTranslateProgress.stop) and kills its compiler's process groups. */
	g_atomic_int_set(&job->killed, 1);
}

/* @a + @b for counters: never below 0 (a runner's shared counters may say anything while it
 * runs) and never past G_MAXINT64. */
static int64_t add_saturated(int64_t a, int64_t b)
{
	if (b <= 0)
		return a;
	return a > G_MAXINT64 - b ? G_MAXINT64 : a + b;
}

gboolean zvm_job_get_progress(ZvmJob *job, ZvmJobProgress *out)
{
	ZvmJobProgress progress = {.input_bytes = -1};
	gboolean live = FALSE;
	for (guint n = 0; n < job->nodes->len; n++) {
		ZvmJobNode *node = job->nodes->pdata[n];
		g_mutex_lock(&node->live.lock);
		const ZvmChannelCounters *counters = node->live.counters;
		if (counters) {
			live = TRUE;
			if (node->input_bytes >= 0)
				progress.input_bytes =
				    MAX(progress.input_bytes, 0) + node->input_bytes;
			/* Each of the four counters, summed over the node's channels. */
			int64_t *sums[ZVM_LIMIT_COUNT] = {
			    [ZVM_LIMIT_GETS] = &progress.reads,
			    [ZVM_LIMIT_GET_SIZE] = &progress.read_bytes,
			    [ZVM_LIMIT_PUTS] = &progress.writes,
			    [ZVM_LIMIT_PUT_SIZE] = &progress.written_bytes,
			};
			for (guint i = 0; i < node->live_channels; i++)
				for (int l = 0; l < ZVM_LIMIT_COUNT; l++)
					*sums[l] = add_saturated(
					    *sums[l], __atomic_load_n(&counters[i].used[l],
								      __ATOMIC_RELAXED));
		}
		g_mutex_unlock(&node->live.lock);
	}
	if (live)
		*out = progress;
	return live;
}

/* ZvmJobProgress.input_bytes: the readable channels backed by a file with a size. Not
 * /dev/nvram: the engine applies it (args, env, clock, fstab) and a program rarely reads it,
 * so counting it would keep a finished read short of its total. */
static int64_t input_size(const ZvmRunChannel *channels, guint n_channels)
{
	int64_t total = -1;
	for (guint i = 0; i < n_channels; i++) {
		const ZvmRunChannel *c = &channels[i];
		if (g_str_equal(c->spec->alias, "/dev/nvram"))
			continue;
		if ((c->spec->access & ZVM_ACCESS_READ) && c->source == ZVM_SOURCE_FD &&
		    (c->spec->kind == ZVM_URI_MEMBER || c->spec->kind == ZVM_URI_DATA ||
		     c->size > 0))
			total = MAX(total, 0) + c->size;
	}
	return total;
}

/* The program sees stdin, stdout, stderr as channels 0-2, then the rest in manifest order. */
static GPtrArray *ordered_specs(const ZvmManifest *manifest)
{
	GPtrArray *order = g_ptr_array_new();
	const char *std_aliases[] = {"/dev/stdin", "/dev/stdout", "/dev/stderr"};
	for (guint s = 0; s < G_N_ELEMENTS(std_aliases); s++)
		g_ptr_array_add(order,
				(gpointer)zvm_manifest_find_channel(manifest, std_aliases[s]));
	for (guint i = 0; i < manifest->channels->len; i++) {
		const ZvmChannelSpec *spec = manifest->channels->pdata[i];
		if (!g_str_equal(spec->alias, "/dev/stdin") &&
		    !g_str_equal(spec->alias, "/dev/stdout") &&
		    !g_str_equal(spec->alias, "/dev/stderr"))
			g_ptr_array_add(order, (gpointer)spec);
	}
	return order;
}

/* Opens the host side of one channel; returns the fd (-1 for NULL/ZERO) or -errno. */
static int open_channel(ZvmJob *job, const ZvmChannelSpec *spec, const char *out_dir,
			GHashTable *pipes, ZvmRunChannel *run)
{
	run->spec = spec;
	run->fd = -1;
	run->size = 0;
	switch (spec->kind) {
	case ZVM_URI_NULL:
		run->source = ZVM_SOURCE_NULL;
		return 0;
	case ZVM_URI_ZERO:
		run->source = ZVM_SOURCE_ZERO;
		return 0;
	case ZVM_URI_MEMBER: {
		g_autofree char *path = g_build_filename(job->bundle_dir, spec->uri, NULL);
		run->source = ZVM_SOURCE_FD;
		run->fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		break;
	}
	case ZVM_URI_OUTPUT: {
		g_autofree char *path = g_build_filename(out_dir, spec->uri, NULL);
		g_autofree char *dir = g_path_get_dirname(path);
		if (g_mkdir_with_parents(dir, 0755) < 0)
			return -errno;
		run->source = ZVM_SOURCE_FD;
		gboolean rw = spec->access == ZVM_ACCESS_READ_WRITE;
		run->fd = open(
		    path, (rw ? O_RDWR : O_WRONLY) | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
		    0644);
		/* A read-write channel starts from the bundle's member of that name, if any. */
		if (run->fd >= 0 && rw && member_is_file(job->bundle_dir, spec->uri)) {
			g_autofree char *member =
			    g_build_filename(job->bundle_dir, spec->uri, NULL);
			int from = open(member, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
			int r = from < 0 ? -errno : zvm_copy_fd(from, run->fd);
			if (from >= 0)
				close(from);
			if (r < 0) {
				close(run->fd);
				run->fd = -1;
				return r;
			}
		}
		break;
	}
	case ZVM_URI_PIPE: {
		/* The end is this node's alone: it takes it from the table. */
		int *ends = pipes ? g_hash_table_lookup(pipes, spec->uri) : NULL;
		if (ends == NULL)
			return -EOPNOTSUPP;
		int end = spec->access & ZVM_ACCESS_WRITE ? 1 : 0;
		run->source = ZVM_SOURCE_FD;
		run->fd = ends[end];
		ends[end] = -1;
		return run->fd < 0 ? -EBADF : 0;
	}
	case ZVM_URI_DATA:
	default:
		return -EOPNOTSUPP;
	}
	if (run->fd < 0)
		return -errno;
	struct stat st;
	if (fstat(run->fd, &st) == 0 && S_ISREG(st.st_mode))
		run->size = st.st_size;
	return 0;
}

static const char *trap_reason(int code)
{
	switch (code) {
	case WASM_RT_TRAP_OOB:
		return "trap: out of bounds memory access";
	case WASM_RT_TRAP_INT_OVERFLOW:
		return "trap: integer overflow";
	case WASM_RT_TRAP_DIV_BY_ZERO:
		return "trap: integer divide by zero";
	case WASM_RT_TRAP_INVALID_CONVERSION:
		return "trap: invalid conversion to integer";
	case WASM_RT_TRAP_UNREACHABLE:
		return "trap: unreachable executed";
	case WASM_RT_TRAP_CALL_INDIRECT:
		return "trap: indirect call to a wrong or missing function";
	case WASM_RT_TRAP_UNCAUGHT_EXCEPTION:
		return "trap: uncaught exception";
	case WASM_RT_TRAP_EXHAUSTION:
		return "trap: call stack exhausted";
	default:
		return "trap: unknown";
	}
}

typedef struct {
	ZvmJob *job;
	ZvmRunChannel *channels;
	guint n_channels;
} RunContext;

static void running_hook(pid_t pid, gpointer user_data)
{
	RunContext *context = user_data;
	ZvmJob *job = context->job;
	/* The child has its pipe ends now: the engine's copies would keep a reader from ever
	 * seeing end of file, and a writer from seeing its reader gone. */
	for (guint i = 0; i < context->n_channels; i++) {
		if (context->channels[i].spec->kind == ZVM_URI_PIPE &&
		    context->channels[i].fd >= 0) {
			close(context->channels[i].fd);
			context->channels[i].fd = -1;
		}
	}
	if (job->hooks.running && g_atomic_int_compare_and_exchange(&job->running_reported, 0, 1))
		job->hooks.running(pid, job->user_data);
}

static void report_outcome(const ZvmRunPlan *plan, const ZvmRunResult *result, ZvmReport *report)
{
	/* Each counter is within its limit (zvm_runner_read_results), their sum need not be. */
	for (guint i = 0; i < plan->n_channels; i++)
		for (int l = 0; l < ZVM_LIMIT_COUNT; l++)
			report->local[l] =
			    add_saturated(report->local[l], result->counters[i].used[l]);
	report->sys_seconds =
	    (double)result->usage.ru_stime.tv_sec + (double)result->usage.ru_stime.tv_usec / 1e6;
	report->user_seconds =
	    (double)result->usage.ru_utime.tv_sec + (double)result->usage.ru_utime.tv_usec / 1e6;
	report->wall_seconds = result->wall_seconds;
	report->user_rc = result->user_rc;
	g_free(report->etags);
	report->etags = g_strdup(result->etags ? result->etags : "disabled");

	g_autofree char *reason = NULL;
	ZvmExitKind kind;
	if (result->outcome == ZVM_RUN_BROKE_PROTOCOL) {
		/* Before a kill: a runner that lied is a failure whoever stopped it. */
		kind = ZVM_EXIT_SIGNAL;
		reason = g_strdup(result->message);
	} else if (result->killed) {
		kind = ZVM_EXIT_KILLED;
		reason = g_strdup("killed");
	} else {
		switch (result->outcome) {
		case ZVM_RUN_EXITED:
			kind = ZVM_EXIT_OK;
			reason = g_strdup("ok");
			break;
		case ZVM_RUN_TRAPPED:
			kind = ZVM_EXIT_TRAP;
			reason = g_strdup(trap_reason(result->trap_code));
			break;
		case ZVM_RUN_TIMED_OUT:
			kind = ZVM_EXIT_TIMEOUT;
			reason = g_strdup("session timeout");
			break;
		case ZVM_RUN_CHANNEL_FAILED:
			kind = ZVM_EXIT_CHANNEL;
			reason = g_strdup(result->message);
			break;
		case ZVM_RUN_OUT_OF_MEMORY:
			kind = ZVM_EXIT_MEMORY;
			reason = g_strdup_printf("out of memory: Memory %" G_GUINT64_FORMAT
						 " bytes exceeded",
						 (guint64)plan->memory_bytes);
			break;
		case ZVM_RUN_SETUP_FAILED:
			kind = g_str_has_prefix(result->message, "/dev/") ? ZVM_EXIT_CHANNEL
									  : ZVM_EXIT_SIGNAL;
			reason = g_strdup(result->message);
			break;
		case ZVM_RUN_FORBIDDEN: {
			g_autofree char *name =
			    seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, result->syscall_nr);
			kind = ZVM_EXIT_SIGNAL;
			reason = g_strdup_printf("sandbox: forbidden system call %s",
						 name ? name : "(unknown)");
			break;
		}
		case ZVM_RUN_UNFINISHED:
		case ZVM_RUN_BROKE_PROTOCOL:
		default:
			kind = ZVM_EXIT_SIGNAL;
			if (result->message)
				reason = g_strdup(result->message);
			else if (result->signal == SIGXCPU)
				kind = ZVM_EXIT_TIMEOUT, reason = g_strdup("session timeout");
			else if (!result->started)
				reason = g_strdup("sandbox: the runner died before the program "
						  "started");
			else
				reason =
				    g_strdup_printf("Signal %d from trusted code", result->signal);
			break;
		}
	}
	zvm_report_set_failure(report, kind, reason);
}

static void seed_from_job(const ZvmJobNode *node, GBytes *program, guint8 seed[32])
{
	g_autoptr(GChecksum) sum = g_checksum_new(G_CHECKSUM_SHA256);
	g_checksum_update(sum, (const guchar *)node->manifest_text, node->manifest_length);
	gsize length;
	const guchar *data = g_bytes_get_data(program, &length);
	g_checksum_update(sum, data, length);
	gsize size = 32;
	g_checksum_get_digest(sum, seed, &size);
}

gboolean zvm_job_node_run(ZvmJob *job, ZvmJobNode *node, const char *module_path, GBytes *program,
			  const char *out_dir, GHashTable *pipes, ZvmReport *report, GError **error)
{
	g_autoptr(GPtrArray) specs = ordered_specs(node->manifest);
	g_autofree ZvmRunChannel *channels = g_new0(ZvmRunChannel, specs->len);
	ZvmNvram *nvram = node->nvram;
	guint n_mounts = nvram && nvram->fstab ? nvram->fstab->len : 0;
	g_autofree ZvmRunMount *mounts = g_new0(ZvmRunMount, n_mounts + 1);
	gboolean ok = TRUE, refused = FALSE;
	guint opened = 0;
	for (; opened < specs->len; opened++) {
		const ZvmChannelSpec *spec = specs->pdata[opened];
		if (spec->kind == ZVM_URI_DATA) {
			/* The owner's access, or the file, may have changed since submission:
			 * the job fails, the gateway does not. */
			g_autoptr(GError) local = NULL;
			int fd = open_data(job, spec, &local);
			if (fd < 0) {
				zvm_report_set_failure(report, ZVM_EXIT_CHANNEL, local->message);
				refused = TRUE;
				break;
			}
			struct stat st;
			channels[opened] = (ZvmRunChannel){
			    .spec = spec,
			    .source = ZVM_SOURCE_FD,
			    .fd = fd,
			    .size = fstat(fd, &st) == 0 ? st.st_size : 0,
			};
			continue;
		}
		int r = open_channel(job, spec, out_dir, pipes, &channels[opened]);
		if (r < 0) {
			g_set_error(error, ZVM_JOB_ERROR,
				    r == -ENOSPC || r == -EDQUOT ? ZVM_JOB_ERROR_NO_SPACE
								 : ZVM_JOB_ERROR_HOST,
				    "%s: cannot open '%s': %s", spec->alias, spec->uri,
				    g_strerror(-r));
			zvm_report_set_failure(report, ZVM_EXIT_CHANNEL, (*error)->message);
			ok = FALSE;
			break;
		}
	}
	for (guint m = 0; ok && !refused && m < n_mounts; m++) {
		const ZvmFstabEntry *entry = nvram->fstab->pdata[m];
		mounts[m].mountpoint = entry->mountpoint;
		mounts[m].access = entry->access;
		mounts[m].has_channel = entry->channel != NULL;
		for (guint i = 0; entry->channel != NULL && i < specs->len; i++)
			if (g_str_equal(((ZvmChannelSpec *)specs->pdata[i])->alias, entry->channel))
				mounts[m].channel = i;
	}
	/* The images are read into the runner, each mount its own copy: they and the initial
	 * linear memory must fit in Memory, and the linear memory grows into what they leave. */
	uint64_t memory = (uint64_t)node->manifest->memory, images = 0;
	for (guint m = 0; ok && !refused && m < n_mounts; m++)
		if (mounts[m].has_channel && mounts[m].access != ZVM_FSTAB_WO)
			images += (uint64_t)MAX(channels[mounts[m].channel].size, 0);
	uint64_t initial = (uint64_t)node->initial_pages * 65536;
	if (ok && !refused && (images > memory || initial > memory - images)) {
		g_autofree char *reason = g_strdup_printf(
		    "out of memory: Memory %" G_GUINT64_FORMAT " bytes exceeded: the images take "
		    "%" G_GUINT64_FORMAT " bytes and the initial linear memory %" G_GUINT64_FORMAT,
		    (guint64)memory, (guint64)images, (guint64)initial);
		zvm_report_set_failure(report, ZVM_EXIT_MEMORY, reason);
		refused = TRUE;
	}
	if (ok && !refused) {
		report->input_bytes = input_size(channels, specs->len);
		report->has_input_bytes = report->input_bytes >= 0;
		g_mutex_lock(&node->live.lock);
		node->live_channels = specs->len;
		node->input_bytes = report->input_bytes;
		g_mutex_unlock(&node->live.lock);
		g_autofree char *program_name = g_path_get_basename(node->manifest->program);
		char *default_args[] = {program_name, NULL};
		/* Each node a uid of its own, held until its runner is gone (uid-range.h). */
		g_autoptr(ZvmUidLease) lease = NULL;
		const ZvmSandboxConfig *config = job->config;
		if (config->drop_privileges && config->uid_last != 0) {
			g_autoptr(GError) local = NULL;
			lease = zvm_uid_lease_take(config->uid_first, config->uid_last, &local);
			if (lease == NULL) {
				g_set_error(error, ZVM_JOB_ERROR, ZVM_JOB_ERROR_HOST, "%s",
					    local->message);
				zvm_report_set_failure(report, ZVM_EXIT_SIGNAL, local->message);
				ok = FALSE;
			}
		}
		ZvmRunPlan plan = {
		    .helper = job->config->sandbox_helper,
		    /* Nodes of one job start from threads of their own: exec, never a bare
		     * fork of a threaded process. */
		    .child_main = pipes ? NULL : job->config->runner_main,
		    .zygote = job->config->zygote,
		    .module_path = module_path,
		    .drop_privileges = job->config->drop_privileges,
		    .uid = lease != NULL ? zvm_uid_lease_uid(lease) : config->uid,
		    .gid = lease != NULL ? (gid_t)zvm_uid_lease_uid(lease) : config->gid,
		    .memory_bytes = memory,
		    .max_pages = (uint32_t)MAX(1, (memory - images) / 65536),
		    .timeout = node->manifest->timeout,
		    .memory_etag = node->manifest->memory_etag,
		    .etag_algorithm = job->limits.etag_algorithm,
		    .args = nvram && nvram->args ? nvram->args : default_args,
		    .env = nvram ? nvram->env : NULL,
		    .start_seconds = nvram && nvram->has_time ? nvram->time_seconds : 0,
		    .channels = channels,
		    .n_channels = specs->len,
		    .mounts = mounts,
		    .n_mounts = n_mounts,
		    .live = &node->live,
		};
		seed_from_job(node, program, plan.seed);
		g_auto(ZvmRunResult) result = {0};
		RunContext context = {job, channels, specs->len};
		if (!ok) {
			/* No uid to run it as: the report says so already. */
		} else if (g_atomic_int_get(&job->killed)) {
			zvm_report_set_failure(report, ZVM_EXIT_KILLED, "killed");
		} else if (!zvm_runner_run(&plan, &job->killed, &node->pid, running_hook, &context,
					   &result, error)) {
			zvm_report_set_failure(report, ZVM_EXIT_SIGNAL, (*error)->message);
			ok = FALSE;
		} else {
			report_outcome(&plan, &result, report);
			/* Not the program's doing: the host's disk is full (job.h). */
			if (result.outcome == ZVM_RUN_CHANNEL_FAILED && !result.killed &&
			    (result.host_errno == ENOSPC || result.host_errno == EDQUOT)) {
				g_set_error(error, ZVM_JOB_ERROR, ZVM_JOB_ERROR_NO_SPACE,
					    "disk full: no space left for the outputs (%s)",
					    result.message);
				ok = FALSE;
			}
		}
	}
	for (guint i = 0; i < opened; i++) {
		if (channels[i].fd < 0)
			continue;
		/* What the program wrote survives a crash of the gateway (docs/spec.md §6). */
		if ((channels[i].spec->access & ZVM_ACCESS_WRITE) && job->config->sync_outputs)
			fsync(channels[i].fd);
		close(channels[i].fd);
	}
	return ok;
}

ZvmJobPrepared zvm_job_node_prepare(ZvmJob *job, ZvmJobNode *node, char **module_path,
				    GBytes **program_bytes, ZvmReport *report, GError **error)
{
	g_autofree char *path = g_build_filename(job->bundle_dir, node->manifest->program, NULL);
	g_autofree char *data = NULL;
	gsize length = 0;
	g_autoptr(GError) local = NULL;
	if (!g_file_get_contents(path, &data, &length, &local)) {
		g_set_error(error, ZVM_JOB_ERROR, ZVM_JOB_ERROR_HOST, "cannot read the program: %s",
			    local->message);
		zvm_report_set_failure(report, ZVM_EXIT_VALIDATION, (*error)->message);
		return ZVM_JOB_PREPARE_HOST_ERROR;
	}
	g_autoptr(GBytes) program = g_bytes_new_take(g_steal_pointer(&data), length);
	ZvmModuleBounds bounds = {.max_memory_bytes = node->manifest->memory};
	ZvmModuleInfo info;
	g_autoptr(GBytes) module =
	    zvm_module_check(g_bytes_get_data(program, NULL), length, &bounds, &info, &local);
	if (module == NULL) {
		zvm_report_set_failure(report, ZVM_EXIT_VALIDATION, local->message);
		return ZVM_JOB_PREPARE_FAILED;
	}
	gboolean cached = FALSE;
	/* zvm_job_kill's flag stops the compile too: its tools are killed within 50 ms. */
	const ZvmTranslateProgress progress = {
	    .units = job->hooks.translating,
	    .user_data = job->user_data,
	    .stop = &job->killed,
	    .waiting = job->hooks.compile_waiting,
	};
	*module_path = zvm_translate_with_progress(job->config, module, &progress, &cached, &local);
	if (*module_path == NULL &&
	    g_error_matches(local, ZVM_TRANSLATE_ERROR, ZVM_TRANSLATE_ERROR_KILLED)) {
		zvm_report_set_failure(report, ZVM_EXIT_KILLED, "killed");
		return ZVM_JOB_PREPARE_FAILED;
	}
	if (*module_path == NULL) {
		if (g_error_matches(local, ZVM_TRANSLATE_ERROR, ZVM_TRANSLATE_ERROR_CACHE)) {
			g_set_error(error, ZVM_JOB_ERROR,
				    strstr(local->message, "no space") ? ZVM_JOB_ERROR_NO_SPACE
								       : ZVM_JOB_ERROR_HOST,
				    "%s", local->message);
			zvm_report_set_failure(report, ZVM_EXIT_COMPILE, local->message);
			return ZVM_JOB_PREPARE_HOST_ERROR;
		}
		zvm_report_set_failure(report, ZVM_EXIT_COMPILE, local->message);
		return ZVM_JOB_PREPARE_FAILED;
	}
	report->cached = cached;
	node->initial_pages = info.initial_pages;
	*program_bytes = g_steal_pointer(&program);
	return ZVM_JOB_PREPARED;
}

gboolean zvm_job_translate(ZvmJob *job, GError **error)
{
	for (guint i = 0; i < job->nodes->len; i++) {
		g_auto(ZvmReport) report = {0};
		g_autofree char *module_path = NULL;
		g_autoptr(GBytes) program = NULL;
		g_autoptr(GError) local = NULL;
		ZvmJobPrepared prepared = zvm_job_node_prepare(
		    job, job->nodes->pdata[i], &module_path, &program, &report, &local);
		if (prepared == ZVM_JOB_PREPARED)
			continue;
		g_set_error(error, ZVM_JOB_ERROR, ZVM_JOB_ERROR_HOST, "%s",
			    local != NULL ? local->message : report.exit_state);
		return FALSE;
	}
	return TRUE;
}

gboolean zvm_job_run(ZvmJob *job, const char *out_dir, ZvmReport *report, GError **error)
{
	*report = (ZvmReport){0};
	if (g_atomic_int_get(&job->killed)) {
		zvm_report_set_failure(report, ZVM_EXIT_KILLED, "killed");
		return TRUE;
	}
	if (job->hooks.compiling)
		job->hooks.compiling(job->user_data);
	if (job->multi)
		return zvm_job_run_nodes(job, out_dir, report, error);

	ZvmJobNode *node = job->nodes->pdata[0];
	g_autofree char *module_path = NULL;
	g_autoptr(GBytes) program = NULL;
	switch (zvm_job_node_prepare(job, node, &module_path, &program, report, error)) {
	case ZVM_JOB_PREPARED:
		return zvm_job_node_run(job, node, module_path, program, out_dir, NULL, report,
					error);
	case ZVM_JOB_PREPARE_FAILED:
		return TRUE;
	case ZVM_JOB_PREPARE_HOST_ERROR:
	default:
		return FALSE;
	}
}
