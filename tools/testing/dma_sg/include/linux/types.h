/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <linux/types.h>.  DMA_SG_DMA32 builds the library
 * with a 32-bit dma_addr_t, as on a 32-bit kernel without
 * CONFIG_ARCH_DMA_ADDR_T_64BIT, so that wrap checks are tested at both widths.
 */
#ifndef _DMA_SG_SHIM_TYPES_H
#define _DMA_SG_SHIM_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t s32;
typedef int64_t s64;

#ifdef DMA_SG_DMA32
typedef u32 dma_addr_t;
typedef u32 phys_addr_t;
#else
#define CONFIG_ARCH_DMA_ADDR_T_64BIT 1
typedef u64 dma_addr_t;
typedef u64 phys_addr_t;
#endif

#endif
