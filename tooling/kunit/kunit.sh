#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Build and boot our KUnit kernels through the kernel's own kunit.py.
#
#   kunit.sh build KERNEL   um-sanitizers, um-bench, x86_64 or kmsan
#   kunit.sh run ARCH...    boot the kernels make has built: um, x86_64,
#                           kmsan
#
# The Makefile orders the two (make kunit, e2e and bench build first) and
# sets REPO, TREE and OUT.  A build is kunit.py's incremental make, so an
# unchanged kernel costs one make walk.
set -e
: "${REPO:?run through make}" "${TREE:?}" "${OUT:?}"
HERE=$REPO/tooling/kunit
JOBS=$(nproc)

# Each suite's own .kunitconfig sits in its directory; the files here
# add what a kernel needs around them (sanitizers, devices, the bench).
SUITES_UM="lib/dma_sg kernel/dma"
SUITES_X86="lib/dma_sg kernel/dma drivers/pci drivers/dma-buf
drivers/infiniband/core drivers/iommu samples/dma_sg"

# kernel NAME: set k_arch, k_dir, k_cfgs and k_make for that kernel.
kernel() {
	k_make=""
	case $1 in
	# The table and dma-direct mapping under KASAN and lockdep.
	um-sanitizers)
		k_arch=um k_dir=$OUT/kunit-um-sanitizers
		k_cfgs="$SUITES_UM tooling/kunit/um-sanitizers.kunitconfig";;
	# Uninstrumented, for native timings (make bench).
	um-bench)
		k_arch=um k_dir=$OUT/kunit-um
		k_cfgs="lib/dma_sg tooling/kunit/um-bench.kunitconfig";;
	# Every suite; the same image boots the e2e and bench topologies.
	x86_64)
		k_arch=x86_64 k_dir=$OUT/kunit-x86_64
		k_cfgs="$SUITES_X86 tooling/kunit/x86_64.kunitconfig";;
	# The mapping suite under KMSAN, which only clang builds.
	kmsan)
		k_arch=x86_64 k_dir=$OUT/kunit-kmsan k_make="LLVM=1"
		k_cfgs="kernel/dma tooling/kunit/kmsan.kunitconfig";;
	*)
		echo "kunit: unknown kernel $1" >&2; exit 2;;
	esac
}

build() {
	kernel "$1"
	cfgs=""
	for c in $k_cfgs; do
		cfgs="$cfgs --kunitconfig=$REPO/$c"
	done
	log=$k_dir.build.log
	echo "kunit: building $(basename "$k_dir")"
	# shellcheck disable=SC2086
	( cd "$TREE" && python3 tools/testing/kunit/kunit.py build \
		--arch="$k_arch" --build_dir="$k_dir" --jobs="$JOBS" $cfgs \
		${k_make:+--make_options="$k_make"} ) \
		>"$log" 2>&1 ||
		{ tail -n 40 "$log"; echo "kunit: $1 failed to build"; exit 1; }
	[ "$k_arch" = x86_64 ] || return 0
	# ccache's depend mode (see the Makefile) cannot see .incbin: the
	# compressed kernel's piggy.S, unchanged when the kernel's sizes
	# are, would come back from the cache holding the old kernel.
	rm -f "$k_dir/arch/x86/boot/compressed/piggy.o"
	# shellcheck disable=SC2086
	CCACHE_DISABLE=1 make -s -C "$TREE" O="$k_dir" ARCH=x86_64 -j"$JOBS" \
		$k_make bzImage >>"$log" 2>&1 ||
		{ tail -n 40 "$log"; echo "kunit: $1: bzImage failed to build"; exit 1; }
}

