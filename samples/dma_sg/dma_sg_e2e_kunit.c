// SPDX-License-Identifier: GPL-2.0
/*
 * End-to-end tests of dma_sg mappings with emulated PCI DMA engines.
 *
 * QEMU's edu device is the initiator.  It copies system memory through
 * dma_sg mappings, and writes to and reads from the Controller Memory
 * Buffer of a QEMU NVMe controller that is registered page-lessly.
 * Completion status proves nothing here: QEMU drops DMA that its IOMMU
 * cannot translate without any error, so every byte is compared from the
 * CPU side, against a destination filled with the complement of the
 * pattern beforehand.
 *
 * A third suite exports the CMB window as a dma-buf, page-lessly, and has
 * edu import it; the range is then unregistered in the middle of a run.
 *
 * Each case prints one "dma_sg_e2e:" line with its figures, for the
 * script that boots the topologies to collect.  The dma_sg_e2e.expect=
 * parameter names what the booted topology must give; without it the
 * cases only report.
 */
#include <kunit/fail_nth.h>
#include <kunit/test.h>
#include <kunit/test-bug.h>
#include <linux/bvec.h>
#include <linux/device/driver.h>
#include <linux/delay.h>
#include <linux/dma-buf.h>
#include <linux/dma-direct.h>
#include <linux/dma-mapping.h>
#include <linux/dma_sg.h>
#include <linux/dma-resv.h>
#include <linux/dma_sg_map.h>
#include <linux/file.h>
#include <linux/io.h>
#include <linux/iommu.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/pci-p2p-bar.h>
#include <linux/pci-p2pdma.h>
#include <linux/string.h>
#include <linux/swiotlb.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>

#include "edu.h"

MODULE_IMPORT_NS(DMA_BUF);

#define E2E_PAGES	16
#define E2E_LEN		(E2E_PAGES * PAGE_SIZE)
/* QEMU's NVMe controller; its CMB is a 64-bit prefetchable BAR. */
#define E2E_NVME_VENDOR	0x1b36
#define E2E_NVME_DEVICE	0x0010
/* Window of the CMB the test owns: away from the start, page aligned. */
#define E2E_CMB_OFFSET	SZ_1M

static char *expect = "";
module_param(expect, charp, 0444);
MODULE_PARM_DESC(expect,
		 "outcome the booted topology must give: direct, iommu (map); bus, host, iommu, refused, lost (p2p)");

static u8 e2e_pattern(size_t i, u32 seed)
{
	u32 x = (u32)i * 2654435761u ^ seed;

	return x >> 24 ^ x >> 11 ^ x;
}

static void e2e_fill(u8 *p, size_t off, size_t len, u32 seed, bool inverse)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = inverse ? ~e2e_pattern(off + i, seed) :
				 e2e_pattern(off + i, seed);
}

static size_t e2e_mismatches(const u8 *p, size_t off, size_t len, u32 seed)
{
	size_t i, bad = 0;

	for (i = 0; i < len; i++)
		bad += p[i] != e2e_pattern(off + i, seed);
	return bad;
}

/* True when DMA from @dev is translated by an IOMMU. */
static bool e2e_translated(struct device *dev)
{
	struct iommu_domain *dom = iommu_get_domain_for_dev(dev);

	return dom && dom->type != IOMMU_DOMAIN_IDENTITY;
}

/*
 * Copy @len bytes from the range mapped by @from to the one mapped by @to,
 * through the edu buffer, at most one edu command's worth at a time.  The
 * time spent in commands that read @from and write @to is added to
 * @ns_from and @ns_to.
 */
static int e2e_copy(struct pci_dev *edu, const struct dma_sg_table *from,
		    const struct dma_sg_table *to, u64 len, u64 *ns_from,
		    u64 *ns_to)
{
	struct dma_sg_cursor cf, ct;
	u64 off, n;
	ktime_t t0;
	int ret;

	dma_sg_cursor_seek(&cf, from, 0);
	dma_sg_cursor_seek(&ct, to, 0);
	for (off = 0; off < len; off += n) {
		if (!cf.sg || !ct.sg)
			return -ERANGE;
		n = min3(dma_sg_cursor_left(&cf), dma_sg_cursor_left(&ct),
			 (u64)EDU_DMA_MAX);
		n = min(n, len - off);
		t0 = ktime_get();
		ret = edu_dma(edu, dma_sg_cursor_addr(&cf), 0, n, EDU_FROM_BUS);
		*ns_from += ktime_to_ns(ktime_sub(ktime_get(), t0));
		if (ret)
			return ret;
		t0 = ktime_get();
		ret = edu_dma(edu, dma_sg_cursor_addr(&ct), 0, n, EDU_TO_BUS);
		*ns_to += ktime_to_ns(ktime_sub(ktime_get(), t0));
		if (ret)
			return ret;
		dma_sg_cursor_advance(&cf, n);
		dma_sg_cursor_advance(&ct, n);
	}
	return 0;
}

/* A buffer of separately allocated pages, so that it is not contiguous. */
struct e2e_buf {
	struct page *pages[E2E_PAGES];
	u8 *vaddr;
	struct dma_sg_map map;
	bool mapped;
};

static void e2e_buf_free(struct e2e_buf *b)
{
	int i;

	if (b->vaddr)
		vunmap(b->vaddr);
	for (i = 0; i < E2E_PAGES; i++)
		if (b->pages[i])
			__free_page(b->pages[i]);
}

static int e2e_buf_alloc(struct e2e_buf *b)
{
	struct page *spare[E2E_PAGES] = { };
	int i, ret = 0;

	memset(b, 0, sizeof(*b));
	/* Interleave with pages given back, to break physical contiguity. */
	for (i = 0; i < E2E_PAGES; i++) {
		b->pages[i] = alloc_page(GFP_KERNEL);
		spare[i] = alloc_page(GFP_KERNEL);
		if (!b->pages[i] || !spare[i])
			ret = -ENOMEM;
	}
	for (i = 0; i < E2E_PAGES; i++)
		if (spare[i])
			__free_page(spare[i]);
	if (!ret) {
		b->vaddr = vmap(b->pages, E2E_PAGES, VM_MAP, PAGE_KERNEL);
		if (!b->vaddr)
			ret = -ENOMEM;
	}
	if (ret)
		e2e_buf_free(b);
	return ret;
}

/* Physically contiguous runs in @b: the entries dma-direct can merge to. */
static int e2e_buf_runs(const struct e2e_buf *b)
{
	int i, runs = 1;

	for (i = 1; i < E2E_PAGES; i++)
		runs += page_to_phys(b->pages[i]) !=
			page_to_phys(b->pages[i - 1]) + PAGE_SIZE;
	return runs;
}

static int e2e_buf_map(struct device *dev, struct e2e_buf *b,
		       enum dma_data_direction dir)
{
	int ret;

	ret = dma_sg_map_pages(&b->map, dev, b->pages, E2E_PAGES, 0, E2E_LEN,
			       dir, 0, GFP_KERNEL);
	b->mapped = !ret;
	return ret;
}

/* Also hands the buffer back to the CPU. */
static void e2e_buf_unmap(struct e2e_buf *b)
{
	if (b->mapped)
		dma_sg_unmap(&b->map);
	b->mapped = false;
}

struct e2e_map_ctx {
	struct e2e_buf src, dst;
	struct device *dev;
};

static void e2e_map_cleanup(void *data)
{
	struct e2e_map_ctx *c = data;

	e2e_buf_unmap(&c->src);
	e2e_buf_unmap(&c->dst);
	e2e_buf_free(&c->src);
	e2e_buf_free(&c->dst);
}

/*
 * @c's two buffers: the pattern of @seed in src, its complement in dst.
 * They are unmapped and freed when the case ends.
 */
