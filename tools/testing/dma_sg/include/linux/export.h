/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _DMA_SG_SHIM_EXPORT_H
#define _DMA_SG_SHIM_EXPORT_H

#include <linux/build_bug.h>

/* A program exports nothing; check that the symbol exists. */
#define EXPORT_SYMBOL(sym)	static_assert(sizeof(&(sym)))
#define EXPORT_SYMBOL_GPL(sym)	static_assert(sizeof(&(sym)))

#endif
