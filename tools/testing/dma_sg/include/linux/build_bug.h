/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _DMA_SG_SHIM_BUILD_BUG_H
#define _DMA_SG_SHIM_BUILD_BUG_H

/* C11's static_assert(); the kernel also takes it without a message. */
#include <assert.h>

#endif