static void e2e_map_ctx_bufs(struct kunit *test, struct e2e_map_ctx *c,
			     u32 seed)
{
	int ret;

	KUNIT_ASSERT_EQ(test, e2e_buf_alloc(&c->src), 0);
	ret = e2e_buf_alloc(&c->dst);
	if (ret)
		e2e_buf_free(&c->src);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, e2e_map_cleanup, c), 0);
	e2e_fill(c->src.vaddr, 0, E2E_LEN, seed, false);
	e2e_fill(c->dst.vaddr, 0, E2E_LEN, seed, true);
}

/*
 * The edu device copies a multi-page buffer to another one, both
 * mapped with dma_sg, through the IOMMU or dma-direct.
 */
static void dma_sg_e2e_map_copy(struct kunit *test)
{
	struct pci_dev *edu = edu_get();
	u64 ns_from = 0, ns_to = 0, dst_nents;
	struct e2e_map_ctx *c;
	bool translated, collapsed;
	size_t bad;
	int ret;

	if (!edu)
		kunit_skip(test, "no QEMU edu device (1234:11e8)");
	c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	c->dev = &edu->dev;
	translated = e2e_translated(c->dev);
	if (!strcmp(expect, "iommu"))
		KUNIT_ASSERT_TRUE_MSG(test, translated, "no IOMMU translates the edu device");
	if (!strcmp(expect, "direct"))
		KUNIT_ASSERT_FALSE_MSG(test, translated, "an IOMMU translates the edu device");

	e2e_map_ctx_bufs(test, c, 0x3a3a);

	KUNIT_ASSERT_EQ(test, e2e_buf_map(c->dev, &c->src, DMA_TO_DEVICE), 0);
	KUNIT_ASSERT_EQ(test, e2e_buf_map(c->dev, &c->dst, DMA_FROM_DEVICE), 0);
	KUNIT_EXPECT_EQ(test, dma_sg_table_len(&c->src.map.table), E2E_LEN);
	if (translated) {
		/* Separate pages, one IOVA range the device sees as one. */
		KUNIT_EXPECT_TRUE(test, dma_sg_map_is_collapsed(&c->src.map));
		KUNIT_EXPECT_TRUE(test, dma_sg_map_is_collapsed(&c->dst.map));
		KUNIT_EXPECT_EQ(test, dma_sg_table_nents(&c->src.map.table), 1);
		KUNIT_EXPECT_EQ(test, dma_sg_table_nents(&c->dst.map.table), 1);
	} else {
		/* dma-direct: bus address is physical address, runs merge. */
		KUNIT_EXPECT_EQ(test, c->src.map.table.first->ents[0].addr,
				phys_to_dma(c->dev, page_to_phys(c->src.pages[0])));
		KUNIT_EXPECT_EQ(test, dma_sg_table_nents(&c->src.map.table),
				e2e_buf_runs(&c->src));
	}

	ret = e2e_copy(edu, &c->src.map.table, &c->dst.map.table, E2E_LEN, &ns_from, &ns_to);
	KUNIT_EXPECT_EQ(test, ret, 0);
	dst_nents = dma_sg_table_nents(&c->dst.map.table);
	collapsed = dma_sg_map_is_collapsed(&c->src.map) &&
		    dma_sg_map_is_collapsed(&c->dst.map);
	e2e_buf_unmap(&c->dst);
	bad = e2e_mismatches(c->dst.vaddr, 0, E2E_LEN, 0x3a3a);

	kunit_info(test,
		   "dma_sg_e2e: case=map map=%s collapsed=%d nents=%llu/%llu runs=%d/%d bytes=%lu mismatches=%zu ns=%llu\n",
		   translated ? "IOMMU" : "DIRECT", collapsed,
		   dma_sg_table_nents(&c->src.map.table), dst_nents,
		   e2e_buf_runs(&c->src),
		   e2e_buf_runs(&c->dst), E2E_LEN, bad, ns_from + ns_to);
	KUNIT_EXPECT_EQ(test, bad, 0);
}

/*
 * Layout of a large map through the IOMMU, as a page array, as bio_vecs
 * and as physical ranges that alternate memory and MMIO: single pages,
 * which are linked in batches, with a two-page run in the middle and
 * partial pages at both ends, which are not.  Over 4 MiB, so that the
 * range covers at least one whole 2 MiB leaf page table, which the unmap
 * frees and the next map must allocate again.
 */
#define E2E_LAYOUT_PAGES	1100
#define E2E_LAYOUT_RUN		300	/* pages[300] and [301] are contiguous */
#define E2E_LAYOUT_HEAD		100	/* bytes skipped in the first page */
#define E2E_LAYOUT_TAIL		200	/* bytes left out of the last page */

enum e2e_layout_input { E2E_IN_PAGES, E2E_IN_BVECS, E2E_IN_MIXED };

struct e2e_layout {
	struct page *pages[E2E_LAYOUT_PAGES];
	struct bio_vec bv[E2E_LAYOUT_PAGES];
	struct dma_sg_phys ranges[E2E_LAYOUT_PAGES];
	phys_addr_t expect[E2E_LAYOUT_PAGES];	/* where IOVA page i goes */
	struct page *run;
	struct dma_sg_map map;
	phys_addr_t mmio;	/* edu's BAR 0, the MMIO of the mixed input */
	u64 max_recs;		/* most per-range records a map kept */
};

static void e2e_layout_free(void *data)
{
	struct e2e_layout *l = data;
	int i;

	dma_sg_unmap(&l->map);
	for (i = 0; i < E2E_LAYOUT_PAGES; i++)
		if (l->pages[i] && (i < E2E_LAYOUT_RUN ||
				    i > E2E_LAYOUT_RUN + 1))
			__free_page(l->pages[i]);
	if (l->run)
		__free_pages(l->run, 1);
	kvfree(l);
}

/*
 * Map @l as @in says and fill in @l->expect.  The mixed input takes five
 * pages of memory, then three of edu's BAR as MMIO, and so on, each a
 * range of its own; it has no partial pages.
 */
static int e2e_layout_map(struct e2e_layout *l, struct device *dev,
			  enum e2e_layout_input in)
{
	u64 len = E2E_LAYOUT_PAGES * PAGE_SIZE - E2E_LAYOUT_HEAD -
		  E2E_LAYOUT_TAIL;
	int i, ret;

	for (i = 0; i < E2E_LAYOUT_PAGES; i++) {
		l->expect[i] = page_to_phys(l->pages[i]);
		if (in == E2E_IN_MIXED && i % 8 >= 5)
			l->expect[i] = l->mmio + (i % 64) * PAGE_SIZE;
	}
	switch (in) {
	case E2E_IN_PAGES:
		return dma_sg_map_pages(&l->map, dev, l->pages,
					E2E_LAYOUT_PAGES, E2E_LAYOUT_HEAD, len,
					DMA_BIDIRECTIONAL, 0, GFP_KERNEL);
	case E2E_IN_BVECS:
		for (i = 0; i < E2E_LAYOUT_PAGES; i++)
			bvec_set_page(&l->bv[i], l->pages[i], PAGE_SIZE, 0);
		l->bv[0].bv_offset = E2E_LAYOUT_HEAD;
		l->bv[0].bv_len -= E2E_LAYOUT_HEAD;
		l->bv[E2E_LAYOUT_PAGES - 1].bv_len -= E2E_LAYOUT_TAIL;
		return dma_sg_map_bvecs(&l->map, dev, l->bv, E2E_LAYOUT_PAGES,
					DMA_BIDIRECTIONAL, 0, GFP_KERNEL);
	case E2E_IN_MIXED:
		for (i = 0; i < E2E_LAYOUT_PAGES; i++) {
			ret = dma_sg_phys_set(&l->ranges[i], l->expect[i],
					      PAGE_SIZE, i % 8 >= 5 ?
					      DMA_SG_MAP_MMIO :
					      DMA_SG_MAP_MEM, 0);
			if (ret)
				return ret;
		}
		return dma_sg_map_phys(&l->map, dev, l->ranges,
				       E2E_LAYOUT_PAGES, DMA_BIDIRECTIONAL, 0,
				       GFP_KERNEL);
	}
	return -EINVAL;
}

