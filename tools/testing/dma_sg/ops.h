/* SPDX-License-Identifier: GPL-2.0 */
/* The operation engine of ops.c, for the harness and the fuzzer. */
#ifndef _DMA_SG_TEST_OPS_H
#define _DMA_SG_TEST_OPS_H

#include <linux/types.h>

struct ops_input {
	const u8 *data;
	size_t size;
	unsigned int *ops;	/* operations run */
};

/* Run @data as operations, reporting as @name: operations run, or -1. */
int ops_run(const u8 *data, size_t size, const char *name);
/* Write the seed inputs into @dir: how many, or -1. */
int ops_write_seeds(const char *dir);

#endif
