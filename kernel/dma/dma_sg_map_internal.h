/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dma_sg mapping internals that the KUnit suite redirects with static stubs.
 */
#ifndef _KERNEL_DMA_DMA_SG_MAP_INTERNAL_H
#define _KERNEL_DMA_DMA_SG_MAP_INTERNAL_H

#include <linux/dma-direction.h>
#include <linux/types.h>

struct device;

#if IS_ENABLED(CONFIG_KUNIT)
bool dma_sg_kmalloc_needs_bounce(struct device *dev, size_t size,
				 enum dma_data_direction dir);
#endif

#endif /* _KERNEL_DMA_DMA_SG_MAP_INTERNAL_H */
