// SPDX-License-Identifier: GPL-2.0
/*
 * dma_sg benchmarks: dma_sg against struct scatterlist, side by side
 *
 * Every figure is measured in one boot, with the dma_sg and scatterlist
 * repetitions interleaved (their order alternates) and the median taken,
 * so that a ratio never compares two different runs.  Each figure is one
 * line on the console, for a script to collect:
 *
 *   dma_sg_bench: <file> <name> <dma_sg> <scatterlist> <unit>
 *
 * The cases skip unless the kernel is booted with dma_sg_bench.run=1, so
 * that the suite costs nothing in the ordinary KUnit runs.
 */
#include <kunit/device.h>
#include <kunit/test.h>
#include <linux/bitmap.h>
#include <linux/dma-map-ops.h>
#include <linux/dma-mapping.h>
#include <linux/dma_sg.h>
#include <linux/dma_sg_map.h>
#include <linux/iommu.h>
#include <linux/ktime.h>
#include <linux/log2.h>
#include <linux/memremap.h>
#include <linux/mman.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/pci.h>
#include <linux/pci-p2p-bar.h>
#include <linux/pci-p2pdma.h>
#include <linux/prandom.h>
#include <linux/scatterlist.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/vmalloc.h>
#include <rdma/ib_umem.h>

static bool run;
module_param(run, bool, 0444);
MODULE_PARM_DESC(run, "run the benchmarks (otherwise every case skips)");

/* Keeps the compiler from dropping the iteration loops. */
static u64 bench_sink;

#define BENCH_MAX_REPS	15

/*
 * Every case starts here: it is skipped unless asked for, and otherwise
 * runs as kernel code runs outside a test.  While current->kunit_test is
 * set, each call of a function with a KUnit static stub (the dma_sg
 * table's chunk allocator and free) looks the stub up among the test's
 * resources under a spinlock: a cost that only the dma_sg side would pay,
 * and that no kernel pays outside a test.  The case still reports through
 * @test; only a KASAN or UBSAN report would no longer name it.
 */
static void bench_start(struct kunit *test)
{
	if (!run)
		kunit_skip(test, "benchmark; boot with dma_sg_bench.run=1");
	current->kunit_test = NULL;
}

static int bench_cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static u64 bench_median(u64 *v, int n)
{
	sort(v, n, sizeof(*v), bench_cmp_u64, NULL);
	return v[n / 2];
}

/* @num / @den with three decimals, as "<int>.<frac>". */
struct bench_fixed {
	u64 ip;
	u32 fp;
};

static struct bench_fixed bench_div(u64 num, u64 den)
{
	u64 milli;

	if (!den)
		return (struct bench_fixed){ 0, 0 };
	milli = div64_u64(num * 1000 + den / 2, den);
	return (struct bench_fixed){ div_u64(milli, 1000), milli % 1000 };
}

/* One figure: both values are @num / @den in @unit. */
static void bench_emit(struct kunit *test, const char *file, const char *name,
		       u64 dma_sg_num, u64 sg_num, u64 den, const char *unit)
{
	struct bench_fixed a = bench_div(dma_sg_num, den);
	struct bench_fixed b = bench_div(sg_num, den);

	kunit_info(test, "dma_sg_bench: %s\t%s\t%llu.%03u\t%llu.%03u\t%s\n",
		   file, name, a.ip, a.fp, b.ip, b.fp, unit);
}

/*
 * Core: a table of N DMA ranges built the way amdgpu and xe build VRAM
 * tables, which hold DMA addresses only.
 *
 * The input is N 4 KiB ranges in which every second range continues the
 * one before it, so that merging halves the entry count.
 */
#define BENCH_BASE	0x100000000ULL

static inline dma_addr_t bench_in_addr(u64 i)
{
	return BENCH_BASE + ((i + (i >> 1)) << 12);
}

/*
 * QEMU's TCG chains the blocks it translates only within a guest page: a
 * timed loop that straddles a page boundary pays a hash lookup at every
 * crossing, which a CPU does not.  Placed by the link, the merge branch
 * of the dma_sg table builder once fell on the next page, and that alone
 * made it 1.6 times slower under TCG.  The two builders and the two
 * timing loops of the core figures, each well under 1 KiB, are aligned
 * to 1 KiB so that none of them can straddle a page.  Calls out of them
 * (sg_next(), the allocators, the table's slow path) still pay a lookup
 * under TCG, on either side: UML's figures are the native ones.
 */
static noinline __aligned(SZ_1K) int
bench_dma_sg_build(struct dma_sg_table *t, u64 n, bool merge)
{
	u64 i;

	dma_sg_table_init(t, merge ? 0 : DMA_SG_NO_MERGE);
	/* What the scatterlist side knows too: at most @n entries. */
	dma_sg_table_size_hint(t, n);
	for (i = 0; i < n; i++) {
		if (dma_sg_append(t, bench_in_addr(i), SZ_4K, GFP_KERNEL)) {
			dma_sg_table_free(t);
			return -ENOMEM;
		}
	}
	return 0;
}

static u64 bench_dma_sg_iter(struct dma_sg_table *t)
{
	struct dma_sg_iter iter;
	struct dma_sg *sg;
	u64 sum = 0;

	dma_sg_for_each(t, sg, iter)
		sum += sg->addr ^ sg->len;
	return sum;
}

/* Merged entries stay under 2 GiB, as amdgpu's do. */
#define BENCH_SG_MAX_SEG	SZ_2G

static void bench_sg_set(struct scatterlist *sg, dma_addr_t addr, u32 len)
{
	sg_set_page(sg, NULL, len, 0);
	sg_dma_address(sg) = addr;
	sg_dma_len(sg) = len;
}

/*
 * sg_alloc_table() needs the entry count first, so merging costs a
 * counting pass over the input, as in amdgpu_vram_mgr_alloc_sgt().
 */
static noinline __aligned(SZ_1K) int
bench_sg_build(struct sg_table *sgt, u64 n, bool merge)
{
	struct scatterlist *sg;
	dma_addr_t addr, cur = 0;
	u64 i, nents = n;
	u32 len = 0;
	int ret;

	if (merge) {
		nents = 0;
		for (i = 0; i < n; i++) {
			addr = bench_in_addr(i);
			if (!nents || addr != cur + len ||
			    len + SZ_4K > BENCH_SG_MAX_SEG) {
				nents++;
				cur = addr;
				len = 0;
			}
			len += SZ_4K;
		}
	}
	ret = sg_alloc_table(sgt, nents, GFP_KERNEL);
	if (ret)
		return ret;
	sg = sgt->sgl;
	cur = bench_in_addr(0);
	len = SZ_4K;
	for (i = 1; i < n; i++) {
		addr = bench_in_addr(i);
		if (merge && addr == cur + len &&
		    len + SZ_4K <= BENCH_SG_MAX_SEG) {
			len += SZ_4K;
			continue;
		}
		bench_sg_set(sg, cur, len);
		sg = sg_next(sg);
		cur = addr;
		len = SZ_4K;
	}
	bench_sg_set(sg, cur, len);
	return 0;
}

