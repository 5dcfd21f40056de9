// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of drm_prime_dma_sg_to_dma_addr_array().
 *
 * The same DMA ranges are put in a dma_sg table and on the DMA side of an
 * sg_table, and the page address arrays that the dma_sg helper and
 * drm_prime_sg_to_dma_addr_array() fill must be the same, as must what
 * the helper does when the array is too short.
 */
#include <kunit/test.h>
#include <linux/dma_sg.h>
#include <linux/math.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <drm/drm_prime.h>

struct test_range {
	dma_addr_t addr;
	u32 len;
};

/* Page-sized, multi-page, a short last page, and one unaligned start. */
static const struct test_range ranges[] = {
	{ 0x100000, PAGE_SIZE },
	{ 0x400000, 3 * PAGE_SIZE },
	{ 0x900000, 100 },
	{ 0xa00000 + 0x200, 2 * PAGE_SIZE + 1 },
};

/* Addresses the ranges give: one per PAGE_SIZE step of each. */
static int expected_count(void)
{
	int i, n = 0;

	for (i = 0; i < ARRAY_SIZE(ranges); i++)
		n += DIV_ROUND_UP(ranges[i].len, PAGE_SIZE);
	return n;
}

KUNIT_DEFINE_ACTION_WRAPPER(table_free_action, dma_sg_table_free,
			    struct dma_sg_table *);
KUNIT_DEFINE_ACTION_WRAPPER(sgt_free_action, sg_free_table, struct sg_table *);
KUNIT_DEFINE_ACTION_WRAPPER(kvfree_action, kvfree, const void *);

/* A table of @ranges, or of nothing if @empty. */
static struct dma_sg_table *build_table(struct kunit *test, bool empty)
{
	struct dma_sg_table *table;
	int i;

	table = kunit_kzalloc(test, sizeof(*table), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, table);
	dma_sg_table_init(table, DMA_SG_NO_MERGE);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, table_free_action,
							table), 0);
	for (i = 0; !empty && i < ARRAY_SIZE(ranges); i++)
		KUNIT_ASSERT_EQ(test, dma_sg_append(table, ranges[i].addr,
						    ranges[i].len, GFP_KERNEL),
				0);
	return table;
}

/* An sg_table whose DMA side holds @ranges, as a mapped one would. */
static struct sg_table *build_sgt(struct kunit *test)
{
	struct scatterlist *sg;
	struct sg_table *sgt;
	int i;

	sgt = kunit_kzalloc(test, sizeof(*sgt), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, sgt);
	KUNIT_ASSERT_EQ(test, sg_alloc_table(sgt, ARRAY_SIZE(ranges),
					     GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, sgt_free_action,
							sgt), 0);
	for_each_sgtable_sg(sgt, sg, i) {
		sg_dma_address(sg) = ranges[i].addr;
		sg_dma_len(sg) = ranges[i].len;
	}
	return sgt;
}

static dma_addr_t *alloc_addrs(struct kunit *test, int n)
{
	dma_addr_t *addrs = kunit_kmalloc_array(test, n, sizeof(*addrs),
						GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, addrs);
	memset(addrs, 0xa5, n * sizeof(*addrs));
	return addrs;
}

/* Both helpers give the same addresses, which are the ones expected. */
static void addr_array_matches_sg_test(struct kunit *test)
{
	int n = expected_count(), i, j, k = 0;
	dma_addr_t *from_table = alloc_addrs(test, n);
	dma_addr_t *from_sgt = alloc_addrs(test, n);
	struct dma_sg_table *table = build_table(test, false);

	KUNIT_ASSERT_EQ(test, drm_prime_dma_sg_to_dma_addr_array(table,
								 from_table, n),
			0);
	KUNIT_ASSERT_EQ(test, drm_prime_sg_to_dma_addr_array(build_sgt(test),
							     from_sgt, n), 0);
	for (i = 0; i < ARRAY_SIZE(ranges); i++) {
		for (j = 0; j < DIV_ROUND_UP(ranges[i].len, PAGE_SIZE); j++) {
			KUNIT_EXPECT_EQ_MSG(test, (u64)from_table[k],
					    (u64)(ranges[i].addr + j * PAGE_SIZE),
					    "address %d", k);
			KUNIT_EXPECT_EQ_MSG(test, (u64)from_table[k],
					    (u64)from_sgt[k], "address %d", k);
			k++;
		}
	}
	KUNIT_EXPECT_EQ(test, k, n);
}

