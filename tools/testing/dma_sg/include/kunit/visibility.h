/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _DMA_SG_SHIM_KUNIT_VISIBILITY_H
#define _DMA_SG_SHIM_KUNIT_VISIBILITY_H
/* As in a kernel with CONFIG_KUNIT: the tests see the internals. */
#define VISIBLE_IF_KUNIT
/* A program exports nothing; static_assert() takes the semicolon. */
#define EXPORT_SYMBOL_IF_KUNIT(...)	static_assert(1, "not exported")
#endif