static u64 bench_sg_iter(struct sg_table *sgt)
{
	struct scatterlist *sg;
	u64 sum = 0;
	unsigned int i;

	for_each_sgtable_dma_sg(sgt, sg, i)
		sum += sg_dma_address(sg) ^ sg_dma_len(sg);
	return sum;
}

/* What an allocation really holds: slab, page allocator or vmalloc. */
static size_t bench_alloc_bytes(const void *p)
{
	struct folio *folio;

	if (is_vmalloc_addr(p))
		return get_vm_area_size(find_vm_area(p));
	folio = virt_to_folio(p);
	return folio_test_slab(folio) ? ksize(p) : folio_size(folio);
}

/* Bytes a table really holds: its own struct plus every chunk's allocation. */
static size_t bench_dma_sg_bytes(struct dma_sg_table *t)
{
	struct dma_sg_chunk *c;
	size_t bytes = sizeof(*t);

	if (t->flags & DMA_SG_INLINE)	/* a lone entry, in the table */
		return bytes;
	for (c = t->first; c; c = c->next)
		if (c != t->first || !(t->flags & DMA_SG_CALLER_CHUNK))
			bytes += bench_alloc_bytes(c);
	return bytes;
}

/*
 * Walk the chain itself: sg_alloc_table() fills whole chunks of
 * SG_MAX_SINGLE_ALLOC entries, but sg_alloc_append_table_from_pages()
 * sizes each chunk by the pages it still expects, and may end on a page
 * whose entries merged away.
 */
static size_t bench_sg_bytes(struct sg_table *sgt)
{
	struct scatterlist *p = sgt->sgl, *chunk = p;
	size_t bytes = sizeof(*sgt);

	if (!p)
		return bytes;
	while (!sg_is_last(p)) {
		if (sg_is_chain(p)) {
			bytes += bench_alloc_bytes(chunk);
			chunk = sg_chain_ptr(p);
			p = chunk;
		} else {
			p++;
		}
	}
	return bytes + bench_alloc_bytes(chunk);
}

static const u64 bench_core_n[] = { 1, 64, 4096, SZ_1M };

static void dma_sg_bench_core_memory(struct kunit *test)
{
	char name[64];
	int k;

	bench_start(test);
	for (k = 0; k < ARRAY_SIZE(bench_core_n); k++) {
		u64 n = bench_core_n[k];
		struct dma_sg_table t;
		struct sg_table sgt;
		size_t a, b;

		KUNIT_ASSERT_EQ(test, bench_dma_sg_build(&t, n, false), 0);
		KUNIT_ASSERT_EQ(test, bench_sg_build(&sgt, n, false), 0);
		KUNIT_EXPECT_EQ(test, dma_sg_table_nents(&t), n);
		KUNIT_EXPECT_EQ(test, (u64)sgt.orig_nents, n);
		a = bench_dma_sg_bytes(&t);
		b = bench_sg_bytes(&sgt);
		dma_sg_table_free(&t);
		sg_free_table(&sgt);
		snprintf(name, sizeof(name), "memory N=%llu", n);
		bench_emit(test, "core", name, a, b, n, "bytes/entry");
	}
}

/* Samples of one size: build, iterate and free times of @loops tables. */
struct bench_core_times {
	u64 build[BENCH_MAX_REPS];
	u64 iter[BENCH_MAX_REPS];
	u64 both[BENCH_MAX_REPS];
	u64 free[BENCH_MAX_REPS];
};

static noinline __aligned(SZ_1K) void
bench_core_dma_sg(struct kunit *test, struct dma_sg_table *t, int loops,
		  u64 n, bool merge, struct bench_core_times *s, int rep)
{
	u64 t0, t1, t2, t3, sum = 0;
	int l;

	t0 = ktime_get_ns();
	for (l = 0; l < loops; l++)
		KUNIT_ASSERT_EQ(test, bench_dma_sg_build(&t[l], n, merge), 0);
	t1 = ktime_get_ns();
	for (l = 0; l < loops; l++)
		sum += bench_dma_sg_iter(&t[l]);
	t2 = ktime_get_ns();
	for (l = 0; l < loops; l++)
		dma_sg_table_free(&t[l]);
	t3 = ktime_get_ns();
	WRITE_ONCE(bench_sink, bench_sink + sum);
	s->build[rep] = t1 - t0;
	s->iter[rep] = t2 - t1;
	s->both[rep] = t2 - t0;
	s->free[rep] = t3 - t2;
}

static noinline __aligned(SZ_1K) void
bench_core_sg(struct kunit *test, struct sg_table *t, int loops, u64 n,
	      bool merge, struct bench_core_times *s, int rep)
{
	u64 t0, t1, t2, t3, sum = 0;
	int l;

	t0 = ktime_get_ns();
	for (l = 0; l < loops; l++)
		KUNIT_ASSERT_EQ(test, bench_sg_build(&t[l], n, merge), 0);
	t1 = ktime_get_ns();
	for (l = 0; l < loops; l++)
		sum += bench_sg_iter(&t[l]);
	t2 = ktime_get_ns();
	for (l = 0; l < loops; l++)
		sg_free_table(&t[l]);
	t3 = ktime_get_ns();
	WRITE_ONCE(bench_sink, bench_sink + sum);
	s->build[rep] = t1 - t0;
	s->iter[rep] = t2 - t1;
	s->both[rep] = t2 - t0;
	s->free[rep] = t3 - t2;
}

/* Enough tables per sample that a sample holds at least 16K entries. */
#define BENCH_CORE_MIN_ENTS	16384

static void dma_sg_bench_core_speed(struct kunit *test)
{
	struct bench_core_times *a, *b;
	struct dma_sg_table *dt;
	struct sg_table *st;
	char name[64];
	int k, m, rep;

	bench_start(test);
	a = kunit_kzalloc(test, sizeof(*a), GFP_KERNEL);
	b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	for (k = 0; k < ARRAY_SIZE(bench_core_n); k++) {
		u64 n = bench_core_n[k];
		int loops = max_t(u64, 1, BENCH_CORE_MIN_ENTS / n);
		int reps = n >= SZ_1M ? 9 : BENCH_MAX_REPS;
		u64 ents = n * loops;

		dt = kvcalloc(loops, sizeof(*dt), GFP_KERNEL);
		st = kvcalloc(loops, sizeof(*st), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, dt);
		KUNIT_ASSERT_NOT_NULL(test, st);
		for (m = 0; m < 2; m++) {
			bool merge = m;

			for (rep = 0; rep < reps; rep++) {
				if (rep & 1) {
					bench_core_sg(test, st, loops, n, merge, b, rep);
					bench_core_dma_sg(test, dt, loops, n, merge, a, rep);
				} else {
					bench_core_dma_sg(test, dt, loops, n, merge, a, rep);
					bench_core_sg(test, st, loops, n, merge, b, rep);
				}
			}
			snprintf(name, sizeof(name), "build N=%llu merge=%s",
				 n, merge ? "on" : "off");
			bench_emit(test, "core", name, bench_median(a->build, reps),
				   bench_median(b->build, reps), ents, "ns/entry");
			snprintf(name, sizeof(name), "iterate N=%llu merge=%s",
				 n, merge ? "on" : "off");
			bench_emit(test, "core", name, bench_median(a->iter, reps),
				   bench_median(b->iter, reps), ents, "ns/entry");
			snprintf(name, sizeof(name), "build+iterate N=%llu merge=%s",
				 n, merge ? "on" : "off");
			bench_emit(test, "core", name, bench_median(a->both, reps),
				   bench_median(b->both, reps), ents, "ns/entry");
			snprintf(name, sizeof(name), "free N=%llu merge=%s",
				 n, merge ? "on" : "off");
			bench_emit(test, "core", name, bench_median(a->free, reps),
				   bench_median(b->free, reps), ents, "ns/entry");
		}
		kvfree(dt);
		kvfree(st);
	}
}

