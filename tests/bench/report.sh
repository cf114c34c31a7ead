#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# report.sh: turns run.sh's benchmarks.tsv into the Markdown of docs/benchmarks.md, so the
# tables can be remade from the raw figures: `tests/bench/report.sh docs/benchmarks.tsv`.
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 BENCHMARKS.tsv" >&2; exit 2; }

awk -F'\t' '
function show(value, unit) {
	if (unit ~ /^s/)
		return value < 1 ? sprintf("%.2f ms", value * 1000) : sprintf("%.2f s", value)
	if (unit == "GiB/s")
		return sprintf("%.2f GiB/s", value)
	if (unit == "jobs/s")
		return sprintf("%.0f jobs/s", value)
	return value " " unit
}
function times(ratio) {
	return ratio == "" ? "" : sprintf("%.2fx", ratio)
}
/^# / {
	key = substr($1, 3)
	machine[++machine_count] = key
	info[key] = $2
	next
}
$1 == "section" { next }
$1 == "cpu" {
	if (!($2 in seen)) {
		seen[$2] = 1
		programs[++program_count] = $2
	}
	cell[$2, $3] = show($4, $5) (($3 == "native") ? "" : " (" times($6) ")")
	if ($3 == "native") work[$2] = substr($5, 3)
	if ($3 == "wasm-interp") cell[$2, $3] = show($4, $5) " per " substr($5, 3) "; " times($6) " per unit"
	if ($3 == "zvm run") verdict[$2] = $8
	next
}
{
	rows[$1] = rows[$1] sprintf("| %s | %s | %s | %s | %s |\n", $3, show($4, $5), times($6),
		$7, $8)
}
END {
	print "# Benchmarks"
	print ""
	print "Made by `sudo tests/bench/run.sh` (see its header for what it runs and how); the raw"
	print "figures are in [benchmarks.tsv](benchmarks.tsv), plotted in"
	print "[benchmarks.png](benchmarks.png) (`tests/bench/plot.sh` and `tests/bench/report.sh`"
	print "remake both from the TSV). Every figure is the median of the repetitions below: wall"
	print "time of the whole process or job, from its spawn (or the open of the staging file)"
	print "to its end."
	print ""
	print "| machine | |"
	print "|---|---|"
	for (i = 1; i <= machine_count; i++)
		printf "| %s | %s |\n", machine[i], info[machine[i]]
	print ""
	print "![benchmarks](benchmarks.png)"
	if (program_count > 0) {
		print ""
		print "## 1. CPU"
		print ""
		print "Each program runs UNITS times a fixed piece of work, so its time grows linearly with"
		print "the argument and its memory footprint does not change; it prints a checksum, which must"
		print "be the same in every runtime. Native is `gcc -O2`; `zvm run` runs the `zvm cc -O2`"
		print ".nexe with a warm translation cache (start-up included); node:wasi runs the same .nexe"
		print "with `tests/bench/wasi-run.mjs` (Node start-up and compilation included). Debian builds"
		print "wabt without WASI, so wasm-interp runs the same source built as a module that exports"
		print "`bench` (one unit, called by `--run-all-exports`); its ratio is per unit of work:"
		print "(interpreter seconds / its units) / (native seconds / native units)."
		print ""
		print "| program | work | native | zvm run | node:wasi | wasm-interp | zvm run <= 1.3x native |"
		print "|---|---|---|---|---|---|---|"
		for (i = 1; i <= program_count; i++) {
			p = programs[i]
			printf "| %s | %s | %s | %s | %s | %s | %s |\n", p, work[p], cell[p, "native"],
				cell[p, "zvm run"], cell[p, "node:wasi"], cell[p, "wasm-interp"], verdict[p]
		}
	}
	header = "| measurement | median | ratio | target | verdict |\n|---|---|---|---|---|\n"
	if (rows["latency"] != "") {
		print ""
		print "## 2. Latency"
		print ""
		print "`images/hello`, start to end. Native: a static hello (`gcc -O2 -static`), posix_spawn"
		print "and waitpid (`tests/bench/spawn-time`). `zvm run`: the same for the whole command."
		print "Mount: `tests/bench/job-time` writes the bundle into `submit/`, fsyncs (which submits, as"
		print "the close of `cp` does), reads the id from `user.zvm.job`, then reads `jobs/ID/wait` to"
		print "its end. Cold: the translation cache is emptied before each run (wasm2c and cc included)."
		print "Ratios are to the native fork+exec."
		print ""
		printf "%s%s", header, rows["latency"]
	}
	if (rows["throughput"] != "") {
		print ""
		print "## 3. Throughput"
		print ""
		print "Trivial jobs (`images/hello`, warm cache) per second through the mount: CLIENTS"
		print "processes share the jobs, each submitting and waiting in a loop (`job-time -c`); the"
		print "gateway runs as many jobs at once as the machine has cores."
		print ""
		printf "%s%s", header, rows["throughput"]
	}
	if (rows["channels"] != "") {
		print ""
		print "## 4. Channels"
		print ""
		print "`tests/bench/stream.c` (128 KiB read/write calls, like cat) copies a file of random"
		print "bytes, packed in the bundle, through `zvm run` (warm cache) to an output file in the"
		print "same file system. The whole job also extracts that file from the tar, so the rate is"
		print "the size over (job time - time of the same bundle copying 0 bytes, the two run in turn,"
		print "median of the differences); the whole job time is beside it. Native: `cat` and"
		print "stream.c built with gcc, from the same file (page cache warm) to a new file on the same"
		print "file system. With etags on, each of the two channels is digested with SHA-256"
		print "(`[limits] etag`). Ratios are the rate over the rate of cat (below 1: slower than cat)."
		print ""
		printf "%s%s", header, rows["channels"]
	}
	if (rows["results"] != "") {
		print ""
		print "## 5. Reading results"
		print ""
		print "A job writes /dev/zero to its stdout; `cat` then reads that stdout through the mount"
		print "(`jobs/ID/stdout`) and on disk (the state dir file behind it), both warm: each is read"
		print "once untimed first. The ratio is the mounted read time over the disk read time."
		print ""
		printf "%s%s", header, rows["results"]
	}
	if (rows["limits"] != "") {
		print ""
		print "## 6. Limits"
		print ""
		print "Reference figures behind two targets that are not met. matmul: `gcc -O2` vectorizes"
		print "its inner loop, a .nexe cannot (wasm2c 1.0.32, the translator in Debian 12, aborts"
		print "on SIMD, so modules with it are refused); without vectorization native is slower."
		print "Etags on: every byte streamed is digested twice (once read, once written), so each"
		print "GiB/s of streaming needs two GiB/s of SHA-256, and one core of this machine does the"
		print "figure below, the hardware SHA extensions included; the runner digests each channel"
		print "on a thread of its own, beside the program."
		print ""
		printf "%s%s", header, rows["limits"]
	}
}' "$1"
# Measured by hand, not by run.sh (a cold translation of an interpreter takes minutes of
# both cores; a before/after needs two builds): kept beside this script, appended as they are.
for extra in large-modules.md fence-cost.md real-programs.md; do
	if [ -f "$(dirname "$0")/$extra" ]; then
		echo
		cat "$(dirname "$0")/$extra"
	fi
done
