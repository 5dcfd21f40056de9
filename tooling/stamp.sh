# SPDX-License-Identifier: GPL-2.0
# Sourced by checks that depend on nothing but the tree and a few files:
# one that passed is not run again on the same inputs.  The key is the
# tree's HEAD commit, which names every series input (tree.py keeps a
# commit only while its inputs hash the same), the tree's uncommitted
# changes, the compilers and checkers, and the files the caller names.
# A fresh clone has no stamps.
#
#   stamp_skip NAME FILE...   exit 0 if NAME passed on these inputs before
#   stamp_pass                record that it passed on them

stamp_skip() {
	STAMP=$OUT/$1.stamp
	shift
	STAMP_KEY=$({ git -C "$TREE" rev-parse HEAD
		git -C "$TREE" diff HEAD
		git -C "$TREE" status --porcelain
		gcc --version; sparse --version; perl -v
		cat "$@"; } 2>&1 | sha256sum | cut -d' ' -f1)
	if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$STAMP_KEY" ]; then
		echo "$(basename "$STAMP" .stamp): passed on these inputs before (tree $(git -C "$TREE" rev-parse --short HEAD)); not run again"
		exit 0
	fi
	rm -f "$STAMP"
}

stamp_pass() {
	echo "$STAMP_KEY" >"$STAMP"
}
