// SPDX-License-Identifier: GPL-2.0
/* Shapes of TTM dma-buf importers: amdgpu's bind and unbind. */

/* Userptr: the table is built from pages here; left alone. */
static int drv_ttm_tt_pin_userptr(struct ttm_device *bdev,
				  struct ttm_tt *ttm)
{
	struct drv_ttm_tt *gtt = ttm_to_drv_ttm_tt(ttm);
	int r;

	r = sg_alloc_table_from_pages(ttm->sg, ttm->pages, ttm->num_pages, 0,
				      (u64)ttm->num_pages << PAGE_SHIFT,
				      GFP_KERNEL);
	if (r)
		return r;
	r = dma_map_sgtable(bdev->dev, ttm->sg, DMA_BIDIRECTIONAL, 0);
	if (r)
		return r;
	drm_prime_sg_to_dma_addr_array(ttm->sg, gtt->ttm.dma_address,
				       ttm->num_pages);
	return 0;
}

static int drv_ttm_backend_bind(struct ttm_device *bdev,
				struct ttm_tt *ttm,
				struct ttm_resource *bo_mem)
{
	struct drv_ttm_tt *gtt = ttm_to_drv_ttm_tt(ttm);
	int r;

	if (gtt->bound)
		return 0;

	if (gtt->userptr) {
		r = drv_ttm_tt_pin_userptr(bdev, ttm);
		if (r)
			return r;
	} else if (ttm->page_flags & TTM_TT_FLAG_EXTERNAL) {
		if (!ttm->sg) {
			struct dma_buf_attachment *attach;
			struct sg_table *sgt;

			attach = gtt->gobj->import_attach;
			sgt = dma_buf_map_attachment(attach, DMA_BIDIRECTIONAL);
			if (IS_ERR(sgt))
				return PTR_ERR(sgt);

			ttm->sg = sgt;
		}

		drm_prime_sg_to_dma_addr_array(ttm->sg, gtt->ttm.dma_address,
					       ttm->num_pages);
	}

	return drv_gart_bind(gtt, bo_mem);
}

static void drv_ttm_backend_unbind(struct ttm_device *bdev,
				   struct ttm_tt *ttm)
{
	struct drv_ttm_tt *gtt = ttm_to_drv_ttm_tt(ttm);

	if (gtt->userptr) {
		drv_ttm_tt_unpin_userptr(bdev, ttm);
	} else if (ttm->sg && gtt->gobj->import_attach) {
		struct dma_buf_attachment *attach;

		attach = gtt->gobj->import_attach;
		dma_buf_unmap_attachment(attach, ttm->sg, DMA_BIDIRECTIONAL);
		ttm->sg = NULL;
	}

	if (!gtt->bound)
		return;
	drv_gart_unbind(gtt);
}

/* The DRM core's PRIME import put the table in ttm->sg; left alone. */
static int drv_ttm_tt_populate(struct ttm_device *bdev, struct ttm_tt *ttm,
			       struct ttm_operation_ctx *ctx)
{
	bool slave = !!(ttm->page_flags & TTM_TT_FLAG_EXTERNAL);

	if (slave && ttm->sg) {
		drm_prime_sg_to_dma_addr_array(ttm->sg, ttm->dma_address,
					       ttm->num_pages);
		return 0;
	}
	return ttm_pool_alloc(&bdev->pool, ttm, ctx);
}

/* The table is declared for the whole function and used again: left alone. */
static int drv2_ttm_backend_bind(struct ttm_tt *ttm,
				 struct dma_buf_attachment *attach)
{
	struct sg_table *sgt = NULL;

	if (!ttm->sg) {
		sgt = dma_buf_map_attachment(attach, DMA_BIDIRECTIONAL);
		if (IS_ERR(sgt))
			return PTR_ERR(sgt);
		ttm->sg = sgt;
	}
	drm_prime_sg_to_dma_addr_array(ttm->sg, ttm->dma_address,
				       ttm->num_pages);
	return drv2_note(sgt);
}
