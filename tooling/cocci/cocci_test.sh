#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Test every semantic patch under scripts/coccinelle/api/dma_sg/ against its
# inputs in tests/ here.  spatch's exit codes do not say
# whether a rewrite is right, so each result is judged by diff:
#   X.c       input, shapes taken from real drivers
#   X.res     what patch mode must make of it
#   X.report  what report mode must say of X.res (what is left)
# and a second patch-mode run on X.res must change nothing.
set -eu
: "${REPO:?run through make}"
DIR=$REPO/scripts/coccinelle/api/dma_sg
TESTS=$REPO/tooling/cocci/tests
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fail=0 n=0

# Run spatch in one mode; with -o, "no change" leaves no file (exit 255).
patch_to() { # cocci input output
	rm -f "$3"
	spatch --very-quiet -D patch --sp-file "$1" "$2" -o "$3" \
		>/dev/null 2>"$TMP/log" || true
	if grep -q -i 'error\|parse error' "$TMP/log"; then
		cat "$TMP/log" >&2
		return 1
	fi
	[ -f "$3" ] || cp "$2" "$3"
}

for cocci in "$DIR"/*.cocci; do
	name=$(basename "$cocci" .cocci)
	in=$TESTS/$name.c res=$TESTS/$name.res rep=$TESTS/$name.report
	if [ ! -f "$in" ] || [ ! -f "$res" ] || [ ! -f "$rep" ]; then
		echo "FAIL $name: cocci_tests/$name.{c,res,report} missing"
		fail=1; continue
	fi
	n=$((n + 1))
	ok=1
	if ! patch_to "$cocci" "$in" "$TMP/$name.out" ||
	   ! diff -u "$res" "$TMP/$name.out" >"$TMP/diff"; then
		echo "FAIL $name: patch mode"; cat "$TMP/diff"; ok=0
	fi
	if ! patch_to "$cocci" "$res" "$TMP/$name.again" ||
	   ! diff -u "$res" "$TMP/$name.again" >"$TMP/diff"; then
		echo "FAIL $name: a second run changes the result"
		cat "$TMP/diff"; ok=0
	fi
	spatch --very-quiet -D report --sp-file "$cocci" "$res" 2>&1 |
		sed "s|$TESTS/||" | sort >"$TMP/$name.rep" || true
	if ! diff -u "$rep" "$TMP/$name.rep"; then
		echo "FAIL $name: report mode"; ok=0
	fi
	for mode in context org; do
		if ! spatch --very-quiet -D $mode --sp-file "$cocci" "$in" \
			>/dev/null 2>"$TMP/log" || grep -qi 'error' "$TMP/log"; then
			echo "FAIL $name: $mode mode"; cat "$TMP/log"; ok=0
		fi
	done
	[ $ok = 1 ] && echo "PASS $name" || fail=1
done
[ $n -gt 0 ] || { echo "cocci-test: no semantic patches found"; exit 1; }
[ $fail = 0 ] && echo "cocci-test: $n semantic patch(es) passed" || exit 1