/*
 * Map: map + unmap of a buffer of scattered 4 KiB pages, dma_sg_map_pages()
 * against sg_alloc_table_from_pages() + dma_map_sgtable() +
 * dma_unmap_sgtable() + sg_free_table() on the same pages.
 */
struct bench_pages {
	struct page **pages;
	u64 n;
};

static void bench_pages_free(struct bench_pages *bp)
{
	while (bp->n)
		__free_page(bp->pages[--bp->n]);
	kvfree(bp->pages);
	bp->pages = NULL;
}

/* Shuffle with a fixed seed, so that both sides of a row see one order. */
static void bench_pages_shuffle(struct bench_pages *bp)
{
	struct rnd_state rnd;
	u64 i;

	prandom_seed_state(&rnd, 0x5eed);
	for (i = bp->n; i > 1; i--)
		swap(bp->pages[i - 1], bp->pages[prandom_u32_state(&rnd) % i]);
}

/*
 * Up to @want pages, shuffled with a fixed seed so that no two neighbours
 * are physically contiguous by luck of the allocator: the case of a user
 * buffer pinned page by page.
 */
static void bench_pages_alloc(struct bench_pages *bp, u64 want)
{
	u64 i;

	bp->n = 0;
	bp->pages = kvmalloc_array(want, sizeof(*bp->pages), GFP_KERNEL);
	if (!bp->pages)
		return;
	for (i = 0; i < want; i++) {
		bp->pages[i] = alloc_page(GFP_KERNEL | __GFP_NOWARN |
					  __GFP_NORETRY);
		if (!bp->pages[i])
			break;
		bp->n++;
	}
	bench_pages_shuffle(bp);
}

static const u64 bench_map_sizes[] = { SZ_4K, SZ_64K, SZ_2M, SZ_1G };

static void bench_size_name(char *buf, size_t len, u64 size)
{
	if (size >= SZ_1G)
		snprintf(buf, len, "%lluGiB", size >> 30);
	else if (size >= SZ_1M)
		snprintf(buf, len, "%lluMiB", size >> 20);
	else
		snprintf(buf, len, "%lluKiB", size >> 10);
}

static u64 bench_map_dma_sg(struct kunit *test, struct device *dev,
			    struct bench_pages *bp, u64 npages, int loops,
			    bool *collapsed)
{
	struct dma_sg_map m = {};
	u64 t0, t1, off;
	int l;

	t0 = ktime_get_ns();
	for (l = 0, off = 0; l < loops; l++, off = (off + npages) % bp->n) {
		KUNIT_ASSERT_EQ(test, dma_sg_map_pages(&m, dev, bp->pages + off,
						       npages, 0, npages << PAGE_SHIFT,
						       DMA_BIDIRECTIONAL, 0,
						       GFP_KERNEL), 0);
		*collapsed = dma_sg_map_is_collapsed(&m);
		dma_sg_unmap(&m);
	}
	t1 = ktime_get_ns();
	return t1 - t0;
}

static u64 bench_map_sg(struct kunit *test, struct device *dev,
			struct bench_pages *bp, u64 npages, int loops)
{
	struct sg_table sgt;
	u64 t0, t1, off;
	int l;

	t0 = ktime_get_ns();
	for (l = 0, off = 0; l < loops; l++, off = (off + npages) % bp->n) {
		KUNIT_ASSERT_EQ(test, sg_alloc_table_from_pages(&sgt, bp->pages + off,
								npages, 0,
								npages << PAGE_SHIFT,
								GFP_KERNEL), 0);
		KUNIT_ASSERT_EQ(test, dma_map_sgtable(dev, &sgt,
						      DMA_BIDIRECTIONAL, 0), 0);
		dma_unmap_sgtable(dev, &sgt, DMA_BIDIRECTIONAL, 0);
		sg_free_table(&sgt);
	}
	t1 = ktime_get_ns();
	return t1 - t0;
}

/* Bytes a dma_sg mapping holds: struct, chunks, records, BAR list. */
static size_t bench_map_bytes(struct dma_sg_map *m)
{
	size_t bytes = bench_dma_sg_bytes(&m->table) - sizeof(m->table) +
		       sizeof(*m);

	if (m->recs)
		bytes += bench_alloc_bytes(m->recs);
	if (m->p2p.refs && m->p2p.refs != m->p2p.inline_refs)
		bytes += bench_alloc_bytes(m->p2p.refs);
	return bytes;
}

/*
 * Memory held by one mapping of @bp's first @npages pages, against the
 * sg_table that dma_map_sgtable() maps.
 */
