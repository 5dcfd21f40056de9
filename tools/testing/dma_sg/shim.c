// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel services the dma_sg test body uses, in userspace: kmalloc()
 * with fault injection by current->fail_nth, and a KUnit runner.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <asm/page.h>
#include <kunit/test.h>
#include <linux/gfp.h>
#include <linux/sched.h>
#include <linux/slab.h>

struct task_struct shim_task;

/* kmalloc() keeps the size in front of the object, for ksize(). */
struct shim_object {
	size_t size;
} __aligned(16);

/*
 * failslab's rule: only allocations that cannot sleep, and may fail, are
 * fault points; the n-th one reached with fail_nth = n fails.
 */
static bool shim_should_fail(gfp_t gfp)
{
	if (gfp & (__GFP_DIRECT_RECLAIM | __GFP_NOFAIL))
		return false;
	if (!current->fail_nth)
		return false;
	return !--current->fail_nth;
}

void *kmalloc(size_t size, gfp_t gfp)
{
	struct shim_object *obj;

	if (shim_should_fail(gfp))
		return NULL;
	obj = malloc(sizeof(*obj) + size);
	if (!obj)
		return NULL;
	obj->size = size;
	if (gfp & __GFP_ZERO)
		memset(obj + 1, 0, size);
	return obj + 1;
}

void kfree(void *p)
{
	if (p)
		free((struct shim_object *)p - 1);
}

unsigned long __get_free_page(gfp_t gfp)
{
	return (unsigned long)kmalloc(PAGE_SIZE, gfp);
}

void free_page(unsigned long addr)
{
	kfree((void *)addr);
}

/* The size asked for: slab rounds only sizes that are not powers of two. */
size_t ksize(const void *p)
{
	return ((const struct shim_object *)p - 1)->size;
}

struct kunit_shim_action {
	struct kunit_shim_action *next;
	kunit_action_t *action;
	void *ctx;
};

static struct kunit *shim_current_test;
/* Quiet: only failures and the summary are printed. */
static bool shim_quiet;

struct kunit *kunit_get_current_test(void)
{
	return shim_current_test;
}

int kunit_add_action_or_reset(struct kunit *test, kunit_action_t *action,
			      void *ctx)
{
	struct kunit_shim_action *a = malloc(sizeof(*a));

	if (!a) {
		action(ctx);
		return -ENOMEM;
	}
	*a = (struct kunit_shim_action){ test->actions, action, ctx };
	test->actions = a;
	return 0;
}

/* Run and forget the latest matching action. */
void kunit_release_action(struct kunit *test, kunit_action_t *action,
			  void *ctx)
{
	struct kunit_shim_action **pa, *a;

	for (pa = &test->actions; (a = *pa); pa = &a->next) {
		if (a->action == action && a->ctx == ctx) {
			*pa = a->next;
			free(a);
			action(ctx);
			return;
		}
	}
}

static void shim_free_action(void *p)
{
	free(p);
}

void *kunit_kzalloc(struct kunit *test, size_t size, gfp_t gfp)
{
	void *p = calloc(1, size ?: 1);

	if (!p || kunit_add_action_or_reset(test, shim_free_action, p))
		return NULL;
	return p;
}

void *kunit_shim_stub(struct kunit *test, const void *real)
{
	for (int i = 0; i < KUNIT_SHIM_STUBS; i++)
		if (test->stubs[i].real == real)
			return test->stubs[i].replacement;
	return NULL;
}

void kunit_shim_activate_stub(struct kunit *test, const void *real,
			      void *replacement)
{
	for (int i = 0; i < KUNIT_SHIM_STUBS; i++) {
		if (!test->stubs[i].real || test->stubs[i].real == real) {
			test->stubs[i].real = real;
			test->stubs[i].replacement = replacement;
			return;
		}
	}
	kunit_shim_fail(test, true, __FILE__, __LINE__, "too many stubs");
}

static void shim_vprint(struct kunit *test, const char *fmt, va_list ap)
{
	printf("    # %s: ", test->name);
	vprintf(fmt, ap);
	if (!*fmt || fmt[strlen(fmt) - 1] != '\n')
		putchar('\n');
}

