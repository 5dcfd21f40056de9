// SPDX-License-Identifier: GPL-2.0
/*
 * dma_sg mapping: CPU-side ranges to a dma_sg table, with no scatterlist
 *
 * A map runs in three steps.  One walk over the input counts and checks
 * it and decides whether the IOMMU can take it as one IOVA range.  A
 * second walk maps each range into a record.  Then the table is built
 * from the records.  Only a complete mapping is announced to dma-debug
 * and the tracepoints, so an unwind has nothing to take back there.
 *
 * Mixing rule: a table may hold system memory (DMA_SG_MAP_MEM), host
 * bridge P2P (DMA_SG_MAP_HOST_BRIDGE) and bus-address P2P ranges
 * (DMA_SG_MAP_BUS_ADDR) in any order.  MEM and HOST_BRIDGE ranges take
 * the same path and share the IOVA range when it collapses, but
 * HOST_BRIDGE ranges are never synced or bounced.  BUS_ADDR ranges never
 * reach the IOMMU or swiotlb: their entries hold the bus address, in
 * input order between the IOVA pieces.
 */
#include <linux/bvec.h>
#include <linux/dma-map-ops.h>
#include <linux/dma_sg_map.h>
#include <linux/export.h>
#include <linux/iommu-dma.h>
#include <linux/mm.h>
#include <linux/pci-p2p-bar.h>
#include <linux/slab.h>
#include <linux/swiotlb.h>
#include <trace/events/dma.h>

#include "debug.h"
#include "direct.h"

/*
 * 6.12 declares the iommu_dma_*() calls without stubs: every call sits
 * behind this test, so that it compiles away without CONFIG_IOMMU_DMA.
 */
static bool dma_sg_iommu(const struct dma_sg_map *map)
{
	return IS_ENABLED(CONFIG_IOMMU_DMA) &&
	       (map->backend == DMA_SG_BACKEND_IOMMU ||
		map->backend == DMA_SG_BACKEND_IOVA);
}

enum dma_sg_src_type {
	DMA_SG_SRC_PHYS,
	DMA_SG_SRC_PAGES,
	DMA_SG_SRC_BVECS,
};

/* The caller's input, walked as a sequence of struct dma_sg_phys. */
struct dma_sg_src {
	enum dma_sg_src_type type;
	union {
		const struct dma_sg_phys *phys;
		struct page **pages;
		const struct bio_vec *bv;
	};
	u64 nr;
	u64 offset;	/* pages: offset of the first byte in pages[0] */
	u64 size;	/* pages: bytes in all */
};

struct dma_sg_cursor {
	u64 idx;
	u64 done;
};

static int dma_sg_next_phys(const struct dma_sg_src *src,
			    struct dma_sg_cursor *c, struct dma_sg_phys *out)
{
	const struct dma_sg_phys *p = &src->phys[c->idx++];

	/* Callers may fill the flag bits by hand: check them like _set(). */
	return dma_sg_phys_set(out, p->paddr, dma_sg_phys_len(p),
			       dma_sg_phys_hint(p), dma_sg_phys_bar(p));
}

/* One run of physically contiguous pages. */
static int dma_sg_next_pages(const struct dma_sg_src *src,
			     struct dma_sg_cursor *c, struct dma_sg_phys *out)
{
	u64 off = src->offset + c->done;
	u64 idx = off >> PAGE_SHIFT;
	phys_addr_t start = page_to_phys(src->pages[idx]) + offset_in_page(off);
	u64 len = min_t(u64, src->size - c->done,
			PAGE_SIZE - offset_in_page(off));

	while (c->done + len < src->size &&
	       page_to_phys(src->pages[++idx]) == start + len)
		len += min_t(u64, PAGE_SIZE, src->size - c->done - len);
	c->done += len;
	return dma_sg_phys_set(out, start, len, DMA_SG_MAP_MEM, 0);
}

