// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for iommu_map_array_nosync(), on a domain whose page table
 * is an array: the core's fallback through map_pages, a driver's
 * map_pages_array, and the unwinding of a map that fails half way.
 */
#include <kunit/test.h>
#include <linux/iommu.h>
#include <linux/sizes.h>

#define FAKE_PAGES	64
#define FAKE_BASE	0x100000UL	/* IOVA of the first fake PTE */
#define FAKE_BAD	0xbad000	/* a physical address map refuses */
/* The last fake PTE holds this from the start: no call may touch it. */
#define FAKE_SENTINEL	0x5e000

struct fake_domain {
	struct iommu_domain domain;
	phys_addr_t pte[FAKE_PAGES];	/* 0: not mapped */
	unsigned int map_calls;
	unsigned int array_calls;
	unsigned int bad_unmaps;	/* unmaps of a PTE that was not set */
	size_t array_fail_after;	/* bytes the array op maps, then fails */
};

static struct fake_domain *to_fake(struct iommu_domain *domain)
{
	return container_of(domain, struct fake_domain, domain);
}

static phys_addr_t *fake_pte(struct fake_domain *fd, unsigned long iova)
{
	unsigned long i = (iova - FAKE_BASE) / SZ_4K;

	if (iova < FAKE_BASE || i >= FAKE_PAGES)
		return NULL;
	return &fd->pte[i];
}

/* Maps 4 KiB pages one by one, refusing FAKE_BAD. */
static int fake_map_pages(struct iommu_domain *domain, unsigned long iova,
			  phys_addr_t paddr, size_t pgsize, size_t pgcount,
			  int prot, gfp_t gfp, size_t *mapped)
{
	struct fake_domain *fd = to_fake(domain);
	size_t i;

	fd->map_calls++;
	for (i = 0; i < pgcount; i++) {
		phys_addr_t *pte = fake_pte(fd, iova + i * pgsize);

		if (!pte || *pte || paddr + i * pgsize == FAKE_BAD)
			return -EINVAL;
		*pte = paddr + i * pgsize;
		*mapped += pgsize;
	}
	return 0;
}

static size_t fake_unmap_pages(struct iommu_domain *domain,
			       unsigned long iova, size_t pgsize,
			       size_t pgcount,
			       struct iommu_iotlb_gather *gather)
{
	struct fake_domain *fd = to_fake(domain);
	size_t i;

	for (i = 0; i < pgcount; i++) {
		phys_addr_t *pte = fake_pte(fd, iova + i * pgsize);

		if (!pte || !*pte) {
			fd->bad_unmaps++;
			break;
		}
		*pte = 0;
	}
	return i * pgsize;
}

static int fake_map_pages_array(struct iommu_domain *domain,
				unsigned long iova, const phys_addr_t *paddrs,
				size_t count, size_t pgsize, int prot,
				gfp_t gfp, size_t *mapped)
{
	struct fake_domain *fd = to_fake(domain);
	size_t i, j;

	fd->array_calls++;
	*mapped = 0;
	for (i = 0; i < count; i++) {
		for (j = 0; j < pgsize; j += SZ_4K) {
			phys_addr_t *pte = fake_pte(fd, iova + *mapped);

			if (*mapped == fd->array_fail_after || !pte || *pte)
				return -ENOMEM;
			*pte = paddrs[i] + j;
			*mapped += SZ_4K;
		}
	}
	return 0;
}

static const struct iommu_domain_ops fake_ops = {
	.map_pages = fake_map_pages,
	.unmap_pages = fake_unmap_pages,
};

static const struct iommu_domain_ops fake_array_ops = {
	.map_pages = fake_map_pages,
	.map_pages_array = fake_map_pages_array,
	.unmap_pages = fake_unmap_pages,
};