/*
 * Pages from @iova on that do not translate to @l->expect (all of them
 * when @unmapped, which then counts pages still mapped at all).
 */
static int e2e_layout_wrong(struct iommu_domain *dom, struct e2e_layout *l,
			    dma_addr_t iova, bool unmapped)
{
	phys_addr_t seen;
	int i, wrong = 0;

	for (i = 0; i < E2E_LAYOUT_PAGES; i++) {
		seen = iommu_iova_to_phys(dom, iova + i * PAGE_SIZE);
		if (unmapped ? seen != 0 : seen != l->expect[i])
			wrong++;
	}
	return wrong;
}

/*
 * Map @l, check that it is one IOVA range in which every page sits where
 * the table says, and unmap: pages misplaced plus pages left mapped.
 * @iova is set to the range's first page; @collapsed is cleared unless
 * the map was one IOVA range.
 */
static int e2e_layout_check(struct kunit *test, struct e2e_layout *l,
			    struct pci_dev *edu, enum e2e_layout_input in,
			    dma_addr_t *iova, u64 *nents, bool *collapsed)
{
	struct iommu_domain *dom = iommu_get_domain_for_dev(&edu->dev);
	struct dma_sg_iter it;
	struct dma_sg *sg;
	dma_addr_t next;
	int wrong;

	KUNIT_ASSERT_EQ(test, e2e_layout_map(l, &edu->dev, in), 0);
	l->max_recs = max(l->max_recs, l->map.nr_recs);
	/* One IOVA range, which the segment limit may cut into entries. */
	*collapsed &= dma_sg_map_is_collapsed(&l->map);
	KUNIT_EXPECT_TRUE(test, *collapsed);
	*nents = dma_sg_table_nents(&l->map.table);
	*iova = l->map.table.first->ents[0].addr;
	next = *iova;
	dma_sg_for_each(&l->map.table, sg, it) {
		KUNIT_EXPECT_EQ(test, sg->addr, next);
		next = sg->addr + sg->len;
	}
	KUNIT_EXPECT_EQ(test, next - *iova, dma_sg_table_len(&l->map.table));
	KUNIT_EXPECT_EQ(test, offset_in_page(*iova),
			in == E2E_IN_MIXED ? 0 : E2E_LAYOUT_HEAD);
	*iova &= PAGE_MASK;
	wrong = e2e_layout_wrong(dom, l, *iova, false);
	dma_sg_unmap(&l->map);
	return wrong + e2e_layout_wrong(dom, l, *iova, true);
}

/*
 * Fail each allocation of a page-array map in turn, page tables included:
 * the map is refused and nothing it linked stays mapped.  With a strict
 * IOMMU (iommu.strict=1) the IOVA allocator hands the range just freed out
 * again, so a failed map used the IOVA of the map before it.  A map after
 * each failure checks that: only once may it move, when a failed 32-bit
 * IOVA allocation makes dma-iommu allocate above 4 GiB from then on.
 * Returns the pages left mapped, plus any move after the first.
 */
static int e2e_layout_faults(struct kunit *test, struct e2e_layout *l,
			     struct pci_dev *edu, struct kunit_fail_nth *fail,
			     dma_addr_t iova, unsigned int *failures)
{
	struct iommu_domain *dom = iommu_get_domain_for_dev(&edu->dev);
	bool strict = dom->type == IOMMU_DOMAIN_DMA;
	unsigned int n, left, moved = 0;
	dma_addr_t now;
	int ret, bad = 0;

	/* Lazy unmaps keep freed ranges queued: every map would move. */
	if (!strict)
		kunit_info(test, "IOMMU not strict: failed maps checked where the last map was\n");
	for (n = 1; n < 64; n++) {
		kunit_fail_nth_arm(fail, n);
		ret = e2e_layout_map(l, &edu->dev, E2E_IN_PAGES);
		left = kunit_fail_nth_disarm(fail);
		if (!ret) {
			/* A fault may have moved it above 4 GiB, yet no map failed. */
			now = l->map.table.first->ents[0].addr & PAGE_MASK;
			dma_sg_unmap(&l->map);
			moved += now != iova;
			iova = now;
			if (left)
				break;
			continue;
		}
		KUNIT_EXPECT_EQ(test, ret, -ENOMEM);
		KUNIT_EXPECT_FALSE(test, dma_sg_map_is_mapped(&l->map));
		bad += e2e_layout_wrong(dom, l, iova, true);
		(*failures)++;
		KUNIT_ASSERT_EQ(test, e2e_layout_map(l, &edu->dev,
						     E2E_IN_PAGES), 0);
		now = l->map.table.first->ents[0].addr & PAGE_MASK;
		dma_sg_unmap(&l->map);
		moved += now != iova;
		iova = now;
	}
	/*
	 * Without records the loop ends at the first map that used up no
	 * fault point.  dma-debug's records add a fault point per range,
	 * which may fail quietly: those maps are not walked to the end.
	 */
	if (!l->max_recs)
		KUNIT_EXPECT_LT(test, n, 64U);
	else if (n == 64)
		kunit_info(test, "stopped after 63 fault points (dma-debug records)\n");
	KUNIT_EXPECT_GT(test, *failures, 0U);
	if (!strict)
		return bad;
	KUNIT_EXPECT_LE(test, moved, 1U);
	return bad + (moved > 1 ? moved - 1 : 0);
}

static void dma_sg_e2e_layout(struct kunit *test)
{
	struct pci_dev *edu = edu_get();
	struct kunit_fail_nth fail;
	unsigned int failures = 0;
	int i, ret, wrong = 0, leftover;
	bool collapsed = true;
	struct page **spare;
	struct e2e_layout *l;
	dma_addr_t iova;
	u64 nents;

	if (!edu)
		kunit_skip(test, "no QEMU edu device (1234:11e8)");
	if (!e2e_translated(&edu->dev))
		kunit_skip(test, "no IOMMU translates the edu device");
	if (kunit_fail_nth_init(&fail, KUNIT_FAIL_NTH_PAGES))
		kunit_skip(test, "needs CONFIG_FAILSLAB and CONFIG_FAIL_PAGE_ALLOC");
	l = kvzalloc(sizeof(*l), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, l);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, e2e_layout_free,
							l), 0);
	l->mmio = pci_resource_start(edu, 0);
	KUNIT_ASSERT_GE(test, pci_resource_len(edu, 0), 64 * PAGE_SIZE);
	spare = kunit_kcalloc(test, E2E_LAYOUT_PAGES, sizeof(*spare),
			      GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, spare);
	/* Every other page given back, so that no two are neighbours. */
	l->run = alloc_pages(GFP_KERNEL, 1);
	ret = l->run ? 0 : -ENOMEM;
	for (i = 0; i < E2E_LAYOUT_PAGES; i++) {
		if (i == E2E_LAYOUT_RUN || i == E2E_LAYOUT_RUN + 1) {
			l->pages[i] = l->run ? l->run + i - E2E_LAYOUT_RUN :
					       NULL;
			continue;
		}
		l->pages[i] = alloc_page(GFP_KERNEL);
		spare[i] = alloc_page(GFP_KERNEL);
		if (!l->pages[i])
			ret = -ENOMEM;
	}
	for (i = 0; i < E2E_LAYOUT_PAGES; i++)
		if (spare[i])
			__free_page(spare[i]);
	KUNIT_ASSERT_EQ(test, ret, 0);

	/* As bio_vecs, the run's two pages merge into one range too. */
	wrong += e2e_layout_check(test, l, edu, E2E_IN_BVECS, &iova, &nents,
				  &collapsed);
	wrong += e2e_layout_check(test, l, edu, E2E_IN_MIXED, &iova, &nents,
				  &collapsed);
	wrong += e2e_layout_check(test, l, edu, E2E_IN_PAGES, &iova, &nents,
				  &collapsed);
	leftover = e2e_layout_faults(test, l, edu, &fail, iova, &failures);

	kunit_info(test,
		   "dma_sg_e2e: case=layout map=IOMMU collapsed=%d nents=%llu recs=%llu bytes=%lu mismatches=%d failed_maps=%u\n",
		   collapsed, nents, l->max_recs,
		   3 * E2E_LAYOUT_PAGES * PAGE_SIZE, wrong + leftover,
		   failures);
	KUNIT_EXPECT_EQ(test, wrong, 0);
	KUNIT_EXPECT_EQ(test, leftover, 0);
}

