/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dma_sg mapping: map CPU-side ranges into a dma_sg table for a device
 *
 * Physical ranges (struct dma_sg_phys), page arrays and bio_vecs are
 * mapped in one pass through dma-direct (with swiotlb), dma-iommu (into
 * one IOVA range when alignment allows) or a device's dma_map_ops, with no
 * struct scatterlist on the way.  A struct dma_sg_map remembers what the
 * unmap needs, and nothing more.  See Documentation/core-api/dma-sg.rst.
 */
#ifndef _LINUX_DMA_SG_MAP_H
#define _LINUX_DMA_SG_MAP_H

#include <linux/dma-direction.h>
#include <linux/dma_sg.h>
#include <linux/dma_sg_phys.h>
#include <linux/pci-p2p-bar.h>
#include <linux/string.h>
#include <linux/types.h>

struct bio_vec;
struct device;
struct page;

/*
 * Entries a struct dma_sg_map holds itself, before it allocates: 64 KiB
 * of scattered 4 KiB pages, a common I/O size.  With four, the chunk that
 * a 64 KiB map allocated made it slower than sg_alloc_table_from_pages()
 * plus dma_map_sgtable(); the struct is 192 bytes larger for it.
 */
#define DMA_SG_MAP_INLINE_ENTS	16

/* Flags for dma_sg_map_init(). */
#define DMA_SG_MAP_LONG_SEGMENTS	BIT(0)
#define DMA_SG_MAP_NO_SEG_LIMITS	BIT(1)

/**
 * struct dma_sg_map_rec - private: one range as it was mapped
 * @addr: DMA address of its first byte.
 * @len_kind: length in bits 0-61, kind (memory, bounced memory, MMIO,
 *	bus address) in bits 62-63.
 *
 * Kept only when the unmap or a sync needs it: see dma_sg_unmap().
 */
struct dma_sg_map_rec {
	dma_addr_t addr;
	u64 len_kind;
};

/**
 * enum dma_sg_map_backend - how a struct dma_sg_map was mapped
 * @DMA_SG_BACKEND_NONE: not mapped.
 * @DMA_SG_BACKEND_DIRECT: dma-direct, swiotlb included.
 * @DMA_SG_BACKEND_IOMMU: dma-iommu, one IOVA range per range.
 * @DMA_SG_BACKEND_IOVA: dma-iommu, all IOMMU-mapped ranges share one
 *	contiguous IOVA range.
 * @DMA_SG_BACKEND_OPS: the device's dma_map_ops, one mapping per range.
 */
enum dma_sg_map_backend {
	DMA_SG_BACKEND_NONE,
	DMA_SG_BACKEND_DIRECT,
	DMA_SG_BACKEND_IOMMU,
	DMA_SG_BACKEND_IOVA,
	DMA_SG_BACKEND_OPS,
};

/**
 * struct dma_sg_map - a dma_sg table mapped for one device
 * @table: the DMA ranges the device uses, split to fit its dma_parms.
 * @dev: the device.
 * @attrs: DMA attributes given at map time, reused at unmap.
 * @dir: enum dma_data_direction given at map time.
 * @backend: an enum dma_sg_map_backend; DMA_SG_BACKEND_NONE when empty.
 * @flags: DMA_SG_MAP_LONG_SEGMENTS or DMA_SG_MAP_NO_SEG_LIMITS, from
 *	dma_sg_map_init().
 * @state: private state of the mapping.
 * @iova: with DMA_SG_BACKEND_IOVA, the DMA address of the first byte of
 *	the IOVA range.
 * @iova_len: with DMA_SG_BACKEND_IOVA, the bytes reserved for it.
 * @iova_mapped: of those, the bytes mapped from @iova on; fewer when P2P
 *	pages by bus address took none.
 * @recs: what the unmap needs of each mapped range, or NULL when it needs
 *	nothing per range.
 * @nr_recs: number of entries in @recs.
 * @max_recs: capacity of @recs.
 * @p2p: the P2P BARs the mapping references, one reference each.
 *
 * Start from a zeroed struct (or dma_sg_map_init()); the dma_sg_map_*()
 * calls fill it in and the caller only reads @table.  The table's first
 * entries live inside the struct, so a mapped struct dma_sg_map must not
 * be copied or moved.
 */
