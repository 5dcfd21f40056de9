// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer entry point: every input is a sequence of table operations,
 * checked step by step against the reference model (see ops.c).  The
 * Makefile links it under the name libFuzzer calls.
 */
#include "model.h"

int dma_sg_fuzz_one(const u8 *data, size_t size);

int dma_sg_fuzz_one(const u8 *data, size_t size)
{
	ops_run(data, size);
	return 0;
}
