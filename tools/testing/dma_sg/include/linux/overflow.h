/* SPDX-License-Identifier: GPL-2.0 */
/*
 * struct_size_t(), which tools/include lacks.  It must stay a constant
 * expression for DMA_SG_FIRST_CHUNK(); the tests only pass small counts,
 * so it need not saturate.
 */
#ifndef _DMA_SG_SHIM_OVERFLOW_H
#define _DMA_SG_SHIM_OVERFLOW_H

#include_next <linux/overflow.h>
#include <linux/limits.h>

#define struct_size_t(type, member, count)				\
	(sizeof(type) + sizeof((*(type *)NULL).member[0]) * (count))

#endif