/* One run of physically contiguous bio_vecs. */
static int dma_sg_next_bvecs(const struct dma_sg_src *src,
			     struct dma_sg_cursor *c, struct dma_sg_phys *out)
{
	const struct bio_vec *bv = &src->bv[c->idx++];
	phys_addr_t start = bvec_phys(bv);
	u64 len = bv->bv_len;

	while (len && c->idx < src->nr && src->bv[c->idx].bv_len &&
	       bvec_phys(&src->bv[c->idx]) == start + len)
		len += src->bv[c->idx++].bv_len;
	return dma_sg_phys_set(out, start, len, DMA_SG_MAP_MEM, 0);
}

/* Return 1 and the next range, 0 at the end, or -EINVAL for bad input. */
static int dma_sg_src_next(const struct dma_sg_src *src,
			   struct dma_sg_cursor *c, struct dma_sg_phys *out)
{
	int ret;

	switch (src->type) {
	case DMA_SG_SRC_PHYS:
		if (c->idx == src->nr)
			return 0;
		ret = dma_sg_next_phys(src, c, out);
		break;
	case DMA_SG_SRC_PAGES:
		if (c->done == src->size)
			return 0;
		ret = dma_sg_next_pages(src, c, out);
		break;
	default:
		if (c->idx == src->nr)
			return 0;
		ret = dma_sg_next_bvecs(src, c, out);
		break;
	}
	return ret ? ret : 1;
}

/* What the first walk learns about the input. */
struct dma_sg_plan {
	u64 nr;			/* ranges: an upper bound on records */
	u64 iova_len;		/* bytes that need the IOMMU */
	phys_addr_t iova_phys;	/* the first of them */
	bool collapse;		/* they can share one IOVA range */
};

/* Records a range of @len becomes when mapped in pieces of @chop bytes. */
static u64 dma_sg_pieces(u64 len, u64 chop)
{
	return len <= chop ? 1 : div64_u64(len - 1, chop) + 1;
}

static int dma_sg_plan(struct device *dev, const struct dma_sg_src *src,
		       bool iommu, u64 chop, struct dma_sg_plan *plan)
{
	u64 mask = 0;
	struct dma_sg_cursor c = {};
	struct dma_sg_phys r;
	bool end_aligned = true;
	u64 total = 0;
	int ret;

	if (IS_ENABLED(CONFIG_IOMMU_DMA) && iommu)
		mask = iommu_dma_get_merge_boundary(dev);
	*plan = (struct dma_sg_plan) { .collapse = iommu };
	while ((ret = dma_sg_src_next(src, &c, &r)) > 0) {
		phys_addr_t paddr = r.paddr;
		u64 len = dma_sg_phys_len(&r);

		plan->nr += dma_sg_pieces(len, dma_sg_phys_hint(&r) ==
					  DMA_SG_MAP_MEM ? chop : U64_MAX);
		/* The DMA API takes size_t lengths. */
		if (check_add_overflow(total, len, &total) ||
		    len != (size_t)len)
			return -EOVERFLOW;
		if (dma_sg_phys_hint(&r) == DMA_SG_MAP_BUS_ADDR)
			continue;
		/* Inner boundaries of an IOVA range must be granule aligned. */
		if (!plan->iova_len)
			plan->iova_phys = paddr;
		else if ((paddr & mask) || !end_aligned)
			plan->collapse = false;
		end_aligned = !((paddr + len) & mask);
		if (check_add_overflow(plan->iova_len, len, &plan->iova_len))
			return -EOVERFLOW;
	}
	if (ret < 0)
		return ret;
	if (!plan->nr)
		return -EINVAL;
	plan->collapse &= plan->iova_len &&
			  plan->iova_len == (size_t)plan->iova_len;
	return 0;
}

