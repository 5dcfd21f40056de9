/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _DMA_SG_SHIM_GFP_TYPES_H
#define _DMA_SG_SHIM_GFP_TYPES_H

/* Sparse annotation, meaningless here. */
#define __bitwise

typedef unsigned int __bitwise gfp_t;

#define GFP_KERNEL	0x1u
#define GFP_NOWAIT	0x2u
#define GFP_ATOMIC	0x4u

#endif
