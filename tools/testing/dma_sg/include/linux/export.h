/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _DMA_SG_SHIM_EXPORT_H
#define _DMA_SG_SHIM_EXPORT_H

#define EXPORT_SYMBOL(sym)
#define EXPORT_SYMBOL_GPL(sym)

#endif
