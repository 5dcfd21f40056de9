/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Static stubs for the userspace runner: while a case runs, a function
 * that starts with KUNIT_STATIC_STUB_REDIRECT() calls the replacement the
 * case activated, as in the kernel.
 */
#ifndef _DMA_SG_SHIM_KUNIT_STATIC_STUB_H
#define _DMA_SG_SHIM_KUNIT_STATIC_STUB_H

struct kunit;

struct kunit *kunit_get_current_test(void);
void *kunit_shim_stub(struct kunit *test, const void *real);
void kunit_shim_activate_stub(struct kunit *test, const void *real,
			      void *replacement);

/* The replacement is named after the function it stands in for. */
#define KUNIT_STATIC_STUB_REDIRECT(real_fn_name, args...)		\
do {									\
	typeof(real_fn_name) *__stub_##real_fn_name =			\
		kunit_shim_stub(kunit_get_current_test(), real_fn_name); \
									\
	if (__stub_##real_fn_name)					\
		return __stub_##real_fn_name(args);			\
} while (0)

/* The kernel build checks that the two have the same type. */
#define kunit_activate_static_stub(test, real_fn_addr, replacement_addr) \
	kunit_shim_activate_stub(test, real_fn_addr, replacement_addr)

#endif
