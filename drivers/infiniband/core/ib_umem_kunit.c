// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for ib_umem on dma_sg: pinning real user memory, the DMA
 * block walk against the scatterlist block walk, page accounting, and
 * dma-buf umems imported from exporters of both kinds.
 */
#include <kunit/debugfs.h>
#include <kunit/device.h>
#include <kunit/fail_nth.h>
#include <kunit/test.h>
#include <linux/dma-buf.h>
#include <linux/dma-direct.h>
#include <linux/dma-mapping.h>
#include <linux/dma-resv.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/highmem.h>
#include <linux/iommu.h>
#include <linux/mman.h>
#include <linux/pci.h>
#include <linux/random.h>
#include <linux/sched/mm.h>
#include <linux/scatterlist.h>
#include <linux/uaccess.h>
#include <rdma/ib_umem.h>
#include <rdma/iter.h>

MODULE_IMPORT_NS(DMA_BUF);

static bool umem_test_translated(struct device *dev)
{
	struct iommu_domain *d = iommu_get_domain_for_dev(dev);

	return d && (d->type & __IOMMU_DOMAIN_DMA_API);
}

/*
 * The DMA device: a PCI device behind an IOMMU when the machine has one
 * (booted with intel_iommu=on), so that the umem maps through it; a KUnit
 * device otherwise, through dma-direct and swiotlb.
 */
static struct ib_device *umem_test_ibdev(struct kunit *test)
{
	struct pci_dev *pdev = NULL;
	struct ib_device *ibdev;
	struct device *dev = NULL;

	for_each_pci_dev(pdev) {
		if (umem_test_translated(&pdev->dev)) {
			dev = &pdev->dev;
			pci_dev_put(pdev);
			break;
		}
	}
	if (!dev) {
		dev = kunit_device_register(test, "ib_umem_kunit");
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dev);
		dev->dma_mask = &dev->coherent_dma_mask;
		KUNIT_ASSERT_EQ(test,
				dma_set_mask_and_coherent(dev, DMA_BIT_MASK(64)),
				0);
	}
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

/*
 * Every DMA block of @umem reaches the page it stands for: the same
 * physical page, or a bounce buffer holding its bytes.
 */
static void umem_check_dma(struct kunit *test, struct ib_umem *umem,
			   struct page **pages, unsigned long npages)
{
	struct device *dev = umem->ibdev->dma_device;
	struct ib_block_iter biter;
	unsigned long k = 0;

