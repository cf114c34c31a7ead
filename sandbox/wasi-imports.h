/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The functions wasm2c's generated code imports from "wasi_snapshot_preview1", with exactly
 * the C types wasm2c gives them (i32 -> uint32_t, i64 -> uint64_t), one per line of
 * wasi-calls.def and in its order. The instance pointer is the ZvmWasiHost the runner passed
 * at instantiation. tests/wasi checks these against the header wasm2c itself writes for a
 * module importing every call of wasi-calls.def.
 */
#pragma once

#include <stdint.h>

/* Never defined: only a cast target for the ZvmWasiHost pointer. */
struct Z_wasi_snapshot_preview1_instance_t;

#define ZVM_WASI_INSTANCE struct Z_wasi_snapshot_preview1_instance_t *

uint32_t Z_wasi_snapshot_preview1Z_args_get(ZVM_WASI_INSTANCE, uint32_t, uint32_t);
uint32_t Z_wasi_snapshot_preview1Z_args_sizes_get(ZVM_WASI_INSTANCE, uint32_t, uint32_t);
uint32_t Z_wasi_snapshot_preview1Z_environ_get(ZVM_WASI_INSTANCE, uint32_t, uint32_t);
uint32_t Z_wasi_snapshot_preview1Z_environ_sizes_get(ZVM_WASI_INSTANCE, uint32_t, uint32_t);
uint32_t Z_wasi_snapshot_preview1Z_clock_res_get(ZVM_WASI_INSTANCE, uint32_t, uint32_t);
uint32_t Z_wasi_snapshot_preview1Z_clock_time_get(ZVM_WASI_INSTANCE, uint32_t, uint64_t, uint32_t);
uint32_t Z_wasi_snapshot_preview1Z_fd_advise(ZVM_WASI_INSTANCE, uint32_t, uint64_t, uint64_t,
					     uint32_t);
uint32_t Z_wasi_snapshot_preview1Z_fd_allocate(ZVM_WASI_INSTANCE, uint32_t, uint64_t, uint64_t);
uint32_t Z_wasi_snapshot_preview1Z_fd_close(ZVM_WASI_INSTANCE, uint32_t);
uint32_t Z_wasi_snapshot_preview1Z_fd_datasync(ZVM_WASI_INSTANCE, uint32_t);
uint32_t Z_wasi_snapshot_preview1Z_fd_fdstat_get(ZVM_WASI_INSTANCE, uint32_t, uint32_t);
uint32_t Z_wasi_snapshot_preview1Z_fd_fdstat_set_flags(ZVM_WASI_INSTANCE, uint32_t, uint32_t);
uint32_t Z_wasi_snapshot_preview1Z_fd_fdstat_set_rights(ZVM_WASI_INSTANCE, uint32_t, uint64_t,
							uint64_t);
uint32_t Z_wasi_snapshot_preview1Z_fd_filestat_get(ZVM_WASI_INSTANCE, uint32_t, uint32_t);
uint32_t Z_wasi_snapshot_preview1Z_fd_filestat_set_size(ZVM_WASI_INSTANCE, uint32_t, uint64_t);
uint32_t Z_wasi_snapshot_preview1Z_fd_filestat_set_times(ZVM_WASI_INSTANCE, uint32_t, uint64_t,
							 uint64_t, uint32_t);
uint32_t Z_wasi_snapshot_preview1Z_fd_pread(ZVM_WASI_INSTANCE, uint32_t, uint32_t, uint32_t,
					    uint64_t, uint32_t);
uint32_t Z_wasi_snapshot_preview1Z_fd_prestat_get(ZVM_WASI_INSTANCE, uint32_t, uint32_t);
uint32_t Z_wasi_snapshot_preview1Z_fd_prestat_dir_name(ZVM_WASI_INSTANCE, uint32_t, uint32_t,
						       uint32_t);
uint32_t Z_wasi_snapshot_preview1Z_fd_pwrite(ZVM_WASI_INSTANCE, uint32_t, uint32_t, uint32_t,
					     uint64_t, uint32_t);
uint32_t Z_wasi_snapshot_preview1Z_fd_read(ZVM_WASI_INSTANCE, uint32_t, uint32_t, uint32_t,
					   uint32_t);
uint32_t Z_wasi_snapshot_preview1Z_fd_readdir(ZVM_WASI_INSTANCE, uint32_t, uint32_t, uint32_t,
					      uint64_t, uint32_t);
