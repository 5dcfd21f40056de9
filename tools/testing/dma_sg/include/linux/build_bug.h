/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _DMA_SG_SHIM_BUILD_BUG_H
#define _DMA_SG_SHIM_BUILD_BUG_H

/* The kernel's one-argument static_assert(). */
#define static_assert(expr, ...) __static_assert(expr, ##__VA_ARGS__, #expr)
#define __static_assert(expr, msg, ...) _Static_assert(expr, msg)

#endif
