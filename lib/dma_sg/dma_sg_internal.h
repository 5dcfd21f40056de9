/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dma_sg internals that the KUnit suite redirects with static stubs.
 */
#ifndef _LIB_DMA_SG_INTERNAL_H
#define _LIB_DMA_SG_INTERNAL_H

#include <linux/dma_sg.h>

#if IS_ENABLED(CONFIG_KUNIT)
struct dma_sg_chunk *dma_sg_chunk_alloc(size_t bytes, gfp_t gfp);
void dma_sg_chunk_free(struct dma_sg_chunk *chunk);
#endif

#endif /* _LIB_DMA_SG_INTERNAL_H */