	rdma_umem_for_each_dma_block(umem, &biter, PAGE_SIZE) {
		dma_addr_t addr = rdma_block_iter_dma_address(&biter);
		phys_addr_t phys;

		KUNIT_ASSERT_LT(test, k, npages);
		if (umem_test_translated(dev))
			phys = iommu_iova_to_phys(iommu_get_domain_for_dev(dev),
						  addr);
		else
			phys = dma_to_phys(dev, addr);
		if (phys != page_to_phys(pages[k]))
			KUNIT_EXPECT_EQ_MSG(test, page_cmp(pages[k], 0,
							   phys_to_virt(phys)), 0,
					    "block %lu: neither the page nor a copy", k);
		k++;
	}
	KUNIT_EXPECT_EQ(test, k, npages);
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
	kunit_info(test, "mapped for %s through %s\n", dev_name(ibdev->dma_device),
		   umem_test_translated(ibdev->dma_device) ? "an IOMMU" :
		   "dma-direct");
	umem_check_dma(test, umem, pages, npages);
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

/*
 * Huge pages merge into a few runs: the bio_vec array, sized for one run
 * per page while pinning, is given back down to what the runs need.
 */
static void umem_huge_test(struct kunit *test)
{
	const unsigned long len = 2 * SZ_2M;
	struct ib_device *ibdev = umem_test_ibdev(test);
	unsigned long map, user, off;
	struct ib_umem *umem;
	s64 pinned_before;

	/* With larger pages the array is too small to be worth trimming. */
	if (PAGE_SIZE != SZ_4K)
		kunit_skip(test, "needs 4 KiB pages");
	map = kunit_vm_mmap(test, NULL, 0, len + SZ_2M, PROT_READ | PROT_WRITE,
			    MAP_ANONYMOUS | MAP_PRIVATE, 0);
	KUNIT_ASSERT_NE_MSG(test, map, 0UL, "kunit_vm_mmap failed");
	user = ALIGN(map, SZ_2M);
	if (do_madvise(current->mm, user, len, MADV_HUGEPAGE))
		kunit_skip(test, "needs CONFIG_TRANSPARENT_HUGEPAGE");
	for (off = 0; off < len; off += PAGE_SIZE)
		KUNIT_ASSERT_EQ(test, put_user(1, (u8 __user *)(user + off)), 0);
	pinned_before = atomic64_read(&current->mm->pinned_vm);

	umem = ib_umem_get(ibdev, user, len, IB_ACCESS_LOCAL_WRITE);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(umem), "ib_umem_get: %ld",
			       PTR_ERR(umem));
	if (umem->nr_bvecs > len / SZ_2M) {
		ib_umem_release(umem);
		kunit_skip(test, "no huge pages: %lu runs", umem->nr_bvecs);
	}
	/* A vmalloc()ed array is one that was not given back. */
	if (is_vmalloc_addr(umem->bvecs))
		KUNIT_FAIL(test, "the bio_vec array was not trimmed");
	else
		KUNIT_EXPECT_LE(test, ksize(umem->bvecs),
				(size_t)(len / SZ_2M) * sizeof(*umem->bvecs) * 2);
	KUNIT_EXPECT_EQ(test, dma_sg_table_len(ib_umem_dma_table(umem)),
			(u64)len);
	ib_umem_release(umem);
	KUNIT_EXPECT_EQ(test, atomic64_read(&current->mm->pinned_vm),
			pinned_before);
}

/*
 * Fail each allocation of ib_umem_get() in turn: -ENOMEM, and nothing left
 * pinned or accounted (kmemleak watches the rest).  dma-debug sits the loop
 * out: it allocates a node of its cacheline tree for about every page
 * mapped, hundreds of fault points of its own, and the loop must end once
 * the countdown outlasts the call.
 */
