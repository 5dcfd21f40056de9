/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IS_ENABLED() for the userspace build, force-included like the kernel's
 * own <linux/kconfig.h>: true if the option is defined to 1.  Only the
 * options the shims define are set, so CONFIG_KUNIT is off.
 */
#ifndef _DMA_SG_SHIM_KCONFIG_H
#define _DMA_SG_SHIM_KCONFIG_H

/* "__shim_one_1" becomes "0," and shifts the 1 into second place. */
#define __shim_one_1			0,
#define __shim_first(val, rest...)	val
#define __shim_second(first, rest...)	__shim_first(rest, first)
#define __shim_pick(one_or_junk)	__shim_second(one_or_junk 1, 0)
#define __shim_defined(val)		__shim_pick(__shim_one_##val)
#define IS_ENABLED(CONFIG_option)	__shim_defined(CONFIG_option)

#endif
