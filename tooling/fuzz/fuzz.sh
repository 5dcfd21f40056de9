#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Run the dma_sg libFuzzer targets and record their figures.
#
#   fuzz.sh smoke SECONDS   corpus/ as regression inputs, then a bounded run
#                           from a fresh copy of it (what make check does)
#   fuzz.sh long SECONDS    fuzz on, keeping build/fuzz/corpus-long-* between
#                           runs
#
# A crash stops the run, is copied into corpus/ as crash-<sha1> so that it
# stays a regression input, and fails the script.  The figures go to
# $OUT/fuzz/figures.tsv, one row per target.
set -e
: "${REPO:?run through make}" "${OUT:?}"
HARNESS=$REPO/tools/testing/dma_sg
CORPUS=$REPO/tooling/fuzz/corpus
BIN=$OUT/harness
WORK=$OUT/fuzz
mode=${1:-smoke}
secs=${2:-60}
# The 32-bit dma_addr_t build gets a quarter of the time.
secs32=$((secs / 4))
secs64=$((secs - secs32))

make -s -C "$HARNESS" O="$BIN" "$BIN/fuzz" "$BIN/fuzz32" "$BIN/harness-cov" \
	"$BIN/harness-cov32"
rm -rf "$WORK/crashes"
mkdir -p "$WORK"
printf 'target\tmode\tseconds\texecutions\texec_per_sec\tcorpus_files\tcov_edges\tfeatures\tdma_sg_c_lines\tdma_sg_c_branches\n' \
	>"$WORK/figures.tsv"

# run TARGET SECONDS: fuzz, save crashes, append the figures
run() {
	t=$1 s=$2
	corpus=$WORK/corpus-$mode-$t
	log=$WORK/$t-$mode.log
	if [ "$mode" = smoke ]; then
		echo "fuzz: $t: corpus/ as regression inputs"
		"$BIN/$t" -runs=0 "$CORPUS"/* >"$WORK/$t-regress.log" 2>&1 ||
			{ tail -n 30 "$WORK/$t-regress.log"; exit 1; }
		rm -rf "$corpus"
	fi
	mkdir -p "$corpus" "$WORK/crashes"
	[ -n "$(ls "$corpus")" ] || cp "$CORPUS"/* "$corpus"/
	echo "fuzz: $t: $s s"
	if ! "$BIN/$t" -max_total_time="$s" -print_final_stats=1 \
		-artifact_prefix="$WORK/crashes/$t-" "$corpus" >"$log" 2>&1; then
		grep -A 12 "FAILED\|ERROR" "$log" | head -n 30
		for c in "$WORK/crashes/$t"-*; do
			[ -f "$c" ] || continue
			name=crash-$(sha1sum <"$c" | cut -c1-12)
			cp "$c" "$CORPUS/$name"
			echo "fuzz: $t: reproducer saved as tooling/fuzz/corpus/$name"
			echo "fuzz: replay with: $BIN/harness tooling/fuzz/corpus/$name"
		done
		exit 1
	fi
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	last=$(grep -E '^#[0-9]+' "$log" | tail -n 1)
	cov=$(echo "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
	ft=$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
	files=$(ls "$corpus" | wc -l)
	# Line and branch coverage of lib/dma_sg/dma_sg.c by the final corpus
	covbin=$BIN/harness-cov${t#fuzz}
	LLVM_PROFILE_FILE=$WORK/$t.profraw "$covbin" "$corpus" >/dev/null
	llvm-profdata merge -o "$WORK/$t.profdata" "$WORK/$t.profraw"
	llvm-cov report "$covbin" -instr-profile="$WORK/$t.profdata" \
		"$REPO/lib/dma_sg/dma_sg.c" >"$WORK/$t-coverage.txt"
	lines=$(awk '/^TOTAL/ { print $10 }' "$WORK/$t-coverage.txt")
	branches=$(awk '/^TOTAL/ { print $13 }' "$WORK/$t-coverage.txt")
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$t" "$mode" "$s" \
		"$execs" "$rate" "$files" "$cov" "$ft" "$lines" "$branches" \
		>>"$WORK/figures.tsv"
	echo "fuzz: $t: $execs executions, $rate exec/s, corpus $files files, cov: $cov edges, ft: $ft"
	echo "fuzz: $t: lib/dma_sg/dma_sg.c covered by the corpus: lines $lines, branches $branches"
}

run fuzz "$secs64"
run fuzz32 "$secs32"
echo "fuzz: figures in $WORK/figures.tsv"
awk -F '\t' '{ printf "%-7s %-6s %7s %10s %12s %12s %9s %8s %14s %17s\n", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10 }' \
	"$WORK/figures.tsv"