static void bench_map_memory(struct kunit *test, struct device *dev,
			     struct bench_pages *bp, u64 npages,
			     const char *via)
{
	struct dma_sg_map m = {};
	struct sg_table sgt;
	char name[96], sz[16];
	size_t a, b;

	KUNIT_ASSERT_EQ(test, dma_sg_map_pages(&m, dev, bp->pages, npages, 0,
					       npages << PAGE_SHIFT,
					       DMA_BIDIRECTIONAL, 0,
					       GFP_KERNEL), 0);
	a = bench_map_bytes(&m);
	dma_sg_unmap(&m);
	KUNIT_ASSERT_EQ(test, sg_alloc_table_from_pages(&sgt, bp->pages, npages,
							0, npages << PAGE_SHIFT,
							GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, dma_map_sgtable(dev, &sgt, DMA_BIDIRECTIONAL, 0),
			0);
	b = bench_sg_bytes(&sgt);
	dma_unmap_sgtable(dev, &sgt, DMA_BIDIRECTIONAL, 0);
	sg_free_table(&sgt);
	bench_size_name(sz, sizeof(sz), npages << PAGE_SHIFT);
	snprintf(name, sizeof(name), "bytes held mapping %s of 4KiB pages via %s",
		 sz, via);
	bench_emit(test, "map", name, a, b, 1, "bytes");
}

/* Enough buffers per sample that a sample maps at least 4096 pages. */
#define BENCH_MAP_MIN_PAGES	4096

/*
 * @reps samples of each side, alternating which goes first so that
 * neither always runs on a warmer cache.
 */
static void bench_map_pair(struct kunit *test, struct device *dev,
			   struct bench_pages *bp, u64 npages, int reps,
			   u64 *a, u64 *b, bool *collapsed)
{
	int loops = max_t(u64, 1, BENCH_MAP_MIN_PAGES / npages);
	int rep;

	for (rep = 0; rep < reps; rep++) {
		if (rep & 1) {
			b[rep] = bench_map_sg(test, dev, bp, npages, loops);
			a[rep] = bench_map_dma_sg(test, dev, bp, npages, loops,
						  collapsed);
		} else {
			a[rep] = bench_map_dma_sg(test, dev, bp, npages, loops,
						  collapsed);
			b[rep] = bench_map_sg(test, dev, bp, npages, loops);
		}
	}
}

static void bench_map(struct kunit *test, struct device *dev, const char *via)
{
	u64 a[BENCH_MAX_REPS], b[BENCH_MAX_REPS];
	struct bench_pages bp;
	char name[80], sz[16];
	bool collapsed = false;
	u64 want;
	int k;

	/* Leave a quarter of the free memory for the tables themselves. */
	want = min_t(u64, SZ_1G >> PAGE_SHIFT, si_mem_available() / 4 * 3);
	want = rounddown_pow_of_two(want);
	bench_pages_alloc(&bp, want);
	if (bp.n < SZ_1G >> PAGE_SHIFT)
		kunit_info(test, "dma_sg_bench note: %s: %llu MiB of pages, not 1 GiB: the largest buffer is that size\n",
			   via, (bp.n << PAGE_SHIFT) >> 20);
	KUNIT_ASSERT_GE(test, bp.n, (u64)SZ_2M >> PAGE_SHIFT);
	for (k = 0; k < ARRAY_SIZE(bench_map_sizes); k++) {
		u64 npages = min_t(u64, bench_map_sizes[k] >> PAGE_SHIFT, bp.n);
		int loops = max_t(u64, 1, BENCH_MAP_MIN_PAGES / npages);
		int reps = npages >= SZ_256M >> PAGE_SHIFT ? 5 : BENCH_MAX_REPS;

		bench_map_pair(test, dev, &bp, npages, reps, a, b, &collapsed);
		bench_size_name(sz, sizeof(sz), npages << PAGE_SHIFT);
		snprintf(name, sizeof(name), "map+unmap %s via %s%s", sz, via,
			 collapsed ? " (one IOVA range)" : "");
		bench_emit(test, "map", name, bench_median(a, reps),
			   bench_median(b, reps), npages * loops, "ns/4KiB-page");
	}
	bench_map_memory(test, dev, &bp, bp.n, via);
	bench_pages_free(&bp);
}

static void dma_sg_bench_map_direct(struct kunit *test)
{
	struct device *dev;

	bench_start(test);
	dev = kunit_device_register(test, "dma_sg_bench");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dev);
	dev->dma_mask = &dev->coherent_dma_mask;
	KUNIT_ASSERT_EQ(test, dma_set_mask_and_coherent(dev, DMA_BIT_MASK(64)), 0);
	if (get_dma_ops(dev))
		kunit_skip(test, "the KUnit device has dma_map_ops, not dma-direct");
	bench_map(test, dev, "dma-direct");
}

#define BENCH_EDU_VENDOR	0x1234
#define BENCH_EDU_DEVICE	0x11e8

/* QEMU's edu device, when it sits behind an IOMMU with a DMA domain. */
static struct pci_dev *bench_iommu_pdev(void)
{
	struct pci_dev *pdev = pci_get_device(BENCH_EDU_VENDOR, BENCH_EDU_DEVICE,
					      NULL);
	struct iommu_domain *dom;

	if (!pdev)
		return NULL;
	dom = iommu_get_domain_for_dev(&pdev->dev);
	if (!dom || !(dom->type & __IOMMU_DOMAIN_DMA_API)) {
		pci_dev_put(pdev);
		return NULL;
	}
	return pdev;
}

static void dma_sg_bench_map_iommu(struct kunit *test)
{
	struct pci_dev *pdev;

	bench_start(test);
	pdev = bench_iommu_pdev();
	if (!pdev)
		kunit_skip(test, "no edu device behind an IOMMU (q35 + intel-iommu)");
	bench_map(test, &pdev->dev, "IOMMU");
	pci_dev_put(pdev);
}

/*
 * dma-buf export of VRAM, shaped as amdgpu exports it: a 16 GiB buffer
 * made of 2 MiB blocks of a VRAM aperture, either scattered (every block
 * alone) or in one run.  Today's builder gives every run an sg_table
 * entry of at most 2 GiB with a NULL page and maps each with
 * dma_map_resource(); the dma_sg exporter maps the runs in one call with
 * no length cap.  Nothing in the aperture is ever touched.
 */
#define BENCH_VRAM_BASE		0x4000000000ULL
#define BENCH_VRAM_SIZE		(16ULL << 30)
#define BENCH_VRAM_BLOCK	SZ_2M
#define BENCH_VRAM_BLOCKS	(BENCH_VRAM_SIZE / BENCH_VRAM_BLOCK)
#define BENCH_VRAM_SG_MAX	SZ_2G
/* Each sample maps 16 GiB; through an emulated IOMMU that takes seconds. */
#define BENCH_VRAM_REPS		5

/* CPU address of block @i: every block alone, or all in one run. */
static phys_addr_t bench_vram_block(u64 i, bool scattered)
{
	return BENCH_VRAM_BASE + i * BENCH_VRAM_BLOCK * (scattered ? 2 : 1);
}

/* The sg_table way; returns its entry count, or 0 on failure. */
static u64 bench_vram_sg(struct device *dev, struct sg_table *sgt,
			 bool scattered)
{
	struct scatterlist *sg;
	u64 i, n = 0, len;

	for (i = 0; i < BENCH_VRAM_BLOCKS; i += len / BENCH_VRAM_BLOCK) {
		len = scattered ? BENCH_VRAM_BLOCK :
		      min_t(u64, BENCH_VRAM_SG_MAX,
			    (BENCH_VRAM_BLOCKS - i) * BENCH_VRAM_BLOCK);
		n++;
	}
	if (sg_alloc_table(sgt, n, GFP_KERNEL))
		return 0;
	sg = sgt->sgl;
	for (i = 0; i < BENCH_VRAM_BLOCKS; i += len / BENCH_VRAM_BLOCK) {
		dma_addr_t addr;

		len = scattered ? BENCH_VRAM_BLOCK :
		      min_t(u64, BENCH_VRAM_SG_MAX,
			    (BENCH_VRAM_BLOCKS - i) * BENCH_VRAM_BLOCK);
		addr = dma_map_resource(dev, bench_vram_block(i, scattered),
					len, DMA_BIDIRECTIONAL,
					DMA_ATTR_SKIP_CPU_SYNC);
		sg_set_page(sg, NULL, len, 0);
		sg_dma_address(sg) = addr;
		sg_dma_len(sg) = len;
		sg = sg_next(sg);
	}
	return n;
}

static void bench_vram_sg_free(struct device *dev, struct sg_table *sgt)
{
	struct scatterlist *sg;
	int i;

	for_each_sgtable_sg(sgt, sg, i)
		dma_unmap_resource(dev, sg_dma_address(sg), sg_dma_len(sg),
				   DMA_BIDIRECTIONAL, DMA_ATTR_SKIP_CPU_SYNC);
	sg_free_table(sgt);
}

/* The dma_sg way: the runs as ranges, mapped in one call. */
static int bench_vram_dma_sg(struct device *dev, struct dma_sg_map *m,
			     struct dma_sg_phys *r, bool scattered)
{
	u64 i, n = scattered ? BENCH_VRAM_BLOCKS : 1;
	int ret;