/* dma_direct_map_page() without the page: @phys need not be RAM. */
static dma_addr_t dma_sg_direct_map(struct device *dev, phys_addr_t phys,
				    u64 len, enum dma_data_direction dir,
				    unsigned long attrs)
{
	dma_addr_t dma = phys_to_dma(dev, phys);

	if (is_swiotlb_force_bounce(dev))
		return swiotlb_map(dev, phys, len, dir, attrs);
	if (unlikely(!dma_capable(dev, dma, len, true)) ||
	    dma_kmalloc_needs_bounce(dev, len, dir)) {
		if (is_swiotlb_active(dev))
			return swiotlb_map(dev, phys, len, dir, attrs);
		return DMA_MAPPING_ERROR;
	}
	if (!dev_is_dma_coherent(dev) && !(attrs & DMA_ATTR_SKIP_CPU_SYNC))
		arch_sync_dma_for_device(phys, len, dir);
	return dma;
}

static dma_addr_t dma_sg_map_mem(struct dma_sg_map *map, phys_addr_t phys,
				 u64 len, dma_addr_t *iova_next)
{
	struct device *dev = map->dev;
	struct page *page = pfn_to_page(PHYS_PFN(phys));
	dma_addr_t addr;

	if (map->backend == DMA_SG_BACKEND_DIRECT)
		return dma_sg_direct_map(dev, phys, len, map->dir, map->attrs);
	if (!dma_sg_iommu(map))
		return dma_map_page_attrs(dev, page, offset_in_page(phys), len,
					  map->dir, map->attrs);
	if (map->backend == DMA_SG_BACKEND_IOMMU)
		return iommu_dma_map_page(dev, page, offset_in_page(phys), len,
					  map->dir, map->attrs);
	addr = *iova_next;
	if (iommu_dma_iova_link(dev, addr, phys, len, map->dir, map->attrs,
				false))
		return DMA_MAPPING_ERROR;
	*iova_next += len;
	return addr;
}

/* Host bridge P2P: mapped like dma_map_resource(). */
static dma_addr_t dma_sg_map_mmio(struct dma_sg_map *map, phys_addr_t phys,
				  u64 len, dma_addr_t *iova_next)
{
	struct device *dev = map->dev;
	dma_addr_t addr;

	if (map->backend == DMA_SG_BACKEND_DIRECT) {
		/* As dma_direct_map_resource(), minus its WARN. */
		if (!dma_capable(dev, phys, len, false))
			return DMA_MAPPING_ERROR;
		return phys;
	}
	if (!dma_sg_iommu(map))
		return dma_map_resource(dev, phys, len, map->dir, map->attrs);
	if (map->backend == DMA_SG_BACKEND_IOMMU)
		return iommu_dma_map_resource(dev, phys, len, map->dir,
					      map->attrs);
	addr = *iova_next;
	if (iommu_dma_iova_link(dev, addr, phys, len, map->dir, map->attrs,
				true))
		return DMA_MAPPING_ERROR;
	*iova_next += len;
	return addr;
}

/* Is @rec plain memory mapped 1:1 or into the shared IOVA range? */
static bool dma_sg_rec_mergeable(const struct dma_sg_map *map,
				 const struct dma_sg_map_rec *rec)
{
	if (dma_sg_phys_hint(&rec->src) != DMA_SG_MAP_MEM)
		return false;
	if (map->backend == DMA_SG_BACKEND_IOVA)
		return true;
	/* A bounced range lives in its own swiotlb slots. */
	return map->backend == DMA_SG_BACKEND_DIRECT &&
	       rec->addr == phys_to_dma(map->dev, rec->src.paddr);
}

/* Append @rec, or grow the last record when both are contiguous. */
static void dma_sg_add_rec(struct dma_sg_map *map,
			   const struct dma_sg_map_rec *rec)
{
	struct dma_sg_map_rec *last;
	u64 len = dma_sg_phys_len(&rec->src);
	u64 last_len;

	last = map->nr_recs ? &map->recs[map->nr_recs - 1] : NULL;
	if (last && dma_sg_rec_mergeable(map, rec) &&
	    dma_sg_rec_mergeable(map, last)) {
		last_len = dma_sg_phys_len(&last->src);
		if (last->src.paddr + last_len == rec->src.paddr &&
		    last->addr + last_len == rec->addr &&
		    len <= DMA_SG_PHYS_LEN_MAX - last_len) {
			last->src.len_flags += len;
			return;
		}
	}
	map->recs[map->nr_recs++] = *rec;
}

