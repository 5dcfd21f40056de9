// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer entry point: every input is a sequence of table operations,
 * checked step by step against the KUnit suite's model (see ops.c).  The
 * Makefile links it under the name libFuzzer calls.
 */
#include <stdlib.h>

#include "ops.h"

int dma_sg_fuzz_one(const u8 *data, size_t size);

int dma_sg_fuzz_one(const u8 *data, size_t size)
{
	/* The report is printed; a crash makes libFuzzer keep the input. */
	if (ops_run(data, size, "fuzz") < 0)
		abort();
	return 0;
}