	for (i = 0; i < n; i++) {
		ret = dma_sg_phys_set(&r[i], bench_vram_block(i, scattered),
				      scattered ? BENCH_VRAM_BLOCK :
						  BENCH_VRAM_SIZE,
				      DMA_SG_MAP_MMIO, 0);
		if (ret)
			return ret;
	}
	dma_sg_map_init(m, DMA_SG_MAP_NO_SEG_LIMITS);
	return dma_sg_map_phys(m, dev, r, n, DMA_BIDIRECTIONAL,
			       DMA_ATTR_SKIP_CPU_SYNC, GFP_KERNEL);
}

static void bench_vram(struct kunit *test, struct device *dev, const char *via)
{
	u64 a[BENCH_MAX_REPS], b[BENCH_MAX_REPS];
	struct dma_sg_phys *r;
	struct dma_sg_map m;
	struct sg_table sgt;
	char name[96];
	int k, rep;

	r = kvcalloc(BENCH_VRAM_BLOCKS, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	for (k = 0; k < 2; k++) {
		bool scattered = !k;
		const char *shape = scattered ? "2MiB blocks apart" :
						"2MiB blocks in one run";
		u64 n_sg, n_dma_sg;

		KUNIT_ASSERT_EQ(test, bench_vram_dma_sg(dev, &m, r, scattered), 0);
		n_dma_sg = dma_sg_table_nents(&m.table);
		a[0] = bench_map_bytes(&m);
		dma_sg_unmap(&m);
		n_sg = bench_vram_sg(dev, &sgt, scattered);
		KUNIT_ASSERT_NE(test, n_sg, 0ULL);
		b[0] = bench_sg_bytes(&sgt);
		bench_vram_sg_free(dev, &sgt);
		snprintf(name, sizeof(name), "entries, 16GiB VRAM export, %s, via %s",
			 shape, via);
		bench_emit(test, "dmabuf", name, n_dma_sg, n_sg, 1, "entries");
		snprintf(name, sizeof(name), "bytes held, 16GiB VRAM export, %s, via %s",
			 shape, via);
		bench_emit(test, "dmabuf", name, a[0], b[0], 1, "bytes");

		for (rep = 0; rep < BENCH_VRAM_REPS; rep++) {
			bool sg_first = rep & 1;
			u64 t0;
			int side;

			for (side = 0; side < 2; side++) {
				t0 = ktime_get_ns();
				if (sg_first == !side) {
					bench_vram_sg(dev, &sgt, scattered);
					bench_vram_sg_free(dev, &sgt);
					b[rep] = ktime_get_ns() - t0;
				} else {
					int ret = bench_vram_dma_sg(dev, &m, r,
								    scattered);

					KUNIT_ASSERT_EQ(test, ret, 0);
					dma_sg_unmap(&m);
					a[rep] = ktime_get_ns() - t0;
				}
			}
		}
		snprintf(name, sizeof(name), "map+unmap, 16GiB VRAM export, %s, via %s",
			 shape, via);
		bench_emit(test, "dmabuf", name, bench_median(a, BENCH_VRAM_REPS),
			   bench_median(b, BENCH_VRAM_REPS), BENCH_VRAM_BLOCKS,
			   "ns/2MiB-block");
	}
	kvfree(r);
}

/*
 * Run @fn for a KUnit device, through dma-direct, and for the edu device
 * behind the IOMMU when the machine has one.
 */
static void bench_each_dev(struct kunit *test, const char *what,
			   void (*fn)(struct kunit *test, struct device *dev,
				      const char *via))
{
	struct pci_dev *pdev;
	struct device *dev;

	bench_start(test);
	dev = kunit_device_register(test, what);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dev);
	dev->dma_mask = &dev->coherent_dma_mask;
	KUNIT_ASSERT_EQ(test, dma_set_mask_and_coherent(dev, DMA_BIT_MASK(64)), 0);
	fn(test, dev, "dma-direct");
	pdev = bench_iommu_pdev();
	if (!pdev) {
		kunit_info(test, "dma_sg_bench note: %s: no edu device behind an IOMMU, measured through dma-direct only\n",
			   what);
		return;
	}
	fn(test, &pdev->dev, "IOMMU");
	pci_dev_put(pdev);
}

static void dma_sg_bench_vram(struct kunit *test)
{
	bench_each_dev(test, "dma_sg_bench_vram", bench_vram);
}

#if IS_BUILTIN(CONFIG_INFINIBAND_USER_MEM)
/*
 * ib_umem: a 1 GiB registration of user memory, as scattered 4 KiB pages
 * or as 2 MiB huge pages.  The scatterlist side does what the 6.12 umem
 * did with the same memory: pin in batches of a page of pointers, append
 * each batch to an sg_append_table (which merges contiguous pages), map
 * it with dma_map_sgtable(), and undo it all.  Only the tables are
 * counted: the rest of the two umems is the same size.
 */
#define BENCH_UMEM_LEN		SZ_1G
#define BENCH_UMEM_REPS		5

static int bench_umem_sg(struct device *dev, unsigned long user, u64 npages,
			 size_t *bytes)
{
	unsigned int batch = PAGE_SIZE / sizeof(struct page *);
	struct sg_append_table app = {};
	struct scatterlist *sg;
	struct page **list;
	u64 done = 0;
	int n, i, ret = 0;

	list = (struct page **)__get_free_page(GFP_KERNEL);
	if (!list)
		return -ENOMEM;
	while (done < npages) {
		n = pin_user_pages_fast(user + (done << PAGE_SHIFT),
					min_t(u64, npages - done, batch),
					FOLL_WRITE | FOLL_LONGTERM, list);
		if (n <= 0) {
			ret = n ? n : -EFAULT;
			break;
		}
		ret = sg_alloc_append_table_from_pages(&app, list, n, 0,
						       (u64)n << PAGE_SHIFT,
						       dma_get_max_seg_size(dev),
						       npages - done - n,
						       GFP_KERNEL);
		if (ret) {
			unpin_user_pages(list, n);
			break;
		}
		done += n;
	}
	if (!ret)
		ret = dma_map_sgtable(dev, &app.sgt, DMA_BIDIRECTIONAL, 0);
	if (!ret) {
		if (bytes)
			*bytes = bench_sg_bytes(&app.sgt);
		dma_unmap_sgtable(dev, &app.sgt, DMA_BIDIRECTIONAL, 0);
	}
	for_each_sgtable_sg(&app.sgt, sg, i)
		unpin_user_page_range_dirty_lock(sg_page(sg),
						 DIV_ROUND_UP(sg->length, PAGE_SIZE),
						 true);
	sg_free_append_table(&app);
	free_page((unsigned long)list);
	return ret;
}

static int bench_umem_dma_sg(struct ib_device *ibdev, unsigned long user,
			     size_t *bytes)
{
	struct ib_umem *umem;

	umem = ib_umem_get(ibdev, user, BENCH_UMEM_LEN, IB_ACCESS_LOCAL_WRITE);
	if (IS_ERR(umem))
		return PTR_ERR(umem);
	if (bytes)
		*bytes = bench_alloc_bytes(umem->bvecs) +
			 bench_map_bytes(&umem->dma) - sizeof(umem->dma);
	ib_umem_release(umem);
	return 0;
}

