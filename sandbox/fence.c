/* SPDX-License-Identifier: Apache-2.0 */
/* The fence: privilege drop, namespaces, no_new_privs, descriptor closing and rlimits
 * (see fence.h). */
#include "fence.h"

#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <sched.h>
#include <stddef.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

int zvm_fence_drop_privileges(uid_t uid, gid_t gid)
{
	if (setgroups(0, NULL) < 0)
		return -errno;
	if (setresgid(gid, gid, gid) < 0)
		return -errno;
	if (setresuid(uid, uid, uid) < 0)
		return -errno;
	/* A drop that can be undone is no drop. */
	if (uid != 0 && (setuid(0) == 0 || seteuid(0) == 0))
		return -EPERM;
	return 0;
}

int zvm_fence_no_new_privs(void)
{
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -errno;
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		return -errno;
	return 0;
}

static int close_range_checked(unsigned int first, unsigned int last)
{
	if (first > last)
		return 0;
	if (syscall(SYS_close_range, first, last, 0) == 0)
		return 0;
	if (errno != ENOSYS)
		return -errno;
	for (unsigned int fd = first; fd <= last && fd < 65536; fd++)
		close((int)fd);
	return 0;
}

int zvm_fence_close_fds(int lowest, const int *keep, int n_keep)
{
	/* Close the gaps between the kept descriptors, which need not be sorted. */
	unsigned int next = (unsigned int)lowest;
	for (;;) {
		int smallest = -1;
		for (int i = 0; i < n_keep; i++)
			if (keep[i] >= (int)next && (smallest < 0 || keep[i] < smallest))
				smallest = keep[i];
		if (smallest < 0)
			return close_range_checked(next, ~0U);
		int r = close_range_checked(next, (unsigned int)smallest - 1);
		if (r < 0)
			return r;
		next = (unsigned int)smallest + 1;
	}
}

static int set_limit(int resource, uint64_t value)
{
	struct rlimit rl = {.rlim_cur = value, .rlim_max = value};
	if (setrlimit(resource, &rl) < 0)
		return -errno;
	return 0;
}

int zvm_fence_set_limits(const ZvmFenceLimits *limits)
{
	int r = set_limit(RLIMIT_CORE, 0);
	if (r < 0)
		return r;
	const struct {
		int resource;
		uint64_t value;
	} table[] = {
	    {RLIMIT_CPU, limits->cpu_seconds},	 {RLIMIT_AS, limits->address_space},
	    {RLIMIT_DATA, limits->data},	 {RLIMIT_FSIZE, limits->file_size},
	    {RLIMIT_NOFILE, limits->open_files},
	};
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		if (table[i].value == 0)
			continue;
		r = set_limit(table[i].resource, table[i].value);
		if (r < 0)
			return r;
	}
	if (limits->no_processes)
		return set_limit(RLIMIT_NPROC, 0);
	return 0;
}

int zvm_fence_enter_namespaces(void)
{
	if (unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS) < 0)
		return -errno;
	return 0;
}

int zvm_fence_empty_root(void)
{
	/* Nothing done here propagates back to the host's mounts. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return -errno;
	if (mount("zvm-empty", "/proc", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RDONLY,
		  "size=4k,nr_inodes=1,mode=0555") < 0)
		return -errno;
	if (chdir("/proc") < 0)
		return -errno;
	/* pivot_root(".", "."): the old root ends up stacked on the new one and is detached;
	 * a host whose root is no mount point (a chroot) gets chroot instead. */
	if (syscall(SYS_pivot_root, ".", ".") == 0) {
		if (umount2(".", MNT_DETACH) < 0)
			return -errno;
	} else if (chroot(".") < 0) {
		return -errno;
	}
	if (chdir("/") < 0)
		return -errno;
	return 0;
}

int zvm_fence_drop_capabilities(void)
{
	struct __user_cap_header_struct header = {.version = _LINUX_CAPABILITY_VERSION_3};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {{0}};
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
		return -errno;
	if (syscall(SYS_capset, &header, data) < 0)
		return -errno;
	return 0;
}
