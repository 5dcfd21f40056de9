/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dma_sg mapping: map CPU-side ranges into a dma_sg table for a device
 *
 * Physical ranges (struct dma_sg_phys), page arrays and bio_vecs are
 * mapped through dma-direct (with swiotlb), dma-iommu (into one IOVA
 * range when alignment allows) or a device's dma_map_ops, with no struct
 * scatterlist on the way.  A struct dma_sg_map remembers everything the
 * unmap needs.
 */
#ifndef _LINUX_DMA_SG_MAP_H
#define _LINUX_DMA_SG_MAP_H

#include <linux/dma-direction.h>
#include <linux/dma_sg.h>
#include <linux/types.h>

struct bio_vec;
struct device;
struct page;

/**
 * struct dma_sg_map_rec - one range as it was mapped
 * @src: the CPU-side range, with its map hint and BAR id.
 * @addr: DMA address of its first byte.
 *
 * The unit of unmap, sync and dma-debug tracking.  Contiguous ranges of
 * system memory that dma-direct mapped without bouncing share one record.
 */
struct dma_sg_map_rec {
	struct dma_sg_phys src;
	dma_addr_t addr;
};

/**
 * enum dma_sg_map_backend - how a struct dma_sg_map was mapped
 * @DMA_SG_BACKEND_NONE: not mapped.
 * @DMA_SG_BACKEND_DIRECT: dma-direct, swiotlb included.
 * @DMA_SG_BACKEND_IOMMU: dma-iommu, one IOVA range per record.
 * @DMA_SG_BACKEND_IOVA: dma-iommu, all IOMMU-mapped records share one
 *	contiguous IOVA range.
 * @DMA_SG_BACKEND_OPS: the device's dma_map_ops, one mapping per record.
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
 * @dir: DMA direction given at map time.
 * @attrs: DMA attributes given at map time.
 * @backend: an enum dma_sg_map_backend.
 * @iova: with DMA_SG_BACKEND_IOVA, the DMA address of the first byte of
 *	the IOVA range.
 * @iova_len: with DMA_SG_BACKEND_IOVA, its length in bytes.
 * @recs: the mapped ranges, in table order.
 * @nr_recs: number of entries in @recs.
 *
 * Filled in by the dma_sg_map_*() calls; the caller only reads @table.
 */
struct dma_sg_map {
	struct dma_sg_table table;
	struct device *dev;
	enum dma_data_direction dir;
	unsigned long attrs;
	enum dma_sg_map_backend backend;
	dma_addr_t iova;
	u64 iova_len;
	struct dma_sg_map_rec *recs;
	u64 nr_recs;
};

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
 * dma_sg_map_sync_all_for_cpu - give a whole mapping back to the CPU
 * @map: the mapping.
 */
static inline void dma_sg_map_sync_all_for_cpu(struct dma_sg_map *map)
{
	if (map->table.len)
		dma_sg_map_sync_for_cpu(map, 0, map->table.len);
}

/**
 * dma_sg_map_sync_all_for_device - give a whole mapping to the device
 * @map: the mapping.
 */
static inline void dma_sg_map_sync_all_for_device(struct dma_sg_map *map)
{
	if (map->table.len)
		dma_sg_map_sync_for_device(map, 0, map->table.len);
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
	*len = map->iova_len;
	return true;
}

#endif /* _LINUX_DMA_SG_MAP_H */
