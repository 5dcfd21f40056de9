/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the test body needs beyond tools/include's <linux/slab.h>.  The
 * allocator is in shim.c: it honours current->fail_nth as failslab does.
 */
#ifndef _DMA_SG_SHIM_SLAB_H
#define _DMA_SG_SHIM_SLAB_H

#include_next <linux/slab.h>
#include <linux/errno.h>
#include <linux/minmax.h>
#include <linux/overflow.h>

size_t ksize(const void *p);

static inline void *kvmalloc_array(size_t n, size_t size, gfp_t gfp)
{
	size_t bytes;

	if (check_mul_overflow(n, size, &bytes))
		return NULL;
	return kmalloc(bytes, gfp);
}

static inline void kvfree(const void *p)
{
	kfree((void *)p);
}

#endif
