/* SPDX-License-Identifier: Apache-2.0 */
/*
 * zvmfs: the gateway daemon. Reads the config, opens the job store, mounts the filesystem
 * (libfuse low level, multithreaded), runs the scheduler, and on SIGTERM or unmount stops
 * accepting, puts running jobs back to queued and exits. Also usable as a mount helper:
 * `mount -t fuse.zvmfs zvmfs /mnt/zvm -o state=/var/lib/zvmfs,jobs=4`.
 */
#include "fuse-fs.h"

#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "../store/runner.h"
#include "zvm-build-config.h"
#include "../../sandbox/engine.h"

typedef struct {
	char *state;
	char *config;
	unsigned jobs;
	GPtrArray *data; /* "NAME=DIR" of --data and -o data= */
	int foreground;
	int single_thread;
	int help;
	int version;
	char *positional[2];
	int n_positional;
	gboolean bad_usage;
} Options;

enum { KEY_FOREGROUND, KEY_SINGLE, KEY_DEBUG, KEY_HELP, KEY_VERSION, KEY_DATA };

#define OPTION(template, field)                       \
	{                                             \
		template, offsetof(Options, field), 0 \
	}
static const struct fuse_opt option_spec[] = {
    OPTION("--state=%s", state),
    OPTION("--state %s", state),
    OPTION("state=%s", state),
    OPTION("--config=%s", config),
    OPTION("--config %s", config),
    OPTION("config=%s", config),
    OPTION("--jobs=%u", jobs),
    OPTION("--jobs %u", jobs),
    OPTION("jobs=%u", jobs),
    FUSE_OPT_KEY("--data ", KEY_DATA),
    FUSE_OPT_KEY("--data=", KEY_DATA),
    FUSE_OPT_KEY("data=", KEY_DATA),
    FUSE_OPT_KEY("-f", KEY_FOREGROUND),
    FUSE_OPT_KEY("-s", KEY_SINGLE),
    FUSE_OPT_KEY("-d", KEY_DEBUG),
    FUSE_OPT_KEY("debug", KEY_DEBUG),
    FUSE_OPT_KEY("-h", KEY_HELP),
    FUSE_OPT_KEY("--help", KEY_HELP),
    FUSE_OPT_KEY("-V", KEY_VERSION),
    FUSE_OPT_KEY("--version", KEY_VERSION),
    FUSE_OPT_END,
};

static const char usage[] =
    "usage: zvmfs [-f] [-d] [-s] [-o OPTION,...] [--state DIR] [--config FILE] [--jobs N]\n"
    "             [SOURCE] MOUNTPOINT\n"
    "\n"
    "  -f               stay in the foreground, log to stderr\n"
    "  -d               debug: foreground, and trace every FUSE request\n"
    "  -s               serve requests on one thread\n"
    "  --state DIR      state directory (config [gateway] state_dir); also -o state=DIR\n"
    "  --config FILE    config file (default " ZVM_DEFAULT_CONFIG "); also -o config=FILE\n"
    "  --jobs N         jobs run at once (config [gateway] jobs); also -o jobs=N\n"
    "  --data NAME=DIR  export DIR read-only as data root NAME (config [data]); also\n"
    "                   -o data=NAME=DIR; may be repeated\n"
    "  -o OPTION        FUSE mount options (allow_other and default_permissions are set\n"
    "                   when run as root)\n"
    "SOURCE is ignored; it is there for mount(8) and fstab.\n";

static int option_proc(void *data, const char *arg, int key, struct fuse_args *outargs)
{
	Options *options = data;
	switch (key) {
	case FUSE_OPT_KEY_NONOPT:
		if (options->n_positional == 2) {
			fprintf(stderr, "zvmfs: unexpected argument '%s'\n", arg);
			options->bad_usage = TRUE;
			return 0;
		}
		options->positional[options->n_positional++] = g_strdup(arg);
		return 0;
	case KEY_FOREGROUND:
		options->foreground = 1;
		return 0;
	case KEY_SINGLE:
		options->single_thread = 1;
		return 0;
	case KEY_DEBUG:
		options->foreground = 1;
		return 1; /* libfuse traces requests with it */
	case KEY_HELP:
		options->help = 1;
		return 0;
	case KEY_VERSION:
		options->version = 1;
		return 0;
	case KEY_DATA: {
		const char *value = strchr(arg, '=');
		/* "--data NAME=DIR" arrives as "--dataNAME=DIR". */
		if (g_str_has_prefix(arg, "--data") && arg[6] != '=')
			value = arg + 5;
		g_ptr_array_add(options->data, g_strdup(value + 1));
		return 0;
	}
	default:
		return 1; /* a mount option for libfuse */
	}
}

