/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The part of KUnit that the dma_sg test body uses, so that a userspace
 * program can run the same cases.  As in the kernel, a failed assertion
 * or kunit_skip() ends the case, here by longjmp() back to the runner,
 * and deferred actions then run in reverse order.  Messages are not
 * format-checked here: u64 is unsigned long in tools/include, and the
 * kernel build checks them.
 */
#ifndef _DMA_SG_SHIM_KUNIT_TEST_H
#define _DMA_SG_SHIM_KUNIT_TEST_H

#include <setjmp.h>
#include <string.h>
#include <kunit/static_stub.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/types.h>

enum kunit_status {
	KUNIT_SUCCESS,
	KUNIT_FAILURE,
	KUNIT_SKIPPED,
};

struct kunit_shim_action;

#define KUNIT_SHIM_STUBS	4

struct kunit {
	const char *name;
	void *priv;
	const void *param_value;
	enum kunit_status status;
	jmp_buf *done;
	struct kunit_shim_action *actions;
	struct {
		const void *real;
		void *replacement;
	} stubs[KUNIT_SHIM_STUBS];
};

struct kunit_case {
	void (*run_case)(struct kunit *test);
	const char *name;
};

struct kunit_suite {
	const char *name;
	int (*init)(struct kunit *test);
	void (*exit)(struct kunit *test);
	struct kunit_case *test_cases;
};

#define KUNIT_CASE(fn)		{ .run_case = fn, .name = #fn }
/* Slow means seconds in the kernel; here every case runs. */
#define KUNIT_CASE_SLOW(fn)	KUNIT_CASE(fn)

/* The one suite of the program, run by kunit_shim_run_suite(). */
#define kunit_test_suite(suite)						\
	struct kunit_suite *const kunit_shim_suite = &(suite)
extern struct kunit_suite *const kunit_shim_suite;

#define MODULE_DESCRIPTION(...)
#define MODULE_LICENSE(...)
#define MODULE_IMPORT_NS(...)

typedef void (kunit_action_t)(void *ctx);

int kunit_add_action_or_reset(struct kunit *test, kunit_action_t *action,
			      void *ctx);
void kunit_release_action(struct kunit *test, kunit_action_t *action,
			  void *ctx);
void *kunit_kzalloc(struct kunit *test, size_t size, gfp_t gfp);

void kunit_shim_fail(struct kunit *test, bool fatal, const char *file,
		     int line, const char *fmt, ...);
void kunit_shim_fail_binary(struct kunit *test, bool fatal, const char *file,
			    int line, const char *cond, long long left,
			    long long right, const char *fmt, ...);
void kunit_shim_skip(struct kunit *test, const char *fmt, ...);
void kunit_shim_info(struct kunit *test, const char *fmt, ...);

/* Run one case, or a test function as a case: the resulting status. */
enum kunit_status kunit_shim_run_case(struct kunit_suite *suite,
				      struct kunit_case *kcase,
				      const void *param);
/* Run every case; print KTAP, or if @quiet failures and a summary. */
int kunit_shim_run_suite(struct kunit_suite *suite, bool quiet);

#define KUNIT_FAIL(test, fmt, ...)					\
	kunit_shim_fail(test, false, __FILE__, __LINE__, fmt, ##__VA_ARGS__)
#define kunit_skip(test, fmt, ...)	kunit_shim_skip(test, fmt, ##__VA_ARGS__)
#define kunit_info(test, fmt, ...)	kunit_shim_info(test, fmt, ##__VA_ARGS__)

#define KUNIT_SHIM_BINARY(test, fatal, left, op, right, fmt, ...)	\
do {									\
	typeof(left) __left = (left);					\
	typeof(right) __right = (right);				\
									\
	if (!(__left op __right))					\
		kunit_shim_fail_binary(test, fatal, __FILE__, __LINE__,	\
				       #left " " #op " " #right,	\
				       (long long)__left,		\
				       (long long)__right, fmt,		\
				       ##__VA_ARGS__);			\
} while (0)

#define KUNIT_SHIM_TRUE(test, fatal, cond, what)			\
do {									\
	if (!(cond))							\
		kunit_shim_fail(test, fatal, __FILE__, __LINE__, "%s",	\
				what);					\
} while (0)

#define KUNIT_EXPECT_EQ(t, l, r)	KUNIT_SHIM_BINARY(t, false, l, ==, r, NULL)
#define KUNIT_EXPECT_LT(t, l, r)	KUNIT_SHIM_BINARY(t, false, l, <, r, NULL)
#define KUNIT_EXPECT_LE(t, l, r)	KUNIT_SHIM_BINARY(t, false, l, <=, r, NULL)
#define KUNIT_EXPECT_GT(t, l, r)	KUNIT_SHIM_BINARY(t, false, l, >, r, NULL)
#define KUNIT_ASSERT_EQ(t, l, r)	KUNIT_SHIM_BINARY(t, true, l, ==, r, NULL)
#define KUNIT_ASSERT_LT(t, l, r)	KUNIT_SHIM_BINARY(t, true, l, <, r, NULL)
#define KUNIT_ASSERT_LE(t, l, r)	KUNIT_SHIM_BINARY(t, true, l, <=, r, NULL)
#define KUNIT_ASSERT_GE(t, l, r)	KUNIT_SHIM_BINARY(t, true, l, >=, r, NULL)
#define KUNIT_ASSERT_GT(t, l, r)	KUNIT_SHIM_BINARY(t, true, l, >, r, NULL)
#define KUNIT_EXPECT_EQ_MSG(t, l, r, fmt, ...)				\
	KUNIT_SHIM_BINARY(t, false, l, ==, r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_EQ_MSG(t, l, r, fmt, ...)				\
	KUNIT_SHIM_BINARY(t, true, l, ==, r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_LT_MSG(t, l, r, fmt, ...)				\
	KUNIT_SHIM_BINARY(t, true, l, <, r, fmt, ##__VA_ARGS__)

#define KUNIT_EXPECT_TRUE(t, c)		KUNIT_SHIM_TRUE(t, false, c, #c)
#define KUNIT_EXPECT_FALSE(t, c)	KUNIT_SHIM_TRUE(t, false, !(c), "!(" #c ")")
#define KUNIT_ASSERT_TRUE(t, c)		KUNIT_SHIM_TRUE(t, true, c, #c)
#define KUNIT_ASSERT_FALSE(t, c)	KUNIT_SHIM_TRUE(t, true, !(c), "!(" #c ")")
#define KUNIT_EXPECT_NULL(t, p)		KUNIT_SHIM_TRUE(t, false, !(p), #p " == NULL")
#define KUNIT_ASSERT_NULL(t, p)		KUNIT_SHIM_TRUE(t, true, !(p), #p " == NULL")
#define KUNIT_EXPECT_NOT_NULL(t, p)	KUNIT_SHIM_TRUE(t, false, p, #p " != NULL")
#define KUNIT_ASSERT_NOT_NULL(t, p)	KUNIT_SHIM_TRUE(t, true, p, #p " != NULL")
#define KUNIT_EXPECT_PTR_EQ(t, l, r)					\
	KUNIT_SHIM_TRUE(t, false, (const void *)(l) == (const void *)(r), \
			#l " == " #r)
#define KUNIT_ASSERT_PTR_EQ(t, l, r)					\
	KUNIT_SHIM_TRUE(t, true, (const void *)(l) == (const void *)(r), \
			#l " == " #r)
#define KUNIT_EXPECT_MEMEQ(t, l, r, size)				\
	KUNIT_SHIM_TRUE(t, false, !memcmp(l, r, size), #l " == " #r)

#endif