static struct fake_domain *fake_domain(struct kunit *test,
				       const struct iommu_domain_ops *ops)
{
	struct fake_domain *fd = kunit_kzalloc(test, sizeof(*fd), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, fd);
	fd->domain.type = IOMMU_DOMAIN_UNMANAGED;
	fd->domain.ops = ops;
	fd->domain.pgsize_bitmap = SZ_4K;
	fd->array_fail_after = SIZE_MAX;
	fd->pte[FAKE_PAGES - 1] = FAKE_SENTINEL;
	return fd;
}

/* Map @count blocks of @pgsize from @paddrs into @fd at @iova. */
static int map_array(struct fake_domain *fd, unsigned long iova,
		     const phys_addr_t *paddrs, size_t count, size_t pgsize)
{
	return iommu_map_array_nosync(&fd->domain, iova, paddrs, count, pgsize,
				      IOMMU_READ, GFP_KERNEL);
}

/* Blocks of @pgsize, the i-th at paddrs[i], must sit at consecutive IOVAs. */
static void expect_mapped(struct kunit *test, struct fake_domain *fd,
			  const phys_addr_t *paddrs, size_t count,
			  size_t pgsize)
{
	size_t i, j, n = 0;

	for (i = 0; i < count; i++)
		for (j = 0; j < pgsize; j += SZ_4K)
			KUNIT_EXPECT_EQ(test, fd->pte[n++], paddrs[i] + j);
	for (; n < FAKE_PAGES - 1; n++)
		KUNIT_EXPECT_EQ(test, fd->pte[n], 0);
	KUNIT_EXPECT_EQ(test, fd->pte[FAKE_PAGES - 1], FAKE_SENTINEL);
	KUNIT_EXPECT_EQ(test, fd->bad_unmaps, 0);
}

/* Nothing mapped, nothing unmapped that was not mapped, sentinel kept. */
static void expect_unmapped(struct kunit *test, struct fake_domain *fd)
{
	int i;

	for (i = 0; i < FAKE_PAGES - 1; i++)
		KUNIT_EXPECT_EQ(test, fd->pte[i], 0);
	KUNIT_EXPECT_EQ(test, fd->pte[FAKE_PAGES - 1], FAKE_SENTINEL);
	KUNIT_EXPECT_EQ(test, fd->bad_unmaps, 0);
}

/* Discontiguous, out of order, one of them twice: any page will do. */
static const phys_addr_t paddrs[] = {
	0x7000, 0x3000, 0x20000, 0x3000, 0x1000000, 0x5000,
};

static void map_array_fallback_test(struct kunit *test)
{
	struct fake_domain *fd = fake_domain(test, &fake_ops);

	KUNIT_ASSERT_EQ(test, map_array(fd, FAKE_BASE, paddrs,
					ARRAY_SIZE(paddrs), SZ_4K), 0);
	expect_mapped(test, fd, paddrs, ARRAY_SIZE(paddrs), SZ_4K);
	KUNIT_EXPECT_EQ(test, fd->map_calls, ARRAY_SIZE(paddrs));
}

/* Blocks larger than the smallest page: each maps whole, in order. */
static void map_array_blocks_test(struct kunit *test)
{
	static const phys_addr_t blocks[] = { 0x40000, 0x8000, 0x100000 };
	struct fake_domain *fd = fake_domain(test, &fake_ops);
	struct fake_domain *fa = fake_domain(test, &fake_array_ops);

	KUNIT_ASSERT_EQ(test, map_array(fd, FAKE_BASE, blocks,
					ARRAY_SIZE(blocks), SZ_16K), 0);
	expect_mapped(test, fd, blocks, ARRAY_SIZE(blocks), SZ_16K);
	KUNIT_ASSERT_EQ(test, map_array(fa, FAKE_BASE, blocks,
					ARRAY_SIZE(blocks), SZ_16K), 0);
	expect_mapped(test, fa, blocks, ARRAY_SIZE(blocks), SZ_16K);
}