/*
 * Pieces of separate pages, as (offset, length).  Their inner boundaries
 * are page aligned, so a trusted device gets them in one IOVA range,
 * which maps the first and last pages whole.
 */
static const struct {
	u32 off, len;
} e2e_pieces[] = {
	{ 64, PAGE_SIZE - 64 }, { 0, PAGE_SIZE }, { 0, 300 },
};

#define E2E_NR_PIECES	ARRAY_SIZE(e2e_pieces)

/*
 * Pages of @b for the pieces, none right after the one before it: two
 * pieces must not merge into one range, which would then bounce whole.
 */
static void e2e_pieces_pick(const struct e2e_buf *b, u32 *idx)
{
	u32 i, k;

	/* Only one page can follow another: each piece skips one at most. */
	BUILD_BUG_ON(2 * E2E_NR_PIECES > E2E_PAGES);
	idx[0] = 0;
	for (i = 1; i < E2E_NR_PIECES; i++) {
		for (k = idx[i - 1] + 1; k < E2E_PAGES; k++)
			if (page_to_phys(b->pages[k]) !=
			    page_to_phys(b->pages[idx[i - 1]]) + PAGE_SIZE)
				break;
		idx[i] = k;
	}
}

/* @data is the edu pci_dev, which was trusted before the test. */
static void e2e_untrusted_restore(void *data)
{
	struct pci_dev *pdev = data;

	pdev->untrusted = 0;
}

/* Bytes of @p that no longer hold what e2e_fill(..., true) wrote. */
static size_t e2e_changed(const u8 *p, size_t off, size_t len, u32 seed)
{
	size_t i, changed = 0;

	for (i = 0; i < len; i++)
		changed += p[i] != (u8)~e2e_pattern(off + i, seed);
	return changed;
}

static int e2e_pieces_map(struct device *dev, struct e2e_buf *b,
			  const u32 *idx, enum dma_data_direction dir)
{
	struct bio_vec bv[E2E_NR_PIECES];
	int i, ret;

	for (i = 0; i < E2E_NR_PIECES; i++)
		bvec_set_page(&bv[i], b->pages[idx[i]], e2e_pieces[i].len,
			      e2e_pieces[i].off);
	ret = dma_sg_map_bvecs(&b->map, dev, bv, ARRAY_SIZE(bv), dir, 0,
			       GFP_KERNEL);
	b->mapped = !ret;
	return ret;
}

/*
 * Pieces of @b that the device reaches through a bounce buffer: mapped
 * somewhere else, holding the piece's bytes (swiotlb copies them in at
 * map time, whatever the direction).
 */
static int e2e_pieces_bounced(struct kunit *test, struct device *dev,
			      const struct e2e_buf *b, const u32 *idx)
{
	struct iommu_domain *dom = iommu_get_domain_for_dev(dev);
	struct dma_sg_cursor cur;
	int i, bounced = 0;
	phys_addr_t seen;

	dma_sg_cursor_seek(&cur, &b->map.table, 0);
	for (i = 0; i < E2E_NR_PIECES; i++) {
		size_t at = idx[i] * PAGE_SIZE + e2e_pieces[i].off;
		phys_addr_t orig = page_to_phys(b->pages[idx[i]]) +
				   e2e_pieces[i].off;

		if (!cur.sg || dma_sg_cursor_left(&cur) < e2e_pieces[i].len) {
			KUNIT_FAIL(test, "piece %d is not in one table entry", i);
			return -1;
		}
		seen = iommu_iova_to_phys(dom, dma_sg_cursor_addr(&cur));
		KUNIT_EXPECT_NE_MSG(test, seen, (phys_addr_t)0, "piece %d is not mapped", i);
		if (seen && seen != orig) {
			KUNIT_EXPECT_EQ_MSG(test, memcmp(phys_to_virt(seen),
							 b->vaddr + at,
							 e2e_pieces[i].len), 0,
					    "piece %d's bounce buffer", i);
			bounced++;
		}
		dma_sg_cursor_advance(&cur, e2e_pieces[i].len);
	}
	return bounced;
}

/*
 * An untrusted device (behind an external port) must not reach the rest
 * of a page it was given a piece of.  As iommu_dma_map_page() does, the
 * sub-page pieces are bounced through swiotlb and the whole page is
 * mapped where it is, instead of the one IOVA range the same pieces get
 * while the device is trusted.  Bytes outside the pieces of the
 * destination pages must stay as they were.  Setting the flag at run time
 * gives edu the bouncing of an untrusted device, not the strict IOTLB
 * flushing its domain would also get at probe.
 */
static void dma_sg_e2e_untrusted(struct kunit *test)
{
	struct pci_dev *edu = edu_get();
	u64 ns_from = 0, ns_to = 0, len = 0, src_nents, dst_nents;
	u32 sidx[E2E_NR_PIECES], didx[E2E_NR_PIECES];
	size_t bad = 0, outside = 0;
	int i, bounced_src, bounced_dst;
	struct e2e_map_ctx *c;
	bool collapsed;
	int ret;

	if (!edu)
		kunit_skip(test, "no QEMU edu device (1234:11e8)");
	if (!e2e_translated(&edu->dev))
		kunit_skip(test, "no IOMMU: nothing isolates an untrusted edu");
	if (!is_swiotlb_active(&edu->dev))
		kunit_skip(test, "no swiotlb (boot with iommu=soft)");
	c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	c->dev = &edu->dev;
	KUNIT_ASSERT_FALSE(test, edu->untrusted);
	/* Actions run last first: the flag is cleared after the unmaps. */
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, e2e_untrusted_restore,
							edu), 0);
	e2e_map_ctx_bufs(test, c, 0x5d5d);

	/* Trusted, the pieces share one IOVA range. */
	e2e_pieces_pick(&c->src, sidx);
	e2e_pieces_pick(&c->dst, didx);
	KUNIT_ASSERT_EQ(test, e2e_pieces_map(c->dev, &c->src, sidx, DMA_TO_DEVICE),
			0);
	KUNIT_EXPECT_TRUE(test, dma_sg_map_is_collapsed(&c->src.map));
	e2e_buf_unmap(&c->src);
	edu->untrusted = 1;

	KUNIT_ASSERT_EQ(test, e2e_pieces_map(c->dev, &c->src, sidx, DMA_TO_DEVICE),
			0);
	KUNIT_ASSERT_EQ(test, e2e_pieces_map(c->dev, &c->dst, didx,
					     DMA_FROM_DEVICE), 0);
	collapsed = dma_sg_map_is_collapsed(&c->src.map) ||
		    dma_sg_map_is_collapsed(&c->dst.map);
	KUNIT_EXPECT_FALSE(test, collapsed);
	bounced_src = e2e_pieces_bounced(test, c->dev, &c->src, sidx);
	bounced_dst = e2e_pieces_bounced(test, c->dev, &c->dst, didx);
	KUNIT_EXPECT_EQ(test, bounced_src, 2);
	KUNIT_EXPECT_EQ(test, bounced_dst, 2);

	/*
	 * The CPU still owns the rest of the destination pages: new bytes
	 * there must survive the unmap, which a bounce copied back a page at
	 * a time would overwrite with what the bounce buffer took at map time.
	 */
	for (i = 0; i < E2E_NR_PIECES; i++) {
		size_t at = didx[i] * PAGE_SIZE, end = e2e_pieces[i].off +
						       e2e_pieces[i].len;

		e2e_fill(c->dst.vaddr + at, at, e2e_pieces[i].off, 0x6e6e, true);
		e2e_fill(c->dst.vaddr + at + end, at + end, PAGE_SIZE - end,
			 0x6e6e, true);
		len += e2e_pieces[i].len;
	}
	ret = e2e_copy(edu, &c->src.map.table, &c->dst.map.table, len,
		       &ns_from, &ns_to);
	KUNIT_EXPECT_EQ(test, ret, 0);
	src_nents = dma_sg_table_nents(&c->src.map.table);
	dst_nents = dma_sg_table_nents(&c->dst.map.table);
	e2e_buf_unmap(&c->src);
	e2e_buf_unmap(&c->dst);	/* copies the bounced pieces back */

	/* Piece i of dst holds piece i of src; nothing else changed. */
	for (i = 0; i < E2E_NR_PIECES; i++) {
		size_t at = didx[i] * PAGE_SIZE, from = sidx[i] * PAGE_SIZE;
		size_t off = e2e_pieces[i].off, n = e2e_pieces[i].len;

		bad += e2e_mismatches(c->dst.vaddr + at + off, from + off, n,
				      0x5d5d);
		outside += e2e_changed(c->dst.vaddr + at, at, off, 0x6e6e) +
			   e2e_changed(c->dst.vaddr + at + off + n, at + off + n,
				       PAGE_SIZE - off - n, 0x6e6e);
	}
	kunit_info(test,
		   "dma_sg_e2e: case=untrusted map=%s collapsed=%d nents=%llu/%llu bounced=%d/%d bytes=%llu mismatches=%zu outside=%zu ns=%llu\n",
		   e2e_translated(c->dev) ? "IOMMU" : "DIRECT", collapsed,
		   src_nents, dst_nents, bounced_src,
		   bounced_dst, len, bad, outside, ns_from + ns_to);
	KUNIT_EXPECT_EQ(test, bad, 0);
	KUNIT_EXPECT_EQ(test, outside, 0);
}

