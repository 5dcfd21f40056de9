/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tools/include's <linux/types.h> has no dma_addr_t.  It is 64 bits wide
 * when CONFIG_ARCH_DMA_ADDR_T_64BIT is set, as in the kernel.
 */
#ifndef _DMA_SG_SHIM_TYPES_H
#define _DMA_SG_SHIM_TYPES_H

#include_next <linux/types.h>

#ifdef CONFIG_ARCH_DMA_ADDR_T_64BIT
typedef u64 dma_addr_t;
#else
typedef u32 dma_addr_t;
#endif

#endif
