/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <linux/bitfield.h>: the same arithmetic, without
 * the compile-time checks.  Masks must be 64 bits wide or less.
 */
#ifndef _DMA_SG_SHIM_BITFIELD_H
#define _DMA_SG_SHIM_BITFIELD_H

/* The kernel's private helper; <linux/dma_sg.h> uses it too. */
#define __bf_shf(x)		__builtin_ctzll(x)

#define FIELD_MAX(mask)		\
	((typeof(mask))((mask) >> __builtin_ctzll(mask)))
#define FIELD_FIT(mask, val)	\
	(!((((typeof(mask))(val)) << __builtin_ctzll(mask)) & ~(mask)))
#define FIELD_PREP(mask, val)	\
	((((typeof(mask))(val)) << __builtin_ctzll(mask)) & (mask))
#define FIELD_GET(mask, reg)	\
	((typeof(mask))(((reg) & (mask)) >> __builtin_ctzll(mask)))

#endif
