/* SPDX-License-Identifier: GPL-2.0 */
/* tools/include keeps min() and max() in <linux/kernel.h>, without min3(). */
#ifndef _DMA_SG_SHIM_MINMAX_H
#define _DMA_SG_SHIM_MINMAX_H

#include <linux/kernel.h>

#define min3(x, y, z)	min(min(x, y), z)

#endif