struct dma_sg_map {
	struct dma_sg_table table;
	struct device *dev;
	unsigned long attrs;
	u8 dir;
	u8 backend;
	u8 flags;
	u8 state;
	dma_addr_t iova;
	u64 iova_len;
	u64 iova_mapped;
	struct dma_sg_map_rec *recs;
	u64 nr_recs;
	u64 max_recs;
	struct pci_p2p_bar_refs p2p;
	/* private: storage for the first DMA_SG_MAP_INLINE_ENTS entries */
	DMA_SG_FIRST_CHUNK(first, DMA_SG_MAP_INLINE_ENTS);
};

/**
 * dma_sg_map_init - prepare an empty mapping
 * @map: the mapping.
 * @flags: 0, or DMA_SG_MAP_LONG_SEGMENTS for a device that takes segments
 *	longer than 4 GiB: a max_segment_size of UINT_MAX then means no
 *	limit.  Without it UINT_MAX is a limit like any other, as it is for
 *	NVMe SGLs and ib_sge lengths.  Or DMA_SG_MAP_NO_SEG_LIMITS when the
 *	device never sees an entry as one segment, because the caller
 *	walks the table in aligned blocks (an MMU's or an RDMA MR's page
 *	table): the device's segment size and boundary are then ignored.
 *	Limits of the mapping itself, such as swiotlb's, always apply.
 *
 * A zeroed struct dma_sg_map is the same as one initialised with 0.
 */
static inline void dma_sg_map_init(struct dma_sg_map *map, unsigned int flags)
{
	memset(map, 0, sizeof(*map));
	map->flags = flags;
}

int dma_sg_map_phys(struct dma_sg_map *map, struct device *dev,
		    const struct dma_sg_phys *ranges, u64 nr,
		    enum dma_data_direction dir, unsigned long attrs, gfp_t gfp);
int dma_sg_map_pages(struct dma_sg_map *map, struct device *dev,
		     struct page **pages, u64 n_pages, u64 offset, u64 size,
		     enum dma_data_direction dir, unsigned long attrs,
		     gfp_t gfp);
int dma_sg_map_bvecs(struct dma_sg_map *map, struct device *dev,
		     const struct bio_vec *bv, u64 nr,
		     enum dma_data_direction dir, unsigned long attrs,
		     gfp_t gfp);
void dma_sg_unmap(struct dma_sg_map *map);
int dma_sg_map_sync_for_cpu(struct dma_sg_map *map, u64 offset, u64 len);
int dma_sg_map_sync_for_device(struct dma_sg_map *map, u64 offset, u64 len);

/**
 * dma_sg_map_is_mapped - does a mapping hold a live mapping?
 * @map: the mapping.
 *
 * Return: true between a successful dma_sg_map_*() call and dma_sg_unmap().
 */
static inline bool dma_sg_map_is_mapped(const struct dma_sg_map *map)
{
	return map->backend != DMA_SG_BACKEND_NONE;
}

/**
 * dma_sg_map_sync_all_for_cpu - give a whole mapping back to the CPU
 * @map: the mapping.
 *
 * Return: as dma_sg_map_sync_for_cpu().
 */
static inline int dma_sg_map_sync_all_for_cpu(struct dma_sg_map *map)
{
	return dma_sg_map_sync_for_cpu(map, 0, map->table.len);
}

/**
 * dma_sg_map_sync_all_for_device - give a whole mapping to the device
 * @map: the mapping.
 *
 * Return: as dma_sg_map_sync_for_device().
 */
static inline int dma_sg_map_sync_all_for_device(struct dma_sg_map *map)
{
	return dma_sg_map_sync_for_device(map, 0, map->table.len);
}

/**
 * dma_sg_map_is_collapsed - did the ranges collapse into one IOVA range?
 * @map: the mapping.
 *
 * Return: true if every range that went through the IOMMU shares one
 * contiguous IOVA range, which dma_sg_map_iova() then describes.
 */
static inline bool dma_sg_map_is_collapsed(const struct dma_sg_map *map)
{
	return map->backend == DMA_SG_BACKEND_IOVA;
}

/**
 * dma_sg_map_iova - the IOVA range of a collapsed mapping
 * @map: the mapping.
 * @addr: set to the DMA address of its first byte.
 * @len: set to its length in bytes.
 *
 * Return: true if @map is collapsed and the outputs were set.
 */
static inline bool dma_sg_map_iova(const struct dma_sg_map *map,
				   dma_addr_t *addr, u64 *len)
{
	if (!dma_sg_map_is_collapsed(map))
		return false;
	*addr = map->iova;
	*len = map->iova_mapped;
	return true;
}

#endif /* _LINUX_DMA_SG_MAP_H */
