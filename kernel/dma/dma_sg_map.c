// SPDX-License-Identifier: GPL-2.0
/*
 * dma_sg mapping: CPU-side ranges to a dma_sg table, with no scatterlist
 *
 * One pass over the input maps each range and appends it to the table;
 * page arrays take a tight loop over runs of contiguous pages.  Only a
 * mapping through an IOMMU may be walked once before, to learn whether its
 * ranges fit one IOVA range and how long that range is.
 *
 * Per range, the map keeps only what the unmap needs (struct
 * dma_sg_map_rec): nothing for coherent dma-direct until swiotlb bounces
 * a piece, nor for a collapsed IOVA range on a coherent device, unless
 * dma-debug or the tracepoints watch.
 *
 * Mixing rule: a table may hold system memory (DMA_SG_MAP_MEM), MMIO
 * (DMA_SG_MAP_MMIO), host bridge P2P (DMA_SG_MAP_HOST_BRIDGE) and
 * bus-address P2P ranges (DMA_SG_MAP_BUS_ADDR) in any order.  MMIO and
 * host bridge ranges are mapped with DMA_ATTR_MMIO and share the IOVA
 * range with memory when it collapses; they are never synced or bounced.
 * Bus-address ranges never reach the IOMMU or swiotlb: their entries hold
 * the bus address, in input order between the IOVA pieces.
 *
 * P2P ranges are classified through the map's struct pci_p2p_bar_refs:
 * the map holds one reference per BAR, with that BAR's map type, and drops
 * them only once no IOVA can reach the BARs any more.
 */
#include <kunit/static_stub.h>
#include <kunit/visibility.h>
#include <linux/bvec.h>
#include <linux/dma-direct.h>
#include <linux/dma-map-ops.h>
#include <linux/dma_sg_map.h>
#include <linux/export.h>
#include <linux/iommu.h>
#include <linux/iommu-dma.h>
#include <linux/kmsan.h>
#include <linux/memremap.h>
#include <linux/mm.h>
#include <linux/pci-p2p-bar.h>
#include <linux/pci-p2pdma.h>
#include <linux/slab.h>
#include <linux/swiotlb.h>
#include <trace/events/dma.h>

#include "debug.h"
#include "direct.h"
#include "dma_sg_map_internal.h"

/* struct dma_sg_map.state */
#define DMA_SG_MAP_RECS		BIT(0)	/* keep a record per range */
#define DMA_SG_MAP_MERGE_RECS	BIT(1)	/* records of contiguous memory merge */
#define DMA_SG_MAP_HAS_MMIO	BIT(2)	/* MMIO reached through the IOMMU */

/* struct dma_sg_map_rec.len_kind */
#define DMA_SG_REC_LEN		GENMASK_ULL(61, 0)
#define DMA_SG_REC_KIND		GENMASK_ULL(63, 62)
enum dma_sg_rec_kind {
	DMA_SG_REC_MEM,
	DMA_SG_REC_MMIO,
	DMA_SG_REC_BUS,
	DMA_SG_REC_BOUNCED,	/* memory in its own swiotlb slots */
};

/* A P2P range from a page array or bio_vec: the registry picks the hint. */
#define DMA_SG_HINT_P2P_ANY	4

/* One range of the input, decoded. */
struct dma_sg_range {
	phys_addr_t paddr;
	u64 len;
	unsigned int hint;
	u32 bar;
};

enum dma_sg_src_type {
	DMA_SG_SRC_PHYS,
	DMA_SG_SRC_PAGES,
	DMA_SG_SRC_BVECS,
};

/* The caller's input and a cursor into it. */
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
	u64 idx;
	u64 done;
	u64 peek;		/* pages: index whose address is peek_phys */
	phys_addr_t peek_phys;
};

/* The cursor at the start of the input; see dma_sg_ctx_init() for why. */
static void dma_sg_src_init(struct dma_sg_src *src, enum dma_sg_src_type type,
			    u64 nr, u64 offset, u64 size)
{
	src->type = type;
	src->nr = nr;
	src->offset = offset;
	src->size = size;
	src->idx = 0;
	src->done = 0;
	src->peek = U64_MAX;
	src->peek_phys = 0;
}

/*
 * Entries the table will hold at most, before segment limits split any:
 * one per range, or one per page of a page array.
 */
static u64 dma_sg_src_max_ents(const struct dma_sg_src *src)
{
	if (src->type != DMA_SG_SRC_PAGES)
		return src->nr;
	return DIV_ROUND_UP(offset_in_page(src->offset) + src->size, PAGE_SIZE);
}

/*
 * Whole pages batched for one iommu_dma_iova_link_pages() call: enough to
 * take the page-table walk out of the per-page cost, little enough for
 * the stack.
 */
#define DMA_SG_LINK_BATCH	32

/* What one map call carries from range to range. */
struct dma_sg_ctx {
	u64 max_seg;
	u64 boundary;
	u64 chop;		/* memory is mapped in pieces of at most this */
	u64 io_chop;		/* and anything else in pieces of this */
	bool no_limits;		/* the table needs no splitting */
	dma_addr_t iova_next;	/* next free byte of the IOVA range */
	/* pages not linked yet, the last ones before @iova_next */
	unsigned int nr_batch;
	bool link_pages;	/* pages may be batched: granule <= page */
	bool batch_mmio;	/* of MMIO, all of them, or of memory */
	phys_addr_t batch[DMA_SG_LINK_BATCH];
	dma_addr_t run_addr;	/* IOVA pieces not yet in the table */
	u64 run_len;
	const struct pci_p2p_bar_map *p2p;	/* of the last P2P range */
	/* P2PDMA pgmap whose pages @p2p maps; any lookup clears it */
	const struct dev_pagemap *pgmap;
};

/*
 * The map calls keep their cursor and context on the stack uninitialised
 * and set what they read before writing: zeroing them whole (by "= {}" or
 * by CONFIG_INIT_STACK_ALL_ZERO) is a string store whose start-up cost
 * was measured at a tenth of a one-page map+unmap.  dma_sg_seg_limits()
 * sets the rest of the context.
 */
static void dma_sg_ctx_init(struct dma_sg_ctx *ctx)
{
	ctx->iova_next = 0;
	ctx->nr_batch = 0;
	ctx->link_pages = false;
	ctx->run_addr = 0;
	ctx->run_len = 0;
	ctx->p2p = NULL;
	ctx->pgmap = NULL;
}

static u64 dma_sg_rec_len(const struct dma_sg_map_rec *rec)
{
	return rec->len_kind & DMA_SG_REC_LEN;
}

static enum dma_sg_rec_kind dma_sg_rec_kind(const struct dma_sg_map_rec *rec)
{
	return FIELD_GET(DMA_SG_REC_KIND, rec->len_kind);
}

static bool dma_sg_rec_is_mem(const struct dma_sg_map_rec *rec)
{
	return dma_sg_rec_kind(rec) == DMA_SG_REC_MEM ||
	       dma_sg_rec_kind(rec) == DMA_SG_REC_BOUNCED;
}

/* Memory must have a struct page, and must not be device memory. */
static bool dma_sg_is_mem(phys_addr_t paddr, u64 len)
{
	unsigned long first = PHYS_PFN(paddr), last = PHYS_PFN(paddr + len - 1);

	return pfn_valid(first) && pfn_valid(last) &&
	       !is_zone_device_page(pfn_to_page(first)) &&
	       !is_zone_device_page(pfn_to_page(last));
}

static int dma_sg_next_phys(struct dma_sg_src *src, struct dma_sg_range *r)
{
	const struct dma_sg_phys *p = &src->phys[src->idx++];
	struct dma_sg_phys chk;

	/* Callers may fill the flag bits by hand: check them like _set(). */
	r->paddr = p->paddr;
	r->len = dma_sg_phys_len(p);
	r->hint = dma_sg_phys_hint(p);
	r->bar = dma_sg_phys_bar(p);
	if (dma_sg_phys_set(&chk, r->paddr, r->len, r->hint, r->bar))
		return -EINVAL;
	if (r->hint == DMA_SG_MAP_MEM && !dma_sg_is_mem(r->paddr, r->len))
		return -EINVAL;
	return 0;
}

