# SPDX-License-Identifier: GPL-2.0
# dma_sg: page-less DMA scatter/gather for Linux 6.12.
#
#   make          prepare the tree, build, and run the main demo
#   make check    every test; this is what .ci/run calls
#   make tree     build/linux: pristine 6.12 plus our series, as git commits
#   make kunit    KUnit suites on UML, x86_64 and a clang KMSAN kernel
#                 (KUNIT_ARCH= picks some of um, x86_64 and kmsan)
#   make lint     checkpatch --strict, kernel-doc, W=1 and sparse on our files
#   make series   the series as mail-ready patches in build/series
#   make e2e      QEMU end to end: edu DMA through dma_sg, P2P into NVMe CMBs
#   make bench    dma_sg against scatterlist: tables and build/bench/*.tsv
#   make harness  userspace tests of lib/dma_sg: ASan, UBSan, valgrind
#   make fuzz     libFuzzer against the KUnit model for FUZZ_SECONDS (600)
#   make cocci-test  the semantic patches against expected output, by diff
#   make convert-build  W=1 build of every file the converting commits change
#
# Every target first installs the Debian packages it lacks.  BUILD= moves
# all output (tree included); KDIR= bases the tree on another 6.12+ tree.
# The series is patches/; everything that builds, runs and checks it is
# in tooling/.  This file is the one place that says where things are.

REPO   := $(CURDIR)
BUILD  ?= $(REPO)/build
TREE   := $(BUILD)/linux
OUT    := $(BUILD)
export REPO TREE OUT KDIR
# Every BUILD= of this clone shares it; point CCACHE_DIR elsewhere (say
# ~/.cache/dma_sg) and a second clone on the machine reuses it too.
export CCACHE_DIR ?= $(REPO)/build/ccache
# Debian's compiler masquerade: "gcc" becomes ccache for every build.
export PATH := /usr/lib/ccache:$(PATH)
# Depend mode: a miss costs one compile, where the default mode first runs
# the preprocessor to hash its output.  Kbuild's -Wp,-MMD gives ccache the
# headers it needs.  A cold build of drivers/infiniband/core/ took 61 s
# in the default mode, 43 s in this one and 42 s with no ccache.  This
# ccache does not see .incbin in depend mode; kunit.sh rebuilds the one
# such object whose input changes, the x86 compressed kernel, without it.
export CCACHE_DEPEND ?= 1
T      := $(REPO)/tooling

.PHONY: all check deps tree kunit lint series bench help harness fuzz fuzz-smoke \
	cocci-test convert-build

# The parts of "make check", one line each.  Parts joined by "+" run side
# by side: each of them keeps one CPU busy, not two.
CHECKS := kunit
CHECKS += lint
CHECKS += series
CHECKS += cocci-test+fuzz-smoke
CHECKS += convert-build
CHECKS += harness
CHECKS += e2e

# The main job: the QEMU demo of page-less P2P DMA (after the kernel build).
all: e2e

help:
	@sed -n 's/^#   //p' Makefile

deps:
	@$(T)/deps.sh

tree: deps
	@python3 $(T)/tree.py

# The KUnit kernels, one stamp each.  kunit.py's build is incremental, so
# a kernel is rebuilt when the series in the tree, kunit.sh or any of
# tooling/kunit/'s fragments is newer than its stamp, or its build
# directory is gone; a sub-make looks at the series state only after make
# tree has run.
KERNELS := um-sanitizers um-bench x86_64 kmsan
kernel_dir = $(OUT)/kunit-$(patsubst um-bench,um,$(1))
.PHONY: $(addprefix kernel-,$(KERNELS))
$(addprefix kernel-,$(KERNELS)): kernel-%: tree
	@[ -f $(call kernel_dir,$*)/.config ] || rm -f $(OUT)/kernel-$*.built
	@$(MAKE) --no-print-directory $(OUT)/kernel-$*.built

$(OUT)/kernel-%.built: $(TREE)/.git/dma_sg-series $(T)/kunit/kunit.sh \
		$(wildcard $(T)/kunit/*.kunitconfig)
	@$(T)/kunit/kunit.sh build $*
	@touch $@

KUNIT_ARCH ?= um x86_64 kmsan
kunit: $(addprefix kernel-,$(patsubst um,um-sanitizers,$(KUNIT_ARCH)))
	@$(T)/kunit/kunit.sh run $(KUNIT_ARCH)

lint: kernel-x86_64
	@$(T)/lint.sh

series: tree
	@$(T)/series.sh

cocci-test: deps
	@$(T)/cocci/cocci_test.sh

convert-build: tree
	@$(T)/convert_build.sh

# QEMU topologies on the x86_64 KUnit kernel (E2E_KERNEL= boots another).
.PHONY: e2e
e2e: $(if $(E2E_KERNEL),tree,kernel-x86_64)
	@python3 $(T)/e2e/e2e.py

# Not part of check: figures are measured, never asserted.
BENCH_ARCH ?= um x86_64
bench: $(addprefix kernel-,$(patsubst um,um-bench,$(BENCH_ARCH)))
	@BENCH_ARCH="$(BENCH_ARCH)" $(T)/bench/bench.sh

# Userspace: lib/dma_sg and its KUnit suite built as they are, against the
# tree's tools/include, replaying the saved fuzz inputs too.
harness: tree
	@$(MAKE) -s -C tools/testing/dma_sg O=$(BUILD)/harness \
		CORPUS=$(T)/fuzz/corpus run

FUZZ_SECONDS ?= 600
fuzz: tree
	@$(T)/fuzz/fuzz.sh long $(FUZZ_SECONDS)

# The saved corpus as regression inputs, then 60 s of fuzzing; figures in
# build/fuzz/figures.tsv.
fuzz-smoke: tree
	@$(T)/fuzz/fuzz.sh smoke 60

# One part after another, each timed; the times are printed at the end.
check:
	@set -e; mkdir -p $(BUILD); times=$(BUILD)/check-times.txt; : >$$times; \
	for t in $(CHECKS); do \
		s=$$(date +%s); \
		j=; case $$t in *+*) j="-j2 --output-sync=target";; esac; \
		$(MAKE) --no-print-directory $$j $$(echo $$t | tr + ' ') || \
			{ cat $$times; exit 1; }; \
		echo "check: $$t took $$(( $$(date +%s) - s )) s" >>$$times; \
	done; \
	cat $$times; \
	echo "check: all passed ($(CHECKS))"
