/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _DMA_SG_SHIM_EXPORT_H
#define _DMA_SG_SHIM_EXPORT_H
/* A program exports nothing. */
#define EXPORT_SYMBOL(...)	static_assert(1, "not exported")
/* Neither under the GPL. */
#define EXPORT_SYMBOL_GPL(...)	static_assert(1, "not exported")
#endif
