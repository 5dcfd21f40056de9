// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for dma_sg mapping through dma-direct.
 *
 * Each test maps for a KUnit device and checks the table against the
 * input, and dma-debug's count of live mappings and errors through the
 * counters it publishes in debugfs.  Ranges past the end of RAM are mapped
 * only where nothing reads them, to cover lengths over 4 GiB.  The swiotlb
 * cases need "swiotlb=force" and skip without it.
 */
#include <kunit/device.h>
#include <kunit/debugfs.h>
#include <kunit/fail_nth.h>
#include <kunit/static_stub.h>
#include <kunit/test.h>
#include <linux/bvec.h>
#include <linux/dma-direct.h>
#include <linux/dma-mapping.h>
#include <linux/dma_sg_map.h>
#include <linux/iommu.h>
#include <linux/kmsan-checks.h>
#include <linux/mm.h>
#include <linux/pci.h>
#include <linux/pci-p2p-bar.h>
#include <linux/sched.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/swiotlb.h>
#include <linux/tracepoint.h>
#include <linux/vmalloc.h>
#include <trace/events/dma.h>

#include "dma_sg_map_internal.h"

/* failslab only fails allocations that cannot sleep. */
#define NOWAIT		(GFP_NOWAIT | __GFP_NOWARN)
/* Far past the RAM of a KUnit VM; never read or written. */
#ifdef CONFIG_PHYS_ADDR_T_64BIT
#define FAR_PHYS	BIT_ULL(40)
#else
#define FAR_PHYS	0xf0000000UL
#endif

static struct device *map_dev(struct kunit *test, u64 mask)
{
	struct device *dev = kunit_device_register(test, "dma_sg_map");

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dev);
	dev->dma_mask = &dev->coherent_dma_mask;
	KUNIT_ASSERT_EQ(test, dma_set_mask_and_coherent(dev, mask), 0);
	return dev;
}

static void set_parms(struct kunit *test, struct device *dev,
		      unsigned int max_seg, unsigned long boundary)
{
	dev->dma_parms = kunit_kzalloc(test, sizeof(*dev->dma_parms),
				       GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, dev->dma_parms);
	dma_set_max_seg_size(dev, max_seg);
	dma_set_seg_boundary(dev, boundary);
}

/* A value that dma-debug publishes in debugfs, or NULL. */
static u32 *debug_u32(const char *name)
{
	return kunit_debugfs_var("dma-api", name);
}

/* Is dma-debug built in and not switched off (dma_debug=off)? */
static bool debug_on(void)
{
	u32 *total = debug_u32("nr_total_entries");
	bool *off = (bool *)debug_u32("disabled");

	return IS_ENABLED(CONFIG_DMA_API_DEBUG) && total && off &&
	       !READ_ONCE(*off);
}

/* Live dma-debug entries, or -1 when dma-debug is off or unreadable. */
static long debug_live(void)
{
	u32 *total = debug_u32("nr_total_entries");
	u32 *free = debug_u32("num_free_entries");

	if (!debug_on() || !total || !free)
		return -1;
	return (long)READ_ONCE(*total) - (long)READ_ONCE(*free);
}

static long debug_errors(void)
{
	u32 *p = debug_u32("error_count");

	return debug_on() && p ? READ_ONCE(*p) : -1;
}

/* swiotlb slots in use, or -1 when swiotlb keeps no count. */
static long tlb_used(struct device *dev)
{
#if defined(CONFIG_SWIOTLB) && defined(CONFIG_DEBUG_FS)
	if (dev->dma_io_tlb_mem)
		return atomic_long_read(&dev->dma_io_tlb_mem->total_used);
#endif
	return -1;
}

static bool forced(struct device *dev)
{
	return is_swiotlb_force_bounce(dev);
}

/* Check the invariants every mapped table has. */
static void check_table(struct kunit *test, struct dma_sg_map *map,
			u64 total)
{
	struct dma_sg_iter it;
	struct dma_sg *sg;
	u64 n = 0, len = 0;

	dma_sg_for_each(&map->table, sg, it) {
		KUNIT_EXPECT_NE(test, sg->len, 0ULL);
		KUNIT_EXPECT_TRUE(test, dma_sg_range_ok(sg->addr, sg->len));
		len += sg->len;
		n++;
	}
	KUNIT_EXPECT_EQ(test, n, dma_sg_table_nents(&map->table));
	KUNIT_EXPECT_EQ(test, len, total);
	KUNIT_EXPECT_EQ(test, dma_sg_table_len(&map->table), total);
}

/* Byte @off of the table, as the device sees it, in CPU terms. */
static phys_addr_t table_phys(struct device *dev, struct dma_sg_map *map,
			      u64 off)
{
	struct dma_sg_cursor cur;

	if (!dma_sg_cursor_seek(&cur, &map->table, off))
		return 0;
	return dma_to_phys(dev, dma_sg_cursor_addr(&cur));
}

static void check_empty(struct kunit *test, struct dma_sg_map *map)
{
	KUNIT_EXPECT_FALSE(test, dma_sg_map_is_mapped(map));
	KUNIT_EXPECT_EQ(test, map->backend, DMA_SG_BACKEND_NONE);
	KUNIT_EXPECT_NULL(test, map->recs);
	KUNIT_EXPECT_EQ(test, map->nr_recs, 0ULL);
	KUNIT_EXPECT_EQ(test, map->p2p.nr, 0U);
	/*
	 * No chunk kept but the map's own, empty, as the next map call
	 * expects it when it finds it in place.
	 */
	if (map->table.first) {
		KUNIT_EXPECT_PTR_EQ(test, map->table.first, &map->first.chunk);
		KUNIT_EXPECT_PTR_EQ(test, map->table.tail, map->table.first);
		KUNIT_EXPECT_NULL(test, map->table.first->next);
		KUNIT_EXPECT_EQ(test, map->table.first->nents, 0U);
		KUNIT_EXPECT_EQ(test, map->table.first->max_ents,
				DMA_SG_MAP_INLINE_ENTS);
		KUNIT_EXPECT_EQ(test, map->table.flags, DMA_SG_CALLER_CHUNK);
		KUNIT_EXPECT_EQ(test, map->table.size_hint, 0U);
	}
	KUNIT_EXPECT_EQ(test, dma_sg_table_nents(&map->table), 0ULL);
}

/*
 * Per-range records exist only when the unmap needs them: dma-debug
 * watches (one record per range mapped, as dma-debug counts them), the
 * device is not coherent, or swiotlb bounces.  The devices here reach all
 * memory, so only swiotlb=force bounces.
 */
static void check_recs(struct kunit *test, struct device *dev,
		       struct dma_sg_map *map, u64 mapped)
{
	if (debug_live() >= 0) {
		KUNIT_EXPECT_EQ(test, map->nr_recs, mapped);
	} else if (dev_is_dma_coherent(dev) && !forced(dev)) {
		KUNIT_EXPECT_NULL(test, map->recs);
		KUNIT_EXPECT_EQ(test, map->nr_recs, 0ULL);
	} else {
		KUNIT_EXPECT_GT(test, map->nr_recs, 0ULL);
		KUNIT_EXPECT_LE(test, map->nr_recs, mapped);
	}
}

/*
 * Memory for a device to read: zeroed, since KMSAN reports uninitialised
 * bytes handed to a device, as it must.
 */