/* The hint and BAR of a page: P2PDMA pages name their BAR's id. */
static int dma_sg_page_kind(struct page *page, struct dma_sg_range *r)
{
	if (!is_pci_p2pdma_page(page)) {
		r->hint = DMA_SG_MAP_MEM;
		r->bar = 0;
		return 0;
	}
	r->hint = DMA_SG_HINT_P2P_ANY;
	/* P2PDMA memory with no id cannot be mapped page-lessly. */
	return pci_p2p_bar_id_from_page(page, &r->bar) ? -EREMOTEIO : 0;
}

/* Contiguous pages share a range only if they are of one kind. */
static bool dma_sg_same_kind(struct page *prev, struct page *next)
{
	if (!is_zone_device_page(prev) && !is_zone_device_page(next))
		return true;
	return is_zone_device_page(prev) && is_zone_device_page(next) &&
	       prev->pgmap == next->pgmap;
}

/* One run of physically contiguous pages of one kind. */
static int dma_sg_next_pages(struct dma_sg_src *src, struct dma_sg_range *r)
{
	u64 off = src->offset + src->done;
	u64 idx = off >> PAGE_SHIFT;
	struct page *first = src->pages[idx], *page = first, *next;
	u64 len = min_t(u64, src->size - src->done,
			PAGE_SIZE - offset_in_page(off));
	phys_addr_t phys;

	/* The last call looked at this page already. */
	phys = src->peek == idx ? src->peek_phys : page_to_phys(page);
	r->paddr = phys + offset_in_page(off);
	while (src->done + len < src->size) {
		next = src->pages[idx + 1];
		phys = page_to_phys(next);
		if (phys != r->paddr + len || !dma_sg_same_kind(page, next)) {
			src->peek = idx + 1;
			src->peek_phys = phys;
			break;
		}
		page = next;
		idx++;
		len += min_t(u64, PAGE_SIZE, src->size - src->done - len);
	}
	r->len = len;
	src->done += len;
	return dma_sg_page_kind(first, r);
}

/* One run of physically contiguous bio_vecs of one kind. */
static int dma_sg_next_bvecs(struct dma_sg_src *src, struct dma_sg_range *r)
{
	const struct bio_vec *bv = &src->bv[src->idx++];

	r->paddr = bvec_phys(bv);
	r->len = bv->bv_len;
	if (!r->len)
		return -EINVAL;
	while (src->idx < src->nr && src->bv[src->idx].bv_len &&
	       bvec_phys(&src->bv[src->idx]) == r->paddr + r->len &&
	       dma_sg_same_kind(bv->bv_page, src->bv[src->idx].bv_page))
		r->len += src->bv[src->idx++].bv_len;
	return dma_sg_page_kind(bv->bv_page, r);
}

/* Return 1 and the next range, 0 at the end, or an error for bad input. */
static int dma_sg_src_next(struct dma_sg_src *src, struct dma_sg_range *r)
{
	int ret;

	switch (src->type) {
	case DMA_SG_SRC_PHYS:
		if (src->idx == src->nr)
			return 0;
		ret = dma_sg_next_phys(src, r);
		break;
	case DMA_SG_SRC_PAGES:
		if (src->done == src->size)
			return 0;
		ret = dma_sg_next_pages(src, r);
		break;
	default:
		if (src->idx == src->nr)
			return 0;
		ret = dma_sg_next_bvecs(src, r);
		break;
	}
	return ret ? ret : 1;
}

/*
 * Classify a P2P range for the map's device.  The map holds one
 * reference per BAR until dma_sg_unmap(): a range of a BAR it holds costs
 * no registry lookup.
 */
static int dma_sg_classify(struct dma_sg_map *map, struct dma_sg_ctx *ctx,
			   struct dma_sg_range *r, gfp_t gfp)
{
	const struct pci_p2p_bar_map *p2p;

	p2p = pci_p2p_bar_refs_lookup(&map->p2p, r->bar, map->dev, r->paddr,
				      r->len, gfp);
	if (IS_ERR(p2p))
		return PTR_ERR(p2p);
	/* A lookup may move the references: only the caller re-pairs them. */
	ctx->p2p = p2p;
	ctx->pgmap = NULL;
	if (r->hint == DMA_SG_HINT_P2P_ANY)
		r->hint = p2p->type;
	/* The producer's hint must be what the registry picks for @dev. */
	return r->hint == p2p->type ? 0 : -EREMOTEIO;
}

/*
 * Make room for one more record.  A new array rather than kvrealloc(),
 * whose kmalloc retry would hide an allocation failure from the caller's
 * fault injection and bring nothing else.
 */
static int dma_sg_rec_reserve(struct dma_sg_map *map, gfp_t gfp)
{
	struct dma_sg_map_rec *recs;
	u64 max;

	if (map->nr_recs < map->max_recs)
		return 0;
	max = map->max_recs ? map->max_recs * 2 : 8;
	recs = kvmalloc_array(max, sizeof(*recs), gfp);
	if (!recs)
		return -ENOMEM;
	if (map->nr_recs)
		memcpy(recs, map->recs, map->nr_recs * sizeof(*recs));
	kvfree(map->recs);
	map->recs = recs;
	map->max_recs = max;
	return 0;
}

static enum dma_sg_rec_kind
dma_sg_rec_kind_of(const struct dma_sg_map *map, phys_addr_t phys,
		   dma_addr_t addr, bool mmio)
{
	if (mmio)
		return DMA_SG_REC_MMIO;
	if (map->backend == DMA_SG_BACKEND_DIRECT &&
	    addr != phys_to_dma(map->dev, phys))
		return DMA_SG_REC_BOUNCED;
	return DMA_SG_REC_MEM;
}

/*
 * Record a mapped range, growing the last record when both are unbounced
 * memory, contiguous on both sides, and still fit one unmap call.
 */
static void dma_sg_rec_add(struct dma_sg_map *map, phys_addr_t phys,
			   dma_addr_t addr, u64 len, enum dma_sg_rec_kind kind)
{
	struct dma_sg_map_rec *last = map->nr_recs ?
				      &map->recs[map->nr_recs - 1] : NULL;
	u64 last_len = last ? dma_sg_rec_len(last) : 0;

	if (last && (map->state & DMA_SG_MAP_MERGE_RECS) &&
	    kind == DMA_SG_REC_MEM && dma_sg_rec_kind(last) == DMA_SG_REC_MEM &&
	    last->addr + last_len == addr && len <= SIZE_MAX - last_len &&
	    dma_to_phys(map->dev, last->addr) + last_len == phys) {
		last->len_kind += len;
		return;
	}
	map->recs[map->nr_recs++] = (struct dma_sg_map_rec) {
		.addr = addr,
		.len_kind = len | FIELD_PREP(DMA_SG_REC_KIND, kind),
	};
}

static __always_inline int dma_sg_table_add(struct dma_sg_map *map,
					    const struct dma_sg_ctx *ctx,
					    dma_addr_t addr, u64 len,
					    gfp_t gfp)
{
	if (ctx->no_limits)
		return dma_sg_append(&map->table, addr, len, gfp);
	return dma_sg_append_limited(&map->table, addr, len, ctx->max_seg,
				     ctx->boundary, gfp);
}

/* dma-debug and the tracepoints, for ranges linked into the IOVA range. */
static void dma_sg_iova_announce(struct dma_sg_map *map, phys_addr_t phys,
				 dma_addr_t addr, u64 len, bool mmio)
{
	struct device *dev = map->dev;

	if (mmio) {
		trace_dma_map_resource(dev, phys, addr, len, map->dir,
				       map->attrs);
		debug_dma_map_resource(dev, phys, len, map->dir, addr,
				       map->attrs);
	} else {
		trace_dma_map_page(dev, phys, addr, len, map->dir, map->attrs);
		debug_dma_map_page(dev, pfn_to_page(PHYS_PFN(phys)),
				   offset_in_page(phys), len, map->dir, addr,
				   map->attrs);
	}
	/* The link cannot hand out DMA_MAPPING_ERROR: checked. */
	debug_dma_mapping_error(dev, addr);
}

/*
 * swiotlb bounced a piece of a coherent dma-direct map that so far needed
 * no records: give every entry so far one, so that records cover the
 * table's bytes in order.  Those entries are unbounced memory, MMIO or bus
 * addresses of a coherent device: their record is of the kind whose unmap
 * and sync do nothing.
 */
static int dma_sg_recs_start(struct dma_sg_map *map, gfp_t gfp)
{
	struct dma_sg_iter it;
	struct dma_sg *sg;

	map->state |= DMA_SG_MAP_RECS;
	dma_sg_for_each(&map->table, sg, it) {
		if (dma_sg_rec_reserve(map, gfp))
			return -ENOMEM;
		dma_sg_rec_add(map, 0, sg->addr, sg->len, DMA_SG_REC_BUS);
	}
	return dma_sg_rec_reserve(map, gfp);
}