# boot NAME KERNEL "KERNEL_ARGS" TESTFILE...: one boot, checked.
boot() {
	name=$1 kargs=$3
	kernel "$2"
	shift 3
	log=$OUT/kunit-$name.log
	echo "kunit: $name ($k_arch${kargs:+, $kargs}${QEMU_ARGS:+, $QEMU_ARGS}${LEAKSCAN:+, kmemleak scan})"
	if [ -n "$LEAKSCAN" ]; then
		boot_leakscan "$kargs" >"$log" 2>&1 ||
			{ tail -n 40 "$log"; echo "kunit: $name failed to boot"; return 1; }
		grep -q "^leakscan: kmemleak scanned twice" "$log" ||
			{ tail -n 40 "$log"; echo "kunit: $name: kmemleak did not scan"; return 1; }
	else
		( cd "$TREE" && python3 tools/testing/kunit/kunit.py exec \
			--arch="$k_arch" --build_dir="$k_dir" --timeout=900 \
			${QEMU_ARGS:+--qemu_args="$QEMU_ARGS"} \
			${kargs:+--kernel_args="$kargs"} --raw_output=all ) >"$log" 2>&1 ||
			{ tail -n 40 "$log"; echo "kunit: $name failed to boot"; return 1; }
	fi
	( cd "$TREE" && python3 tools/testing/kunit/kunit.py parse \
		--json="$OUT/kunit-$name.json" "$log" ) |
		grep -E "^\[|Testing complete|FAILED|PASSED|SKIPPED|CRASHED" |
		grep -v "^\[.*\] =" | tail -n 60
	( cd "$REPO" && python3 "$HERE/kunit_check.py" \
		"$OUT/kunit-$name.json" "$log" "$@" )
}

# The x86_64 kernel booted as kunit.py boots it, but with no shutdown
# after the suites: the initramfs has kmemleak scan, then powers off.
boot_leakscan() {
	initrd=$OUT/kunit-leakscan.cpio.gz
	sh "$HERE/leakscan_initramfs.sh" "$initrd"
	# shellcheck disable=SC2086
	timeout 900 qemu-system-x86_64 -nodefaults -m 1024 -bios qboot.rom \
		-kernel "$k_dir/arch/x86/boot/bzImage" -initrd "$initrd" \
		-append "kunit.enable=1 console=ttyS0 $1" \
		-no-reboot -nographic -serial stdio $QEMU_ARGS </dev/null
}

IOMMU_VM="-machine q35,kernel-irqchip=split -device intel-iommu,intremap=on -device edu"

run_um() {
	boot um-sanitizers um-sanitizers "" \
		lib/dma_sg/dma_sg_kunit.c kernel/dma/dma_sg_map_kunit.c
}