static void *buf(struct kunit *test, size_t size)
{
	void *p = kunit_kzalloc(test, size, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	return p;
}

/* Physical ranges: contiguous ones merge, every byte lands where it must. */
static void map_phys_test(struct kunit *test)
{
	struct device *dev = map_dev(test, DMA_BIT_MASK(64));
	u8 *a = buf(test, 2 * PAGE_SIZE), *b = buf(test, PAGE_SIZE);
	struct dma_sg_phys r[3];
	struct dma_sg_map map = {};
	long live = debug_live(), errs = debug_errors();
	u64 off;

	KUNIT_ASSERT_EQ(test, dma_sg_phys_set(&r[0], virt_to_phys(a), 256,
					      DMA_SG_MAP_MEM, 0), 0);
	KUNIT_ASSERT_EQ(test, dma_sg_phys_set(&r[1], virt_to_phys(a) + 256,
					      PAGE_SIZE, DMA_SG_MAP_MEM, 0), 0);
	KUNIT_ASSERT_EQ(test, dma_sg_phys_set(&r[2], virt_to_phys(b), 1000,
					      DMA_SG_MAP_MEM, 0), 0);
	KUNIT_ASSERT_EQ(test, dma_sg_map_phys(&map, dev, r, 3, DMA_TO_DEVICE,
					      0, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, map.backend, DMA_SG_BACKEND_DIRECT);
	KUNIT_EXPECT_FALSE(test, dma_sg_map_is_collapsed(&map));
	check_table(test, &map, 256 + PAGE_SIZE + 1000);
	check_recs(test, dev, &map, 3);
	if (!forced(dev)) {
		/* r[0] and r[1] are one table entry; r[2] is its own. */
		KUNIT_EXPECT_EQ(test, dma_sg_table_nents(&map.table), 2ULL);
		for (off = 0; off < 256 + PAGE_SIZE; off += 128)
			KUNIT_EXPECT_EQ(test, table_phys(dev, &map, off),
					virt_to_phys(a) + off);
		KUNIT_EXPECT_EQ(test, table_phys(dev, &map, 256 + PAGE_SIZE),
				virt_to_phys(b));
	}
	if (live >= 0)
		KUNIT_EXPECT_EQ(test, debug_live(), live + 3);

	/* Whole and partial syncs; a sync past the end is refused. */
	KUNIT_EXPECT_EQ(test, dma_sg_map_sync_all_for_cpu(&map), 0);
	KUNIT_EXPECT_EQ(test, dma_sg_map_sync_all_for_device(&map), 0);
	KUNIT_EXPECT_EQ(test, dma_sg_map_sync_for_cpu(&map, 200, 300), 0);
	KUNIT_EXPECT_EQ(test, dma_sg_map_sync_for_device(&map, 200, 300), 0);
	KUNIT_EXPECT_EQ(test, dma_sg_map_sync_for_cpu(&map, 1, map.table.len),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, dma_sg_map_sync_for_cpu(&map, 0, 0), -EINVAL);

	dma_sg_unmap(&map);
	check_empty(test, &map);
	dma_sg_unmap(&map);
	if (live >= 0)
		KUNIT_EXPECT_EQ(test, debug_live(), live);
	if (errs >= 0)
		KUNIT_EXPECT_EQ(test, debug_errors(), errs);
}

/* A page array: runs of contiguous pages, offsets into the first page. */
static void map_pages_test(struct kunit *test)
{
	struct device *dev = map_dev(test, DMA_BIT_MASK(64));
	struct page *block = alloc_pages(GFP_KERNEL | __GFP_ZERO, 1);
	struct page *pages[4];
	struct dma_sg_map map = {};
	long live = debug_live();
	u64 size = 4 * PAGE_SIZE - 300, off;

	KUNIT_ASSERT_NOT_NULL(test, block);
	pages[0] = block;
	pages[1] = block + 1;
	pages[2] = alloc_page(GFP_KERNEL | __GFP_ZERO);
	pages[3] = alloc_page(GFP_KERNEL | __GFP_ZERO);
	KUNIT_ASSERT_NOT_NULL(test, pages[2]);
	KUNIT_ASSERT_NOT_NULL(test, pages[3]);

	KUNIT_EXPECT_EQ(test, dma_sg_map_pages(&map, dev, pages, 4, 100,
					       size, DMA_BIDIRECTIONAL, 0,
					       GFP_KERNEL), 0);
	check_table(test, &map, size);
	if (!forced(dev)) {
		for (off = 0; off < size; off += 64) {
			u64 pos = 100 + off;

			KUNIT_EXPECT_EQ(test, table_phys(dev, &map, off),
					page_to_phys(pages[pos >> PAGE_SHIFT]) +
					offset_in_page(pos));
		}
	}
	if (live >= 0)
		KUNIT_EXPECT_EQ(test, debug_live(), live + (long)map.nr_recs);
	KUNIT_EXPECT_LE(test, map.nr_recs, 3ULL);
	dma_sg_unmap(&map);
	if (live >= 0)
		KUNIT_EXPECT_EQ(test, debug_live(), live);

	/* More bytes than the pages hold. */
	KUNIT_EXPECT_EQ(test, dma_sg_map_pages(&map, dev, pages, 4, 100,
					       4 * PAGE_SIZE, DMA_TO_DEVICE, 0,
					       GFP_KERNEL), -EINVAL);
	check_empty(test, &map);
	__free_pages(block, 1);
	__free_page(pages[2]);
	__free_page(pages[3]);
}

/* bio_vecs: contiguous ones form one range. */
static void map_bvecs_test(struct kunit *test)
{
	struct device *dev = map_dev(test, DMA_BIT_MASK(64));
	struct page *p = alloc_page(GFP_KERNEL | __GFP_ZERO);
	struct page *q = alloc_page(GFP_KERNEL | __GFP_ZERO);
	struct bio_vec bv[3];
	struct dma_sg_map map = {};
	long live = debug_live();

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_NOT_NULL(test, q);
	bvec_set_page(&bv[0], p, 512, 0);
	bvec_set_page(&bv[1], p, 1024, 512);
	bvec_set_page(&bv[2], q, 64, 128);

	KUNIT_EXPECT_EQ(test, dma_sg_map_bvecs(&map, dev, bv, 3,
					       DMA_FROM_DEVICE, 0, GFP_KERNEL),
			0);
	check_table(test, &map, 512 + 1024 + 64);
	check_recs(test, dev, &map, 2);
	if (!forced(dev)) {
		KUNIT_EXPECT_EQ(test, table_phys(dev, &map, 0),
				page_to_phys(p));
		KUNIT_EXPECT_EQ(test, table_phys(dev, &map, 1535),
				page_to_phys(p) + 1535);
		KUNIT_EXPECT_EQ(test, table_phys(dev, &map, 1536),
				page_to_phys(q) + 128);
	}
	if (live >= 0)
		KUNIT_EXPECT_EQ(test, debug_live(), live + 2);
	dma_sg_unmap(&map);
	if (live >= 0)
		KUNIT_EXPECT_EQ(test, debug_live(), live);

	bvec_set_page(&bv[1], p, 0, 512);
	KUNIT_EXPECT_EQ(test, dma_sg_map_bvecs(&map, dev, bv, 2, DMA_TO_DEVICE,
					       0, GFP_KERNEL), -EINVAL);
	check_empty(test, &map);
	__free_page(p);
	__free_page(q);
}

/*
 * Lengths of 4 GiB and more, as MMIO far past RAM so that nothing touches
 * it.  max_segment_size UINT_MAX is a limit of its own: entries stay below
 * 4 GiB unless the map was initialised with DMA_SG_MAP_LONG_SEGMENTS.
 */
static void map_4g_test(struct kunit *test)
{
	struct device *dev = map_dev(test, DMA_BIT_MASK(64));
	u64 big = SZ_4G + SZ_1G;
	struct dma_sg_iter it;
	struct dma_sg_phys r;
	struct dma_sg_map map = {};
	struct dma_sg *sg;
	long live = debug_live();

	if (!IS_ENABLED(CONFIG_PHYS_ADDR_T_64BIT) ||
	    !IS_ENABLED(CONFIG_ARCH_DMA_ADDR_T_64BIT))
		kunit_skip(test, "needs 64-bit physical and DMA addresses");
	set_parms(test, dev, UINT_MAX, ULONG_MAX);
	KUNIT_ASSERT_EQ(test, dma_sg_phys_set(&r, FAR_PHYS, big,
					      DMA_SG_MAP_MMIO, 0), 0);

	KUNIT_ASSERT_EQ(test, dma_sg_map_phys(&map, dev, &r, 1, DMA_TO_DEVICE,
					      0, GFP_KERNEL), 0);
	check_table(test, &map, big);
	KUNIT_EXPECT_EQ(test, dma_sg_table_nents(&map.table), 2ULL);
	dma_sg_for_each(&map.table, sg, it)
		KUNIT_EXPECT_LE(test, sg->len, (u64)UINT_MAX);
	KUNIT_EXPECT_EQ(test, map.table.first->ents[0].addr, (dma_addr_t)FAR_PHYS);
	if (live >= 0)
		KUNIT_EXPECT_EQ(test, debug_live(), live + 1);
	dma_sg_unmap(&map);
	check_empty(test, &map);

	dma_sg_map_init(&map, DMA_SG_MAP_LONG_SEGMENTS);
	KUNIT_ASSERT_EQ(test, dma_sg_map_phys(&map, dev, &r, 1, DMA_TO_DEVICE,
					      0, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, dma_sg_table_nents(&map.table), 1ULL);
	KUNIT_EXPECT_EQ(test, map.table.first->ents[0].len, big);
	dma_sg_unmap(&map);
	/* The flag survives the unmap: the map is ready for the next one. */
	KUNIT_EXPECT_EQ(test, map.flags, (u8)DMA_SG_MAP_LONG_SEGMENTS);

	/* The segment boundary still applies to long segments. */
	set_parms(test, dev, UINT_MAX, SZ_4G - 1);
	KUNIT_ASSERT_EQ(test, dma_sg_map_phys(&map, dev, &r, 1, DMA_TO_DEVICE,
					      0, GFP_KERNEL), 0);
	dma_sg_for_each(&map.table, sg, it)
		KUNIT_EXPECT_EQ(test, upper_32_bits(sg->addr),
				upper_32_bits(sg->addr + sg->len - 1));
	dma_sg_unmap(&map);

	/* A table walked in blocks ignores both limits. */
	set_parms(test, dev, SZ_64K, SZ_4G - 1);
	dma_sg_map_init(&map, DMA_SG_MAP_NO_SEG_LIMITS);
	KUNIT_ASSERT_EQ(test, dma_sg_map_phys(&map, dev, &r, 1, DMA_TO_DEVICE,
					      0, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, dma_sg_table_nents(&map.table), 1ULL);
	KUNIT_EXPECT_EQ(test, map.table.first->ents[0].len, big);
	dma_sg_unmap(&map);
	if (live >= 0)
		KUNIT_EXPECT_EQ(test, debug_live(), live);
}

/*
 * Ranges whose lengths add up past U64_MAX, the last one over the top:
 * refused with -EOVERFLOW, and nothing stays mapped, whichever loop
 * maps them.
 */
static void map_overflow_test(struct kunit *test)
{
	struct device *dev = map_dev(test, DMA_BIT_MASK(64));
	const u64 n = U64_MAX / DMA_SG_PHYS_LEN_MAX + 1;
	struct dma_sg_map map = {};
	long live = debug_live();
	struct dma_sg_phys *r;
	int ret;
	u64 i;

	/* 32-bit size_t would cut each range into 2^18 pieces. */
	if (!IS_ENABLED(CONFIG_64BIT))
		kunit_skip(test, "needs a 64-bit kernel");
	r = kvcalloc(n, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	if (dma_sg_phys_set(&r[0], FAR_PHYS, DMA_SG_PHYS_LEN_MAX,
			    DMA_SG_MAP_MMIO, 0)) {
		kvfree(r);
		KUNIT_FAIL(test, "dma_sg_phys_set() refused the range");
		return;
	}
	for (i = 1; i < n; i++)
		r[i] = r[0];
	dma_sg_map_init(&map, DMA_SG_MAP_NO_SEG_LIMITS);
	ret = dma_sg_map_phys(&map, dev, r, n, DMA_TO_DEVICE, 0, GFP_KERNEL);
	KUNIT_EXPECT_EQ(test, ret, -EOVERFLOW);
	if (!ret)
		dma_sg_unmap(&map);
	check_empty(test, &map);
	if (live >= 0)
		KUNIT_EXPECT_EQ(test, debug_live(), live);
	/* One range fewer fits. */
	KUNIT_EXPECT_EQ(test, dma_sg_map_phys(&map, dev, r, n - 1,
					      DMA_TO_DEVICE, 0, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, dma_sg_table_len(&map.table),
			(n - 1) * DMA_SG_PHYS_LEN_MAX);
	dma_sg_unmap(&map);
	kvfree(r);
}

/* max_segment_size and segment_boundary_mask are honoured. */
static void map_parms_test(struct kunit *test)
{
	struct device *dev = map_dev(test, DMA_BIT_MASK(64));
	u8 *a = buf(test, SZ_256K);
	u64 len = SZ_64K + 100, n = 0, total = 0;
	struct dma_sg_iter it;
	struct dma_sg_phys r;
	struct dma_sg_map map = {};
	struct dma_sg *sg;

	set_parms(test, dev, SZ_16K, SZ_32K - 1);
	KUNIT_ASSERT_EQ(test, dma_sg_phys_set(&r, virt_to_phys(a) + 0x800,
					      len, DMA_SG_MAP_MEM, 0), 0);
	KUNIT_ASSERT_EQ(test, dma_sg_map_phys(&map, dev, &r, 1, DMA_TO_DEVICE,
					      0, GFP_KERNEL), 0);
	check_table(test, &map, len);
	dma_sg_for_each(&map.table, sg, it) {
		KUNIT_EXPECT_LE(test, sg->len, (u64)SZ_16K);
		KUNIT_EXPECT_EQ(test, sg->addr / SZ_32K,
				(sg->addr + sg->len - 1) / SZ_32K);
		/* Entries stay in order and back to back. */
		if (!forced(dev))
			KUNIT_EXPECT_EQ(test, dma_to_phys(dev, sg->addr),
					virt_to_phys(a) + 0x800 + total);
		total += sg->len;
		n++;
	}
	KUNIT_EXPECT_GE(test, n, len / SZ_16K + 1);
	dma_sg_unmap(&map);
}

/* Past the DMA mask with no swiotlb: -EIO, and the good ranges unwind. */
static void map_mask_test(struct kunit *test)
{
	struct device *dev = map_dev(test, DMA_BIT_MASK(32));
	u8 *a = buf(test, PAGE_SIZE);
	struct dma_sg_phys r[2];
	struct dma_sg_map map = {};
	long live = debug_live();

	if (is_swiotlb_active(dev))
		kunit_skip(test, "swiotlb is active: it would bounce the range past the mask");

	KUNIT_ASSERT_EQ(test, dma_sg_phys_set(&r[0], virt_to_phys(a), 512,
					      DMA_SG_MAP_MEM, 0), 0);
	KUNIT_ASSERT_EQ(test, dma_sg_phys_set(&r[1], FAR_PHYS, SZ_64K,
					      DMA_SG_MAP_MMIO, 0), 0);
	KUNIT_EXPECT_EQ(test, dma_sg_map_phys(&map, dev, r, 2, DMA_TO_DEVICE,
					      0, GFP_KERNEL), -EIO);
	check_empty(test, &map);

	/* A range that ends one byte past a 32-bit mask. */
	KUNIT_ASSERT_EQ(test, dma_sg_phys_set(&r[1], SZ_4G - 4096, 4097,
					      DMA_SG_MAP_MMIO, 0), 0);
	KUNIT_EXPECT_EQ(test, dma_sg_map_phys(&map, dev, r, 2, DMA_TO_DEVICE,
					      0, GFP_KERNEL), -EIO);
	check_empty(test, &map);
	if (live >= 0)
		KUNIT_EXPECT_EQ(test, debug_live(), live);
}

/* Malformed input is refused before anything is mapped. */
static void map_bad_input_test(struct kunit *test)
{
	struct device *dev = map_dev(test, DMA_BIT_MASK(64));
	u8 *a = buf(test, PAGE_SIZE);
	struct dma_sg_phys r[2];
	struct dma_sg_map map = {};

	KUNIT_ASSERT_EQ(test, dma_sg_phys_set(&r[0], virt_to_phys(a), 64,
					      DMA_SG_MAP_MEM, 0), 0);
	KUNIT_EXPECT_EQ(test, dma_sg_map_phys(&map, dev, r, 0, DMA_TO_DEVICE,
					      0, GFP_KERNEL), -EINVAL);
	check_empty(test, &map);
	KUNIT_EXPECT_EQ(test, dma_sg_map_phys(&map, dev, r, 1, DMA_NONE, 0,
					      GFP_KERNEL), -EINVAL);
	check_empty(test, &map);

	/* Flag bits set by hand: MEM with a BAR id, then MMIO with one. */
	r[1].paddr = virt_to_phys(a);
	r[1].len_flags = 64 | FIELD_PREP(DMA_SG_PHYS_BAR_MASK, 3);
	KUNIT_EXPECT_EQ(test, dma_sg_map_phys(&map, dev, r, 2, DMA_TO_DEVICE,
					      0, GFP_KERNEL), -EINVAL);
	check_empty(test, &map);
	r[1].len_flags |= FIELD_PREP(DMA_SG_PHYS_HINT_MASK, DMA_SG_MAP_MMIO);
	KUNIT_EXPECT_EQ(test, dma_sg_map_phys(&map, dev, r, 2, DMA_TO_DEVICE,
					      0, GFP_KERNEL), -EINVAL);
	check_empty(test, &map);

	/* A forgotten hint: memory with no struct page is not memory. */
	KUNIT_ASSERT_EQ(test, dma_sg_phys_set(&r[1], FAR_PHYS, 64,
					      DMA_SG_MAP_MEM, 0), 0);
	KUNIT_EXPECT_EQ(test, dma_sg_map_phys(&map, dev, r, 2, DMA_TO_DEVICE,
					      0, GFP_KERNEL), -EINVAL);
	check_empty(test, &map);
	/* DMA_ATTR_MMIO belongs to the ranges, not to the whole map. */
	KUNIT_EXPECT_EQ(test, dma_sg_map_phys(&map, dev, r, 1, DMA_TO_DEVICE,
					      DMA_ATTR_MMIO, GFP_KERNEL),
			-EINVAL);
	check_empty(test, &map);
	KUNIT_EXPECT_EQ(test, dma_sg_map_sync_for_cpu(&map, 0, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, dma_sg_map_sync_all_for_cpu(&map), -EINVAL);
}

/*
 * Mapping into a live map is refused with -EBUSY and a warning, and the
 * live mapping is left exactly as it was; an unmapped map maps again.
 */
static void map_live_test(struct kunit *test)
{
	struct device *dev = map_dev(test, DMA_BIT_MASK(64));
	u8 *a = buf(test, PAGE_SIZE), *b = buf(test, PAGE_SIZE);
	struct page *pg = virt_to_page(b);
	struct dma_sg_phys r[2];
	struct dma_sg_map map = {};
	long live = debug_live();
	dma_addr_t addr;

	KUNIT_ASSERT_EQ(test, dma_sg_phys_set(&r[0], virt_to_phys(a), 128,
					      DMA_SG_MAP_MEM, 0), 0);
	KUNIT_ASSERT_EQ(test, dma_sg_phys_set(&r[1], virt_to_phys(b), 128,
					      DMA_SG_MAP_MEM, 0), 0);
	KUNIT_ASSERT_EQ(test, dma_sg_map_phys(&map, dev, r, 1, DMA_TO_DEVICE,
					      0, GFP_KERNEL), 0);
	addr = map.table.first->ents[0].addr;
	KUNIT_EXPECT_EQ(test, dma_sg_map_phys(&map, dev, &r[1], 1,
					      DMA_TO_DEVICE, 0, GFP_KERNEL),
			-EBUSY);
	KUNIT_EXPECT_EQ(test, dma_sg_map_pages(&map, dev, &pg, 1, 0, 64,
					       DMA_TO_DEVICE, 0, GFP_KERNEL),
			-EBUSY);
	KUNIT_EXPECT_TRUE(test, dma_sg_map_is_mapped(&map));
	KUNIT_EXPECT_EQ(test, dma_sg_table_nents(&map.table), 1ULL);
	KUNIT_EXPECT_EQ(test, map.table.first->ents[0].addr, addr);
	KUNIT_EXPECT_EQ(test, map.table.len, 128ULL);
	if (live >= 0)
		KUNIT_EXPECT_EQ(test, debug_live(), live + 1);
	dma_sg_unmap(&map);
	KUNIT_EXPECT_EQ(test, dma_sg_map_phys(&map, dev, &r[1], 1,
					      DMA_TO_DEVICE, 0, GFP_KERNEL), 0);
	dma_sg_unmap(&map);
	if (live >= 0)
		KUNIT_EXPECT_EQ(test, debug_live(), live);
}

/*
 * P2P ranges naming no registered BAR fail with the registry's -ENOENT
 * after a memory range was mapped: the memory range unwinds.
 */
static void map_p2p_unknown_bar_test(struct kunit *test)
{
	struct device *dev = map_dev(test, DMA_BIT_MASK(64));
	u8 *a = buf(test, PAGE_SIZE);
	enum dma_sg_map_hint hints[] = {
		DMA_SG_MAP_BUS_ADDR, DMA_SG_MAP_HOST_BRIDGE,
	};
	struct dma_sg_phys r[2];
	struct dma_sg_map map = {};
	long live = debug_live(), used = tlb_used(dev);
	int i;

	for (i = 0; i < ARRAY_SIZE(hints); i++) {
		KUNIT_ASSERT_EQ(test, dma_sg_phys_set(&r[0], virt_to_phys(a),
						      512, DMA_SG_MAP_MEM, 0),
				0);
		KUNIT_ASSERT_EQ(test, dma_sg_phys_set(&r[1], FAR_PHYS, SZ_64K,
						      hints[i],
						      DMA_SG_BAR_ID_MAX), 0);
		KUNIT_EXPECT_EQ(test, dma_sg_map_phys(&map, dev, r, 2,
						      DMA_TO_DEVICE, 0,
						      GFP_KERNEL), -ENOENT);
		check_empty(test, &map);
	}
	if (live >= 0)
		KUNIT_EXPECT_EQ(test, debug_live(), live);
	KUNIT_EXPECT_EQ(test, tlb_used(dev), used);
}

#if IS_ENABLED(CONFIG_PCI_P2P_BAR)
/* Above the 1 GiB of RAM of KUnit's QEMU; never accessed. */
#define P2P_START	0x300000000ULL
#define P2P_LEN		SZ_1M

struct p2p_lend {
	struct pci_dev *pdev;
	int bar;
	struct resource saved;
};

/*
 * KUnit's QEMU has no memory BAR to spare: fill an empty BAR slot of a
 * driverless PCI device for the length of the test, as the BAR registry's
 * own tests do.
 */
static bool p2p_lend_bar(struct p2p_lend *l)
{
	struct pci_dev *pdev = NULL;
	struct resource *res;
	int bar;

	for_each_pci_dev(pdev) {
		if (pdev->dev.driver)
			continue;
		for (bar = 0; bar < PCI_STD_NUM_BARS; bar++) {
			res = &pdev->resource[bar];
			if (res->flags || res->start || res->end)
				continue;
			l->pdev = pdev;
			l->bar = bar;
			l->saved = *res;
			res->name = "dma_sg_map kunit";
			res->start = P2P_START;
			res->end = P2P_START + P2P_LEN - 1;
			res->flags = IORESOURCE_MEM | IORESOURCE_MEM_64;
			return true;
		}
	}
	return false;
}

static void p2p_return_bar(struct p2p_lend *l)
{
	l->pdev->resource[l->bar] = l->saved;
	pci_dev_put(l->pdev);
}

static struct pci_dev *p2p_client(struct pci_dev *provider)
{
	struct pci_dev *pdev = NULL;

	for_each_pci_dev(pdev)
		if (pdev != provider)
			return pdev;
	return NULL;
}

/* The DMA address of table byte @off. */
static dma_addr_t table_addr(struct dma_sg_map *map, u64 off)
{
	struct dma_sg_cursor cur;

	if (!dma_sg_cursor_seek(&cur, &map->table, off))
		return DMA_MAPPING_ERROR;
	return dma_sg_cursor_addr(&cur);
}

/*
 * The mixing rule: memory and a P2P range share a table.  The P2P entry
 * holds the registry's address, is never bounced, and keeps a reference
 * on the BAR until unmap; a hint the registry did not choose for this
 * client fails with -EREMOTEIO and unwinds the memory range.
 */
static void map_p2p_mix_test(struct kunit *test)
{
	u8 *a = buf(test, PAGE_SIZE), *b = buf(test, PAGE_SIZE);
	phys_addr_t p2p = P2P_START + SZ_4K;
	struct pci_p2p_bar *bar;
	struct pci_dev *client;
	struct dma_sg_phys r[3];
	struct dma_sg_map map = {};
	enum dma_sg_map_hint wrong;
	struct p2p_lend l;
	long live, used;
	dma_addr_t want;
	int ret, hint;
	u32 id;

	if (!p2p_lend_bar(&l))
		kunit_skip(test, "no driverless PCI device with an empty BAR slot");
	client = p2p_client(l.pdev);
	if (!client) {
		p2p_return_bar(&l);
		kunit_skip(test, "no second PCI device to act as the client");
	}
	ret = pci_p2p_bar_register(l.pdev, l.bar, 0, 0, &bar);
	KUNIT_ASSERT_EQ(test, ret, 0);
	id = pci_p2p_bar_id(bar);
	hint = pci_p2p_bar_map_type(bar, &client->dev);
	if (hint < 0) {
		KUNIT_EXPECT_EQ(test, pci_p2p_bar_unregister(bar), 0);
		pci_dev_put(client);
		p2p_return_bar(&l);
		kunit_skip(test, "%s cannot reach a BAR of %s (%d)",
			   pci_name(client), pci_name(l.pdev), hint);
	}
	kunit_info(test, "%s -> %s: map type %d\n", pci_name(client),
		   pci_name(l.pdev), hint);
	/* The bus address, worked out apart from the registry. */
	want = hint == DMA_SG_MAP_BUS_ADDR ?
	       (dma_addr_t)(p2p + pci_bus_address(l.pdev, l.bar) -
			    pci_resource_start(l.pdev, l.bar)) :
	       (dma_addr_t)p2p;
	wrong = hint == DMA_SG_MAP_BUS_ADDR ? DMA_SG_MAP_HOST_BRIDGE :
		DMA_SG_MAP_BUS_ADDR;

	live = debug_live();
	used = tlb_used(&client->dev);
	KUNIT_ASSERT_EQ(test, dma_sg_phys_set(&r[0], virt_to_phys(a), 256,
					      DMA_SG_MAP_MEM, 0), 0);
	KUNIT_ASSERT_EQ(test, pci_p2p_bar_phys_set(&r[1], bar, &client->dev,
						   p2p - P2P_START, SZ_8K), 0);
	KUNIT_ASSERT_EQ(test, dma_sg_phys_set(&r[2], virt_to_phys(b), 256,
					      DMA_SG_MAP_MEM, 0), 0);
	ret = dma_sg_map_phys(&map, &client->dev, r, 3, DMA_BIDIRECTIONAL, 0,
			      GFP_KERNEL);
	KUNIT_EXPECT_EQ(test, ret, 0);
	if (!ret) {
		check_table(test, &map, 512 + SZ_8K);
		KUNIT_EXPECT_EQ(test, table_addr(&map, 256), want);
		KUNIT_EXPECT_EQ(test, table_addr(&map, 256 + SZ_8K - 1),
				want + SZ_8K - 1);
		KUNIT_EXPECT_EQ(test, dma_sg_map_sync_all_for_cpu(&map), 0);
		KUNIT_EXPECT_EQ(test, dma_sg_map_sync_all_for_device(&map), 0);
		/* The mapping holds a reference on the BAR. */
		KUNIT_EXPECT_EQ(test, pci_p2p_bar_unregister(bar), -EBUSY);
		dma_sg_unmap(&map);
	}
	if (live >= 0)
		KUNIT_EXPECT_EQ(test, debug_live(), live);

	/* The other hint, and a range past the registered BAR. */
	KUNIT_ASSERT_EQ(test, dma_sg_phys_set(&r[1], p2p, SZ_8K, wrong, id),
			0);
	KUNIT_EXPECT_EQ(test, dma_sg_map_phys(&map, &client->dev, r, 3,
					      DMA_TO_DEVICE, 0, GFP_KERNEL),
			-EREMOTEIO);
	check_empty(test, &map);
	KUNIT_ASSERT_EQ(test, dma_sg_phys_set(&r[1], P2P_START + P2P_LEN - 16,
					      32, hint, id), 0);
	KUNIT_EXPECT_EQ(test, dma_sg_map_phys(&map, &client->dev, r, 3,
					      DMA_TO_DEVICE, 0, GFP_KERNEL),
			-EINVAL);
	check_empty(test, &map);
	if (live >= 0)
		KUNIT_EXPECT_EQ(test, debug_live(), live);
	KUNIT_EXPECT_EQ(test, tlb_used(&client->dev), used);

	/* Every reference was dropped. */
	KUNIT_EXPECT_EQ(test, pci_p2p_bar_unregister(bar), 0);
	pci_dev_put(client);
	p2p_return_bar(&l);
}
#else
static void map_p2p_mix_test(struct kunit *test)
{
	kunit_skip(test, "needs CONFIG_PCI_P2P_BAR");
}
#endif

/*
 * Fail every fault point in turn: each failure returns -ENOMEM and leaves
 * no mapping (dma-debug, swiotlb) and no memory behind.  Some points fail
 * silently (kmemleak falls back to its emergency pool): the map succeeds
 * then, and the walk goes on until a map reaches no n-th point.
 */
#define FI_RANGES	300	/* table chunks of a page past the inline ones */
#define FI_RANGES_SLAB	100	/* smaller chunks, from slab */
static void map_fault_test(struct kunit *test)
{
	struct device *dev = map_dev(test, DMA_BIT_MASK(64));
	u8 *a = buf(test, FI_RANGES * 128);
	struct dma_sg_phys *r = kunit_kcalloc(test, FI_RANGES, sizeof(*r),
					      GFP_KERNEL);
	long live = debug_live(), used = tlb_used(dev);
	unsigned int n, left, failures = 0, chunks = 0, want;
	const struct dma_sg_chunk *c;
	struct kunit_fail_nth fail;
	struct dma_sg_map map = {};
	unsigned int nr = FI_RANGES;
	bool pages = true;
	int ret, i;

	/*
	 * Page-sized chunks come from the page allocator.  Without
	 * fail_page_alloc, fewer ranges keep the table's chunks in slab.
	 */
	if (kunit_fail_nth_init(&fail, KUNIT_FAIL_NTH_PAGES)) {
		pages = false;
		nr = FI_RANGES_SLAB;
		if (kunit_fail_nth_init(&fail, 0))
			kunit_skip(test, "needs CONFIG_FAILSLAB");
	}
	KUNIT_ASSERT_NOT_NULL(test, r);
	for (i = 0; i < nr; i++)
		KUNIT_ASSERT_EQ(test, dma_sg_phys_set(&r[i],
						      virt_to_phys(a) + i * 128,
						      64, DMA_SG_MAP_MEM, 0),
				0);
	for (n = 1; n < 64; n++) {
		kunit_fail_nth_arm(&fail, n);
		ret = dma_sg_map_phys(&map, dev, r, nr, DMA_TO_DEVICE, 0,
				      NOWAIT);
		left = kunit_fail_nth_disarm(&fail);
		if (!ret && left)
			break;
		if (!ret) {
			dma_sg_unmap(&map);
			continue;
		}
		KUNIT_EXPECT_EQ(test, ret, -ENOMEM);
		check_empty(test, &map);
		if (live >= 0)
			KUNIT_EXPECT_EQ(test, debug_live(), live);
		KUNIT_EXPECT_EQ(test, tlb_used(dev), used);
		failures++;
	}
	KUNIT_ASSERT_EQ(test, ret, 0);
	/*
	 * Each table chunk after the map's own entries, and each time the
	 * records (when kept) doubled from 8.
	 */
	for (c = map.table.first->next; c; c = c->next) {
		KUNIT_EXPECT_TRUE(test, pages || c->max_ents < DMA_SG_CHUNK_ENTS);
		chunks++;
	}
	KUNIT_EXPECT_GE(test, chunks, 2U);
	kunit_info(test, "%u of %u fault points failed the map\n", failures,
		   n - 1);
	want = chunks + (map.max_recs ? ilog2(map.max_recs / 8) + 1 : 0);
	/*
	 * With fail_page_alloc the count is not exact: a slab that needs a
	 * new page fails there too, and kmemleak's own allocations around
	 * a page chunk fail silently into its pool.  Every chunk still must.
	 */
	if (pages)
		KUNIT_EXPECT_GE(test, failures, chunks);
	else
		KUNIT_EXPECT_EQ(test, failures, want);
	check_table(test, &map, nr * 64);
	check_recs(test, dev, &map, nr);
	if (live >= 0)
		KUNIT_EXPECT_EQ(test, debug_live(), live + nr);
	dma_sg_unmap(&map);
	if (live >= 0)
		KUNIT_EXPECT_EQ(test, debug_live(), live);
	KUNIT_EXPECT_EQ(test, tlb_used(dev), used);
}

/* Map the first 256 bytes of @a for @dev, or fail the test. */
static void map_256(struct kunit *test, struct device *dev, u8 *a,
		    enum dma_data_direction dir, struct dma_sg_map *map)
{
	struct dma_sg_phys r;

	KUNIT_ASSERT_EQ(test, dma_sg_phys_set(&r, virt_to_phys(a), 256,
					      DMA_SG_MAP_MEM, 0), 0);
	KUNIT_ASSERT_EQ(test, dma_sg_map_phys(map, dev, &r, 1, dir, 0,
					      GFP_KERNEL), 0);
}

/* dma-debug reports an unmap whose direction differs from the map's. */
static void map_debug_mismatch_test(struct kunit *test)
{
	struct device *dev = map_dev(test, DMA_BIT_MASK(64));
	u8 *a = buf(test, PAGE_SIZE);
	long errs = debug_errors(), live = debug_live();
	struct dma_sg_map map = {};
	u32 *shown;

	if (errs < 0 || live < 0)
		kunit_skip(test, "dma-debug counters not found in debugfs");

	map_256(test, dev, a, DMA_TO_DEVICE, &map);
	dma_sg_unmap(&map);
	KUNIT_EXPECT_EQ(test, debug_errors(), errs);

	map_256(test, dev, a, DMA_TO_DEVICE, &map);
	/*
	 * A corrupted map: dma-debug must see the unmap and object.  It
	 * prints only its first error; raise that budget by the one error
	 * made here, so that an unexpected one is still printed.
	 */
	shown = debug_u32("num_errors");
	if (shown)
		WRITE_ONCE(*shown, *shown + 1);
	map.dir = DMA_FROM_DEVICE;
	dma_sg_unmap(&map);
	KUNIT_EXPECT_GT(test, debug_errors(), errs);
	KUNIT_EXPECT_EQ(test, debug_live(), live);
}

/* A second unmap of the same map is a no-op that dma-debug never sees. */
static void map_unmap_twice_test(struct kunit *test)
{
	struct device *dev = map_dev(test, DMA_BIT_MASK(64));
	u8 *a = buf(test, PAGE_SIZE);
	long errs = debug_errors(), live = debug_live();
	struct dma_sg_map map = {};

	if (errs < 0 || live < 0)
		kunit_skip(test, "dma-debug counters not found in debugfs");

	map_256(test, dev, a, DMA_BIDIRECTIONAL, &map);
	KUNIT_EXPECT_GT(test, debug_live(), live);
	dma_sg_unmap(&map);
	dma_sg_unmap(&map);
	KUNIT_EXPECT_EQ(test, debug_errors(), errs);
	KUNIT_EXPECT_EQ(test, debug_live(), live);
	KUNIT_EXPECT_EQ(test, dma_sg_table_nents(&map.table), 0);
	KUNIT_EXPECT_EQ(test, map.backend, DMA_SG_BACKEND_NONE);
}

static void count_map(void *data, struct device *dev, phys_addr_t phys,
		      dma_addr_t dma, size_t size,
		      enum dma_data_direction dir, unsigned long attrs)
{
	(*(int *)data)++;
}

static void count_unmap(void *data, struct device *dev, dma_addr_t addr,
			size_t size, enum dma_data_direction dir,
			unsigned long attrs)
{
	(*(int *)data)++;
}

/* The dma_map_page and dma_unmap_page tracepoints fire once a record. */
static void map_trace_test(struct kunit *test)
{
	struct device *dev = map_dev(test, DMA_BIT_MASK(64));
	u8 *a = buf(test, 2 * PAGE_SIZE);
	struct dma_sg_phys r[2];
	struct dma_sg_map map = {};
	int maps = 0, unmaps = 0;

	if (!IS_ENABLED(CONFIG_TRACEPOINTS))
		kunit_skip(test, "needs CONFIG_TRACEPOINTS");
	KUNIT_ASSERT_EQ(test, dma_sg_phys_set(&r[0], virt_to_phys(a), 256,
					      DMA_SG_MAP_MEM, 0), 0);
	KUNIT_ASSERT_EQ(test, dma_sg_phys_set(&r[1], virt_to_phys(a) + 1024,
					      256, DMA_SG_MAP_MEM, 0), 0);
	KUNIT_ASSERT_EQ(test, register_trace_dma_map_page(count_map, &maps), 0);
	KUNIT_ASSERT_EQ(test,
			register_trace_dma_unmap_page(count_unmap, &unmaps), 0);
	if (!dma_sg_map_phys(&map, dev, r, 2, DMA_TO_DEVICE, 0, GFP_KERNEL))
		dma_sg_unmap(&map);
	unregister_trace_dma_map_page(count_map, &maps);
	unregister_trace_dma_unmap_page(count_unmap, &unmaps);
	tracepoint_synchronize_unregister();
	KUNIT_EXPECT_EQ(test, maps, 2);
	KUNIT_EXPECT_EQ(test, unmaps, 2);
}

/* Fill @p with a pattern that differs for each @seed. */
static void fill(u8 *p, size_t len, u8 seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = seed + i * 7;
}

#define RT_LEN		(3 * 1024)
/* Two ranges of one map, in two buffers. */
static void rt_ranges(struct kunit *test, u8 *a, u8 *b,
		      struct dma_sg_phys *r)
{
	KUNIT_ASSERT_EQ(test, dma_sg_phys_set(&r[0], virt_to_phys(a) + 64,
					      RT_LEN / 2, DMA_SG_MAP_MEM, 0),
			0);
	KUNIT_ASSERT_EQ(test, dma_sg_phys_set(&r[1], virt_to_phys(b) + 128,
					      RT_LEN / 2, DMA_SG_MAP_MEM, 0),
			0);
}

/* The CPU buffer that holds table byte @off. */
static u8 *rt_cpu(u8 *a, u8 *b, u64 off)
{
	return off < RT_LEN / 2 ? a + 64 + off : b + 128 + off - RT_LEN / 2;
}

static u8 *rt_dev(struct device *dev, struct dma_sg_map *map, u64 off)
{
	return phys_to_virt(table_phys(dev, map, off));
}

/* swiotlb=force: data bounces both ways; partial syncs copy exactly. */
static void swiotlb_roundtrip_test(struct kunit *test)
{
	struct device *dev = map_dev(test, DMA_BIT_MASK(64));
	u8 *a = buf(test, PAGE_SIZE), *b = buf(test, PAGE_SIZE);
	u8 *want = buf(test, RT_LEN);
	const u64 s_off = 1000, s_len = 1200;	/* crosses both ranges */
	struct dma_sg_phys r[2];
	struct dma_sg_map map = {};
	long used = tlb_used(dev);
	u64 off;

	if (!forced(dev))
		kunit_skip(test, "needs swiotlb=force on the kernel command line");
	rt_ranges(test, a, b, r);

	/* To the device: the bounce buffer holds the CPU's bytes. */
	fill(want, RT_LEN, 1);
	for (off = 0; off < RT_LEN; off++)
		*rt_cpu(a, b, off) = want[off];
	KUNIT_ASSERT_EQ(test, dma_sg_map_phys(&map, dev, r, 2, DMA_TO_DEVICE,
					      0, GFP_KERNEL), 0);
	KUNIT_EXPECT_NE(test, table_phys(dev, &map, 0), virt_to_phys(a) + 64);
	for (off = 0; off < RT_LEN; off++)
		if (*rt_dev(dev, &map, off) != want[off])
			break;
	KUNIT_EXPECT_EQ(test, off, (u64)RT_LEN);
	dma_sg_unmap(&map);

	/* From the device: a partial sync copies exactly its bytes. */
	memset(a, 0xa5, PAGE_SIZE);
	memset(b, 0xa5, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, dma_sg_map_phys(&map, dev, r, 2, DMA_FROM_DEVICE,
					      0, GFP_KERNEL), 0);
	fill(want, RT_LEN, 2);
	for (off = 0; off < RT_LEN; off++)
		*rt_dev(dev, &map, off) = want[off];
	KUNIT_ASSERT_EQ(test, dma_sg_map_sync_for_cpu(&map, s_off, s_len), 0);
	for (off = 0; off < RT_LEN; off++) {
		u8 expect = off >= s_off && off < s_off + s_len ?
			    want[off] : 0xa5;

		if (*rt_cpu(a, b, off) != expect)
			break;
	}
	KUNIT_EXPECT_EQ(test, off, (u64)RT_LEN);
	/* The bytes around the ranges are never written. */
	KUNIT_EXPECT_EQ(test, a[63], 0xa5);
	KUNIT_EXPECT_EQ(test, b[127], 0xa5);
	dma_sg_unmap(&map);
	/* Unmap copies the whole mapping back. */
	for (off = 0; off < RT_LEN; off++)
		if (*rt_cpu(a, b, off) != want[off])
			break;
	KUNIT_EXPECT_EQ(test, off, (u64)RT_LEN);
	KUNIT_EXPECT_EQ(test, a[64 + RT_LEN / 2], 0xa5);
	KUNIT_EXPECT_EQ(test, b[128 + RT_LEN / 2], 0xa5);

	/* Partial sync for the device copies exactly its bytes too. */
	fill(want, RT_LEN, 3);
	for (off = 0; off < RT_LEN; off++)
		*rt_cpu(a, b, off) = want[off];
	KUNIT_ASSERT_EQ(test, dma_sg_map_phys(&map, dev, r, 2,
					      DMA_BIDIRECTIONAL, 0,
					      GFP_KERNEL), 0);
	for (off = 0; off < RT_LEN; off++)
		*rt_dev(dev, &map, off) = 0x5a;
	KUNIT_ASSERT_EQ(test, dma_sg_map_sync_for_device(&map, s_off, s_len),
			0);
	for (off = 0; off < RT_LEN; off++) {
		u8 expect = off >= s_off && off < s_off + s_len ?
			    want[off] : 0x5a;

		if (*rt_dev(dev, &map, off) != expect)
			break;
	}
	KUNIT_EXPECT_EQ(test, off, (u64)RT_LEN);
	dma_sg_map_sync_all_for_device(&map);
	dma_sg_unmap(&map);
	KUNIT_EXPECT_EQ(test, tlb_used(dev), used);
}

/* swiotlb=force: pages and bio_vecs bounce too, and unwind on failure. */
static void swiotlb_inputs_test(struct kunit *test)
{
	struct device *dev = map_dev(test, DMA_BIT_MASK(64));
	struct page *p = alloc_page(GFP_KERNEL | __GFP_ZERO);
	u8 *a = buf(test, PAGE_SIZE);
	struct dma_sg_phys r[2];
	struct bio_vec bv;
	struct dma_sg_map map = {};
	long used = tlb_used(dev);

	if (!forced(dev)) {
		__free_page(p);
		kunit_skip(test, "needs swiotlb=force on the kernel command line");
	}
	KUNIT_ASSERT_NOT_NULL(test, p);
	fill(page_address(p), PAGE_SIZE, 4);

	KUNIT_ASSERT_EQ(test, dma_sg_map_pages(&map, dev, &p, 1, 16, 1000,
					       DMA_TO_DEVICE, 0, GFP_KERNEL),
			0);
	KUNIT_EXPECT_EQ(test, memcmp(rt_dev(dev, &map, 0),
				     (u8 *)page_address(p) + 16, 1000), 0);
	KUNIT_EXPECT_NE(test, table_phys(dev, &map, 0), page_to_phys(p) + 16);
	dma_sg_unmap(&map);

	bvec_set_page(&bv, p, 2000, 100);
	KUNIT_ASSERT_EQ(test, dma_sg_map_bvecs(&map, dev, &bv, 1,
					       DMA_TO_DEVICE, 0, GFP_KERNEL),
			0);
	KUNIT_EXPECT_EQ(test, memcmp(rt_dev(dev, &map, 0),
				     (u8 *)page_address(p) + 100, 2000), 0);
	dma_sg_unmap(&map);

	/*
	 * 128 MiB of RAM (only read) overflows the 64 MiB swiotlb pool part
	 * way through: every slot taken until then is released.
	 */
	KUNIT_ASSERT_EQ(test, dma_sg_phys_set(&r[0], virt_to_phys(a), 512,
					      DMA_SG_MAP_MEM, 0), 0);
	KUNIT_ASSERT_EQ(test, dma_sg_phys_set(&r[1], SZ_16M, SZ_128M,
					      DMA_SG_MAP_MEM, 0), 0);
	KUNIT_EXPECT_EQ(test, dma_sg_map_phys(&map, dev, r, 2, DMA_TO_DEVICE,
					      DMA_ATTR_NO_WARN, GFP_KERNEL),
			-EIO);
	check_empty(test, &map);
	KUNIT_EXPECT_EQ(test, tlb_used(dev), used);
	__free_page(p);
}

/*
 * Two mappings of one MMIO range, as two importers of one BAR make them:
 * dma-debug tracks no cache lines of MMIO, so it reports nothing.
 */
static void map_mmio_twice_test(struct kunit *test)
{
	struct device *dev = map_dev(test, DMA_BIT_MASK(64));
	long errs = debug_errors(), live = debug_live();
	struct dma_sg_map m1 = {}, m2 = {};
	struct dma_sg_phys r;

	if (errs < 0 || live < 0)
		kunit_skip(test, "dma-debug counters not found in debugfs");
	KUNIT_ASSERT_EQ(test, dma_sg_phys_set(&r, FAR_PHYS, SZ_64K,
					      DMA_SG_MAP_MMIO, 0), 0);
	KUNIT_ASSERT_EQ(test, dma_sg_map_phys(&m1, dev, &r, 1,
					      DMA_FROM_DEVICE, 0, GFP_KERNEL),
			0);
	KUNIT_ASSERT_EQ(test, dma_sg_map_phys(&m2, dev, &r, 1,
					      DMA_FROM_DEVICE, 0, GFP_KERNEL),
			0);
	KUNIT_EXPECT_EQ(test, debug_live(), live + 2);
	/* MMIO is never synced: a sync is a no-op that succeeds. */
	KUNIT_EXPECT_EQ(test, dma_sg_map_sync_all_for_cpu(&m1), 0);
	dma_sg_unmap(&m2);
	dma_sg_unmap(&m1);
	KUNIT_EXPECT_EQ(test, debug_live(), live);
	KUNIT_EXPECT_EQ(test, debug_errors(), errs);
}

/*
 * swiotlb=force with no segment limit: a 1 MiB physically contiguous
 * range is bounced in pieces swiotlb can take, and round-trips.
 */
static void swiotlb_large_test(struct kunit *test)
{
	struct device *dev = map_dev(test, DMA_BIT_MASK(64));
	struct page *pg = alloc_pages(GFP_KERNEL | __GFP_ZERO,
				      get_order(SZ_1M));
	struct dma_sg_map map = {};
	struct dma_sg_iter it;
	struct dma_sg_phys r;
	struct dma_sg *sg;
	long used = tlb_used(dev);
	u64 off = 0, i;
	u8 *cpu;

	if (!forced(dev)) {
		if (pg)
			__free_pages(pg, get_order(SZ_1M));
		kunit_skip(test, "needs swiotlb=force on the kernel command line");
	}
	KUNIT_ASSERT_NOT_NULL(test, pg);
	cpu = page_address(pg);
	set_parms(test, dev, UINT_MAX, ULONG_MAX);
	KUNIT_EXPECT_LT(test, swiotlb_max_mapping_size(dev), (size_t)SZ_1M);

	fill(cpu, SZ_1M, 5);
	KUNIT_ASSERT_EQ(test, dma_sg_phys_set(&r, page_to_phys(pg), SZ_1M,
					      DMA_SG_MAP_MEM, 0), 0);
	KUNIT_ASSERT_EQ(test, dma_sg_map_phys(&map, dev, &r, 1,
					      DMA_BIDIRECTIONAL, 0,
					      GFP_KERNEL), 0);
	check_table(test, &map, SZ_1M);
	dma_sg_for_each(&map.table, sg, it) {
		u8 *bounce = phys_to_virt(dma_to_phys(dev, sg->addr));

		KUNIT_EXPECT_PTR_NE(test, bounce, cpu + off);
		KUNIT_EXPECT_EQ(test, memcmp(bounce, cpu + off, sg->len), 0);
		/* The device writes its answer into the bounce buffer. */
		for (i = 0; i < sg->len; i++)
			bounce[i] = (off + i) * 13 + 1;
		off += sg->len;
	}
	dma_sg_unmap(&map);
	for (off = 0; off < SZ_1M; off++)
		if (cpu[off] != (u8)(off * 13 + 1))
			break;
	KUNIT_EXPECT_EQ(test, off, (u64)SZ_1M);
	KUNIT_EXPECT_EQ(test, tlb_used(dev), used);
	__free_pages(pg, get_order(SZ_1M));
}

/* Map @bv as bio_vecs, or as the same memory in dma_sg_phys ranges. */
static int map_bvecs_as(struct dma_sg_map *map, struct device *dev,
			const struct bio_vec *bv, unsigned int nr, bool as_phys)
{
	struct dma_sg_phys r[12];
	unsigned int i;
	int ret;

	if (!as_phys)
		return dma_sg_map_bvecs(map, dev, bv, nr, DMA_BIDIRECTIONAL, 0,
					GFP_KERNEL);
	if (nr > ARRAY_SIZE(r))
		return -E2BIG;
	for (i = 0; i < nr; i++) {
		ret = dma_sg_phys_set(&r[i], bvec_phys(&bv[i]), bv[i].bv_len,
				      DMA_SG_MAP_MEM, 0);
		if (ret)
			return ret;
	}
	return dma_sg_map_phys(map, dev, r, nr, DMA_BIDIRECTIONAL, 0,
			       GFP_KERNEL);
}

/*
 * Coherent dma-direct keeps no records until swiotlb really bounces: a
 * page the device reaches maps in place with no record, and once a page
 * beyond its mask bounces, records cover every entry, for pages, bio_vecs
 * and ranges.  The data
 * round-trips and the unmap frees every slot.  Needs swiotlb with RAM
 * above 4 GiB and dma-debug off ("-m 5G" and dma_debug=off).
 */
static void map_lazy_bounce_test(struct kunit *test)
{
	struct device *dev = map_dev(test, DMA_BIT_MASK(32));
	struct page *low = alloc_page(GFP_DMA32 | __GFP_ZERO);
	struct page *high = alloc_page(GFP_KERNEL | __GFP_ZERO);
	struct dma_sg_map map = {};
	struct page *pages[2], *big;
	struct bio_vec bv[12];
	size_t big_len;
	long used = tlb_used(dev);
	unsigned int i, as_phys;
	u8 *bounce;

	if (!low || !high || page_to_phys(high) < SZ_4G || debug_live() >= 0 ||
	    !is_swiotlb_active(dev) || forced(dev)) {
		if (low)
			__free_page(low);
		if (high)
			__free_page(high);
		kunit_skip(test, "needs RAM above 4 GiB, swiotlb unforced, dma-debug off");
	}
	big_len = 2 * dma_max_mapping_size(dev);
	big = alloc_pages(GFP_KERNEL | __GFP_NOWARN | __GFP_ZERO,
			  get_order(big_len));
	if (!big || page_to_phys(big) < SZ_4G) {
		if (big)
			__free_pages(big, get_order(big_len));
		__free_page(low);
		__free_page(high);
		kunit_skip(test, "no %zu contiguous bytes above 4 GiB", big_len);
	}
	pages[0] = low;
	pages[1] = high;
	fill(page_address(high), PAGE_SIZE, 7);

	/* Nothing bounced: nothing recorded. */
	KUNIT_ASSERT_EQ(test, dma_sg_map_pages(&map, dev, pages, 1, 0, PAGE_SIZE,
					       DMA_BIDIRECTIONAL, 0, GFP_KERNEL),
			0);
	KUNIT_EXPECT_NULL(test, map.recs);
	dma_sg_unmap(&map);

	KUNIT_ASSERT_EQ(test, dma_sg_map_pages(&map, dev, pages, 2, 0,
					       2 * PAGE_SIZE, DMA_BIDIRECTIONAL,
					       0, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, map.nr_recs, 2ULL);
	KUNIT_EXPECT_EQ(test, table_phys(dev, &map, 0), page_to_phys(low));
	KUNIT_EXPECT_NE(test, table_phys(dev, &map, PAGE_SIZE),
			page_to_phys(high));
	bounce = phys_to_virt(table_phys(dev, &map, PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, memcmp(bounce, page_address(high), PAGE_SIZE), 0);
	/* The device answers; a sync of that page brings it back. */
	fill(bounce, PAGE_SIZE, 8);
	KUNIT_EXPECT_EQ(test, dma_sg_map_sync_for_cpu(&map, PAGE_SIZE,
						      PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, memcmp(bounce, page_address(high), PAGE_SIZE), 0);
	dma_sg_unmap(&map);
	KUNIT_EXPECT_EQ(test, tlb_used(dev), used);

	/*
	 * bio_vecs, and the same memory as ranges: the page in reach maps in
	 * place, the bounce starts the records, and the quarters of a page
	 * after it, none contiguous with the one before, are recorded too:
	 * more of them than the records' first allocation holds.
	 */
	bvec_set_page(&bv[0], low, PAGE_SIZE, 0);
	bvec_set_page(&bv[1], high, PAGE_SIZE, 0);
	for (i = 2; i < ARRAY_SIZE(bv); i++)
		bvec_set_page(&bv[i], low, PAGE_SIZE / 4,
			      (i & 1 ? 1 : 3) * PAGE_SIZE / 4);
	for (as_phys = 0; as_phys < 2; as_phys++) {
		KUNIT_ASSERT_EQ(test, map_bvecs_as(&map, dev, bv,
						   ARRAY_SIZE(bv), as_phys), 0);
		KUNIT_EXPECT_EQ(test, map.nr_recs, (u64)ARRAY_SIZE(bv));
		KUNIT_EXPECT_LE(test, map.nr_recs, map.max_recs);
		KUNIT_EXPECT_EQ(test, dma_sg_table_len(&map.table),
				2 * PAGE_SIZE +
				(ARRAY_SIZE(bv) - 2) * PAGE_SIZE / 4);
		KUNIT_EXPECT_EQ(test, table_phys(dev, &map, 0),
				page_to_phys(low));
		KUNIT_EXPECT_EQ(test, table_phys(dev, &map, 2 * PAGE_SIZE),
				page_to_phys(low) + 3 * PAGE_SIZE / 4);
		KUNIT_EXPECT_EQ(test, table_phys(dev, &map, 9 * PAGE_SIZE / 4),
				page_to_phys(low) + PAGE_SIZE / 4);
		bounce = phys_to_virt(table_phys(dev, &map, PAGE_SIZE));
		KUNIT_EXPECT_NE(test, virt_to_phys(bounce), page_to_phys(high));
		KUNIT_EXPECT_EQ(test, memcmp(bounce, page_address(high),
					     PAGE_SIZE), 0);
		dma_sg_unmap(&map);
		KUNIT_EXPECT_EQ(test, tlb_used(dev), used);
	}

	/*
	 * Memory beyond the mask, twice as long as swiotlb's largest
	 * mapping: it bounces in two pieces, one record each.  Mapped in
	 * one piece, it could not bounce at all.
	 */
	fill(page_address(big), big_len, 5);
	bvec_set_page(&bv[0], big, big_len, 0);
	for (as_phys = 0; as_phys < 2; as_phys++) {
		KUNIT_ASSERT_EQ(test, map_bvecs_as(&map, dev, bv, 1, as_phys),
				0);
		KUNIT_EXPECT_EQ(test, map.nr_recs, 2ULL);
		KUNIT_EXPECT_EQ(test, dma_sg_table_len(&map.table),
				(u64)big_len);
		for (i = 0; i < 2; i++) {
			bounce = phys_to_virt(table_phys(dev, &map,
							 i * big_len / 2));
			KUNIT_EXPECT_EQ(test, memcmp(bounce, page_address(big) +
						     i * big_len / 2,
						     big_len / 2), 0);
		}
		dma_sg_unmap(&map);
		KUNIT_EXPECT_EQ(test, tlb_used(dev), used);
	}
	__free_pages(big, get_order(big_len));
	__free_page(low);
	__free_page(high);
}

KUNIT_DEFINE_ACTION_WRAPPER(map_pci_dev_put, pci_dev_put, struct pci_dev *);

/*
 * A PCI device whose DMA an IOMMU translates (intel_iommu=on), or NULL.
 * The test keeps the reference that for_each_pci_dev() took.
 */
static struct device *map_translated_dev(struct kunit *test)
{
	struct pci_dev *pdev = NULL;
	struct iommu_domain *d;

	for_each_pci_dev(pdev) {
		d = iommu_get_domain_for_dev(&pdev->dev);
		if (d && (d->type & __IOMMU_DOMAIN_DMA_API)) {
			KUNIT_ASSERT_EQ(test,
					kunit_add_action_or_reset(test,
								  map_pci_dev_put,
								  pdev), 0);
			return &pdev->dev;
		}
	}
	return NULL;
}

static void map_free_order2(void *p)
{
	__free_pages(p, 2);
}

/*
 * The rule of a non-coherent platform with small kmalloc() caches, such
 * as arm64: a buffer the device writes bounces if it may share cache
 * lines with other data.  Here, any buffer under a page.
 */
static bool map_bounce_small(struct device *dev, size_t size,
			     enum dma_data_direction dir)
{
	int *calls = kunit_get_current_test()->priv;

	(*calls)++;
	return dir != DMA_TO_DEVICE && size < PAGE_SIZE;
}

/*
 * A range that must bounce is mapped on its own, as iommu_dma_map_page()
 * would bounce it, never linked into the input's one IOVA range.  A page
 * and the first 64 bytes of another make one IOVA range, unless the 64
 * bytes bounce: then each range has a mapping of its own.  x86 is
 * coherent, so a static stub stands in for the non-coherent rule.
 */
static void map_iova_bounce_test(struct kunit *test)
{
	static const struct {
		bool stub;
		enum dma_data_direction dir;
		u8 backend;
	} cases[] = {	/* the stub stays once in place: it comes last */
		{ false, DMA_FROM_DEVICE, DMA_SG_BACKEND_IOVA },
		{ true, DMA_TO_DEVICE, DMA_SG_BACKEND_IOVA },	/* never bounces */
		{ true, DMA_FROM_DEVICE, DMA_SG_BACKEND_IOMMU },
	};
	static const char * const hows[] = { "ranges", "bvecs" };
	struct device *dev = map_translated_dev(test);
	struct dma_sg_map map = {};
	struct dma_sg_phys r[2];
	struct bio_vec bv[2];
	int *calls, c, how, i, ret;
	struct page *p;

	if (!dev)
		kunit_skip(test, "needs a PCI device behind an IOMMU (intel_iommu=on)");
	calls = kunit_kzalloc(test, sizeof(*calls), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, calls);
	test->priv = calls;
	/* Pages p and p + 2: apart, so that no walk joins the two ranges. */
	p = alloc_pages(GFP_KERNEL | __GFP_ZERO, 2);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, map_free_order2,
							p), 0);
	for (i = 0; i < 2; i++) {
		u32 len = i ? 64 : PAGE_SIZE;

		bvec_set_page(&bv[i], p + 2 * i, len, 0);
		KUNIT_ASSERT_EQ(test, dma_sg_phys_set(&r[i],
						      page_to_phys(p + 2 * i),
						      len, DMA_SG_MAP_MEM, 0),
				0);
	}
	for (c = 0; c < ARRAY_SIZE(cases); c++) {
		if (cases[c].stub)
			kunit_activate_static_stub(test,
						   dma_sg_kmalloc_needs_bounce,
						   map_bounce_small);
		for (how = 0; how < 2; how++) {
			*calls = 0;
			if (how)
				ret = dma_sg_map_bvecs(&map, dev, bv, 2,
						       cases[c].dir, 0,
						       GFP_KERNEL);
			else
				ret = dma_sg_map_phys(&map, dev, r, 2,
						      cases[c].dir, 0,
						      GFP_KERNEL);
			KUNIT_ASSERT_EQ(test, ret, 0);
			KUNIT_EXPECT_EQ_MSG(test, map.backend, cases[c].backend,
					    "%s, case %d", hows[how], c);
			KUNIT_EXPECT_EQ(test, dma_sg_table_len(&map.table),
					PAGE_SIZE + 64);
			/* Asked once per range, the lone page included. */
			if (cases[c].stub)
				KUNIT_EXPECT_EQ(test, *calls, 2);
			dma_sg_unmap(&map);
		}
	}
}

/*
 * Uninitialised pages p + 2, p and p + 3, mapped DMA_FROM_DEVICE as pages,
 * bio_vecs (@how 1) or ranges (@how 2): once mapped, KMSAN must take them
 * as written, as it does after dma_map_page_attrs().  A mapping path
 * without kmsan_handle_dma() leaves them poisoned: kmsan_check_memory()
 * then reports them and taints the kernel.
 */
static void map_kmsan_one(struct kunit *test, struct device *dev,
			  struct page *p, int how)
{
	static const char * const hows[] = { "pages", "bvecs", "ranges" };
	struct page *pages[3] = { p + 2, p, p + 3 };
	struct dma_sg_map map = {};
	struct dma_sg_phys r[3];
	struct bio_vec bv[3];
	int i, ret;

	kmsan_poison_memory(page_address(p), 4 * PAGE_SIZE, GFP_KERNEL);
	for (i = 0; i < 3; i++) {
		bvec_set_page(&bv[i], pages[i], PAGE_SIZE, 0);
		KUNIT_ASSERT_EQ(test, dma_sg_phys_set(&r[i],
						      page_to_phys(pages[i]),
						      PAGE_SIZE, DMA_SG_MAP_MEM,
						      0), 0);
	}
	if (how == 0)
		ret = dma_sg_map_pages(&map, dev, pages, 3, 0, 3 * PAGE_SIZE,
				       DMA_FROM_DEVICE, 0, GFP_KERNEL);
	else if (how == 1)
		ret = dma_sg_map_bvecs(&map, dev, bv, 3, DMA_FROM_DEVICE, 0,
				       GFP_KERNEL);
	else
		ret = dma_sg_map_phys(&map, dev, r, 3, DMA_FROM_DEVICE, 0,
				      GFP_KERNEL);
	KUNIT_ASSERT_EQ_MSG(test, ret, 0, "%s for %s", hows[how], dev_name(dev));
	for (i = 0; i < 3; i++)
		kmsan_check_memory(page_address(pages[i]), PAGE_SIZE);
	KUNIT_EXPECT_FALSE_MSG(test, test_taint(TAINT_BAD_PAGE),
			       "%s for %s: KMSAN still sees uninitialised pages",
			       hows[how], dev_name(dev));
	dma_sg_unmap(&map);
}

/* Leave no poison behind for whoever gets the pages next. */
static void map_kmsan_free(void *p)
{
	kmsan_unpoison_memory(page_address(p), 4 * PAGE_SIZE);
	__free_pages(p, 2);
}

/* KMSAN and the mapping paths: dma-direct, and an IOVA range if any. */
static void map_kmsan_test(struct kunit *test)
{
	struct device *devs[2] = { map_dev(test, DMA_BIT_MASK(64)),
				   map_translated_dev(test) };
	struct page *p;
	int d, how;

	if (!IS_ENABLED(CONFIG_KMSAN))
		kunit_skip(test, "needs CONFIG_KMSAN");
	/* The taint is how a report is seen: it must not be there yet. */
	if (test_taint(TAINT_BAD_PAGE))
		kunit_skip(test, "the kernel is tainted by an earlier report");
	if (!devs[1])
		kunit_info(test, "no PCI device behind an IOMMU: dma-direct only\n");
	p = alloc_pages(GFP_KERNEL, 2);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, map_kmsan_free,
							p), 0);
	/* The taint stays: only the first failure names its path. */
	for (d = 0; d < 2 && devs[d]; d++)
		for (how = 0; how < 3; how++)
			map_kmsan_one(test, devs[d], p, how);
}

static struct kunit_case dma_sg_map_cases[] = {
	KUNIT_CASE(map_phys_test),
	KUNIT_CASE(map_pages_test),
	KUNIT_CASE(map_bvecs_test),
	KUNIT_CASE(map_4g_test),
	KUNIT_CASE(map_overflow_test),
	KUNIT_CASE(map_parms_test),
	KUNIT_CASE(map_mask_test),
	KUNIT_CASE(map_bad_input_test),
	KUNIT_CASE(map_live_test),
	KUNIT_CASE(map_mmio_twice_test),
	KUNIT_CASE(map_p2p_unknown_bar_test),
	KUNIT_CASE(map_p2p_mix_test),
	KUNIT_CASE(map_fault_test),
	KUNIT_CASE(map_debug_mismatch_test),
	KUNIT_CASE(map_unmap_twice_test),
	KUNIT_CASE(map_trace_test),
	KUNIT_CASE(swiotlb_roundtrip_test),
	KUNIT_CASE(swiotlb_inputs_test),
	KUNIT_CASE(swiotlb_large_test),
	KUNIT_CASE(map_lazy_bounce_test),
	KUNIT_CASE(map_iova_bounce_test),
	KUNIT_CASE(map_kmsan_test),
	{}
};

static struct kunit_suite dma_sg_map_suite = {
	.name = "dma_sg_map",
	.test_cases = dma_sg_map_cases,
};

kunit_test_suite(dma_sg_map_suite);

MODULE_DESCRIPTION("KUnit tests for dma_sg mapping");
MODULE_LICENSE("GPL");
