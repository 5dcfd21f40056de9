# SPDX-License-Identifier: GPL-2.0
# dma_sg: page-less DMA scatter/gather for Linux 6.12.
#
#   make          prepare the tree, build, and run the main demo
#   make check    every test; this is what .ci/run calls
#   make tree     build/linux: pristine 6.12 plus our series, as git commits
#   make kunit    KUnit suites on UML and x86_64 (KUNIT_ARCH=um or x86_64)
#   make lint     checkpatch --strict, kernel-doc, W=1 and sparse on our files
#   make series   the series as mail-ready patches in build/series
#   make e2e      QEMU end to end: edu DMA through dma_sg, P2P into NVMe CMBs
#   make bench    dma_sg against scatterlist: tables and build/bench/*.tsv
#   make harness  userspace tests of lib/dma_sg: ASan, UBSan, valgrind
#   make fuzz     libFuzzer against the KUnit model for FUZZ_SECONDS (600)
#   make cocci-test  the semantic patches against expected output, by diff
#   make convert-build  W=1 build of every file the RDMA commits change
#
# Every target first installs the Debian packages it lacks.  BUILD= moves
# all output (tree included); KDIR= bases the tree on another 6.12+ tree.

REPO   := $(CURDIR)
BUILD  ?= $(REPO)/build
TREE   := $(BUILD)/linux
OUT    := $(BUILD)
export TREE OUT KDIR
# Shared by every BUILD= so parallel trees reuse each other's objects.
export CCACHE_DIR ?= $(REPO)/build/ccache

.PHONY: all check deps tree kunit lint series bench help harness fuzz fuzz-smoke \
	cocci-test convert-build

# The parts of "make check", one line each.
CHECKS := kunit
CHECKS += lint
CHECKS += series
CHECKS += cocci-test
CHECKS += convert-build
CHECKS += harness
CHECKS += fuzz-smoke
CHECKS += e2e

# The main job: the QEMU demo of page-less P2P DMA (after the kernel build).
all: e2e

help:
	@sed -n 's/^#   //p' Makefile

deps:
	@scripts/dma_sg/deps.sh

tree: deps
	@python3 scripts/dma_sg/tree.py

kunit: tree
	@scripts/dma_sg/kunit.sh

lint: tree
	@scripts/dma_sg/lint.sh

series: tree
	@scripts/dma_sg/series.sh

cocci-test: deps
	@scripts/dma_sg/cocci_test.sh

convert-build: tree
	@scripts/dma_sg/convert_build.sh

# QEMU topologies on the x86_64 KUnit kernel, built first if stale.
.PHONY: e2e
e2e: tree
	@python3 tools/testing/dma_sg/e2e/e2e.py

# Not part of check: figures are measured, never asserted.
bench: tree
	@tools/testing/dma_sg/bench/bench.sh

# Userspace: lib/dma_sg and its KUnit suite built as they are, against the
# tree's tools/include.
harness: tree
	@$(MAKE) -s -C tools/testing/dma_sg O=$(BUILD)/harness run

FUZZ_SECONDS ?= 600
fuzz: tree
	@tools/testing/dma_sg/fuzz.sh long $(FUZZ_SECONDS)

# The saved corpus as regression inputs, then 60 s of fuzzing; figures in
# build/fuzz/figures.tsv.
fuzz-smoke: tree
	@tools/testing/dma_sg/fuzz.sh smoke 60

# One part after another, each timed; the times are printed at the end.
check:
	@set -e; mkdir -p $(BUILD); times=$(BUILD)/check-times.txt; : >$$times; \
	for t in $(CHECKS); do \
		s=$$(date +%s); \
		$(MAKE) --no-print-directory $$t || { cat $$times; exit 1; }; \
		echo "check: $$t took $$(( $$(date +%s) - s )) s" >>$$times; \
	done; \
	cat $$times; \
	echo "check: all passed ($(CHECKS))"