/* A block the driver refuses: the blocks before it are unmapped again. */
static void map_array_fallback_fail_test(struct kunit *test)
{
	static const phys_addr_t bad[] = { 0x7000, 0x3000, FAKE_BAD, 0x5000 };
	struct fake_domain *fd = fake_domain(test, &fake_ops);

	KUNIT_EXPECT_EQ(test, map_array(fd, FAKE_BASE, bad, ARRAY_SIZE(bad),
					SZ_4K), -EINVAL);
	expect_unmapped(test, fd);
}

/* The driver's array op: one call, and the same page table. */
static void map_array_op_test(struct kunit *test)
{
	struct fake_domain *fd = fake_domain(test, &fake_array_ops);

	KUNIT_ASSERT_EQ(test, map_array(fd, FAKE_BASE, paddrs,
					ARRAY_SIZE(paddrs), SZ_4K), 0);
	expect_mapped(test, fd, paddrs, ARRAY_SIZE(paddrs), SZ_4K);
	KUNIT_EXPECT_EQ(test, fd->array_calls, 1);
	KUNIT_EXPECT_EQ(test, fd->map_calls, 0);
}

/* The op fails after each possible prefix: what it mapped goes again. */
static void map_array_op_fail_test(struct kunit *test)
{
	size_t after;

	for (after = 0; after < ARRAY_SIZE(paddrs) * SZ_4K; after += SZ_4K) {
		struct fake_domain *fd = fake_domain(test, &fake_array_ops);

		fd->array_fail_after = after;
		KUNIT_EXPECT_EQ(test, map_array(fd, FAKE_BASE, paddrs,
						ARRAY_SIZE(paddrs), SZ_4K),
				-ENOMEM);
		expect_unmapped(test, fd);
	}
}

/*
 * Misaligned IOVA, block size or block, a block size that is no power of
 * two, or nothing to map: no driver call, with the op or without.
 */
static void map_array_bad_input_test(struct kunit *test)
{
	static const phys_addr_t odd[] = { 0x7000, 0x3200 };
	static const phys_addr_t blocks[] = { 0x40000, 0x5000 };
	struct fake_domain *fd = fake_domain(test, &fake_array_ops);
	struct fake_domain *fb = fake_domain(test, &fake_ops);

	KUNIT_EXPECT_EQ(test, map_array(fd, FAKE_BASE + 512, paddrs, 1, SZ_4K),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, map_array(fd, FAKE_BASE, paddrs, 1, SZ_4K + 512),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, map_array(fd, FAKE_BASE, paddrs, 0, SZ_4K), 0);
	KUNIT_EXPECT_EQ(test, map_array(fd, FAKE_BASE, odd, 2, SZ_4K), -EINVAL);
	KUNIT_EXPECT_EQ(test, map_array(fd, FAKE_BASE, blocks, 2, SZ_8K),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, map_array(fd, FAKE_BASE, blocks, 2, 3 * SZ_4K),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, map_array(fb, FAKE_BASE, odd, 2, SZ_4K), -EINVAL);
	KUNIT_EXPECT_EQ(test, fd->array_calls, 0);
	KUNIT_EXPECT_EQ(test, fb->map_calls, 0);
	expect_unmapped(test, fd);
	expect_unmapped(test, fb);
}

static struct kunit_case iommu_map_array_cases[] = {
	KUNIT_CASE(map_array_fallback_test),
	KUNIT_CASE(map_array_blocks_test),
	KUNIT_CASE(map_array_fallback_fail_test),
	KUNIT_CASE(map_array_op_test),
	KUNIT_CASE(map_array_op_fail_test),
	KUNIT_CASE(map_array_bad_input_test),
	{}
};

static struct kunit_suite iommu_map_array_suite = {
	.name = "iommu_map_array",
	.test_cases = iommu_map_array_cases,
};

kunit_test_suite(iommu_map_array_suite);

MODULE_DESCRIPTION("KUnit tests for iommu_map_array_nosync()");
MODULE_LICENSE("GPL");
