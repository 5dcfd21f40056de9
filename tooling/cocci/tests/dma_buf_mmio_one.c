// SPDX-License-Identifier: GPL-2.0
/* Shapes of a one-range MMIO export beside a page-backed one (virtio-gpu). */
#include <linux/dma-mapping.h>

struct sg_table *foo_blob_map_dma_buf(struct foo_obj *obj,
				      struct device *dev,
				      enum dma_data_direction dir)
{
	struct foo_blob *blob = to_foo_blob(obj);
	struct sg_table *sgt;
	dma_addr_t addr;
	int ret;

	sgt = kzalloc(sizeof(*sgt), GFP_KERNEL);
	if (!sgt)
		return ERR_PTR(-ENOMEM);

	if (!blob->mappable) {
		/* A peer that finds the blob by its UUID needs no entries. */
		if (!foo_peer_has_uuid(dev)) {
			ret = -EIO;
			goto out;
		}
		return sgt;
	}

	ret = sg_alloc_table(sgt, 1, GFP_KERNEL);
	if (ret)
		goto out;

	addr = dma_map_resource(dev, blob->start, blob->size, dir,
				DMA_ATTR_SKIP_CPU_SYNC);
	ret = dma_mapping_error(dev, addr);
	if (ret)
		goto out;

	sg_set_page(sgt->sgl, NULL, blob->size, 0);
	sg_dma_address(sgt->sgl) = addr;
	sg_dma_len(sgt->sgl) = blob->size;

	return sgt;
out:
	sg_free_table(sgt);
	kfree(sgt);
	return ERR_PTR(ret);
}

void foo_blob_unmap_dma_buf(struct device *dev, struct sg_table *sgt,
			    enum dma_data_direction dir)
{
	if (sgt->nents) {
		dma_unmap_resource(dev, sg_dma_address(sgt->sgl),
				   sg_dma_len(sgt->sgl), dir,
				   DMA_ATTR_SKIP_CPU_SYNC);
	}
	sg_free_table(sgt);
	kfree(sgt);
}

static struct sg_table *
foo_gem_map_dma_buf(struct dma_buf_attachment *attach,
		    enum dma_data_direction dir)
{
	struct drm_gem_object *gem = attach->dmabuf->priv;
	struct foo_obj *obj = to_foo_obj(gem);

	if (foo_is_blob(obj))
		return foo_blob_map_dma_buf(obj, attach->dev, dir);

	return drm_gem_map_dma_buf(attach, dir);
}

static void foo_gem_unmap_dma_buf(struct dma_buf_attachment *attach,
				  struct sg_table *sgt,
				  enum dma_data_direction dir)
{
	struct drm_gem_object *gem = attach->dmabuf->priv;
	struct foo_obj *obj = to_foo_obj(gem);

	if (foo_is_blob(obj)) {
		foo_blob_unmap_dma_buf(attach->dev, sgt, dir);
		return;
	}

	drm_gem_unmap_dma_buf(attach, sgt, dir);
}

static const struct foo_dma_buf_ops foo_dmabuf_ops = {
	.ops = {
		.map_dma_buf = foo_gem_map_dma_buf,
		.unmap_dma_buf = foo_gem_unmap_dma_buf,
		.release = drm_gem_dmabuf_release,
	},
	.get_uuid = foo_get_uuid,
};

/* Left alone: its one entry has a page. */
struct sg_table *bar_page_map_dma_buf(struct bar_obj *obj,
				      struct device *dev,
				      enum dma_data_direction dir)
{
	struct sg_table *sgt;
	int ret;

	sgt = kzalloc(sizeof(*sgt), GFP_KERNEL);
	if (!sgt)
		return ERR_PTR(-ENOMEM);
	ret = sg_alloc_table(sgt, 1, GFP_KERNEL);
	if (ret)
		goto out;
	sg_set_page(sgt->sgl, obj->page, PAGE_SIZE, 0);
	ret = dma_map_sgtable(dev, sgt, dir, 0);
	if (ret)
		goto out_table;
	return sgt;
out_table:
	sg_free_table(sgt);
out:
	kfree(sgt);
	return ERR_PTR(ret);
}