static int dma_sg_map_range(struct dma_sg_map *map,
			    const struct dma_sg_phys *r, dma_addr_t *iova_next)
{
	enum dma_sg_map_hint hint = dma_sg_phys_hint(r);
	u32 bar = dma_sg_phys_bar(r);
	u64 len = dma_sg_phys_len(r);
	struct dma_sg_map_rec rec = { .src = *r };
	struct pci_p2p_bar_map p2p;
	int ret;

	if (hint == DMA_SG_MAP_MEM) {
		rec.addr = dma_sg_map_mem(map, r->paddr, len, iova_next);
		if (rec.addr == DMA_MAPPING_ERROR)
			return -EIO;
		dma_sg_add_rec(map, &rec);
		return 0;
	}

	/* Takes a reference on the BAR that dma_sg_unmap() drops. */
	ret = pci_p2p_bar_get_map(bar, map->dev, r->paddr, len, &p2p);
	if (ret)
		return ret;
	ret = -EREMOTEIO;
	if (p2p.type != hint)
		goto put;
	ret = -EIO;
	if (hint == DMA_SG_MAP_BUS_ADDR) {
		rec.addr = pci_p2p_bar_bus_addr(&p2p, r->paddr);
		if (!dma_capable(map->dev, rec.addr, len, false))
			goto put;
	} else {
		rec.addr = dma_sg_map_mmio(map, r->paddr, len, iova_next);
		if (rec.addr == DMA_MAPPING_ERROR)
			goto put;
	}
	dma_sg_add_rec(map, &rec);
	return 0;
put:
	pci_p2p_bar_put(bar);
	return ret;
}

/* Does dma_sg_map report @rec to dma-debug and the tracepoints itself? */
static bool dma_sg_rec_announced(const struct dma_sg_map *map,
				 const struct dma_sg_map_rec *rec)
{
	return map->backend != DMA_SG_BACKEND_OPS &&
	       dma_sg_phys_hint(&rec->src) != DMA_SG_MAP_BUS_ADDR;
}

static void dma_sg_announce(const struct dma_sg_map *map)
{
	const struct dma_sg_map_rec *rec;
	u64 i;

	for (i = 0; i < map->nr_recs; i++) {
		phys_addr_t phys;
		u64 len;

		rec = &map->recs[i];
		if (!dma_sg_rec_announced(map, rec))
			continue;
		phys = rec->src.paddr;
		len = dma_sg_phys_len(&rec->src);
		if (dma_sg_phys_hint(&rec->src) == DMA_SG_MAP_MEM) {
			trace_dma_map_page(map->dev, phys, rec->addr, len,
					   map->dir, map->attrs);
			debug_dma_map_page(map->dev, pfn_to_page(PHYS_PFN(phys)),
					   offset_in_page(phys), len, map->dir,
					   rec->addr, map->attrs);
		} else {
			trace_dma_map_resource(map->dev, phys, rec->addr, len,
					       map->dir, map->attrs);
			debug_dma_map_resource(map->dev, phys, len, map->dir,
					       rec->addr, map->attrs);
		}
		/* dma_sg_map_range() checked it: tell dma-debug so. */
		debug_dma_mapping_error(map->dev, rec->addr);
	}
}

