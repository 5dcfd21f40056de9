/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit helpers to fail one allocation of a call at a time.
 *
 * A test arms the n-th fault point of its own task (current->fail_nth,
 * as /proc/self/fail-nth does), makes the call, and disarms; it repeats
 * with n + 1 until the countdown is no longer used up, which proves that
 * every fault point has failed once.  failslab and fail_page_alloc only
 * fail allocations that cannot sleep unless told otherwise in debugfs;
 * KUNIT_FAIL_NTH_SLEEPING and KUNIT_FAIL_NTH_PAGES tell them for the
 * armed window only, and put the knobs back at disarm.  Arm around a call,
 * not around assertions: a test that ends while armed leaves the knobs
 * turned for everything that runs after it.  Arming does not nest.
 */
#ifndef _KUNIT_FAIL_NTH_H
#define _KUNIT_FAIL_NTH_H

#include <kunit/debugfs.h>
#include <linux/bits.h>
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/kconfig.h>
#include <linux/radix-tree.h>
#include <linux/sched.h>
#include <linux/types.h>

/* failslab fails allocations that may sleep too. */
#define KUNIT_FAIL_NTH_SLEEPING	BIT(0)
/* fail_page_alloc fails too, for any order, sleeping or not. */
#define KUNIT_FAIL_NTH_PAGES	BIT(1)

/**
 * struct kunit_fail_nth - the fault-injection knobs a test turns
 * @slab_wait: failslab's ignore-gfp-wait, or NULL when not turned.
 * @page_wait: fail_page_alloc's ignore-gfp-wait, or NULL when not turned.
 * @page_order: fail_page_alloc's min-order, set with @page_wait.
 * @saved_slab_wait: @slab_wait's value before arming.
 * @saved_page_wait: @page_wait's value before arming.
 * @saved_page_order: @page_order's value before arming.
 */
struct kunit_fail_nth {
	bool *slab_wait;
	bool *page_wait;
	u32 *page_order;
	bool saved_slab_wait;
	bool saved_page_wait;
	u32 saved_page_order;
};

/**
 * kunit_fail_nth_init() - find what failing allocations one by one needs
 * @f: the knobs, filled in.
 * @flags: %KUNIT_FAIL_NTH_SLEEPING, %KUNIT_FAIL_NTH_PAGES, or 0 when every
 *	allocation of the call cannot sleep.
 *
 * Return: 0, or -EOPNOTSUPP when the kernel lacks the fault injection
 * that @flags need; the test should then skip.
 */
static inline int kunit_fail_nth_init(struct kunit_fail_nth *f,
				      unsigned int flags)
{
	*f = (struct kunit_fail_nth){};
	if (!IS_ENABLED(CONFIG_FAILSLAB))
		return -EOPNOTSUPP;
	if (flags & (KUNIT_FAIL_NTH_SLEEPING | KUNIT_FAIL_NTH_PAGES)) {
		f->slab_wait = kunit_debugfs_var("failslab", "ignore-gfp-wait");
		if (!f->slab_wait)
			return -EOPNOTSUPP;
	}
	if (flags & KUNIT_FAIL_NTH_PAGES) {
		f->page_wait = kunit_debugfs_var("fail_page_alloc",
						 "ignore-gfp-wait");
		f->page_order = kunit_debugfs_var("fail_page_alloc",
						  "min-order");
		if (!f->page_wait || !f->page_order)
			return -EOPNOTSUPP;
	}
	return 0;
}

/**
 * kunit_fail_nth_arm() - make the @n-th fault point of this task fail
 * @f: the knobs from kunit_fail_nth_init().
 * @n: which point, counted from 1.
 */
static inline void kunit_fail_nth_arm(struct kunit_fail_nth *f,
				      unsigned int n)
{
	/*
	 * The failing point may be a bystander's allocation rather than the
	 * call's own.  dma-debug switches itself off for good when a node
	 * of its cacheline tree cannot be allocated; with the radix-tree
	 * preload pool of the CPU the call most likely runs on full, that
	 * allocation falls back to the pool.  A migration can defeat this.
	 */
	if (IS_ENABLED(CONFIG_DMA_API_DEBUG) && !radix_tree_preload(GFP_KERNEL))
		radix_tree_preload_end();
	if (f->slab_wait) {
		f->saved_slab_wait = *f->slab_wait;
		WRITE_ONCE(*f->slab_wait, false);
	}
	if (f->page_wait) {
		f->saved_page_wait = *f->page_wait;
		f->saved_page_order = *f->page_order;
		WRITE_ONCE(*f->page_wait, false);
		WRITE_ONCE(*f->page_order, 0);
	}
#ifdef CONFIG_FAULT_INJECTION
	WRITE_ONCE(current->fail_nth, n);
#endif
}

/**
 * kunit_fail_nth_disarm() - stop failing and put the knobs back
 * @f: the knobs armed by kunit_fail_nth_arm().
 *
 * Return: the part of the countdown no fault point used; 0 when the
 * armed point was reached (and failed), more when the call reached
 * fewer points than that.
 */
static inline unsigned int kunit_fail_nth_disarm(struct kunit_fail_nth *f)
{
	unsigned int left = 0;

#ifdef CONFIG_FAULT_INJECTION
	left = READ_ONCE(current->fail_nth);
	WRITE_ONCE(current->fail_nth, 0);
#endif
	if (f->slab_wait)
		WRITE_ONCE(*f->slab_wait, f->saved_slab_wait);
	if (f->page_wait) {
		WRITE_ONCE(*f->page_wait, f->saved_page_wait);
		WRITE_ONCE(*f->page_order, f->saved_page_order);
	}
	return left;
}

#endif /* _KUNIT_FAIL_NTH_H */