/* The CMB: the largest memory BAR other than the register BAR 0. */
static int e2e_cmb_bar(struct pci_dev *pdev)
{
	int bar, best = -1;

	for (bar = 1; bar < PCI_STD_NUM_BARS; bar++) {
		if (!(pci_resource_flags(pdev, bar) & IORESOURCE_MEM))
			continue;
		if (best < 0 ||
		    pci_resource_len(pdev, bar) > pci_resource_len(pdev, best))
			best = bar;
	}
	if (best < 0 || pci_resource_len(pdev, best) < E2E_CMB_OFFSET + E2E_LEN)
		return -ENODEV;
	return best;
}

struct e2e_p2p_ctx {
	struct e2e_buf src, dst;
	struct device *dev;
	struct pci_dev *nvme;
	void __iomem *cmb;
	void *p2pmem;		/* from pci_alloc_p2pmem(); @cmb points at it */
	u8 *check;
	struct dma_sg_map cmb_map;
	const struct dma_sg_table *cmb_table;	/* what edu reaches the CMB by */
	struct dma_buf *dmabuf;
	struct dma_buf_attachment *attach;
	bool cmb_mapped;
	bool swapped;		/* @cmb_table has the CMB's pages in pairs swapped */
	struct pci_p2p_bar *bar;	/* the CMB's registration, if ours */
	enum dma_sg_map_hint type;	/* how edu reaches the CMB */
	phys_addr_t paddr;
	u32 id;
};

/*
 * The bus address edu must get for @c->paddr by bus address: worked out
 * from the BAR's resources, apart from the registry.
 */
static dma_addr_t e2e_bus_addr(const struct e2e_p2p_ctx *c)
{
	int bar;

	for (bar = 0; bar < PCI_STD_NUM_BARS; bar++) {
		resource_size_t start = pci_resource_start(c->nvme, bar);

		if (pci_resource_len(c->nvme, bar) &&
		    c->paddr >= start && c->paddr <= pci_resource_end(c->nvme, bar))
			return (dma_addr_t)(c->paddr - start +
					    pci_bus_address(c->nvme, bar));
	}
	return DMA_MAPPING_ERROR;
}

/* Map the CMB window for the edu device, as @hint says. */
static int e2e_cmb_map(struct e2e_p2p_ctx *c, enum dma_sg_map_hint hint)
{
	struct dma_sg_phys r;
	int ret;

	ret = dma_sg_phys_set(&r, c->paddr, E2E_LEN, hint, c->id);
	if (!ret)
		ret = dma_sg_map_phys(&c->cmb_map, c->dev, &r, 1,
				      DMA_BIDIRECTIONAL, 0, GFP_KERNEL);
	c->cmb_mapped = !ret;
	c->cmb_table = &c->cmb_map.table;
	return ret;
}

static void e2e_cmb_unmap(struct e2e_p2p_ctx *c)
{
	if (c->cmb_mapped)
		dma_sg_unmap(&c->cmb_map);
	c->cmb_mapped = false;
}

static void e2e_dmabuf_drop(struct e2e_p2p_ctx *c);

static void e2e_p2p_cleanup(void *data)
{
	struct e2e_p2p_ctx *c = data;

	e2e_dmabuf_drop(c);
	e2e_cmb_unmap(c);
	if (c->bar)
		KUNIT_EXPECT_EQ(kunit_get_current_test(),
				pci_p2p_bar_unregister(c->bar), 0);
	if (c->p2pmem)
		pci_free_p2pmem(c->nvme, c->p2pmem, E2E_LEN);
	else if (c->cmb)
		iounmap(c->cmb);
	e2e_buf_unmap(&c->src);
	e2e_buf_unmap(&c->dst);
	e2e_buf_free(&c->src);
	e2e_buf_free(&c->dst);
	kfree(c->check);
	pci_dev_put(c->nvme);
}

/*
 * A context for a P2P case: the edu device as DMA initiator, the QEMU
 * NVMe controller as provider, cleaned up when the test ends.  Skips the
 * test without them.
 */
static struct e2e_p2p_ctx *e2e_p2p_ctx_new(struct kunit *test,
					   struct pci_dev *edu)
{
	struct e2e_p2p_ctx *c;
	int ret;

	if (!edu)
		kunit_skip(test, "no QEMU edu device (1234:11e8)");
	/* The NVMe driver probes asynchronously and enables the CMB. */
	wait_for_device_probe();
	c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	c->nvme = pci_get_device(E2E_NVME_VENDOR, E2E_NVME_DEVICE, NULL);
	if (!c->nvme)
		kunit_skip(test, "no QEMU NVMe controller (1b36:0010)");
	c->dev = &edu->dev;
	ret = kunit_add_action_or_reset(test, e2e_p2p_cleanup, c);
	KUNIT_ASSERT_EQ(test, ret, 0);
	return c;
}

static const char *e2e_map_name(const struct e2e_p2p_ctx *c)
{
	if (c->type == DMA_SG_MAP_BUS_ADDR)
		return "BUS_ADDR";
	return e2e_translated(c->dev) ? "HOST_BRIDGE+IOMMU" : "HOST_BRIDGE";
}

/*
 * Page @i of what @c->cmb_table maps is page e2e_cmb_page(c, i) of the CMB
 * window: with pairs swapped, no page follows the one before it.
 */
static size_t e2e_cmb_page(const struct e2e_p2p_ctx *c, size_t i)
{
	BUILD_BUG_ON(E2E_PAGES % 2);
	return c->swapped ? i ^ 1 : i;
}

/* The CMB window in the order of @c->cmb_table, into @buf. */
static void e2e_cmb_read(struct e2e_p2p_ctx *c, u8 *buf)
{
	size_t i;

	for (i = 0; i < E2E_PAGES; i++)
		memcpy_fromio(buf + i * PAGE_SIZE,
			      c->cmb + e2e_cmb_page(c, i) * PAGE_SIZE,
			      PAGE_SIZE);
}

