/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The engine (job.h): from an extracted bundle to ZeroVM's report. It owns the decisions
 * between the parsers and the runner: which host file backs each channel, the order the
 * program sees them in, argv/env/clock from nvram, and how a run's outcome reads as an exit
 * state.
 */
#include "job.h"

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

G_DEFINE_QUARK(zvm-job-error-quark, zvm_job_error)

struct _ZvmJob {
	char *bundle_dir;
	ZvmLimits limits;
	const ZvmSandboxConfig *config;
	char *manifest_text;
	gsize manifest_length;
	ZvmManifest *manifest;
	ZvmNvram *nvram;
	GPtrArray *outputs;       /* char*, NULL-terminated */
	ZvmJobHooks hooks;
	gpointer user_data;
	volatile gint killed;
	volatile gint pid;
};

static gboolean member_is_file(const char *bundle_dir, const char *name)
{
	g_autofree char *path = g_build_filename(bundle_dir, name, NULL);
	struct stat st;
	return lstat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static gboolean check_nvram(ZvmJob *job, GError **error)
{
	const ZvmChannelSpec *spec = zvm_manifest_find_channel(job->manifest, "/dev/nvram");
	if (spec == NULL || spec->kind != ZVM_URI_MEMBER)
		return TRUE;
	g_autofree char *path = g_build_filename(job->bundle_dir, spec->uri, NULL);
	g_autofree char *text = NULL;
	gsize length = 0;
	if (!g_file_get_contents(path, &text, &length, error))
		return FALSE;
	job->nvram = zvm_nvram_parse(text, length, error);
	if (job->nvram == NULL)
		return FALSE;
	for (guint i = 0; job->nvram->fstab && i < job->nvram->fstab->len; i++) {
		const ZvmFstabEntry *entry = job->nvram->fstab->pdata[i];
		const ZvmChannelSpec *image = zvm_manifest_find_channel(job->manifest,
									entry->channel);
		const char *problem = NULL;
		if (image == NULL)
			problem = "names no channel of the manifest";
		else if (!(image->access & ZVM_ACCESS_READ))
			problem = "names a channel the program cannot read";
		else if (!entry->read_only)
			problem = "asks for access=wo; images are read-only here";
		else if (g_str_equal(entry->mountpoint, "/dev") ||
			 g_str_has_prefix(entry->mountpoint, "/dev/"))
			problem = "mounts over /dev, where the channels are";
		if (problem) {
			g_set_error(error, ZVM_NVRAM_ERROR, ZVM_NVRAM_ERROR_SYNTAX,
				    "nvram: [fstab] channel=%s %s", entry->channel, problem);
			return FALSE;
		}
	}
	return TRUE;
}

ZvmJob *zvm_job_open(const char *bundle_dir, const ZvmLimits *limits,
		     const ZvmSandboxConfig *config, GError **error)
{
	g_autoptr(ZvmJob) job = g_new0(ZvmJob, 1);
	job->bundle_dir = g_strdup(bundle_dir);
	job->limits = *limits;
	job->config = config;
	job->outputs = g_ptr_array_new_with_free_func(g_free);
	job->manifest_text = zvm_bundle_read_manifest(bundle_dir, &job->manifest_length, error);
	if (job->manifest_text == NULL)
		return NULL;
	job->manifest = zvm_manifest_parse(job->manifest_text, job->manifest_length, limits, error);
	if (job->manifest == NULL)
		return NULL;
	if (!member_is_file(bundle_dir, job->manifest->program)) {
		g_set_error(error, ZVM_JOB_ERROR, ZVM_JOB_ERROR_BUNDLE,
			    "bundle: the program '%s' named by the manifest is not in the bundle",
			    job->manifest->program);
		return NULL;
	}
	GPtrArray *channels = job->manifest->channels;
	for (guint i = 0; i < channels->len; i++) {
		const ZvmChannelSpec *spec = channels->pdata[i];
		if (spec->kind == ZVM_URI_MEMBER && !member_is_file(bundle_dir, spec->uri)) {
			g_set_error(error, ZVM_JOB_ERROR, ZVM_JOB_ERROR_BUNDLE,
				    "bundle: channel %s reads '%s', which is not in the bundle",
				    spec->alias, spec->uri);
			return NULL;
		}
		if (spec->kind == ZVM_URI_DATA) {
			g_set_error(error, ZVM_JOB_ERROR, ZVM_JOB_ERROR_BUNDLE,
				    "channel %s reads %s, but this gateway exports no data roots",
				    spec->alias, spec->uri);
			return NULL;
		}
	}
	if (!check_nvram(job, error))
		return NULL;
	/* stdout and stderr first: the gateway shows them before the other outputs. */
	const char *std_outputs[] = { "/dev/stdout", "/dev/stderr" };
	for (guint s = 0; s < G_N_ELEMENTS(std_outputs); s++) {
		const ZvmChannelSpec *spec = zvm_manifest_find_channel(job->manifest,
								       std_outputs[s]);
		if (spec && spec->kind == ZVM_URI_OUTPUT)
			g_ptr_array_add(job->outputs, g_strdup(spec->uri));
	}
	for (guint i = 0; i < channels->len; i++) {
		const ZvmChannelSpec *spec = channels->pdata[i];
		if (spec->kind == ZVM_URI_OUTPUT && !g_str_equal(spec->alias, "/dev/stdout") &&
		    !g_str_equal(spec->alias, "/dev/stderr"))
			g_ptr_array_add(job->outputs, g_strdup(spec->uri));
	}
	g_ptr_array_add(job->outputs, NULL);
	return g_steal_pointer(&job);
}

void zvm_job_free(ZvmJob *job)
{
	if (job == NULL)
		return;
	g_free(job->bundle_dir);
	g_free(job->manifest_text);
	g_clear_pointer(&job->manifest, zvm_manifest_free);
	g_clear_pointer(&job->nvram, zvm_nvram_free);
	g_ptr_array_unref(job->outputs);
	g_free(job);
}

const ZvmManifest *zvm_job_get_manifest(const ZvmJob *job)
{
	return job->manifest;
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
	g_atomic_int_set(&job->killed, 1);
	pid_t pid = g_atomic_int_get(&job->pid);
	if (pid > 0)
		kill(pid, SIGKILL);
}

/* The program sees stdin, stdout, stderr as channels 0-2, then the rest in manifest order. */
static GPtrArray *ordered_specs(const ZvmManifest *manifest)
{
	GPtrArray *order = g_ptr_array_new();
	const char *std_aliases[] = { "/dev/stdin", "/dev/stdout", "/dev/stderr" };
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
			ZvmRunChannel *run)
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
		run->fd = open(path, (rw ? O_RDWR : O_WRONLY) | O_CREAT | O_TRUNC | O_NOFOLLOW |
					     O_CLOEXEC,
			       0644);
		/* A read-write channel starts from the bundle's member of that name, if any. */
		if (run->fd >= 0 && rw && member_is_file(job->bundle_dir, spec->uri)) {
			g_autofree char *member = g_build_filename(job->bundle_dir, spec->uri,
								   NULL);
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
	case ZVM_URI_DATA:
	case ZVM_URI_PIPE:
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

static void running_hook(pid_t pid, gpointer user_data)
{
	ZvmJob *job = user_data;
	if (job->hooks.running)
		job->hooks.running(pid, job->user_data);
}

static void report_outcome(ZvmJob *job, const ZvmRunPlan *plan, const ZvmRunResult *result,
			   ZvmReport *report)
{
	for (guint i = 0; i < plan->n_channels; i++)
		for (int l = 0; l < ZVM_LIMIT_COUNT; l++)
			report->local[l] += result->counters[i].used[l];
	report->sys_seconds = (double)result->usage.ru_stime.tv_sec +
			      (double)result->usage.ru_stime.tv_usec / 1e6;
	report->user_seconds = (double)result->usage.ru_utime.tv_sec +
			       (double)result->usage.ru_utime.tv_usec / 1e6;
	report->wall_seconds = result->wall_seconds;
	report->user_rc = result->user_rc;
	g_free(report->etags);
	report->etags = g_strdup(result->etags ? result->etags : "disabled");

	g_autofree char *reason = NULL;
	ZvmExitKind kind;
	if (result->killed) {
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
		case ZVM_RUN_SETUP_FAILED:
			kind = g_str_has_prefix(result->message, "/dev/") ? ZVM_EXIT_CHANNEL
									  : ZVM_EXIT_SIGNAL;
			reason = g_strdup(result->message);
			break;
		case ZVM_RUN_FORBIDDEN: {
			g_autofree char *name = seccomp_syscall_resolve_num_arch(
				SCMP_ARCH_NATIVE, result->syscall_nr);
			kind = ZVM_EXIT_SIGNAL;
			reason = g_strdup_printf("sandbox: forbidden system call %s",
						 name ? name : "(unknown)");
			break;
		}
		case ZVM_RUN_UNFINISHED:
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
				reason = g_strdup_printf("Signal %d from trusted code",
							 result->signal);
			break;
		}
	}
	zvm_report_set_failure(report, kind, reason);
}

static void seed_from_job(const ZvmJob *job, GBytes *program, guint8 seed[32])
{
	g_autoptr(GChecksum) sum = g_checksum_new(G_CHECKSUM_SHA256);
	g_checksum_update(sum, (const guchar *)job->manifest_text, job->manifest_length);
	gsize length;
	const guchar *data = g_bytes_get_data(program, &length);
	g_checksum_update(sum, data, length);
	gsize size = 32;
	g_checksum_get_digest(sum, seed, &size);
}

static gboolean run_translated(ZvmJob *job, const char *module_path, GBytes *program,
			       const char *out_dir, ZvmReport *report, GError **error)
{
	g_autoptr(GPtrArray) specs = ordered_specs(job->manifest);
	g_autofree ZvmRunChannel *channels = g_new0(ZvmRunChannel, specs->len);
	ZvmNvram *nvram = job->nvram;
	guint n_mounts = nvram && nvram->fstab ? nvram->fstab->len : 0;
	g_autofree ZvmRunMount *mounts = g_new0(ZvmRunMount, n_mounts + 1);
	gboolean ok = TRUE;
	guint opened = 0;
	for (; opened < specs->len; opened++) {
		const ZvmChannelSpec *spec = specs->pdata[opened];
		int r = open_channel(job, spec, out_dir, &channels[opened]);
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
	for (guint m = 0; ok && m < n_mounts; m++) {
		const ZvmFstabEntry *entry = nvram->fstab->pdata[m];
		mounts[m].mountpoint = entry->mountpoint;
		for (guint i = 0; i < specs->len; i++)
			if (g_str_equal(((ZvmChannelSpec *)specs->pdata[i])->alias,
					entry->channel))
				mounts[m].channel = i;
	}
	if (ok) {
		g_autofree char *program_name = g_path_get_basename(job->manifest->program);
		char *default_args[] = { program_name, NULL };
		ZvmRunPlan plan = {
			.helper = job->config->sandbox_helper,
			.child_main = job->config->runner_main,
			.module_path = module_path,
			.drop_privileges = job->config->drop_privileges,
			.uid = job->config->uid,
			.gid = job->config->gid,
			.max_pages = (uint32_t)MAX(1, job->manifest->memory / 65536),
			.timeout = job->manifest->timeout,
			.memory_etag = job->manifest->memory_etag,
			.etag_algorithm = job->limits.etag_algorithm,
			.args = nvram && nvram->args ? nvram->args : default_args,
			.env = nvram ? nvram->env : NULL,
			.start_seconds = nvram && nvram->has_time ? nvram->time_seconds : 0,
			.channels = channels,
			.n_channels = specs->len,
			.mounts = mounts,
			.n_mounts = n_mounts,
		};
		seed_from_job(job, program, plan.seed);
		g_auto(ZvmRunResult) result = { 0 };
		if (g_atomic_int_get(&job->killed)) {
			zvm_report_set_failure(report, ZVM_EXIT_KILLED, "killed");
		} else if (!zvm_runner_run(&plan, &job->killed, &job->pid, running_hook, job,
					   &result, error)) {
			zvm_report_set_failure(report, ZVM_EXIT_SIGNAL, (*error)->message);
			ok = FALSE;
		} else {
			report_outcome(job, &plan, &result, report);
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
		/* What the program wrote survives a crash of the gateway (SPEC §6). */
		if ((channels[i].spec->access & ZVM_ACCESS_WRITE) && job->config->sync_outputs)
			fsync(channels[i].fd);
		close(channels[i].fd);
	}
	return ok;
}

gboolean zvm_job_run(ZvmJob *job, const char *out_dir, ZvmReport *report, GError **error)
{
	*report = (ZvmReport){ 0 };
	if (g_atomic_int_get(&job->killed)) {
		zvm_report_set_failure(report, ZVM_EXIT_KILLED, "killed");
		return TRUE;
	}
	if (job->hooks.compiling)
		job->hooks.compiling(job->user_data);

	g_autofree char *path = g_build_filename(job->bundle_dir, job->manifest->program, NULL);
	g_autofree char *data = NULL;
	gsize length = 0;
	g_autoptr(GError) local = NULL;
	if (!g_file_get_contents(path, &data, &length, &local)) {
		g_set_error(error, ZVM_JOB_ERROR, ZVM_JOB_ERROR_HOST, "cannot read the program: %s",
			    local->message);
		zvm_report_set_failure(report, ZVM_EXIT_VALIDATION, (*error)->message);
		return FALSE;
	}
	g_autoptr(GBytes) program = g_bytes_new_take(g_steal_pointer(&data), length);
	ZvmModuleBounds bounds = { .max_memory_bytes = job->manifest->memory };
	ZvmModuleInfo info;
	g_autoptr(GBytes) module = zvm_module_check(g_bytes_get_data(program, NULL), length,
						    &bounds, &info, &local);
	if (module == NULL) {
		zvm_report_set_failure(report, ZVM_EXIT_VALIDATION, local->message);
		return TRUE;
	}
	gboolean cached = FALSE;
	g_autofree char *module_path = zvm_translate(job->config, module, &cached, &local);
	if (module_path == NULL) {
		if (g_error_matches(local, ZVM_TRANSLATE_ERROR, ZVM_TRANSLATE_ERROR_CACHE)) {
			g_set_error(error, ZVM_JOB_ERROR,
				    strstr(local->message, "no space") ? ZVM_JOB_ERROR_NO_SPACE
								       : ZVM_JOB_ERROR_HOST,
				    "%s", local->message);
			zvm_report_set_failure(report, ZVM_EXIT_COMPILE, local->message);
			return FALSE;
		}
		zvm_report_set_failure(report, ZVM_EXIT_COMPILE, local->message);
		return TRUE;
	}
	report->cached = cached;
	return run_translated(job, module_path, program, out_dir, report, error);
}
