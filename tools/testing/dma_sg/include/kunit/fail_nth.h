/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <kunit/fail_nth.h> for the harness: the shim's kmalloc() honours
 * current->fail_nth as failslab does, and there are no knobs to turn.
 */
#ifndef _DMA_SG_SHIM_KUNIT_FAIL_NTH_H
#define _DMA_SG_SHIM_KUNIT_FAIL_NTH_H

#include <errno.h>
#include <linux/sched.h>

#define KUNIT_FAIL_NTH_SLEEPING	1U
#define KUNIT_FAIL_NTH_PAGES	2U

struct kunit_fail_nth {
	unsigned int flags;
};

static inline int kunit_fail_nth_init(struct kunit_fail_nth *f,
				      unsigned int flags)
{
	f->flags = flags;
	return flags ? -EOPNOTSUPP : 0;
}

static inline void kunit_fail_nth_arm(struct kunit_fail_nth *f,
				      unsigned int n)
{
	current->fail_nth = n;
}

static inline unsigned int kunit_fail_nth_disarm(struct kunit_fail_nth *f)
{
	unsigned int left = current->fail_nth;

	current->fail_nth = 0;
	return left;
}

#endif