static void dma_sg_unmap_rec(const struct dma_sg_map *map,
			     const struct dma_sg_map_rec *rec,
			     unsigned long attrs, bool announced)
{
	enum dma_sg_map_hint hint = dma_sg_phys_hint(&rec->src);
	u64 len = dma_sg_phys_len(&rec->src);
	struct device *dev = map->dev;
	enum dma_data_direction dir = map->dir;

	if (hint == DMA_SG_MAP_MEM) {
		if (map->backend == DMA_SG_BACKEND_DIRECT)
			dma_direct_unmap_page(dev, rec->addr, len, dir, attrs);
		else if (!dma_sg_iommu(map))
			dma_unmap_page_attrs(dev, rec->addr, len, dir, attrs);
		else if (map->backend == DMA_SG_BACKEND_IOMMU)
			iommu_dma_unmap_page(dev, rec->addr, len, dir, attrs);
		/* The IOVA range itself goes in one piece later. */
		else if (!(attrs & DMA_ATTR_SKIP_CPU_SYNC))
			iommu_dma_sync_single_for_cpu(dev, rec->addr, len, dir);
		if (announced) {
			trace_dma_unmap_page(dev, rec->addr, len, dir, attrs);
			debug_dma_unmap_page(dev, rec->addr, len, dir);
		}
		return;
	}

	if (hint == DMA_SG_MAP_HOST_BRIDGE) {
		if (dma_sg_iommu(map) &&
		    map->backend == DMA_SG_BACKEND_IOMMU)
			iommu_dma_unmap_resource(dev, rec->addr, len, dir,
						 attrs);
		else if (map->backend == DMA_SG_BACKEND_OPS)
			dma_unmap_resource(dev, rec->addr, len, dir, attrs);
		if (announced) {
			trace_dma_unmap_resource(dev, rec->addr, len, dir,
						 attrs);
			debug_dma_unmap_resource(dev, rec->addr, len, dir);
		}
	}
	/* Bus addresses were never mapped: only the BAR reference goes. */
	pci_p2p_bar_put(dma_sg_phys_bar(&rec->src));
}

/* Undo everything; @linked is how much of the IOVA range is mapped. */
static void dma_sg_teardown(struct dma_sg_map *map, u64 linked,
			    unsigned long attrs, bool announced)
{
	u64 i;

	for (i = 0; i < map->nr_recs; i++)
		dma_sg_unmap_rec(map, &map->recs[i], attrs,
				 announced &&
				 dma_sg_rec_announced(map, &map->recs[i]));
	if (dma_sg_iommu(map) && map->backend == DMA_SG_BACKEND_IOVA)
		iommu_dma_iova_destroy(map->dev, map->iova, linked,
				       map->iova_len);
	dma_sg_table_free(&map->table);
	kvfree(map->recs);
	*map = (struct dma_sg_map) {};
	dma_sg_table_init(&map->table, 0);
}

/*
 * A max_segment_size of UINT_MAX is how drivers say "no limit", and
 * dma_parms cannot say more: take it as no limit so entries may pass 4 GiB.
 */
static u64 dma_sg_max_seg(struct device *dev)
{
	unsigned int max = dma_get_max_seg_size(dev);

	return max == UINT_MAX ? U64_MAX : max;
}

