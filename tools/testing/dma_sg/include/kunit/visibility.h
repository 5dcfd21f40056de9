/* SPDX-License-Identifier: GPL-2.0 */
/* As in a kernel built without CONFIG_KUNIT. */
#ifndef _DMA_SG_SHIM_KUNIT_VISIBILITY_H
#define _DMA_SG_SHIM_KUNIT_VISIBILITY_H

#include <linux/build_bug.h>

#define VISIBLE_IF_KUNIT static
#define EXPORT_SYMBOL_IF_KUNIT(sym)	static_assert(sizeof(&(sym)))

#endif
