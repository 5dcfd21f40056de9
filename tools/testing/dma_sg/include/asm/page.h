/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <asm/page.h> for the userspace build.  PAGE_SHIFT=6 on the command line
 * gives three entries per page-sized chunk, so that chains grow after a
 * few appends.
 */
#ifndef _DMA_SG_SHIM_ASM_PAGE_H
#define _DMA_SG_SHIM_ASM_PAGE_H

#include <linux/bits.h>

#ifndef PAGE_SHIFT
#define PAGE_SHIFT	12
#endif
#define PAGE_SIZE	BIT(PAGE_SHIFT)

#endif
