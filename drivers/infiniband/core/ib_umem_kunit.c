// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for ib_umem on dma_sg: pinning real user memory, the DMA
 * block walk against the scatterlist block walk, and page accounting.
 */
#include <kunit/device.h>
#include <kunit/test.h>
#include <linux/dma-mapping.h>
#include <linux/highmem.h>
#include <linux/mman.h>
#include <linux/random.h>
#include <linux/sched/mm.h>
#include <linux/scatterlist.h>
#include <linux/uaccess.h>
#include <rdma/ib_umem.h>
#include <rdma/iter.h>

static struct ib_device *umem_test_ibdev(struct kunit *test)
{
	struct ib_device *ibdev;
	struct device *dev;

	dev = kunit_device_register(test, "ib_umem_kunit");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dev);
	dev->dma_mask = &dev->coherent_dma_mask;
	KUNIT_ASSERT_EQ(test, dma_set_mask_and_coherent(dev, DMA_BIT_MASK(64)),
			0);
	ibdev = kunit_kzalloc(test, sizeof(*ibdev), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ibdev);
	ibdev->dma_device = dev;
	return ibdev;
}

static int page_cmp(struct page *page, unsigned long off, const u8 *want)
{
	u8 *va = kmap_local_page(page);
	int ret = memcmp(va + off, want, PAGE_SIZE - off);

	kunmap_local(va);
	return ret;
}

/* Pin, read back through every view, release: pins and pinned_vm return. */
static void umem_get_release_test(struct kunit *test)
{
	const unsigned long npages = 37, off = 100, len = npages * PAGE_SIZE - 300;
	struct ib_device *ibdev = umem_test_ibdev(test);
	struct ib_umem_page_iter iter;
	struct page *pages[37];
	struct ib_umem *umem;
	unsigned long user, i, n = 0;
	s64 pinned_before;
	u8 *pattern, *back;
	u64 bytes = 0;

	user = kunit_vm_mmap(test, NULL, 0, npages * PAGE_SIZE,
			     PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE, 0);
	KUNIT_ASSERT_NE_MSG(test, user, 0UL, "kunit_vm_mmap failed");
	pattern = kunit_kmalloc(test, len, GFP_KERNEL);
	back = kunit_kzalloc(test, len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pattern);
	KUNIT_ASSERT_NOT_NULL(test, back);
	get_random_bytes(pattern, len);
	KUNIT_ASSERT_EQ(test, copy_to_user((void __user *)(user + off), pattern,
					   len), 0UL);
	pinned_before = atomic64_read(&current->mm->pinned_vm);

	umem = ib_umem_get(ibdev, user + off, len, IB_ACCESS_LOCAL_WRITE);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(umem), "ib_umem_get: %ld",
			       PTR_ERR(umem));
	KUNIT_EXPECT_EQ(test, atomic64_read(&current->mm->pinned_vm),
			pinned_before + (s64)npages);
	KUNIT_EXPECT_EQ(test, ib_umem_num_pages(umem), (size_t)npages);

	for (i = 0; i < umem->nr_bvecs; i++)
		bytes += umem->bvecs[i].bv_len;
	KUNIT_EXPECT_EQ(test, bytes, (u64)npages * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, dma_sg_table_len(ib_umem_dma_table(umem)),
			(u64)npages * PAGE_SIZE);
	KUNIT_EXPECT_TRUE(test, dma_sg_map_is_mapped(&umem->dma));

	ib_umem_for_each_page(umem, &iter) {
		KUNIT_ASSERT_LT(test, n, npages);
		pages[n] = ib_umem_page_iter_page(&iter);
		KUNIT_EXPECT_TRUE(test, folio_maybe_dma_pinned(page_folio(pages[n])));
		n++;
	}
	KUNIT_EXPECT_EQ(test, n, npages);
	KUNIT_EXPECT_PTR_EQ(test, pages[0], ib_umem_first_page(umem));
	/* The first page holds the first byte at the umem's offset. */
	KUNIT_EXPECT_EQ(test, page_cmp(pages[0], off, pattern), 0);

	KUNIT_EXPECT_EQ(test, ib_umem_copy_from(back, umem, 0, len), 0);
	KUNIT_EXPECT_EQ(test, memcmp(back, pattern, len), 0);
	memset(back, 0, len);
	KUNIT_EXPECT_EQ(test, ib_umem_copy_from(back, umem, len - 5000, 5000),
			0);
	KUNIT_EXPECT_EQ(test, memcmp(back, pattern + len - 5000, 5000), 0);
	KUNIT_EXPECT_EQ(test, ib_umem_copy_from(back, umem, len - 10, 11),
			-EINVAL);

	ib_umem_release(umem);
	KUNIT_EXPECT_EQ(test, atomic64_read(&current->mm->pinned_vm),
			pinned_before);
	for (i = 0; i < npages; i++)
		KUNIT_EXPECT_FALSE(test, folio_maybe_dma_pinned(page_folio(pages[i])));
}

