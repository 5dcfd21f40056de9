#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Style gates on every kernel file we add: checkpatch --strict,
# kernel-doc, and a W=1 + sparse (C=2) rebuild of each object in the
# x86_64 KUnit build, which has every one of our options enabled.
set -e
# checkpatch runs spdxcheck.py with the first python3 on PATH; Debian's
# has the python3-ply and python3-git that deps.sh installs.  ccache's
# compiler names stay first.
export PATH=/usr/lib/ccache:/usr/bin:$PATH
: "${REPO:?run through make}" "${TREE:?}" "${OUT:?}"
BDIR=$OUT/kunit-x86_64
. "$REPO/tooling/stamp.sh"
git -C "$REPO" ls-files -s >"$OUT/lint.files"
stamp_skip lint "$REPO/tooling/lint.sh" "$BDIR/.config" "$OUT/lint.files"
cd "$REPO"
files=$(git ls-files -- 'include/*.h' 'lib/*.[ch]' 'kernel/*.[ch]' 'drivers/*.[ch]' 'net/*.[ch]' 'samples/*.[ch]')
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
# selected CONFIG FILE: does the kernel configured in CONFIG build FILE?
# Its obj-$(CONFIG_X) line says, or that of the composite object it is a
# part of ("name-y := a.o b.o"); the others would not compile alone.
selected() {
	mk=$TREE/$(dirname "$2")/Makefile
	obj=$(basename "${2%.c}.o")
	part_of=$(grep -E "^[A-Za-z0-9_]+-(y|objs)[[:space:]]*[:+]?=" "$mk" |
		grep -w "$obj" | sed -E 's/-(y|objs).*//' | head -n 1)
	[ -z "$part_of" ] || obj=$part_of.o
	sym=$(sed -n "s/^obj-\$(CONFIG_\([A-Z0-9_]*\))[[:space:]]*+=[[:space:]]*$obj\$/\1/p" \
		"$mk" | head -n 1)
	[ -n "$sym" ] && grep -q "^CONFIG_$sym=[ym]" "$1"
}
objs=
for f in $files; do
	case $f in *.c) ;; *) continue;; esac
	selected "$BDIR/.config" "$f" || continue
	objs="$objs ${f%.c}.o"
	checked="$checked $f"
done
# One make for every object: each call of its own walks the tree's
# prepare steps again, seconds apiece.  The warnings name their files.
w1_objs() {
	dir=$1
	shift
	[ -n "$objs" ] || { echo "no object to build"; return; }
	for o in $objs; do rm -f "$dir/$o"; done
	# shellcheck disable=SC2086
	if ! log=$(make -s -k -C "$TREE" O="$dir" -j"$(nproc)" "$@" $objs 2>&1); then
		echo "$log" | grep -v "^  [A-Z]"
		echo "make failed"
		return
	fi
	echo "$log" | grep -v "^make\|^  [A-Z]" || true
}
out=$(w1_objs "$BDIR" W=1 C=2)
[ -z "$out" ] || { echo "$out"; echo "lint: W=1/sparse: warnings above"; status=1; }

# 32-bit dma_addr_t and phys_addr_t: i386 without PAE, W=1 and
# CONFIG_WERROR=y as 0-day builds it.  No ZONE_DEVICE there, so no P2P.
I386=$OUT/lint-i386
if [ ! -f "$I386/.config" ] || [ "$REPO/tooling/lint.sh" -nt "$I386/.config" ]; then
	mkdir -p "$I386"
	make -s -C "$TREE" O="$I386" ARCH=i386 i386_defconfig >/dev/null
	"$TREE"/scripts/config --file "$I386/.config" -d X86_PAE -e WERROR \
		-e KUNIT -e DMA_SG_KUNIT_TEST -e DMA_SG_MAP_KUNIT_TEST \
		-e DMA_SG_BENCH -e SWIOTLB -e DMABUF_DMA_SG_KUNIT_TEST \
		-e DRM -e DRM_PRIME_DMA_SG_KUNIT_TEST -e NET_DEVMEM_KUNIT_TEST \
		-e IOMMU_MAP_ARRAY_KUNIT_TEST
	make -s -C "$TREE" O="$I386" ARCH=i386 olddefconfig >/dev/null
fi
make -s -C "$TREE" O="$I386" ARCH=i386 -j"$(nproc)" prepare >/dev/null 2>&1 ||
	{ echo "lint: i386: make prepare failed"; status=1; }
objs=
for f in $files; do
	case $f in *.c) ;; *) continue;; esac
	selected "$I386/.config" "$f" || continue
	objs="$objs ${f%.c}.o"
	checked32="$checked32 $f"
done
out=$(w1_objs "$I386" ARCH=i386 W=1)
[ -z "$out" ] || { echo "$out"; echo "lint: i386 W=1 -Werror: warnings above"; status=1; }
[ -n "$checked" ] || { echo "lint: x86_64: no object built"; status=1; }
[ -n "$checked32" ] || { echo "lint: i386: no object built"; status=1; }
echo "lint: checkpatch and kernel-doc on $(echo $files | wc -w) files; W=1+sparse on:$checked; i386 W=1 -Werror on:$checked32"
[ "$status" -ne 0 ] || stamp_pass
exit $status