/*
 * Memory that dma-direct mapped at an address other than its own was
 * bounced by swiotlb: the records start, for the entries so far.  If they
 * cannot, the piece is in neither the table nor the records, so the
 * teardown would not find it: it is unmapped here.
 */
static int dma_sg_direct_bounced(struct dma_sg_map *map, phys_addr_t phys,
				 dma_addr_t addr, u64 len, unsigned long attrs,
				 gfp_t gfp)
{
	if (likely(addr == phys_to_dma(map->dev, phys)))
		return 0;
	if (dma_sg_recs_start(map, gfp)) {
		dma_direct_unmap_page(map->dev, addr, len, map->dir,
				      attrs | DMA_ATTR_SKIP_CPU_SYNC);
		return -ENOMEM;
	}
	return 0;
}

/*
 * Coherent dma-direct with no record kept yet: what dma_map_phys() does,
 * without its dispatch, tracepoint and dma-debug calls, which nobody
 * watches.  A bounced piece starts the records.
 */
static __always_inline int dma_sg_map_direct(struct dma_sg_map *map,
					     phys_addr_t phys, u64 len,
					     unsigned long attrs, gfp_t gfp,
					     dma_addr_t *addrp)
{
	dma_addr_t addr;

	addr = dma_direct_map_phys(map->dev, phys, len, map->dir, attrs);
	if (addr == DMA_MAPPING_ERROR)
		return -EIO;
	*addrp = addr;
	if (attrs & DMA_ATTR_MMIO)
		return 0;
	kmsan_handle_dma(pfn_to_page(PHYS_PFN(phys)), offset_in_page(phys),
			 len, map->dir);
	return dma_sg_direct_bounced(map, phys, addr, len, attrs, gfp);
}

/*
 * dma_sg_map_piece() for coherent dma-direct with no record kept yet,
 * inlined into the loop of dma_sg_map_pages_fast().  A bounce starts the
 * records, this piece's included.
 */
static __always_inline int dma_sg_map_direct_piece(struct dma_sg_map *map,
						   struct dma_sg_ctx *ctx,
						   phys_addr_t phys, u64 len,
						   bool mmio, gfp_t gfp)
{
	unsigned long attrs = map->attrs | (mmio ? DMA_ATTR_MMIO : 0);
	dma_addr_t addr;
	int ret;

	ret = dma_sg_map_direct(map, phys, len, attrs, gfp, &addr);
	if (ret)
		return ret;
	if (unlikely(map->state & DMA_SG_MAP_RECS))
		dma_sg_rec_add(map, phys, addr, len,
			       dma_sg_rec_kind_of(map, phys, addr, mmio));
	return dma_sg_table_add(map, ctx, addr, len, gfp);
}

/* Bytes of the IOVA range linked so far. */
static u64 dma_sg_iova_linked(const struct dma_sg_map *map,
			      const struct dma_sg_ctx *ctx)
{
	return ctx->iova_next - map->iova - (u64)ctx->nr_batch * PAGE_SIZE;
}

/* Link the batched pages; on error they stay counted as not linked. */
static int dma_sg_link_batch(struct dma_sg_map *map, struct dma_sg_ctx *ctx)
{
	unsigned int n = ctx->nr_batch;
	int ret;

	if (!IS_ENABLED(CONFIG_IOMMU_DMA) || !n)
		return 0;
	ret = iommu_dma_iova_link_pages(map->dev,
					ctx->iova_next - n * PAGE_SIZE,
					ctx->batch, n, map->dir, map->attrs |
					(ctx->batch_mmio ? DMA_ATTR_MMIO : 0));
	if (ret)
		return ret;
	ctx->nr_batch = 0;
	return 0;
}

/*
 * A whole page of memory or MMIO in the IOVA range, with nothing to
 * record: it takes its IOVA now and is linked with the batch, which holds
 * pages of one kind.  HAS_MMIO is set before the link: should the link
 * fail, it only makes the teardown flush the IOTLB at once.
 */
static int dma_sg_link_page(struct dma_sg_map *map, struct dma_sg_ctx *ctx,
			    phys_addr_t phys, bool mmio)
{
	int ret;

	if (ctx->nr_batch && ctx->batch_mmio != mmio) {
		ret = dma_sg_link_batch(map, ctx);
		if (ret)
			return ret;
	}
	ctx->batch_mmio = mmio;
	if (mmio)
		map->state |= DMA_SG_MAP_HAS_MMIO;
	else
		kmsan_handle_dma(pfn_to_page(PHYS_PFN(phys)), 0, PAGE_SIZE,
				 map->dir);
	if (!ctx->run_len)
		ctx->run_addr = ctx->iova_next;
	ctx->run_len += PAGE_SIZE;
	ctx->iova_next += PAGE_SIZE;
	ctx->batch[ctx->nr_batch++] = phys;
	if (ctx->nr_batch < DMA_SG_LINK_BATCH)
		return 0;
	return dma_sg_link_batch(map, ctx);
}

/* IOVA pieces are contiguous: the table gets them as one run. */
static int dma_sg_flush_run(struct dma_sg_map *map, struct dma_sg_ctx *ctx,
			    gfp_t gfp)
{
	u64 len = ctx->run_len;

	if (!len)
		return 0;
	ctx->run_len = 0;
	return dma_sg_table_add(map, ctx, ctx->run_addr, len, gfp);
}

/* Map one piece of memory or MMIO; it ends up in the table and records. */
static int dma_sg_map_piece(struct dma_sg_map *map, struct dma_sg_ctx *ctx,
			    phys_addr_t phys, u64 len, bool mmio, gfp_t gfp)
{
	unsigned long attrs = map->attrs | (mmio ? DMA_ATTR_MMIO : 0);
	bool recs = map->state & DMA_SG_MAP_RECS;
	struct device *dev = map->dev;
	dma_addr_t addr;
	int ret;

	if (recs && dma_sg_rec_reserve(map, gfp))
		return -ENOMEM;
	if (IS_ENABLED(CONFIG_IOMMU_DMA) &&
	    map->backend == DMA_SG_BACKEND_IOVA) {
		/* A whole page of a bio_vec or range, as in the page loop. */
		if (!recs && ctx->link_pages && len == PAGE_SIZE &&
		    PAGE_ALIGNED(phys | ctx->iova_next))
			return dma_sg_link_page(map, ctx, phys, mmio);
		/* Batched pages first, so the linked bytes stay a prefix. */
		ret = dma_sg_link_batch(map, ctx);
		if (ret)
			return ret;
		addr = ctx->iova_next;
		/* -ENOMEM when a page table cannot be allocated. */
		ret = iommu_dma_iova_link(dev, addr, phys, len, map->dir, attrs);
		if (ret)
			return ret;
		ctx->iova_next += len;
		if (mmio)
			map->state |= DMA_SG_MAP_HAS_MMIO;
		else
			kmsan_handle_dma(pfn_to_page(PHYS_PFN(phys)),
					 offset_in_page(phys), len, map->dir);
		if (recs) {
			dma_sg_iova_announce(map, phys, addr, len, mmio);
			dma_sg_rec_add(map, phys, addr, len,
				       mmio ? DMA_SG_REC_MMIO : DMA_SG_REC_MEM);
		}
		if (!ctx->run_len)
			ctx->run_addr = addr;
		ctx->run_len += len;
		return 0;
	}
	if (map->backend == DMA_SG_BACKEND_DIRECT && !recs) {
		ret = dma_sg_map_direct(map, phys, len, attrs, gfp, &addr);
		if (ret)
			return ret;
		recs = map->state & DMA_SG_MAP_RECS;
	} else {
		addr = dma_map_phys(dev, phys, len, map->dir, attrs);
		if (dma_mapping_error(dev, addr))
			return -EIO;
		if (mmio && map->backend == DMA_SG_BACKEND_IOMMU)
			map->state |= DMA_SG_MAP_HAS_MMIO;
	}
	if (recs)
		dma_sg_rec_add(map, phys, addr, len,
			       dma_sg_rec_kind_of(map, phys, addr, mmio));
	return dma_sg_table_add(map, ctx, addr, len, gfp);
}

