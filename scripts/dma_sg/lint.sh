#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Style gates on every kernel file we add: checkpatch --strict,
# kernel-doc, and a W=1 + sparse (C=2) rebuild of each object in the
# x86_64 KUnit build, which has every one of our options enabled.
set -e
# checkpatch runs spdxcheck.py with the first python3 on PATH; Debian's
# has the python3-ply and python3-git that deps.sh installs.
export PATH=/usr/bin:$PATH
REPO=$(cd "$(dirname "$0")/../.." && pwd)
TREE=${TREE:-$REPO/build/linux}
OUT=${OUT:-$REPO/build}
BDIR=$OUT/kunit-x86_64
export PATH=/usr/lib/ccache:$PATH
cd "$REPO"
files=$(git ls-files -- 'include/*.h' 'lib/*.[ch]' 'kernel/*.[ch]' 'drivers/*.[ch]')
status=0

for f in $files; do
	( cd "$TREE" && ./scripts/checkpatch.pl --strict --quiet --no-tree \
		--ignore FILE_PATH_CHANGES -f "$REPO/$f" ) ||
		{ echo "lint: checkpatch: $f"; status=1; }
	out=$("$TREE"/scripts/kernel-doc -none "$REPO/$f" 2>&1)
	[ -z "$out" ] || { echo "$out"; echo "lint: kernel-doc: $f"; status=1; }
done

if [ ! -f "$BDIR/.config" ]; then
	echo "lint: SKIP W=1/sparse: $BDIR is not built (run make kunit first)"
	exit 1
fi
for f in $files; do
	case $f in *.c) ;; *) continue;; esac
	obj=${f%.c}.o
	# Only objects this config builds; the others would not compile alone.
	grep -q "" "$BDIR/$obj" 2>/dev/null || continue
	rm -f "$BDIR/$obj"
	out=$(make -s -C "$TREE" O="$BDIR" W=1 C=2 "$obj" 2>&1 | grep -v "^make\|^  [A-Z]" || true)
	[ -z "$out" ] || { echo "$out"; echo "lint: W=1/sparse: $f"; status=1; }
	checked="$checked $f"
done
echo "lint: checkpatch and kernel-doc on $(echo $files | wc -w) files; W=1+sparse on:$checked"
exit $status
