/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _DMA_SG_SHIM_KUNIT_VISIBILITY_H
#define _DMA_SG_SHIM_KUNIT_VISIBILITY_H
/* As in a kernel built without CONFIG_KUNIT. */
#define VISIBLE_IF_KUNIT static
/* Nothing is exported to the tests. */
#define EXPORT_SYMBOL_IF_KUNIT(...)	static_assert(1, "not exported")
#endif