/* @buf into the CMB window, in the order of @c->cmb_table. */
static void e2e_cmb_write(struct e2e_p2p_ctx *c, const u8 *buf)
{
	size_t i;

	for (i = 0; i < E2E_PAGES; i++)
		memcpy_toio(c->cmb + e2e_cmb_page(c, i) * PAGE_SIZE,
			    buf + i * PAGE_SIZE, PAGE_SIZE);
}

/*
 * Bytes of the CMB window, in table order, that no longer hold the
 * complement of @seed.
 */
static size_t e2e_cmb_changed(struct e2e_p2p_ctx *c, u32 seed)
{
	size_t i, changed = 0;

	e2e_cmb_read(c, c->check);
	for (i = 0; i < E2E_LEN; i++)
		changed += c->check[i] != (u8)~e2e_pattern(i, seed);
	return changed;
}

/*
 * Both legs through the mapped CMB side @c->cmb_map: system memory -> edu
 * -> CMB, checked through @c->cmb, then CMB -> edu -> system memory.
 */
static void e2e_p2p_legs(struct kunit *test, struct pci_dev *edu,
			 struct e2e_p2p_ctx *c, const char *name, int bar)
{
	u64 ns_from = 0, ns_to = 0, ns_p2p;
	size_t bad_w, bad_r;
	int ret;

	/* Write leg: system memory -> edu -> CMB, checked through ioremap. */
	e2e_fill(c->src.vaddr, 0, E2E_LEN, 0x5e5e, false);
	KUNIT_ASSERT_EQ(test, e2e_buf_map(c->dev, &c->src, DMA_TO_DEVICE), 0);
	ret = e2e_copy(edu, &c->src.map.table, c->cmb_table, E2E_LEN, &ns_from,
		       &ns_to);
	KUNIT_EXPECT_EQ(test, ret, 0);
	ns_p2p = ns_to;
	e2e_cmb_read(c, c->check);
	bad_w = e2e_mismatches(c->check, 0, E2E_LEN, 0x5e5e);

	/* Read leg: the CPU fills the CMB, edu -> system memory. */
	e2e_fill(c->check, 0, E2E_LEN, 0x7171, false);
	e2e_cmb_write(c, c->check);
	e2e_fill(c->dst.vaddr, 0, E2E_LEN, 0x7171, true);
	KUNIT_ASSERT_EQ(test, e2e_buf_map(c->dev, &c->dst, DMA_FROM_DEVICE), 0);
	ns_from = 0;
	ret = e2e_copy(edu, c->cmb_table, &c->dst.map.table, E2E_LEN, &ns_from,
		       &ns_to);
	KUNIT_EXPECT_EQ(test, ret, 0);
	ns_p2p += ns_from;
	e2e_buf_unmap(&c->dst);
	bad_r = e2e_mismatches(c->dst.vaddr, 0, E2E_LEN, 0x7171);

	kunit_info(test,
		   "dma_sg_e2e: case=%s map=%s bar=%d id=%u bus=%pad nents=%llu bytes=%lu mismatches=%zu ns=%llu\n",
		   name, e2e_map_name(c), bar, c->id, &c->cmb_table->first->ents[0].addr,
		   dma_sg_table_nents(c->cmb_table), 2 * E2E_LEN,
		   bad_w + bad_r, ns_p2p);
	if (!strcmp(expect, "lost")) {
		/*
		 * QEMU sends even switch-local DMA through its IOMMU, which
		 * drops it while the device reports success.  Only the data
		 * shows it, so the data check must catch it.
		 */
		KUNIT_EXPECT_STREQ(test, e2e_map_name(c), "BUS_ADDR");
		KUNIT_EXPECT_EQ(test, bad_w, E2E_LEN);
		KUNIT_EXPECT_GT(test, bad_r, 0);
		return;
	}
	KUNIT_EXPECT_EQ(test, bad_w, 0);
	KUNIT_EXPECT_EQ(test, bad_r, 0);
	if (!strcmp(expect, "bus"))
		KUNIT_EXPECT_STREQ(test, e2e_map_name(c), "BUS_ADDR");
	else if (!strcmp(expect, "host"))
		KUNIT_EXPECT_STREQ(test, e2e_map_name(c), "HOST_BRIDGE");
	else if (!strcmp(expect, "iommu"))
		KUNIT_EXPECT_STREQ(test, e2e_map_name(c), "HOST_BRIDGE+IOMMU");
	else if (*expect)
		KUNIT_FAIL(test, "expected %s, got %s", expect, e2e_map_name(c));
}

/*
 * Register the whole CMB BAR, map its test window for the CPU, allocate
 * the system-memory buffers, and fill the window with the complement of
 * what the edu will write.  Returns the BAR.
 */
static int e2e_cmb_setup(struct kunit *test, struct e2e_p2p_ctx *c)
{
	int bar, ret;

	bar = e2e_cmb_bar(c->nvme);
	KUNIT_ASSERT_GE_MSG(test, bar, 0, "the NVMe controller has no CMB (cmb_size_mb=64)");
	c->paddr = pci_resource_start(c->nvme, bar) + E2E_CMB_OFFSET;
	c->check = kmalloc(E2E_LEN, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c->check);
	c->cmb = ioremap(c->paddr, E2E_LEN);
	KUNIT_ASSERT_TRUE_MSG(test, !!c->cmb, "cannot ioremap the CMB");
	KUNIT_ASSERT_EQ(test, e2e_buf_alloc(&c->src), 0);
	KUNIT_ASSERT_EQ(test, e2e_buf_alloc(&c->dst), 0);

	ret = pci_p2p_bar_register(c->nvme, bar, 0, 0, &c->bar);
	KUNIT_ASSERT_EQ_MSG(test, ret, 0, "registering BAR %d of %s", bar,
			    pci_name(c->nvme));
	c->id = pci_p2p_bar_id(c->bar);

	/* The window starts as the complement of what the edu will write. */
	e2e_fill(c->check, 0, E2E_LEN, 0x5e5e, true);
	memcpy_toio(c->cmb, c->check, E2E_LEN);
	KUNIT_ASSERT_EQ_MSG(test, e2e_cmb_changed(c, 0x5e5e), 0,
			    "the CMB does not hold what the CPU wrote");
	return bar;
}

/*
 * The edu device writes into an NVMe CMB registered page-lessly
 * and reads it back, through whatever map type the topology gives; or,
 * where the two cannot reach each other, nothing moves at all.
 */
static void dma_sg_e2e_p2p_cmb(struct kunit *test)
{
	struct pci_dev *edu = edu_get();
	struct e2e_p2p_ctx *c;
	size_t bad_w;
	int bar, ret;

	c = e2e_p2p_ctx_new(test, edu);
	bar = e2e_cmb_setup(test, c);

	ret = pci_p2p_bar_map_type(c->bar, c->dev);
	if (ret == -EREMOTEIO) {
		/* Neither hint may get an address for the device. */
		KUNIT_EXPECT_EQ(test, e2e_cmb_map(c, DMA_SG_MAP_BUS_ADDR),
				-EREMOTEIO);
		KUNIT_EXPECT_EQ(test, c->cmb_map.table.nents, 0);
		KUNIT_EXPECT_EQ(test, e2e_cmb_map(c, DMA_SG_MAP_HOST_BRIDGE),
				-EREMOTEIO);
		KUNIT_EXPECT_EQ(test, c->cmb_map.table.nents, 0);
		bad_w = e2e_cmb_changed(c, 0x5e5e);
		kunit_info(test,
			   "dma_sg_e2e: case=p2p map=REFUSED err=%d bar=%d id=%u bytes=0 mismatches=%zu ns=0\n",
			   ret, bar, c->id, bad_w);
		KUNIT_EXPECT_STREQ(test, expect, "refused");
		KUNIT_EXPECT_EQ(test, bad_w, 0);
		return;
	}
	KUNIT_ASSERT_GE(test, ret, 0);
	c->type = ret;
	/* The other hint is refused: the registry decides, not the caller. */
	KUNIT_EXPECT_EQ(test, e2e_cmb_map(c, c->type == DMA_SG_MAP_BUS_ADDR ?
					  DMA_SG_MAP_HOST_BRIDGE : DMA_SG_MAP_BUS_ADDR),
			-EREMOTEIO);
	KUNIT_ASSERT_EQ(test, e2e_cmb_map(c, c->type), 0);
	if (c->type == DMA_SG_MAP_BUS_ADDR)
		KUNIT_EXPECT_EQ(test, c->cmb_map.table.first->ents[0].addr,
				e2e_bus_addr(c));

	e2e_p2p_legs(test, edu, c, "p2p", bar);
}

