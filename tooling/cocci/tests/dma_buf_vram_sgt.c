// SPDX-License-Identifier: GPL-2.0
/* Shapes of VRAM dma-buf exporters (amdgpu, xe) and one left alone. */
#include <linux/dma-buf.h>
#include <drm/drm_buddy.h>

#define FOO_MAX_SEG	(2UL << 30)

/* The driver header's prototypes: the semantic patch rewrites them too. */
int foo_vram_alloc_sgt(struct foo_device *fdev, struct ttm_resource *res,
		       u64 offset, u64 length, struct device *dev,
		       enum dma_data_direction dir, struct sg_table **sgt);
void foo_vram_free_sgt(struct device *dev, enum dma_data_direction dir,
		       struct sg_table *sgt);

/* amdgpu's shape: blocks cut to a 32-bit length. */
int foo_vram_alloc_sgt(struct foo_device *fdev, struct ttm_resource *res,
		       u64 offset, u64 length, struct device *dev,
		       enum dma_data_direction dir, struct sg_table **sgt)
{
	struct foo_cursor cursor;
	struct scatterlist *sg;
	int num_entries = 0;
	int i, r;

	*sgt = kmalloc(sizeof(**sgt), GFP_KERNEL);
	if (!*sgt)
		return -ENOMEM;

	foo_first(res, offset, length, &cursor);
	while (cursor.remaining) {
		num_entries++;
		foo_next(&cursor, min(cursor.size, FOO_MAX_SEG));
	}

	r = sg_alloc_table(*sgt, num_entries, GFP_KERNEL);
	if (r)
		goto error_free;

	for_each_sgtable_sg((*sgt), sg, i)
		sg->length = 0;

	foo_first(res, offset, length, &cursor);
	for_each_sgtable_sg((*sgt), sg, i) {
		phys_addr_t phys = cursor.start + fdev->aper_base;
		unsigned long size = min(cursor.size, FOO_MAX_SEG);
		dma_addr_t addr;

		addr = dma_map_resource(dev, phys, size, dir,
					DMA_ATTR_SKIP_CPU_SYNC);
		r = dma_mapping_error(dev, addr);
		if (r)
			goto error_unmap;

		sg_set_page(sg, NULL, size, 0);
		sg_dma_address(sg) = addr;
		sg_dma_len(sg) = size;

		foo_next(&cursor, size);
	}

	return 0;

error_unmap:
	for_each_sgtable_sg((*sgt), sg, i) {
		if (!sg->length)
			continue;

		dma_unmap_resource(dev, sg->dma_address, sg->length, dir,
				   DMA_ATTR_SKIP_CPU_SYNC);
	}
	sg_free_table(*sgt);

error_free:
	kfree(*sgt);
	return r;
}

void foo_vram_free_sgt(struct device *dev, enum dma_data_direction dir,
		       struct sg_table *sgt)
{
	struct scatterlist *sg;
	int i;

	for_each_sgtable_sg(sgt, sg, i)
		dma_unmap_resource(dev, sg->dma_address, sg->length, dir,
				   DMA_ATTR_SKIP_CPU_SYNC);
	sg_free_table(sgt);
	kfree(sgt);
}

static struct sg_table *foo_dma_buf_map(struct dma_buf_attachment *attach,
					enum dma_data_direction dir)
{
	struct foo_bo *bo = attach->dmabuf->priv;
	struct sg_table *sgt;
	long r;

	r = foo_bo_validate(bo);
	if (r)
		return ERR_PTR(r);

	switch (bo->mem_type) {
	case FOO_PL_TT:
		sgt = drm_prime_pages_to_sg(bo->dev, bo->pages, bo->num_pages);
		if (IS_ERR(sgt))
			return sgt;

		if (dma_map_sgtable(attach->dev, sgt, dir,
				    DMA_ATTR_SKIP_CPU_SYNC))
			goto error_free;
		break;

	case FOO_PL_VRAM:
		r = foo_vram_alloc_sgt(bo->fdev, bo->res, 0, bo->size,
				       attach->dev, dir, &sgt);
		if (r)
			return ERR_PTR(r);
		break;
	default:
		return ERR_PTR(-EINVAL);
	}