static void bench_umem(struct kunit *test, struct device *dev, const char *via)
{
	static const struct {
		const char *name;
		int advice;
	} shapes[] = {
		{ "scattered 4KiB pages", MADV_NOHUGEPAGE },
		{ "2MiB huge pages", MADV_HUGEPAGE },
	};
	struct device_dma_parameters *saved = dev->dma_parms, parms = {
		/* What RDMA drivers set; the default 64 KiB would split. */
		.max_segment_size = SZ_2G,
		.segment_boundary_mask = ULONG_MAX,
	};
	u64 a[BENCH_UMEM_REPS], b[BENCH_UMEM_REPS];
	u64 npages = BENCH_UMEM_LEN >> PAGE_SHIFT;
	struct ib_device *ibdev;
	char name[96];
	int k, rep;

	ibdev = kunit_kzalloc(test, sizeof(*ibdev), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ibdev);
	ibdev->dma_device = dev;
	dev->dma_parms = &parms;
	for (k = 0; k < ARRAY_SIZE(shapes); k++) {
		unsigned long map, user, i;
		size_t bytes_a, bytes_b;

		/* 2 MiB more, so that a huge page can be aligned. */
		map = kunit_vm_mmap(test, NULL, 0, BENCH_UMEM_LEN + SZ_2M,
				    PROT_READ | PROT_WRITE,
				    MAP_ANONYMOUS | MAP_PRIVATE, 0);
		KUNIT_ASSERT_NE(test, map, 0UL);
		user = ALIGN(map, SZ_2M);
		if (do_madvise(current->mm, user, BENCH_UMEM_LEN,
			       shapes[k].advice) &&
		    shapes[k].advice == MADV_HUGEPAGE) {
			kunit_info(test, "dma_sg_bench note: umem: no huge pages (CONFIG_TRANSPARENT_HUGEPAGE), row skipped\n");
			vm_munmap(map, BENCH_UMEM_LEN + SZ_2M);
			continue;
		}
		/*
		 * Fault every page in, so that both sides only pin; from the
		 * top down, so that 4 KiB pages are not physically in order.
		 */
		for (i = BENCH_UMEM_LEN; i; i -= PAGE_SIZE)
			KUNIT_ASSERT_EQ(test, put_user(1, (u8 __user *)(user + i -
									PAGE_SIZE)), 0);

		KUNIT_ASSERT_EQ(test, bench_umem_dma_sg(ibdev, user, &bytes_a), 0);
		KUNIT_ASSERT_EQ(test, bench_umem_sg(dev, user, npages, &bytes_b), 0);
		snprintf(name, sizeof(name), "ib_umem tables, 1GiB of %s, via %s",
			 shapes[k].name, via);
		bench_emit(test, "umem", name, bytes_a, bytes_b, 1, "bytes");

		for (rep = 0; rep < BENCH_UMEM_REPS; rep++) {
			u64 t0;
			int side;

			for (side = 0; side < 2; side++) {
				bool ours = (rep & 1) == side;
				int ret;

				t0 = ktime_get_ns();
				if (ours)
					ret = bench_umem_dma_sg(ibdev, user, NULL);
				else
					ret = bench_umem_sg(dev, user, npages, NULL);
				if (ours)
					a[rep] = ktime_get_ns() - t0;
				else
					b[rep] = ktime_get_ns() - t0;
				KUNIT_ASSERT_EQ(test, ret, 0);
			}
		}
		snprintf(name, sizeof(name), "ib_umem get+release, 1GiB of %s, via %s",
			 shapes[k].name, via);
		bench_emit(test, "umem", name, bench_median(a, BENCH_UMEM_REPS),
			   bench_median(b, BENCH_UMEM_REPS), npages, "ns/4KiB-page");
		/* One GiB at a time: the guest has three. */
		vm_munmap(map, BENCH_UMEM_LEN + SZ_2M);
	}
	dev->dma_parms = saved;
}

static void dma_sg_bench_umem(struct kunit *test)
{
	bench_each_dev(test, "dma_sg_bench_umem", bench_umem);
}
#else
static void dma_sg_bench_umem(struct kunit *test)
{
	kunit_skip(test, "needs CONFIG_INFINIBAND_USER_MEM built in");
}
#endif

#if IS_ENABLED(CONFIG_PCI_P2PDMA) && IS_ENABLED(CONFIG_PCI_P2P_BAR)
/*
 * P2P: BARs of QEMU ivshmem-plain devices, which no driver binds, so that
 * the benchmark can register them both ways: as 6.12 ZONE_DEVICE memory
 * with pci_p2pdma_add_resource() and page-lessly with
 * pci_p2p_bar_register().
 */
#define BENCH_IVSHMEM_VENDOR	0x1af4
#define BENCH_IVSHMEM_DEVICE	0x1110
#define BENCH_IVSHMEM_BAR	2
#define BENCH_P2P_MAX		24
#define BENCH_P2P_RANGES	4096

/*
 * @size[i] is the part of BAR i that has struct pages: all of it, unless
 * the guest lacked the memory for its memmap.
 */
struct bench_p2p {
	int err;
	bool done;
	u64 pgmap_bytes;
	u64 pgmap_bar_size;
	struct pci_dev *client;
	struct pci_dev *pdev[BENCH_P2P_MAX];
	u64 size[BENCH_P2P_MAX];
	struct pci_p2p_bar *bar[BENCH_P2P_MAX];
	int n;
};

static struct bench_p2p bench_p2p;

/*
 * Memory in use, in bytes: free pages with the per-CPU page lists drained
 * and the per-CPU counter deltas added in, so that it is exact while
 * nothing else runs.
 */
static u64 bench_used_bytes(void)
{
	unsigned long free = 0;
	struct zone *zone;

	drain_all_pages(NULL);
	for_each_populated_zone(zone)
		free += zone_page_state_snapshot(zone, NR_FREE_PAGES);
	return (u64)(totalram_pages() - free) << PAGE_SHIFT;
}

/*
 * Finds the ivshmem BARs, largest first, and registers each both ways.
 * The largest one's ZONE_DEVICE registration is the measured one.
 */