/*
 * An array one address short: -ENOSPC, what fits is filled and nothing
 * past the end is written.  Exactly long enough, and an empty table: 0.
 */
static void addr_array_overflow_test(struct kunit *test)
{
	int n = expected_count(), i;
	dma_addr_t *addrs = alloc_addrs(test, n);
	dma_addr_t *want = alloc_addrs(test, n);
	struct dma_sg_table *table = build_table(test, false);
	dma_addr_t poison = addrs[0];

	KUNIT_ASSERT_EQ(test, drm_prime_dma_sg_to_dma_addr_array(table, want, n),
			0);
	kunit_info(test, "a WARNING follows: the array is one address short");
	KUNIT_EXPECT_EQ(test, drm_prime_dma_sg_to_dma_addr_array(table, addrs,
								 n - 1),
			-ENOSPC);
	for (i = 0; i < n - 1; i++)
		KUNIT_EXPECT_EQ(test, (u64)addrs[i], (u64)want[i]);
	KUNIT_EXPECT_EQ(test, (u64)addrs[n - 1], (u64)poison);

	memset(addrs, 0xa5, n * sizeof(*addrs));
	table = build_table(test, true);
	KUNIT_EXPECT_EQ(test, drm_prime_dma_sg_to_dma_addr_array(table, addrs, n),
			0);
	KUNIT_EXPECT_EQ(test, (u64)addrs[0], (u64)poison);
}

/*
 * One entry of 4 GiB and two pages, which no sg_table entry can hold:
 * one address per page, carried past 4 GiB.
 */
static void addr_array_over_4g_test(struct kunit *test)
{
	const u64 len = SZ_4G + 2 * PAGE_SIZE;
	const int n = len >> PAGE_SHIFT;
	u64 base64 = 4 * SZ_4G;
	struct dma_sg_table *table;
	dma_addr_t *addrs, base;
	int i;

	if (sizeof(dma_addr_t) < sizeof(u64))
		kunit_skip(test, "dma_addr_t is 32 bits: no range over 4 GiB");
	base = base64;

	addrs = kvmalloc_array(n, sizeof(*addrs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, addrs);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, kvfree_action,
							addrs), 0);
	table = build_table(test, true);
	KUNIT_ASSERT_EQ(test, dma_sg_append(table, base, len, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, dma_sg_table_nents(table), 1);

	KUNIT_ASSERT_EQ(test, drm_prime_dma_sg_to_dma_addr_array(table, addrs, n),
			0);
	for (i = 0; i < n; i++)
		if (addrs[i] != base + (u64)i * PAGE_SIZE)
			break;
	KUNIT_EXPECT_EQ_MSG(test, i, n, "first wrong address at %d", i);
}

static struct kunit_case drm_prime_dma_sg_cases[] = {
	KUNIT_CASE(addr_array_matches_sg_test),
	KUNIT_CASE(addr_array_overflow_test),
	KUNIT_CASE(addr_array_over_4g_test),
	{}
};

static struct kunit_suite drm_prime_dma_sg_suite = {
	.name = "drm_prime_dma_sg",
	.test_cases = drm_prime_dma_sg_cases,
};

kunit_test_suite(drm_prime_dma_sg_suite);

MODULE_DESCRIPTION("KUnit tests for the DRM PRIME dma_sg helpers");
MODULE_LICENSE("GPL");
