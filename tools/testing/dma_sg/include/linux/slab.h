/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <linux/slab.h>: malloc() with fault injection.
 * Set shim_fail_nth to n > 0 and the n-th allocation from then on fails,
 * like current->fail_nth; shim_live counts allocations not yet freed.
 */
#ifndef _DMA_SG_SHIM_SLAB_H
#define _DMA_SG_SHIM_SLAB_H

#include <stdlib.h>
#include <linux/gfp_types.h>
#include <linux/types.h>
/* The kernel's <linux/slab.h> pulls these in too. */
#include <linux/errno.h>
#include <linux/minmax.h>

extern unsigned long shim_fail_nth;	/* 0: never fail */
extern unsigned long shim_failed;	/* injected failures so far */
extern unsigned long shim_allocs;	/* allocation attempts so far */
extern long shim_live;

static inline void *kmalloc(size_t size, gfp_t gfp)
{
	void *p;

	(void)gfp;
	shim_allocs++;
	if (shim_fail_nth && !--shim_fail_nth) {
		shim_failed++;
		return NULL;
	}
	p = malloc(size);
	if (p)
		shim_live++;
	return p;
}

static inline void kfree(const void *p)
{
	if (p)
		shim_live--;
	free((void *)p);
}

#endif
