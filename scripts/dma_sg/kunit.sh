#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Run our KUnit suites through the kernel's own kunit.py.
# KUNIT_ARCH picks "um", "x86_64" or both (the default).
set -e
REPO=$(cd "$(dirname "$0")/../.." && pwd)
TREE=${TREE:-$REPO/build/linux}
OUT=${OUT:-$REPO/build}
JOBS=$(nproc)
export CCACHE_DIR=${CCACHE_DIR:-$OUT/ccache}
# Debian's compiler masquerade: "gcc" becomes ccache for every build.
export PATH=/usr/lib/ccache:$PATH

# run NAME ARCH "KERNEL_ARGS" KUNITCONFIG... -- TESTFILE...
# The first run of a build directory builds it; later runs only boot.
# The build directory is kunit-ARCH, or kunit-$BUILD when BUILD is set.
run() {
	name=$1 arch=$2 kargs=$3
	shift 3
	cfgs=""
	while [ "$1" != "--" ]; do
		cfgs="$cfgs --kunitconfig=$REPO/$1"
		shift
	done
	shift
	bdir=$OUT/kunit-${BUILD:-$arch}
	log=$OUT/kunit-$name.log
	mode=run
	[ -f "$bdir/.built-by-this-run" ] && mode=exec
	set -- "$@"
	echo "kunit: $name ($arch${kargs:+, $kargs})"
	# shellcheck disable=SC2086
	( cd "$TREE" && python3 tools/testing/kunit/kunit.py $mode \
		--arch="$arch" --build_dir="$bdir" --timeout=900 \
		$( [ $mode = run ] && echo $cfgs --jobs="$JOBS" ) \
		${QEMU_ARGS:+--qemu_args="$QEMU_ARGS"} \
		${kargs:+--kernel_args="$kargs"} --raw_output=all ) >"$log" 2>&1 ||
		{ tail -n 40 "$log"; echo "kunit: $name failed to build or boot"; return 1; }
	[ $mode = run ] && touch "$bdir/.built-by-this-run"
	( cd "$TREE" && python3 tools/testing/kunit/kunit.py parse \
		--json="$OUT/kunit-$name.json" "$log" ) | grep -E "^\[|Testing complete|FAILED|PASSED|SKIPPED|CRASHED" | grep -v "^\[.*\] =" | tail -n 60
	( cd "$REPO" && python3 scripts/dma_sg/kunit_check.py \
		"$OUT/kunit-$name.json" "$log" "$@" )
}

mkdir -p "$OUT"
rm -f "$OUT"/kunit-*/.built-by-this-run
status=0
for arch in ${KUNIT_ARCH:-um x86_64}; do
	case $arch in
	um)
		# The table and dma-direct mapping under KASAN and lockdep.
		# make bench builds a plain UML kernel of its own (kunit-um).
		BUILD=um-sanitizers run um-sanitizers um "" lib/dma_sg \
			kernel/dma/dma_sg_map.kunitconfig \
			tools/testing/dma_sg/kunit/um-sanitizers.kunitconfig -- \
			lib/dma_sg/dma_sg_kunit.c kernel/dma/dma_sg_map_kunit.c ||
			status=1
		;;
	x86_64)
		run x86_64 x86_64 "" lib/dma_sg drivers/misc/dma_sg_e2e \
			kernel/dma/dma_sg_map.kunitconfig \
			drivers/infiniband/core/ib_umem.kunitconfig \
			drivers/dma-buf/dma_buf_dma_sg.kunitconfig \
			tools/testing/dma_sg/kunit/x86_64.kunitconfig -- \
			lib/dma_sg/dma_sg_kunit.c \
			drivers/misc/dma_sg_e2e/dma_sg_e2e_kunit.c \
			drivers/pci/p2p_bar_kunit.c \
			kernel/dma/dma_sg_map_kunit.c \
			drivers/infiniband/core/ib_umem_kunit.c \
			drivers/dma-buf/dma_buf_dma_sg_kunit.c || status=1
		# Same kernel again, every mapping bounced through swiotlb.
		run x86_64-swiotlb x86_64 "swiotlb=force kunit.filter_glob=dma_sg_map" \
			lib/dma_sg drivers/misc/dma_sg_e2e \
			kernel/dma/dma_sg_map.kunitconfig \
			drivers/infiniband/core/ib_umem.kunitconfig \
			tools/testing/dma_sg/kunit/x86_64.kunitconfig -- \
			kernel/dma/dma_sg_map_kunit.c || status=1
		# ib_umem with every page bounced through swiotlb.
		run x86_64-umem-swiotlb x86_64 "swiotlb=force kunit.filter_glob=ib_umem" \
			lib/dma_sg drivers/misc/dma_sg_e2e \
			kernel/dma/dma_sg_map.kunitconfig \
			drivers/infiniband/core/ib_umem.kunitconfig \
			tools/testing/dma_sg/kunit/x86_64.kunitconfig -- \
			drivers/infiniband/core/ib_umem_kunit.c || status=1
		# ib_umem through intel-iommu, a PCI device as the ib_device.
		QEMU_ARGS="-machine q35,kernel-irqchip=split -device intel-iommu,intremap=on -device edu" \
			run x86_64-umem-iommu x86_64 \
			"intel_iommu=on kunit.filter_glob=ib_umem" \
			-- drivers/infiniband/core/ib_umem_kunit.c || status=1
		# dma-buf importers and exporters with every byte bounced.
		run x86_64-dmabuf-swiotlb x86_64 \
			"swiotlb=force kunit.filter_glob=dma_buf_dma_sg" \
			-- drivers/dma-buf/dma_buf_dma_sg_kunit.c || status=1
		# The same pairs through intel-iommu, a PCI device importing.
		QEMU_ARGS="-machine q35,kernel-irqchip=split -device intel-iommu,intremap=on -device edu" \
			run x86_64-dmabuf-iommu x86_64 \
			"intel_iommu=on kunit.filter_glob=dma_buf_dma_sg" \
			-- drivers/dma-buf/dma_buf_dma_sg_kunit.c || status=1
		# 5 GiB of RAM and no dma-debug: swiotlb bounces only what a
		# 32-bit device cannot reach, and records start lazily.
		QEMU_ARGS="-m 5G" run x86_64-bounce x86_64 \
			"dma_debug=off kunit.filter_glob=dma_sg_map" \
			lib/dma_sg drivers/misc/dma_sg_e2e \
			kernel/dma/dma_sg_map.kunitconfig \
			drivers/infiniband/core/ib_umem.kunitconfig \
			tools/testing/dma_sg/kunit/x86_64.kunitconfig -- \
			kernel/dma/dma_sg_map_kunit.c || status=1
		;;
	*)
		echo "kunit: unknown KUNIT_ARCH $arch"; exit 2;;
	esac
done
exit $status