static int __bench_p2p_setup(struct kunit *test, struct bench_p2p *p)
{
	struct pci_dev *pdev = NULL;
	u64 used, memmap, size;
	int i, j, ret;

	p->client = bench_iommu_pdev();
	if (!p->client)
		p->client = pci_get_device(BENCH_EDU_VENDOR, BENCH_EDU_DEVICE, NULL);
	if (!p->client)
		return -ENODEV;
	/* The BENCH_P2P_MAX largest assigned BARs, largest first. */
	while ((pdev = pci_get_device(BENCH_IVSHMEM_VENDOR, BENCH_IVSHMEM_DEVICE,
				      pdev))) {
		if (!pci_resource_start(pdev, BENCH_IVSHMEM_BAR) ||
		    (pci_resource_flags(pdev, BENCH_IVSHMEM_BAR) & IORESOURCE_UNSET)) {
			kunit_info(test, "dma_sg_bench note: %s: BAR %d unassigned, skipped\n",
				   pci_name(pdev), BENCH_IVSHMEM_BAR);
			continue;
		}
		size = pci_resource_len(pdev, BENCH_IVSHMEM_BAR);
		for (i = p->n; i > 0 &&
		     pci_resource_len(p->pdev[i - 1], BENCH_IVSHMEM_BAR) < size; i--)
			if (i < BENCH_P2P_MAX)
				p->pdev[i] = p->pdev[i - 1];
			else
				pci_dev_put(p->pdev[i - 1]);
		if (i < BENCH_P2P_MAX) {
			p->pdev[i] = pci_dev_get(pdev);
			p->n = min(p->n + 1, BENCH_P2P_MAX);
		}
	}
	if (!p->n)
		return -ENODEV;

	for (i = 0; i < p->n; i++) {
		size = pci_resource_len(p->pdev[i], BENCH_IVSHMEM_BAR);
		used = bench_used_bytes();
		ret = pci_p2pdma_add_resource(p->pdev[i], BENCH_IVSHMEM_BAR, size, 0);
		if (ret == -ENOMEM && size > SZ_128M) {
			kunit_info(test, "dma_sg_bench note: no memory for the struct pages of a %llu MiB BAR; using its first 128 MiB\n",
				   size >> 20);
			size = SZ_128M;
			used = bench_used_bytes();
			ret = pci_p2pdma_add_resource(p->pdev[i], BENCH_IVSHMEM_BAR,
						      size, 0);
		}
		memmap = bench_used_bytes() - used;
		if (ret)
			return ret;
		p->size[i] = size;
		if (!i) {
			p->pgmap_bytes = memmap;
			p->pgmap_bar_size = size;
		}
		ret = pci_p2p_bar_register(p->pdev[i], BENCH_IVSHMEM_BAR, 0, 0,
					   &p->bar[i]);
		if (ret)
			return ret;
	}
	/* Warm both map-type caches for the client. */
	for (j = 0; j < p->n; j++)
		pci_p2p_bar_map_type(p->bar[j], &p->client->dev);
	return 0;
}

/* Once per boot; both P2P cases share the registrations. */
static int bench_p2p_setup(struct kunit *test, struct bench_p2p *p)
{
	if (!p->done) {
		p->err = __bench_p2p_setup(test, p);
		p->done = true;
	}
	return p->err;
}

#define BENCH_P2P_REGS	512

/*
 * The registry allocates one small struct per registration, plus a map
 * type cache entry per client: too small for the page counters to see
 * one, so the same BAR is registered BENCH_P2P_REGS times (registrations
 * may overlap) and the growth divided.  The 6.12 figure is what
 * pci_p2pdma_add_resource() of the largest BAR took (memmap, page tables,
 * pgmap), scaled linearly to 64 GiB unless the BAR is that big.
 */
static void dma_sg_bench_p2p_memory(struct kunit *test)
{
	struct bench_p2p *p = &bench_p2p;
	u64 used, dyn, size, scale;
	struct pci_p2p_bar **bars;
	char name[96], sz[16];
	int i, ret;

	bench_start(test);
	ret = bench_p2p_setup(test, p);
	if (ret == -ENODEV)
		kunit_skip(test, "no ivshmem-plain BARs and edu client (see bench.sh)");
	KUNIT_ASSERT_EQ(test, ret, 0);
	bars = kunit_kcalloc(test, BENCH_P2P_REGS, sizeof(*bars), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, bars);
	size = pci_resource_len(p->pdev[0], BENCH_IVSHMEM_BAR);
	used = bench_used_bytes();
	for (i = 0; i < BENCH_P2P_REGS; i++) {
		KUNIT_ASSERT_EQ(test, pci_p2p_bar_register(p->pdev[0], BENCH_IVSHMEM_BAR,
							   0, 0, &bars[i]), 0);
		pci_p2p_bar_map_type(bars[i], &p->client->dev);
	}
	dyn = bench_used_bytes() - used;
	for (i = 0; i < BENCH_P2P_REGS; i++)
		KUNIT_EXPECT_EQ(test, pci_p2p_bar_unregister(bars[i]), 0);

	bench_size_name(sz, sizeof(sz), p->pgmap_bar_size);
	kunit_info(test, "dma_sg_bench note: pci_p2pdma_add_resource() of a %s BAR took %llu KiB (its struct pages alone: %llu KiB); pci_p2p_bar_register() of a %llu MiB BAR took %llu bytes (mean of %d, map type cached for one client), and the id table, allocated at the first registration, is %zu bytes for all ids\n",
		   sz, p->pgmap_bytes >> 10,
		   ((p->pgmap_bar_size >> PAGE_SHIFT) * sizeof(struct page)) >> 10,
		   size >> 20, div_u64(dyn, BENCH_P2P_REGS), BENCH_P2P_REGS,
		   (size_t)(DMA_SG_BAR_ID_MAX + 1) * sizeof(void *));
	scale = div64_u64(SZ_64G, p->pgmap_bar_size);
	if (scale == 1)
		snprintf(name, sizeof(name), "register 64 GiB BAR (both measured)");
	else
		snprintf(name, sizeof(name),
			 "register 64 GiB BAR (6.12 scaled x%llu from %s)",
			 scale, sz);
	bench_emit(test, "p2p", name, dyn, p->pgmap_bytes * scale * BENCH_P2P_REGS,
		   BENCH_P2P_REGS, "bytes");
	bench_emit(test, "p2p", "same, dma_sg with its whole id table",
		   dyn + (u64)BENCH_P2P_REGS * (DMA_SG_BAR_ID_MAX + 1) * sizeof(void *),
		   p->pgmap_bytes * scale * BENCH_P2P_REGS, BENCH_P2P_REGS, "bytes");
}

/*
 * What dma_sg_map_*() does per P2P range: a lookup through the mapping's
 * BAR references, which hold one reference per BAR until the release.
 */
static u64 bench_classify_dma_sg(struct device *client,
				 const struct dma_sg_phys *r, int n)
{
	const struct pci_p2p_bar_map *map;
	struct pci_p2p_bar_refs refs;
	u64 t0, t1, sum = 0;
	int i;

	t0 = ktime_get_ns();
	pci_p2p_bar_refs_init(&refs);
	for (i = 0; i < n; i++) {
		map = pci_p2p_bar_refs_lookup(&refs, dma_sg_phys_bar(&r[i]),
					      client, r[i].paddr,
					      dma_sg_phys_len(&r[i]),
					      GFP_KERNEL);
		if (!IS_ERR(map))
			sum += map->type + map->bus_offset;
	}
	pci_p2p_bar_refs_release(&refs);
	t1 = ktime_get_ns();
	WRITE_ONCE(bench_sink, bench_sink + sum);
	return t1 - t0;
}

/* dma_direct_map_sg()'s P2P step in 6.12, with its state across the list. */
static u64 bench_classify_pgmap(struct device *client, struct scatterlist *sgl,
				int n)
{
	struct pci_p2pdma_map_state state = {};
	struct scatterlist *sg;
	u64 t0, t1, sum = 0;
	int i;

	t0 = ktime_get_ns();
	for_each_sg(sgl, sg, n, i) {
		if (is_pci_p2pdma_page(sg_page(sg)))
			sum += pci_p2pdma_map_segment(&state, client, sg) +
			       state.bus_off;
	}
	t1 = ktime_get_ns();
	WRITE_ONCE(bench_sink, bench_sink + sum);
	return t1 - t0;
}

