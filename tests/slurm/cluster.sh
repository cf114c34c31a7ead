#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# A one-host Slurm cluster for the tests: munged, slurmctld and slurmd started directly (no
# systemd) with every file in DIR. Sourced; defines slurm_cluster_start DIR (sets SLURM_CONF
# and SLURM_CLUSTER_REASON when it cannot start) and slurm_cluster_stop (by pid).
# The scheduler parameters make a batch job start at once instead of at most every 3 s.

slurm_cluster_pids=()

slurm_cluster_stop() {
	local pid
	for pid in "${slurm_cluster_pids[@]}"; do
		kill "$pid" 2>/dev/null
	done
	for pid in "${slurm_cluster_pids[@]}"; do
		for _ in $(seq 50); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -9 "$pid" 2>/dev/null
	done
	slurm_cluster_pids=()
}

# slurmd alone, for the node failure test.
slurm_cluster_stop_slurmd() {
	[ -n "$slurm_slurmd_pid" ] || return 0
	kill -9 "$slurm_slurmd_pid" 2>/dev/null
	while kill -0 "$slurm_slurmd_pid" 2>/dev/null; do sleep 0.05; done
}

slurm_cluster_start() {
	local dir=$1
	SLURM_CLUSTER_REASON=
	if [ "$(id -u)" != 0 ]; then
		SLURM_CLUSTER_REASON="not root: slurmd must run as root"; return 1
	fi
	local bin
	for bin in /usr/sbin/munged /usr/sbin/slurmctld /usr/sbin/slurmd /usr/bin/sbatch; do
		[ -x $bin ] || { SLURM_CLUSTER_REASON="$bin is not installed (tests/deps.sh)"; return 1; }
	done
	mkdir -p "$dir"/munge "$dir"/ctld "$dir"/d "$dir"/log
	chmod 700 "$dir"/munge
	dd if=/dev/urandom of="$dir"/munge/key bs=1024 count=1 status=none
	chmod 400 "$dir"/munge/key
	/usr/sbin/munged --force --key-file="$dir"/munge/key --socket="$dir"/munge/sock \
		--pid-file="$dir"/munge/pid --log-file="$dir"/log/munged.log \
		--seed-file="$dir"/munge/seed 2>"$dir"/log/munged.err ||
		{ SLURM_CLUSTER_REASON="munged did not start: $(cat "$dir"/log/munged.err)"; return 1; }
	slurm_cluster_pids+=("$(cat "$dir"/munge/pid)")
	local host cpus mem
	host=$(hostname -s)
	cpus=$(nproc)
	mem=$(awk '/MemTotal/ { print int($2 / 1024) - 512 }' /proc/meminfo)
	cat >"$dir"/slurm.conf <<CONF
ClusterName=zvmtest
SlurmctldHost=$host
AuthType=auth/munge
AuthInfo=socket=$dir/munge/sock
CryptoType=crypto/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$dir/ctld
SlurmdSpoolDir=$dir/d
SlurmctldPidFile=$dir/ctld.pid
SlurmdPidFile=$dir/d.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
SlurmctldPort=$((20000 + RANDOM % 10000))
SlurmdPort=$((30000 + RANDOM % 10000))
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
ReturnToService=2
SlurmdTimeout=5
MinJobAge=300
MpiDefault=none
NodeName=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=zvm Nodes=$host Default=YES MaxTime=INFINITE State=UP OverSubscribe=FORCE:8
CONF
	export SLURM_CONF=$dir/slurm.conf
	/usr/sbin/slurmctld -i -f "$SLURM_CONF" 2>"$dir"/log/slurmctld.err ||
		{ SLURM_CLUSTER_REASON="slurmctld did not start: $(cat "$dir"/log/slurmctld.err)"; return 1; }
	local i
	for i in $(seq 100); do [ -s "$dir"/ctld.pid ] && break; sleep 0.05; done
	slurm_cluster_pids+=("$(cat "$dir"/ctld.pid)")
	slurm_cluster_start_slurmd
}

# Starts slurmd (again) and waits until the node takes jobs.
slurm_cluster_start_slurmd() {
	local dir=${SLURM_CONF%/slurm.conf} i
	rm -f "$dir"/d.pid
	/usr/sbin/slurmd -f "$SLURM_CONF" 2>"$dir"/log/slurmd.err ||
		{ SLURM_CLUSTER_REASON="slurmd did not start: $(cat "$dir"/log/slurmd.err)"; return 1; }
	for i in $(seq 100); do [ -s "$dir"/d.pid ] && break; sleep 0.05; done
	slurm_slurmd_pid=$(cat "$dir"/d.pid)
	slurm_cluster_pids+=("$slurm_slurmd_pid")
	for i in $(seq 400); do
		if sinfo -h -o %t 2>/dev/null | grep -Eqx 'idle|mix|alloc'; then return 0; fi
		sleep 0.05
	done
	SLURM_CLUSTER_REASON="the node did not come up: $(sinfo -h -o '%t %E' 2>&1 | head -1)"
	return 1
}
