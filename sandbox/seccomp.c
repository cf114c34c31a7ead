/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The runner's seccomp allow-list, built once per process with libseccomp and handed to each
 * zvm-sandbox as a sealed memfd of BPF (generating it costs ~0.5 ms; loading it is cheap).
 * After the fence the runner only moves bytes on descriptors it already has, grows memory
 * (mmap/mprotect, never executable) and exits; anything else traps with SIGSYS, which the
 * runner reports as a forbidden system call.
 */
#include "runner.h"

#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <sys/mman.h>
#include <unistd.h>

static const int allowed_syscalls[] = {
    SCMP_SYS(read),
    SCMP_SYS(write),
    SCMP_SYS(pread64),
    SCMP_SYS(pwrite64),
    SCMP_SYS(close),
    SCMP_SYS(munmap),
    SCMP_SYS(mremap),
    SCMP_SYS(brk),
    SCMP_SYS(madvise),
    SCMP_SYS(rt_sigreturn),
    SCMP_SYS(rt_sigprocmask),
    SCMP_SYS(exit),
    SCMP_SYS(exit_group),
    SCMP_SYS(futex),
    /* Only points signal delivery at memory the runner already has; AddressSanitizer asks
     * it on every longjmp, and the runner's unwinds are longjmps. */
    SCMP_SYS(sigaltstack),
};

static int build_filter(GError **error)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_TRAP);
	if (ctx == NULL) {
		g_set_error_literal(error, ZVM_SANDBOX_ERROR, ZVM_SANDBOX_ERROR_FILTER,
				    "seccomp_init failed");
		return -1;
	}
	int r = 0;
	for (size_t i = 0; i < G_N_ELEMENTS(allowed_syscalls) && r == 0; i++)
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, allowed_syscalls[i], 0);
	/* Memory for the module and the host, never executable: no code can be added. */
	if (r == 0)
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mmap), 1,
				     SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
	if (r == 0)
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mprotect), 1,
				     SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
#ifdef __SANITIZE_ADDRESS__
	/* The sanitizer build only: AddressSanitizer reads /proc/self/maps on every longjmp
	 * off the signal stack (a trap), so its runners may open files read-only. The release
	 * build never allows this; the WASI host never opens anything in either. */
	if (r == 0)
		r = seccomp_rule_add(
		    ctx, SCMP_ACT_ALLOW, SCMP_SYS(openat), 1,
		    SCMP_A2(SCMP_CMP_MASKED_EQ, O_ACCMODE | O_CREAT | O_TRUNC, O_RDONLY));
	if (r == 0)
		r = seccomp_rule_add(
		    ctx, SCMP_ACT_ALLOW, SCMP_SYS(open), 1,
		    SCMP_A1(SCMP_CMP_MASKED_EQ, O_ACCMODE | O_CREAT | O_TRUNC, O_RDONLY));
	/* ...and asks for (never sets) the stack's rlimit. */
	if (r == 0)
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(prlimit64), 1,
				     SCMP_A2(SCMP_CMP_EQ, 0));
	if (r == 0)
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(getrlimit), 0);
	/* pthread_getattr_np, which finds the stack's bounds, asks for the CPU mask too. */
	if (r == 0)
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(sched_getaffinity), 0);
	if (r == 0)
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(fstat), 0);
	if (r == 0)
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(newfstatat), 0);
	/* Its trap path asks which thread it is on. */
	if (r == 0)
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(gettid), 0);
	if (r == 0)
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(getpid), 0);
#endif
	int fd = -1;
	if (r == 0) {
		fd = memfd_create("zvm-seccomp", MFD_CLOEXEC | MFD_ALLOW_SEALING);
		if (fd < 0)
			r = -errno;
	}
	if (r == 0)
		r = seccomp_export_bpf(ctx, fd);
	seccomp_release(ctx);
	if (r == 0 &&
	    fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) < 0)
		r = -errno;
	if (r != 0) {
		if (fd >= 0)
			close(fd);
		g_set_error(error, ZVM_SANDBOX_ERROR, ZVM_SANDBOX_ERROR_FILTER,
			    "cannot build the seccomp filter: %s", g_strerror(-r));
		return -1;
	}
	return fd;
}

int zvm_seccomp_filter_fd(GError **error)
{
	static GMutex lock;
	static int filter_fd = -1;
	g_mutex_lock(&lock);
	if (filter_fd < 0)
		filter_fd = build_filter(error);
	int fd = filter_fd;
	g_mutex_unlock(&lock);
	return fd;
}
