# SPDX-License-Identifier: GPL-2.0
# dma_sg: page-less DMA scatter/gather for Linux 6.12.
#
#   make          prepare the tree, build, and run the main demo
#   make check    every test; this is what .ci/run calls
#
# Every target first installs the Debian packages it lacks.

REPO   := $(CURDIR)
BUILD  := $(REPO)/build
TREE   := $(BUILD)/linux
export TREE KDIR
export OUT := $(BUILD)
export CCACHE_DIR ?= $(BUILD)/ccache

.PHONY: all check deps tree kunit help

all: kunit

help:
	@sed -n 's/^#   //p' Makefile

deps:
	@scripts/dma_sg/deps.sh

tree: deps
	@python3 scripts/dma_sg/tree.py

kunit: tree
	@scripts/dma_sg/kunit.sh

check: kunit
	@echo "check: all passed"