run_x86_64() {
	s=0
	# Two vCPUs, so that the registry's race test races for real, and
	# kmemleak's scan at the end.
	LEAKSCAN=1 QEMU_ARGS="-smp 2" boot x86_64 x86_64 "" \
		lib/dma_sg/dma_sg_kunit.c samples/dma_sg/dma_sg_e2e_kunit.c \
		drivers/pci/p2p_bar_kunit.c kernel/dma/dma_sg_map_kunit.c \
		drivers/infiniband/core/ib_umem_kunit.c \
		drivers/dma-buf/dma_buf_dma_sg_kunit.c \
		drivers/gpu/drm/tests/drm_prime_dma_sg_kunit.c \
		net/core/devmem_kunit.c || s=1
	# Every mapping bounced through swiotlb.
	boot x86_64-swiotlb x86_64 "swiotlb=force kunit.filter_glob=dma_sg_map" \
		kernel/dma/dma_sg_map_kunit.c || s=1
	boot x86_64-umem-swiotlb x86_64 "swiotlb=force kunit.filter_glob=ib_umem" \
		drivers/infiniband/core/ib_umem_kunit.c || s=1
	# ib_umem through intel-iommu, a PCI device as the ib_device; then
	# with the IOMMU in scalable mode, its page tables reached through
	# PASID entries.
	QEMU_ARGS=$IOMMU_VM boot x86_64-umem-iommu x86_64 \
		"intel_iommu=on kunit.filter_glob=ib_umem" \
		drivers/infiniband/core/ib_umem_kunit.c || s=1
	QEMU_ARGS=$(echo "$IOMMU_VM" | sed 's/intremap=on/&,x-scalable-mode=on/') \
		boot x86_64-umem-iommu-sm x86_64 \
		"intel_iommu=on,sm_on kunit.filter_glob=ib_umem" \
		drivers/infiniband/core/ib_umem_kunit.c || s=1
	# Scalable mode: asked for, and the IOMMU offers it (ECAP.SMTS).
	ecap=$(sed -n 's/^DMAR: dmar0: .* ecap \([0-9a-f]*\)$/\1/p' \
		"$OUT/kunit-x86_64-umem-iommu-sm.log")
	grep -q "DMAR: Enable scalable mode" "$OUT/kunit-x86_64-umem-iommu-sm.log" &&
		[ $(( (0x${ecap:-0} >> 43) & 1 )) = 1 ] ||
		{ echo "kunit: x86_64-umem-iommu-sm: not in scalable mode"; s=1; }
	# dma-buf importers and exporters with every byte bounced, then
	# through intel-iommu with a PCI device importing.
	boot x86_64-dmabuf-swiotlb x86_64 \
		"swiotlb=force kunit.filter_glob=dma_buf_dma_sg" \
		drivers/dma-buf/dma_buf_dma_sg_kunit.c || s=1
	QEMU_ARGS=$IOMMU_VM boot x86_64-dmabuf-iommu x86_64 \
		"intel_iommu=on kunit.filter_glob=dma_buf_dma_sg" \
		drivers/dma-buf/dma_buf_dma_sg_kunit.c || s=1
	# The registry without dma-debug, which keeps records: P2PDMA pages
	# then come after RAM mapped by the dma-direct page and bio_vec
	# loops, which must hand them over, not map them as RAM.
	boot x86_64-p2p x86_64 "dma_debug=off kunit.filter_glob=pci_p2p_bar" \
		drivers/pci/p2p_bar_kunit.c || s=1
	for f in pages bvecs; do
		grep -q "dma_sg_map_$f() mapped P2PDMA pages with no records kept" \
			"$OUT/kunit-x86_64-p2p.log" ||
			{ echo "kunit: x86_64-p2p: dma_sg_map_$f() kept records"; s=1; }
	done
	# 5 GiB of RAM and no dma-debug: swiotlb bounces only what a
	# 32-bit device cannot reach, and records start lazily.
	QEMU_ARGS="-m 5G" boot x86_64-bounce x86_64 \
		"dma_debug=off kunit.filter_glob=dma_sg_map" \
		kernel/dma/dma_sg_map_kunit.c || s=1
	return $s
}

# KMSAN must see every byte a device writes as written once it is mapped,
# on dma-direct and through the Intel IOMMU; a report fails the run.  The
# mapping suite's one IOMMU boot: it also checks the bounce rule there.
# KMSAN keeps two bytes of metadata per byte, of ioremap()ed ones too: 1
# GiB runs out at boot, and so do 3 GiB with q35's 256 MiB of ECAM mapped
# (pci=nommconf).  A panic ends the boot at once, not at the timeout.
run_kmsan() {
	QEMU_ARGS="$IOMMU_VM -m 3G" boot kmsan kmsan \
		"panic=-1 pci=nommconf intel_iommu=on kunit.filter_glob=dma_sg_map" \
		kernel/dma/dma_sg_map_kunit.c || return 1
	# map_kmsan_test skips without KMSAN, map_iova_bounce_test without
	# an IOMMU: here both must run.
	for t in map_kmsan_test map_iova_bounce_test; do
		grep -Eq "^ *ok [0-9]+ $t$" "$OUT/kunit-kmsan.log" ||
			{ echo "kunit: kmsan: $t did not pass"; return 1; }
	done
	grep -q "no PCI device behind an IOMMU" "$OUT/kunit-kmsan.log" &&
		{ echo "kunit: kmsan: nothing mapped through the IOMMU"; return 1; }
	return 0
}

mkdir -p "$OUT"
cmd=$1
shift
case $cmd in
build)
	build "$1";;
run)
	status=0
	for arch in "$@"; do
		case $arch in
		um) run_um || status=1;;
		x86_64) run_x86_64 || status=1;;
		kmsan) run_kmsan || status=1;;
		*) echo "kunit: unknown arch $arch"; exit 2;;
		esac
	done
	exit $status;;
*)
	echo "usage: kunit.sh build KERNEL | run ARCH..."; exit 2;;
esac