/*
 * The same two legs through P2PDMA pages: pci_alloc_p2pmem() memory of the
 * NVMe CMB, which the NVMe driver published, handed to dma_sg_map_pages()
 * as a page array.  They must map as the topology requires (bus address,
 * or MMIO through the host bridge), never as RAM.  The pages go in pairs
 * swapped, so that each is a run of its own, as the pages of a buffer
 * pinned page by page are: after the first run, the page loop maps them
 * from the pgmap it already looked up.
 */
static void dma_sg_e2e_p2pmem(struct kunit *test)
{
	struct pci_dev *edu = edu_get();
	struct e2e_p2p_ctx *c;
	struct page **pages;
	int i, ret;

	c = e2e_p2p_ctx_new(test, edu);
	KUNIT_ASSERT_TRUE_MSG(test, pci_has_p2pmem(c->nvme),
			      "the NVMe driver published no p2pmem (CMB)");
	c->p2pmem = pci_alloc_p2pmem(c->nvme, E2E_LEN);
	KUNIT_ASSERT_NOT_NULL(test, c->p2pmem);
	c->cmb = (void __iomem *)c->p2pmem;
	pages = kunit_kcalloc(test, E2E_PAGES, sizeof(*pages), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pages);
	c->swapped = true;
	for (i = 0; i < E2E_PAGES; i++)
		pages[i] = virt_to_page(c->p2pmem +
					e2e_cmb_page(c, i) * PAGE_SIZE);
	KUNIT_ASSERT_TRUE(test, is_pci_p2pdma_page(pages[0]));
	c->paddr = page_to_phys(pages[0]);
	KUNIT_ASSERT_EQ(test, pci_p2p_bar_id_from_page(pages[0], &c->id), 0);
	c->check = kmalloc(E2E_LEN, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c->check);
	KUNIT_ASSERT_EQ(test, e2e_buf_alloc(&c->src), 0);
	KUNIT_ASSERT_EQ(test, e2e_buf_alloc(&c->dst), 0);
	e2e_fill(c->check, 0, E2E_LEN, 0x5e5e, true);
	e2e_cmb_write(c, c->check);

	ret = dma_sg_map_pages(&c->cmb_map, c->dev, pages, E2E_PAGES, 0,
			       E2E_LEN, DMA_BIDIRECTIONAL, 0, GFP_KERNEL);
	if (ret == -EREMOTEIO) {
		KUNIT_EXPECT_FALSE(test, dma_sg_map_is_mapped(&c->cmb_map));
		kunit_info(test,
			   "dma_sg_e2e: case=p2pmem map=REFUSED err=%d id=%u bytes=0 mismatches=%zu ns=0\n",
			   ret, c->id, e2e_cmb_changed(c, 0x5e5e));
		KUNIT_EXPECT_STREQ(test, expect, "refused");
		return;
	}
	KUNIT_ASSERT_EQ(test, ret, 0);
	c->cmb_mapped = true;
	c->cmb_table = &c->cmb_map.table;
	/* One BAR reference, held by the mapping itself, with its map type. */
	KUNIT_ASSERT_EQ(test, c->cmb_map.p2p.nr, 1U);
	KUNIT_EXPECT_EQ(test, c->cmb_map.p2p.refs[0].id, c->id);
	c->type = c->cmb_map.p2p.refs[0].map.type;
	if (c->type == DMA_SG_MAP_BUS_ADDR)
		KUNIT_EXPECT_EQ(test, c->cmb_map.table.first->ents[0].addr,
				e2e_bus_addr(c));
	e2e_p2p_legs(test, edu, c, "p2pmem", -1);
}

/* The importer side of the dma-buf case: edu, told to let go by move_notify. */
struct e2e_importer {
	struct e2e_p2p_ctx *c;
	bool revoked;
};

/* Called with the reservation lock held, when the exporter revokes. */
static void e2e_importer_move_notify(struct dma_buf_attachment *attach)
{
	struct e2e_importer *imp = attach->importer_priv;
	struct e2e_p2p_ctx *c = imp->c;

	imp->revoked = true;
	if (c->cmb_table)
		dma_buf_unmap_attachment_dma_sg(attach, c->cmb_table,
						DMA_BIDIRECTIONAL);
	c->cmb_table = NULL;
}

static const struct dma_buf_attach_ops e2e_importer_ops = {
	.allow_peer2peer = true,
	.move_notify = e2e_importer_move_notify,
};

/* Unmap, detach and drop the export, so that the range can go. */
static void e2e_dmabuf_drop(struct e2e_p2p_ctx *c)
{
	if (c->attach) {
		dma_resv_lock(c->dmabuf->resv, NULL);
		if (c->cmb_table)
			dma_buf_unmap_attachment_dma_sg(c->attach, c->cmb_table,
							DMA_BIDIRECTIONAL);
		c->cmb_table = NULL;
		dma_resv_unlock(c->dmabuf->resv);
		dma_buf_detach(c->dmabuf, c->attach);
		c->attach = NULL;
	}
	if (c->dmabuf) {
		dma_buf_put(c->dmabuf);
		/* The release detaches the export from the range now. */
		flush_delayed_fput();
		c->dmabuf = NULL;
	}
}

struct e2e_unregister {
	struct work_struct work;
	struct pci_p2p_bar *bar;
};

static void e2e_unregister_work(struct work_struct *work)
{
	pci_p2p_bar_unregister_sync(container_of(work, struct e2e_unregister,
						 work)->bar);
}

#define E2E_CHUNKS	(E2E_LEN / EDU_DMA_MAX)
/* Chunks written before the range is unregistered from another thread. */
#define E2E_REVOKE_AT	(E2E_CHUNKS / 4)

/*
 * edu writes the window chunk by chunk, each under the reservation lock,
 * while another thread unregisters the range.  The revoke tells edu to
 * let go between two chunks; unregister then returns, later maps fail,
 * and the window shows that no chunk after the revoke reached the BAR.
 */
static void e2e_dmabuf_revoke(struct kunit *test, struct pci_dev *edu,
			      struct e2e_p2p_ctx *c, struct e2e_importer *imp)
{
	struct e2e_unregister unreg = { .bar = c->bar };
	const struct dma_sg_table *t;
	size_t bad, after;
	u64 done = 0, i;
	int ret = 0;

	e2e_fill(c->check, 0, E2E_LEN, 0x3c3c, true);
	memcpy_toio(c->cmb, c->check, E2E_LEN);
	e2e_buf_unmap(&c->src);
	e2e_fill(c->src.vaddr, 0, E2E_LEN, 0x3c3c, false);
	KUNIT_ASSERT_EQ(test, e2e_buf_map(c->dev, &c->src, DMA_TO_DEVICE), 0);
	INIT_WORK_ONSTACK(&unreg.work, e2e_unregister_work);

