#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make bench: boot the KUnit kernels with the dma_sg_bench suite selected
# and turn its lines into build/bench/{core,map,p2p}.tsv.
#
# UML runs natively, so its figures are the CPU's own.  The x86_64 kernel
# runs under QEMU TCG (no nested KVM here): its absolute times are those of
# the emulator, but dma_sg and scatterlist run side by side in one boot, so
# the ratios stand.  Only x86_64 has PCI, an IOMMU and P2PDMA, so the IOMMU
# and p2p figures come from it alone.
#
# BENCH_ARCH picks "um", "x86_64" or both (the default).  BENCH_FILTER
# narrows the cases for a run by hand, as a KUnit glob
# ("dma_sg_bench.dma_sg_bench_map_direct"); make bench runs them all.
set -e
: "${REPO:?run through make}" "${TREE:?}" "${OUT:?}"
BENCH=$OUT/bench
mkdir -p "$BENCH"

# make bench has built the kernels: a plain UML one (kunit-um), since
# the UML kernel of make kunit carries KASAN and lockdep, which would
# distort native timings; and make kunit's x86_64 one, whose debugging
# is switched off on the command line below.
FILTER=${BENCH_FILTER:-dma_sg_bench*}
KARGS="dma_sg_bench.run=1 kunit.filter_glob=$FILTER"

run_um() {
	echo "bench: um (native)"
	( cd "$TREE" && python3 tools/testing/kunit/kunit.py exec --arch=um \
		--build_dir="$OUT/kunit-um" --timeout=1800 \
		--kernel_args="dma_sg_bench.run=1" --raw_output=all \
		"$FILTER" ) >"$BENCH/um.log" 2>&1 || true
}

# x86_64: boot the same bzImage ourselves, because the IOMMU and P2P
# figures need a q35 machine with an intel-iommu, a PCI device behind it
# (QEMU's edu) and BARs to register (ivshmem-plain: no driver binds them,
# so the benchmark registers them itself).  3 GiB lets the 1 GiB buffer
# be real.  The first BAR is BENCH_BAR0 (64 GiB by default, never
# touched, so the host allocates none of it): the one whose ZONE_DEVICE
# registration is measured.  A 128 MiB BAR stands in when it cannot be
# assigned, and the 64 GiB figure is then scaled and says so.  The other
# 23 BARs are 2 MiB.  family=23 makes the CPU an AMD Zen, whose host
# bridge the P2P rules accept.
run_x86_64() {
	echo "bench: x86_64 (QEMU TCG, q35 + intel-iommu)"
	set --
	i=0
	while [ $i -lt 25 ]; do
		case $i in
		0) size=${BENCH_BAR0:-64G} ;;
		1) size=128M ;;
		*) size=2M ;;
		esac
		slot=$((8 + i / 8)) fn=$((i % 8))
		mf=""
		[ $fn = 0 ] && mf=",multifunction=on"
		set -- "$@" -object memory-backend-ram,id=bar$i,size=$size,share=on,reserve=off \
			-device ivshmem-plain,memdev=bar$i,bus=pcie.0,addr=$(printf 0x%x.%d $slot $fn)$mf
		i=$((i + 1))
	done
	timeout 1800 qemu-system-x86_64 -nodefaults -accel tcg -m 3G \
		-machine q35,kernel-irqchip=split -cpu qemu64,family=23 \
		-global q35-pcihost.pci-hole64-size=256G \
		-device intel-iommu,intremap=on \
		-device edu,dma_mask=0xffffffffffffffff,bus=pcie.0,addr=0x4.0 \
		"$@" \
		-kernel "$OUT/kunit-x86_64/arch/x86/boot/bzImage" \
		-append "console=ttyS0 $KARGS kunit_shutdown=reboot intel_iommu=on dma_debug=off kmemleak=off" \
		-no-reboot -nographic -serial stdio >"$BENCH/x86_64.log" 2>&1 || true
}

for arch in ${BENCH_ARCH:-um x86_64}; do
	rm -f "$BENCH/$arch.log"
	case $arch in
	um) run_um ;;
	x86_64) run_x86_64 ;;
	*) echo "bench: unknown BENCH_ARCH $arch"; exit 2 ;;
	esac
done
exec python3 "$REPO/tooling/bench/bench_tsv.py" "$BENCH" \
	"$OUT/kunit-x86_64/vmlinux"