/* Bytes from @phys to the end of its piece of @chop, counted in pages. */
static u64 dma_sg_piece_room(phys_addr_t phys, u64 chop)
{
	return chop >= PAGE_SIZE ? chop - offset_in_page(phys) : chop;
}

/* A bus address range: no IOMMU, no swiotlb, nothing to unmap. */
static int dma_sg_map_bus(struct dma_sg_map *map, struct dma_sg_ctx *ctx,
			  phys_addr_t phys, u64 len, gfp_t gfp)
{
	dma_addr_t addr = pci_p2p_bar_bus_addr(ctx->p2p, phys);
	int ret;

	if (!dma_capable(map->dev, addr, len, false))
		return -EIO;
	/* In input order: the IOVA pieces before it go first. */
	ret = dma_sg_flush_run(map, ctx, gfp);
	if (ret)
		return ret;
	if (map->state & DMA_SG_MAP_RECS) {
		if (dma_sg_rec_reserve(map, gfp))
			return -ENOMEM;
		dma_sg_rec_add(map, phys, addr, len, DMA_SG_REC_BUS);
	}
	return dma_sg_table_add(map, ctx, addr, len, gfp);
}

static int dma_sg_map_range(struct dma_sg_map *map, struct dma_sg_ctx *ctx,
			    struct dma_sg_range *r, gfp_t gfp)
{
	phys_addr_t phys = r->paddr;
	u64 left = r->len, piece, chop = ctx->io_chop;
	int ret;

	if (r->hint == DMA_SG_MAP_MEM) {
		chop = ctx->chop;
	} else if (r->hint != DMA_SG_MAP_MMIO) {
		ret = dma_sg_classify(map, ctx, r, gfp);
		if (ret)
			return ret;
	}
	/*
	 * Memory that swiotlb may bounce goes in pieces it can take, cut at
	 * page boundaries so that two pieces never share a cache line.
	 */
	while (left) {
		piece = min(left, dma_sg_piece_room(phys, chop));
		if (r->hint == DMA_SG_MAP_BUS_ADDR)
			ret = dma_sg_map_bus(map, ctx, phys, piece, gfp);
		else
			ret = dma_sg_map_piece(map, ctx, phys, piece,
					       r->hint != DMA_SG_MAP_MEM, gfp);
		if (ret)
			return ret;
		phys += piece;
		left -= piece;
	}
	return 0;
}

/*
 * Empty @map, field by field: a memset of the struct compiles to a string
 * store whose start-up cost was a tenth of a one-page map+unmap.  The
 * result is what a zeroed map holds, flags apart, except that the freed
 * table keeps the map's own first chunk, ready for the next map call.
 */
static void dma_sg_map_reset(struct dma_sg_map *map)
{
	map->dev = NULL;
	map->attrs = 0;
	map->dir = 0;
	map->backend = DMA_SG_BACKEND_NONE;
	map->state = 0;
	map->iova = 0;
	map->iova_len = 0;
	map->iova_mapped = 0;
	map->recs = NULL;
	map->nr_recs = 0;
	map->max_recs = 0;
}

static void dma_sg_unmap_rec(const struct dma_sg_map *map,
			     const struct dma_sg_map_rec *rec,
			     unsigned long attrs)
{
	enum dma_sg_rec_kind kind = dma_sg_rec_kind(rec);
	u64 len = dma_sg_rec_len(rec);
	struct device *dev = map->dev;

	if (kind == DMA_SG_REC_BUS)
		return;
	if (map->backend != DMA_SG_BACKEND_IOVA) {
		dma_unmap_phys(dev, rec->addr, len, map->dir,
			       attrs | (kind == DMA_SG_REC_MMIO ?
					DMA_ATTR_MMIO : 0));
		return;
	}
	/* The IOVA range itself goes in one piece afterwards. */
	if (kind == DMA_SG_REC_MMIO) {
		trace_dma_unmap_resource(dev, rec->addr, len, map->dir, attrs);
		debug_dma_unmap_resource(dev, rec->addr, len, map->dir);
		return;
	}
	if (IS_ENABLED(CONFIG_IOMMU_DMA) && !(attrs & DMA_ATTR_SKIP_CPU_SYNC))
		iommu_dma_sync_single_for_cpu(dev, rec->addr, len, map->dir);
	trace_dma_unmap_page(dev, rec->addr, len, map->dir, attrs);
	debug_dma_unmap_page(dev, rec->addr, len, map->dir);
}

static void dma_sg_flush_iotlb(struct device *dev)
{
#ifdef CONFIG_IOMMU_DMA
	iommu_flush_iotlb_all(iommu_get_dma_domain(dev));
#endif
}

/*
 * Undo everything: @linked is how much of the IOVA range is mapped.  BAR
 * references go last, once no IOVA and no IOTLB entry reaches the BARs.
 */
static void dma_sg_teardown(struct dma_sg_map *map, u64 linked,
			    unsigned long attrs)
{
	bool mmio = map->state & DMA_SG_MAP_HAS_MMIO;
	u64 i;

	for (i = 0; i < map->nr_recs; i++)
		dma_sg_unmap_rec(map, &map->recs[i], attrs);
	if (IS_ENABLED(CONFIG_IOMMU_DMA)) {
		if (map->backend == DMA_SG_BACKEND_IOVA)
			iommu_dma_iova_destroy(map->dev, map->iova, linked,
					       map->iova_len, mmio);
		else if (mmio)	/* per-range unmaps may sit in the flush queue */
			dma_sg_flush_iotlb(map->dev);
	}
	/*
	 * The calls below are skipped when they have nothing to do: each
	 * costs more than the test, and a one-page map+unmap is a handful of
	 * calls.  A set of BAR references with none in it holds no memory.
	 */
	if (map->p2p.nr)
		pci_p2p_bar_refs_release(&map->p2p);
	dma_sg_table_free(&map->table);
	if (map->recs)
		kvfree(map->recs);
	dma_sg_map_reset(map);
}

/*
 * A piece a dma-direct loop mapped but could not write through its
 * writer: one that bounced, may merge, must be split, needs a new chunk,
 * or that the table would refuse (it says why).  MMIO is never bounced.
 */
static noinline int dma_sg_direct_add(struct dma_sg_map *map,
				      struct dma_sg_ctx *ctx, phys_addr_t phys,
				      dma_addr_t addr, u64 len, bool mmio,
				      gfp_t gfp)
{
	int ret;

	if (!mmio) {
		ret = dma_sg_direct_bounced(map, phys, addr, len, map->attrs,
					    gfp);
		if (ret)
			return ret;
	}
	if (map->state & DMA_SG_MAP_RECS)
		dma_sg_rec_add(map, phys, addr, len,
			       dma_sg_rec_kind_of(map, phys, addr, mmio));
	return dma_sg_table_add(map, ctx, addr, len, gfp);
}

/*
 * Whether the page, bio_vec and range loops of coherent dma-direct may
 * write a piece dma-direct mapped straight through their writer: it was
 * not bounced, and fits the segment limits (@seg is the longest entry
 * less one, @mask the boundary).  Anything else, and a piece that may
 * merge, goes to dma_sg_direct_add().
 */
static __always_inline bool dma_sg_direct_plain(struct device *dev,
						bool may_bounce,
						phys_addr_t phys,
						dma_addr_t addr, u64 len,
						u64 seg, u64 mask)
{
	return !(may_bounce && addr != phys_to_dma(dev, phys)) &&
	       len - 1 <= seg && len - 1 <= mask - ((u64)addr & mask);
}

/*
 * The table's limits for dma_sg_direct_plain(); false for limits that
 * dma_sg_append_limited() refuses, so that the slow path reports them.
 */
static bool dma_sg_direct_limits(const struct dma_sg_ctx *ctx, u64 *seg,
				 u64 *mask)
{
	*seg = ctx->max_seg - 1;
	*mask = ctx->boundary;
	return ctx->max_seg && *mask && !(*mask & (*mask + 1));
}

/*
 * The common case of dma_sg_map_pages(): system memory on coherent
 * dma-direct with nothing to record.  Runs of contiguous pages are mapped
 * with dma_direct_map_phys() and written through a table writer, with the
 * cursor, the limits and the table's tail in registers: through
 * dma_sg_map_pages_fast() and dma_sg_append_limited(), which reload them
 * from memory for every page, scattered pages took 1.4 times as long on
 * native UML.  Runs end where swiotlb could not take more in one piece.
 * The loop stops at a ZONE_DEVICE page, which dma_sg_map_pages_fast()
 * maps as P2PDMA or as memory, and after a bounce, which starts the
 * records.  Nothing wraps (the runs are memory) and the table's length
 * cannot overflow (the map starts empty): dma_sg_writer_add() asks
 * neither to be checked again.
 */