static int dma_sg_build_table(struct dma_sg_map *map, gfp_t gfp)
{
	u64 max_seg = dma_sg_max_seg(map->dev);
	u64 boundary = dma_get_seg_boundary(map->dev);
	u64 i;
	int ret;

	for (i = 0; i < map->nr_recs; i++) {
		ret = dma_sg_append_split(&map->table, map->recs[i].addr,
					  dma_sg_phys_len(&map->recs[i].src),
					  max_seg, boundary, gfp);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * swiotlb bounces each mapping into one slot run that must fit the
 * device's segment limits, as a scatterlist entry would: when swiotlb may
 * bounce, map memory in pieces that fit them.
 */
static u64 dma_sg_chop(const struct dma_sg_map *map)
{
	u64 boundary = dma_get_seg_boundary(map->dev);

	if (map->backend != DMA_SG_BACKEND_DIRECT ||
	    !is_swiotlb_active(map->dev))
		return U64_MAX;
	return min(dma_sg_max_seg(map->dev),
		   boundary == U64_MAX ? U64_MAX : boundary + 1);
}

static int dma_sg_map_chopped(struct dma_sg_map *map,
			      const struct dma_sg_phys *r, u64 chop,
			      dma_addr_t *iova_next)
{
	phys_addr_t paddr = r->paddr;
	u64 left = dma_sg_phys_len(r), piece;
	struct dma_sg_phys part;
	int ret;

	if (dma_sg_phys_hint(r) != DMA_SG_MAP_MEM || left <= chop)
		return dma_sg_map_range(map, r, iova_next);
	while (left) {
		piece = min(left, chop);
		dma_sg_phys_set(&part, paddr, piece, DMA_SG_MAP_MEM, 0);
		ret = dma_sg_map_range(map, &part, iova_next);
		if (ret)
			return ret;
		paddr += piece;
		left -= piece;
	}
	return 0;
}

static enum dma_sg_map_backend dma_sg_backend(struct device *dev)
{
	if (use_dma_iommu(dev))
		return DMA_SG_BACKEND_IOMMU;
	return get_dma_ops(dev) ? DMA_SG_BACKEND_OPS : DMA_SG_BACKEND_DIRECT;
}

static int dma_sg_map_src(struct dma_sg_map *map, struct device *dev,
			  const struct dma_sg_src *src,
			  enum dma_data_direction dir, unsigned long attrs,
			  gfp_t gfp)
{
	struct dma_sg_cursor c = {};
	struct dma_sg_plan plan;
	struct dma_sg_phys r;
	dma_addr_t iova_next = 0;
	u64 chop;
	int ret;

	*map = (struct dma_sg_map) {};
	dma_sg_table_init(&map->table, 0);
	if (!valid_dma_direction(dir) || !dev->dma_mask)
		return -EINVAL;

	map->dev = dev;
	map->dir = dir;
	map->attrs = attrs;
	map->backend = dma_sg_backend(dev);
	chop = dma_sg_chop(map);
	ret = dma_sg_plan(dev, src, map->backend == DMA_SG_BACKEND_IOMMU,
			  chop, &plan);
	if (ret)
		goto out_clear;
	ret = -ENOMEM;
	map->recs = kvmalloc_array(plan.nr, sizeof(*map->recs), gfp);
	if (!map->recs)
		goto out_clear;

	if (IS_ENABLED(CONFIG_IOMMU_DMA) && plan.collapse) {
		ret = iommu_dma_iova_alloc(dev, plan.iova_phys, plan.iova_len,
					   dir, &map->iova);
		if (!ret) {
			map->backend = DMA_SG_BACKEND_IOVA;
			map->iova_len = plan.iova_len;
			iova_next = map->iova;
		} else if (ret != -EOPNOTSUPP) {
			goto out_teardown;
		}
	}

	while ((ret = dma_sg_src_next(src, &c, &r)) > 0) {
		ret = dma_sg_map_chopped(map, &r, chop, &iova_next);
		if (ret)
			goto out_teardown;
	}
	ret = dma_sg_build_table(map, gfp);
	if (ret)
		goto out_teardown;
	dma_sg_announce(map);
	return 0;

out_teardown:
	/* Nothing reached the device yet: no CPU sync, no bounce copy. */
	dma_sg_teardown(map, iova_next - map->iova,
			attrs | DMA_ATTR_SKIP_CPU_SYNC, false);
	return ret;
out_clear:
	*map = (struct dma_sg_map) {};
	dma_sg_table_init(&map->table, 0);
	return ret;
}

/**
 * dma_sg_map_phys - map physical ranges for DMA
 * @map: the mapping to fill in.
 * @dev: the device that does the DMA.
 * @ranges: the ranges, from dma_sg_phys_set(); at least one.
 * @nr: number of entries in @ranges.
 * @dir: DMA direction.
 * @attrs: DMA attributes, kept for the unmap.
 * @gfp: allocation flags for the records and the table.
 *
 * Ranges need not be RAM-backed nor have a struct page, may pass 4 GiB,
 * and may mix the map hints as the file comment describes.  P2P ranges
 * must name a registered BAR whose map type for @dev is their hint.
 *
 * Return: 0 with @map->table ready; -EINVAL for bad input; -EOVERFLOW if
 * the lengths overflow; -ENOMEM; -EIO if a range cannot be mapped, for
 * instance past the DMA mask with no swiotlb; -EREMOTEIO if a P2P hint is
 * not the map type the BAR has for @dev, or the BAR registry's own error
 * (-ENOENT, -EINVAL, -EREMOTEIO).  On error nothing is mapped, nothing
 * stays allocated and @map is empty.
 */
int dma_sg_map_phys(struct dma_sg_map *map, struct device *dev,
		    const struct dma_sg_phys *ranges, u64 nr,
		    enum dma_data_direction dir, unsigned long attrs, gfp_t gfp)
{
	struct dma_sg_src src = {
		.type = DMA_SG_SRC_PHYS, .phys = ranges, .nr = nr,
	};

	return dma_sg_map_src(map, dev, &src, dir, attrs, gfp);
}
EXPORT_SYMBOL_GPL(dma_sg_map_phys);

/**
 * dma_sg_map_pages - map a page array for DMA
 * @map: the mapping to fill in.
 * @dev: the device that does the DMA.
 * @pages: the pages.
 * @n_pages: number of entries in @pages.
 * @offset: offset of the first byte in @pages[0].
 * @size: bytes to map, from @offset on; not zero.
 * @dir: DMA direction.
 * @attrs: DMA attributes, kept for the unmap.
 * @gfp: allocation flags for the records and the table.
 *
 * Takes what sg_alloc_table_from_pages() takes; physically contiguous
 * pages become one range.
 *
 * Return: as dma_sg_map_phys(); -EINVAL also if the pages do not hold
 * @offset + @size bytes.
 */
int dma_sg_map_pages(struct dma_sg_map *map, struct device *dev,
		     struct page **pages, u64 n_pages, u64 offset, u64 size,
		     enum dma_data_direction dir, unsigned long attrs,
		     gfp_t gfp)
{
	struct dma_sg_src src = {
		.type = DMA_SG_SRC_PAGES, .pages = pages, .nr = n_pages,
		.offset = offset, .size = size,
	};
	u64 end;

	if (!size || check_add_overflow(offset, size, &end) ||
	    n_pages > U64_MAX >> PAGE_SHIFT || end > n_pages << PAGE_SHIFT) {
		*map = (struct dma_sg_map) {};
		dma_sg_table_init(&map->table, 0);
		return -EINVAL;
	}
	return dma_sg_map_src(map, dev, &src, dir, attrs, gfp);
}
EXPORT_SYMBOL_GPL(dma_sg_map_pages);

/**
 * dma_sg_map_bvecs - map bio_vecs for DMA
 * @map: the mapping to fill in.
 * @dev: the device that does the DMA.
 * @bv: the bio_vecs; multi-page ones are fine.
 * @nr: number of entries in @bv; at least one.
 * @dir: DMA direction.
 * @attrs: DMA attributes, kept for the unmap.
 * @gfp: allocation flags for the records and the table.
 *
 * Physically contiguous bio_vecs become one range.
 *
 * Return: as dma_sg_map_phys(); -EINVAL also for a zero-length bio_vec.
 */
int dma_sg_map_bvecs(struct dma_sg_map *map, struct device *dev,
		     const struct bio_vec *bv, u64 nr,
		     enum dma_data_direction dir, unsigned long attrs,
		     gfp_t gfp)
{
	struct dma_sg_src src = {
		.type = DMA_SG_SRC_BVECS, .bv = bv, .nr = nr,
	};

	return dma_sg_map_src(map, dev, &src, dir, attrs, gfp);
}
EXPORT_SYMBOL_GPL(dma_sg_map_bvecs);

/**
 * dma_sg_unmap - unmap a mapping and free its table
 * @map: a mapping filled in by a dma_sg_map_*() call.
 *
 * Uses the device, direction and attributes of the map call, syncs for
 * the CPU unless DMA_ATTR_SKIP_CPU_SYNC was given, and drops the P2P BAR
 * references.  @map is left empty; unmapping an empty map does nothing.
 */
void dma_sg_unmap(struct dma_sg_map *map)
{
	if (map->backend == DMA_SG_BACKEND_NONE)
		return;
	dma_sg_teardown(map, map->iova_len, map->attrs, true);
}
EXPORT_SYMBOL_GPL(dma_sg_unmap);

static void dma_sg_sync_rec(const struct dma_sg_map *map, dma_addr_t addr,
			    u64 len, bool for_cpu)
{
	struct device *dev = map->dev;
	enum dma_data_direction dir = map->dir;

	if (map->backend == DMA_SG_BACKEND_DIRECT) {
		if (for_cpu)
			dma_direct_sync_single_for_cpu(dev, addr, len, dir);
		else
			dma_direct_sync_single_for_device(dev, addr, len, dir);
	} else if (dma_sg_iommu(map)) {
		if (for_cpu)
			iommu_dma_sync_single_for_cpu(dev, addr, len, dir);
		else
			iommu_dma_sync_single_for_device(dev, addr, len, dir);
	} else {
		/* These report to dma-debug and trace themselves. */
		if (for_cpu)
			dma_sync_single_for_cpu(dev, addr, len, dir);
		else
			dma_sync_single_for_device(dev, addr, len, dir);
		return;
	}
	if (for_cpu) {
		trace_dma_sync_single_for_cpu(dev, addr, len, dir);
		debug_dma_sync_single_for_cpu(dev, addr, len, dir);
	} else {
		trace_dma_sync_single_for_device(dev, addr, len, dir);
		debug_dma_sync_single_for_device(dev, addr, len, dir);
	}
}

static int dma_sg_sync(struct dma_sg_map *map, u64 offset, u64 len,
		       bool for_cpu)
{
	u64 end, pos = 0, i;

	if (map->backend == DMA_SG_BACKEND_NONE || !len ||
	    check_add_overflow(offset, len, &end) || end > map->table.len)
		return -EINVAL;

	/* Table bytes and record bytes run in the same order. */
	for (i = 0; i < map->nr_recs && pos < end; i++) {
		const struct dma_sg_map_rec *rec = &map->recs[i];
		u64 rlen = dma_sg_phys_len(&rec->src);
		u64 from = max(offset, pos), to = min(end, pos + rlen);

		/* P2P memory is never cached nor bounced. */
		if (from < to && dma_sg_phys_hint(&rec->src) == DMA_SG_MAP_MEM)
			dma_sg_sync_rec(map, rec->addr + (from - pos),
					to - from, for_cpu);
		pos += rlen;
	}
	return 0;
}

/**
 * dma_sg_map_sync_for_cpu - give part of a mapping back to the CPU
 * @map: the mapping.
 * @offset: first byte, counted from the start of @map->table.
 * @len: bytes to sync; not zero.
 *
 * Copies exactly these bytes out of any bounce buffer and does the cache
 * maintenance a non-coherent device needs.
 *
 * Return: 0, or -EINVAL if @map is empty or the bytes pass its end.
 */
int dma_sg_map_sync_for_cpu(struct dma_sg_map *map, u64 offset, u64 len)
{
	return dma_sg_sync(map, offset, len, true);
}
EXPORT_SYMBOL_GPL(dma_sg_map_sync_for_cpu);

/**
 * dma_sg_map_sync_for_device - give part of a mapping to the device
 * @map: the mapping.
 * @offset: first byte, counted from the start of @map->table.
 * @len: bytes to sync; not zero.
 *
 * Return: 0, or -EINVAL if @map is empty or the bytes pass its end.
 */
int dma_sg_map_sync_for_device(struct dma_sg_map *map, u64 offset, u64 len)
{
	return dma_sg_sync(map, offset, len, false);
}
EXPORT_SYMBOL_GPL(dma_sg_map_sync_for_device);
