/* SPDX-License-Identifier: GPL-2.0 */
/* min() and friends, evaluating each argument once. */
#ifndef _DMA_SG_SHIM_MINMAX_H
#define _DMA_SG_SHIM_MINMAX_H

#define __shim_min(x, y) ({			\
	typeof(x) __x = (x);			\
	typeof(y) __y = (y);			\
	__x < __y ? __x : __y; })

#define min(x, y)		__shim_min(x, y)
#define min3(x, y, z)		min(min(x, y), z)
#define min_t(type, x, y)	__shim_min((type)(x), (type)(y))
#define max(x, y) ({				\
	typeof(x) __x = (x);			\
	typeof(y) __y = (y);			\
	__x > __y ? __x : __y; })

#endif