static noinline int dma_sg_map_pages_direct(struct dma_sg_map *map,
					    struct dma_sg_ctx *ctx,
					    struct dma_sg_src *src, gfp_t gfp)
{
	struct page **pages = src->pages;
	const u64 end = src->offset + src->size, chop = ctx->chop;
	/* Without swiotlb, dma-direct maps memory where it is or fails. */
	const bool may_bounce = is_swiotlb_active(map->dev);
	u64 off = src->offset + src->done, idx, len, room, next_idx = U64_MAX;
	struct device *dev = map->dev;
	struct dma_sg_writer w __uninitialized;
	phys_addr_t phys, next = 0;
	dma_addr_t addr;
	u64 seg, mask;
	int ret = 0;

	if (!dma_sg_direct_limits(ctx, &seg, &mask))
		return 0;
	dma_sg_writer_start(&map->table, &w);
	while (off < end) {
		idx = off >> PAGE_SHIFT;
		if (is_zone_device_page(pages[idx]))
			break;
		/* The run before ended at this page: its address is known. */
		phys = (idx == next_idx ? next : page_to_phys(pages[idx])) +
		       offset_in_page(off);
		len = min_t(u64, end - off, PAGE_SIZE - offset_in_page(off));
		room = dma_sg_piece_room(phys, chop);
		while (off + len < end && len < room) {
			next_idx = idx + 1;
			next = page_to_phys(pages[next_idx]);
			if (next != phys + len ||
			    is_zone_device_page(pages[next_idx]))
				break;
			idx++;
			len += min_t(u64, PAGE_SIZE, end - off - len);
		}
		len = min(len, room);
		addr = dma_direct_map_phys(dev, phys, len, map->dir, map->attrs);
		if (unlikely(addr == DMA_MAPPING_ERROR)) {
			ret = -EIO;
			break;
		}
		kmsan_handle_dma(pfn_to_page(PHYS_PFN(phys)),
				 offset_in_page(phys), len, map->dir);
		off += len;
		if (likely(dma_sg_direct_plain(dev, may_bounce, phys, addr, len,
					       seg, mask) &&
			   dma_sg_writer_add(&w, addr, len)))
			continue;
		dma_sg_writer_end(&map->table, &w);
		ret = dma_sg_direct_add(map, ctx, phys, addr, len, false, gfp);
		if (ret || (map->state & DMA_SG_MAP_RECS))
			break;
		dma_sg_writer_start(&map->table, &w);
	}
	dma_sg_writer_end(&map->table, &w);
	src->done = off - src->offset;
	return ret;
}

/*
 * dma_sg_map_pages() with nothing to record, into one IOVA range or on
 * coherent dma-direct from where dma_sg_map_pages_direct() stopped.  Runs
 * of contiguous pages are found, mapped (or linked) and appended in one
 * tight loop.  It repeats the run
 * walk of dma_sg_next_pages() without its kind checks and the range
 * dispatch: on scattered pages, going through them instead was measured
 * about a fifth slower.
 * The first run of P2PDMA pages of a pgmap goes through dma_sg_map_range(),
 * which classifies it; the registry's range for a pgmap is the pgmap's
 * (pci_p2pdma_add_resource() registers it so), so the runs that follow,
 * up to one of another pgmap, reuse the answer (@ctx->p2p).  After a bounce,
 * which starts the records, the rest goes through dma_sg_map_range() too.
 * Into an IOVA range, runs of one page are linked DMA_SG_LINK_BATCH at a
 * time: one IOMMU page-table walk each was most of their cost.
 */
static int dma_sg_map_pages_fast(struct dma_sg_map *map,
				 struct dma_sg_ctx *ctx,
				 struct dma_sg_src *src, gfp_t gfp)
{
	struct page **pages = src->pages;
	u64 off, idx, len, room, next_idx = U64_MAX;
	phys_addr_t phys, next = 0;
	struct dma_sg_range r;
	struct page *page;
	bool is_p2p;
	int ret;

	while (src->done < src->size && !(map->state & DMA_SG_MAP_RECS)) {
		off = src->offset + src->done;
		idx = off >> PAGE_SHIFT;
		page = pages[idx];
		is_p2p = is_pci_p2pdma_page(page);
		/* The first run of a pgmap is looked up, later ones are not. */
		if (is_p2p && page->pgmap != ctx->pgmap) {
			ret = dma_sg_next_pages(src, &r);
			if (!ret)
				ret = dma_sg_map_range(map, ctx, &r, gfp);
			if (ret)
				return ret;
			ctx->pgmap = page->pgmap;
			continue;
		}
		/* The run before ended at this page: its address is known. */
		phys = (idx == next_idx ? next : page_to_phys(page)) +
		       offset_in_page(off);
		len = min_t(u64, src->size - src->done,
			    PAGE_SIZE - offset_in_page(off));
		room = dma_sg_piece_room(phys, is_p2p ? ctx->io_chop : ctx->chop);
		while (src->done + len < src->size && len < room) {
			next_idx = idx + 1;
			next = page_to_phys(pages[next_idx]);
			if (next != phys + len ||
			    is_pci_p2pdma_page(pages[next_idx]) != is_p2p ||
			    (is_p2p && pages[next_idx]->pgmap != page->pgmap))
				break;
			idx++;
			len += min_t(u64, PAGE_SIZE, src->size - src->done - len);
		}
		len = min(len, room);
		/* A range check keeps the pgmap-is-the-range rule honest. */
		if (is_p2p &&
		    WARN_ON_ONCE(!pci_p2p_bar_map_covers(ctx->p2p, phys, len)))
			return -EINVAL;
		if (is_p2p && ctx->p2p->type == DMA_SG_MAP_BUS_ADDR)
			ret = dma_sg_map_bus(map, ctx, phys, len, gfp);
		else if (!is_p2p && map->backend == DMA_SG_BACKEND_DIRECT)
			ret = dma_sg_map_direct_piece(map, ctx, phys, len, false,
						      gfp);
		else if (IS_ENABLED(CONFIG_IOMMU_DMA) && ctx->link_pages &&
			 len == PAGE_SIZE && PAGE_ALIGNED(phys | ctx->iova_next))
			ret = dma_sg_link_page(map, ctx, phys, is_p2p);
		else
			ret = dma_sg_map_piece(map, ctx, phys, len, is_p2p, gfp);
		if (ret)
			return ret;
		src->done += len;
	}
	return 0;
}

/*
 * dma_sg_map_bvecs() on coherent dma-direct with nothing to record, the
 * case of pinned user memory: runs of contiguous bio_vecs mapped and
 * written through a table writer, as dma_sg_map_pages_direct() does for
 * pages.  Going through dma_sg_map_range() instead left ib_umem slower
 * than its scatterlist.  A run is one piece: it stops where swiotlb could
 * not take more.  The general path takes over at a ZONE_DEVICE page
 * (P2PDMA ones are classified), an empty bio_vec (an error), a bio_vec
 * swiotlb would take in pieces, and after a bounce, which starts the
 * records.
 *
 * The map-and-write body repeats the page loop's: as one inline helper
 * shared by both, it made scattered pages 4-7% slower on native UML.
 *
 * This loop and the one for ranges stay out of line: inlined into
 * dma_sg_map_src(), they changed how the compiler built the page loop
 * there, and scattered pages mapped a third slower on x86_64.
 */
static noinline int dma_sg_map_bvecs_direct(struct dma_sg_map *map,
					    struct dma_sg_ctx *ctx,
					    struct dma_sg_src *src, gfp_t gfp)
{
	const struct bio_vec *bv = src->bv;
	const u64 nr = src->nr, chop = ctx->chop;
	const bool may_bounce = is_swiotlb_active(map->dev);
	struct dma_sg_writer w __uninitialized;
	struct device *dev = map->dev;
	u64 idx = src->idx, len, room;
	phys_addr_t phys;
	dma_addr_t addr;
	u64 seg, mask;
	int ret = 0;

