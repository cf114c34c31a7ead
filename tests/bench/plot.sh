#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# plot.sh: draws run.sh's benchmarks.tsv as a PNG with gnuplot, four panels: CPU time as a
# ratio to native (log scale), hello latency in ms (log scale), jobs/s by clients, and GiB/s
# of channels and of reading results; each with its target as a dashed line.
#   tests/bench/plot.sh docs/benchmarks.tsv docs/benchmarks.png
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 BENCHMARKS.tsv OUT.png" >&2; exit 2; }
tsv=$1
png=$2
data=$(mktemp -d "${TMPDIR:-/tmp}/zvm-plot.XXXXXX")
trap 'rm -rf -- "$data"' EXIT

# One file per panel, in the shapes gnuplot's histograms want.
awk -F'\t' '$1 == "cpu" && $3 != "native" { r[$2, $3] = $6; if (!($2 in s)) { s[$2]; p[++n] = $2 } }
	END { for (i = 1; i <= n; i++) print p[i], r[p[i], "zvm run"], r[p[i], "node:wasi"],
		r[p[i], "wasm-interp"] }' "$tsv" >"$data/cpu"
awk -F'\t' '$1 == "latency" { printf "\"%s\" %s\n", $3, $4 * 1000 }' "$tsv" >"$data/latency"
awk -F'\t' '$1 == "throughput" { printf "\"%s\" %s\n", $3, $4 }' "$tsv" >"$data/throughput"
awk -F'\t' '($1 == "channels" || $1 == "results") && $5 == "GiB/s" {
	label = $3; sub(/, warm$/, "", label); sub(/ \(sha256\)/, "", label)
	sub(/, file to file$/, "", label); sub(/ \(gcc -O2\)/, "", label); sub(/ \(state dir\)/, "", label)
	printf "\"%s\" %s\n", label, $4 }' "$tsv" >"$data/rates"

# panel FILE PLOT: the plot command, or an empty panel when the section was not run.
panel() {
	if [ -s "$1" ]; then
		echo "$2"
	else
		echo 'set label 1 "not measured" at graph 0.5, 0.5 center'
		echo 'unset logscale y; unset arrow; plot [0:1] [0:1] NaN notitle; unset label 1'
	fi
}

gnuplot <<GNUPLOT
set terminal pngcairo size 1400,1000 font ",10"
set output "$png"
set multiplot layout 2,2 title "zvmfs benchmarks ($(sed -n 's/^# date\t//p' "$tsv"))"
set style data histograms
set style fill solid 0.8 border -1
set boxwidth 0.8
set grid ytics
set key top left

set title "1. CPU: time / native (log)"
set style histogram clustered gap 1
set logscale y
set yrange [*:*]
set arrow 1 from graph 0, first 1.3 to graph 1, first 1.3 nohead dt 2 lw 2 lc "red"
$(panel "$data/cpu" "plot \"$data/cpu\" using 2:xtic(1) title \"zvm run\", \
	'' using 3 title \"node:wasi\", '' using 4 title \"wasm-interp (per unit)\"")
unset arrow 1

set title "2. hello latency, ms (log)"
set xtics rotate by -20
set yrange [*:*]
set arrow 2 from graph 0, first 5 to graph 1, first 5 nohead dt 2 lw 2 lc "red"
$(panel "$data/latency" "plot \"$data/latency\" using 2:xtic(1) notitle lc 3")
unset arrow 2
unset logscale y

set title "3. hello jobs/s through the mount"
set xtics norotate
set yrange [0:*]
set arrow 3 from graph 0, first 300 to graph 1, first 300 nohead dt 2 lw 2 lc "red"
$(panel "$data/throughput" "plot \"$data/throughput\" using 2:xtic(1) notitle lc 4")
unset arrow 3

set title "4-5. channels and reading results, GiB/s"
set xtics rotate by -20
set arrow 4 from graph 0, first 1 to graph 1, first 1 nohead dt 2 lw 2 lc "red"
$(panel "$data/rates" "plot \"$data/rates\" using 2:xtic(1) notitle lc 6")
unset multiplot
GNUPLOT