static void umem_get_fault_test(struct kunit *test)
{
	const unsigned long npages = 600;
	struct ib_device *ibdev = umem_test_ibdev(test);
	bool *debug_off = kunit_debugfs_var("dma-api", "disabled");
	struct kunit_fail_nth fail;
	unsigned int n, left, failures = 0;
	bool saved_off = false;
	struct page **pages;
	struct ib_umem *umem;
	unsigned long user, i;
	s64 pinned_before;

	/* Pages too where fail_page_alloc is built; slabs at least. */
	if (kunit_fail_nth_init(&fail, KUNIT_FAIL_NTH_SLEEPING |
				KUNIT_FAIL_NTH_PAGES) &&
	    kunit_fail_nth_init(&fail, KUNIT_FAIL_NTH_SLEEPING))
		kunit_skip(test, "needs failslab with its debugfs knobs");
	user = kunit_vm_mmap(test, NULL, 0, npages * PAGE_SIZE,
			     PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE, 0);
	KUNIT_ASSERT_NE_MSG(test, user, 0UL, "kunit_vm_mmap failed");
	pages = kunit_kcalloc(test, npages, sizeof(*pages), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pages);
	/* Fault the pages in, so that failures come from ib_umem_get(). */
	KUNIT_ASSERT_EQ(test, get_user_pages_fast(user, npages, FOLL_WRITE,
						  pages), (int)npages);
	pinned_before = atomic64_read(&current->mm->pinned_vm);

	/*
	 * None of this test's mappings is live across the switch; the switch
	 * is global, so a KUnit boot with no other DMA going on is assumed.
	 */
	if (debug_off) {
		saved_off = *debug_off;
		WRITE_ONCE(*debug_off, true);
	}
	for (n = 1; n < 200; n++) {
		kunit_fail_nth_arm(&fail, n);
		umem = ib_umem_get(ibdev, user, npages * PAGE_SIZE,
				   IB_ACCESS_LOCAL_WRITE);
		left = kunit_fail_nth_disarm(&fail);
		if (!IS_ERR(umem)) {
			/* Some points fail silently: kmemleak has a pool. */
			ib_umem_release(umem);
			if (left)
				break;
			continue;
		}
		KUNIT_EXPECT_EQ(test, PTR_ERR(umem), -ENOMEM);
		KUNIT_EXPECT_EQ(test, atomic64_read(&current->mm->pinned_vm),
				pinned_before);
		for (i = 0; i < npages; i++) {
			struct folio *folio = page_folio(pages[i]);

			KUNIT_EXPECT_FALSE(test, folio_maybe_dma_pinned(folio));
		}
		failures++;
	}
	if (debug_off)
		WRITE_ONCE(*debug_off, saved_off);
	for (i = 0; i < npages; i++)
		put_page(pages[i]);
	KUNIT_EXPECT_LT(test, n, 200U);
	/*
	 * The umem, and its page list from the pages.  The bio_vec array
	 * fails too only while it is small: past a page, kvmalloc() falls
	 * back to vmalloc(), and how many bio_vecs 600 pinned pages take
	 * depends on how contiguous they are.
	 */
	KUNIT_EXPECT_GE(test, failures, fail.page_wait ? 2U : 1U);
	kunit_info(test, "%u of %u allocation points failed ib_umem_get()%s\n",
		   failures, n - 1,
		   fail.page_wait ? "" : " (slabs only: no fail_page_alloc)");
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
	u64 total = 0, head;
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
	/*
	 * Start and end inside the first and last page, as a real MR may,
	 * and hold at least one byte even when the layout is one page.
	 */
	umem->address = 0x7f0000000000UL + get_random_u32_below(PAGE_SIZE);
	umem->iova = umem->address;
	head = umem->address & ~PAGE_MASK;
	umem->length = total - head -
		       get_random_u32_below(min_t(u64, PAGE_SIZE, total - head));
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
 * The best page size as the scatterlist umem computed it: every bit in
 * which a range's DMA address differs from its virtual address, and every
 * virtual address where a range ends but another follows, rules out the
 * page sizes above it; so do the bits that change across the whole
 * virtual range.  That umem merged contiguous pages into one entry, so
 * ranges that continue each other count as one here too.
 */
static unsigned long best_pgsz_sg(struct ib_umem *umem, struct sg_table *sgt,
				  unsigned long bitmap, unsigned long virt)
{
	unsigned long va = virt, skip = umem->address & ~PAGE_MASK;
	struct scatterlist *sg;
	u64 mask;
	int i;

	mask = bitmap & GENMASK(BITS_PER_LONG - 1,
				bits_per((umem->length - 1 + virt) ^ virt));
	for_each_sgtable_dma_sg(sgt, sg, i) {
		mask |= (sg_dma_address(sg) + skip) ^ va;
		va += sg_dma_len(sg) - skip;
		if (i != sgt->nents - 1 &&
		    sg_dma_address(sg_next(sg)) !=
		    sg_dma_address(sg) + sg_dma_len(sg))
			mask |= va;
		skip = 0;
	}
	if (mask)
		bitmap &= GENMASK(__ffs64(mask), 0);
	return bitmap ? rounddown_pow_of_two(bitmap) : 0;
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
		int j;

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
		/* And it is the scatterlist umem's, for any bitmap and VA. */
		for (j = 0; j < 4; j++) {
			unsigned long bitmap = j & 1 ? SZ_4K | SZ_2M | SZ_1G :
					       GENMASK(39, PAGE_SHIFT);
			unsigned long va = umem->address ^
					   (j & 2 ? (unsigned long)align << 1 : 0);
			unsigned long want = best_pgsz_sg(umem, &sgt, bitmap, va);

			KUNIT_EXPECT_EQ_MSG(test,
					    ib_umem_find_best_pgsz(umem, bitmap, va),
					    want, "align %llx va %lx bitmap %lx",
					    align, va, bitmap);
		}
		umem->iova = umem->address;
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

/*
 * A dma-buf whose DMA layout is made up: the importer only reads
 * addresses.  One range is 5 GiB long, which an sg_table must split.
 */
static const struct {
	dma_addr_t addr;
	u64 len;
} dmabuf_layout[] = {
	{ 0x100000000ULL, 8 * PAGE_SIZE },
	{ 0x300000000ULL, 5 * (u64)SZ_1G },
	{ 0x900000000ULL, 3 * PAGE_SIZE },
};

static u64 dmabuf_layout_len(void)
{
	u64 len = 0;
	int i;

	for (i = 0; i < ARRAY_SIZE(dmabuf_layout); i++)
		len += dmabuf_layout[i].len;
	return len;
}

/* The DMA address of byte @off of the buffer. */
static dma_addr_t dmabuf_layout_addr(u64 off)
{
	int i;

	for (i = 0; off >= dmabuf_layout[i].len; i++)
		off -= dmabuf_layout[i].len;
	return dmabuf_layout[i].addr + off;
}

static struct dma_sg_table *fake_map_dma_sg(struct dma_buf_attachment *attach,
					    enum dma_data_direction dir)
{
	struct dma_sg_table *t = kzalloc(sizeof(*t), GFP_KERNEL);
	int i, ret = 0;

	if (!t)
		return ERR_PTR(-ENOMEM);
	dma_sg_table_init(t, 0);
	for (i = 0; i < ARRAY_SIZE(dmabuf_layout) && !ret; i++)
		ret = dma_sg_append(t, dmabuf_layout[i].addr,
				    dmabuf_layout[i].len, GFP_KERNEL);
	if (ret) {
		dma_sg_table_free(t);
		kfree(t);
		return ERR_PTR(ret);
	}
	return t;
}

static void fake_unmap_dma_sg(struct dma_buf_attachment *attach,
			      struct dma_sg_table *t,
			      enum dma_data_direction dir)
{
	dma_sg_table_free(t);
	kfree(t);
}

/* The same layout as today's VRAM exporters give it: 2 GiB at most. */
static struct sg_table *fake_map_sgt(struct dma_buf_attachment *attach,
				     enum dma_data_direction dir)
{
	struct sg_table *sgt = kzalloc(sizeof(*sgt), GFP_KERNEL);
	struct scatterlist *sg;
	unsigned int n = 0;
	int i;

	if (!sgt)
		return ERR_PTR(-ENOMEM);
	for (i = 0; i < ARRAY_SIZE(dmabuf_layout); i++)
		n += DIV_ROUND_UP_ULL(dmabuf_layout[i].len, SZ_2G);
	if (sg_alloc_table(sgt, n, GFP_KERNEL)) {
		kfree(sgt);
		return ERR_PTR(-ENOMEM);
	}
	sg = sgt->sgl;
	for (i = 0; i < ARRAY_SIZE(dmabuf_layout); i++) {
		u64 off, len;

		for (off = 0; off < dmabuf_layout[i].len; off += len) {
			len = min_t(u64, dmabuf_layout[i].len - off, SZ_2G);
			sg_dma_address(sg) = dmabuf_layout[i].addr + off;
			sg_dma_len(sg) = len;
			sg = sg_next(sg);
		}
	}
	return sgt;
}

static void fake_unmap_sgt(struct dma_buf_attachment *attach,
			   struct sg_table *sgt, enum dma_data_direction dir)
{
	sg_free_table(sgt);
	kfree(sgt);
}

static int fake_pin(struct dma_buf_attachment *attach)
{
	return 0;
}

static void fake_unpin(struct dma_buf_attachment *attach)
{
}

static void fake_release(struct dma_buf *dmabuf)
{
}

static const struct dma_buf_ops fake_dma_sg_ops = {
	.pin = fake_pin,
	.unpin = fake_unpin,
	.map_dma_sg = fake_map_dma_sg,
	.unmap_dma_sg = fake_unmap_dma_sg,
	.release = fake_release,
};

static const struct dma_buf_ops fake_sgt_ops = {
	.pin = fake_pin,
	.unpin = fake_unpin,
	.map_dma_buf = fake_map_sgt,
	.unmap_dma_buf = fake_unmap_sgt,
	.release = fake_release,
};

static void fake_move_notify(struct dma_buf_attachment *attach)
{
	ib_umem_dmabuf_unmap_pages(attach->importer_priv);
}

static const struct dma_buf_attach_ops fake_importer_ops = {
	.allow_peer2peer = true,
	.move_notify = fake_move_notify,
};

/*
 * A window of a dma-buf, from an exporter of dma_sg tables and from one of
 * sg_tables with the same layout: the umem walks the same 4 KiB blocks,
 * across the 5 GiB range, and a move_notify unmaps it.
 */
static void umem_dmabuf_test(struct kunit *test)
{
	static const struct dma_buf_ops *const ops[] = {
		&fake_dma_sg_ops, &fake_sgt_ops,
	};
	const u64 start = 5 * PAGE_SIZE + 100;
	const u64 len = dmabuf_layout_len() - start - 2 * PAGE_SIZE;
	struct ib_device *ibdev = umem_test_ibdev(test);
	int k;

	if (!IS_ENABLED(CONFIG_ARCH_DMA_ADDR_T_64BIT))
		kunit_skip(test, "needs 64-bit DMA addresses");
	for (k = 0; k < ARRAY_SIZE(ops); k++) {
		DEFINE_DMA_BUF_EXPORT_INFO(info);
		struct ib_umem_dmabuf *ud;
		struct ib_block_iter biter;
		struct dma_buf *dmabuf;
		u64 n = 0, bad = 0;
		int fd;

		info.ops = ops[k];
		info.size = dmabuf_layout_len();
		info.flags = O_RDWR;
		info.priv = ibdev;
		dmabuf = dma_buf_export(&info);
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dmabuf);
		fd = dma_buf_fd(dmabuf, O_CLOEXEC);
		KUNIT_ASSERT_GE(test, fd, 0);

		ud = ib_umem_dmabuf_get(ibdev, start, len, fd,
					IB_ACCESS_LOCAL_WRITE,
					&fake_importer_ops);
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, ud);
		dma_resv_lock(dmabuf->resv, NULL);
		KUNIT_EXPECT_EQ(test, ib_umem_dmabuf_map_pages(ud), 0);
		KUNIT_EXPECT_TRUE(test, ib_umem_dmabuf_mapped(ud));
		rdma_umem_for_each_dma_block(&ud->umem, &biter, PAGE_SIZE) {
			u64 off = ALIGN_DOWN(start, PAGE_SIZE) + n * PAGE_SIZE;

			bad += rdma_block_iter_dma_address(&biter) !=
			       dmabuf_layout_addr(off);
			n++;
		}
		KUNIT_EXPECT_EQ(test, bad, 0ULL);
		KUNIT_EXPECT_EQ(test, n, (u64)ib_umem_num_dma_blocks(&ud->umem,
								     PAGE_SIZE));
		/* The window, not the buffer: trimmed at both ends. */
		KUNIT_EXPECT_EQ(test, n, (u64)(DIV_ROUND_UP(start + len, PAGE_SIZE) -
					       start / PAGE_SIZE));
		dma_buf_move_notify(dmabuf);
		KUNIT_EXPECT_FALSE(test, ib_umem_dmabuf_mapped(ud));
		dma_resv_unlock(dmabuf->resv);

		ib_umem_release(&ud->umem);
		close_fd(fd);
		flush_delayed_fput();
	}
}

static struct kunit_case ib_umem_test_cases[] = {
	KUNIT_CASE(umem_get_release_test),
	KUNIT_CASE(umem_huge_test),
	KUNIT_CASE(umem_get_fault_test),
	KUNIT_CASE(umem_block_walk_test),
	KUNIT_CASE(umem_block_walk_4g_test),
	KUNIT_CASE(umem_dmabuf_test),
	{}
};

static struct kunit_suite ib_umem_test_suite = {
	.name = "ib_umem",
	.test_cases = ib_umem_test_cases,
};

kunit_test_suite(ib_umem_test_suite);

MODULE_DESCRIPTION("KUnit tests for ib_umem on dma_sg");
MODULE_LICENSE("GPL");
