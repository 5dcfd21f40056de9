/* SPDX-License-Identifier: GPL-2.0 */
/* No kmemleak in userspace: valgrind and ASan find the leaks. */
#ifndef _DMA_SG_SHIM_KMEMLEAK_H
#define _DMA_SG_SHIM_KMEMLEAK_H

#include <linux/types.h>

static inline void kmemleak_alloc(const void *ptr, size_t size, int min_count,
				  gfp_t gfp)
{
}

static inline void kmemleak_free(const void *ptr)
{
}

#endif
