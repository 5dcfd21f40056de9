/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <asm/page.h>.  The fuzzer builds with a tiny
 * PAGE_SHIFT so that three entries fill a chunk and chains grow quickly.
 */
#ifndef _DMA_SG_SHIM_PAGE_H
#define _DMA_SG_SHIM_PAGE_H

#include <linux/bits.h>

#ifndef PAGE_SHIFT
#define PAGE_SHIFT	12
#endif
#define PAGE_SIZE	BIT(PAGE_SHIFT)

#endif