	if (!dma_sg_direct_limits(ctx, &seg, &mask))
		return 0;
	dma_sg_writer_start(&map->table, &w);
	while (idx < nr) {
		if (!bv[idx].bv_len || is_zone_device_page(bv[idx].bv_page))
			break;
		phys = bvec_phys(&bv[idx]);
		len = bv[idx].bv_len;
		room = dma_sg_piece_room(phys, chop);
		if (len > room)
			break;
		idx++;
		while (idx < nr && bv[idx].bv_len &&
		       bv[idx].bv_len <= room - len &&
		       bvec_phys(&bv[idx]) == phys + len &&
		       !is_zone_device_page(bv[idx].bv_page))
			len += bv[idx++].bv_len;
		addr = dma_direct_map_phys(dev, phys, len, map->dir, map->attrs);
		if (unlikely(addr == DMA_MAPPING_ERROR)) {
			ret = -EIO;
			break;
		}
		kmsan_handle_dma(pfn_to_page(PHYS_PFN(phys)),
				 offset_in_page(phys), len, map->dir);
		if (likely(dma_sg_direct_plain(dev, may_bounce, phys, addr, len,
					       seg, mask) &&
			   dma_sg_writer_add(&w, addr, len)))
			continue;
		dma_sg_writer_end(&map->table, &w);
		ret = dma_sg_direct_add(map, ctx, phys, addr, len, false, gfp);
		if (ret || (map->state & DMA_SG_MAP_RECS))
			break;
		dma_sg_writer_start(&map->table, &w);
	}
	dma_sg_writer_end(&map->table, &w);
	src->idx = idx;
	return ret;
}

/*
 * dma_sg_map_phys() on coherent dma-direct with nothing to record: memory
 * and MMIO ranges mapped and written through a table writer, each as one
 * piece, with no range dispatch.  A GPU's VRAM export is thousands of
 * MMIO blocks in one call.  The writer is not told what the table would
 * refuse: a range whose DMA address wraps, or one that would overflow
 * the table's length, goes to dma_sg_direct_add(), which reports it.  P2P
 * ranges, which are classified, memory that swiotlb would take in
 * pieces, and everything after a bounce, which starts the records, take
 * the general path.
 */
static noinline int dma_sg_map_phys_direct(struct dma_sg_map *map,
					   struct dma_sg_ctx *ctx,
					   struct dma_sg_src *src, gfp_t gfp)
{
	const bool may_bounce = is_swiotlb_active(map->dev);
	struct dma_sg_writer w __uninitialized;
	struct device *dev = map->dev;
	const struct dma_sg_phys *p;
	enum dma_sg_map_hint hint;
	struct dma_sg_range r;
	dma_addr_t addr;
	u64 seg, mask;
	bool mmio;
	int ret;

	if (!dma_sg_direct_limits(ctx, &seg, &mask))
		return 0;
	dma_sg_writer_start(&map->table, &w);
	while (src->idx < src->nr) {
		p = &src->phys[src->idx];
		hint = dma_sg_phys_hint(p);
		mmio = hint == DMA_SG_MAP_MMIO;
		if ((hint != DMA_SG_MAP_MEM && !mmio) ||
		    dma_sg_phys_len(p) >
		    dma_sg_piece_room(p->paddr, mmio ? ctx->io_chop : ctx->chop))
			break;
		ret = dma_sg_next_phys(src, &r);
		if (ret)
			goto out;
		addr = dma_direct_map_phys(dev, r.paddr, r.len, map->dir,
					   map->attrs | (mmio ? DMA_ATTR_MMIO : 0));
		if (unlikely(addr == DMA_MAPPING_ERROR)) {
			ret = -EIO;
			goto out;
		}
		if (!mmio)
			kmsan_handle_dma(pfn_to_page(PHYS_PFN(r.paddr)),
					 offset_in_page(r.paddr), r.len,
					 map->dir);
		if (likely(dma_sg_direct_plain(dev, may_bounce && !mmio,
					       r.paddr, addr, r.len, seg,
					       mask) &&
			   dma_sg_range_ok(addr, r.len) &&
			   r.len <= U64_MAX - map->table.len - w.len &&
			   dma_sg_writer_add(&w, addr, r.len)))
			continue;
		dma_sg_writer_end(&map->table, &w);
		ret = dma_sg_direct_add(map, ctx, r.paddr, addr, r.len, mmio,
					gfp);
		if (ret || (map->state & DMA_SG_MAP_RECS))
			goto out;
		dma_sg_writer_start(&map->table, &w);
	}
	ret = 0;
out:
	dma_sg_writer_end(&map->table, &w);
	return ret;
}

/*
 * Pages whose boundaries are all granule aligned and none of which is
 * P2PDMA memory or must bounce: one IOVA range of their size, with no
 * walk over their addresses.
 */
static bool dma_sg_pages_plain(const struct dma_sg_map *map,
			       const struct dma_sg_src *src, u64 mask)
{
	u64 i, first = src->offset >> PAGE_SHIFT;
	u64 last = (src->offset + src->size - 1) >> PAGE_SHIFT;

	if (src->type != DMA_SG_SRC_PAGES || mask >= PAGE_SIZE ||
	    !dev_is_dma_coherent(map->dev))
		return false;
	/*
	 * P2PDMA pages are classified as the map goes: through the host
	 * bridge they are linked into the range like memory, by bus address
	 * they take none of it.  Every linked piece then starts on a page,
	 * so the range keeps its alignment whichever piece comes first;
	 * only an offset into the first page needs the first linked byte,
	 * and so the walk.
	 */
	if (IS_ENABLED(CONFIG_PCI_P2PDMA) && offset_in_page(src->offset))
		for (i = first; i <= last; i++)
			if (is_pci_p2pdma_page(src->pages[i]))
				return false;
	return true;
}

/**
 * dma_sg_kmalloc_needs_bounce - dma_kmalloc_needs_bounce(), stubbable
 * @dev: the device.
 * @size: length of the range.
 * @dir: DMA direction.
 *
 * Only a non-coherent platform makes the rule true: the KUnit suite
 * stands one in with a static stub.  Exported for KUnit only.
 *
 * Return: true if the range must bounce.
 */
VISIBLE_IF_KUNIT bool dma_sg_kmalloc_needs_bounce(struct device *dev,
						  size_t size,
						  enum dma_data_direction dir)
{
	KUNIT_STATIC_STUB_REDIRECT(dma_sg_kmalloc_needs_bounce, dev, size, dir);
	return dma_kmalloc_needs_bounce(dev, size, dir);
}
EXPORT_SYMBOL_IF_KUNIT(dma_sg_kmalloc_needs_bounce);

/* Is the whole input one IOVA range's worth?  Sets iova_len, or 0. */
static int dma_sg_plan_iova(struct dma_sg_map *map, struct dma_sg_ctx *ctx,
			    struct dma_sg_src *src, phys_addr_t *first,
			    u64 *iova_len, gfp_t gfp)
{
	u64 mask = iommu_dma_get_merge_boundary(map->dev);
	struct dma_sg_src walk = *src;
	bool collapse = true, end_aligned = true;
	struct dma_sg_range r;
	u64 total = 0;
	int ret;

	*iova_len = 0;
	if (dma_sg_pages_plain(map, src, mask)) {
		*first = page_to_phys(src->pages[src->offset >> PAGE_SHIFT]) +
			 offset_in_page(src->offset);
		if (src->size == (size_t)src->size)
			*iova_len = src->size;
		return 0;
	}
	while ((ret = dma_sg_src_next(&walk, &r)) > 0) {
		if (r.hint != DMA_SG_MAP_MEM && r.hint != DMA_SG_MAP_MMIO) {
			ret = dma_sg_classify(map, ctx, &r, gfp);
			if (ret)
				return ret;
			if (r.hint == DMA_SG_MAP_BUS_ADDR)
				continue;
		}
		/* As iommu_dma_map_page(): a range that must bounce, alone. */
		if (r.hint == DMA_SG_MAP_MEM &&
		    dma_sg_kmalloc_needs_bounce(map->dev, r.len, map->dir) &&
		    ((r.paddr | r.len) & mask))
			collapse = false;
		/* Inner boundaries of an IOVA range must be granule aligned. */
		if (!total)
			*first = r.paddr;
		else if ((r.paddr & mask) || !end_aligned)
			collapse = false;
		end_aligned = !((r.paddr + r.len) & mask);
		if (check_add_overflow(total, r.len, &total))
			collapse = false;
	}
	if (ret < 0)
		return ret;
	if (collapse && total == (size_t)total)
		*iova_len = total;
	return 0;
}

static enum dma_sg_map_backend dma_sg_backend(struct device *dev)
{
	if (use_dma_iommu(dev))
		return DMA_SG_BACKEND_IOMMU;
	return get_dma_ops(dev) ? DMA_SG_BACKEND_OPS : DMA_SG_BACKEND_DIRECT;
}