/* A daemon's stderr is /dev/null: log to the journal, or syslog without one. */
static GLogWriterOutput log_writer(GLogLevelFlags level, const GLogField *fields, gsize n,
				   gpointer user_data)
{
	if (g_log_writer_journald(level, fields, n, user_data) == G_LOG_WRITER_HANDLED)
		return G_LOG_WRITER_HANDLED;
	if (!g_log_writer_default_would_drop(level, NULL)) {
		const char *message = "";
		for (gsize i = 0; i < n; i++) {
			if (strcmp(fields[i].key, "MESSAGE") == 0)
				message = fields[i].value;
		}
		int priority = level & G_LOG_LEVEL_ERROR      ? LOG_ERR
			       : level & G_LOG_LEVEL_CRITICAL ? LOG_CRIT
			       : level & G_LOG_LEVEL_WARNING  ? LOG_WARNING
			       : level & G_LOG_LEVEL_DEBUG    ? LOG_DEBUG
							      : LOG_INFO;
		syslog(priority, "%s", message);
	}
	return G_LOG_WRITER_HANDLED;
}

static void options_clear(Options *options)
{
	g_free(options->state);
	g_free(options->config);
	g_clear_pointer(&options->data, g_ptr_array_unref);
	for (int i = 0; i < options->n_positional; i++)
		g_free(options->positional[i]);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Options, options_clear)