uint32_t Z_wasi_snapshot_preview1Z_fd_renumber(ZVM_WASI_INSTANCE, uint32_t, uint32_t);
uint32_t Z_wasi_snapshot_preview1Z_fd_seek(ZVM_WASI_INSTANCE, uint32_t, uint64_t, uint32_t,
					   uint32_t);
uint32_t Z_wasi_snapshot_preview1Z_fd_sync(ZVM_WASI_INSTANCE, uint32_t);
uint32_t Z_wasi_snapshot_preview1Z_fd_tell(ZVM_WASI_INSTANCE, uint32_t, uint32_t);
uint32_t Z_wasi_snapshot_preview1Z_fd_write(ZVM_WASI_INSTANCE, uint32_t, uint32_t, uint32_t,
					    uint32_t);
uint32_t Z_wasi_snapshot_preview1Z_path_create_directory(ZVM_WASI_INSTANCE, uint32_t, uint32_t,
							 uint32_t);
uint32_t Z_wasi_snapshot_preview1Z_path_filestat_get(ZVM_WASI_INSTANCE, uint32_t, uint32_t,
						     uint32_t, uint32_t, uint32_t);
uint32_t Z_wasi_snapshot_preview1Z_path_filestat_set_times(ZVM_WASI_INSTANCE, uint32_t, uint32_t,
							   uint32_t, uint32_t, uint64_t, uint64_t,
							   uint32_t);
uint32_t Z_wasi_snapshot_preview1Z_path_link(ZVM_WASI_INSTANCE, uint32_t, uint32_t, uint32_t,
					     uint32_t, uint32_t, uint32_t, uint32_t);
uint32_t Z_wasi_snapshot_preview1Z_path_open(ZVM_WASI_INSTANCE, uint32_t, uint32_t, uint32_t,
					     uint32_t, uint32_t, uint64_t, uint64_t, uint32_t,
					     uint32_t);
uint32_t Z_wasi_snapshot_preview1Z_path_readlink(ZVM_WASI_INSTANCE, uint32_t, uint32_t, uint32_t,
						 uint32_t, uint32_t, uint32_t);
uint32_t Z_wasi_snapshot_preview1Z_path_remove_directory(ZVM_WASI_INSTANCE, uint32_t, uint32_t,
							 uint32_t);
uint32_t Z_wasi_snapshot_preview1Z_path_rename(ZVM_WASI_INSTANCE, uint32_t, uint32_t, uint32_t,
					       uint32_t, uint32_t, uint32_t);
uint32_t Z_wasi_snapshot_preview1Z_path_symlink(ZVM_WASI_INSTANCE, uint32_t, uint32_t, uint32_t,
						uint32_t, uint32_t);
uint32_t Z_wasi_snapshot_preview1Z_path_unlink_file(ZVM_WASI_INSTANCE, uint32_t, uint32_t,
						    uint32_t);
uint32_t Z_wasi_snapshot_preview1Z_poll_oneoff(ZVM_WASI_INSTANCE, uint32_t, uint32_t, uint32_t,
					       uint32_t);
void Z_wasi_snapshot_preview1Z_proc_exit(ZVM_WASI_INSTANCE, uint32_t);
uint32_t Z_wasi_snapshot_preview1Z_proc_raise(ZVM_WASI_INSTANCE, uint32_t);
uint32_t Z_wasi_snapshot_preview1Z_random_get(ZVM_WASI_INSTANCE, uint32_t, uint32_t);
uint32_t Z_wasi_snapshot_preview1Z_sched_yield(ZVM_WASI_INSTANCE);
uint32_t Z_wasi_snapshot_preview1Z_sock_accept(ZVM_WASI_INSTANCE, uint32_t, uint32_t, uint32_t);
uint32_t Z_wasi_snapshot_preview1Z_sock_recv(ZVM_WASI_INSTANCE, uint32_t, uint32_t, uint32_t,
					     uint32_t, uint32_t, uint32_t);
uint32_t Z_wasi_snapshot_preview1Z_sock_send(ZVM_WASI_INSTANCE, uint32_t, uint32_t, uint32_t,
					     uint32_t, uint32_t);
uint32_t Z_wasi_snapshot_preview1Z_sock_shutdown(ZVM_WASI_INSTANCE, uint32_t, uint32_t);

#undef ZVM_WASI_INSTANCE