	return sgt;

error_free:
	sg_free_table(sgt);
	kfree(sgt);
	return ERR_PTR(-EBUSY);
}

static void foo_dma_buf_unmap(struct dma_buf_attachment *attach,
			      struct sg_table *sgt,
			      enum dma_data_direction dir)
{
	if (sg_page(sgt->sgl)) {
		dma_unmap_sgtable(attach->dev, sgt, dir, 0);
		sg_free_table(sgt);
		kfree(sgt);
	} else {
		foo_vram_free_sgt(attach->dev, dir, sgt);
	}
}

const struct dma_buf_ops foo_dmabuf_ops = {
	.pin = foo_dma_buf_pin,
	.map_dma_buf = foo_dma_buf_map,
	.unmap_dma_buf = foo_dma_buf_unmap,
	.release = drm_gem_dmabuf_release,
};

/* xe's shape: a visibility check first, blocks not cut. */
int bar_vram_alloc_sgt(struct bar_device *bdev, struct ttm_resource *res,
		       u64 offset, u64 length, struct device *dev,
		       enum dma_data_direction dir, struct sg_table **sgt)
{
	struct bar_tile *tile = bar_tile_of(bdev, res);
	struct bar_cursor cursor;
	struct scatterlist *sg;
	int num_entries = 0;
	int i, r;

	if (!bar_res_visible(res))
		return -EOPNOTSUPP;

	*sgt = kmalloc(sizeof(**sgt), GFP_KERNEL);
	if (!*sgt)
		return -ENOMEM;

	bar_first(res, offset, length, &cursor);
	while (cursor.remaining) {
		num_entries++;
		bar_next(&cursor, cursor.size);
	}

	r = sg_alloc_table(*sgt, num_entries, GFP_KERNEL);
	if (r)
		goto error_free;

	for_each_sgtable_sg((*sgt), sg, i)
		sg->length = 0;

	bar_first(res, offset, length, &cursor);
	for_each_sgtable_sg((*sgt), sg, i) {
		phys_addr_t phys = cursor.start + tile->io_start;
		size_t size = cursor.size;
		dma_addr_t addr;

		addr = dma_map_resource(dev, phys, size, dir,
					DMA_ATTR_SKIP_CPU_SYNC);
		r = dma_mapping_error(dev, addr);
		if (r)
			goto error_unmap;

		sg_set_page(sg, NULL, size, 0);
		sg_dma_address(sg) = addr;
		sg_dma_len(sg) = size;

		bar_next(&cursor, cursor.size);
	}

	return 0;

error_unmap:
	for_each_sgtable_sg((*sgt), sg, i) {
		if (!sg->length)
			continue;

		dma_unmap_resource(dev, sg->dma_address, sg->length, dir,
				   DMA_ATTR_SKIP_CPU_SYNC);
	}
	sg_free_table(*sgt);

error_free:
	kfree(*sgt);
	return r;
}

/* Left alone: system pages only, no VRAM builder behind it. */
static struct sg_table *baz_dma_buf_map(struct dma_buf_attachment *attach,
					enum dma_data_direction dir)
{
	struct baz_obj *obj = attach->dmabuf->priv;
	struct sg_table *sgt;

	sgt = drm_prime_pages_to_sg(obj->dev, obj->pages, obj->num_pages);
	if (IS_ERR(sgt))
		return sgt;

	if (dma_map_sgtable(attach->dev, sgt, dir, 0))
		goto error_free;

	return sgt;

error_free:
	sg_free_table(sgt);
	kfree(sgt);
	return ERR_PTR(-ENOMEM);
}

const struct dma_buf_ops baz_dmabuf_ops = {
	.map_dma_buf = baz_dma_buf_map,
	.unmap_dma_buf = drm_gem_unmap_dma_buf,
};

/* Left alone: a free function whose builder is elsewhere. */
void qux_vram_free_sgt(struct device *dev, enum dma_data_direction dir,
		       struct sg_table *sgt)
{
	struct scatterlist *sg;
	int i;

	for_each_sgtable_sg(sgt, sg, i)
		dma_unmap_resource(dev, sg->dma_address, sg->length, dir, 0);
	sg_free_table(sgt);
	kfree(sgt);
}
