/* SPDX-License-Identifier: GPL-2.0 */
/* The kernel's limits, on top of the uapi header of the same name. */
#ifndef _DMA_SG_SHIM_LIMITS_H
#define _DMA_SG_SHIM_LIMITS_H

#include_next <linux/limits.h>
#include <stdint.h>

#define U8_MAX		UINT8_MAX
#define U16_MAX		UINT16_MAX
#define U32_MAX		UINT32_MAX
#define U64_MAX		UINT64_MAX

#endif