static void bench_classify(struct kunit *test, struct bench_p2p *p, int nbars)
{
	u64 a[BENCH_MAX_REPS], b[BENCH_MAX_REPS];
	struct scatterlist *sgl;
	struct dma_sg_phys *r;
	char name[64];
	int i, rep;

	r = kunit_kcalloc(test, BENCH_P2P_RANGES, sizeof(*r), GFP_KERNEL);
	sgl = kunit_kcalloc(test, BENCH_P2P_RANGES, sizeof(*sgl), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_ASSERT_NOT_NULL(test, sgl);
	sg_init_table(sgl, BENCH_P2P_RANGES);
	/* Round-robin over the BARs: the worst case for 6.12's one-entry cache. */
	for (i = 0; i < BENCH_P2P_RANGES; i++) {
		int k = i % nbars;
		u64 pages = p->size[k] >> PAGE_SHIFT;
		u64 off = (u64)(i / nbars) % pages << PAGE_SHIFT;
		phys_addr_t pa = pci_resource_start(p->pdev[k], BENCH_IVSHMEM_BAR) +
				 off;

		KUNIT_ASSERT_EQ(test, pci_p2p_bar_phys_set(&r[i], p->bar[k],
							   &p->client->dev, off,
							   PAGE_SIZE), 0);
		sg_set_page(&sgl[i], pfn_to_page(PHYS_PFN(pa)), PAGE_SIZE, 0);
		KUNIT_ASSERT_TRUE(test, is_pci_p2pdma_page(sg_page(&sgl[i])));
	}
	for (rep = 0; rep < BENCH_MAX_REPS; rep++) {
		if (rep & 1) {
			b[rep] = bench_classify_pgmap(&p->client->dev, sgl,
						      BENCH_P2P_RANGES);
			a[rep] = bench_classify_dma_sg(&p->client->dev, r,
						       BENCH_P2P_RANGES);
		} else {
			a[rep] = bench_classify_dma_sg(&p->client->dev, r,
						       BENCH_P2P_RANGES);
			b[rep] = bench_classify_pgmap(&p->client->dev, sgl,
						      BENCH_P2P_RANGES);
		}
	}
	snprintf(name, sizeof(name), "classify, %d BAR%s round-robin", nbars,
		 nbars > 1 ? "s" : "");
	bench_emit(test, "p2p", name, bench_median(a, BENCH_MAX_REPS),
		   bench_median(b, BENCH_MAX_REPS), BENCH_P2P_RANGES, "ns/range");
}

#define BENCH_P2PMEM_PAGES	4096

/*
 * Map + unmap of P2PDMA pages (the first BAR's ZONE_DEVICE pages, in a
 * shuffled order) for the client: dma_sg_map_pages() against
 * sg_alloc_table_from_pages() + dma_map_sgtable(), as for RAM.
 */
static void bench_p2pmem_map(struct kunit *test, struct bench_p2p *p)
{
	static const u64 sizes[] = { SZ_64K, SZ_16M };
	u64 a[BENCH_MAX_REPS], b[BENCH_MAX_REPS];
	struct device *dev = &p->client->dev;
	struct bench_pages bp = {};
	unsigned long pfn;
	char name[96], sz[16];
	bool collapsed = false;
	int k;
	u64 i;

	bp.n = min_t(u64, BENCH_P2PMEM_PAGES, p->size[0] >> PAGE_SHIFT);
	bp.pages = kunit_kcalloc(test, bp.n, sizeof(*bp.pages), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, bp.pages);
	pfn = PHYS_PFN(pci_resource_start(p->pdev[0], BENCH_IVSHMEM_BAR));
	for (i = 0; i < bp.n; i++)
		bp.pages[i] = pfn_to_page(pfn + i);
	KUNIT_ASSERT_TRUE(test, is_pci_p2pdma_page(bp.pages[0]));
	bench_pages_shuffle(&bp);

	for (k = 0; k < ARRAY_SIZE(sizes); k++) {
		u64 npages = min_t(u64, sizes[k] >> PAGE_SHIFT, bp.n);
		int loops = max_t(u64, 1, BENCH_MAP_MIN_PAGES / npages);

		bench_map_pair(test, dev, &bp, npages, BENCH_MAX_REPS, a, b,
			       &collapsed);
		bench_size_name(sz, sizeof(sz), npages << PAGE_SHIFT);
		snprintf(name, sizeof(name), "map+unmap %s of p2pmem pages%s", sz,
			 collapsed ? " (one IOVA range)" : "");
		bench_emit(test, "p2p", name, bench_median(a, BENCH_MAX_REPS),
			   bench_median(b, BENCH_MAX_REPS), npages * loops,
			   "ns/4KiB-page");
	}
}

static void dma_sg_bench_p2p_classify(struct kunit *test)
{
	struct bench_p2p *p = &bench_p2p;
	int ret, type;

	bench_start(test);
	ret = bench_p2p_setup(test, p);
	if (ret == -ENODEV)
		kunit_skip(test, "no ivshmem-plain BARs and edu client (see bench.sh)");
	KUNIT_ASSERT_EQ(test, ret, 0);
	type = pci_p2p_bar_map_type(p->bar[0], &p->client->dev);
	kunit_info(test, "dma_sg_bench note: %d BARs; map type for %s: %d (%s)\n",
		   p->n, pci_name(p->client), type,
		   type < 0 ? "refused" : type == DMA_SG_MAP_BUS_ADDR ?
		   "bus address" : "host bridge");
	bench_classify(test, p, 1);
	if (p->n >= BENCH_P2P_MAX)
		bench_classify(test, p, BENCH_P2P_MAX);
	else
		kunit_info(test, "dma_sg_bench note: only %d BARs, no 24-BAR case\n",
			   p->n);
	bench_p2pmem_map(test, p);
}
#else
static void dma_sg_bench_p2p_memory(struct kunit *test)
{
	bench_start(test);
	kunit_skip(test, "needs CONFIG_PCI_P2PDMA and CONFIG_PCI_P2P_BAR");
}

static void dma_sg_bench_p2p_classify(struct kunit *test)
{
	bench_start(test);
	kunit_skip(test, "needs CONFIG_PCI_P2PDMA and CONFIG_PCI_P2P_BAR");
}
#endif

static struct kunit_case dma_sg_bench_cases[] = {
	KUNIT_CASE_SLOW(dma_sg_bench_core_memory),
	KUNIT_CASE_SLOW(dma_sg_bench_core_speed),
	KUNIT_CASE_SLOW(dma_sg_bench_map_direct),
	KUNIT_CASE_SLOW(dma_sg_bench_map_iommu),
	KUNIT_CASE_SLOW(dma_sg_bench_vram),
	KUNIT_CASE_SLOW(dma_sg_bench_umem),
	KUNIT_CASE_SLOW(dma_sg_bench_p2p_memory),
	KUNIT_CASE_SLOW(dma_sg_bench_p2p_classify),
	{}
};

static struct kunit_suite dma_sg_bench_suite = {
	.name = "dma_sg_bench",
	.test_cases = dma_sg_bench_cases,
};

kunit_test_suite(dma_sg_bench_suite);

MODULE_DESCRIPTION("dma_sg benchmarks against struct scatterlist");
MODULE_LICENSE("GPL");
