/* SPDX-License-Identifier: GPL-2.0 */
/* The kernel has SZ_1T; tools/include's copy stops below it. */
#ifndef _DMA_SG_SHIM_SIZES_H
#define _DMA_SG_SHIM_SIZES_H

#include_next <linux/sizes.h>

#ifndef SZ_1T
#define SZ_1T		_AC(0x10000000000, ULL)
#endif

#endif
