/* SPDX-License-Identifier: GPL-2.0 */
/* As in a kernel built without CONFIG_KUNIT: stubs redirect nothing. */
#ifndef _DMA_SG_SHIM_KUNIT_STATIC_STUB_H
#define _DMA_SG_SHIM_KUNIT_STATIC_STUB_H

#define KUNIT_STATIC_STUB_REDIRECT(real_fn_name, args...) ((void)(real_fn_name))

#endif
