/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _DMA_SG_SHIM_OVERFLOW_H
#define _DMA_SG_SHIM_OVERFLOW_H

#include <linux/limits.h>

#define check_add_overflow(a, b, d)	__builtin_add_overflow(a, b, d)
#define check_sub_overflow(a, b, d)	__builtin_sub_overflow(a, b, d)
#define check_mul_overflow(a, b, d)	__builtin_mul_overflow(a, b, d)

/*
 * Only constant counts are used here, so no saturation: the kernel's
 * versions reduce to this arithmetic for them, and it stays a constant
 * expression for DMA_SG_FIRST_CHUNK().
 */
#define struct_size_t(type, member, count)				\
	(sizeof(type) + sizeof((*(type *)NULL).member[0]) * (count))
#define struct_size(p, member, count)					\
	struct_size_t(typeof(*(p)), member, count)

#endif