static void shim_end_case(struct kunit *test, bool fatal)
{
	if (fatal)
		longjmp(*test->done, 1);
}

void kunit_shim_fail(struct kunit *test, bool fatal, const char *file,
		     int line, const char *fmt, ...)
{
	va_list ap;

	printf("    # %s: %s:%d: %s\n", test->name, file, line,
	       fatal ? "ASSERTION FAILED" : "EXPECTATION FAILED");
	va_start(ap, fmt);
	shim_vprint(test, fmt, ap);
	va_end(ap);
	test->status = KUNIT_FAILURE;
	shim_end_case(test, fatal);
}

void kunit_shim_fail_binary(struct kunit *test, bool fatal, const char *file,
			    int line, const char *cond, long long left,
			    long long right, const char *fmt, ...)
{
	va_list ap;

	printf("    # %s: %s:%d: %s\n", test->name, file, line,
	       fatal ? "ASSERTION FAILED" : "EXPECTATION FAILED");
	printf("    # %s: expected %s, but %lld (%#llx) against %lld (%#llx)\n",
	       test->name, cond, left, left, right, right);
	if (fmt) {
		va_start(ap, fmt);
		shim_vprint(test, fmt, ap);
		va_end(ap);
	}
	test->status = KUNIT_FAILURE;
	shim_end_case(test, fatal);
}

void kunit_shim_skip(struct kunit *test, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (!shim_quiet)
		shim_vprint(test, fmt, ap);
	va_end(ap);
	if (test->status == KUNIT_SUCCESS)
		test->status = KUNIT_SKIPPED;
	shim_end_case(test, true);
}

void kunit_shim_info(struct kunit *test, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (!shim_quiet)
		shim_vprint(test, fmt, ap);
	va_end(ap);
}

enum kunit_status kunit_shim_run_case(struct kunit_suite *suite,
				      struct kunit_case *kcase,
				      const void *param)
{
	struct kunit test = {
		.name = kcase->name,
		.param_value = param,
	};
	jmp_buf done;

	test.done = &done;
	shim_current_test = &test;
	if (!setjmp(done)) {
		if (suite->init && suite->init(&test))
			kunit_shim_fail(&test, true, __FILE__, __LINE__,
					"suite init failed");
		kcase->run_case(&test);
	}
	/* The stubs first: deferred frees must reach the real functions. */
	memset(test.stubs, 0, sizeof(test.stubs));
	while (test.actions)
		kunit_release_action(&test, test.actions->action,
				     test.actions->ctx);
	if (suite->exit)
		suite->exit(&test);
	shim_current_test = NULL;
	return test.status;
}

int kunit_shim_run_suite(struct kunit_suite *suite, bool quiet)
{
	int n = 0, failed = 0, skipped = 0;
	struct kunit_case *c;

	shim_quiet = quiet;
	for (c = suite->test_cases; c->run_case; c++)
		n++;
	if (!quiet) {
		printf("KTAP version 1\n1..1\n    KTAP version 1\n");
		printf("    # Subtest: %s\n    1..%d\n", suite->name, n);
	}
	for (n = 1, c = suite->test_cases; c->run_case; c++, n++) {
		enum kunit_status s = kunit_shim_run_case(suite, c, NULL);

		if (s == KUNIT_FAILURE)
			failed++;
		if (s == KUNIT_SKIPPED)
			skipped++;
		if (!quiet || s == KUNIT_FAILURE)
			printf("    %s %d %s%s\n",
			       s == KUNIT_FAILURE ? "not ok" : "ok", n, c->name,
			       s == KUNIT_SKIPPED ? " # SKIP" : "");
	}
	printf("# %s: pass:%d fail:%d skip:%d total:%d\n", suite->name,
	       n - 1 - failed - skipped, failed, skipped, n - 1);
	if (!quiet)
		printf("%s 1 %s\n", failed ? "not ok" : "ok", suite->name);
	fflush(stdout);
	return failed;
}