#define WALK_MAX_ENTS	24
#define WALK_MAX_BLOCKS	4096

/*
 * A random table of @n DMA ranges, each aligned to and a multiple of
 * @align, with gaps between them, both as a scatterlist and as the umem's
 * dma_sg table.  Lengths stay below 4 GiB: a scatterlist cannot say more.
 */
static void walk_layout(struct kunit *test, struct ib_umem *umem,
			struct sg_table *sgt, unsigned int n, u64 align)
{
	u64 max_units = min_t(u64, 8, (SZ_2G / align) ? SZ_2G / align : 1);
	dma_addr_t addr = (dma_addr_t)(1 + get_random_u32_below(64)) * align;
	struct scatterlist *sg;
	u64 total = 0;
	unsigned int i;

	KUNIT_ASSERT_EQ(test, sg_alloc_table(sgt, n, GFP_KERNEL), 0);
	dma_sg_table_init(&umem->dma.table, DMA_SG_NO_MERGE);
	for_each_sgtable_sg(sgt, sg, i) {
		u64 len = (1 + get_random_u32_below(max_units)) * align;

		/* Half the time contiguous with the previous range. */
		if (i && get_random_u32_below(2))
			addr += (1 + get_random_u32_below(4)) * align;
		sg_dma_address(sg) = addr;
		sg_dma_len(sg) = len;
		KUNIT_ASSERT_EQ(test, dma_sg_append(&umem->dma.table, addr, len,
						    GFP_KERNEL), 0);
		addr += len;
		total += len;
	}
	sgt->nents = n;
	/* Start and end inside the first and last page, as a real MR may. */
	umem->address = 0x7f0000000000UL + get_random_u32_below(PAGE_SIZE);
	umem->iova = umem->address;
	umem->length = total - (umem->address & ~PAGE_MASK) -
		       get_random_u32_below(PAGE_SIZE);
}

/* The blocks of the scatterlist walk, as a umem walked them before. */
static unsigned int walk_sg(struct ib_umem *umem, struct sg_table *sgt,
			    unsigned long pgsz, dma_addr_t *out)
{
	struct ib_block_iter biter;
	unsigned int n = 0;

	__rdma_block_iter_start(&biter, sgt->sgl, sgt->nents, pgsz);
	biter.__sg_advance = ib_umem_offset(umem) & ~(pgsz - 1);
	biter.__sg_numblocks = ib_umem_num_dma_blocks(umem, pgsz);
	while (__rdma_block_iter_next(&biter) && biter.__sg_numblocks--)
		out[n++] = rdma_block_iter_dma_address(&biter);
	return n;
}

/*
 * rdma_umem_for_each_dma_block() on the dma_sg table yields exactly the
 * blocks the scatterlist walk yields, for random layouts and every block
 * size from 4 KiB to 1 GiB that the layout allows.
 */