static int serve(ZvmFs *fs, struct fuse_args *args, const char *mountpoint, const Options *options)
{
	struct fuse_session *se =
	    fuse_session_new(args, &zvm_fuse_operations, sizeof(zvm_fuse_operations), fs);
	if (se == NULL)
		return 1;
	fs->session = se;
	int status = 1;
	g_autofree char *where = g_canonicalize_filename(mountpoint, NULL);
	if (fuse_set_signal_handlers(se) != 0)
		goto out_destroy;
	if (fuse_session_mount(se, mountpoint) != 0)
		goto out_signals;
	if (fuse_daemonize(options->foreground) != 0)
		goto out_unmount;
	if (!options->foreground) {
		openlog("zvmfs", LOG_PID, LOG_DAEMON);
		g_log_set_writer_func(log_writer, NULL, NULL);
	}
	/* Threads only now: fuse_daemonize() forks. */
	clock_gettime(CLOCK_REALTIME, &fs->mounted_at);
	zvm_notifier_start(fs->notifier);
	zvm_scheduler_start(fs->scheduler);
	if (fs->config->runner.kind == ZVM_RUNNER_KIND_SLURM)
		g_message("jobs run on Slurm (partition %s), %u at once, through %s on the nodes",
			  fs->config->runner.partition ? fs->config->runner.partition
						       : "the default",
			  fs->config->runner.jobs, fs->config->runner.zvm);
	char *budget = zvm_format_size(fs->config->gateway.memory_budget);
	g_message("mounted on %s; state in %s; %u jobs at once, %u may wait; memory budget %s",
		  where, zvm_store_get_state_dir(fs->store), fs->config->gateway.jobs,
		  fs->config->gateway.queue_length, budget);
	g_free(budget);

	if (options->single_thread) {
		status = fuse_session_loop(se);
	} else {
		struct fuse_loop_config *loop = fuse_loop_cfg_create();
		fuse_loop_cfg_set_max_threads(loop, 64);
		fuse_loop_cfg_set_clone_fd(loop, 0);
		status = fuse_session_loop_mt(se, loop);
		fuse_loop_cfg_destroy(loop);
	}
	g_message("stopping: running jobs go back to the queue");
	/* No request is served from here on, so no notification either: one could wait for
	 * a request nobody answers. Answer parked reads, stop the jobs, unmount. */
	zvm_notifier_stop(fs->notifier);
	zvm_scheduler_stop(fs->scheduler);
	status = status < 0 ? 1 : 0;
out_unmount:
	fuse_session_unmount(se);
out_signals:
	/* Stopping already. systemd sends SIGTERM right after ExecStop's unmount if this process
	 * still runs, so one may come during the teardown: ignored, it cannot turn exit status 0
	 * into a death by signal. (libfuse leaves a handler that is not its own in place.) */
	signal(SIGTERM, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	fuse_remove_signal_handlers(se);
out_destroy:
	fuse_session_destroy(se);
	fs->session = NULL;
	return status;
}

int main(int argc, char **argv)
{
	struct fuse_args args = FUSE_ARGS_INIT(argc, argv);
	g_auto(Options) options = {.data = g_ptr_array_new_with_free_func(g_free)};
	if (fuse_opt_parse(&args, &options, option_spec, option_proc) != 0 || options.bad_usage) {
		fputs(usage, stderr);
		fuse_opt_free_args(&args);
		return 2;
	}
	if (options.help || options.version) {
		if (options.help)
			fputs(usage, stdout);
		else
			printf("zvmfs %s (libfuse %s)\n", ZVM_VERSION, fuse_pkgversion());
		fuse_opt_free_args(&args);
		return 0;
	}
	if (options.n_positional == 0) {
		fputs(usage, stderr);
		fuse_opt_free_args(&args);
		return 2;
	}
	const char *mountpoint = options.positional[options.n_positional - 1];

	g_auto(ZvmConfig) config = {0};
	g_autoptr(GError) error = NULL;
	gboolean configured = zvm_config_load(&config, options.config, &error);
	for (guint i = 0; configured && i < options.data->len; i++)
		configured = zvm_config_add_data_root(&config, options.data->pdata[i], &error);
	if (!configured || !zvm_config_open_data_roots(&config, &error) ||
	    !zvm_sandbox_config_resolve(&config.sandbox, &error)) {
		fprintf(stderr, "zvmfs: %s\n", error->message);
		fuse_opt_free_args(&args);
		return 1;
	}
	zvm_config_find_helper(&config);
	if (options.state) {
		g_free(config.gateway.state_dir);
		config.gateway.state_dir = g_canonicalize_filename(options.state, NULL);
	}
	if (options.jobs)
		config.gateway.jobs = MIN(options.jobs, 1024u);
	/* The store's syncfs at a job's end makes its outputs durable with its report, in one
	 * flush instead of one fsync per output. */
	config.sandbox.sync_outputs = FALSE;

	ZvmStoreRetention retention = {.retain_jobs = config.gateway.retain_jobs,
				       .retain_seconds = config.gateway.retain_seconds,
				       .user_retain_jobs = config.tenants.retain_jobs};
	g_autoptr(ZvmStore) store =
	    zvm_store_open(config.gateway.state_dir, &zvm_engine_ops, &config.limits,
			   &config.sandbox, &retention, &error);
	if (store == NULL) {
		fprintf(stderr, "zvmfs: %s\n", error->message);
		fuse_opt_free_args(&args);
		return 1;
	}
	ZvmSchedulerOptions scheduling = {.workers = config.gateway.jobs,
					  .queue_length = config.gateway.queue_length,
					  .memory_budget = config.gateway.memory_budget,
					  .user_queue_length = config.tenants.queue_jobs,
					  .user_output_bytes = config.tenants.output_bytes,
					  .user_compile_seconds = config.tenants.compile_seconds,
					  .compile_window_s = config.tenants.compile_window};
	if (config.runner.kind == ZVM_RUNNER_KIND_SLURM) {
		/* The cluster's nodes hold the jobs' memory, and Slurm queues them. */
		scheduling.workers = config.runner.jobs;
		scheduling.memory_budget = 0;
		/* The nodes read the same file at the same path (docs/operations.md). */
		g_autofree char *config_path =
		    config.path ? g_canonicalize_filename(config.path, NULL) : NULL;
		scheduling.runner = zvm_runner_slurm_new(
		    &config.runner, config.gateway.state_dir, config_path, config.data_roots,
		    config.sandbox.compile_timeout, config.limits.max_timeout, &error);
		if (scheduling.runner == NULL) {
			fprintf(stderr, "zvmfs: %s\n", error->message);
			fuse_opt_free_args(&args);
			return 1;
		}
	}
	g_autoptr(ZvmScheduler) scheduler =
	    zvm_scheduler_new(store, &config.limits, &config.sandbox, &scheduling);

	ZvmFs fs = {.store = store, .scheduler = scheduler, .config = &config};
	zvm_handles_init(&fs);
	fs.submit = zvm_submit_area_new();
	fs.notifier = zvm_notifier_new(&fs);
	zvm_scheduler_set_listener(scheduler, zvm_notifier_job_event, fs.notifier);

	/* Several users share the mount; the kernel checks the modes we report. */
	if (geteuid() == 0)
		fuse_opt_add_arg(&args, "-oallow_other");
	fuse_opt_add_arg(&args, "-odefault_permissions,fsname=zvmfs,subtype=zvmfs");

	int status = serve(&fs, &args, mountpoint, &options);
	zvm_scheduler_stop(scheduler);
	/* No job runs any more: the zygote goes, reaped, before the service ends. */
	zvm_zygote_stop();
	zvm_handles_free_all(&fs);
	zvm_notifier_free(fs.notifier);
	zvm_submit_area_free(fs.submit);
	fuse_opt_free_args(&args);
	return status;
}
