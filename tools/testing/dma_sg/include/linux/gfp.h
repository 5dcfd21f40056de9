/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The page allocator calls of the table, on top of tools/include's
 * <linux/gfp.h>.  shim.c serves pages from kmalloc(), so that a page is
 * a fault point as it is under fail_page_alloc.
 */
#ifndef _DMA_SG_SHIM_GFP_H
#define _DMA_SG_SHIM_GFP_H

#include_next <linux/gfp.h>

unsigned long __get_free_page(gfp_t gfp);
void free_page(unsigned long addr);

#endif