static void dma_sg_limits(struct dma_sg_map *map, struct dma_sg_ctx *ctx)
{
	struct device *dev = map->dev;
	unsigned int max = dma_get_max_seg_size(dev);

	/* UINT_MAX is a real limit unless the caller said otherwise. */
	ctx->max_seg = max == UINT_MAX &&
		       (map->flags & DMA_SG_MAP_LONG_SEGMENTS) ? U64_MAX : max;
	ctx->boundary = dma_get_seg_boundary(dev);
	ctx->no_limits = ctx->max_seg == U64_MAX &&
			 !((dma_addr_t)~0 & ~(dma_addr_t)ctx->boundary);
	/* The DMA API takes size_t lengths. */
	ctx->io_chop = (u64)SIZE_MAX & PAGE_MASK;
	ctx->chop = ctx->io_chop;
	/* Only swiotlb limits dma-direct and dma-iommu; ops may have limits. */
	if (map->backend != DMA_SG_BACKEND_OPS && !is_swiotlb_active(dev))
		return;
	/* A bounce buffer is one slot run within the segment boundary. */
	ctx->chop = min_t(u64, dma_max_mapping_size(dev), ctx->chop);
	if (map->backend == DMA_SG_BACKEND_DIRECT && ctx->boundary < ctx->chop)
		ctx->chop = ctx->boundary + 1;
	/* Whole pages, so that two pieces never share a cache line. */
	if (ctx->chop >= PAGE_SIZE)
		ctx->chop &= PAGE_MASK;
}

/*
 * Segment limits the table must keep.  A caller that walks the table in
 * blocks never hands the device an entry as one segment, so an entry cut
 * at max_segment_size would only make it see one block twice.
 */
static void dma_sg_seg_limits(struct dma_sg_map *map, struct dma_sg_ctx *ctx)
{
	dma_sg_limits(map, ctx);
	if (!(map->flags & DMA_SG_MAP_NO_SEG_LIMITS))
		return;
	ctx->max_seg = U64_MAX;
	ctx->boundary = U64_MAX;
	ctx->no_limits = true;
}

/* Which per-range state must the map keep for its unmap and syncs? */
static void dma_sg_pick_state(struct dma_sg_map *map)
{
	struct device *dev = map->dev;
	bool watched = debug_dma_active() || trace_dma_map_page_enabled() ||
		       trace_dma_map_resource_enabled() ||
		       trace_dma_unmap_page_enabled() ||
		       trace_dma_unmap_resource_enabled();
	bool coherent = dev_is_dma_coherent(dev);

	switch (map->backend) {
	case DMA_SG_BACKEND_DIRECT:
		/* Records start at the first bounce (dma_sg_map_direct()). */
		if (watched || !coherent || is_swiotlb_force_bounce(dev))
			map->state |= DMA_SG_MAP_RECS;
		/* Unmapping merged memory is one sync, unless watched. */
		if (!watched)
			map->state |= DMA_SG_MAP_MERGE_RECS;
		break;
	case DMA_SG_BACKEND_IOVA:
		if (watched || !coherent)
			map->state |= DMA_SG_MAP_RECS;
		break;
	default:
		map->state |= DMA_SG_MAP_RECS;
		break;
	}
}

static int dma_sg_map_start(struct dma_sg_map *map, struct device *dev,
			    enum dma_data_direction dir, unsigned long attrs)
{
	/* Overwriting a live mapping would leak it and its BAR references. */
	if (WARN_ON_ONCE(dma_sg_map_is_mapped(map)))
		return -EBUSY;
	if (!valid_dma_direction(dir) || !dev->dma_mask ||
	    (attrs & DMA_ATTR_MMIO))
		return -EINVAL;
	/* An empty map is zeroed or was reset by its last teardown. */
	map->dev = dev;
	map->dir = dir;
	map->attrs = attrs;
	pci_p2p_bar_refs_init(&map->p2p);
	/* An unmapped map keeps its first chunk in the freed table. */
	if (map->table.first != &map->first.chunk)
		dma_sg_table_init_chunk(&map->table, map->first, 0);
	return 0;
}

static int dma_sg_map_src(struct dma_sg_map *map, struct device *dev,
			  struct dma_sg_src *src, enum dma_data_direction dir,
			  unsigned long attrs, gfp_t gfp)
{
	struct dma_sg_ctx ctx __uninitialized;
	struct dma_sg_range r;
	phys_addr_t first = 0;
	u64 iova_len = 0, max_ents;
	int ret;

	ret = dma_sg_map_start(map, dev, dir, attrs);
	if (ret)
		return ret;
	dma_sg_ctx_init(&ctx);
	map->backend = dma_sg_backend(dev);
	if (IS_ENABLED(CONFIG_IOMMU_DMA) &&
	    map->backend == DMA_SG_BACKEND_IOMMU) {
		ret = dma_sg_plan_iova(map, &ctx, src, &first, &iova_len, gfp);
		if (ret)
			goto out_teardown;
	}
	if (IS_ENABLED(CONFIG_IOMMU_DMA) && iova_len) {
		ret = iommu_dma_iova_alloc(dev, first, iova_len, &map->iova);
		if (!ret) {
			map->backend = DMA_SG_BACKEND_IOVA;
			map->iova_len = iova_len;
			ctx.iova_next = map->iova;
			/*
			 * Whole pages are whole granules, so they batch, where
			 * their IOVA is page aligned too: with a granule smaller
			 * than a page, a range may start anywhere on a granule.
			 */
			ctx.link_pages =
				iommu_dma_get_merge_boundary(dev) < PAGE_SIZE;
		} else if (ret != -EOPNOTSUPP) {
			goto out_teardown;
		}
	}
	dma_sg_seg_limits(map, &ctx);
	dma_sg_pick_state(map);
	/*
	 * One allocation per page of table, as a scatterlist takes: chunks
	 * grown from the smallest would take four kmalloc()s for 64 scattered
	 * pages where sg_alloc_table() takes one.  Input that merges
	 * allocates nothing past the map's own entries, or at most one chunk
	 * larger than it needs.
	 */
	max_ents = dma_sg_src_max_ents(src);
	if (map->backend != DMA_SG_BACKEND_IOVA &&
	    max_ents > DMA_SG_MAP_INLINE_ENTS)
		dma_sg_table_size_hint(&map->table, max_ents);

	if (src->type == DMA_SG_SRC_PAGES &&
	    (map->backend == DMA_SG_BACKEND_DIRECT ||
	     map->backend == DMA_SG_BACKEND_IOVA) &&
	    !(map->state & DMA_SG_MAP_RECS)) {
		ret = map->backend == DMA_SG_BACKEND_DIRECT ?
		      dma_sg_map_pages_direct(map, &ctx, src, gfp) : 0;
		if (!ret && src->done < src->size)
			ret = dma_sg_map_pages_fast(map, &ctx, src, gfp);
		if (ret)
			goto out_teardown;
	} else if (map->backend == DMA_SG_BACKEND_DIRECT &&
		   !(map->state & DMA_SG_MAP_RECS)) {
		ret = src->type == DMA_SG_SRC_BVECS ?
		      dma_sg_map_bvecs_direct(map, &ctx, src, gfp) :
		      dma_sg_map_phys_direct(map, &ctx, src, gfp);
		if (ret)
			goto out_teardown;
	}
	/* What the loops above did not map; nothing, usually. */
	ret = 0;
	if (src->type != DMA_SG_SRC_PAGES || src->done < src->size) {
		while ((ret = dma_sg_src_next(src, &r)) > 0) {
			ret = dma_sg_map_range(map, &ctx, &r, gfp);
			if (ret)
				goto out_teardown;
		}
	}
	if (!ret && ctx.nr_batch)
		ret = dma_sg_link_batch(map, &ctx);
	if (!ret && ctx.run_len)
		ret = dma_sg_flush_run(map, &ctx, gfp);
	if (ret < 0)
		goto out_teardown;
	ret = -EINVAL;
	if (!map->table.nents)
		goto out_teardown;
	if (IS_ENABLED(CONFIG_IOMMU_DMA) &&
	    map->backend == DMA_SG_BACKEND_IOVA) {
		/* Pages by bus address may have left the range's tail unused. */
		map->iova_mapped = ctx.iova_next - map->iova;
		ret = map->iova_mapped ?
		      iommu_dma_iova_sync(dev, map->iova, map->iova_mapped) : 0;
		if (ret)
			goto out_teardown;
	}
	return 0;

out_teardown:
	/* Nothing reached the device yet: no CPU sync, no bounce copy. */
	dma_sg_teardown(map, dma_sg_iova_linked(map, &ctx),
			attrs | DMA_ATTR_SKIP_CPU_SYNC);
	return ret;
}