	for (i = 0; i < E2E_CHUNKS; i++) {
		struct dma_sg_cursor cs, cc;
		u64 off = i * EDU_DMA_MAX;

		if (i == E2E_REVOKE_AT)
			queue_work(system_unbound_wq, &unreg.work);
		dma_resv_lock(c->dmabuf->resv, NULL);
		if (imp->revoked) {
			dma_resv_unlock(c->dmabuf->resv);
			break;
		}
		dma_sg_cursor_seek(&cs, &c->src.map.table, off);
		dma_sg_cursor_seek(&cc, c->cmb_table, off);
		ret = edu_dma(edu, dma_sg_cursor_addr(&cs), 0, EDU_DMA_MAX,
			      EDU_FROM_BUS);
		if (!ret)
			ret = edu_dma(edu, dma_sg_cursor_addr(&cc), 0,
				      EDU_DMA_MAX, EDU_TO_BUS);
		dma_resv_unlock(c->dmabuf->resv);
		if (ret)
			break;
		done += EDU_DMA_MAX;
		/* Give the unregistering thread its chance between chunks. */
		usleep_range(1000, 2000);
	}
	/* Bounded: the revoke does not wait for edu to finish the buffer. */
	flush_work(&unreg.work);
	destroy_work_on_stack(&unreg.work);
	c->bar = NULL;
	e2e_buf_unmap(&c->src);
	KUNIT_EXPECT_EQ(test, ret, 0);
	KUNIT_EXPECT_TRUE(test, imp->revoked);
	KUNIT_EXPECT_GE(test, done, (u64)E2E_REVOKE_AT * EDU_DMA_MAX);
	KUNIT_EXPECT_LT(test, done, (u64)E2E_LEN);

	dma_resv_lock(c->dmabuf->resv, NULL);
	t = dma_buf_map_attachment_dma_sg(c->attach, DMA_BIDIRECTIONAL);
	dma_resv_unlock(c->dmabuf->resv);
	KUNIT_EXPECT_PTR_EQ(test, t, ERR_PTR(-ENODEV));
	/* The id is gone: a range that names it no longer maps. */
	KUNIT_EXPECT_EQ(test, e2e_cmb_map(c, c->type), -ENOENT);
	KUNIT_EXPECT_FALSE(test, dma_sg_map_is_mapped(&c->cmb_map));
	c->cmb_table = NULL;	/* the revoke took the importer's table */

	memcpy_fromio(c->check, c->cmb, E2E_LEN);
	bad = e2e_mismatches(c->check, 0, done, 0x3c3c);
	/* Past the revoke the window must still hold the complement. */
	for (i = done, after = 0; i < E2E_LEN; i++)
		after += c->check[i] != (u8)~e2e_pattern(i, 0x3c3c);
	kunit_info(test,
		   "dma_sg_e2e: case=dmabuf_revoke map=%s id=%u bytes=%llu mismatches=%zu after_revoke=%zu ns=0\n",
		   e2e_map_name(c), c->id, done, bad + after, after);
	KUNIT_EXPECT_EQ(test, bad, 0);
	KUNIT_EXPECT_EQ(test, after, 0);
}

/*
 * The CMB window exported page-lessly as a dma-buf and imported by edu
 * through dma_buf_map_attachment_dma_sg(): both legs as in the direct
 * P2P case, then a revoke in the middle of a run.
 */
static void dma_sg_e2e_dmabuf_cmb(struct kunit *test)
{
	struct pci_dev *edu = edu_get();
	struct e2e_importer *imp;
	struct e2e_p2p_ctx *c;
	int bar, ret;

	if (!IS_ENABLED(CONFIG_PCI_P2P_BAR_DMABUF))
		kunit_skip(test, "needs CONFIG_PCI_P2P_BAR_DMABUF");
	c = e2e_p2p_ctx_new(test, edu);
	bar = e2e_cmb_setup(test, c);
	imp = kunit_kzalloc(test, sizeof(*imp), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, imp);
	imp->c = c;

	c->dmabuf = pci_p2p_bar_export_dmabuf(c->bar, E2E_CMB_OFFSET, E2E_LEN,
					      O_CLOEXEC);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, c->dmabuf);
	/* An export keeps the plain unregister away. */
	KUNIT_EXPECT_EQ(test, pci_p2p_bar_unregister(c->bar), -EBUSY);

	c->attach = dma_buf_dynamic_attach(c->dmabuf, c->dev,
					   &e2e_importer_ops, imp);
	if (PTR_ERR_OR_ZERO(c->attach) == -EREMOTEIO) {
		c->attach = NULL;
		kunit_info(test,
			   "dma_sg_e2e: case=dmabuf map=REFUSED err=%d bar=%d id=%u bytes=0 mismatches=%zu ns=0\n",
			   -EREMOTEIO, bar, c->id, e2e_cmb_changed(c, 0x5e5e));
		KUNIT_EXPECT_STREQ(test, expect, "refused");
		return;
	}
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, c->attach);
	/* For the row's map name and the address check. */
	ret = pci_p2p_bar_map_type(c->bar, c->dev);
	KUNIT_ASSERT_GE(test, ret, 0);
	c->type = ret;

	dma_resv_lock(c->dmabuf->resv, NULL);
	c->cmb_table = dma_buf_map_attachment_dma_sg(c->attach,
						     DMA_BIDIRECTIONAL);
	dma_resv_unlock(c->dmabuf->resv);
	ret = PTR_ERR_OR_ZERO(c->cmb_table);
	if (ret)
		c->cmb_table = NULL;
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, dma_sg_table_len(c->cmb_table), (u64)E2E_LEN);
	if (c->type == DMA_SG_MAP_BUS_ADDR)
		KUNIT_EXPECT_EQ(test, c->cmb_table->first->ents[0].addr,
				e2e_bus_addr(c));

	e2e_p2p_legs(test, edu, c, "dmabuf", bar);
	e2e_dmabuf_revoke(test, edu, c, imp);
}

static struct kunit_case dma_sg_e2e_p2p_cases[] = {
	KUNIT_CASE_SLOW(dma_sg_e2e_p2p_cmb),
	KUNIT_CASE_SLOW(dma_sg_e2e_p2pmem),
	{ }
};

/*
 * The cases skip with their own reason; KUnit prints a suite whose cases
 * all skipped with the suite's comment, so give it one as well.
 */
static int dma_sg_e2e_map_init(struct kunit_suite *suite)
{
	if (!edu_get())
		strscpy(suite->status_comment, "no QEMU edu device");
	return 0;
}

static int dma_sg_e2e_p2p_init(struct kunit_suite *suite)
{
	static const struct pci_device_id nvme[] = {
		{ PCI_DEVICE(E2E_NVME_VENDOR, E2E_NVME_DEVICE) },
		{ }
	};

	if (!edu_get() || !pci_dev_present(nvme))
		strscpy(suite->status_comment,
			"no QEMU edu device and NVMe controller");
	return 0;
}

static struct kunit_suite dma_sg_e2e_p2p_suite = {
	.name = "dma_sg_e2e_p2p",
	.suite_init = dma_sg_e2e_p2p_init,
	.test_cases = dma_sg_e2e_p2p_cases,
};

static struct kunit_case dma_sg_e2e_map_cases[] = {
	KUNIT_CASE_SLOW(dma_sg_e2e_map_copy),
	KUNIT_CASE_SLOW(dma_sg_e2e_untrusted),
	KUNIT_CASE_SLOW(dma_sg_e2e_layout),
	{ }
};

static struct kunit_suite dma_sg_e2e_map_suite = {
	.name = "dma_sg_e2e_map",
	.suite_init = dma_sg_e2e_map_init,
	.test_cases = dma_sg_e2e_map_cases,
};

static struct kunit_case dma_sg_e2e_dmabuf_cases[] = {
	KUNIT_CASE_SLOW(dma_sg_e2e_dmabuf_cmb),
	{ }
};

static struct kunit_suite dma_sg_e2e_dmabuf_suite = {
	.name = "dma_sg_e2e_dmabuf",
	.suite_init = dma_sg_e2e_p2p_init,
	.test_cases = dma_sg_e2e_dmabuf_cases,
};

kunit_test_suites(&dma_sg_e2e_map_suite, &dma_sg_e2e_p2p_suite,
		  &dma_sg_e2e_dmabuf_suite);

MODULE_DESCRIPTION("dma_sg end-to-end tests on QEMU devices");
MODULE_LICENSE("GPL");