static void umem_block_walk_test(struct kunit *test)
{
	dma_addr_t *want, *got;
	struct ib_umem *umem;
	unsigned int round;

	if (!IS_ENABLED(CONFIG_ARCH_DMA_ADDR_T_64BIT))
		kunit_skip(test, "needs 64-bit DMA addresses for 1 GiB blocks");
	want = kunit_kcalloc(test, WALK_MAX_BLOCKS, sizeof(*want), GFP_KERNEL);
	got = kunit_kcalloc(test, WALK_MAX_BLOCKS, sizeof(*got), GFP_KERNEL);
	umem = kunit_kzalloc(test, sizeof(*umem), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, want);
	KUNIT_ASSERT_NOT_NULL(test, got);
	KUNIT_ASSERT_NOT_NULL(test, umem);

	for (round = 0; round < 40; round++) {
		u64 align = (u64)SZ_4K << get_random_u32_below(19);
		unsigned int n = 1 + get_random_u32_below(WALK_MAX_ENTS);
		struct ib_block_iter biter;
		struct sg_table sgt;
		unsigned long pgsz;

		walk_layout(test, umem, &sgt, n, align);
		for (pgsz = SZ_4K; pgsz <= min_t(u64, align, SZ_1G); pgsz <<= 1) {
			unsigned int nw, ng = 0;

			if (ib_umem_num_dma_blocks(umem, pgsz) > WALK_MAX_BLOCKS)
				continue;
			nw = walk_sg(umem, &sgt, pgsz, want);
			rdma_umem_for_each_dma_block(umem, &biter, pgsz)
				got[ng++] = rdma_block_iter_dma_address(&biter);
			KUNIT_ASSERT_EQ_MSG(test, ng, nw,
					    "align %llx pgsz %lx entries %u",
					    align, pgsz, n);
			KUNIT_ASSERT_EQ_MSG(test, memcmp(got, want,
							 nw * sizeof(*got)), 0,
					    "align %llx pgsz %lx entries %u",
					    align, pgsz, n);
			KUNIT_EXPECT_EQ(test, (size_t)ng,
					ib_umem_num_dma_blocks(umem, pgsz));
		}
		/* The best page size is at least the layout's alignment. */
		pgsz = ib_umem_find_best_pgsz(umem, SZ_4K | SZ_2M | SZ_1G,
					      umem->address);
		KUNIT_EXPECT_GE(test, (u64)pgsz, align >= SZ_1G ? (u64)SZ_1G :
				align >= SZ_2M ? (u64)SZ_2M : (u64)SZ_4K);
		dma_sg_table_free(&umem->dma.table);
		sg_free_table(&sgt);
	}
}

/* Blocks of 4 GiB and more: the walk's arithmetic is 64-bit. */
static void umem_block_walk_4g_test(struct kunit *test)
{
	struct ib_block_iter biter;
	struct ib_umem *umem;
	dma_addr_t base = 0x100000000ULL * 3;
	unsigned int n = 0;

	if (!IS_ENABLED(CONFIG_ARCH_DMA_ADDR_T_64BIT))
		kunit_skip(test, "needs 64-bit DMA addresses");
	umem = kunit_kzalloc(test, sizeof(*umem), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, umem);
	dma_sg_table_init(&umem->dma.table, 0);
	KUNIT_ASSERT_EQ(test, dma_sg_append(&umem->dma.table, base, 3 * SZ_4G,
					    GFP_KERNEL), 0);
	umem->address = 0x400000000000UL;
	umem->iova = umem->address;
	umem->length = 3 * SZ_4G;

	KUNIT_EXPECT_EQ(test, ib_umem_find_best_pgsz(umem, SZ_4G | SZ_1G,
						     umem->address),
			(unsigned long)SZ_4G);
	rdma_umem_for_each_dma_block(umem, &biter, SZ_4G) {
		KUNIT_EXPECT_EQ(test, rdma_block_iter_dma_address(&biter),
				base + (dma_addr_t)n * SZ_4G);
		n++;
	}
	KUNIT_EXPECT_EQ(test, n, 3U);
	dma_sg_table_free(&umem->dma.table);
}

static struct kunit_case ib_umem_test_cases[] = {
	KUNIT_CASE(umem_get_release_test),
	KUNIT_CASE(umem_block_walk_test),
	KUNIT_CASE(umem_block_walk_4g_test),
	{}
};

static struct kunit_suite ib_umem_test_suite = {
	.name = "ib_umem",
	.test_cases = ib_umem_test_cases,
};

kunit_test_suite(ib_umem_test_suite);

MODULE_DESCRIPTION("KUnit tests for ib_umem on dma_sg");
MODULE_LICENSE("GPL");
