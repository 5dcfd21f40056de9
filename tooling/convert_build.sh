#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Build, with W=1, every object whose source the RDMA, dma-buf, DRM, net and
# accel commits of the series change: the hand-written cores and each file a
# semantic patch converted.  x86_64 with COMPILE_TEST, so that drivers bound to another
# architecture build too.  A warning in any of them fails.  The RDMA core
# files also go through sparse; many drivers have sparse warnings of
# their own, so for them only W=1 is held clean.  The dma-buf core gets
# sparse as well.  KUnit files
# are left to make lint, which builds them in the KUnit kernel.
set -e
: "${REPO:?run through make}" "${TREE:?}" "${OUT:?}"
BDIR=$OUT/convert-x86_64
. "$REPO/tooling/stamp.sh"
stamp_skip convert-build "$REPO/tooling/convert_build.sh" \
	"$REPO/tooling/kconfig_of.py"

# Commits whose subject names those subsystems (cores and conversions).
changed=$(git -C "$TREE" log --format='%H %s' dma_sg-base..HEAD |
	grep -E '^[0-9a-f]+ (RDMA|dma-buf|drm|accel|net)' |
	while read -r c _; do
		git -C "$TREE" diff-tree --no-commit-id --name-only -r "$c"
	done | sort -u)
# A header a conversion changed may be read by files it did not touch:
# build the .c files of its directory that include it too.
includers=$(for h in $(echo "$changed" | grep '\.h$'); do
	d=$(dirname "$h")
	grep -l "#include \"$(basename "$h")\"" "$TREE/$d"/*.c 2>/dev/null |
		sed "s|^$TREE/||"
done)
files=$(echo "$changed" | grep '\.c$' | grep -v '_kunit\.c$' || true)
readers=$(echo "$includers" | grep -v '_kunit\.c$' | grep -vxF "$files" | sort -u || true)
[ -n "$files" ] || { echo "convert-build: no converted files"; exit 1; }

cfg="$REPO/tooling/convert_build.sh"
if [ ! -f "$BDIR/.config" ] || [ "$cfg" -nt "$BDIR/.config" ]; then
	mkdir -p "$BDIR"
	make -s -C "$TREE" O="$BDIR" x86_64_defconfig >/dev/null
	"$TREE"/scripts/config --file "$BDIR/.config" -e COMPILE_TEST \
		-e INFINIBAND -e INFINIBAND_USER_ACCESS -e NET_VENDOR_MELLANOX \
		-e MLX4_CORE -e MLX4_EN -e MLX4_INFINIBAND -e MLX5_CORE \
		-e MLX5_INFINIBAND -e NET_VENDOR_HISILICON -e HNS3 \
		-e INFINIBAND_HNS_HIP08 -e INFINIBAND_ERDMA -e NET_VENDOR_INTEL \
		-e ICE -e I40E -e INFINIBAND_IRDMA -e NET_VENDOR_QLOGIC -e QED \
		-e QEDE -e INFINIBAND_QEDR -e INFINIBAND_RDMAVT -e RDMA_RXE \
		-e RDMA_SIW -e INET -e IPV6 -e PCI -e HFI1_DUMMY_NONE \
		-e DRM -e DRM_AMDGPU -m DRM_XE -d DRM_XE_DISPLAY \
		-e VIRTIO_MENU -e VIRTIO_PCI -e DRM_VIRTIO_GPU \
		-e DRM_ACCEL -e DRM_ACCEL_HABANALABS
	make -s -C "$TREE" O="$BDIR" olddefconfig >/dev/null
fi
make -s -C "$TREE" O="$BDIR" -j"$(nproc)" prepare >/dev/null 2>&1 ||
	{ echo "convert-build: make prepare failed"; exit 1; }
status=0
# One make per group of objects, not per object: each call walks the
# tree's prepare steps again, seconds apiece.  Errors and warnings name
# their files.  build_objs FLAGS OBJ...: rebuild, print what was said.
build_objs() {
	flags=$1
	shift
	[ $# -gt 0 ] || return 0
	for o in "$@"; do rm -f "$BDIR/$o"; done
	# shellcheck disable=SC2086
	if ! log=$(make -s -k -C "$TREE" O="$BDIR" -j"$(nproc)" $flags "$@" 2>&1); then
		# make's own "***" lines say which target failed, and why.
		echo "$log" | grep -v '^make' || true
		echo "$log" | grep '^make.*\*\*\*' || true
		return 1
	fi
	echo "$log" | grep -v '^make' || true
}
# Objects of $1 (files) that exist in $BDIR.
count_built() {
	n=0
	for f in $1; do
		[ -f "$BDIR/${f%.c}.o" ] && n=$((n + 1))
	done
	echo $n
}
core=$(echo "$files" | grep -E '^drivers/(infiniband/core|dma-buf)/' || true)
rest=$(echo "$files" | grep -vE '^drivers/(infiniband/core|dma-buf)/' || true)
# check_group FLAGS FILES: each must build, and say nothing.
check_group() {
	# shellcheck disable=SC2086
	if ! out=$(build_objs "$1" $(echo "$2" | sed 's/\.c$/.o/')); then
		echo "$out"; echo "convert-build: FAIL: not every object builds"
		status=1; return
	fi
	[ -z "$out" ] || { echo "$out"; echo "convert-build: FAIL: warnings above"; status=1; }
}
check_group "W=1 C=2" "$core"
check_group W=1 "$rest"
built=$(count_built "$files")
[ "$built" -eq "$(echo "$files" | wc -l)" ] ||
	{ echo "convert-build: FAIL: only $built objects were built"; status=1; }
# Readers of a changed header must still build; their own warnings are
# not the series', so only errors count.  Only objects this configuration
# builds: a reader under a symbol that is off may not build on its own,
# with or without the series.
want=
for f in $readers; do
	sym=$(python3 "$REPO/tooling/kconfig_of.py" "$TREE" "$f")
	if [ -n "$sym" ] && ! grep -q "^CONFIG_$sym=[ym]" "$BDIR/.config"; then
		continue
	fi
	want="$want $f"
done
# shellcheck disable=SC2086
if ! out=$(build_objs "" $(echo $want | tr ' ' '\n' | sed 's/\.c$/.o/')); then
	echo "$out"
	echo "convert-build: FAIL: a file that reads a changed header does not build"
	status=1
fi
read_ok=$(count_built "$want")
echo "convert-build: $built of $(echo "$files" | wc -l) objects built with W=1 (core ones with sparse);" \
	"$read_ok readers of changed headers built"
[ "$status" -ne 0 ] || stamp_pass
exit $status