/**
 * dma_sg_map_phys - map physical ranges for DMA
 * @map: an empty mapping, zeroed or from dma_sg_map_init().
 * @dev: the device that does the DMA.
 * @ranges: the ranges, from dma_sg_phys_set(); at least one.
 * @nr: number of entries in @ranges.
 * @dir: DMA direction.
 * @attrs: DMA attributes, kept for the unmap; not DMA_ATTR_MMIO, which
 *	the hints carry range by range.
 * @gfp: allocation flags for the table and any per-range state.
 *
 * Ranges may pass 4 GiB and may mix the map hints (see the mixing rule
 * in Documentation/core-api/dma-sg.rst).  DMA_SG_MAP_MEM ranges must be
 * memory with a struct page (first and last page are checked); MMIO needs
 * none.  P2P ranges must name a registered BAR whose map type for @dev is
 * their hint.  The table lists the ranges in input order, merged where
 * contiguous and split to fit the device's segment limits.
 *
 * Return: 0 with @map->table ready; -EBUSY (and a warning) if @map is
 * still mapped; -EINVAL for bad input, including memory that has no
 * struct page; -ENOMEM; -EIO if a range cannot be mapped, for instance
 * past the DMA mask with no swiotlb; -EREMOTEIO if a P2P hint is not the
 * map type the BAR has for @dev, or the BAR registry's own error
 * (-ENOENT, -EINVAL, -EREMOTEIO).  On error nothing is mapped, nothing
 * stays allocated or referenced, and @map is empty (a live @map is left
 * as it was).
 */
int dma_sg_map_phys(struct dma_sg_map *map, struct device *dev,
		    const struct dma_sg_phys *ranges, u64 nr,
		    enum dma_data_direction dir, unsigned long attrs, gfp_t gfp)
{
	struct dma_sg_src src __uninitialized;

	dma_sg_src_init(&src, DMA_SG_SRC_PHYS, nr, 0, 0);
	src.phys = ranges;

	return dma_sg_map_src(map, dev, &src, dir, attrs, gfp);
}
EXPORT_SYMBOL_GPL(dma_sg_map_phys);

/**
 * dma_sg_map_pages - map a page array for DMA
 * @map: an empty mapping, zeroed or from dma_sg_map_init().
 * @dev: the device that does the DMA.
 * @pages: the pages.
 * @n_pages: number of entries in @pages.
 * @offset: offset of the first byte in @pages[0].
 * @size: bytes to map, from @offset on; not zero.
 * @dir: DMA direction.
 * @attrs: DMA attributes, kept for the unmap.
 * @gfp: allocation flags for the table and any per-range state.
 *
 * Takes what sg_alloc_table_from_pages() takes; physically contiguous
 * pages become one range.  P2PDMA pages (pci_alloc_p2pmem()) are mapped
 * as their BAR's map type for @dev requires, as dma_map_sg() maps them:
 * by bus address, or as MMIO through the host bridge; never bounced.
 *
 * Return: as dma_sg_map_phys(); -EINVAL also if the pages do not hold
 * @offset + @size bytes; -EREMOTEIO also for P2PDMA pages whose BAR has
 * no page-less id.
 */
int dma_sg_map_pages(struct dma_sg_map *map, struct device *dev,
		     struct page **pages, u64 n_pages, u64 offset, u64 size,
		     enum dma_data_direction dir, unsigned long attrs,
		     gfp_t gfp)
{
	struct dma_sg_src src __uninitialized;
	u64 end;

	dma_sg_src_init(&src, DMA_SG_SRC_PAGES, n_pages, offset, size);
	src.pages = pages;
	if (WARN_ON_ONCE(dma_sg_map_is_mapped(map)))
		return -EBUSY;
	if (!size || check_add_overflow(offset, size, &end) ||
	    n_pages > U64_MAX >> PAGE_SHIFT || end > n_pages << PAGE_SHIFT)
		return -EINVAL;
	return dma_sg_map_src(map, dev, &src, dir, attrs, gfp);
}
EXPORT_SYMBOL_GPL(dma_sg_map_pages);

/**
 * dma_sg_map_bvecs - map bio_vecs for DMA
 * @map: an empty mapping, zeroed or from dma_sg_map_init().
 * @dev: the device that does the DMA.
 * @bv: the bio_vecs; multi-page ones are fine.
 * @nr: number of entries in @bv; at least one.
 * @dir: DMA direction.
 * @attrs: DMA attributes, kept for the unmap.
 * @gfp: allocation flags for the table and any per-range state.
 *
 * Physically contiguous bio_vecs become one range.  P2PDMA pages are
 * mapped as dma_sg_map_pages() maps them.
 *
 * Return: as dma_sg_map_pages(); -EINVAL also for a zero-length bio_vec.
 */
int dma_sg_map_bvecs(struct dma_sg_map *map, struct device *dev,
		     const struct bio_vec *bv, u64 nr,
		     enum dma_data_direction dir, unsigned long attrs,
		     gfp_t gfp)
{
	struct dma_sg_src src __uninitialized;

	dma_sg_src_init(&src, DMA_SG_SRC_BVECS, nr, 0, 0);
	src.bv = bv;

	return dma_sg_map_src(map, dev, &src, dir, attrs, gfp);
}
EXPORT_SYMBOL_GPL(dma_sg_map_bvecs);

/**
 * dma_sg_unmap - unmap a mapping and free its table
 * @map: a mapping filled in by a dma_sg_map_*() call.
 *
 * Uses the device, direction and attributes of the map call, syncs for
 * the CPU unless DMA_ATTR_SKIP_CPU_SYNC was given, and drops the P2P BAR
 * references once no IOVA reaches the BARs.  @map is left empty with its
 * dma_sg_map_init() flags, ready to map again; unmapping an empty map
 * does nothing.
 */
void dma_sg_unmap(struct dma_sg_map *map)
{
	if (!dma_sg_map_is_mapped(map))
		return;
	dma_sg_teardown(map, map->iova_mapped, map->attrs);
}
EXPORT_SYMBOL_GPL(dma_sg_unmap);

static void dma_sg_sync_rec(const struct dma_sg_map *map, dma_addr_t addr,
			    u64 len, bool for_cpu)
{
	struct device *dev = map->dev;
	enum dma_data_direction dir = map->dir;

	if (IS_ENABLED(CONFIG_IOMMU_DMA) &&
	    map->backend == DMA_SG_BACKEND_IOVA) {
		if (for_cpu)
			iommu_dma_sync_single_for_cpu(dev, addr, len, dir);
		else
			iommu_dma_sync_single_for_device(dev, addr, len, dir);
		if (for_cpu) {
			trace_dma_sync_single_for_cpu(dev, addr, len, dir);
			debug_dma_sync_single_for_cpu(dev, addr, len, dir);
		} else {
			trace_dma_sync_single_for_device(dev, addr, len, dir);
			debug_dma_sync_single_for_device(dev, addr, len, dir);
		}
		return;
	}
	/* Mapped by dma_map_phys(): the DMA API syncs, traces and checks. */
	if (for_cpu)
		dma_sync_single_for_cpu(dev, addr, len, dir);
	else
		dma_sync_single_for_device(dev, addr, len, dir);
}

static int dma_sg_sync(struct dma_sg_map *map, u64 offset, u64 len,
		       bool for_cpu)
{
	u64 end, pos = 0, i;

	if (!dma_sg_map_is_mapped(map) || !len ||
	    check_add_overflow(offset, len, &end) || end > map->table.len)
		return -EINVAL;

	/*
	 * Table bytes and record bytes run in the same order.  With no
	 * records, nothing is bounced nor cached: there is nothing to do.
	 */
	for (i = 0; i < map->nr_recs && pos < end; i++) {
		const struct dma_sg_map_rec *rec = &map->recs[i];
		u64 rlen = dma_sg_rec_len(rec);
		u64 from = max(offset, pos), to = min(end, pos + rlen);

		/* MMIO and P2P memory are never cached nor bounced. */
		if (from < to && dma_sg_rec_is_mem(rec))
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
