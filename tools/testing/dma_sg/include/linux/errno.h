/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _DMA_SG_SHIM_ERRNO_H
#define _DMA_SG_SHIM_ERRNO_H

/* The uapi values are the kernel's; glibc's <errno.h> includes this file. */
#include <asm-generic/errno.h>

#endif
