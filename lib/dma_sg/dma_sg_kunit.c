// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for dma_sg tables.
 */
#include <kunit/test.h>
#include <linux/dma_sg.h>
#include <linux/sizes.h>

static void dma_sg_test_append_merge(struct kunit *test)
{
	struct dma_sg_table t;
	struct dma_sg_iter it;
	struct dma_sg *sg;

	dma_sg_table_init(&t, 0);
	KUNIT_ASSERT_EQ(test, dma_sg_append(&t, SZ_4K, SZ_4K, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, dma_sg_append(&t, SZ_8K, SZ_8G, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, dma_sg_table_nents(&t), 1);
	KUNIT_EXPECT_EQ(test, dma_sg_table_len(&t), SZ_4K + SZ_8G);
	dma_sg_for_each(&t, sg, it) {
		KUNIT_EXPECT_EQ(test, sg->addr, SZ_4K);
		KUNIT_EXPECT_EQ(test, sg->len, SZ_4K + SZ_8G);
	}
	dma_sg_table_free(&t);
}

static struct kunit_case dma_sg_test_cases[] = {
	KUNIT_CASE(dma_sg_test_append_merge),
	{}
};

static struct kunit_suite dma_sg_test_suite = {
	.name = "dma_sg_table",
	.test_cases = dma_sg_test_cases,
};
kunit_test_suite(dma_sg_test_suite);

MODULE_DESCRIPTION("KUnit tests for dma_sg tables");
MODULE_LICENSE("GPL");
